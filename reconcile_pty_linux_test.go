package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// typedOnATerminal is a terminal on which input has been typed, for a
// command's standard input; the test is skipped where there is none.
func typedOnATerminal(t *testing.T, input string) *os.File {
	t.Helper()
	master, slave, err := openPty(80, 24)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	go io.Copy(io.Discard, master) // what the terminal echoes, if anything
	if _, err := master.WriteString(input); err != nil {
		t.Fatal(err)
	}
	return slave
}

// TestReconcileApplyAsksOnTheTerminalNotInTheOutput: the PIN asked for on
// a terminal is asked on standard error, so that `kiosk ledger reconcile
// --apply | tail` shows the reconciliation and not the question.
func TestReconcileApplyAsksOnTheTerminalNotInTheOutput(t *testing.T) {
	dir := t.TempDir()
	c, sale, date := refundedOutside(t, dir, "246813")
	var out, diag bytes.Buffer
	err := execute([]string{"ledger", "reconcile", "--apply", "--data", dir, "--date", date},
		stdio{in: typedOnATerminal(t, "246813\n"), out: &out, diag: &diag})
	if err != nil {
		t.Fatalf("--apply: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "Manager PIN:") || !strings.Contains(diag.String(), "Manager PIN:") {
		t.Errorf("the question went to the output:\nout: %s\ndiag: %s", out.String(), diag.String())
	}
	if !strings.Contains(out.String(), "Recorded 1 refund made outside the kiosk") {
		t.Errorf("out: %s", out.String())
	}
	if s, err := c.ledger.Get(sale.OutTradeNo); err != nil || len(s.Refunds) != 1 {
		t.Errorf("the ledger's sale: %+v, %v", s, err)
	}
}

// TestSetPINAsksOnTheTerminalNotInTheOutput: kiosk manager set-pin asks
// its questions on standard error too; the output is what it did.
func TestSetPINAsksOnTheTerminalNotInTheOutput(t *testing.T) {
	dir := t.TempDir()
	c, _, _ := refundedOutside(t, dir, "")
	var out, diag bytes.Buffer
	in := typedOnATerminal(t, "246813\n246813\n")
	if err := execute([]string{"manager", "set-pin", "--data", dir}, stdio{in: in, out: &out, diag: &diag}); err != nil {
		t.Fatalf("set-pin: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "PIN:") || !strings.Contains(diag.String(), "PIN") ||
		strings.TrimSpace(out.String()) != "Manager PIN set. Refunds and closing the day will ask for it." {
		t.Errorf("out: %q\ndiag: %q", out.String(), diag.String())
	}
	if set, _ := c.ledger.HasManagerPIN(); !set {
		t.Error("no PIN was set")
	}
}
