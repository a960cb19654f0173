// Package qrscan reads a QR code back off a terminal screen, for tests: it
// finds the code drawn in half-block characters, paints it as pixels and
// decodes it with a real QR decoder, as a phone camera would.
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
// and returns the text it encodes.
func Decode(screen string) (string, error) {
	img, err := Image(screen)
	if err != nil {
		return "", err
	}
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
	return paint(rows, width), nil
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

// paint draws the code square, width modules each way: a code with an odd
// number of module rows leaves its last line's lower half unpainted, and
// that half row of background is not part of the code.
func paint(rows [][]rune, width int) image.Image {
	img := image.NewGray(image.Rect(0, 0, (width+2*margin)*scale, (width+2*margin)*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y, row := range rows {
		for x, ch := range row {
			if 2*y < width {
				fill(img, x+margin, 2*y+margin, ch == '█' || ch == '▀')
			}
			if 2*y+1 < width {
				fill(img, x+margin, 2*y+margin+1, ch == '█' || ch == '▄')
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
