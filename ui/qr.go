package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// maxQRPayload is far beyond any Alipay qr_code (about 50 bytes) yet well
// inside what qrterminal encodes without panicking on a nil code.
const maxQRPayload = 512

// qrQuietZone is the white border in modules. qrterminal writes one column
// less on the right than asked, so 2 leaves a real margin on both sides.
const qrQuietZone = 2

// qrPayloadError is a QR code text that is empty or too long to draw.
type qrPayloadError struct{ bytes int }

func (e *qrPayloadError) Error() string {
	return fmt.Sprintf("the QR code text is empty or too long (%d bytes)", e.bytes)
}

// qrCode is a sale's QR code drawn both ways: a phone wants dark modules
// on a light quiet zone, and which glyphs come out light depends on the
// terminal. With colour the kiosk paints the code white on black itself,
// and the light parts are the glyphs; without colour (NO_COLOR) a glyph
// takes the terminal's foreground, light on a dark background and dark on
// a light one, so the kiosk draws the light parts on a dark background and
// the dark modules on a light one.
type qrCode struct {
	lightGlyphs string // the light parts drawn: quiet zone and light modules
	darkGlyphs  string // the dark modules drawn, the light parts left blank
}

// pick is the drawing that scans in a window with colour or without, on
// a light background or not.
func (q qrCode) pick(colour, lightBackground bool) string {
	if !colour && lightBackground {
		return q.darkGlyphs
	}
	return q.lightGlyphs
}

// renderQR draws payload as a QR code of half-block characters, two modules
// per character row, both ways (qrCode). It never touches the terminal
// itself.
func renderQR(payload string) (qrCode, error) {
	if payload == "" || len(payload) > maxQRPayload {
		return qrCode{}, &qrPayloadError{bytes: len(payload)}
	}
	// Encode once ourselves: GenerateWithConfig ignores encoding errors.
	if _, err := qr.Encode(payload, qr.M); err != nil {
		return qrCode{}, fmt.Errorf("encode QR code: %w", err)
	}
	// qrterminal's names say which modules a glyph stands for: WHITE_BLACK
	// is light above and dark below, drawn "▀" when the glyphs are light.
	light := drawQR(payload, qrterminal.Config{
		BlackChar:      qrterminal.BLACK_BLACK,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar:      qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
	})
	dark := drawQR(payload, qrterminal.Config{
		BlackChar:      qrterminal.WHITE_WHITE,
		WhiteBlackChar: qrterminal.BLACK_WHITE,
		WhiteChar:      qrterminal.BLACK_BLACK,
		BlackWhiteChar: qrterminal.WHITE_BLACK,
	})
	return qrCode{lightGlyphs: light, darkGlyphs: blankLastHalfRow(dark)}, nil
}

// blankLastHalfRow clears the bar qrterminal draws under a code of an odd
// number of rows: its last line is the quiet zone's last row above and
// nothing below, which "▄" draws as a dark bar when the glyphs are dark.
func blankLastHalfRow(code string) string {
	i := strings.LastIndexByte(code, '\n') + 1
	if last := code[i:]; strings.Trim(last, qrterminal.BLACK_WHITE) == "" {
		return code[:i] + strings.Repeat(" ", utf8.RuneCountInString(last))
	}
	return code
}

func drawQR(payload string, cfg qrterminal.Config) string {
	var b strings.Builder
	cfg.Level, cfg.Writer, cfg.HalfBlocks, cfg.QuietZone = qrterminal.M, &b, true, qrQuietZone
	qrterminal.GenerateWithConfig(payload, cfg)
	return strings.TrimRight(b.String(), "\n")
}
