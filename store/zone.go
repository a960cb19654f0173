package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyTimeZone holds the IANA name of the zone the kiosk writes days in.
var keyTimeZone = []byte("time_zone")

// ErrZoneChanged is wrapped by the *ZoneError of a ledger opened in a zone
// other than the one its days are kept in.
var ErrZoneChanged = errors.New("store: ledger kept in another time zone")

// ZoneError is a ledger opened with a zone (Configured) other than the
// one it records (Recorded). Its days, receipt numbers and day index are
// counted in the recorded zone, so a kiosk in another zone would number
// receipts again and put sales in the wrong day: moving a ledger to
// another zone is not supported.
type ZoneError struct {
	Dir        string
	Recorded   string
	Configured string
}

func (e *ZoneError) Error() string {
	return fmt.Sprintf("open ledger in %s: its days are kept in time zone %s, not %s", e.Dir, e.Recorded, e.Configured)
}

// Unwrap is ErrZoneChanged.
func (e *ZoneError) Unwrap() error { return ErrZoneChanged }

// settleZone makes the ledger and its opener agree on the zone of the
// days: a day must mean the same hours to the kiosk, to the manager's
// tools and to every later start. Opened without a zone (explicit false),
// the store adopts the recorded one. Opened with one, a different recorded
// zone is refused with a *ZoneError; a ledger that records none (a new
// one, or one from before zones were recorded) is taken to be in the zone
// given, and a writer records it. A zone without an IANA name (a fixed
// offset) is neither compared nor recorded.
func (s *Store) settleZone(explicit bool) error {
	recorded, err := s.recordedZone()
	if err != nil {
		return err
	}
	if !explicit {
		return s.adoptZone(recorded)
	}
	name := zoneName(s.loc)
	switch {
	case name == "" || recorded == name:
		return nil
	case recorded != "":
		return &ZoneError{Dir: s.dir, Recorded: recorded, Configured: name}
	case s.readOnly:
		return nil // the kiosk records it when it opens the ledger
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if got := string(b.Get(keyTimeZone)); got != "" && got != name {
			return &ZoneError{Dir: s.dir, Recorded: got, Configured: name} // recorded meanwhile beside us
		}
		return b.Put(keyTimeZone, []byte(name))
	})
}

// recordedZone is the zone the ledger records, "" when none.
func (s *Store) recordedZone() (string, error) {
	var name string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSettings); b != nil {
			name = string(b.Get(keyTimeZone))
		}
		return nil
	})
	if isLedgerTrouble(err) && s.readOnly {
		return "", nil // the tool's next read reports it, with what to do
	}
	return name, err
}

// adoptZone makes a store opened without a zone use the recorded one.
func (s *Store) adoptZone(name string) error {
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("the ledger's recorded time zone %q: %w", name, err)
	}
	s.loc = loc
	return nil
}

// zoneName is loc's IANA name (the host's for time.Local, when the system
// says which), or "" when it has none that loads.
func zoneName(loc *time.Location) string {
	name := loc.String()
	if name == "Local" || name == "" {
		name = localZoneName()
	}
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		return ""
	}
	return name
}

// localZoneName is the host's zone as an IANA name when the system says
// which; otherwise "Local".
func localZoneName() string {
	if tz := lookupTZ(); tz != "" {
		return tz
	}
	return "Local"
}
