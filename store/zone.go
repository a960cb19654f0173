package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyTimeZone holds the IANA name of the zone the kiosk writes days in.
var keyTimeZone = []byte("time_zone")

// recordZone keeps the writer's zone in the ledger, so that managers'
// tools read the same days the kiosk wrote. A zone without an IANA name
// (a fixed offset) is not recorded.
func (s *Store) recordZone() error {
	name := s.loc.String()
	if name == "Local" || name == "" {
		name = localZoneName()
	}
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if string(b.Get(keyTimeZone)) == name {
			return nil // recorded at an earlier start
		}
		return b.Put(keyTimeZone, []byte(name))
	})
}

// adoptRecordedZone makes a reader use the zone the kiosk recorded, when
// the caller named none.
func (s *Store) adoptRecordedZone() error {
	var name string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSettings); b != nil {
			name = string(b.Get(keyTimeZone))
		}
		return nil
	})
	if isLedgerTrouble(err) && s.readOnly {
		return nil // the tool's next read reports it, with what to do
	}
	if err != nil || name == "" {
		return err
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("the ledger's recorded time zone %q: %w", name, err)
	}
	s.loc = loc
	return nil
}

// localZoneName is the host's zone as an IANA name when the system says
// which; otherwise "Local".
func localZoneName() string {
	if tz := lookupTZ(); tz != "" {
		return tz
	}
	return "Local"
}
