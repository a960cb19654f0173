package main

import (
	"os"
	"slices"
	"strings"
	"testing"
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
