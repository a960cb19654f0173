package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestLargeAmountsAreNeverCut: the amounts a tester saw cut at 80
// columns (¥1234567.8 for 1234567.89, ¥12345678 for 12345678.90), and the
// largest one, stand whole on the QR screen, the scan screen, the wait for
// the customer's confirmation and the receipt, in every language, at 80
// columns and narrower: in the block font where it fits, else in a
// narrower form, and no line wider than the window.
func TestLargeAmountsAreNeverCut(t *testing.T) {
	screens := map[string]func(f *fakeCheckout) []tea.Msg{
		"qr": func(*fakeCheckout) []tea.Msg { return nil },
		"receipt": func(f *fakeCheckout) []tea.Msg {
			paidNow(f)
			return msgs(pollNow)
		},
		"scan": func(f *fakeCheckout) []tea.Msg { byCode(f); return nil },
		"confirm": func(f *fakeCheckout) []tea.Msg {
			byCode(f)
			f.ScanPayFn = waitingToConfirm
			return typedKeys(goodCode)
		},
	}
	for _, say := range words.All {
		for _, amount := range []string{"123456.78", "1234567.89", "12345678.9", largest} {
			fen, err := pos.ParseAmount(amount)
			if err != nil {
				t.Fatal(err)
			}
			for name, then := range screens {
				for _, size := range [][2]int{{80, 24}, {80, 40}, {66, 40}, {56, 40}, {50, 40}} {
					t.Run(fmt.Sprintf("%s/%s/%s/%dx%d", say.Lang.Tag, name, amount, size[0], size[1]), func(t *testing.T) {
						f := newFakeCheckout()
						f.cfg.Subject = "Corner Shop"
						m := New(f, Options{Words: say, After: f.after})
						after := then(f)
						m = drive(t, m, seq(msgs(tea.WindowSizeMsg{Width: size[0], Height: size[1]}, recoveredMsg{}),
							typedKeys(amount), after)...)
						s := screen(m)
						if !amountShown(s, fen) {
							t.Errorf("the amount %s is not on screen whole:\n%s", words.Yuan(fen), s)
						}
						for _, l := range strings.Split(s, "\n") {
							if w := lipgloss.Width(l); w > size[0] && strings.ContainsAny(l, "¥▀") {
								t.Errorf("a line %d cells wide on a window %d wide: %q", w, size[0], l)
							}
						}
					})
				}
			}
		}
	}
}

// TestResultScreensWriteMoneyAsEverywhere: the cancelled and unknown
// result screens, and the cancelling and the stacked QR screen, write the
// amount as every other screen does, ¥12.34, with no space after the sign.
func TestResultScreensWriteMoneyAsEverywhere(t *testing.T) {
	unknown := func(f *fakeCheckout) {
		f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
			return pos.Outcome{Status: pos.StatusUnknown, Note: pos.Note{Code: pos.NoteCancelUnconfirmed, Reason: r}}, nil
		}
	}
	for _, say := range words.All {
		for _, c := range []screenCase{
			{name: "cancelled", input: seq(startSale, mkeys("esc", "y"))},
			{name: "unknown", setup: unknown, input: seq(startSale, mkeys("esc", "y"))},
			{name: "cancelling", input: seq(startSale, mkeys("esc")), pending: press("y")},
			{name: "stacked", w: 45, h: 40, input: startSale},
		} {
			t.Run(say.Lang.Tag+"/"+c.name, func(t *testing.T) {
				s := screen(screenOf(t, say, c))
				if !strings.Contains(s, "¥12.34") || strings.Contains(s, "¥ 12.34") {
					t.Errorf("want ¥12.34, as everywhere:\n%s", s)
				}
			})
		}
	}
}
