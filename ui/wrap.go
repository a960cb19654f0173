package ui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// wrapText wraps plain text s to width cells as a counter screen should:
// between words, and between two Chinese characters, but never inside a
// run of Latin letters, digits and punctuation (an Alipay code such as
// ACQ.BUYER_BALANCE_NOT_ENOUGH, an order or refund number), which moves
// to the next line whole. Closing punctuation stays with what it closes
// and opening punctuation with what it opens. Only a run wider than the
// whole line is broken, as the last resort.
func wrapText(s string, width int) string {
	paras := strings.Split(s, "\n")
	for i, p := range paras {
		paras[i] = wrapLine(p, max(width, 1))
	}
	return strings.Join(paras, "\n")
}

// wrapUnit is what wrapping never breaks, with whether a space stood
// before it.
type wrapUnit struct {
	text  string
	space bool
}

func wrapLine(s string, width int) string {
	var b strings.Builder
	line := 0
	for _, u := range wrapUnits(s) {
		w := ansi.StringWidth(u.text)
		gap := 0
		if u.space && line > 0 {
			gap = 1
		}
		if line > 0 && line+gap+w > width {
			b.WriteString("\n")
			line, gap = 0, 0
		}
		if w > width { // longer than a line: nothing else will do
			u.text = ansi.Hardwrap(u.text, width, true)
			w = ansi.StringWidth(u.text[strings.LastIndex(u.text, "\n")+1:])
			line = 0
		}
		b.WriteString(strings.Repeat(" ", gap) + u.text)
		line += gap + w
	}
	return b.String()
}

// wrapUnits cuts s into what wrapping keeps whole: a run of narrow
// characters, or one wide character, with the punctuation that clings.
func wrapUnits(s string) []wrapUnit {
	var units []wrapUnit
	space, open, inRun := false, false, false
	for _, r := range s {
		switch {
		case r == ' ':
			space, open, inRun = true, false, false
			continue
		case len(units) > 0 && !space && (open || closing(r) || inRun && !wide(r)):
			units[len(units)-1].text += string(r)
		default:
			units = append(units, wrapUnit{text: string(r), space: space})
		}
		open, inRun, space = opening(r), !wide(r), false
	}
	return units
}

// wide reports whether r takes two cells, as Chinese characters do.
func wide(r rune) bool { return ansi.StringWidth(string(r)) > 1 }

// closing punctuation never begins a line; opening never ends one.
func closing(r rune) bool {
	return strings.ContainsRune("）】」』》〉。，、；：！？…", r) || (unicode.Is(unicode.Pe, r) && wide(r))
}

func opening(r rune) bool {
	return strings.ContainsRune("（【「『《〈", r) || (unicode.Is(unicode.Ps, r) && wide(r))
}
