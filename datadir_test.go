package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/pos"
)

// TestEveryCommandFindsTheDataDirOfTheConfig: with only KIOSK_CONFIG
// naming a config whose data_dir is a directory of its own, `manager
// set-pin` sets the PIN there, the counter finds that PIN there, and `kiosk
// ledger`, `ledger check` and `emulator pay` read that ledger, as the
// counter does. The default data directory is a temporary one too, so
// that a command that missed data_dir would find nothing, not the user's.
func TestEveryCommandFindsTheDataDirOfTheConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeFile(t, t.TempDir(), "kiosk.toml", "data_dir = \""+filepath.ToSlash(dir)+"\"\n")
	t.Setenv("KIOSK_CONFIG", cfgPath)
	t.Setenv("KIOSK_DATA", "")
	unsetenv(t, "KIOSK_DATA_DIR") // set, even empty, it would override data_dir
	t.Setenv("XDG_DATA_HOME", t.TempDir())

	pin := func(input string) error {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString(input)
		w.Close()
		defer r.Close()
		return execute([]string{"manager", "set-pin"}, stdio{in: r, out: io.Discard, diag: io.Discard})
	}
	if err := pin("246813\n246813\n"); err != nil {
		t.Fatalf("set-pin with only KIOSK_CONFIG: %v", err)
	}

	// The counter, started as `kiosk` with no flags would be.
	_, e, err := parse(nil, stdio{out: io.Discard, diag: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if e.dataDir() != dir {
		t.Fatalf("the counter's data directory is %s, want the config's %s", e.dataDir(), dir)
	}
	plan, err := planCounter(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := openCounter(plan, dataDir(e.opts.data, e.cfg.DataDir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	today := c.register.Today()
	sale, err := c.register.Start(context.Background(), 1234, "data dir") // before the close, which ends the day's sales
	if err != nil {
		t.Fatal(err)
	}
	var wrong *pos.PINError
	if _, err := c.register.CloseDay(today, "135790"); !errors.As(err, &wrong) || !wrong.Wrong {
		t.Fatalf("a wrong PIN at the counter: %v; want a PINError, so the PIN set is there", err)
	}
	if _, err := c.register.CloseDay(today, "246813"); err != nil {
		t.Fatalf("the PIN set-pin set does not close the day at the counter: %v", err)
	}

	// The manager's tools, beside the running counter.
	var out bytes.Buffer
	if err := execute([]string{"emulator", "pay", sale.OutTradeNo}, stdio{out: &out, diag: io.Discard}); err != nil {
		t.Fatalf("emulator pay with only KIOSK_CONFIG: %v", err)
	}
	if res, err := c.register.Poll(context.Background(), sale); err != nil || res.Progress != pos.Paid {
		t.Fatalf("the sale paid by emulator pay: %+v, %v", res, err)
	}
	out.Reset()
	if err := runCommand(&out, "ledger", "--date", today, "--format", "json"); err != nil || !strings.Contains(out.String(), sale.OutTradeNo) {
		t.Errorf("kiosk ledger with only KIOSK_CONFIG: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := runCommand(&out, "ledger", "check"); err != nil || !strings.Contains(out.String(), filepath.Join(dir, "ledger.db")) {
		t.Errorf("kiosk ledger check with only KIOSK_CONFIG: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := runCommand(&out, "ledger", "report", "--date", today, "--format", "json"); err != nil || !strings.Contains(out.String(), `"z_number": 1`) {
		t.Errorf("kiosk ledger report with only KIOSK_CONFIG: %v\n%s", err, out.String())
	}
}

// unsetenv removes key from the environment for the test.
func unsetenv(t *testing.T, key string) {
	t.Helper()
	t.Setenv(key, "") // restores the old value when the test ends
	os.Unsetenv(key)
}
