package escpos

import (
	"fmt"
	"strings"
)

// Paper is the width of the roll, in millimetres.
type Paper int

// The two rolls counter printers take.
const (
	Paper58 Paper = 58
	Paper80 Paper = 80
)

// Columns is how many half-width characters a line holds in the standard
// font (12 dots each): 32 on 58 mm paper, 48 on 80 mm.
func (p Paper) Columns() int { return p.Dots() / 12 }

// Dots is the printable width in dots at 203 dpi (8 dots/mm): 384 on 58 mm
// paper (48 mm printable), 576 on 80 mm (72 mm printable).
func (p Paper) Dots() int {
	if p == Paper58 {
		return 384
	}
	return 576
}

func (p Paper) String() string { return fmt.Sprintf("%d mm", int(p)) }

// ParsePaper reads a paper width from a config: "58", "58mm", "80", "80mm".
func ParsePaper(s string) (Paper, error) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "") {
	case "58", "58mm":
		return Paper58, nil
	case "80", "80mm":
		return Paper80, nil
	}
	return 0, fmt.Errorf("paper width %q: use 58mm or 80mm", s)
}

// Alignment is the justification of printed lines (ESC a).
type Alignment byte

// The alignments.
const (
	Left   Alignment = 0
	Center Alignment = 1
	Right  Alignment = 2
)

// A Document is an ESC/POS print job being built, for one paper width.
// Everything written to it is fitted to the paper: lines are wrapped at the
// right column, never cut inside a character. Build it in one goroutine,
// then hand Bytes to a Printer. The zero Document is not usable; call
// NewDocument.
type Document struct {
	paper Paper
	out   []byte
	g     *glyphCoder
}

// NewDocument starts a print job: it resets the printer (ESC @) and enters
// Chinese mode (FS &), so text from here is GB18030.
func NewDocument(p Paper) *Document {
	if p != Paper58 && p != Paper80 {
		p = Paper80
	}
	d := &Document{paper: p, g: newGlyphCoder()}
	d.out = append(d.out, cmdInit...)
	d.out = append(d.out, cmdChineseOn...)
	return d
}

// Paper is the paper width the document is laid out for.
func (d *Document) Paper() Paper { return d.paper }

// Columns is how many half-width characters fit on a normal line.
func (d *Document) Columns() int { return d.paper.Columns() }

// Align sets the justification of the lines that follow.
func (d *Document) Align(a Alignment) {
	if a > Right {
		a = Left
	}
	d.out = append(d.out, cmdAlign(a)...)
}

// Bold turns emphasis (ESC E) on or off for the text that follows.
func (d *Document) Bold(on bool) {
	if on {
		d.out = append(d.out, cmdBoldOn...)
	} else {
		d.out = append(d.out, cmdBoldOff...)
	}
}

// Line prints s, wrapped to the paper, each line ended by a line feed.
// An empty s prints an empty line.
func (d *Document) Line(s string) {
	d.lines(d.g.wrap(s, d.Columns()))
}

// Big prints s at double width and double height (GS !), as for the amount,
// wrapped to half the columns, then returns to the normal size.
func (d *Document) Big(s string) {
	d.out = append(d.out, cmdDoubleSize...)
	d.lines(d.g.wrap(s, d.Columns()/2))
	d.out = append(d.out, cmdNormalSize...)
}

// Pair prints a label on the left and its value on the right of one line.
// When both do not fit, the label gets its own line(s) and the value follows
// on the next, right-aligned and wrapped but never cut short: a trade number
// must print whole.
func (d *Document) Pair(label, value string) {
	d.lines(d.g.pair(label, value, d.Columns()))
}

// Pairs prints each pair as Pair does, except that the values that go on
// a line of their own, under their labels, all start in one column (the
// one the widest of them needs) instead of each ending at the right edge:
// order and trade numbers of different lengths printed one under the
// other line up on a narrow roll.
func (d *Document) Pairs(pairs ...[2]string) {
	cols := d.Columns()
	indent := cols
	for _, p := range pairs {
		if !d.g.fitsOneLine(p[0], p[1], cols) && p[1] != "" {
			for _, v := range d.g.wrap(p[1], cols) {
				indent = min(indent, cols-d.g.stringWidth(v))
			}
		}
	}
	for _, p := range pairs {
		if d.g.fitsOneLine(p[0], p[1], cols) || p[1] == "" {
			d.Pair(p[0], p[1])
			continue
		}
		var lines []string
		if p[0] != "" {
			lines = d.g.wrap(p[0], cols)
		}
		for _, v := range d.g.wrap(p[1], cols) {
			lines = append(lines, strings.Repeat(" ", max(indent, 0))+v)
		}
		d.lines(lines)
	}
}

// Rule prints a line of dashes across the paper.
func (d *Document) Rule() {
	d.lines([]string{strings.Repeat("-", d.Columns())})
}

// Feed prints what is buffered and feeds n blank lines (ESC d; at most 255).
func (d *Document) Feed(n int) {
	d.out = append(d.out, cmdFeedLines(byte(min(max(n, 0), 255)))...)
}

// Cut feeds the paper to the cutter and cuts it, leaving one point uncut
// (GS V 66 0). A printer without a cutter feeds to its tear bar instead.
func (d *Document) Cut() {
	d.out = append(d.out, cmdFeedAndCut...)
}

// Bytes returns the print job: everything written so far, followed by FS .
// so that the printer is left in its single-byte mode. It may be called more
// than once; the document can still be written to afterwards.
func (d *Document) Bytes() []byte {
	job := make([]byte, 0, len(d.out)+len(cmdChineseOff))
	job = append(job, d.out...)
	return append(job, cmdChineseOff...)
}

func (d *Document) lines(lines []string) {
	for _, l := range lines {
		d.out = d.g.encode(d.out, l)
		d.out = append(d.out, lf)
	}
}

// pair lays out a label and a value in cols columns (see Document.Pair).
func (g *glyphCoder) pair(label, value string, cols int) []string {
	if value == "" {
		return g.wrap(label, cols)
	}
	if g.fitsOneLine(label, value, cols) {
		lw, vw := g.stringWidth(label), g.stringWidth(value)
		return []string{label + strings.Repeat(" ", cols-lw-vw) + value}
	}
	var lines []string
	if label != "" {
		lines = g.wrap(label, cols)
	}
	for _, v := range g.wrap(value, cols) {
		lines = append(lines, strings.Repeat(" ", max(cols-g.stringWidth(v), 0))+v)
	}
	return lines
}

// fitsOneLine reports whether Pair prints label and value on one line.
func (g *glyphCoder) fitsOneLine(label, value string, cols int) bool {
	return label != "" && g.stringWidth(label)+1+g.stringWidth(value) <= cols && !strings.ContainsRune(label+value, '\n')
}
