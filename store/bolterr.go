package store

import (
	"errors"
	"fmt"

	berrors "go.etcd.io/bbolt/errors"
)

// FileProblem is which of bbolt's refusals of the ledger file a
// *FileError is: a fact for the words of package ui, never bbolt's text.
type FileProblem int

// The refusals of bbolt's that store turns into a *FileError. A file
// cut short or overwritten is found by the store's own checks first
// (*DamageError), and another kiosk's lock is ErrLocked.
const (
	FileBusy     FileProblem = iota + 1 // bbolt's timeout: another program held the file's lock too long (ErrBusy)
	FileNotBolt                         // neither of its header pages is valid: not a bbolt file (bbolt's ErrInvalid)
	FileVersion                         // written by a bbolt of another file format version (ErrVersionMismatch)
	FileChecksum                        // its header's checksum does not match (ErrChecksum)
	FileMapping                         // it could not be mapped into memory (ErrInvalidMapping)
	FileReadOnly                        // opened read-only for a write (ErrDatabaseReadOnly)
	FileTooLarge                        // it reached its maximum size (ErrMaxSizeReached)
)

// FileProblems are every FileProblem, for tests of their words.
func FileProblems() []FileProblem {
	return []FileProblem{FileBusy, FileNotBolt, FileVersion, FileChecksum, FileMapping, FileReadOnly, FileTooLarge}
}

// Damaged reports whether the file itself is unsound, rather than busy or
// refused: errors.Is(err, ErrDamaged) holds for it.
func (p FileProblem) Damaged() bool { return p == FileNotBolt || p == FileVersion || p == FileChecksum }

// NoBucketError is a bbolt file at Path that is not a ledger: it lacks the
// ledger's Bucket.
type NoBucketError struct {
	Path, Bucket string
}

func (e *NoBucketError) Error() string {
	return fmt.Sprintf("%s is not a ledger: no %s bucket", e.Path, e.Bucket)
}

// FileError is bbolt's refusal of the ledger file at Path, as a fact:
// Problem says which. It wraps bbolt's own error, so errors.Is(err,
// ErrBusy) and errors.Is(err, bbolt's sentinel) hold as before.
type FileError struct {
	Path    string
	Problem FileProblem
	Err     error // bbolt's
}

func (e *FileError) Error() string { return e.Err.Error() }

// Unwrap returns bbolt's error.
func (e *FileError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrDamaged) true for a file that is unsound.
func (e *FileError) Is(target error) bool { return target == ErrDamaged && e.Problem.Damaged() }

// boltFaults pairs bbolt's sentinels with their problems.
var boltFaults = []struct {
	err     error
	problem FileProblem
}{
	{berrors.ErrTimeout, FileBusy},
	{berrors.ErrInvalid, FileNotBolt},
	{berrors.ErrVersionMismatch, FileVersion},
	{berrors.ErrChecksum, FileChecksum},
	{berrors.ErrInvalidMapping, FileMapping},
	{berrors.ErrDatabaseReadOnly, FileReadOnly},
	{berrors.ErrMaxSizeReached, FileTooLarge},
}

// fileFault is err, returned by bbolt for the ledger file at path, as a
// *FileError when it is one of bbolt's refusals above; else err itself.
func fileFault(path string, err error) error {
	if err == nil || errors.As(err, new(*FileError)) {
		return err
	}
	for _, f := range boltFaults {
		if errors.Is(err, f.err) {
			return &FileError{Path: path, Problem: f.problem, Err: err}
		}
	}
	return err
}
