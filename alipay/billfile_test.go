package alipay

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var updateBill = flag.Bool("update", false, "rewrite testdata/bill/sample.zip from sampleBillFiles")

// The golden bill is written here by hand after the public description of
// Alipay's trade bill (header and footer lines, the 25 columns, values
// padded with a tab, refunds as rows of their own with negative amounts).
// Its data are invented: account, trade numbers and shops belong to nobody.
// The second payment was created before midnight and paid after it, so it
// belongs to the day it was paid.
const sampleAccount = "20880000000000120156"

var sampleDetail = []string{
	"#支付宝业务明细查询",
	"#账号：[" + sampleAccount + "]",
	"#起始日期：[2026年11月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]",
	"#-----------------------------------------业务明细列表----------------------------------------",
	"支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注",
	"2026112122001400000000000099\t,KT1_20261121235930000_BBBBBB\t,交易\t,茶,2026-11-21 23:59:30,2026-11-22 00:00:20,\t,\t,\t,\t,138******42\t,5.00,5.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,-0.03,0.00,",
	"2026112222001400000000000101\t,KT1_20261122093000000_AAAAAA\t,交易\t,热咖啡 Coffee,2026-11-22 09:30:00,2026-11-22 09:30:12,S001\t,中山路店\t,\t,T01\t,159******88\t,12.34,12.34,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,-0.07,0.00,",
	"2026112222001400000000000101\t,KT1_20261122093000000_AAAAAA\t,退款\t,热咖啡 Coffee,2026-11-22 09:30:00,2026-11-22 11:02:03,S001\t,中山路店\t,\t,T01\t,159******88\t,-2.00,-2.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,R20261122110203\t,0.00,0.00,顾客要求",
	"2026112222001400000000000102\t,KT1_20261122120000000_CCCCCC\t,交易\t,面包,2026-11-22 12:00:00,2026-11-22 12:00:01,S001\t,中山路店\t,wang\t,T02\t,abc***@example.com\t,20.00,18.00,0.00,0.00,0.00,2.00,0.00,,0.00\t,0.00,\t,-0.11,0.00,会员价",
	"#-----------------------------------------业务明细列表结束------------------------------------",
	"#交易合计：3笔，商家实收共35.34元，商家优惠共2.00元",
	"#退款合计：1笔，商家实收退款共-2.00元，商家优惠退款共0.00元",
	"#导出时间：[2026年11月23日 05:46:49]",
}

var sampleSummary = []string{
	"#支付宝业务汇总查询",
	"#账号：[" + sampleAccount + "]",
	"#起始日期：[2026年11月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]",
	"#-----------------------------------------业务汇总列表----------------------------------------",
	"门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）",
	"S001\t,中山路店\t,2,1,30.34,28.34,0.00,2.00,0.00,-0.18,0.00,28.16",
	"\t,\t,1,0,5.00,5.00,0.00,0.00,0.00,-0.03,0.00,4.97",
	"合计\t,\t,3,1,35.34,33.34,0.00,2.00,0.00,-0.21,0.00,33.13",
	"#----------------------------------------业务汇总列表结束-------------------------------------",
	"#导出时间：[2026年11月23日 05:46:49]",
}

const (
	sampleDetailName  = sampleAccount + "_20261122_业务明细.csv"
	sampleSummaryName = sampleAccount + "_20261122_业务明细(汇总).csv"
)

// sampleBillEntries are the records the golden bill must give.
func sampleBillEntries() []BillEntry {
	at := func(s string) time.Time {
		t, err := ParseTime(s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []BillEntry{
		{Line: 6, TradeNo: "2026112122001400000000000099", OutTradeNo: "KT1_20261121235930000_BBBBBB", Kind: BillTrade,
			Subject: "茶", CreatedAt: at("2026-11-21 23:59:30"), FinishedAt: at("2026-11-22 00:00:20"), BuyerAccount: "138******42",
			TotalFen: 500, ReceivedFen: 500, ServiceFeeFen: -3},
		{Line: 7, TradeNo: "2026112222001400000000000101", OutTradeNo: "KT1_20261122093000000_AAAAAA", Kind: BillTrade,
			Subject: "热咖啡 Coffee", CreatedAt: at("2026-11-22 09:30:00"), FinishedAt: at("2026-11-22 09:30:12"),
			StoreID: "S001", StoreName: "中山路店", TerminalID: "T01", BuyerAccount: "159******88",
			TotalFen: 1234, ReceivedFen: 1234, ServiceFeeFen: -7},
		{Line: 8, TradeNo: "2026112222001400000000000101", OutTradeNo: "KT1_20261122093000000_AAAAAA", Kind: BillRefund,
			Subject: "热咖啡 Coffee", CreatedAt: at("2026-11-22 09:30:00"), FinishedAt: at("2026-11-22 11:02:03"),
			StoreID: "S001", StoreName: "中山路店", TerminalID: "T01", BuyerAccount: "159******88",
			TotalFen: -200, ReceivedFen: -200, OutRequestNo: "R20261122110203", Remark: "顾客要求"},
		{Line: 9, TradeNo: "2026112222001400000000000102", OutTradeNo: "KT1_20261122120000000_CCCCCC", Kind: BillTrade,
			Subject: "面包", CreatedAt: at("2026-11-22 12:00:00"), FinishedAt: at("2026-11-22 12:00:01"),
			StoreID: "S001", StoreName: "中山路店", OperatorID: "wang", TerminalID: "T02", BuyerAccount: "abc***@example.com",
			TotalFen: 2000, ReceivedFen: 1800, MerchantDiscountFen: 200, ServiceFeeFen: -11, Remark: "会员价"},
	}
}

func sampleBillSummary() *BillSummary {
	return &BillSummary{
		Stores: []BillStoreTotal{
			{Line: 6, StoreID: "S001", StoreName: "中山路店", Trades: 2, Refunds: 1, TotalFen: 3034, ReceivedFen: 2834,
				MerchantDiscountFen: 200, ServiceFeeFen: -18, NetFen: 2816},
			{Line: 7, Trades: 1, TotalFen: 500, ReceivedFen: 500, ServiceFeeFen: -3, NetFen: 497},
		},
		Total: BillStoreTotal{Line: 8, Trades: 3, Refunds: 1, TotalFen: 3534, ReceivedFen: 3334,
			MerchantDiscountFen: 200, ServiceFeeFen: -21, NetFen: 3313},
	}
}

// billZipFile is a file to put in a test zip.
type billZipFile struct {
	name string
	body []byte
	utf8 bool // store the name as UTF-8 with the flag set, not as GBK
}

// gbk encodes text the way Alipay writes its bills.
func gbk(t testing.TB, text string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatalf("GBK cannot encode %q: %v", text, err)
	}
	return b
}

// csvFile joins lines with CRLF into a GBK file.
func csvFile(t testing.TB, lines []string, eol string) []byte {
	return gbk(t, strings.Join(lines, eol)+eol)
}

// billZip stores files in a zip, names in GBK unless utf8, uncompressed
// and dated 2026-11-23 05:46:49 so that the bytes never change.
func billZip(t testing.TB, files ...billZipFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Store,
			Modified: time.Date(2026, 11, 23, 5, 46, 49, 0, time.UTC)}
		if !f.utf8 {
			h.Name, h.NonUTF8 = string(gbk(t, f.name)), true
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sampleBillZip is the golden bill's zip as built from the lines above.
func sampleBillZip(t testing.TB) []byte {
	return billZip(t,
		billZipFile{name: sampleDetailName, body: csvFile(t, sampleDetail, "\r\n")},
		billZipFile{name: sampleSummaryName, body: csvFile(t, sampleSummary, "\r\n")})
}

const sampleBillPath = "testdata/bill/sample.zip"

// TestGoldenTradeBill: the hand-made GBK bill in testdata reads as the
// records it was made of. testdata must be what sampleBillZip builds (go
// test -run TestGoldenTradeBill -update rewrites it).
func TestGoldenTradeBill(t *testing.T) {
	want := sampleBillZip(t)
	if *updateBill {
		if err := os.MkdirAll(filepath.Dir(sampleBillPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sampleBillPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(sampleBillPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Fatalf("%s is not what sampleBillZip builds; run with -update", sampleBillPath)
	}
	if bytes.Contains(data, []byte("业务明细")) {
		t.Fatal("the golden zip holds UTF-8 text; it must be GBK throughout")
	}
	bill, err := ParseTradeBill(data)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, Location())
	if bill.Account != sampleAccount || !bill.From.Equal(day) || !bill.To.Equal(day.AddDate(0, 0, 1)) ||
		!bill.ExportedAt.Equal(time.Date(2026, 11, 23, 5, 46, 49, 0, Location())) ||
		bill.DetailFile != sampleDetailName || bill.SummaryFile != sampleSummaryName {
		t.Errorf("bill header: %q %v %v %v %q %q", bill.Account, bill.From, bill.To, bill.ExportedAt, bill.DetailFile, bill.SummaryFile)
	}
	wantEntries := sampleBillEntries()
	if len(bill.Entries) != len(wantEntries) {
		t.Fatalf("%d entries, want %d: %+v", len(bill.Entries), len(wantEntries), bill.Entries)
	}
	for i := range wantEntries {
		if !reflect.DeepEqual(bill.Entries[i], wantEntries[i]) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, bill.Entries[i], wantEntries[i])
		}
	}
	if !reflect.DeepEqual(bill.Summary, sampleBillSummary()) {
		t.Errorf("summary:\n got %+v\nwant %+v", bill.Summary, sampleBillSummary())
	}
	if got := bill.Entries[0].FinishedAt.Location(); got.String() != "Asia/Shanghai" {
		t.Errorf("times are in %v, want Asia/Shanghai", got)
	}
}

// TestTradeBillColumns: the column lists are Alipay's, in its order.
func TestTradeBillColumns(t *testing.T) {
	if got := strings.Join(TradeBillColumns(), ","); got != sampleDetail[4] {
		t.Errorf("TradeBillColumns:\n%s\nwant\n%s", got, sampleDetail[4])
	}
	if got := strings.Join(TradeBillSummaryColumns(), ","); got != sampleSummary[4] {
		t.Errorf("TradeBillSummaryColumns:\n%s\nwant\n%s", got, sampleSummary[4])
	}
}

// replaceLine returns lines with line i replaced by repl (none: removed).
func replaceLine(lines []string, i int, repl ...string) []string {
	out := append([]string{}, lines[:i]...)
	out = append(out, repl...)
	return append(out, lines[i+1:]...)
}

// withDetail is the golden zip with another detail file.
func withDetail(t testing.TB, detail []byte) []byte {
	return billZip(t, billZipFile{name: sampleDetailName, body: detail},
		billZipFile{name: sampleSummaryName, body: csvFile(t, sampleSummary, "\r\n")})
}

// TestTradeBillVariants: line endings, byte order marks, missing or extra
// '#' lines, other footers, reordered, renamed and extra columns, quoting
// and padding all give the golden records.
func TestTradeBillVariants(t *testing.T) {
	swapColumns := func(lines []string) []string {
		out := append([]string{}, lines...)
		for i := 4; i < 9; i++ {
			f, _ := splitBillLine(out[i])
			f[0], f[24] = f[24], f[0]
			f = append(f, "extra")
			if i == 4 {
				f[len(f)-1] = "实收净额（元）"
			}
			out[i] = strings.Join(f, ",")
		}
		return out
	}
	variants := map[string][]byte{
		"LF line ends":           csvFile(t, sampleDetail, "\n"),
		"no final line end":      gbk(t, strings.Join(sampleDetail, "\r\n")),
		"no header lines":        csvFile(t, sampleDetail[4:], "\r\n"),
		"unknown header line":    csvFile(t, replaceLine(sampleDetail, 1, sampleDetail[1], "#商户名称：[Corner Shop]"), "\r\n"),
		"no footer totals":       csvFile(t, sampleDetail[:10], "\r\n"),
		"one-line footer":        csvFile(t, replaceLine(replaceLine(sampleDetail, 11), 10, "#交易合计：3笔，退款合计：1笔"), "\r\n"),
		"trailing commas":        csvFile(t, replaceLine(sampleDetail, 10, sampleDetail[10]+",,,,,,,,"), "\r\n"),
		"blank lines":            csvFile(t, replaceLine(sampleDetail, 5, "", sampleDetail[5], " ,,,", "\t"), "\r\n"),
		"ASCII parentheses":      csvFile(t, replaceLine(sampleDetail, 4, strings.NewReplacer("（", "(", "）", ")").Replace(sampleDetail[4])), "\r\n"),
		"reordered extra column": csvFile(t, swapColumns(sampleDetail), "\r\n"),
		"spaces and quotes": csvFile(t, replaceLine(sampleDetail, 8,
			`2026112222001400000000000102 , "KT1_20261122120000000_CCCCCC"`+"\t"+`,交易,面包,2026-11-22 12:00:00,  2026-11-22 12:00:01 ,S001,中山路店,wang,T02,abc***@example.com,20.00,18.00,0.00,0.00,0.00,2.00,0.00,"",0.00,0.00,"",-0.11,0.00,"会员价"`), "\r\n"),
	}
	for name, detail := range variants {
		t.Run(name, func(t *testing.T) {
			bill, err := ParseTradeBill(withDetail(t, detail))
			if err != nil {
				t.Fatal(err)
			}
			want := sampleBillEntries()
			if len(bill.Entries) != len(want) {
				t.Fatalf("%d entries: %+v", len(bill.Entries), bill.Entries)
			}
			for i := range want {
				got := bill.Entries[i]
				got.Line, want[i].Line = 0, 0
				if name == "reordered extra column" {
					if got.Other["实收净额（元）"] != "extra" {
						t.Errorf("entry %d: unknown column: %v", i, got.Other)
					}
					got.Other = nil
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("entry %d:\n got %+v\nwant %+v", i, got, want[i])
				}
			}
		})
	}
}

// TestTradeBillWithoutRows: a day without trades is a bill with no
// entries, not an error; its summary has only the 合计 row.
func TestTradeBillWithoutRows(t *testing.T) {
	detail := append(append([]string{}, sampleDetail[:5]...), sampleDetail[9],
		"#交易合计：0笔，商家实收共0.00元，商家优惠共0.00元", "#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元", sampleDetail[12])
	summary := append(append([]string{}, sampleSummary[:5]...),
		"合计,,0,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00", sampleSummary[8], sampleSummary[9])
	bill, err := ParseTradeBill(billZip(t, billZipFile{name: sampleDetailName, body: csvFile(t, detail, "\r\n")},
		billZipFile{name: sampleSummaryName, body: csvFile(t, summary, "\r\n")}))
	if err != nil {
		t.Fatal(err)
	}
	if len(bill.Entries) != 0 || bill.Summary == nil || len(bill.Summary.Stores) != 0 || bill.Summary.Total.Line != 6 || bill.Account != sampleAccount {
		t.Errorf("empty bill: %+v %+v", bill, bill.Summary)
	}
}

// TestTradeBillZipNames: the files are found by their names' endings,
// wherever they are in the zip and however the names are encoded; other
// files are left alone; a zip without a summary is read without one.
func TestTradeBillZipNames(t *testing.T) {
	detail, summary := csvFile(t, sampleDetail, "\r\n"), csvFile(t, sampleSummary, "\r\n")
	cases := map[string][]billZipFile{
		"UTF-8 names": {{name: sampleDetailName, body: detail, utf8: true}, {name: sampleSummaryName, body: summary, utf8: true}},
		"in a folder": {{name: "bill/" + sampleDetailName, body: detail}, {name: "bill/" + sampleSummaryName, body: summary}},
		"full-width parentheses and another file": {{name: "20880000000000120156_20261122_账务明细.csv", body: []byte("x")},
			{name: sampleAccount + "_20261122_业务明细（汇总）.csv", body: summary}, {name: sampleDetailName, body: detail}},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			bill, err := ParseTradeBill(billZip(t, files...))
			if err != nil {
				t.Fatal(err)
			}
			if len(bill.Entries) != 4 || bill.Summary == nil || bill.Summary.Total.Trades != 3 {
				t.Errorf("bill %+v", bill)
			}
		})
	}
	bill, err := ParseTradeBill(billZip(t, billZipFile{name: sampleDetailName, body: detail}))
	if err != nil || bill.Summary != nil || bill.SummaryFile != "" || len(bill.Entries) != 4 {
		t.Errorf("without a summary: %+v, %v", bill, err)
	}
}

// billErr returns err as a *BillError, failing the test if it is not one
// with the given problem.
func billErr(t *testing.T, err error, problem error) *BillError {
	t.Helper()
	var be *BillError
	if !errors.As(err, &be) || !errors.Is(err, ErrBadBill) || !errors.Is(err, problem) {
		t.Fatalf("error %v (%T), want a *BillError with %v", err, err, problem)
	}
	if be.Error() == "" || !strings.Contains(be.Error(), problem.Error()) {
		t.Errorf("message %q does not say %q", be.Error(), problem)
	}
	return be
}

// TestBadTradeBillZips: what is not a zip, a cut or damaged zip, and a zip
// without the right files give typed errors saying so.
func TestBadTradeBillZips(t *testing.T) {
	good := sampleBillZip(t)
	damaged := bytes.Clone(good)
	damaged[bytes.Index(damaged, gbk(t, "热咖啡"))] ^= 0xff // the CRC no longer matches
	cases := []struct {
		name    string
		data    []byte
		problem error
		file    string
		says    string
	}{
		{"empty", nil, ErrBillNotZip, "", "no bytes at all"},
		{"an error page", gbk(t, "下载超时，请重新下载"), ErrBillNotZip, "", "下载超时"},
		{"cut in half", good[:len(good)/2], ErrBillNotZip, "", ""},
		{"cut before the directory end", good[:len(good)-10], ErrBillNotZip, "", ""},
		{"damaged entry", damaged, ErrBillZipDamaged, sampleDetailName, "checksum"},
		{"no files", billZip(t), ErrBillFileMissing, "", "an empty zip"},
		{"only a summary", billZip(t, billZipFile{name: sampleSummaryName, body: []byte("x")}), ErrBillFileMissing, "", sampleSummaryName},
		{"two details", billZip(t, billZipFile{name: sampleDetailName, body: nil}, billZipFile{name: "b/" + sampleDetailName, body: nil}),
			ErrBillFileTwice, "", sampleDetailName},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bill, err := ParseTradeBill(c.data)
			if bill != nil {
				t.Errorf("a bill with the error: %+v", bill)
			}
			be := billErr(t, err, c.problem)
			if be.File != c.file || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q: file %q, want %q saying %q", err, be.File, c.file, c.says)
			}
		})
	}
}

// TestBadTradeBillFiles: a file cut short, a missing or broken header, a
// value that cannot be read or totals that do not add up give typed
// errors naming the file, the line and the column.
func TestBadTradeBillFiles(t *testing.T) {
	header := sampleDetail[4]
	row := 6 // the index of the 12.34 payment in sampleDetail, on line 7
	setField := func(i, col int, v string) []string {
		f, _ := splitBillLine(sampleDetail[i])
		f[col] = v
		return replaceLine(sampleDetail, i, strings.Join(f, ","))
	}
	cases := []struct {
		name    string
		lines   []string
		problem error
		line    int
		column  string
		says    string
	}{
		{"cut after a row", sampleDetail[:8], ErrBillTruncated, 8, "", "ends before"},
		{"cut in a row", append(append([]string{}, sampleDetail[:7]...), sampleDetail[7][:40]), ErrBillField, 8, "", "values where the header names 25"},
		{"only header lines", sampleDetail[:4], ErrBillHeader, 0, "", "no row naming the columns"},
		{"nothing", nil, ErrBillHeader, 0, "", "no row naming the columns"},
		{"required column missing", replaceLine(sampleDetail, 4, strings.Replace(header, "完成时间", "付款时间", 1)), ErrBillHeader, 5, "", "no column 完成时间"},
		{"column twice", replaceLine(sampleDetail, 4, strings.Replace(header, "备注", "商户订单号", 1)), ErrBillHeader, 5, "", "商户订单号 appears twice"},
		{"alias twice", replaceLine(sampleDetail, 4, strings.Replace(header, "备注", "退款批次号", 1)), ErrBillHeader, 5, "", "appears twice"},
		{"malformed amount", setField(row, 11, "12.3x"), ErrBillField, 7, "订单金额（元）", `"12.3x"`},
		{"three decimals", setField(row, 12, "12.345"), ErrBillField, 7, "商家实收（元）", "more than two decimals"},
		{"blank amount", setField(row, 12, "\t"), ErrBillField, 7, "商家实收（元）", "blank"},
		{"bad time", setField(row, 5, "2026/11/22 09:30:12"), ErrBillField, 7, "完成时间", "not a time"},
		{"no trade number", setField(row, 0, " "), ErrBillField, 7, "支付宝交易号", "blank"},
		{"unknown kind", setField(row, 2, "冻结"), ErrBillField, 7, "业务类型", "neither 交易 nor 退款"},
		{"value past the header", replaceLine(sampleDetail, row, sampleDetail[row]+",x"), ErrBillField, 7, "", `value "x" after the last column`},
		{"open quote", setField(row, 3, `"热咖啡`), ErrBillField, 7, "", "unbalanced quotes"},
		{"row after the end", append(append([]string{}, sampleDetail...), sampleDetail[row]), ErrBillField, 14, "", "after the end"},
		{"payment count", replaceLine(sampleDetail, 10, "#交易合计：4笔，商家实收共35.34元，商家优惠共2.00元"), ErrBillMismatch, 11, "", "交易合计 (payments) is 4, the rows add up to 3"},
		{"refund count", replaceLine(sampleDetail, 11, "#退款合计：0笔"), ErrBillMismatch, 12, "", "退款合计 (refunds) is 0, the rows add up to 1"},
		{"payments sum", replaceLine(sampleDetail, 10, "#交易合计：3笔，商家实收共35.43元，商家优惠共2.00元"), ErrBillMismatch, 11, "", "is 35.43, the rows add up to 35.34"},
		{"refunds sum", replaceLine(sampleDetail, 11, "#退款合计：1笔，商家实收退款共-1.00元"), ErrBillMismatch, 12, "", "-1.00"},
		{"bad period", replaceLine(sampleDetail, 2, "#起始日期：[2026年13月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]"), ErrBillField, 3, "起始日期", "not a time"},
		{"huge footer count", replaceLine(sampleDetail, 10, "#交易合计：99999999999999999999笔"), ErrBillField, 11, "交易合计", "range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTradeBill(withDetail(t, csvFile(t, c.lines, "\r\n")))
			be := billErr(t, err, c.problem)
			if be.File != sampleDetailName || be.Line != c.line || be.Column != c.column || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q\nfile %q line %d column %q, want line %d column %q saying %q", err, be.File, be.Line, be.Column, c.line, c.column, c.says)
			}
		})
	}
}

// TestBadTradeBillSummaries: the summary is checked as the detail is.
func TestBadTradeBillSummaries(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		problem error
		line    int
		says    string
	}{
		{"cut", sampleSummary[:7], ErrBillTruncated, 7, "ends before"},
		{"no total", replaceLine(sampleSummary, 7), ErrBillTruncated, 9, "no 合计"},
		{"two totals", replaceLine(sampleSummary, 7, sampleSummary[7], sampleSummary[7]), ErrBillField, 9, "second 合计"},
		{"bad count", replaceLine(sampleSummary, 5, "S001,中山路店,2.5,1,30.34,28.34,0.00,2.00,0.00,-0.18,0.00,28.16"), ErrBillField, 6, "not a count"},
		{"no header", sampleSummary[:4], ErrBillHeader, 0, "no row naming"},
		{"missing column", replaceLine(sampleSummary, 4, strings.Replace(sampleSummary[4], "退款订单总笔数", "退款笔数", 1)), ErrBillHeader, 5, "no column 退款订单总笔数"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTradeBill(billZip(t, billZipFile{name: sampleDetailName, body: csvFile(t, sampleDetail, "\r\n")},
				billZipFile{name: sampleSummaryName, body: csvFile(t, c.lines, "\r\n")}))
			be := billErr(t, err, c.problem)
			if be.File != sampleSummaryName || be.Line != c.line || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q: file %q line %d, want line %d saying %q", err, be.File, be.Line, c.line, c.says)
			}
		})
	}
}

// TestTradeBillNotGBK: a bill saved as UTF-8 is refused with a message
// that says so, rather than a list of garbled column names alone.
func TestTradeBillNotGBK(t *testing.T) {
	for _, c := range []struct {
		name string
		body []byte
		line int
		says string
	}{
		{"UTF-8", []byte(strings.Join(sampleDetail, "\r\n")), 5, "it was not written in GBK"},
		{"UTF-8 BOM", []byte("\ufeff" + strings.Join(sampleDetail, "\r\n")), 1, "UTF-8 byte order mark"},
	} {
		_, err := ParseTradeBill(withDetail(t, c.body))
		if be := billErr(t, err, ErrBillHeader); be.Line != c.line || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestTradeBillTooLarge: an entry that inflates beyond the limit is
// refused before it is read; one that inflates beyond what the zip says
// is a damaged zip.
func TestTradeBillTooLarge(t *testing.T) {
	defer func(n int64) { maxBillFileBytes = n }(maxBillFileBytes)
	maxBillFileBytes = 1000
	_, err := ParseTradeBill(sampleBillZip(t))
	if be := billErr(t, err, ErrBillTooLarge); be.File != sampleDetailName {
		t.Errorf("too large: %v", err)
	}

	// A zip whose header claims a small size for a large entry.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: sampleDetailName, Method: zip.Store,
		CompressedSize64: 2000, UncompressedSize64: 10, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Repeat([]byte("#"), 2000))
	zw.Close()
	_, err = ParseTradeBill(buf.Bytes())
	billErr(t, err, ErrBillZipDamaged)
}

// TestSplitBillLine covers the corners of the field splitter.
func TestSplitBillLine(t *testing.T) {
	cases := map[string][]string{
		``:                  {""},
		`a`:                 {"a"},
		`a,`:                {"a", ""},
		`,`:                 {"", ""},
		`a\t,b`:             {`a\t`, "b"},
		`"a,b",c`:           {"a,b", "c"},
		`"a""b"`:            {`a"b`},
		` "a" ,b`:           {"a", "b"},
		"\"a\"\t,\"\"":      {"a", ""},
		`x"y,z`:             {`x"y`, "z"},
		`"",""`:             {"", ""},
		`"a"` + "\t":        {"a"},
		`a,"b",,"c"` + `,d`: {"a", "b", "", "c", "d"},
	}
	for in, want := range cases {
		got, ok := splitBillLine(in)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("splitBillLine(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{`"a`, `"a"b`, `"a""`, `a,"b`, `"a" x,b`} {
		if got, ok := splitBillLine(in); ok {
			t.Errorf("splitBillLine(%q) = %q, want refused", in, got)
		}
	}
}

// TestParseBillAmount covers signs, padding marks and decimals.
func TestParseBillAmount(t *testing.T) {
	for in, want := range map[string]int64{"0.00": 0, "-0.01": -1, "12.34": 1234, "`4878.80": 487880, "29.27000": 2927,
		"-3000.00": -300000, "5": 500, "-0.00": 0, "1.5": 150} {
		if got, err := parseBillAmount(in); err != nil || got != want {
			t.Errorf("parseBillAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", "+1.00", "1.001", "--1", "1e2", "1,00", "¥1.00", "- 1"} {
		if got, err := parseBillAmount(in); err == nil || !errors.Is(err, ErrBadAmount) {
			t.Errorf("parseBillAmount(%q) = %d, %v; want ErrBadAmount", in, got, err)
		}
	}
}
