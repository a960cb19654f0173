package main

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"kiosk/ui/words"
)

// helpTopics are every topic kiosk help answers: none (every command),
// each group, each command, each api method.
func helpTopics() [][]string {
	topics := [][]string{nil}
	seen := map[string]bool{}
	for _, c := range commands {
		if w := c.words(); len(w) > 1 && !seen[w[0]] {
			seen[w[0]] = true
			topics = append(topics, w[:1])
		}
		if c.path != "" && c.path != "api" {
			topics = append(topics, c.words())
		}
	}
	for _, m := range apiMethods() {
		if !slices.ContainsFunc(topics, func(t []string) bool { return slices.Equal(t, []string{"api", m}) }) {
			topics = append(topics, []string{"api", m})
		}
	}
	return topics
}

// TestHelpKeepsEachFlagWithItsValue: at 80 columns, in both languages,
// no line of any kiosk help breaks a bracketed group ([--format
// table|json]) across lines, and every line fits.
func TestHelpKeepsEachFlagWithItsValue(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	for _, lang := range []string{"en", "zh"} {
		for _, topic := range helpTopics() {
			var out bytes.Buffer
			args := append([]string{"--lang", lang, "help"}, topic...)
			if err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: io.Discard}); err != nil {
				t.Errorf("kiosk %s: %v", strings.Join(args, " "), err)
				continue
			}
			for _, l := range strings.Split(out.String(), "\n") {
				if strings.Count(l, "[") != strings.Count(l, "]") {
					t.Errorf("kiosk %s: a group broken across lines: %q", strings.Join(args, " "), l)
				}
				if w := lipgloss.Width(l); w > helpWidth {
					t.Errorf("kiosk %s: a line %d wide: %q", strings.Join(args, " "), w, l)
				}
			}
		}
	}
}

// TestCentralReconcileShowsOnlyTheFlagsItTakes: kiosk help central (and
// kiosk help central reconcile) no longer offer reconcile --store and
// --terminal; given, they are refused saying why, in both languages; no
// help says that flags it offers do not apply.
func TestCentralReconcileShowsOnlyTheFlagsItTakes(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	t.Setenv("KIOSK_CONFIG", "")
	for _, c := range []struct{ lang, refusal string }{
		{"en", "--store and --terminal do not apply"},
		{"zh", "--store 和 --terminal 不适用"},
	} {
		for _, topic := range [][]string{{"central"}, {"central", "reconcile"}} {
			var out bytes.Buffer
			args := append([]string{"--lang", c.lang, "help"}, topic...)
			if err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: io.Discard}); err != nil {
				t.Fatal(err)
			}
			synopsis, _, _ := strings.Cut(out.String()[strings.Index(out.String(), "kiosk central reconcile"):], "\n  kiosk central verify")
			if strings.Contains(synopsis, "--store") || strings.Contains(synopsis, "--terminal") || strings.Contains(out.String(), c.refusal) {
				t.Errorf("kiosk %s:\n%s", strings.Join(args, " "), out.String())
			}
		}
		for _, flag := range []string{"--store", "--terminal"} {
			err := execute([]string{"--lang", c.lang, "central", "reconcile", flag, "S1"}, stdio{in: strings.NewReader(""), out: io.Discard, diag: io.Discard})
			if err == nil || exitStatus(err) != exitUsage || !strings.Contains(err.Error(), c.refusal) {
				t.Errorf("kiosk central reconcile %s S1 (%s): %v, want a usage error saying %q", flag, c.lang, err, c.refusal)
			}
		}
	}
}
