package emulator

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"kiosk/alipay"
)

// beijing is a Beijing wall-clock time on the test's days.
func beijing(day, hour, minute, second int) time.Time {
	return time.Date(2026, 11, day, hour, minute, second, 0, alipay.Location())
}

// billDay sets up the trades of the bill tests, on a clock that starts
// on 21 November and ends on the 23rd:
//
//	OLD    paid on the 21st, refunded 1.00 (R-OLD) on the 22nd 09:00
//	LATE   created 21st 23:59, paid 22nd 00:00:30
//	QR     store S1 terminal T1, paid 22nd 10:30, refunded 2.00 (R1) at 10:35
//	BAR    a buyer code charged at 10:40, terminal T2
//	FULL   paid 10:45, cancelled (refunded in full) 10:50
//	OPEN   scanned, never paid; NEVER never scanned
//	NEXT   paid 23rd 00:00:01
func billDay(t *testing.T) (*harness, *testClock) {
	clock := &testClock{now: beijing(21, 10, 0, 0)}
	h := newHarnessWith(t, func(c *Config) { c.Now = clock.Now })
	pay := func(no string) {
		t.Helper()
		if err := h.e.Pay(no); err != nil {
			t.Fatal(err)
		}
	}
	at := func(day, hour, minute, second int) { clock.now = beijing(day, hour, minute, second) }
	h.precreate("OLD", "4.00")
	pay("OLD")
	at(21, 23, 59, 0)
	h.precreate("LATE", "5.00")
	at(22, 0, 0, 30)
	pay("LATE")
	at(22, 9, 0, 0)
	wantCode(t, h.refund("OLD", "1.00", "R-OLD"), "10000", "")
	at(22, 10, 30, 0)
	wantCode(t, h.call(methodPrecreate, `{"out_trade_no":"QR","total_amount":"12.34","subject":"咖啡, \"大杯\"","store_id":"S1","terminal_id":"T1"}`), "10000", "")
	pay("QR")
	at(22, 10, 35, 0)
	wantCode(t, h.refund("QR", "2.00", "R1"), "10000", "")
	at(22, 10, 40, 0)
	code := issue(t, h.e, BuyerCodePay)
	wantCode(t, h.call(alipay.MethodPay, `{"out_trade_no":"BAR","scene":"bar_code","auth_code":"`+code+`","subject":"Tea 😀","total_amount":"3.00","terminal_id":"T2"}`), "10000", "")
	at(22, 10, 45, 0)
	h.precreate("FULL", "8.88")
	pay("FULL")
	at(22, 10, 50, 0)
	wantCode(t, h.cancel("FULL"), "10000", "")
	h.precreate("OPEN", "1.00")
	if err := h.e.Scan("OPEN"); err != nil {
		t.Fatal(err)
	}
	h.precreate("NEVER", "1.00")
	at(23, 0, 0, 1)
	h.precreate("NEXT", "6.00")
	pay("NEXT")
	at(23, 9, 0, 0)
	return h, clock
}

// billLink asks the gateway for the trade bill of date.
func (h *harness) billLink(date string) string {
	h.t.Helper()
	got := h.call(methodBillURL, `{"bill_type":"trade","bill_date":"`+date+`"}`)
	wantCode(h.t, got, "10000", "")
	return got["bill_download_url"]
}

// download fetches a bill link and returns the status and body.
func download(t *testing.T, link string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// TestBillLink: the link has the shape of Alipay's, for a day or a month;
// a period not begun, another bill type or a bad date is refused.
func TestBillLink(t *testing.T) {
	h, _ := billDay(t)
	link := h.billLink("2026-11-22")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	account := DefaultSellerID + "0156"
	wantQuery := "bizType=trade&userId=" + account + "&fileType=csv.zip&bizDates=20261122&downloadFileName=" + account + "_20261122.csv.zip&timestamp=" +
		strconv.FormatInt(beijing(23, 9, 0, 0).UnixMilli(), 10) + "&token="
	if u.Scheme+"://"+u.Host != h.srv.URL || u.Path != "/downloadBillFile.resource" || !strings.HasPrefix(u.RawQuery, wantQuery) ||
		len(u.Query().Get("token")) != 64 {
		t.Errorf("link %s\nwant %s%s?%s<64 hex digits>", link, h.srv.URL, "/downloadBillFile.resource", wantQuery)
	}
	if month := h.billLink("2026-11"); !strings.Contains(month, "&bizDates=202611&downloadFileName="+account+"_202611.csv.zip&") {
		t.Errorf("monthly link %s", month)
	}
	wantCode(t, h.call(methodBillURL, `{"bill_type":"trade","bill_date":"2026-11-24"}`), "40004", "isp.bill_not_exist")
	wantCode(t, h.call(methodBillURL, `{"bill_type":"trade","bill_date":"2026-12"}`), "40004", "isp.bill_not_exist")
	for _, biz := range []string{`{"bill_type":"signcustomer","bill_date":"2026-11-22"}`, `{"bill_date":"2026-11-22"}`,
		`{"bill_type":"trade","bill_date":"2026-11-31"}`, `{"bill_type":"trade","bill_date":"20261122"}`, `{"bill_type":"trade"}`} {
		wantCode(t, h.call(methodBillURL, biz), "40002", "isv.invalid-parameter")
	}
}

// TestBillLinkExpires: a link works for 30 seconds and only as it was
// handed out; another day, account or time, or no token, is refused.
func TestBillLinkExpires(t *testing.T) {
	h, clock := billDay(t)
	link := h.billLink("2026-11-22")
	clock.Advance(billLinkLife)
	if status, _ := download(t, link); status != http.StatusOK {
		t.Errorf("after 30 s: %d", status)
	}
	clock.Advance(time.Millisecond)
	if status, body := download(t, link); status != http.StatusGone || !strings.Contains(string(body), "下载超时，请重新下载") {
		t.Errorf("after 30 s and 1 ms: %d %s", status, body)
	}
	fresh := h.billLink("2026-11-22")
	for _, bad := range []string{
		strings.Replace(fresh, "bizDates=20261122", "bizDates=20261121", 1),
		strings.Replace(fresh, "userId=2088", "userId=3088", 1),
		strings.Replace(fresh, "&timestamp=", "&timestamp=1", 1),
		strings.Replace(fresh, "fileType=csv.zip", "fileType=xls.zip", 1),
		fresh[:strings.Index(fresh, "&token=")],
		h.srv.URL + "/downloadBillFile.resource",
	} {
		if status, _ := download(t, bad); status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, status)
		}
	}
}

// TestBillZip: the zip holds the detail and the summary under GBK names,
// GBK text with Alipay's header and footer lines, the real columns and the
// tab-padded values, one row per payment and per refund of the day in the
// order they happened; it reads back with alipay.ParseTradeBill.
func TestBillZip(t *testing.T) {
	h, _ := billDay(t)
	status, data := download(t, h.billLink("2026-11-22"))
	if status != http.StatusOK {
		t.Fatalf("download: %d %s", status, data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) != 2 {
		t.Fatalf("zip: %v, %d files", err, len(zr.File))
	}
	account := DefaultSellerID + "0156"
	files := map[string][]string{}
	for i, want := range []string{account + "_20261122_业务明细.csv", account + "_20261122_业务明细(汇总).csv"} {
		f := zr.File[i]
		name, _ := simplifiedchinese.GBK.NewDecoder().String(f.Name)
		if name != want || f.Flags&0x800 != 0 || f.Method != zip.Deflate || strings.Contains(f.Name, "业务") {
			t.Errorf("file %d: %q (raw %q), flags %#x, method %d; want %q in GBK", i, name, f.Name, f.Flags, f.Method, want)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(rc)
		rc.Close()
		text, err := simplifiedchinese.GBK.NewDecoder().String(string(raw))
		if err != nil || strings.Contains(string(raw), "业务") {
			t.Fatalf("%s is not GBK: %v", want, err)
		}
		if !strings.HasSuffix(text, "\r\n") {
			t.Errorf("%s does not end its last line", want)
		}
		files[want] = strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	}
	qr, _ := h.e.Trade("QR")
	bar, _ := h.e.Trade("BAR")
	detail := files[account+"_20261122_业务明细.csv"]
	wantDetail := map[int]string{
		0: "#支付宝业务明细查询",
		1: "#账号：[" + account + "]",
		2: "#起始日期：[2026年11月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]",
		3: "#-----------------------------------------业务明细列表----------------------------------------",
		4: "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注",
		7: qr.TradeNo + "\t,QR\t,交易\t,\"咖啡, \"\"大杯\"\"\",2026-11-22 10:30:00,2026-11-22 10:30:00,S1\t,\t,\t,T1\t," + qr.BuyerLogonID +
			"\t,12.34,12.34,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,",
		8: qr.TradeNo + "\t,QR\t,退款\t,\"咖啡, \"\"大杯\"\"\",2026-11-22 10:30:00,2026-11-22 10:35:00,S1\t,\t,\t,T1\t," + qr.BuyerLogonID +
			"\t,-2.00,-2.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,R1\t,0.00,0.00,",
		9: bar.TradeNo + "\t,BAR\t,交易\t,Tea ?,2026-11-22 10:40:00,2026-11-22 10:40:00,\t,\t,\t,T2\t," + bar.BuyerLogonID +
			"\t,3.00,3.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.00,0.00,",
		12: "#-----------------------------------------业务明细列表结束------------------------------------",
		13: "#交易合计：4笔，商家实收共29.22元，商家优惠共0.00元",
		14: "#退款合计：3笔，商家实收退款共-11.88元，商家优惠退款共0.00元",
		15: "#导出时间：[2026年11月23日 09:00:00]",
	}
	if len(detail) != 16 {
		t.Fatalf("detail has %d lines:\n%s", len(detail), strings.Join(detail, "\n"))
	}
	for i, want := range wantDetail {
		if detail[i] != want {
			t.Errorf("detail line %d:\n got %q\nwant %q", i+1, detail[i], want)
		}
	}
	summary := files[account+"_20261122_业务明细(汇总).csv"]
	wantSummary := []string{
		"#支付宝业务汇总查询",
		"#账号：[" + account + "]",
		"#起始日期：[2026年11月22日 00:00:00]   终止日期：[2026年11月23日 00:00:00]",
		"#-----------------------------------------业务汇总列表----------------------------------------",
		"门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）",
		"\t,\t,3,2,7.00,7.00,0.00,0.00,0.00,0.00,0.00,7.00",
		"S1\t,\t,1,1,10.34,10.34,0.00,0.00,0.00,0.00,0.00,10.34",
		"合计\t,\t,4,3,17.34,17.34,0.00,0.00,0.00,0.00,0.00,17.34",
		"#----------------------------------------业务汇总列表结束-------------------------------------",
		"#导出时间：[2026年11月23日 09:00:00]",
	}
	if strings.Join(summary, "\n") != strings.Join(wantSummary, "\n") {
		t.Errorf("summary:\n%s\nwant\n%s", strings.Join(summary, "\n"), strings.Join(wantSummary, "\n"))
	}

	bill, err := alipay.ParseTradeBill(data)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		no       string
		kind     alipay.BillKind
		fen      int64
		created  time.Time
		finished time.Time
		request  string
	}
	want := []row{
		{"LATE", alipay.BillTrade, 500, beijing(21, 23, 59, 0), beijing(22, 0, 0, 30), ""},
		{"OLD", alipay.BillRefund, -100, beijing(21, 10, 0, 0), beijing(22, 9, 0, 0), "R-OLD"},
		{"QR", alipay.BillTrade, 1234, beijing(22, 10, 30, 0), beijing(22, 10, 30, 0), ""},
		{"QR", alipay.BillRefund, -200, beijing(22, 10, 30, 0), beijing(22, 10, 35, 0), "R1"},
		{"BAR", alipay.BillTrade, 300, beijing(22, 10, 40, 0), beijing(22, 10, 40, 0), ""},
		{"FULL", alipay.BillTrade, 888, beijing(22, 10, 45, 0), beijing(22, 10, 45, 0), ""},
		{"FULL", alipay.BillRefund, -888, beijing(22, 10, 45, 0), beijing(22, 10, 50, 0), ""},
	}
	if len(bill.Entries) != len(want) {
		t.Fatalf("%d entries: %+v", len(bill.Entries), bill.Entries)
	}
	for i, w := range want {
		e := bill.Entries[i]
		tr, _ := h.e.Trade(w.no)
		if e.OutTradeNo != w.no || e.TradeNo != tr.TradeNo || e.Kind != w.kind || e.TotalFen != w.fen || e.ReceivedFen != w.fen ||
			!e.CreatedAt.Equal(w.created) || !e.FinishedAt.Equal(w.finished) || e.OutRequestNo != w.request || e.BuyerAccount != tr.BuyerLogonID {
			t.Errorf("entry %d: %+v\nwant %+v", i, e, w)
		}
	}
	if bill.Account != account || !bill.From.Equal(beijing(22, 0, 0, 0)) || !bill.To.Equal(beijing(23, 0, 0, 0)) ||
		bill.Summary == nil || bill.Summary.Total.Trades != 4 || bill.Summary.Total.Refunds != 3 || bill.Summary.Total.NetFen != 1734 {
		t.Errorf("bill %+v, summary %+v", bill, bill.Summary)
	}
}

// TestBillOtherPeriods: the 21st has OLD's payment only; the month has
// every payment and refund; a day without trades is a bill without rows.
func TestBillOtherPeriods(t *testing.T) {
	h, _ := billDay(t)
	read := func(date string) *alipay.TradeBill {
		t.Helper()
		status, data := download(t, h.billLink(date))
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", date, status, data)
		}
		bill, err := alipay.ParseTradeBill(data)
		if err != nil {
			t.Fatalf("%s: %v", date, err)
		}
		return bill
	}
	if b := read("2026-11-21"); len(b.Entries) != 1 || b.Entries[0].OutTradeNo != "OLD" || b.Entries[0].Kind != alipay.BillTrade {
		t.Errorf("the 21st: %+v", b.Entries)
	}
	month := read("2026-11")
	if len(month.Entries) != 9 || !month.From.Equal(beijing(1, 0, 0, 0)) || !month.To.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, alipay.Location())) ||
		!strings.HasSuffix(month.DetailFile, "_202611_业务明细.csv") {
		t.Errorf("the month: %d entries from %v to %v in %s", len(month.Entries), month.From, month.To, month.DetailFile)
	}
	empty := read("2026-11-20")
	if len(empty.Entries) != 0 || empty.Summary == nil || len(empty.Summary.Stores) != 0 || empty.Summary.Total.Trades != 0 {
		t.Errorf("a day without trades: %+v %+v", empty, empty.Summary)
	}
}

// TestBillRoundTrip: the real client asks for the bill (v2 and v3),
// downloads it and reads it: a sale paid by QR code, its partial refund
// and a payment code charged, in Beijing time.
func TestBillRoundTrip(t *testing.T) {
	for _, protocol := range []alipay.Protocol{alipay.ProtocolV2, alipay.ProtocolV3} {
		t.Run(string(protocol), func(t *testing.T) {
			clock := &testClock{now: beijing(22, 10, 30, 0)}
			s := startServer(t, func(c *Config) { c.Now = clock.Now })
			k := testKeys(t)
			c, err := alipay.NewClient(alipay.Config{AppID: DefaultAppID, PrivateKey: k.AppPrivate, AlipayPublicKey: k.AlipayPublic,
				Gateway: s.GatewayURL(), Protocol: protocol}, alipay.WithClock(clock.Now))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 1234, Subject: "热咖啡", StoreID: "S1", TerminalID: "T1"}); err != nil {
				t.Fatal(err)
			}
			if err := s.Pay("K1"); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
			if _, err := c.Refund(ctx, &alipay.RefundRequest{OutTradeNo: "K1", RefundFen: 234, OutRequestNo: "K1_R1"}); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
			code, err := s.IssueBuyerCode(BuyerCodePay)
			if err != nil {
				t.Fatal(err)
			}
			if paid, err := c.Pay(ctx, &alipay.PayRequest{OutTradeNo: "K2", AuthCode: code, Subject: "茶", TotalFen: 500, TerminalID: "T2"}); err != nil || !paid.TradeStatus.Paid() {
				t.Fatalf("Pay = %+v, %v", paid, err)
			}
			bill, err := c.TradeBill(ctx, "2026-11-22")
			if err != nil {
				t.Fatal(err)
			}
			k1, _ := s.Trade("K1")
			k2, _ := s.Trade("K2")
			want := []alipay.BillEntry{
				{Line: 6, TradeNo: k1.TradeNo, OutTradeNo: "K1", Kind: alipay.BillTrade, Subject: "热咖啡", CreatedAt: beijing(22, 10, 30, 0),
					FinishedAt: beijing(22, 10, 30, 0), StoreID: "S1", TerminalID: "T1", BuyerAccount: k1.BuyerLogonID, TotalFen: 1234, ReceivedFen: 1234},
				{Line: 7, TradeNo: k1.TradeNo, OutTradeNo: "K1", Kind: alipay.BillRefund, Subject: "热咖啡", CreatedAt: beijing(22, 10, 30, 0),
					FinishedAt: beijing(22, 10, 31, 0), StoreID: "S1", TerminalID: "T1", BuyerAccount: k1.BuyerLogonID, TotalFen: -234, ReceivedFen: -234,
					OutRequestNo: "K1_R1"},
				{Line: 8, TradeNo: k2.TradeNo, OutTradeNo: "K2", Kind: alipay.BillTrade, Subject: "茶", CreatedAt: beijing(22, 10, 32, 0),
					FinishedAt: beijing(22, 10, 32, 0), TerminalID: "T2", BuyerAccount: k2.BuyerLogonID, TotalFen: 500, ReceivedFen: 500},
			}
			if len(bill.Entries) != len(want) {
				t.Fatalf("%d entries: %+v", len(bill.Entries), bill.Entries)
			}
			for i := range want {
				got := bill.Entries[i]
				if !got.CreatedAt.Equal(want[i].CreatedAt) || !got.FinishedAt.Equal(want[i].FinishedAt) || got.FinishedAt.Location() != alipay.Location() {
					t.Errorf("entry %d times: %v %v", i, got.CreatedAt, got.FinishedAt)
				}
				got.CreatedAt, got.FinishedAt = want[i].CreatedAt, want[i].FinishedAt
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("entry %d:\n got %+v\nwant %+v", i, got, want[i])
				}
			}
			if total := bill.Summary.Total; total.Trades != 2 || total.Refunds != 1 || total.ReceivedFen != 1500 {
				t.Errorf("summary total %+v", total)
			}

			// The link lasts 30 seconds: a late download is refused in a
			// way the client reports, and a new link works.
			link, err := c.BillDownloadURL(ctx, &alipay.BillRequest{BillType: alipay.BillTypeTrade, BillDate: "2026-11-22"})
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(31 * time.Second)
			_, err = c.DownloadBill(ctx, link.BillDownloadURL)
			var de *alipay.BillDownloadError
			if !errors.As(err, &de) || de.Status != http.StatusGone || !strings.Contains(err.Error(), "下载超时") {
				t.Errorf("late download: %v", err)
			}
			if _, err := c.TradeBill(ctx, "2026-11-22"); err != nil {
				t.Errorf("with a new link: %v", err)
			}
		})
	}
}
