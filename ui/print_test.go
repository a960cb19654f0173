package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kiosk/internal/printertest"
	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// netPrinter prints on a network printer as the kiosk does.
type netPrinter struct{ address string }

func (n netPrinter) Print(ctx context.Context, job []byte) error {
	return escpos.Print(ctx, n.address, job, escpos.Options{})
}

// printing is a till with a printer, in the language say, ready for a
// sale; the fake checkout's polls say paid with printedReceipt's facts.
func printing(t *testing.T, f *fakeCheckout, pr Printer, say *words.Words) Model {
	t.Helper()
	f.PollFn = func(s pos.Sale) (pos.PollResult, error) {
		r := printedReceipt
		r.OutTradeNo, r.AmountFen = s.OutTradeNo, s.AmountFen
		return pos.PollResult{Progress: pos.Paid, Receipt: r}, nil
	}
	m := New(f, Options{ShopName: "Corner Shop", Location: shanghai, After: f.after, Words: say, Printer: pr})
	return drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
}

// sellAndPay sells 12.34 and has Alipay's answer say paid.
func sellAndPay(t *testing.T, m Model) Model {
	t.Helper()
	m = drive(t, m, append(typed("12.34"), press("enter"))...)
	return drive(t, m, pollDueMsg{id: m.sale.sale.OutTradeNo, chain: m.sale.pollChain})
}

func ctrlR() tea.KeyPressMsg { return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl} }

func screenHas(t *testing.T, m Model, want ...string) {
	t.Helper()
	s := strings.Join(strings.Fields(screen(m)), "")
	for _, w := range want {
		if !strings.Contains(s, strings.Join(strings.Fields(w), "")) {
			t.Errorf("the screen lacks %q:\n%s", w, screen(m))
		}
	}
}

// TestPaidSalePrintsItsReceipt: once the sale is paid, its receipt goes
// to the printer, and the screen says it printed.
func TestPaidSalePrintsItsReceipt(t *testing.T) {
	p := printertest.Start(t)
	m := sellAndPay(t, printing(t, newFakeCheckout(), netPrinter{p.Address()}, words.English))
	if m.state != stateReceipt {
		t.Fatalf("state %d, want the receipt:\n%s", m.state, screen(m))
	}
	job := printertest.Printed(p.Wait(1)[0])
	text := strings.Join(printertest.Lines(job), "\n")
	for _, want := range []string{"SALES RECEIPT", "No. 0007", m.receipt.OutTradeNo, "￥12.34"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt printed lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "DUPLICATE") {
		t.Errorf("the first receipt says DUPLICATE:\n%s", text)
	}
	screenHas(t, m, "Receipt printed.")
}

// TestOutOfPaperReceiptIsNotPrintedThenReprinted: a printer out of paper
// gets no job, the sale is still paid on screen, the cashier reads why the
// receipt did not print, in English and in Chinese; once paper is in,
// ctrl+r prints it.
func TestOutOfPaperReceiptIsNotPrintedThenReprinted(t *testing.T) {
	for _, tc := range []struct {
		say              *words.Words
		notPrinted, done string
	}{
		{words.English, "Receipt not printed: the printer is out of paper. The sale is paid and recorded.", "Receipt printed."},
		{words.Chinese, "小票未打印：打印机缺纸。交易已收款并记账。", "小票已打印。"},
	} {
		t.Run(tc.say.Lang.Tag, func(t *testing.T) {
			p := printertest.Start(t)
			p.Set(printertest.OutOfPaper)
			f := newFakeCheckout()
			m := sellAndPay(t, printing(t, f, netPrinter{p.Address()}, tc.say))
			if m.state != stateReceipt {
				t.Fatalf("state %d, want the receipt:\n%s", m.state, screen(m))
			}
			if job := printertest.Printed(p.Wait(1)[0]); job != nil {
				t.Errorf("a printer out of paper was sent the job:\n%s", printertest.Dump(job))
			}
			screenHas(t, m, tc.notPrinted, "ctrl+r")

			p.Set(printertest.Ready)
			m = drive(t, m, ctrlR())
			jobs := p.Wait(1)
			if text := strings.Join(printertest.Lines(printertest.Printed(jobs[1])), "\n"); !strings.Contains(text, "0007") {
				t.Errorf("ctrl+r printed:\n%s", text)
			}
			screenHas(t, m, tc.done)
			if m.state != stateReceipt {
				t.Errorf("ctrl+r left the receipt: state %d", m.state)
			}
		})
	}
}

// TestUnpluggedPrinterLosesNoSale: with the printer's cable out the sale
// is paid and on screen, the receipt is said not printed; leaving the
// receipt keeps saying so in the banner; plugged in again, the reprint
// from the ledger prints the duplicate.
func TestUnpluggedPrinterLosesNoSale(t *testing.T) {
	p := printertest.Start(t)
	p.Unplug()
	f := newFakeCheckout()
	sale := slipSale
	f.DayFn = func(date string) (pos.Day, error) { return pos.Day{Date: date, Sales: []pos.SaleRecord{sale}}, nil }
	f.ReprintFn = func(string) (pos.Receipt, error) { return printedReceipt, nil }
	m := sellAndPay(t, printing(t, f, netPrinter{p.Address()}, words.English))
	if m.state != stateReceipt || m.receipt.ReceiptNo != 7 {
		t.Fatalf("the paid sale is not on screen:\n%s", screen(m))
	}
	screenHas(t, m, "Receipt not printed: the printer is not connected or switched off.")

	m = drive(t, m, press("5")) // the next amount: the receipt screen goes
	screenHas(t, m, "Receipt No. 0007 was not printed (the printer is not connected or switched off)")

	p.PlugIn()
	m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("enter"), press("p"))
	if m.manager.page != pageReprint {
		t.Fatalf("page %d, want the reprint:\n%s", m.manager.page, screen(m))
	}
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[0])), "\n")
	if !strings.Contains(text, "** DUPLICATE **") || !strings.Contains(text, "No. 0007") {
		t.Errorf("the reprint printed:\n%s", text)
	}
	screenHas(t, m, "Receipt printed.")
}

// blockedPrinter never finishes a job until the test lets it.
type blockedPrinter struct{ release chan error }

func (b blockedPrinter) Print(context.Context, []byte) error { return <-b.release }

// TestPrintingNeverHoldsTheSale: the print is a command the screen does
// not wait for: while it has not ended, the receipt is on screen, and the
// cashier starts the next sale; when it then fails, the banner says so.
func TestPrintingNeverHoldsTheSale(t *testing.T) {
	f := newFakeCheckout()
	m := printing(t, f, blockedPrinter{make(chan error)}, words.English)
	m = drive(t, m, append(typed("12.34"), press("enter"))...)
	next, cmd := m.Update(polledMsg{id: m.sale.sale.OutTradeNo, chain: offSchedule, result: pos.PollResult{Progress: pos.Paid, Receipt: printedReceipt}})
	m = next.(Model)
	if m.state != stateReceipt || cmd == nil {
		t.Fatalf("state %d, command %v: want the receipt and a print to run", m.state, cmd)
	}
	screenHas(t, m, "Printing the receipt…")
	m = drive(t, m, append(typed("8"), press("enter"))...)
	if m.state != stateWaiting {
		t.Fatalf("the next sale did not start while the receipt printed: state %d", m.state)
	}
	m = drive(t, m, printedMsg{job: printJob{kind: printReceipt, key: printedReceipt.OutTradeNo, receiptNo: 7},
		err: &escpos.Error{Kind: escpos.CoverOpen, Op: "status"}})
	screenHas(t, m, "Receipt No. 0007 was not printed (the printer's cover is open)")
	if m.state != stateWaiting {
		t.Errorf("the failed print changed the sale on screen: state %d", m.state)
	}
}

// TestRefundPrintsItsSlip: a refund Alipay confirmed prints its slip, in
// the kiosk's language; a refund that failed prints nothing.
func TestRefundPrintsItsSlip(t *testing.T) {
	p := printertest.Start(t)
	f := newFakeCheckout()
	sale := slipSale
	sale.RefundedFen, sale.Refunds = 0, nil
	f.DayFn = func(date string) (pos.Day, error) { return pos.Day{Date: date, Sales: []pos.SaleRecord{sale}}, nil }
	m := printing(t, f, netPrinter{p.Address()}, words.Chinese)
	m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("enter"))
	m.manager.page, m.manager.refund = pageRefund, newRefundModel(m.say, sale)
	m.manager.refund.step = refundSending

	m = drive(t, m, refundedMsg{id: sale.OutTradeNo, fen: 300, err: errors.New("refused")})
	if got := p.Jobs(); len(got) != 0 {
		t.Fatalf("a refund not made printed %d job(s)", len(got))
	}
	m.manager.page, m.manager.refund.step = pageRefund, refundSending
	m = drive(t, m, refundedMsg{id: sale.OutTradeNo, fen: 300, sale: slipSale})
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[0])), "\n")
	for _, want := range []string{"退款凭证", "￥3.00", "KT1_20261122180000000_ABCDEF-R1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the slip lacks %q:\n%s", want, text)
		}
	}
	screenHas(t, m, "退款凭证已打印。")
}

// TestClosingTheDayPrintsTheZReport: the Z report prints once the day is
// closed, and p prints the report on screen again.
func TestClosingTheDayPrintsTheZReport(t *testing.T) {
	p := printertest.Start(t)
	f := newFakeCheckout()
	f.CloseDayFn = func(date, _ string) (pos.Report, error) { return closedDay, nil }
	m := printing(t, f, netPrinter{p.Address()}, words.English)
	m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("x"))
	if got := p.Jobs(); len(got) != 0 {
		t.Fatalf("opening the X report printed %d job(s)", len(got))
	}
	m = drive(t, m, append(append([]tea.Msg{press("z"), press("y")}, typed("2468")...), press("enter"))...)
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[0])), "\n")
	if !strings.Contains(text, "Z REPORT No. 0003") || !strings.Contains(text, "￥21.68") {
		t.Errorf("the Z report printed:\n%s", text)
	}
	screenHas(t, m, "Report printed.")
	m = drive(t, m, press("p"))
	if jobs := p.Wait(1); len(printertest.Printed(jobs[1])) == 0 {
		t.Errorf("p printed nothing")
	}
}

// TestNoPrinterNoPrintWords: without a printer nothing is said about
// printing.
func TestNoPrinterNoPrintWords(t *testing.T) {
	m := sellAndPay(t, printing(t, newFakeCheckout(), nil, words.English))
	if s := screen(m); strings.Contains(s, "print") {
		t.Errorf("a kiosk without a printer talks of printing:\n%s", s)
	}
}

// TestQuitWaitsForTheReceiptToPrint: Ctrl+C while the receipt prints
// quits once it has printed, so the customer's receipt is not cut off; a
// second Ctrl+C quits at once. A stop (SIGTERM) waits too.
func TestQuitWaitsForTheReceiptToPrint(t *testing.T) {
	isQuit := func(cmd tea.Cmd) bool {
		if cmd == nil {
			return false
		}
		_, ok := cmd().(tea.QuitMsg)
		return ok
	}
	paidWhilePrinting := func(t *testing.T) Model {
		m := printing(t, newFakeCheckout(), blockedPrinter{make(chan error)}, words.English)
		m = drive(t, m, append(typed("12.34"), press("enter"))...)
		next, _ := m.Update(polledMsg{id: m.sale.sale.OutTradeNo, chain: offSchedule, result: pos.PollResult{Progress: pos.Paid, Receipt: printedReceipt}})
		return next.(Model)
	}
	done := printedMsg{job: printJob{kind: printReceipt, key: printedReceipt.OutTradeNo, receiptNo: 7}}

	m := paidWhilePrinting(t)
	next, cmd := m.Update(press("ctrl+c"))
	if isQuit(cmd) {
		t.Fatal("Ctrl+C quit while the receipt was printing")
	}
	if _, cmd = next.Update(done); !isQuit(cmd) {
		t.Error("the kiosk did not quit once the receipt had printed")
	}
	next, _ = m.Update(press("ctrl+c"))
	if _, cmd = next.Update(press("ctrl+c")); !isQuit(cmd) {
		t.Error("a second Ctrl+C did not quit at once")
	}

	next, cmd = m.Update(StopMsg{Reason: pos.StoppedBy("SIGTERM")})
	if isQuit(cmd) {
		t.Fatal("a stop quit while the receipt was printing")
	}
	if _, cmd = next.Update(done); !isQuit(cmd) {
		t.Error("the stopped kiosk did not quit once the receipt had printed")
	}
}

// TestReprintOutOfPaperPrintsAgainWithP: a duplicate that did not print
// says so, in Chinese, and p prints it again on the same screen.
func TestReprintOutOfPaperPrintsAgainWithP(t *testing.T) {
	p := printertest.Start(t)
	p.Set(printertest.OutOfPaper)
	f := newFakeCheckout()
	f.DayFn = func(date string) (pos.Day, error) { return pos.Day{Date: date, Sales: []pos.SaleRecord{slipSale}}, nil }
	f.ReprintFn = func(string) (pos.Receipt, error) { return printedReceipt, nil }
	m := printing(t, f, netPrinter{p.Address()}, words.Chinese)
	m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("enter"), press("p"))
	p.Wait(1)
	screenHas(t, m, "小票未打印：打印机缺纸。", "处理好打印机后按 p 重新打印。", "p 重打印小票")
	p.Set(printertest.Ready)
	m = drive(t, m, press("p"))
	if m.manager.page != pageReprint {
		t.Fatalf("p left the reprint: page %d", m.manager.page)
	}
	if text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[1])), "\n"); !strings.Contains(text, "** 重打印 **") {
		t.Errorf("p printed:\n%s", text)
	}
	screenHas(t, m, "小票已打印。")
	if m = drive(t, m, press("p")); m.manager.page != pageDetail {
		t.Errorf("once printed, a key did not go back to the details: page %d", m.manager.page)
	}
}

// TestPaymentCodeSalePrintsItsReceipt: a sale paid by the customer's
// payment code prints its receipt too, saying so; then Ctrl+P still
// switches the way to pay on the sale screen, not the printer.
func TestPaymentCodeSalePrintsItsReceipt(t *testing.T) {
	p := printertest.Start(t)
	f := newFakeCheckout()
	byCode(f)
	m := printing(t, f, netPrinter{p.Address()}, words.Chinese)
	m = drive(t, m, append(startSale, typedKeys(goodCode)...)...)
	if m.state != stateReceipt {
		t.Fatalf("state %d, want the receipt:\n%s", m.state, screen(m))
	}
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[0])), "\n")
	if !strings.Contains(text, "支付宝付款码支付") || !strings.Contains(text, m.receipt.OutTradeNo) {
		t.Errorf("the receipt printed:\n%s", text)
	}
	m = drive(t, m, press("esc"), switchPay)
	if f.PayMethodChoice() != pos.PayByQR || len(p.Jobs()) != 1 {
		t.Errorf("ctrl+p after the receipt: chosen %q, %d job(s) printed", f.PayMethodChoice(), len(p.Jobs()))
	}
}

// Without a printer the receipt after a payment is not laid out for
// paper: the paid screen does not wait for a print-out no one prints.
// Laying out the receipt for ESC/POS takes hundreds of allocations; the
// paid screen's own work a few.
func TestAPaymentWithoutAPrinterLaysNoPaperOut(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	r := pos.Receipt{ReceiptNo: 4, OutTradeNo: m.sale.sale.OutTradeNo, TradeNo: "2026112222001400009999", AmountFen: 500}
	if allocs := testing.AllocsPerRun(20, func() { _, _ = m.paid(r) }); allocs > 20 {
		t.Errorf("a payment without a printer took %.0f allocations; want at most 20, none for a print-out", allocs)
	}
	if got, _ := m.paid(r); got.(Model).state != stateReceipt {
		t.Errorf("after the payment the state is %d; want the receipt", got.(Model).state)
	}
}
