package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kiosk/ui/words"
)

// TestLedgerOfAClosedDaySaysSo: the ledger of a day closed says so in its
// title with its Z report's number, and under the totals that refunds
// were made after the close, as kiosk ledger does; an open day says
// neither.
func TestLedgerOfAClosedDaySaysSo(t *testing.T) {
	closedMark := words.English.Ledger.Closed.F(7)
	later := words.English.Report.LaterRefunds.F(1, words.Yuan(300))
	for _, closed := range []bool{true, false} {
		f := managerCheckout()
		if closed {
			closedWithLaterRefund(f)
		}
		m := inLedger(t, f, 100, 32)
		s := flat(m)
		if strings.Contains(s, closedMark) != closed || strings.Contains(s, later) != closed {
			t.Errorf("closed %v: the ledger says %q: %v, %q: %v\n%s", closed,
				closedMark, strings.Contains(s, closedMark), later, strings.Contains(s, later), screen(m))
		}
	}
}

// TestLedgerSaysWhichColumnsItHides: where the window is too narrow for
// every column, the ledger says which it left out and that a sale's
// details show them, in both languages; a window wide enough says
// nothing of it. The amount, the time, the status and the receipt number
// are never the ones left out.
func TestLedgerSaysWhichColumnsItHides(t *testing.T) {
	for _, say := range words.All {
		f := managerCheckout()
		m := New(f, Options{ShopName: shopOf(say), Words: say, Location: testTime.Location()})
		m = drive(t, m, seq(msgs(tea.WindowSizeMsg{Width: 80, Height: 24}, recoveredMsg{}), mkeys("ctrl+l"))...)
		note := say.Ledger.Hidden.F(say.Ledger.TradeNo+say.Punct.List+say.Ledger.Terminal, "enter")
		s := screen(m)
		if !strings.Contains(flat(m), note) {
			t.Errorf("%s at 80 columns: no %q\n%s", say.Lang.Tag, note, s)
		}
		header := strings.SplitN(s, "\n", 6)[4]
		for _, col := range []string{say.Ledger.Time, say.Ledger.ReceiptNo, say.Ledger.Amount, say.Ledger.Status} {
			if !strings.Contains(header, col) {
				t.Errorf("%s at 80 columns: the header %q lacks %q", say.Lang.Tag, header, col)
			}
		}
		m = drive(t, m, tea.WindowSizeMsg{Width: 160, Height: 40})
		lead, _, _ := strings.Cut(say.Ledger.Hidden.F("\x00", "enter"), "\x00") // "columns hidden: "
		if s := screen(m); strings.Contains(s, lead) || !strings.Contains(s, say.Ledger.Terminal) {
			t.Errorf("%s at 160 columns: every column should show, and no note:\n%s", say.Lang.Tag, s)
		}
	}
}
