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

// DamageError says which ledger file is damaged and how: Check is the
// (first) problem found, as a fact, More how many others were found, and
// InCopy that they were found in the copy a backup made of it.
type DamageError struct {
	Path    string // the ledger file
	Problem string // what is wrong with it, in English, for logs
	Check   CheckProblem
	More    int  // further problems found
	InCopy  bool // found in a backup's copy of the file
}

func (e *DamageError) Error() string { return e.Path + " is damaged: " + e.Problem }

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamageError) Is(target error) bool { return target == ErrDamaged }

// damagedHead is a DamageError for the problem p found in the file's header.
func damagedHead(path string, p CheckProblem) error { return damagedBy(path, p, 0, false) }

// damagedBy is a DamageError for the problem p and more others, found in
// the file or, inCopy, in a backup's copy of it.
func damagedBy(path string, p CheckProblem, more int, inCopy bool) error {
	text := p.String()
	if more > 0 {
		text += fmt.Sprintf(" (and %d more problems)", more)
	}
	if inCopy {
		text = "its copy does not check: " + text
	}
	return &DamageError{Path: path, Problem: text, Check: p, More: more, InCopy: inCopy}
}

// MissingError says that a ledger directory that has held a ledger has
// lost it, and what shows that it held one.
type MissingError struct {
	Path  string // the ledger file that is missing or empty
	Empty bool   // the file is there but holds nothing
	// Evidence is the file that shows a ledger was here; "" when none
	// does but this kiosk had the ledger open.
	Evidence string
}

func (e *MissingError) Error() string { return e.problem().String() }

// problem is the missing or empty file as a problem a check found.
func (e *MissingError) problem() CheckProblem {
	kind := CheckLedgerMissing
	if e.Empty {
		kind = CheckLedgerEmpty
	}
	return CheckProblem{Kind: kind, Path: e.Path, OtherPath: e.Evidence}
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
			err = damagedHead(path, CheckProblem{Kind: CheckReadFault, Detail: fmt.Sprint(r)})
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
