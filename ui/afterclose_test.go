package ui

import (
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestRefundAfterTheCloseSaysWhereItCounts: a refund made once today is
// closed says that it counts in the next report.
func TestRefundAfterTheCloseSaysWhereItCounts(t *testing.T) {
	msg := refundedMsg{id: testOrder, fen: 100, sale: refundedBy(refundedSale(), 100), closedZ: 1}
	for _, lang := range words.All {
		if n := refundNotice(lang, msg, 0); !strings.Contains(n.text, lang.Refund.AfterClose.F(1)) {
			t.Errorf("%s: %q does not say the day is closed", lang.Lang.Tag, n.text)
		}
	}
	// Said before the refund, on its screen: the result need not repeat it.
	if n := refundNotice(words.Chinese, msg, 1); strings.Contains(n.text, "日结") {
		t.Errorf("the refund screen warned of Z 0001, and the result says it again: %q", n.text)
	}
	msg.closedZ = 0
	if n := refundNotice(words.Chinese, msg, 0); strings.Contains(n.text, "日结") {
		t.Errorf("an open day's refund speaks of the close: %q", n.text)
	}
}

// TestRefundOnAClosedDayWarnsBeforeItIsMade: once today is closed, the
// refund form and its PIN prompt say, before anything is refunded, that
// the refund will not be in today's Z report but in the next one; on an
// open day they say nothing of it.
func TestRefundOnAClosedDayWarnsBeforeItIsMade(t *testing.T) {
	for _, closed := range []bool{true, false} {
		f := managerCheckout()
		if closed {
			closedToday(f) // by Z 0007
		}
		m := drive(t, inDetail(t, f), mkeys("r")...)
		warning := words.English.Refund.ClosedAhead.F(7)
		if got := strings.Contains(flat(m), warning); got != closed {
			t.Errorf("closed %v: the refund form warns %v\n%s", closed, got, screen(m))
		}
		m = drive(t, m, seq(amount("3"), mkeys("enter"))...)
		if m.manager.refund.step != refundPIN {
			t.Fatalf("closed %v: step %d, want the PIN", closed, m.manager.refund.step)
		}
		if got := strings.Contains(flat(m), warning); got != closed {
			t.Errorf("closed %v: the PIN prompt warns %v\n%s", closed, got, screen(m))
		}
		if f.called("refund") != 0 {
			t.Errorf("closed %v: a refund was made before the PIN", closed)
		}
	}
}
