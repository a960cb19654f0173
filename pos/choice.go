package pos

import (
	"fmt"
	"slices"
	"sync"

	"kiosk/store"
)

// CounterSettings keep what the counter remembers across restarts: the
// way to pay the cashier chose last. *store.Store implements it, in the
// ledger's settings, so that the choice belongs to the till whose ledger
// it is, is copied with its backup, and needs no writable config file.
type CounterSettings interface {
	PayMethodChoice() (store.PayMethod, error)
	SetPayMethodChoice(m store.PayMethod) error
}

// WithCounterSettings makes the Register remember the cashier's choice of
// the way to pay in s.
func WithCounterSettings(s CounterSettings) Option { return func(r *Register) { r.settings = s } }

// choice is the way to pay chosen last, as this run knows it.
type choice struct {
	mu     sync.Mutex
	method PayMethod // "" until read or chosen
}

// PayMethodChoice is the way to pay the cashier chose last: PayByQR when
// none was ever chosen, or when the settings cannot be read.
func (r *Register) PayMethodChoice() PayMethod {
	r.choice.mu.Lock()
	defer r.choice.mu.Unlock()
	if r.choice.method == "" && r.settings != nil {
		if m, err := r.settings.PayMethodChoice(); err == nil {
			r.choice.method = PayMethod(m)
		} else {
			r.logger().Warn("the pay method chosen last could not be read", "err", err)
		}
	}
	if r.choice.method == "" {
		return PayByQR
	}
	return r.choice.method
}

// ChoosePayMethod records m as the way to pay chosen last. The choice holds
// for this run even when it cannot be written (an error wrapping
// ErrLedger); an m that is no PayMethod changes nothing.
func (r *Register) ChoosePayMethod(m PayMethod) error {
	if !slices.Contains(PayMethods, m) {
		return fmt.Errorf("choose pay method %q: not a way to pay", m)
	}
	r.choice.mu.Lock()
	defer r.choice.mu.Unlock()
	r.choice.method = m
	if r.settings == nil {
		return nil
	}
	if err := r.settings.SetPayMethodChoice(store.PayMethod(m)); err != nil {
		return fmt.Errorf("%w: %w", ErrLedger, err)
	}
	return nil
}
