package cli

import (
	"errors"
	"fmt"

	"kiosk/pos"
)

// UsageError marks a mistake the person at the command line must fix
// before anything can run (main exits with status 2 for it).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usage marks err as the user's to fix.
func Usage(err error) error { return UsageError{err} }

// Usagef makes a UsageError.
func Usagef(format string, args ...any) error { return UsageError{fmt.Errorf(format, args...)} }

// restoreAdvice says where the README explains restoring a backup.
const restoreAdvice = `restore it from a backup (README, "Backup and restore")`

// LedgerTrouble adds what to do to an error that says the ledger file in
// dir is damaged or missing; other errors pass unchanged. The error says
// which file and what is wrong, and stays in the chain.
func LedgerTrouble(err error, dir string) error {
	var (
		missing *pos.LedgerMissingError
		damage  *pos.LedgerDamagedError
	)
	switch {
	case errors.As(err, &missing):
		return advised{fmt.Sprintf("%s: %s, or start the kiosk with --new-ledger to begin an empty ledger, "+
			"whose receipt numbers start again at 0001", missingText(missing), restoreAdvice), err}
	case errors.As(err, &damage):
		return advised{fmt.Sprintf("%s is damaged: %s: %s; kiosk ledger check --data %s shows what is wrong",
			damage.Path, damage.Problem, restoreAdvice, dir), err}
	}
	return err
}

// advised is an error worded afresh, with what to do, around its cause.
type advised struct {
	text  string
	cause error
}

func (e advised) Error() string { return e.text }
func (e advised) Unwrap() error { return e.cause }

func missingText(e *pos.LedgerMissingError) string {
	what := "is missing"
	if e.Empty {
		what = "is empty"
	}
	return fmt.Sprintf("%s %s, but %s shows that this directory held a ledger", e.Path, what, e.Evidence)
}

// OpeningTheCounter words why the counter's ledger in dir did not open: in
// use by another kiosk, damaged or missing are the user's to fix.
func OpeningTheCounter(err error, dir string) error {
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*pos.LedgerInUseError)):
		return Usagef("another kiosk is already running on the ledger in %s. Use that kiosk, or close it first; "+
			"to run a second till on this machine give it its own directory with --data DIR", dir)
	case errors.As(err, new(*pos.LedgerDamagedError)), errors.As(err, new(*pos.LedgerMissingError)):
		return UsageError{LedgerTrouble(err, dir)}
	}
	return fmt.Errorf("open the ledger in %s: %w", dir, err)
}

// AsUsage marks the ledger's complaints about dates, and an unknown
// output format, as the user's to fix; anything else (a disk error) stays
// an error.
func AsUsage(err error) error {
	for _, e := range []error{pos.ErrBadDate, pos.ErrBadRange, pos.ErrFutureDay, ErrBadFormat} {
		if errors.Is(err, e) {
			return UsageError{err}
		}
	}
	return err
}
