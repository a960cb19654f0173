package ui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/internal/printertest"
	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// The sale, refund and day the printout tests print: 10:00 UTC is 18:00
// in the shop's zone, which the paper must show.
var (
	printedReceipt = pos.Receipt{
		ReceiptNo: 7, OutTradeNo: "KT1_20261122180000000_ABCDEF", TradeNo: "2026112222001400001234567890",
		Buyer: "159******88", AmountFen: 1234, Subject: "Corner Shop", PaidAt: testTime, Method: pos.PayByQR,
	}
	slipSale = pos.SaleRecord{
		OutTradeNo: printedReceipt.OutTradeNo, TradeNo: printedReceipt.TradeNo, BuyerLogonID: "159******88",
		ReceiptNo: 7, AmountFen: 1234, Status: pos.StatusPaid, PaidAt: testTime, RefundedFen: 300,
		Refunds: []pos.Refund{{OutRequestNo: "KT1_20261122180000000_ABCDEF-R1", Fen: 300, At: testTime.Add(time.Hour),
			ApprovedBy: "Wang", Reason: "damaged box", Status: pos.RefundDone, DoneAt: testTime.Add(time.Hour + 2*time.Second)}},
	}
	closedDay = pos.Report{
		Date: "2026-11-22", Number: 3, Kind: pos.ReportZ, Terminal: "KT1", CreatedAt: testTime.Add(4 * time.Hour),
		Totals: pos.Totals{Count: 3, Paid: 2, PaidFen: 2468, PartlyRefunded: 1, RefundedFen: 300, NetFen: 2168, Cancelled: 1},
		ByStatus: map[pos.Status]pos.StatusTotals{
			pos.StatusPaid: {Count: 2, Fen: 2468}, pos.StatusCancelled: {Count: 1, Fen: 500},
		},
		ByMethod: map[pos.PayMethod]pos.MethodTotals{
			pos.PayByQR:   {Count: 2, Paid: 1, PaidFen: 1234, RefundedFen: 300},
			pos.PayByCode: {Count: 1, Paid: 1, PaidFen: 1234},
		},
	}
)

func init() {
	closedDay.ByHour[18] = pos.HourTotals{Count: 3, PaidFen: 2468, RefundedFen: 300}
}

func printoutIn(say *words.Words, paper escpos.Paper) Printout {
	shop := "Corner Shop"
	if say == words.Chinese {
		shop = "街角便利店"
	}
	return Printout{Words: say, ShopName: shop, Location: shanghai, Paper: paper}
}

// throughPrinter sends job to a fake network printer on loopback, as the
// kiosk does, and returns the job as the printer got it.
func throughPrinter(t *testing.T, job []byte) []byte {
	t.Helper()
	p := printertest.Start(t)
	if err := escpos.Print(t.Context(), p.Address(), job, escpos.Options{}); err != nil {
		t.Fatal(err)
	}
	got := printertest.Printed(p.Wait(1)[0])
	if !bytes.Equal(got, job) {
		t.Fatalf("the printer got %d bytes, the job has %d", len(got), len(job))
	}
	return got
}

// printGolden compares a job with testdata/printout/NAME.bin and its dump
// (each command or line of text on a line, decoded from GB18030) with
// NAME.txt, the file to read when reviewing a change; go test ./ui
// -update rewrites both.
func printGolden(t *testing.T, name string, job []byte) {
	t.Helper()
	dir := filepath.Join("testdata", "printout")
	bin, txt := filepath.Join(dir, name+".bin"), filepath.Join(dir, name+".txt")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for path, b := range map[string][]byte{bin: job, txt: []byte(printertest.Dump(job))} {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, err := os.ReadFile(bin)
	if err != nil {
		t.Fatalf("%v (go test ./ui -update makes it)", err)
	}
	if !bytes.Equal(job, want) {
		wantText, _ := os.ReadFile(txt)
		t.Errorf("%s differs from the job printed now (review, then go test ./ui -update):\n--- now\n%s--- %s\n%s",
			bin, printertest.Dump(job), txt, wantText)
	}
}

// TestPrintoutGoldens: the exact bytes a printer gets for a receipt, its
// duplicate, a receipt printed late, a refund slip and a Z report, in English and in Chinese, on
// 80 mm paper, and a receipt with its order's QR code and a Z report on 58 mm.
func TestPrintoutGoldens(t *testing.T) {
	dup, late := printedReceipt, printedReceipt
	dup.Duplicate, late.Late = true, true
	for _, say := range words.All {
		p := printoutIn(say, escpos.Paper80)
		tag := say.Lang.Tag
		t.Run(tag, func(t *testing.T) {
			printGolden(t, tag+"-receipt-80mm", throughPrinter(t, p.Receipt(printedReceipt)))
			printGolden(t, tag+"-duplicate-80mm", throughPrinter(t, p.Receipt(dup)))
			printGolden(t, tag+"-late-80mm", throughPrinter(t, p.Receipt(late)))
			printGolden(t, tag+"-refund-80mm", throughPrinter(t, p.Refund(slipSale, slipSale.Refunds[0])))
			printGolden(t, tag+"-zreport-80mm", throughPrinter(t, p.Report(closedDay)))
			p58 := printoutIn(say, escpos.Paper58)
			p58.OrderQR = true
			printGolden(t, tag+"-receipt-58mm-qr", throughPrinter(t, p58.Receipt(printedReceipt)))
			printGolden(t, tag+"-zreport-58mm", throughPrinter(t, p58.Report(closedDay)))
			printGolden(t, tag+"-refund-58mm", throughPrinter(t, p58.Refund(slipSale, slipSale.Refunds[0])))
			printGolden(t, tag+"-hours-58mm", throughPrinter(t, p58.Report(busyDay())))
			printGolden(t, tag+"-hours-80mm", throughPrinter(t, p.Report(busyDay())))
		})
	}
}

// busyDay is closedDay with sales at 04:00 too, and an hour whose figures
// are as wide as a till's hour gets.
func busyDay() pos.Report {
	day := closedDay
	day.ByHour[4] = pos.HourTotals{Count: 3, PaidFen: 1200}
	day.ByHour[23] = pos.HourTotals{Count: 1200, PaidFen: 12345678, RefundedFen: 99999}
	return day
}

// TestPrintedHoursOneLineEach: in both languages and on both papers, the
// hours table's headings are on one line, and each hour's span is on the
// line of its own figures, never above them; the span's dash is ASCII,
// which every printer's font has (the en dash is a GBK code, A8 43).
func TestPrintedHoursOneLineEach(t *testing.T) {
	for _, say := range words.All {
		for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
			p := printoutIn(say, paper)
			job := p.Report(busyDay())
			lines := printertest.Lines(job)
			heading := slices.Index(lines, say.Report.ByHour)
			if heading < 0 || heading+4 >= len(lines) {
				t.Fatalf("%s, %s: no hours table:\n%s", say.Lang.Tag, paper, strings.Join(lines, "\n"))
			}
			table := lines[heading+1 : heading+5]
			rw := &say.Report
			if f := strings.Fields(table[0]); !slices.Equal(f, []string{rw.Hour, rw.Sales, rw.Paid, rw.Refunded}) {
				t.Errorf("%s, %s: the headings are %q, not on one line", say.Lang.Tag, paper, table[0])
			}
			span := map[escpos.Paper]string{escpos.Paper58: "%02d-%02d", escpos.Paper80: "%02d:00-%02d:00"}[paper]
			for i, want := range [][]string{
				{fmt.Sprintf(span, 4, 5), "3", "￥12.00", "￥0.00"},
				{fmt.Sprintf(span, 18, 19), "3", "￥24.68", "￥3.00"},
				{fmt.Sprintf(span, 23, 0), "1200", "￥123456.78", "￥999.99"},
			} {
				if f := strings.Fields(table[i+1]); !slices.Equal(f, want) {
					t.Errorf("%s, %s: hour line %q, want %q", say.Lang.Tag, paper, table[i+1], strings.Join(want, " "))
				}
			}
			if bytes.Contains(job, []byte("\xa8\x43")) {
				t.Errorf("%s, %s: the job has an en dash (A8 43)", say.Lang.Tag, paper)
			}
		}
	}
}

// TestPrintedChineseDecodesBack reads the GB18030 text of the Chinese
// jobs back, as the printer prints it: the shop's name, the words of the
// catalogue, the amount in yuan, the time in the shop's zone, every
// number whole, and 重打印 on the duplicate only.
func TestPrintedChineseDecodesBack(t *testing.T) {
	p := printoutIn(words.Chinese, escpos.Paper58)
	text := func(job []byte) string { return strings.Join(printertest.Lines(throughPrinter(t, job)), "\n") }
	receipt := text(p.Receipt(printedReceipt))
	for _, want := range []string{"街角便利店", "收款凭证", "小票号", "0007", "付款时间", "2026-11-22 18:00:00", "￥12.34",
		"支付方式", "支付宝扫码支付", "支付宝交易号", printedReceipt.TradeNo, "商户订单号", printedReceipt.OutTradeNo, "159******88"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the receipt does not print %q:\n%s", want, receipt)
		}
	}
	byCode := printedReceipt
	byCode.Method = pos.PayByCode
	if c := text(p.Receipt(byCode)); !strings.Contains(c, "支付宝付款码支付") {
		t.Errorf("a receipt paid by payment code does not say so:\n%s", c)
	}
	if strings.Contains(receipt, "重打印") {
		t.Errorf("the first receipt says 重打印:\n%s", receipt)
	}
	dup := printedReceipt
	dup.Duplicate = true
	if d := text(p.Receipt(dup)); !strings.Contains(d, "重打印") {
		t.Errorf("the duplicate does not say 重打印:\n%s", d)
	}
	slip := text(p.Refund(slipSale, slipSale.Refunds[0]))
	for _, want := range []string{"退款凭证", "退款金额", "￥3.00", "原交易金额", "￥12.34", "退款单号", "KT1_20261122180000000_ABCDEF-R1", "2026-11-22 19:00:02"} {
		if !strings.Contains(slip, want) {
			t.Errorf("the refund slip does not print %q:\n%s", want, slip)
		}
	}
	z := text(p.Report(closedDay))
	for _, want := range []string{"按支付方式", "付款码", "Z 报表（日结）第 0003 号", "营业日", "2026-11-22", "日结时间", "2026-11-22 22:00:00", "净收款", "￥21.68", "18-19"} {
		if !strings.Contains(z, want) {
			t.Errorf("the Z report does not print %q:\n%s", want, z)
		}
	}
}

// TestPrintoutFitsThePaper: no line of any job is wider than its paper,
// as the printer measures (a Chinese character takes two columns).
func TestPrintoutFitsThePaper(t *testing.T) {
	for _, say := range words.All {
		for _, paper := range []escpos.Paper{escpos.Paper58, escpos.Paper80} {
			p := printoutIn(say, paper)
			for _, job := range [][]byte{p.Receipt(printedReceipt), p.Refund(slipSale, slipSale.Refunds[0]), p.Report(closedDay), p.Report(busyDay())} {
				for _, line := range printertest.Lines(job) {
					if w := escpos.Width(line); w > paper.Columns() {
						t.Errorf("%s, %s: %q takes %d columns of %d", say.Lang.Tag, paper, line, w, paper.Columns())
					}
				}
			}
		}
	}
}
