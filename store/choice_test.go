package store

import (
	"errors"
	"testing"
)

// TestPayMethodChoiceOutlivesTheProcess: the cashier's last choice of the
// way to pay is in the ledger, read back after the ledger is reopened;
// none reads as "", and no other way is accepted.
func TestPayMethodChoiceOutlivesTheProcess(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	if m, err := s.PayMethodChoice(); err != nil || m != "" {
		t.Fatalf("a new ledger's choice = %q, %v; want none", m, err)
	}
	if err := s.SetPayMethodChoice(PayByCode); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPayMethodChoice("cash"); !errors.Is(err, ErrInvalidSale) {
		t.Errorf("choosing cash = %v, want ErrInvalidSale", err)
	}
	before := s.Commits()
	if err := s.SetPayMethodChoice(PayByCode); err != nil || s.Commits() != before {
		t.Errorf("choosing again what is chosen: %v, %d commits", err, s.Commits()-before)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpenDir(t, dir, Options{})
	if m, err := s.PayMethodChoice(); err != nil || m != PayByCode {
		t.Errorf("after reopening, the choice = %q, %v; want payment_code", m, err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}
