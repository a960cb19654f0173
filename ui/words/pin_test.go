package words

import (
	"fmt"
	"testing"

	"kiosk/pos"
)

// TestPINRefusalsAreSaidFromTheirKinds: no PIN set says how to set one at
// the command line, and a change without the current PIN where one is
// set (pos.ErrPINSet) says that it needs it, in each language, from the
// catalogue and never in Go's English.
func TestPINRefusalsAreSaidFromTheirKinds(t *testing.T) {
	for _, w := range All {
		for err, want := range map[error]string{
			fmt.Errorf("set: %w", pos.ErrNoPIN):  w.Problem.NoPIN,
			fmt.Errorf("set: %w", pos.ErrPINSet): w.Problem.PINSet,
		} {
			if got := w.Explain(err); got != want || want == "" {
				t.Errorf("%s: %v is said %q, want %q", w.Lang.Tag, err, got, want)
			}
		}
	}
}
