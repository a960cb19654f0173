package store

import (
	"errors"
	"io/fs"
	"testing"
	"time"
)

// TestBesideChangesTheLedgerOfARunningKiosk: a manager's tool opened
// Beside writes while the kiosk holds the directory, and the kiosk sees
// the change at once; a second kiosk is still refused.
func TestBesideChangesTheLedgerOfARunningKiosk(t *testing.T) {
	dir := t.TempDir()
	kiosk, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer kiosk.Close()
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("a second kiosk: %v, want ErrLocked", err)
	}
	tool, err := Open(dir, Options{Beside: true})
	if err != nil {
		t.Fatalf("open beside the kiosk: %v", err)
	}
	defer tool.Close()
	if err := tool.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	if err := kiosk.CheckManagerPIN("246813", time.Now()); err != nil {
		t.Errorf("the kiosk does not see the PIN set beside it: %v", err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("after the tool, a second kiosk: %v, want ErrLocked", err)
	}
}

// TestBesideNeedsALedger: opened Beside, nothing is created.
func TestBesideNeedsALedger(t *testing.T) {
	if _, err := Open(t.TempDir(), Options{Beside: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("beside an empty directory: %v, want fs.ErrNotExist", err)
	}
}
