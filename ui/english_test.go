package ui

import (
	"strings"
	"testing"

	latin "kiosk/internal/english"
	"kiosk/ui/words"
)

// onScreenAsTyped are the words of the test's sales that a manager or
// the shop typed (a reason, an approver, the product), which the screens
// show as they are, and the key names of the help lines.
var onScreenAsTyped = []string{"Corner", "Shop", "Li", "one", "cup", "broken", "esc", "enter", "ctrl", "Ctrl", "tab", "shift",
	"home", "end", "pgup", "pgdn", "space", "backspace", "up", "down"}

// TestChineseScreensHoldNoEnglish: every screen of the kiosk, drawn in
// Chinese, says everything in Chinese: the only Latin words on it are
// facts (order and trade numbers, codes, amounts), names typed into the
// kiosk and key names. A sentence that bypasses the catalogue (the
// ledger's, alipay's or the system's English) fails here.
func TestChineseScreensHoldNoEnglish(t *testing.T) {
	for _, c := range screenCases {
		t.Run(c.name, func(t *testing.T) {
			s := screen(screenOf(t, words.Chinese, c))
			if en := latin.Words(strings.ReplaceAll(s, "KT1_", " "), onScreenAsTyped...); len(en) > 0 {
				t.Errorf("English %q on the Chinese screen:\n%s", en, s)
			}
		})
	}
}
