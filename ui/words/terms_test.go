package words

import (
	"strings"
	"testing"
)

// TestOneTermForOneThing: what the receipt and the refund screen call a
// thing, every other place calls it too (English's CSV header keeps the
// names scripts read, so the terminal is checked in Chinese).
func TestOneTermForOneThing(t *testing.T) {
	for _, w := range All {
		if !strings.EqualFold(w.Paper.ApprovedBy, w.Refund.ApproverLabel) {
			t.Errorf("%s: the refund slip's approver is %q, the screen's %q", w.Lang.Tag, w.Paper.ApprovedBy, w.Refund.ApproverLabel)
		}
	}
	w := Chinese
	{
		for _, tt := range []struct{ what, got, want string }{
			{"the CLI table's terminal", w.CLI.Terminal, w.CLI.CSV.TerminalID},
			{"the report's terminal", w.Report.Terminal, w.CLI.CSV.TerminalID},
			{"the ledger's terminal", w.Ledger.Terminal, w.CLI.CSV.TerminalID},
			{"the detail's terminal", w.Detail.Terminal, w.CLI.CSV.TerminalID},
		} {
			if !strings.EqualFold(tt.got, tt.want) {
				t.Errorf("%s: %s is %q, want %q", w.Lang.Tag, tt.what, tt.got, tt.want)
			}
		}
		if !strings.Contains(w.Sale.Order.F("N"), w.Receipt.Order) {
			t.Errorf("zh: the QR screen's order %q is not the receipt's %q", w.Sale.Order.F("N"), w.Receipt.Order)
		}
		if strings.Contains(w.CLI.Applied.F(1, "¥1.00"), "净收入") {
			t.Errorf("zh: reconcile says 净收入, not 净收款: %q", w.CLI.Applied.F(1, "¥1.00"))
		}
	}
}
