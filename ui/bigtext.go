package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"kiosk/ui/words"
)

// bigGlyphs is a three-row block font for the amount, readable from the
// far side of a counter.
var bigGlyphs = map[rune][3]string{
	'0': {"█▀█", "█ █", "▀▀▀"},
	'1': {"▀█ ", " █ ", "▀▀▀"},
	'2': {"▀▀█", "█▀▀", "▀▀▀"},
	'3': {"▀▀█", " ▀█", "▀▀▀"},
	'4': {"█ █", "▀▀█", "  ▀"},
	'5': {"█▀▀", "▀▀█", "▀▀▀"},
	'6': {"█▀▀", "█▀█", "▀▀▀"},
	'7': {"▀▀█", "  █", "  ▀"},
	'8': {"█▀█", "█▀█", "▀▀▀"},
	'9': {"█▀█", "▀▀█", "▀▀▀"},
	'.': {" ", " ", "▀"},
	'¥': {"▀▄▀", "▀█▀", " ▀ "},
	' ': {" ", " ", " "},
}

// bigText renders s in the block font; characters without a glyph are
// left out. The result is three lines.
func bigText(s string) string {
	var rows [3]strings.Builder
	first := true
	for _, r := range s {
		g, ok := bigGlyphs[r]
		if !ok {
			continue
		}
		for i := range rows {
			if !first {
				rows[i].WriteByte(' ')
			}
			rows[i].WriteString(g[i])
		}
		first = false
	}
	return rows[0].String() + "\n" + rows[1].String() + "\n" + rows[2].String()
}

// screenAmount is the amount fen in style: in the block font when it fits
// in width (without the space after the sign when only that fits), else
// in plain bold figures. A figure too wide for the window is never cut,
// since the customer must never read another amount.
func screenAmount(style lipgloss.Style, fen int64, width int) string {
	y := words.Yuan(fen)
	for _, s := range []string{y.Big(), y.String()} {
		if big := bigText(s); lipgloss.Width(big) <= width {
			return style.Render(big)
		}
	}
	return style.Bold(true).Render(y.String())
}
