package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestUsageIsMadeFromTheFlags: kiosk help names every flag of every
// command, as its definition names the value, so the usage text and the
// flags cannot drift apart; and every command that reads a configuration
// takes --config.
func TestUsageIsMadeFromTheFlags(t *testing.T) {
	usage := usageText()
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, new(options))
		if takes := fs.Lookup("config") != nil; takes == c.noConf {
			t.Errorf("%s reads a configuration %v, takes --config %v", c.name(), !c.noConf, takes)
		}
		flat := strings.Join(strings.Fields(usage), " ")
		if !strings.Contains(flat, c.synopsis()) {
			t.Errorf("kiosk help lacks the synopsis %q", c.synopsis())
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(c.synopsis(), "[--"+f.Name) {
				t.Errorf("the synopsis of %s lacks --%s: %s", c.name(), f.Name, c.synopsis())
			}
		})
	}
	if !strings.Contains(strings.Join(strings.Fields(usage), " "), "kiosk ledger report [--config FILE] [--data DIR] [--date YYYY-MM-DD] [--format table|json]") {
		t.Errorf("kiosk ledger report's synopsis:\n%s", usage)
	}
}

// TestCommandsAreFoundByTheirWords: each command's words name it, the
// longest first, and what names none goes to the counter.
func TestCommandsAreFoundByTheirWords(t *testing.T) {
	discard := stdio{out: io.Discard, diag: io.Discard}
	for args, want := range map[string]string{
		"ledger report --format json": "ledger report",
		"ledger --date 2026-12-01":    "ledger",
		"api verify-notify":           "api verify-notify",
		"api query":                   "api query",
		"api --verbose query":         "api",
		"--data /tmp/x":               "",
		"central ledger --bom":        "central ledger",
	} {
		c, _, err := parse(strings.Fields(args), discard)
		if err != nil || c == nil || c.path != want {
			t.Errorf("%q: %v, %v; want %q", args, c, err, want)
		}
	}
	for args, says := range map[string]string{
		"central":          "central needs a subcommand",
		"central nonsense": `unknown central subcommand "nonsense"`,
		"emulator":         "emulator needs a subcommand: serve, pay, buyer-code or confirm",
		"manager":          "manager needs a subcommand: set-pin",
		"api":              "api needs a method: precreate",
		"api nope --x":     `unknown api method "nope"`,
		"nonsense":         `unknown command "nonsense"`,
		"ledger backup":    "kiosk ledger backup takes one FILE",
		"ledger check x":   `kiosk ledger check takes no arguments, got "x"`,
	} {
		if _, _, err := parse(strings.Fields(args), discard); err == nil || exitStatus(err) != exitUsage || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: %v; want a usage error saying %q", args, err, says)
		}
	}
}
