package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLedgerGoneDuringAHold: a ledger removed while the kiosk holds it is
// refused at the next write, as outside a Hold (TestLedgerGoneUnderTheKiosk):
// a payment must not be committed to a file no longer in the directory.
func TestLedgerGoneDuringAHold(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustCreate(t, s, newSale("A1", 1234, at(17, 9, 0, 0)))
	release := mustHold(t, s)
	mustGet(t, s, "A1") // the notification's read
	if err := os.Remove(filepath.Join(dir, dbName)); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.MarkPaid("A1", Payment{TradeNo: "T1", PaidAt: at(17, 9, 1, 0)})
	release()
	if !errors.Is(err, ErrLedgerMissing) {
		t.Errorf("MarkPaid during a Hold on a ledger removed: %v, want ErrLedgerMissing", err)
	}
	if _, err := s.Get("A1"); !errors.Is(err, ErrLedgerMissing) {
		t.Errorf("Get after the release: %v, want ErrLedgerMissing", err)
	}
}

// TestCloseWhileHeld: Close releases the ledger, a Hold open or not: a
// kiosk opened on the directory after it is not kept waiting for bbolt's
// lock by a notification still holding the closed Store's file.
func TestCloseWhileHeld(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{Timeout: 20 * 1e6})
	mustCreate(t, s, newSale("A1", 1234, at(17, 9, 0, 0)))
	release := mustHold(t, s)
	defer release()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	next, err := Open(dir, Options{Timeout: 20 * 1e6})
	if err != nil {
		t.Fatalf("a kiosk opened after Close while a Hold was open: %v", err)
	}
	_ = next.Close()
}
