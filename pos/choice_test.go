package pos

import (
	"errors"
	"testing"

	"kiosk/store"
)

// TestPayMethodChoiceIsRemembered: the way to pay is QR until the cashier
// chooses; the choice is kept in the ledger's settings, so that a new
// Register on the same ledger (the kiosk started again) offers it; no
// other way can be chosen.
func TestPayMethodChoiceIsRemembered(t *testing.T) {
	dir := t.TempDir()
	open := func() (*Register, *store.Store) {
		ledger, err := store.Open(dir, store.Options{Location: shanghai})
		if err != nil {
			t.Fatal(err)
		}
		r, err := New(Config{TerminalID: "T-01"}, &fakeGateway{}, ledger, WithCounterSettings(ledger))
		if err != nil {
			t.Fatal(err)
		}
		return r, ledger
	}
	r, ledger := open()
	if got := r.PayMethodChoice(); got != PayByQR {
		t.Errorf("before any choice: %q, want qr", got)
	}
	if err := r.ChoosePayMethod(PayByCode); err != nil {
		t.Fatal(err)
	}
	if err := r.ChoosePayMethod("cash"); err == nil || r.PayMethodChoice() != PayByCode {
		t.Errorf("choosing cash: %v, and the choice is now %q", err, r.PayMethodChoice())
	}
	ledger.Close()
	r, ledger = open()
	defer ledger.Close()
	if got := r.PayMethodChoice(); got != PayByCode {
		t.Errorf("after a restart: %q, want payment_code", got)
	}
}

// TestPayMethodChoiceThatCannotBeWritten: a choice the ledger cannot take
// still holds for the run, and the error says it is the ledger's.
func TestPayMethodChoiceThatCannotBeWritten(t *testing.T) {
	r, err := New(Config{TerminalID: "T-01"}, &fakeGateway{}, nil, WithCounterSettings(brokenSettings{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.PayMethodChoice(); got != PayByQR {
		t.Errorf("unreadable settings: %q, want qr", got)
	}
	if err := r.ChoosePayMethod(PayByCode); !errors.Is(err, ErrLedger) {
		t.Errorf("ChoosePayMethod = %v, want ErrLedger", err)
	}
	if got := r.PayMethodChoice(); got != PayByCode {
		t.Errorf("after a choice that could not be written: %q", got)
	}
}

type brokenSettings struct{}

func (brokenSettings) PayMethodChoice() (store.PayMethod, error) { return "", errors.New("disk gone") }
func (brokenSettings) SetPayMethodChoice(store.PayMethod) error  { return errors.New("disk gone") }
