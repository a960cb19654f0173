package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestTheREADMEHasTwoSetUpCommands: a newcomer needs two commands, one
// that runs the kiosk and one that runs the tests, and the README says
// how to get the kiosk binary the rest of it uses.
func TestTheREADMEHasTwoSetUpCommands(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, tryIt, _ := strings.Cut(readme, "\n## Try it\n")
	tryIt, _, _ = strings.Cut(tryIt, "\n## ")
	var setUp []string
	for line := range strings.Lines(tryIt) {
		cmd, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "    ")
		if !ok {
			continue
		}
		// Running a command of the kiosk (go run . ledger) is using it, not setting it up.
		if cmd == "go run ." || !strings.HasPrefix(cmd, "go run . ") {
			setUp = append(setUp, cmd)
		}
	}
	if want := []string{"go run .", "go test -race ./..."}; !slices.Equal(setUp, want) {
		t.Errorf("the README's set-up commands are %q, want %q", setUp, want)
	}
	for _, want := range []string{"`go build -o kiosk .`", "`go install .`", "`kiosk --version`", "`kiosk COMMAND --help`"} {
		if !strings.Contains(readme, want) {
			t.Errorf("the README does not say %s", want)
		}
	}
}

// TestTheRestoreAdviceNamesAREADMESection: the advice to restore a backup
// names, in each language, a section of the README by a title it has.
func TestTheRestoreAdviceNamesAREADMESection(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for line := range strings.Lines(string(b)) {
		if title, ok := strings.CutPrefix(line, "## "); ok {
			titles = append(titles, strings.TrimSpace(title))
		}
	}
	quoted := regexp.MustCompile(`["“]([^"”]+)["”]`)
	for _, w := range words.All {
		m := quoted.FindStringSubmatch(w.CLI.RestoreAdvice)
		if m == nil || !slices.ContainsFunc(titles, func(title string) bool { return slices.Contains(strings.Split(title, " / "), m[1]) }) {
			t.Errorf("%s: the restore advice %q names no section of the README (%q)", w.Lang.Tag, w.CLI.RestoreAdvice, titles)
		}
	}
}
