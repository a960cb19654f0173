package ui

import (
	"fmt"
	"strings"

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

// renderQR draws payload as a QR code of half-block characters, two modules
// per character row. It never touches the terminal itself.
func renderQR(payload string) (string, error) {
	if payload == "" || len(payload) > maxQRPayload {
		return "", &qrPayloadError{bytes: len(payload)}
	}
	// Encode once ourselves: GenerateWithConfig ignores encoding errors.
	if _, err := qr.Encode(payload, qr.M); err != nil {
		return "", fmt.Errorf("encode QR code: %w", err)
	}
	var b strings.Builder
	qrterminal.GenerateWithConfig(payload, qrterminal.Config{
		Level:          qrterminal.M,
		Writer:         &b,
		HalfBlocks:     true,
		BlackChar:      qrterminal.BLACK_BLACK,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar:      qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
		QuietZone:      qrQuietZone,
	})
	return strings.TrimRight(b.String(), "\n"), nil
}
