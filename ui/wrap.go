package ui

import (
	"strings"
	"unicode"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// wrapIn renders text in style, wrapped to width cells by wrapText, so
// that the style's own wrapping (which breaks only at spaces, then
// anywhere) never has to.
func wrapIn(style lipgloss.Style, width int, text string) string {
	return style.Width(width).Render(wrapText(text, width))
}

// wrapText wraps plain text s to width cells as a counter screen should:
// between words, and between two Chinese characters, but never inside a
// run of Latin letters, digits and punctuation (an Alipay code such as
// ACQ.BUYER_BALANCE_NOT_ENOUGH, an order or refund number), which moves
// to the next line whole. Closing punctuation stays with what it closes
// and opening punctuation with what it opens, so that no line begins with
// ，。、；：？！）」』】” and the like. A number stays with the Chinese
// character after it, the measure word or unit it counts ("1 笔", "第 0001
// 号", "Z 报表"). Only a run wider than the whole line is broken, as the
// last resort.
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
	counted := false // the last unit ends with a letter or digit, a space or none after it
	for _, r := range s {
		switch {
		case r == ' ':
			if space {
				counted = false // more than one space: the count is over
			}
			space, open, inRun = true, false, false
			continue
		case len(units) > 0 && !space && (open || closing(r) || inRun && !wide(r)):
			units[len(units)-1].text += string(r)
		case len(units) > 0 && counted && wide(r) && !opening(r):
			// What a number counts, or the letter names, stays with it.
			if space {
				units[len(units)-1].text += " "
			}
			units[len(units)-1].text += string(r)
		default:
			units = append(units, wrapUnit{text: string(r), space: space})
		}
		open, inRun, space = opening(r), !wide(r), false
		counted = !wide(r) && (unicode.IsDigit(r) || unicode.IsLetter(r))
	}
	return units
}

// wide reports whether r takes two cells, as Chinese characters do.
func wide(r rune) bool { return ansi.StringWidth(string(r)) > 1 }

// closing punctuation never begins a line; opening never ends one. The
// curly quotes Chinese uses (“补打”) count too, though a terminal draws
// them one cell wide: they are final and initial quotes (Pf, Pi), not
// brackets.
func closing(r rune) bool {
	return strings.ContainsRune("）】」』》〉。，、；：！？…", r) || unicode.Is(unicode.Pf, r) || (unicode.Is(unicode.Pe, r) && wide(r))
}

func opening(r rune) bool {
	return strings.ContainsRune("（【「『《〈", r) || unicode.Is(unicode.Pi, r) || (unicode.Is(unicode.Ps, r) && wide(r))
}
