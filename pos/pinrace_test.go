package pos

import (
	"errors"
	"testing"
	"time"

	"kiosk/store"
)

// interleaved is the kiosk's ledger with another process's move run just
// before the kiosk's call number at (counting from 0) to any of the PIN's
// methods: kiosk manager set-pin beside the kiosk, between its look at
// the PIN and its save, wherever that falls.
type interleaved struct {
	*store.Store
	at    int
	calls int
	other func()
}

func (l *interleaved) next() {
	if l.calls == l.at {
		l.other()
	}
	l.calls++
}

func (l *interleaved) HasManagerPIN() (bool, error) { l.next(); return l.Store.HasManagerPIN() }
func (l *interleaved) CheckManagerPIN(pin string, now time.Time) error {
	l.next()
	return l.Store.CheckManagerPIN(pin, now)
}
func (l *interleaved) SetManagerPIN(pin string) error { l.next(); return l.Store.SetManagerPIN(pin) }
func (l *interleaved) SetFirstManagerPIN(pin string) error {
	l.next()
	return l.Store.SetFirstManagerPIN(pin)
}
func (l *interleaved) ChangeManagerPIN(old, pin string, now time.Time) error {
	l.next()
	return l.Store.ChangeManagerPIN(old, pin, now)
}

// TestAPINSetBesideTheKioskIsNeitherOverwrittenNorATry: the kiosk and
// kiosk manager set-pin (its own Store, opened beside the kiosk's) set or
// change the PIN at once, the tool's move falling at each point of the
// kiosk's. Whatever the order, one of them wins and the other is refused
// as if it had come second: the PIN is the winner's, a first PIN offered
// after another was set is ErrPINSet and counts no wrong try, and a change
// is checked against the PIN as it is when it is saved, so neither
// overwrites the other unseen.
func TestAPINSetBesideTheKioskIsNeitherOverwrittenNorATry(t *testing.T) {
	const (
		oldPIN   = "258014"
		kioskPIN = "369025"
		toolPIN  = "470136"
	)
	for _, first := range []bool{true, false} {
		for at := 0; at <= 2; at++ {
			dir := t.TempDir()
			kiosk, err := store.Open(dir, store.Options{Location: shanghai})
			if err != nil {
				t.Fatal(err)
			}
			old := oldPIN
			if first {
				old = "" // the kiosk saw no PIN set
			} else if err := kiosk.SetManagerPIN(oldPIN); err != nil {
				t.Fatal(err)
			}
			tool, err := OpenSettings(dir, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			var toolErr error
			toolMoved := false
			other := func() { toolErr, toolMoved = tool.SetManagerPIN(old, toolPIN), true }
			kioskErr := fromLedger(setOrChangePIN(&interleaved{Store: kiosk, at: at, other: other}, old, kioskPIN, time.Now()), "")
			if !toolMoved {
				other() // the tool comes after the kiosk's save
			}

			name := map[bool]string{true: "first PIN", false: "change"}[first]
			winner, loserErr := kioskPIN, toolErr
			if kioskErr != nil {
				winner, loserErr = toolPIN, kioskErr
			}
			if (kioskErr == nil) == (toolErr == nil) {
				t.Errorf("%s, the tool's move before call %d: kiosk %v, tool %v; want exactly one of them refused", name, at, kioskErr, toolErr)
			}
			var pe *PINError
			switch {
			case first && !errors.Is(loserErr, ErrPINSet):
				t.Errorf("%s, the tool's move before call %d: the second first PIN: %v, want ErrPINSet", name, at, loserErr)
			case !first && (!errors.As(loserErr, &pe) || !pe.Wrong):
				t.Errorf("%s, the tool's move before call %d: the second change: %v, want a wrong PIN", name, at, loserErr)
			}
			wantLeft := 4 // no wrong try counted before this one
			if !first {
				wantLeft = 3 // the second change's, against the winner's PIN
			}
			if err := kiosk.CheckManagerPIN("999999", time.Now()); !errors.As(fromLedger(err, ""), &pe) || pe.TriesLeft != wantLeft {
				t.Errorf("%s, the tool's move before call %d: a wrong PIN now: %v, want %d tries left", name, at, err, wantLeft)
			}
			if err := kiosk.CheckManagerPIN(winner, time.Now()); err != nil {
				t.Errorf("%s, the tool's move before call %d: the winner's PIN %s is not the PIN: %v", name, at, winner, err)
			}
			tool.Close()
			kiosk.Close()
		}
	}
}
