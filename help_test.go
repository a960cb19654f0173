package main

import (
	"bytes"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// kioskRun runs `kiosk args...` as run does, in English whatever the
// host's locale, and returns what it printed and its exit status.
func kioskRun(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	return kioskRunIn(t, "en", args...)
}

// TestHelpOfACommandIsItsUsageAlone: kiosk COMMAND --help (or -h, -help)
// exits 0 and prints that command's usage alone on standard output:
// its synopsis, what it does and each flag, and no other command.
func TestHelpOfACommandIsItsUsageAlone(t *testing.T) {
	for _, c := range commands[:len(commands)-1] {
		for _, help := range []string{"--help", "-h", "-help"} {
			args := append(c.words(), help)
			out, diag, status := kioskRun(t, args...)
			if status != exitOK || diag != "" {
				t.Errorf("kiosk %s: status %d, stderr %q", strings.Join(args, " "), status, diag)
			}
			if !strings.HasPrefix(out, "usage: "+c.name()+" ") && out != "usage: "+c.name()+"\n" {
				t.Errorf("kiosk %s does not begin with its synopsis:\n%s", strings.Join(args, " "), out)
			}
			if strings.Count(out, "usage: ") != 1 || strings.Contains(out, "kiosk help") {
				t.Errorf("kiosk %s shows more than its own usage:\n%s", strings.Join(args, " "), out)
			}
		}
	}
	out, _, status := kioskRun(t, "ledger", "check", "--help")
	want := "usage: kiosk ledger check [--config FILE] [--data DIR] [--lang en|zh]\n\n" +
		"verify the ledger file (bbolt's check and the ledger's own rules)\n\n"
	if status != exitOK || !strings.HasPrefix(out, want) {
		t.Errorf("kiosk ledger check --help:\n%s\nwant it to begin\n%s", out, want)
	}
	for _, flag := range []string{"--config FILE", "--data DIR", "--lang en|zh"} {
		if !strings.Contains(out, "\n  "+flag+" ") {
			t.Errorf("kiosk ledger check --help does not describe %s:\n%s", flag, out)
		}
	}
	if strings.Contains(out, "--date") || strings.Contains(out, "--format") {
		t.Errorf("kiosk ledger check --help lists a flag it does not take:\n%s", out)
	}
	// Help asked for after a command's flags and arguments is still help.
	if out, diag, status := kioskRun(t, "api", "query", "--out-trade-no", "X", "--help"); status != exitOK || diag != "" || !strings.HasPrefix(out, "usage: kiosk api query [") {
		t.Errorf("kiosk api query ... --help: status %d, stderr %q, stdout\n%s", status, diag, out)
	}
}

// TestHelpOfAGroupListsItsCommands: kiosk WORD --help, for each word that
// begins commands (ledger, manager, emulator, api, central, keys), exits 0
// and lists those commands and no others.
func TestHelpOfAGroupListsItsCommands(t *testing.T) {
	for _, group := range []string{"ledger", "manager", "emulator", "api", "central", "keys"} {
		out, diag, status := kioskRun(t, group, "--help")
		if status != exitOK || diag != "" {
			t.Errorf("kiosk %s --help: status %d, stderr %q", group, status, diag)
		}
		flat := strings.Join(strings.Fields(out), " ")
		for _, c := range commands {
			w := c.words()
			in := len(w) > 0 && w[0] == group
			if shown := strings.Contains(flat, c.synopsis()); shown != in {
				t.Errorf("kiosk %s --help: shows %s %v, want %v:\n%s", group, c.name(), shown, in, out)
			}
		}
		if !strings.Contains(out, "kiosk "+group+" COMMAND --help") {
			t.Errorf("kiosk %s --help does not say how to see a command's flags:\n%s", group, out)
		}
	}
	// kiosk ledger and kiosk api are commands too: their own flags come first.
	if out, _, _ := kioskRun(t, "ledger", "--help"); !strings.HasPrefix(out, "usage: kiosk ledger [") || !strings.Contains(out, "\n  --bom ") {
		t.Errorf("kiosk ledger --help does not begin with kiosk ledger's usage:\n%s", out)
	}
}

// TestKioskHelpOfACommandIsItsHelp: kiosk help WORDS prints what kiosk
// WORDS --help prints, for each command and each group (kiosk help
// ledger is kiosk ledger --help, not every command), in the language asked
// for; a word that names no command is refused in one line, with the
// status of a usage error.
func TestKioskHelpOfACommandIsItsHelp(t *testing.T) {
	topics := [][]string{{"ledger"}, {"manager"}, {"emulator"}, {"api"}, {"central"}, {"keys"}}
	for _, c := range commands[:len(commands)-1] {
		topics = append(topics, c.words())
	}
	for _, topic := range topics {
		want, _, _ := kioskRun(t, append(slices.Clone(topic), "--help")...)
		out, diag, status := kioskRun(t, append([]string{"help"}, topic...)...)
		if status != exitOK || diag != "" || out != want {
			t.Errorf("kiosk help %s: status %d, stderr %q, stdout\n%s\nwant what kiosk %[1]s --help prints:\n%[5]s", strings.Join(topic, " "), status, diag, out, want)
		}
	}
	zh, _, _ := kioskRunIn(t, "zh", "ledger", "check", "--help")
	if out, _, _ := kioskRun(t, "--lang", "zh", "help", "ledger", "check"); out != zh {
		t.Errorf("kiosk --lang zh help ledger check:\n%s\nwant\n%s", out, zh)
	}
	for _, topic := range [][]string{{"bogus"}, {"ledger", "bogus"}, {"ledger", "report", "extra"}} {
		out, diag, status := kioskRun(t, append([]string{"help"}, topic...)...)
		if status != exitUsage || out != "" || strings.Count(diag, "\n") != 1 || !strings.Contains(diag, strings.Join(topic, " ")) {
			t.Errorf("kiosk help %s: status %d, stdout %q, stderr %q; want status 2 and one line naming it", strings.Join(topic, " "), status, out, diag)
		}
	}
}

// TestKioskHelpAndVersion: kiosk --help is kiosk help, and kiosk --version
// says the Go version it was built with; both exit 0 and write nothing
// on standard error.
func TestKioskHelpAndVersion(t *testing.T) {
	help, _, _ := kioskRun(t, "help")
	for _, args := range [][]string{{"--help"}, {"-h"}, {"--data", t.TempDir(), "--help"}} {
		if out, diag, status := kioskRun(t, args...); status != exitOK || diag != "" || out != help {
			t.Errorf("kiosk %s: status %d, stderr %q, stdout\n%s", strings.Join(args, " "), status, diag, out)
		}
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}, {"--lang", "en", "version"}, {"version", "--lang=en"}} {
		out, diag, status := kioskRun(t, args...)
		if status != exitOK || diag != "" || !strings.HasPrefix(out, "kiosk ") || !strings.Contains(out, runtime.Version()) || strings.Count(out, "\n") != 1 {
			t.Errorf("kiosk %s: status %d, stderr %q, stdout %q", strings.Join(args, " "), status, diag, out)
		}
	}
	if out, _, status := kioskRun(t, "--lang", "zh", "version"); status != exitOK || !strings.Contains(out, runtime.Version()) {
		t.Errorf("kiosk --lang zh version: status %d, stdout %q", status, out)
	}
}

// TestDurationsAreReadByOneRule: a length of time on the command line
// reads as it does in the config and KIOSK_*: a bare number is seconds.
func TestDurationsAreReadByOneRule(t *testing.T) {
	inLocale(t, "C", "", "")
	for value, want := range map[string]time.Duration{"90": 90 * time.Second, "90s": 90 * time.Second, "2m": 2 * time.Minute, "1m30s": 90 * time.Second} {
		c, e, err := parse([]string{"--qr-timeout", value, "--poll-interval=" + value, "--config", ""}, stdio{out: new(bytes.Buffer), diag: new(bytes.Buffer)})
		if err != nil || c == nil {
			t.Fatalf("--qr-timeout %s: %v", value, err)
		}
		if e.opts.qrTimeout != want || e.opts.pollInterval != want {
			t.Errorf("--qr-timeout %s = %v, --poll-interval = %v; want %v", value, e.opts.qrTimeout, e.opts.pollInterval, want)
		}
		cfg, err := loadConfig(writeFile(t, t.TempDir(), "kiosk.toml", "qr_timeout = "+tomlValue(value)+"\n"))
		if err != nil || cfg.QRTimeout.Duration != want {
			t.Errorf("qr_timeout = %s: %v, %v; want %v", tomlValue(value), cfg.QRTimeout.Duration, err, want)
		}
	}
	_, e, err := parse([]string{"api", "query", "--timeout", "3"}, stdio{out: new(bytes.Buffer), diag: new(bytes.Buffer)})
	if err != nil || e.opts.timeout != 3*time.Second {
		t.Errorf("kiosk api --timeout 3: %v, %v; want 3s", err, e.opts.timeout)
	}
	for _, args := range [][]string{{"--qr-timeout", "soon"}, {"--qr-timeout", "-5"}, {"doctor", "--timeout", "1 minute"}} {
		_, diag, status := kioskRun(t, args...)
		if status != exitUsage || !strings.Contains(diag, "is not a length of time: write it as 90 or 90s (seconds), 2m or 1m30s") || strings.Count(diag, "\n") != 1 {
			t.Errorf("kiosk %s: status %d, stderr %q", strings.Join(args, " "), status, diag)
		}
	}
}

// tomlValue is value as the config writes it: a number bare, else quoted.
func tomlValue(value string) string {
	if strings.Trim(value, "0123456789") == "" {
		return value
	}
	return `"` + value + `"`
}

// TestFlagsAreRefusedInTheKiosksWords: a flag the command does not take,
// one without its value and a value a flag cannot have are each refused
// in one line of the kiosk's words, with exit status 2 and nothing else
// printed (not the flag package's own complaint and usage).
func TestFlagsAreRefusedInTheKiosksWords(t *testing.T) {
	data := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"ledger", "check", "--data", data, "--date", "2026-12-01"}, "kiosk ledger check takes no flag --date: kiosk ledger check --help lists its flags"},
		{[]string{"--data", data, "--nonsense"}, "kiosk takes no flag --nonsense: kiosk --help lists its flags"},
		{[]string{"ledger", "--data", data, "--date"}, "--date needs a value: kiosk ledger --help says which"},
		{[]string{"ledger", "--date", "--data", data}, "--date needs a value: kiosk ledger --help says which"},
		{[]string{"ledger", "backup", "copy.db", "--data", data, "--force=maybe"}, `--force cannot be "maybe": kiosk ledger backup --help says what it takes`},
		{[]string{"emulator", "serve", "--notify-scale", "fast"}, `--notify-scale cannot be "fast": kiosk emulator serve --help says what it takes`},
		{[]string{"api", "query", "--timeout", "x"}, `--timeout: "x" is not a length of time`},
	} {
		out, diag, status := kioskRun(t, tt.args...)
		if status != exitUsage || out != "" || diag != "kiosk: "+tt.want+"\n" && !strings.HasPrefix(diag, "kiosk: "+tt.want) {
			t.Errorf("kiosk %s: status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(tt.args, " "), status, out, diag, tt.want)
		}
		if strings.Count(diag, "\n") != 1 {
			t.Errorf("kiosk %s says more than one line:\n%s", strings.Join(tt.args, " "), diag)
		}
	}
	if entries, _ := os.ReadDir(data); len(entries) > 0 {
		t.Errorf("refused flags still wrote %d files in the data directory", len(entries))
	}
}

// TestADayOrARangeNotBoth: kiosk ledger and kiosk central ledger refuse
// --to without --from, and --date with --from or --to, rather than
// printing some other days; nothing is opened.
func TestADayOrARangeNotBoth(t *testing.T) {
	data := t.TempDir()
	for _, group := range [][]string{{"ledger", "--data", data}, {"central", "ledger"}} {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"--to", "2026-11-30"}, "--to 2026-11-30 needs --from, the first day of the range (for that day alone: --date 2026-11-30)"},
			{[]string{"--date", "2026-11-30", "--from", "2026-11-01"}, "--date names one day and --from/--to a range of days: give one or the other"},
			{[]string{"--date", "2026-11-30", "--to", "2026-11-01"}, "--date names one day and --from/--to a range of days: give one or the other"},
			{[]string{"--date", "2026-11-30", "--from", "2026-11-01", "--to", "2026-11-02"}, "--date names one day"},
		} {
			args := append(slices.Clone(group), tt.args...)
			out, diag, status := kioskRun(t, args...)
			if status != exitUsage || out != "" || !strings.HasPrefix(diag, "kiosk: "+tt.want) || strings.Count(diag, "\n") != 1 {
				t.Errorf("kiosk %s: status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(args, " "), status, out, diag, tt.want)
			}
		}
	}
	if entries, _ := os.ReadDir(data); len(entries) > 0 {
		t.Errorf("a refused query still wrote %d files in the data directory", len(entries))
	}
}

// TestHelpNeverBreaksBeforeClosingPunctuation: a wrapped Chinese line
// never starts with closing punctuation (、）。…) nor ends with opening
// punctuation; the punctuation goes with the word it closes or opens.
func TestHelpNeverBreaksBeforeClosingPunctuation(t *testing.T) {
	for _, tt := range []struct{ s, want string }{
		{"甲乙丙丁戊、close", "甲乙丙丁戊、\nclose\n"},
		{"甲乙丙丁戊己）", "甲乙丙丁戊\n己）\n"},
		{"甲乙丙丁戊（己庚", "甲乙丙丁戊\n（己庚\n"},
		{"甲乙 precreate、close", "甲乙\nprecreate、\nclose\n"},
	} {
		if got := wrap(tt.s, "", "", 12); got != tt.want {
			t.Errorf("wrap(%q, 12) = %q, want %q", tt.s, got, tt.want)
		}
	}
	for _, args := range [][]string{{"help"}, {"api", "--help"}, {"emulator", "serve", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			text, _, _ := kioskRunIn(t, "zh", args...)
			for _, line := range strings.Split(text, "\n") {
				trimmed := strings.TrimSpace(line)
				if r, _ := utf8.DecodeRuneInString(trimmed); trimmed != "" && strings.ContainsRune("、，。：；）」", r) {
					t.Errorf("a help line starts with %q: %q", r, line)
				}
			}
		})
	}
}
