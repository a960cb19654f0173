package store

import (
	"errors"
	"testing"
	"time"
)

// mustHold holds s's ledger open until the test calls the release it
// returns (or ends).
func mustHold(tb testing.TB, s *Store) (release func()) {
	tb.Helper()
	release, err := s.Hold()
	if err != nil {
		tb.Fatalf("Hold: %v", err)
	}
	tb.Cleanup(release)
	return release
}

// TestHoldSharesOneOpen: the operations made while the ledger is held (a
// read and a payment, as a notification makes them) open ledger.db once,
// where each opens it otherwise; a second Hold meanwhile opens nothing
// more, and the file stays open until the last release.
func TestHoldSharesOneOpen(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A1", 1234, at(17, 9, 0, 0)))
	before := s.Opens()
	mustGet(t, s, "A1")
	if got := s.Opens() - before; got != 1 {
		t.Fatalf("a read outside a Hold opened the ledger %d times, want 1", got)
	}
	before = s.Opens()
	release := mustHold(t, s)
	mustGet(t, s, "A1")
	if _, _, err := s.MarkPaid("A1", Payment{TradeNo: "T1", PaidAt: at(17, 9, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	inner := mustHold(t, s)
	mustGet(t, s, "A1")
	inner()
	inner() // a release called twice releases once
	mustGet(t, s, "A1")
	release()
	if got := s.Opens() - before; got != 1 {
		t.Errorf("a read, a payment and reads in a second Hold opened the ledger %d times, want 1", got)
	}
	if got := mustGet(t, s, "A1"); got.Status != StatusPaid || got.ReceiptNo == 0 {
		t.Errorf("after the Hold the sale is %s with receipt %d, want paid with a receipt", got.Status, got.ReceiptNo)
	}
	if got := s.Opens() - before; got != 2 {
		t.Errorf("after the last release a read opened the ledger %d times in all, want 2", got)
	}
}

// TestHoldKeepsTheLockUntilReleased: while the ledger is held, a
// manager's tool beside the kiosk cannot take bbolt's lock (it would
// write between the read and the write the Hold spans); once released,
// it can.
func TestHoldKeepsTheLockUntilReleased(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{})
	mustCreate(t, kiosk, newSale("A1", 1234, at(17, 9, 0, 0)))
	tool := mustOpenDir(t, dir, Options{Beside: true, Timeout: 20 * time.Millisecond})
	release := mustHold(t, kiosk)
	if err := tool.SetManagerPIN("246813"); !errors.Is(err, ErrBusy) {
		t.Errorf("a tool beside the kiosk while it holds the ledger: %v, want ErrBusy", err)
	}
	release()
	if err := tool.SetManagerPIN("246813"); err != nil {
		t.Errorf("a tool beside the kiosk after the release: %v", err)
	}
	if err := kiosk.CheckManagerPIN("246813", at(17, 12, 0, 0)); err != nil {
		t.Errorf("the kiosk does not see the PIN the tool set after its release: %v", err)
	}
}

// TestHoldOnAReaderOpensNothing: a Store opened read-only takes no lock a
// kiosk could wait for, so its Hold holds nothing.
func TestHoldOnAReaderOpensNothing(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{Timeout: 20 * time.Millisecond})
	mustCreate(t, kiosk, newSale("A1", 1234, at(17, 9, 0, 0)))
	reader := mustOpenDir(t, dir, Options{ReadOnly: true})
	before := reader.Opens()
	release := mustHold(t, reader)
	if got := reader.Opens() - before; got != 0 {
		t.Errorf("a reader's Hold opened the ledger %d times, want 0", got)
	}
	if _, _, err := kiosk.MarkPaid("A1", Payment{TradeNo: "T1", PaidAt: at(17, 9, 1, 0)}); err != nil {
		t.Errorf("the kiosk writing during a reader's Hold: %v", err)
	}
	release()
}

// TestHoldAfterClose: a closed Store holds nothing and says so.
func TestHoldAfterClose(t *testing.T) {
	s := mustOpen(t)
	_ = s.Close()
	release, err := s.Hold()
	release()
	if !errors.Is(err, ErrClosed) {
		t.Errorf("Hold after Close: %v, want ErrClosed", err)
	}
}
