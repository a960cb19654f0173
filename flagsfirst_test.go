package main

import (
	"flag"
	"strings"
	"testing"
)

// TestFlagsBeforeTheCommandWord: kiosk [flags] COMMAND [flags/args] is
// kiosk COMMAND [flags] [flags/args]: --lang, --data and --config written
// first reach the command, a value that looks like a command word stays
// its flag's value, and a flag the command does not take is refused in one
// line that names the command.
func TestFlagsBeforeTheCommandWord(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--lang", "zh", "ledger", "--data", dir},
		{"--lang=zh", "--data", dir, "ledger"},
		{"--data", dir, "--lang", "zh", "ledger", "--format", "table"},
	} {
		out, diag, status := kioskRun(t, args...)
		if status != exitOK || diag != "" || !strings.Contains(out, "的交易") {
			t.Errorf("kiosk %s: status %d, stderr %q, stdout\n%s", strings.Join(args, " "), status, diag, out)
		}
	}
	if out, diag, status := kioskRun(t, "--data", dir, "ledger", "--format", "json"); status != exitOK || diag != "" || !strings.HasPrefix(out, "{") {
		t.Errorf("kiosk --data D ledger --format json: status %d, stderr %q, stdout\n%s", status, diag, out)
	}
	if out, _, status := kioskRun(t, "--lang", "zh", "ledger", "--help"); status != exitOK || !strings.HasPrefix(out, "用法：kiosk ledger [") || !strings.Contains(out, "kiosk ledger report") {
		t.Errorf("kiosk --lang zh ledger --help: status %d, stdout\n%s", status, out)
	}
	if out, _, status := kioskRun(t, "--lang", "zh", "help"); status != exitOK || !strings.Contains(out, "运行收银台") {
		t.Errorf("kiosk --lang zh help: status %d, stdout\n%s", status, out)
	}
	// --data ledger names a directory called ledger: the counter's flag,
	// the counter's command (which refuses to run off a terminal).
	c, e, err := parse(flagsAfterCommand([]string{"--data", "ledger", "--new-ledger"}), stdio{})
	if err != nil || c == nil || c.path != "" || e.opts.data != "ledger" {
		t.Errorf("kiosk --data ledger --new-ledger: %v, %v", c, err)
	}
	c, e, err = parse(flagsAfterCommand([]string{"--data", dir, "emulator", "pay", "--addr", "127.0.0.1:1", "N1"}), stdio{})
	if err != nil || c == nil || c.path != "emulator pay" || e.opts.data != dir || e.args[0] != "N1" {
		t.Errorf("kiosk --data D emulator pay --addr A N1: %v, %v", c, err)
	}
	for args, says := range map[string]string{
		"--qr-timeout 5s ledger": "kiosk ledger takes no flag --qr-timeout",
		"--new-ledger ledger":    "kiosk ledger takes no flag --new-ledger",
		"--bogus ledger check":   "kiosk ledger check takes no flag --bogus",
	} {
		_, diag, status := kioskRun(t, strings.Fields(args)...)
		if status != exitUsage || strings.Count(diag, "\n") != 1 || !strings.Contains(diag, says) {
			t.Errorf("kiosk %s: status %d, stderr %q; want one line saying %q", args, status, diag, says)
		}
	}
}

// TestFlagsAgreeWhetherTheyTakeAValue: a flag of one name takes a value in
// every command or in none, so that a flag written before the command's
// words is read as the command will read it.
func TestFlagsAgreeWhetherTheyTakeAValue(t *testing.T) {
	valued := map[string]string{}
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, new(options))
		fs.VisitAll(func(f *flag.Flag) {
			kind := "a value"
			if isBool(f) {
				kind = "no value"
			}
			if was, ok := valued[f.Name]; ok && was != kind {
				t.Errorf("--%s takes %s in %s and %s elsewhere", f.Name, kind, c.name(), was)
			}
			valued[f.Name] = kind
		})
	}
}

// TestCommandWordFirstBuildsNoFlagSet: with the command's words first
// (kiosk ledger --format json), there is nothing to move, and
// flagsAfterCommand reads no command's flags to find that out: it used to
// build every command's flag set, some 450 allocations, at the start of
// every run. A count of allocations, not a time.
func TestCommandWordFirstBuildsNoFlagSet(t *testing.T) {
	args := []string{"ledger", "--format", "json", "--data", t.TempDir()}
	var got []string
	if allocs := testing.AllocsPerRun(5, func() { got = flagsAfterCommand(args) }); allocs != 0 {
		t.Errorf("flagsAfterCommand(%q) made %.0f allocations; want none", args, allocs)
	}
	if strings.Join(got, " ") != strings.Join(args, " ") {
		t.Errorf("flagsAfterCommand(%q) = %q; want them as they are", args, got)
	}
}
