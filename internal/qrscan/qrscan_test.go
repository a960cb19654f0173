package qrscan

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mdp/qrterminal/v3"
)

// render draws payload as the kiosk's screen does: half blocks, light
// modules drawn, quiet zone 2.
func render(payload string) string {
	var b strings.Builder
	qrterminal.GenerateWithConfig(payload, qrterminal.Config{
		Level:          qrterminal.M,
		Writer:         &b,
		HalfBlocks:     true,
		BlackChar:      qrterminal.BLACK_BLACK,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar:      qrterminal.WHITE_WHITE,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
		QuietZone:      2,
	})
	return b.String()
}

// renderDark draws payload the other way, dark modules drawn and the
// light parts blank, as the kiosk does for a terminal without colours
// on a light background.
func renderDark(payload string) string {
	var b strings.Builder
	qrterminal.GenerateWithConfig(payload, qrterminal.Config{
		Level:          qrterminal.M,
		Writer:         &b,
		HalfBlocks:     true,
		BlackChar:      qrterminal.WHITE_WHITE,
		WhiteBlackChar: qrterminal.BLACK_WHITE,
		WhiteChar:      qrterminal.BLACK_BLACK,
		BlackWhiteChar: qrterminal.WHITE_BLACK,
		QuietZone:      2,
	})
	return b.String()
}

// TestDecodesEveryCodeTheScreenDraws: the first payload is one a CI run met,
// which gozxing misread when asked to search for the code as in a photo;
// the others are customer-page URLs like the emulator's, from a fixed seed.
func TestDecodesEveryCodeTheScreenDraws(t *testing.T) {
	payloads := []string{"http://127.0.0.1:41541/qr/a_Hxt4Gx7R8xrjbioWxNig"}
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		b := make([]byte, 22)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		payloads = append(payloads, "http://127.0.0.1:41541/qr/"+string(b))
	}
	for _, p := range payloads {
		// Text beside the code, as the sale screen has, must not matter.
		lines := strings.Split(render(p), "\n")
		for i := range lines {
			lines[i] = "   " + lines[i] + "   ▀▄▀ Time left 2:00"
		}
		got, err := Decode(strings.Join(lines, "\n"))
		if err != nil || got != p {
			t.Errorf("%s: read %q, %v", p, got, err)
		}
	}
}

// TestDecodesCodesDrawnDarkOnLight: the same payloads drawn with their
// dark modules as the glyphs, beside text, read with DecodeDark; and a
// code drawn one way is not read as if drawn the other, which is what a
// phone makes of a code inverted on its screen.
func TestDecodesCodesDrawnDarkOnLight(t *testing.T) {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		b := make([]byte, 10+rng.IntN(60))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		p := "http://127.0.0.1:41541/qr/" + string(b)
		lines := strings.Split(renderDark(p), "\n")
		for i := range lines {
			lines[i] = "   " + lines[i] + "   ▀▄▀ █▀▀▀▀▀█ Time left 2:00"
		}
		screen := strings.Join(lines, "\n")
		if got, err := DecodeDark(screen); err != nil || got != p {
			t.Errorf("%s: read %q, %v", p, got, err)
		}
		if got, err := Decode(screen); err == nil {
			t.Errorf("%s drawn dark on light was read as light on dark: %q", p, got)
		}
		if got, err := DecodeDark(render(p)); err == nil {
			t.Errorf("%s drawn light on dark was read as dark on light: %q", p, got)
		}
	}
}

func TestNoCode(t *testing.T) {
	if _, err := Decode("Alipay counter\n\nAmount ¥12.34"); err != ErrNoCode {
		t.Errorf("err = %v, want ErrNoCode", err)
	}
}
