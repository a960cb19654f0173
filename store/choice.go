package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// keyPayMethodChoice holds the way to pay the cashier chose last, so that
// the counter offers it again after a restart.
var keyPayMethodChoice = []byte("pay_method_choice")

// PayMethodChoice is the way to pay the cashier chose last: "" when none
// was ever chosen (or what is stored is no PayMethod, from a newer kiosk).
func (s *Store) PayMethodChoice() (PayMethod, error) {
	var m PayMethod
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSettings); b != nil {
			m = PayMethod(b.Get(keyPayMethodChoice))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read the pay method chosen: %w", err)
	}
	if !m.Valid() {
		return "", nil
	}
	return m, nil
}

// SetPayMethodChoice records m as the way to pay the cashier chose last;
// ErrInvalidSale for a PayMethod that is none of PayMethods. Writing the
// choice already recorded commits nothing.
func (s *Store) SetPayMethodChoice(m PayMethod) error {
	if !m.Valid() {
		return fmt.Errorf("choose pay method %q: %w", m, ErrInvalidSale)
	}
	if s.readOnly {
		return fmt.Errorf("choose pay method: %w", ErrReadOnly)
	}
	if got, err := s.PayMethodChoice(); err == nil && got == m {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(keyPayMethodChoice, []byte(m))
	})
	if err != nil {
		return fmt.Errorf("choose pay method: %w", err)
	}
	return nil
}
