package main

import (
	"os"
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestTheREADMEShowsWhatANewcomerSees: the README's picture of the QR
// screen has the title and the order's title of a kiosk with no
// configuration, the words of the counter's screen, and the README says
// how to have the screens in Chinese.
func TestTheREADMEShowsWhatANewcomerSees(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, shot, _ := strings.Cut(readme, "\n```\n")
	shot, _, _ = strings.Cut(shot, "\n```\n")
	inLocale(t, "C", "", "")
	speak(words.English)
	k := startKioskWith(t, t.TempDir(), fileConfig{})
	defer k.quit(t)
	k.sell(t, "12.34")
	screen := k.rec.screen()
	title := func(s string) string { first, _, _ := strings.Cut(s, "\n"); return strings.TrimSpace(first) }
	if got, want := title(shot), title(screen); got != want {
		t.Errorf("the README's screen is titled %q; out of the box the kiosk's is %q", got, want)
	}
	for _, line := range []string{"Scan with Alipay to pay", "Counter sale", "Waiting for the customer to scan", "Customer page http://"} {
		if !strings.Contains(screen, line) || !strings.Contains(shot, line) {
			t.Errorf("%q: on the kiosk's screen %v, in the README's %v", line, strings.Contains(screen, line), strings.Contains(shot, line))
		}
	}
	for _, want := range []string{"--lang zh", `lang = "zh"`, "KIOSK_LANG", "locale"} {
		if !strings.Contains(readme, want) {
			t.Errorf("the README does not say %s", want)
		}
	}
}
