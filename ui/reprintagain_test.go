package ui

import (
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestCtrlRPrintsTheReceiptAgainAndNeverStartsASale: on the receipt,
// Ctrl+R prints it again each time it is pressed, after a print that
// failed and after one that worked (then as a copy marked DUPLICATE, never
// a second original), and the receipt stays on screen; it
// is never the "any key" that starts the next sale. Without a printer it
// does nothing.
func TestCtrlRPrintsTheReceiptAgainAndNeverStartsASale(t *testing.T) {
	for _, say := range words.All {
		t.Run(say.Lang.Tag, func(t *testing.T) {
			var jobs [][]byte
			pr := &recordingPrinter{jobs: &jobs, err: outOfPaper.err}
			m := sellAndPay(t, printing(t, newFakeCheckout(), pr, say))
			screenHas(t, m, string(say.Paper.ReceiptNotPrinted.F(say.Paper.OutOfPaper)))
			pr.err = nil
			for i := 2; i <= 3; i++ {
				m = drive(t, m, ctrlR())
				if m.state != stateReceipt {
					t.Fatalf("Ctrl+R number %d left the receipt: state %d\n%s", i-1, m.state, screen(m))
				}
				if len(jobs) != i || !strings.Contains(printedText(jobs)[i-1], "0007") {
					t.Fatalf("after Ctrl+R number %d, %d jobs printed, want %d", i-1, len(jobs), i)
				}
				screenHas(t, m, say.Paper.ReceiptPrinted)
				// The first print failed: the second job is the receipt
				// itself; the third, after one came off, is its copy.
				if dup := strings.Contains(printedText(jobs)[i-1], say.Receipt.Duplicate); dup != (i == 3) {
					t.Errorf("job %d marked %s: %v, want %v", i, say.Receipt.Duplicate, dup, i == 3)
				}
			}
		})
	}
	m := sellAndPay(t, printing(t, newFakeCheckout(), nil, words.English))
	if m = drive(t, m, ctrlR()); m.state != stateReceipt {
		t.Errorf("Ctrl+R without a printer left the receipt: state %d", m.state)
	}
}
