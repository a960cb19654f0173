// Package qrscan reads a QR code back off a terminal screen, for tests: it
// finds the code drawn in half-block characters, paints it as pixels and
// decodes it with a real QR decoder, as a phone camera would. A screen
// draws a code one of two ways, and a phone reads only dark modules on a
// light quiet zone: Decode reads a code whose light parts are the glyphs
// (light on a dark background), DecodeDark one whose dark modules are
// (dark on a light background); each refuses the other, as a phone
// refuses an inverted code.
package qrscan

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ErrNoCode means no QR code was found on the screen.
var ErrNoCode = errors.New("qrscan: no QR code on the screen")

// minQuietZone is the width of the smallest QR code (21 modules) plus
// nothing: a shorter run of full blocks is not a code's top edge.
const minQuietZone = 21

// Decode finds the QR code in screen (plain text, escape codes stripped)
// drawn light on dark, its light parts drawn as glyphs (see Image), and
// returns the text it encodes.
func Decode(screen string) (string, error) {
	img, err := Image(screen)
	if err != nil {
		return "", err
	}
	return decode(img)
}

// DecodeDark is Decode for a code drawn dark on light: its dark modules
// drawn as glyphs and its light parts left blank, as a terminal without
// colours on a light background shows it (see ImageDark).
func DecodeDark(screen string) (string, error) {
	img, err := ImageDark(screen)
	if err != nil {
		return "", err
	}
	return decode(img)
}

func decode(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("qrscan: %w", err)
	}
	// The code on a screen is a pure barcode: square modules, axis-aligned,
	// with its quiet zone. Said so, gozxing reads it straight off the grid;
	// left to search for it as in a photo, its finder misplaces about one
	// code in a hundred that phones and zbarimg read without trouble.
	pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		return "", fmt.Errorf("qrscan: decode: %w", err)
	}
	return res.GetText(), nil
}

// Image paints the QR code found in screen: each character is one module
// wide and two high, light where the glyph is drawn ("█" both, "▀" upper,
// "▄" lower, " " neither), as the kiosk draws light on dark.
func Image(screen string) (image.Image, error) {
	lines := strings.Split(screen, "\n")
	top, col, width := findTopEdge(lines)
	if width == 0 {
		return nil, ErrNoCode
	}
	var rows [][]rune
	for _, line := range lines[top:] {
		r := []rune(line)
		if len(r) < col+width {
			break
		}
		cells := r[col : col+width]
		rows = append(rows, cells)
		if strings.Trim(string(cells), "▀") == "" {
			break // the bottom edge
		}
	}
	return paint(rows, width, func(ch rune, upper bool) bool {
		return ch == '█' || (upper && ch == '▀') || (!upper && ch == '▄')
	}), nil
}

// finderTop is the top row of a finder pattern, and the row below it,
// as half blocks draw them dark: "█▀▀▀▀▀█".
const finderTop = "█▀▀▀▀▀█"

// ImageDark paints the QR code found in screen drawn dark on light: a
// glyph is dark where it is drawn, and the quiet zone is blank, so the
// code is found by its two upper finder patterns, which stand on the
// line of its first two module rows when its quiet zone is even.
func ImageDark(screen string) (image.Image, error) {
	lines := strings.Split(screen, "\n")
	for top, line := range lines {
		col, size, ok := findFinders(line, lines[top+1:])
		if !ok || top+(size+1)/2 > len(lines) {
			continue
		}
		rows := make([][]rune, 0, (size+1)/2)
		for _, l := range lines[top : top+(size+1)/2] {
			r := []rune(l)
			if len(r) < col+size {
				r = append(r, []rune(strings.Repeat(" ", col+size-len(r)))...)
			}
			rows = append(rows, r[col:col+size])
		}
		return paint(rows, size, func(ch rune, upper bool) bool {
			return ch == ' ' || (upper && ch == '▄') || (!upper && ch == '▀')
		}), nil
	}
	return nil, ErrNoCode
}

// findFinders finds two finder tops on a line as far apart as the sides
// of a QR code (21, 25, 29… modules), whose finders' bottom rows stand
// three lines below, and returns where the code starts and its size.
func findFinders(line string, below []string) (col, size int, ok bool) {
	r := []rune(line)
	top := []rune(finderTop)
	at := func(r []rune, i int, want []rune) bool {
		return i >= 0 && i+len(want) <= len(r) && string(r[i:i+len(want)]) == string(want)
	}
	var bottom []rune
	if len(below) >= 3 {
		bottom = []rune(below[2])
	}
	edge := []rune("▀▀▀▀▀▀▀")
	for left := range r {
		if !at(r, left, top) || !at(bottom, left, edge) {
			continue
		}
		for n := 21; left+n <= len(r); n += 4 {
			if at(r, left+n-len(top), top) && at(bottom, left+n-len(edge), edge) {
				return left, n, true
			}
		}
	}
	return 0, 0, false
}

func findTopEdge(lines []string) (top, col, width int) {
	for i, line := range lines {
		r := []rune(line)
		for j := 0; j < len(r); j++ {
			n := 0
			for j+n < len(r) && r[j+n] == '█' {
				n++
			}
			if n >= minQuietZone {
				return i, j, n
			}
			j += n
		}
	}
	return 0, 0, 0
}

const (
	scale  = 4 // pixels per module
	margin = 4 // extra white modules around the code
)

// paint draws the code square, width modules each way, each half of a
// character light where lit says so: a code with an odd number of module
// rows leaves its last line's lower half unpainted, and that half row of
// background is not part of the code.
func paint(rows [][]rune, width int, lit func(ch rune, upper bool) bool) image.Image {
	img := image.NewGray(image.Rect(0, 0, (width+2*margin)*scale, (width+2*margin)*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y, row := range rows {
		for x, ch := range row {
			if 2*y < width {
				fill(img, x+margin, 2*y+margin, lit(ch, true))
			}
			if 2*y+1 < width {
				fill(img, x+margin, 2*y+margin+1, lit(ch, false))
			}
		}
	}
	return img
}

func fill(img *image.Gray, mx, my int, light bool) {
	c := color.Gray{}
	if light {
		c.Y = 0xFF
	}
	for dy := range scale {
		for dx := range scale {
			img.SetGray(mx*scale+dx, my*scale+dy, c)
		}
	}
}
