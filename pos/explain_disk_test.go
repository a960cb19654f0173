package pos

import (
	"fmt"
	"strings"
	"testing"

	"kiosk/store"
)

// TestDescribeDamagedLedger: a damaged ledger file is not a disk that
// will come back by itself; the cashier is told to fetch the manager.
func TestDescribeDamagedLedger(t *testing.T) {
	for _, cause := range []error{
		&store.DamageError{Path: "/data/ledger.db", Problem: "it is cut short"},
		&store.MissingError{Path: "/data/ledger.db", Evidence: "/data/ledger.marker"},
	} {
		got := describe(fmt.Errorf("record sale K1: %w: %w", ErrLedger, cause))
		if !strings.Contains(got, "damaged or missing") || !strings.Contains(got, "backup") || strings.Contains(got, "tries again") {
			t.Errorf("describe(%v) = %q", cause, got)
		}
	}
}
