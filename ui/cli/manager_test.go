package cli

import (
	"bytes"
	"strings"
	"testing"

	"kiosk/pos"
)

// racedPINs is a ledger on which the kiosk sets a PIN while kiosk manager
// set-pin is typing the first one.
type racedPINs struct {
	set   bool
	calls [][2]string
}

func (r *racedPINs) HasManagerPIN() (bool, error) { return r.set, nil }

func (r *racedPINs) SetManagerPIN(old, pin string) error {
	r.calls = append(r.calls, [2]string{old, pin})
	if old == "" {
		return pos.ErrPINSet
	}
	return nil
}

// TestSetPINSetMeanwhileBecomesAChange: a first PIN typed while the kiosk
// set one (ErrPINSet) is not refused in Go's words: the command says so,
// asks for the PIN set meanwhile, and changes it to the new one.
func TestSetPINSetMeanwhileBecomesAChange(t *testing.T) {
	var r racedPINs
	var prompts, out bytes.Buffer
	if err := SetPIN(strings.NewReader("258014\n258014\n470136\n"), &prompts, &out, &r); err != nil {
		t.Fatalf("SetPIN: %v", err)
	}
	if len(r.calls) != 2 || r.calls[1] != [2]string{"470136", "258014"} {
		t.Errorf("SetManagerPIN got %v, want the first PIN, then the change with the PIN set meanwhile", r.calls)
	}
	if !strings.Contains(prompts.String(), say.PIN.SetMeanwhile) || out.String() != say.CLI.PINChanged+"\n" {
		t.Errorf("prompts %q, output %q", prompts.String(), out.String())
	}
}

// TestSetPINNeedsTheCurrentOne: with a PIN set, an empty current PIN is
// refused in the kiosk's words before anything is asked of the ledger.
func TestSetPINNeedsTheCurrentOne(t *testing.T) {
	r := racedPINs{set: true}
	err := SetPIN(strings.NewReader("\n258014\n258014\n"), new(bytes.Buffer), new(bytes.Buffer), &r)
	if err == nil || err.Error() != say.Refund.PINMissing || len(r.calls) != 0 {
		t.Errorf("SetPIN with no current PIN: %v, calls %v", err, r.calls)
	}
}
