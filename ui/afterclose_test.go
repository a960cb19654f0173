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
		if n := refundNotice(lang, msg); !strings.Contains(n.text, lang.Refund.AfterClose.F(1)) {
			t.Errorf("%s: %q does not say the day is closed", lang.Lang.Tag, n.text)
		}
	}
	msg.closedZ = 0
	if n := refundNotice(words.Chinese, msg); strings.Contains(n.text, "日结") {
		t.Errorf("an open day's refund speaks of the close: %q", n.text)
	}
}
