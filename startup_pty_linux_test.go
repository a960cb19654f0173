package main

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The screen starts while the counter opens (ui.RunOpening), so a
// refusal comes after the program has the terminal. A second kiosk on the
// same ledger, in a terminal of its own, is still refused in one line
// with exit status 2, once its screen has given the terminal back, and
// the first kiosk goes on.
func TestASecondKioskInATerminalIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kiosk processes; skipped with -short")
	}
	dir := t.TempDir()
	first := startPtyKiosk(t, dir)
	first.waitFor(t, "Amount (yuan)")
	second := startPtyKiosk(t, dir)
	select {
	case <-second.exited:
	case <-time.After(30 * time.Second): // far past any start: it waits for the lock instead of refusing
		t.Fatalf("the second kiosk is still running; it drew:\n%s", second.screen())
	}
	var exit *exec.ExitError
	if !errors.As(second.err, &exit) || exit.ExitCode() != exitUsage {
		t.Errorf("the second kiosk exited with %v; want exit status %d", second.err, exitUsage)
	}
	second.waitForOutput(t, "kiosk:")
	second.waitForOutput(t, dir)
	first.type_(t, "5\r")
	first.waitFor(t, "Scan with Alipay")
}

// waitForOutput waits until the kiosk has written want, also after it
// exited: what it wrote last may still be on its way through the
// terminal.
func (k *ptyKiosk) waitForOutput(t *testing.T, want string) {
	t.Helper()
	want = strings.Join(strings.Fields(want), "")
	deadline := time.After(30 * time.Second)
	for {
		k.mu.Lock()
		changed := k.changed
		k.mu.Unlock()
		if strings.Contains(k.screen(), want) {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the kiosk never wrote %q:\n%s", want, k.screen())
		}
	}
}
