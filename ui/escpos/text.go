package escpos

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// How wide text prints. In Chinese mode (FS &) a receipt printer prints
// every single-byte code as a half-width glyph (12 dots in the usual 12×24
// font) and every double-byte GB code as a full-width one (24 dots): the
// width follows the encoding, not Unicode's East Asian Width. That is why we
// measure with our own rule rather than golang.org/x/text/width: "·", "°",
// "—" and Chinese quotation marks are ambiguous-width in Unicode (narrow in
// most terminals) yet print full-width, because they are double-byte codes.
//
// Most counter printers hold GB2312 or GBK fonts, the double-byte part of
// GB18030; a character that GB18030 can only write in four bytes (emoji,
// rare ideographs, combining marks) has no glyph there, so it prints as '?'.
// The halfwidth yen sign ¥ is one of those, so it prints as the fullwidth
// ￥ (A3 A4), which every GB font has.

const (
	// unprintable stands in for a character the printer has no glyph for.
	unprintable = '?'
	// yenHalf is written as yenFull: GB18030 has ¥ only in its
	// four-byte area.
	yenHalf = '\u00a5'
	yenFull = '\uffe5'
)

// A glyphCoder turns runes into the bytes the printer receives. It holds an
// encoder, which is not safe for concurrent use, so each Document (and each
// call of the package-level functions) has its own.
type glyphCoder struct {
	enc *encoding.Encoder
	buf [utf8.UTFMax]byte
}

func newGlyphCoder() *glyphCoder {
	return &glyphCoder{enc: simplifiedchinese.GB18030.NewEncoder()}
}

// glyph returns the bytes that print r and their width in columns. A control
// character prints nothing (nil, 0).
func (g *glyphCoder) glyph(r rune) ([]byte, int) {
	switch {
	case r == '\t':
		return []byte{' '}, 1
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return nil, 0
	case r < 0x80:
		return []byte{byte(r)}, 1
	case r == yenHalf:
		r = yenFull
	case r == utf8.RuneError:
		return []byte{unprintable}, 1
	}
	n := utf8.EncodeRune(g.buf[:], r)
	b, err := g.enc.Bytes(g.buf[:n])
	if err != nil || len(b) != 2 {
		return []byte{unprintable}, 1
	}
	return b, 2
}

// width is the number of columns r takes on paper.
func (g *glyphCoder) width(r rune) int {
	_, w := g.glyph(r)
	return w
}

// encode appends the printer bytes for s to dst, dropping control characters.
func (g *glyphCoder) encode(dst []byte, s string) []byte {
	for _, r := range s {
		b, _ := g.glyph(r)
		dst = append(dst, b...)
	}
	return dst
}

// Width returns how many columns s takes on paper in Chinese mode: 1 for
// ASCII, 2 for each character printed from the double-byte GB font, 1 for a
// character printed as '?', 0 for a control character.
func Width(s string) int {
	return newGlyphCoder().stringWidth(s)
}

func (g *glyphCoder) stringWidth(s string) int {
	w := 0
	for _, r := range s {
		w += g.width(r)
	}
	return w
}

// Truncate returns the longest prefix of s that fits in cols columns,
// never cutting a character in half: a full-width character that would
// straddle the edge is left out whole.
func Truncate(s string, cols int) string {
	return newGlyphCoder().truncate(s, cols)
}

func (g *glyphCoder) truncate(s string, cols int) string {
	used := 0
	for i, r := range s {
		w := g.width(r)
		if used+w > cols {
			return s[:i]
		}
		used += w
	}
	return s
}

// Wrap breaks s into lines of at most cols columns. It breaks at a space
// where the line has one (English) and anywhere between two characters
// otherwise (Chinese has no spaces). A newline in s always breaks. Spaces at
// a break are dropped; trailing spaces are dropped from every line. A single
// character wider than cols (only when cols < 2) gets a line of its own.
// Wrap never returns an empty slice: empty input is one empty line.
func Wrap(s string, cols int) []string {
	return newGlyphCoder().wrap(s, cols)
}

func (g *glyphCoder) wrap(s string, cols int) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, g.wrapParagraph(para, cols)...)
	}
	return lines
}

func (g *glyphCoder) wrapParagraph(s string, cols int) []string {
	var lines []string
	for {
		line, rest := g.breakLine(s, cols)
		lines = append(lines, strings.TrimRight(line, " "))
		if rest == "" {
			return lines
		}
		s = strings.TrimLeft(rest, " ")
		if s == "" {
			return lines
		}
	}
}

// breakLine splits s into the first line (at most cols wide, but at least
// one character so that wrapping always progresses) and the rest.
func (g *glyphCoder) breakLine(s string, cols int) (line, rest string) {
	used, lastSpace, text := 0, -1, false
	for i, r := range s {
		w := g.width(r)
		if used+w > cols && i > 0 {
			if r == ' ' {
				return s[:i], s[i:]
			}
			if lastSpace > 0 {
				return s[:lastSpace], s[lastSpace:]
			}
			return s[:i], s[i:]
		}
		// A space after some text is a place to break; indentation is not.
		if r == ' ' && text {
			lastSpace = i
		}
		text = text || r != ' '
		used += w
	}
	return s, ""
}
