package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/alipay"
	"kiosk/store"
)

// TestKioskChild is not a test of its own: run as a child process by
// runKiosk, it is the kiosk command, so that a test sees exactly what a
// person would, stack traces included. The counter needs a terminal to
// draw in, so for it the child only opens the counter, as counterCommand
// does, and prints the error as run does.
func TestKioskChild(t *testing.T) {
	args, ok := os.LookupEnv("KIOSK_CHILD_ARGS")
	if !ok {
		t.Skip("runs only as a child of runKiosk")
	}
	argv := strings.Split(args, "\n")
	if argv[0] != "counter" {
		os.Exit(run(argv))
	}
	plan, err := planCounter(fileConfig{})
	if err == nil {
		plan.newLedger = len(argv) > 2 && argv[2] == "--new-ledger"
		var c *counter
		if c, err = openCounter(plan, argv[1]); err == nil {
			c.close()
			os.Exit(exitOK)
		}
	}
	fmt.Fprintln(os.Stderr, "kiosk:", err)
	os.Exit(exitUsage)
}

// runKiosk runs the kiosk with args in a child process and returns its
// exit status, standard output and standard error.
func runKiosk(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKioskChild$")
	cmd.Env = append(os.Environ(), "KIOSK_CHILD_ARGS="+strings.Join(args, "\n"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// seedDataDir is a data directory whose ledger has a few days of sales,
// written by a kiosk in the default zone (Asia/Shanghai) and closed.
func seedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{Location: alipay.Location()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2024, 5, 10, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		no := fmt.Sprintf("KT1_%05d", i)
		created := day.Add(time.Duration(i) * 7 * time.Hour)
		if err := st.Create(store.Sale{OutTradeNo: no, AmountFen: 100 + int64(i), Subject: strings.Repeat("Coffee ", 40), CreatedAt: created}); err != nil {
			t.Fatal(err)
		}
		if i%4 != 3 {
			if _, _, err := st.MarkPaid(no, store.Payment{TradeNo: "T" + no, PaidAt: created.Add(time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// salesRoot returns the page size and the root page of the sales bucket.
func salesRoot(t *testing.T, path string) (pageSize, root int64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		root = int64(tx.Bucket([]byte("sales")).Root())
		return nil
	})
	if err != nil || root < 2 {
		t.Fatalf("sales root %d: %v", root, err)
	}
	return int64(db.Info().PageSize), root
}

func overwrite(t *testing.T, path string, off int64, junk string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte(junk), off); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedLedgerIsOneLine damages the ledger in each way a disk can and
// runs the kiosk's start and the managers' commands on it: each says in
// one line which file, what is wrong and what to do, and none shows a Go
// stack trace.
func TestDamagedLedgerIsOneLine(t *testing.T) {
	seed := seedDataDir(t)
	ps, root := salesRoot(t, filepath.Join(seed, "ledger.db"))
	fi, err := os.Stat(filepath.Join(seed, "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	damages := []struct {
		name, want string
		damage     func(path string) error
	}{
		{"cut to 100 bytes", "cut short", func(p string) error { return os.Truncate(p, 100) }},
		{"cut to two pages", "cut short", func(p string) error { return os.Truncate(p, 2*ps) }},
		{"cut in the middle", "cut short", func(p string) error { return os.Truncate(p, fi.Size()/2/ps*ps+17) }},
		{"sales page scribbled", fmt.Sprintf("page %d", root), func(p string) error {
			overwrite(t, p, root*ps+16, "\xff\xff\xff\x7f scribbled over an entry table")
			return nil
		}},
		{"both header pages scribbled", "header pages", func(p string) error {
			overwrite(t, p, 20, "scribbled")
			overwrite(t, p, ps+20, "scribbled")
			return nil
		}},
		{"emptied", "is empty", func(p string) error { return os.Truncate(p, 0) }},
		{"deleted", "is missing", os.Remove},
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, seed, dir)
			path := filepath.Join(dir, "ledger.db")
			if err := d.damage(path); err != nil {
				t.Fatal(err)
			}
			commands := [][]string{
				{"counter", dir},
				{"ledger", "--data", dir, "--date", "2024-05-11"},
				{"ledger", "report", "--data", dir, "--date", "2024-05-11"},
				{"ledger", "check", "--data", dir},
			}
			for _, args := range commands {
				code, stdout, stderr := runKiosk(t, args...)
				line := strings.TrimSuffix(stderr, "\n")
				switch {
				case code == exitOK:
					t.Errorf("%v succeeded on a damaged ledger:\n%s", args, stdout)
				case strings.Contains(line, "\n") || !strings.HasPrefix(line, "kiosk: "):
					t.Errorf("%v: want one line on stderr, got:\n%s", args, stderr)
				case !strings.Contains(line, path) || !strings.Contains(line, "backup"):
					t.Errorf("%v: %q does not name %s and say to restore a backup", args, line, path)
				case args[0] == "counter" && !strings.Contains(line, d.want):
					t.Errorf("%v: %q does not say %q", args, line, d.want)
				}
				for _, trace := range []string{"goroutine ", "panic", "fatal error", "SIGBUS", "SIGSEGV"} {
					if strings.Contains(stdout+stderr, trace) {
						t.Errorf("%v shows %q:\n%s%s", args, trace, stdout, stderr)
					}
				}
				if args[1] == "check" && !strings.Contains(stdout, d.want) {
					t.Errorf("ledger check does not say %q:\n%s", d.want, stdout)
				}
				if args[1] == "check" {
					checkSaysWhatACheckSays(t, d.name, stdout, line)
				}
			}
			if after, err := os.Stat(path); d.name == "emptied" && (err != nil || after.Size() != 0) {
				t.Errorf("the refused kiosk wrote into the emptied ledger: %v, %v", after, err)
			}
		})
	}
}

// checkSaysWhatACheckSays: ledger check on a damaged ledger says what is
// wrong and what to do, not that the kiosk will not start; where the file
// is gone (deleted, emptied) the way out is --new-ledger too, as the
// refusal to start says it; a deleted file has no size to give.
func checkSaysWhatACheckSays(t *testing.T, damage, stdout, stderr string) {
	t.Helper()
	gone := damage == "deleted" || damage == "emptied"
	switch {
	case strings.Contains(stderr, "will not start"):
		t.Errorf("%s: ledger check words its advice as the refusal to start: %q", damage, stderr)
	case gone != strings.Contains(stderr, "start the kiosk with --new-ledger to begin an empty ledger"):
		t.Errorf("%s: ledger check names --new-ledger %v, want %v: %q", damage, !gone, gone, stderr)
	case damage == "deleted" && strings.Contains(stdout, "(0 bytes)"):
		t.Errorf("a missing ledger is given a size:\n%s", stdout)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNewLedgerFlag: the manager who has no backup says --new-ledger, and
// the kiosk starts with an empty ledger where the old one was lost.
func TestNewLedgerFlag(t *testing.T) {
	dir := seedDataDir(t)
	if err := os.Remove(filepath.Join(dir, "ledger.db")); err != nil {
		t.Fatal(err)
	}
	c, e, err := parse([]string{"--new-ledger"}, stdio{out: io.Discard, diag: io.Discard})
	if err != nil || c.path != "" || !e.opts.newLedger {
		t.Fatalf("--new-ledger: %+v, %v", e, err)
	}
	if code, _, stderr := runKiosk(t, "counter", dir, "--new-ledger"); code != exitOK {
		t.Fatalf("the kiosk with --new-ledger: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr := runKiosk(t, "ledger", "check", "--data", dir); code != exitOK {
		t.Errorf("ledger check of the new ledger: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestBackupAndRestore follows the README: back up while the kiosk runs,
// refuse to overwrite, restore the copy as a data directory's ledger.db,
// check it, and start the kiosk on it.
func TestBackupAndRestore(t *testing.T) {
	dir := seedDataDir(t)
	running, err := store.Open(dir, store.Options{Location: alipay.Location()}) // the kiosk holds the ledger
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	backup := filepath.Join(t.TempDir(), "ledger-2024-05-17.db")
	code, stdout, stderr := runKiosk(t, "ledger", "backup", "--data", dir, backup)
	if code != exitOK || !strings.Contains(stdout, "Backed up") {
		t.Fatalf("backup: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = runKiosk(t, "ledger", "backup", "--data", dir, backup)
	if code != exitUsage || !strings.Contains(stderr, "--force") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("backup over an existing file: exit %d, %q", code, stderr)
	}
	if code, _, stderr = runKiosk(t, "ledger", "backup", backup, "--data", dir, "--force"); code != exitOK {
		t.Errorf("backup --force: exit %d, %q", code, stderr)
	}
	running.Close()

	restored := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "ledger.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runKiosk(t, "ledger", "check", "--data", restored)
	if code != exitOK || !strings.Contains(stdout, "40 sales") || !strings.Contains(stdout, "No problems found") {
		t.Errorf("check of the restored ledger: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runKiosk(t, "counter", restored); code != exitOK {
		t.Errorf("the kiosk on the restored ledger: exit %d, %s", code, stderr)
	}
}
