package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
)

var (
	// ErrDamaged means ledger.db is not a sound bbolt file: it was cut
	// short, its pages were overwritten, or it cannot be read. Errors that
	// wrap it are *DamageError, which say which file and what is wrong.
	ErrDamaged = errors.New("store: ledger file is damaged")
	// ErrLedgerMissing means the directory has held a ledger but ledger.db
	// is gone or empty. Errors that wrap it are *MissingError.
	ErrLedgerMissing = errors.New("store: ledger is missing")
)

// DamageError says which ledger file is damaged and how.
type DamageError struct {
	Path    string // the ledger file
	Problem string // what is wrong with it, in a few words
	// Check is what is wrong as a fact, when the file's header says it;
	// its Kind is 0 otherwise.
	Check CheckProblem
}

func (e *DamageError) Error() string { return e.Path + " is damaged: " + e.Problem }

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamageError) Is(target error) bool { return target == ErrDamaged }

func damaged(path, format string, args ...any) error {
	return &DamageError{Path: path, Problem: fmt.Sprintf(format, args...)}
}

// damagedHead is a DamageError for the problem p found in the file's header.
func damagedHead(path string, p CheckProblem) error {
	return &DamageError{Path: path, Problem: p.String(), Check: p}
}

// MissingError says that a ledger directory that has held a ledger has
// lost it, and what shows that it held one.
type MissingError struct {
	Path     string // the ledger file that is missing or empty
	Empty    bool   // the file is there but holds nothing
	Evidence string // the file that shows a ledger was here
}

func (e *MissingError) Error() string {
	what := "is missing"
	if e.Empty {
		what = "is empty"
	}
	return fmt.Sprintf("%s %s, but %s shows that this directory held a ledger", e.Path, what, e.Evidence)
}

// Is makes errors.Is(err, ErrLedgerMissing) true.
func (e *MissingError) Is(target error) bool { return target == ErrLedgerMissing }

// Unwrap makes a missing (not an empty) file fs.ErrNotExist as well.
func (e *MissingError) Unwrap() error {
	if e.Empty {
		return nil
	}
	return fs.ErrNotExist
}

// guard runs fn, in which bbolt reads the memory-mapped ledger, so that a
// damaged file yields an error instead of killing the process.
//
// bbolt trusts its file: a page number or an offset read from a scribbled
// page sends it outside the file, and a file cut short leaves part of the
// mapping without data behind it. The first is a bounds panic or a fault
// on an unmapped address, the second a SIGBUS. With SetPanicOnFault the
// runtime turns such a fault into a panic in this goroutine, and guard
// recovers every panic into an error wrapping ErrDamaged. bbolt's managed
// transactions roll back while the panic unwinds, so the database can
// still be closed afterwards.
func guard(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(path, "reading it failed (%v)", r)
		}
	}()
	return fn()
}

// fileStat returns the size of the file at path, or -1 when it does not exist.
func fileStat(path string) (int64, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return -1, nil
	case err != nil:
		return 0, err
	}
	return fi.Size(), nil
}
