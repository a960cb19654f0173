package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"

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

// UsageText marks text, a sentence of the catalogue, as the user's to
// fix; cause, when not nil, stays in the chain.
func UsageText(text string, cause error) error {
	if cause == nil {
		return UsageError{errors.New(text)}
	}
	return UsageError{advised{text, cause}}
}

// formatFlag refuses a --format the command does not offer.
func formatFlag(format, want string) error {
	return UsageError{errors.New(say.CLI.FormatFlag.F(format, want))}
}

// LedgerTrouble adds what to do to an error that says the ledger file in
// dir is damaged (a record in it that does not decode, too) or missing;
// other errors pass unchanged. The error says
// which file and what is wrong, and stays in the chain.
func LedgerTrouble(err error, dir string) error {
	var (
		missing *pos.LedgerMissingError
		damage  *pos.LedgerDamagedError
		zone    *pos.LedgerZoneError
		record  *pos.LedgerRecordError
	)
	c := &say.CLI
	switch {
	case errors.As(err, &missing):
		return advised{c.NewLedger.F(missingText(missing), c.StartAfresh.F(c.RestoreAdvice)), err}
	case errors.As(err, &zone):
		return advised{c.LedgerZone.F(zone.Dir, zone.Recorded, zone.Configured, zone.Recorded), err}
	case errors.As(err, &damage):
		return advised{c.DamagedLedger.F(damage.Path, damageText(damage), c.RestoreAdvice, cmp.Or(dir, filepath.Dir(damage.Path))), err}
	case errors.As(err, &record):
		return advised{c.DamagedLedger.F(record.Path, say.RecordText(record), c.RestoreAdvice, cmp.Or(dir, filepath.Dir(record.Path))), err}
	}
	return ledgerFileTrouble(err, dir)
}

// ledgerFileTrouble words bbolt's refusal of the ledger file in dir (a
// lock held too long, a file it cannot read: pos.LedgerFileError); other
// errors pass unchanged.
func ledgerFileTrouble(err error, dir string) error {
	if file, ok := errors.AsType[*pos.LedgerFileError](err); ok {
		return advised{say.System.CannotReadLedger.F(cmp.Or(dir, filepath.Dir(file.Path)), say.SystemReason(err)), err}
	}
	return err
}

// damageText says what is wrong with a damaged ledger file, from its facts.
func damageText(e *pos.LedgerDamagedError) string {
	text := checkProblemText(say, e.Check)
	if e.More > 0 {
		text = say.Checked.AndMore.F(text, e.More)
	}
	if e.InCopy {
		text = say.Checked.InCopy.F(text)
	}
	return text
}

// Failed is text, a sentence of the catalogue, as the error of a command
// that ran and failed; cause stays in the chain.
func Failed(text string, cause error) error { return advised{text, cause} }

// advised is an error worded afresh, with what to do, around its cause.
type advised struct {
	text  string
	cause error
}

func (e advised) Error() string { return e.text }
func (e advised) Unwrap() error { return e.cause }

// said is err as the catalogue says it, err kept in the chain.
func said(err error) error {
	if err == nil {
		return nil
	}
	return advised{say.Explain(err), err}
}

func missingText(e *pos.LedgerMissingError) string {
	what := say.CLI.Missing
	if e.Empty {
		what = say.CLI.Empty
	}
	return say.CLI.MissingLedger.F(e.Path, what, cmp.Or(e.Evidence, say.CLI.RunningKiosk))
}

// OpeningTheLedger words why the ledger in dir did not open for reading:
// a data directory that is missing, unreadable or a file (pos.LedgerDirError,
// or the system's error where the directory was to be made), a damaged or
// missing ledger as LedgerTrouble says it: the user's to fix; else what the
// system said.
func OpeningTheLedger(err error, dir string) error {
	c := &say.CLI
	var de *pos.LedgerDirError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		text := c.DataDirOther.F(de.Dir, say.SystemReason(err))
		switch {
		case de.Missing:
			text = c.NoDataDir.F(de.Dir)
		case de.Denied:
			text = c.DataDirDenied.F(de.Dir)
		case de.NotDir:
			text = c.DataDirIsFile.F(de.Dir)
		}
		return UsageError{advised{text, err}}
	case errors.As(err, new(*pos.LedgerDamagedError)), errors.As(err, new(*pos.LedgerMissingError)),
		errors.As(err, new(*pos.LedgerZoneError)):
		return UsageError{LedgerTrouble(err, dir)}
	case errors.Is(err, syscall.ENOTDIR):
		return UsageError{advised{c.DataDirOther.F(dir, say.SystemReason(err)), err}}
	case errors.Is(err, fs.ErrNotExist):
		return UsageError{advised{c.NoDataDir.F(dir), err}}
	}
	return advised{say.System.CannotReadLedger.F(dir, say.SystemReason(err)), err}
}

// OpeningTheCounter words why the counter's ledger in dir did not open: in
// use by another kiosk, damaged or missing are the user's to fix.
func OpeningTheCounter(err error, dir string) error {
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*pos.LedgerInUseError)):
		return UsageError{advised{say.CLI.InUse.F(dir), err}}
	case errors.As(err, new(*pos.LedgerDamagedError)), errors.As(err, new(*pos.LedgerMissingError)),
		errors.As(err, new(*pos.LedgerZoneError)):
		return UsageError{LedgerTrouble(err, dir)}
	}
	return OpeningTheLedger(err, dir)
}

// dateText says what is wrong with a date or a range the ledger refused.
func dateText(e *pos.DateError) string {
	c := &say.CLI
	switch {
	case !errors.Is(e, pos.ErrBadRange) && e.Flag != "":
		return c.BadDateFlag.F(e.Flag, e.Date)
	case !errors.Is(e, pos.ErrBadRange):
		return c.BadDate.F(e.Date)
	case e.Days < 1:
		return c.RangeBackwards.F(e.From, e.To)
	}
	return c.RangeTooLong.F(e.From, e.To, e.Days, e.Max)
}

// AsUsage marks the ledger's complaints about dates, and an unknown
// output format, as the user's to fix; anything else (a disk error) stays
// an error.
func AsUsage(err error) error {
	var de *pos.DateError
	if errors.As(err, &de) {
		return UsageError{advised{dateText(de), err}}
	}
	if fe, ok := errors.AsType[*pos.FutureDayError](err); ok {
		return UsageError{advised{say.CLI.FutureDay.F(fe.Date, fe.Today, fe.Zone), err}}
	}
	for _, e := range []error{pos.ErrBadDate, pos.ErrBadRange, pos.ErrFutureDay, ErrBadFormat} {
		if errors.Is(err, e) {
			return UsageError{err}
		}
	}
	return err
}
