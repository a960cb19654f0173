package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kiosk/ui/words"
)

// TestDetailFieldsLineUpWhenStacked: when the sale's two columns of
// fields stand one under the other, every value starts in the same
// screen column, measured in cells (a Chinese label is two a character):
// 买家账号's value under 商户订单号's, not two cells to the left.
func TestDetailFieldsLineUpWhenStacked(t *testing.T) {
	for _, say := range words.All {
		m := screenOf(t, say, screenCase{name: "detail", w: 60, h: 40, input: toDetail})
		s := screen(m)
		rw := &say.Receipt
		col := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			for _, f := range []struct{ label, value string }{
				{rw.Order, "KT1_"}, {rw.Buyer, "159******88"}, {rw.PaidAt, "2026-11-22 09:07:20"},
			} {
				if i := strings.Index(l, f.value); strings.HasPrefix(strings.TrimSpace(l), f.label) && i >= 0 {
					col[f.label] = ansi.StringWidth(l[:i])
				}
			}
		}
		if len(col) != 3 {
			t.Fatalf("%s: fields not found (%v):\n%s", say.Lang.Tag, col, s)
		}
		if col[rw.Order] != col[rw.Buyer] || col[rw.Order] != col[rw.PaidAt] {
			t.Errorf("%s: values start at columns %v, want one column:\n%s", say.Lang.Tag, col, s)
		}
	}
}
