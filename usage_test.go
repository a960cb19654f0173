package main

import (
	"bytes"
	"flag"
	"io"
	"regexp"
	"slices"
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

// TestEveryUsageLineNamesTheFlagsTheCommandTakes: the usage line kiosk
// help X prints names exactly the flags the command accepts, as parse
// builds them, --lang included; so does its line in kiosk help, and its
// flag list beneath.
func TestEveryUsageLineNamesTheFlagsTheCommandTakes(t *testing.T) {
	inLocale(t, "C", "", "")
	flagRE := regexp.MustCompile(`\[--([a-z0-9-]+)`)
	named := func(text string) []string {
		var names []string
		for _, m := range flagRE.FindAllStringSubmatch(text, -1) {
			names = append(names, m[1])
		}
		return names
	}
	overview := strings.Join(strings.Fields(usageText()), " ")
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, new(options))
		langFlag(fs, new(options)) // as parse does: every command takes --lang
		var takes []string
		fs.VisitAll(func(f *flag.Flag) { takes = append(takes, f.Name) })

		if c.path != "" {
			var out bytes.Buffer
			if err := runCommand(&out, append([]string{"help"}, c.words()...)...); err != nil {
				t.Fatalf("kiosk help %s: %v", c.path, err)
			}
			synopsis, _, _ := strings.Cut(out.String(), "\n\n") // the usage line, before the summary
			if !strings.HasPrefix(synopsis, "usage: "+c.name()+" ") {
				t.Errorf("kiosk help %s begins with no usage line:\n%s", c.path, out.String())
			}
			if got := named(synopsis); !slices.Equal(got, takes) {
				t.Errorf("kiosk help %s: the usage line names %v, the command takes %v:\n%s", c.path, got, takes, synopsis)
			}
		}
		if got := named(c.synopsis()); !slices.Equal(got, takes) || !strings.Contains(overview, c.synopsis()) {
			t.Errorf("kiosk help: %s names %v, the command takes %v", c.name(), got, takes)
		}
	}
}
