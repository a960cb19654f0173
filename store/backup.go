package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// ErrNoLedger means there is no ledger to back up yet.
var ErrNoLedger = errors.New("store: there is no ledger yet")

// ErrBackupIsLedger means a backup was asked to be written over the
// ledger itself.
var ErrBackupIsLedger = errors.New("the backup would be the ledger itself")

// afterCopy runs inside Backup's read transaction once the copy is made;
// tests replace it to write meanwhile.
var afterCopy = func() {}

// Backup writes a copy of the ledger to path and returns its size. It is
// safe while a kiosk runs: the copy is bbolt's Tx.WriteTo in one read
// transaction, so it is the ledger as of one moment, and the kiosk's
// writes wait for it (within Options.Timeout) as they wait for any read.
// The copy goes to a temporary file beside path, is checked in full
// (walkFile), synced, and only then given its name, so path is either
// absent or a complete, sound ledger. An existing path is left alone
// (ErrFileExists) unless replace; path may not be the ledger itself.
//
// To restore, put the copy in place of ledger.db while no kiosk runs (see
// the README); it is a ledger file like any other.
func (s *Store) Backup(path string, replace bool) (int64, error) {
	if err := s.notTheLedger(path); err != nil {
		return 0, err
	}
	var n int64
	err := writeFileAtomic(path, func(f *os.File) error {
		copied := false
		err := s.view(func(tx *bolt.Tx) error {
			var err error
			n, err = tx.WriteTo(f)
			copied = true
			afterCopy()
			return err
		})
		switch {
		case err != nil:
			return err
		case !copied:
			return fmt.Errorf("%w in %s", ErrNoLedger, s.dir)
		}
		return checkCopy(f.Name(), s.path)
	}, replace)
	if err != nil {
		return 0, fmt.Errorf("back up %s to %s: %w", s.path, path, err)
	}
	return n, nil
}

// notTheLedger refuses a backup over the ledger itself: renaming a copy
// onto ledger.db under a running kiosk would lose its writes since.
func (s *Store) notTheLedger(path string) error {
	target, err1 := filepath.Abs(path)
	ledger, err2 := filepath.Abs(s.path)
	same := err1 == nil && err2 == nil && target == ledger
	if fa, err := os.Stat(path); err == nil {
		if fb, err := os.Stat(s.path); err == nil && os.SameFile(fa, fb) {
			same = true
		}
	}
	if same {
		return fmt.Errorf("back up %s: %s is the ledger itself; give the backup a name of its own: %w", s.path, path, ErrBackupIsLedger)
	}
	return nil
}

// checkCopy checks the copy at path in full before it becomes a backup. A
// problem in the copy is a problem in the ledger it was copied from.
func checkCopy(path, from string) error {
	problems, _, err := walkFile(path, walkAll)
	var de *DamageError
	switch {
	case errors.As(err, &de):
		problems = []CheckProblem{de.Check}
	case err != nil:
		return err
	}
	if len(problems) == 0 {
		return nil
	}
	more := len(problems) - 1
	if last := problems[more]; more > 0 && last.Kind == CheckPagesMore {
		more += last.Count - 1 // the problems walkFile did not list
	}
	return damagedBy(from, problems[0], more, true)
}
