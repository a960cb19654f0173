package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/internal/printertest"
	"kiosk/pos"
	"kiosk/ui/words"
)

// TestFailedReceiptIsRecordedUntilItPrints: a receipt that does not print
// is recorded in the ledger as not printed, once however often its print
// fails again; the print that succeeds at last records it printed; a copy
// printed after that, and a receipt that prints the first time, write
// nothing to the ledger.
func TestFailedReceiptIsRecordedUntilItPrints(t *testing.T) {
	p := printertest.Start(t)
	p.Set(printertest.OutOfPaper)
	f := newFakeCheckout()
	m := sellAndPay(t, printing(t, f, netPrinter{p.Address()}, words.Chinese))
	p.Wait(1)
	no := m.receipt.OutTradeNo
	if got := f.printMarks(); !slices.Equal(got, []string{"not printed " + no}) {
		t.Fatalf("after the failed print the ledger got %q, want it marked not printed", got)
	}
	m = drive(t, m, ctrlR()) // still out of paper
	p.Wait(1)
	if got := f.printMarks(); len(got) != 1 {
		t.Errorf("a second failure wrote to the ledger again: %q", got)
	}
	p.Set(printertest.Ready)
	m = drive(t, m, ctrlR())
	p.Wait(1)
	if got := f.printMarks(); !slices.Equal(got, []string{"not printed " + no, "printed " + no}) {
		t.Errorf("after the print that succeeded the ledger got %q, want it marked printed", got)
	}
	screenHas(t, m, "小票已打印。")
	m = drive(t, m, ctrlR()) // a copy now
	p.Wait(1)
	if got := f.printMarks(); len(got) != 2 {
		t.Errorf("the copy wrote to the ledger: %q", got)
	}

	g := newFakeCheckout()
	q := printertest.Start(t)
	sellAndPay(t, printing(t, g, netPrinter{q.Address()}, words.Chinese))
	q.Wait(1)
	if got := g.printMarks(); len(got) != 0 {
		t.Errorf("a receipt that printed the first time wrote to the ledger: %q", got)
	}
}

// TestStartNamesTheReceiptsNotPrinted: at start the banner names the
// receipts the ledger holds as not printed (an earlier day's with its
// date) and says how to print them, late, in both languages.
func TestStartNamesTheReceiptsNotPrinted(t *testing.T) {
	for _, tc := range []struct {
		say  *words.Words
		want []string
	}{
		{words.English, []string{"Receipts not printed yet: No. 0001, No. 0003 of 2026-11-21.", "(ctrl+l, enter, p)", "PRINTED LATE"}},
		{words.Chinese, []string{"小票未打印：0001、2026-11-21 第 0003 号。", "逐笔补打（ctrl+l、enter、p）"}},
	} {
		f := newFakeCheckout()
		today, yesterday := printedReceipt, printedReceipt
		today.ReceiptNo, today.OutTradeNo, today.Unprinted, today.Late = 1, "KT1_A", true, true
		yesterday.ReceiptNo, yesterday.OutTradeNo, yesterday.Unprinted, yesterday.Late = 3, "KT1_B", true, true
		yesterday.PaidAt = testTime.Add(-24 * time.Hour)
		f.unprinted = []pos.Receipt{today, yesterday}
		m := New(f, Options{ShopName: "Corner Shop", Location: shanghai, After: f.after, Words: tc.say})
		m = drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoverCmd(f, f)())
		for _, w := range tc.want {
			if !strings.Contains(flat(m), strings.Join(strings.Fields(w), " ")) {
				t.Errorf("%s: the banner lacks %q:\n%s", tc.say.Lang.Tag, w, screen(m))
			}
		}
		// Each one that prints leaves the banner; the last takes it away.
		m = drive(t, m, printedMsg{job: printJob{kind: printReceipt, key: "KT1_A", receiptNo: 1, unprinted: true}})
		if want := m.stillUnprinted([]pos.Receipt{yesterday}); m.banner != want {
			t.Errorf("%s: once 0001 printed the banner is %q, want %q", tc.say.Lang.Tag, m.banner, want)
		}
		m = drive(t, m, printedMsg{job: printJob{kind: printReceipt, key: "KT1_B", receiptNo: 3, unprinted: true}})
		if m.banner != "" {
			t.Errorf("%s: once both printed the banner is %q", tc.say.Lang.Tag, m.banner)
		}
	}
}

// TestReprintOfANeverPrintedReceiptIsLate: the ledger's reprint of a
// receipt that never printed is the receipt printed late (补打), on paper
// and on screen, not a duplicate (重打印); a print of it that fails can
// be sent again with p, and the one that succeeds records it printed.
func TestReprintOfANeverPrintedReceiptIsLate(t *testing.T) {
	p := printertest.Start(t)
	p.Set(printertest.OutOfPaper)
	f := newFakeCheckout()
	sale := slipSale
	sale.ReceiptUnprinted = true
	f.DayFn = func(date string) (pos.Day, error) { return pos.Day{Date: date, Sales: []pos.SaleRecord{sale}}, nil }
	f.ReprintFn = func(string) (pos.Receipt, error) {
		r := printedReceipt
		r.Unprinted, r.Late = true, true // as pos gives it
		return r, nil
	}
	m := printing(t, f, netPrinter{p.Address()}, words.Chinese)
	m = drive(t, m, tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}, press("enter"))
	screenHas(t, m, "0007 · 小票未打印")
	m = drive(t, m, press("p"))
	p.Wait(1)
	screenHas(t, m, "补打", "小票未打印：打印机缺纸。", "处理好打印机后按 p 重新打印。")
	if strings.Contains(screen(m), "重打印") {
		t.Errorf("the screen calls a receipt never printed a duplicate:\n%s", screen(m))
	}
	p.Set(printertest.Ready)
	m = drive(t, m, press("p"))
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[1])), "\n")
	if !strings.Contains(text, "** 补打 **") || strings.Contains(text, "重打印") || !strings.Contains(text, "0007") {
		t.Errorf("the reprint of a receipt never printed printed:\n%s", text)
	}
	screenHas(t, m, "小票已打印。")
	if got := f.printMarks(); !slices.Equal(got, []string{"printed " + printedReceipt.OutTradeNo}) {
		t.Errorf("the ledger got %q, want the receipt marked printed once", got)
	}
	if m.banner != "" {
		t.Errorf("a banner for a print on screen: %q", m.banner)
	}
	m = drive(t, m, press("x")) // back to the details: printed now
	if s := screen(m); strings.Contains(s, "小票未打印") || !strings.Contains(s, "p 重打印小票") {
		t.Errorf("the details still say the receipt did not print:\n%s", s)
	}
}

// TestAFailureTheLedgerCouldNotKeepIsSaid: when the ledger cannot record
// that a receipt did not print, the banner says so, in both languages, and
// that it must be printed before the kiosk quits, since a restart will
// not name it.
func TestAFailureTheLedgerCouldNotKeepIsSaid(t *testing.T) {
	for _, tc := range []struct {
		say  *words.Words
		want string
	}{
		{words.English, "Receipt No. 0007 was not printed, and the ledger could not record it"},
		{words.Chinese, "第 0007 号小票未打印，且未能记入账本"},
	} {
		f := newFakeCheckout()
		f.markErr = pos.ErrLedger
		m := printing(t, f, recordingPrinter{jobs: new([][]byte), err: errors.New("out of paper")}, tc.say)
		m = sellAndPay(t, m)
		if !strings.Contains(flat(m), tc.want) {
			t.Errorf("%s: the banner does not say the mark was lost:\n%s", tc.say.Lang.Tag, screen(m))
		}
	}
}
