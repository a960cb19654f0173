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

func TestNoCode(t *testing.T) {
	if _, err := Decode("Alipay counter\n\nAmount ¥12.34"); err != ErrNoCode {
		t.Errorf("err = %v, want ErrNoCode", err)
	}
}
