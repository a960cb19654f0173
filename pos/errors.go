package pos

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"kiosk/store"
)

// The errors of the ledger as pos hands them on: typed values that carry
// their facts, so that the screens and the command line word them from
// fields and never read a message. Each wraps the ledger's own error, whose
// message its Error returns when there is one: logs and the command line
// read as before.

// ErrNoPIN means no manager PIN has been set yet.
var ErrNoPIN = errors.New("no manager PIN is set")

// ErrPINSet means a first manager PIN was offered where one is set
// already: changing it needs the old one.
var ErrPINSet = errors.New("a manager PIN is already set")

// ErrLedgerBusy means another program (a manager's command, a backup)
// held the ledger file too long for it to be used just now.
var ErrLedgerBusy = errors.New("the ledger file is busy")

// ErrBadDate, ErrBadRange and ErrFutureDay are the ledger's refusals of a
// date: not YYYY-MM-DD, a range that runs backwards or is too long, a day
// to close that has not begun.
var (
	ErrBadDate   = errors.New("malformed date")
	ErrBadRange  = errors.New("bad date range")
	ErrFutureDay = errors.New("day has not begun")
)

// FutureDayError refuses a report of a day (Date) that has not begun:
// it is Today in the shop's zone (Zone). It wraps ErrFutureDay.
type FutureDayError struct {
	Date, Today, Zone string
}

func (e *FutureDayError) Error() string {
	return fmt.Sprintf("%s: %v: it is %s in %s", e.Date, ErrFutureDay, e.Today, e.Zone)
}

// Unwrap is ErrFutureDay.
func (e *FutureDayError) Unwrap() error { return ErrFutureDay }

// ErrFileExists means a backup would overwrite a file.
var ErrFileExists = errors.New("file already exists")

// ErrBackupIsLedger means a backup would overwrite the ledger itself;
// ErrNoLedger that there is no ledger to back up yet.
var (
	ErrBackupIsLedger = errors.New("the backup would be the ledger itself")
	ErrNoLedger       = errors.New("there is no ledger yet")
)

// PINError is a manager PIN refused: a wrong one, with the tries left
// before the lock, or any PIN while the lock lasts, with when it ends.
type PINError struct {
	Wrong     bool          // the PIN was checked and is wrong
	TriesLeft int           // wrong tries left before the lock; 0 once locked
	Locked    bool          // the PIN is locked: by this try, or by earlier ones
	Tries     int           // the wrong tries that locked it (a lock met, not made)
	LockFor   time.Duration // how long a lock lasts
	Until     time.Time     // when the lock ends, in the shop's zone (Locked only)
	Left      time.Duration // how long the lock still lasts (a lock met, not made)

	cause error
}

func (e *PINError) Error() string { return causeOr(e.cause, e.text()) }

// Unwrap returns the ledger's error.
func (e *PINError) Unwrap() error { return e.cause }

// text is a diagnostic, for an error made without the ledger's; the
// screens word the fields.
func (e *PINError) text() string {
	if e.Locked {
		return fmt.Sprintf("manager PIN locked until %s", e.Until.Format(time.TimeOnly))
	}
	return fmt.Sprintf("wrong manager PIN: %d tries left", e.TriesLeft)
}

// PINShapeError is a new manager PIN that is not Min to Max digits.
type PINShapeError struct {
	Length    int  // the length of the PIN given
	NotDigits bool // it holds something other than digits
	Trivial   bool // one digit repeated, or a run such as 123456
	Min, Max  int  // the lengths a PIN may have

	cause error
}

func (e *PINShapeError) Error() string { return causeOr(e.cause, e.text()) }

// Unwrap returns the ledger's error.
func (e *PINShapeError) Unwrap() error { return e.cause }

func (e *PINShapeError) text() string {
	return fmt.Sprintf("manager PIN too weak: %d characters, want %d to %d digits", e.Length, e.Min, e.Max)
}

// RefundProblem says why the ledger refuses a refund.
type RefundProblem int

// The refunds the ledger refuses.
const (
	RefundSaleNotPaid    RefundProblem = iota + 1 // the sale is not paid
	RefundSaleRefunded                            // the sale is refunded in full already
	RefundNotPositive                             // the amount is zero or less
	RefundOverRefundable                          // more than is still refundable
	RefundBeyondAmount                            // Alipay confirmed refunds beyond the sale's amount
)

// RefundError is a refund the ledger refuses, with the figures that
// refuse it.
type RefundError struct {
	Problem       RefundProblem
	OutTradeNo    string
	OutRequestNo  string
	Fen           int64  // the refund asked for
	RefundableFen int64  // what was still refundable
	RefundedFen   int64  // what was refunded already
	AmountFen     int64  // the sale's amount
	Status        Status // the sale's status

	cause error
}

func (e *RefundError) Error() string { return causeOr(e.cause, e.text()) }

// Unwrap returns the ledger's error.
func (e *RefundError) Unwrap() error { return e.cause }

// TooLarge reports whether the amount is refused, rather than the sale.
func (e *RefundError) TooLarge() bool {
	return e.Problem != RefundSaleNotPaid && e.Problem != RefundSaleRefunded
}

func (e *RefundError) text() string {
	return fmt.Sprintf("refund of %d fen on sale %s refused (problem %d)", e.Fen, e.OutTradeNo, e.Problem)
}

// LedgerDamagedError says which ledger file is damaged and how: Check is
// the (first) problem found, More how many others were found, InCopy
// that they were found in the copy a backup made of it.
type LedgerDamagedError struct {
	Path    string // the ledger file
	Problem string // what is wrong with it, in English, for logs
	Check   CheckProblem
	More    int
	InCopy  bool

	cause error
}

func (e *LedgerDamagedError) Error() string {
	return causeOr(e.cause, e.Path+" is damaged: "+e.Problem)
}

// Unwrap returns the ledger's error.
func (e *LedgerDamagedError) Unwrap() error { return e.cause }

// LedgerFileProblem is which of bbolt's refusals of the ledger file a
// *LedgerFileError is; its values mirror store.FileProblem's.
type LedgerFileProblem int

// The refusals of the ledger file (store.FileProblem).
const (
	LedgerFileBusy     LedgerFileProblem = iota + 1 // another program held the file's lock too long
	LedgerFileNotBolt                               // not a bbolt file: neither header page is valid
	LedgerFileVersion                               // written by a bbolt of another file format version
	LedgerFileChecksum                              // its header's checksum does not match
	LedgerFileMapping                               // it could not be mapped into memory
	LedgerFileReadOnly                              // opened read-only for a write
	LedgerFileTooLarge                              // it reached its maximum size
)

// LedgerFileProblems are every LedgerFileProblem, for tests of their words.
func LedgerFileProblems() []LedgerFileProblem {
	return kindsOf[LedgerFileProblem](store.FileProblems())
}

// Damaged reports whether the file itself is unsound.
func (p LedgerFileProblem) Damaged() bool { return store.FileProblem(p).Damaged() }

// LedgerFileError is bbolt's refusal of the ledger file at Path, as a
// fact (Problem); a busy file is also ErrLedgerBusy.
type LedgerFileError struct {
	Path    string
	Problem LedgerFileProblem

	cause error
}

func (e *LedgerFileError) Error() string { return causeOr(e.cause, e.Path+": refused by bbolt") }

// Unwrap returns the ledger's error, and ErrLedgerBusy for a busy file.
func (e *LedgerFileError) Unwrap() []error {
	if e.Problem == LedgerFileBusy {
		return []error{ErrLedgerBusy, e.cause}
	}
	return []error{e.cause}
}

// LedgerNoBucketError is a database file at Path that is not a ledger: it
// lacks the ledger's Bucket.
type LedgerNoBucketError struct {
	Path, Bucket string

	cause error
}

func (e *LedgerNoBucketError) Error() string {
	return causeOr(e.cause, e.Path+": not a ledger: no "+e.Bucket+" bucket")
}

// Unwrap returns the ledger's error.
func (e *LedgerNoBucketError) Unwrap() error { return e.cause }

// LedgerMissingError says that a directory that has held a ledger has lost
// it, and what shows that it held one.
type LedgerMissingError struct {
	Path     string // the ledger file that is missing or empty
	Empty    bool   // the file is there but holds nothing
	Evidence string // the file that shows a ledger was here; "" for the running kiosk

	cause error
}

func (e *LedgerMissingError) Error() string {
	what := "is missing"
	if e.Empty {
		what = "is empty"
	}
	return causeOr(e.cause, fmt.Sprintf("%s %s, but %s shows that this directory held a ledger", e.Path, what, e.Evidence))
}

// Unwrap returns the ledger's error.
func (e *LedgerMissingError) Unwrap() error { return e.cause }

// LedgerInUseError means another kiosk runs on the ledger in Dir.
type LedgerInUseError struct {
	Dir string

	cause error
}

func (e *LedgerInUseError) Error() string {
	return causeOr(e.cause, "the ledger in "+e.Dir+" is in use by another kiosk")
}

// Unwrap returns the ledger's error.
func (e *LedgerInUseError) Unwrap() error { return e.cause }

// DayClosedError is a sale refused because its day is closed: the Z
// report of Date (No. ZNumber, made at ClosedAt) is stored, and a sale after
// it would be in the day but not in its report. Sales resume the next day.
type DayClosedError struct {
	Date     string
	ZNumber  int
	ClosedAt time.Time

	cause error
}

func (e *DayClosedError) Error() string {
	return causeOr(e.cause, "day "+e.Date+" is closed; sales resume on the next day")
}

// Unwrap returns the ledger's error.
func (e *DayClosedError) Unwrap() error { return e.cause }

// DateError is a date or a range of dates the ledger refused, with its
// facts: errors.Is matches ErrBadDate (Date is not YYYY-MM-DD) or
// ErrBadRange (From to To runs backwards, Days < 1, or spans Days, more
// than Max).
type DateError struct {
	Date     string
	From, To string
	Days     int
	Max      int
	// Flag is the command-line flag that gave Date ("--date", "--from"),
	// set by the command that knows it; "" where none did.
	Flag string

	is    error
	cause error
}

func (e *DateError) Error() string { return e.cause.Error() }

// Unwrap returns pos's sentinel and the ledger's error.
func (e *DateError) Unwrap() []error { return []error{e.is, e.cause} }

// CheckDate refuses a date that is not YYYY-MM-DD with a *DateError, as
// the ledger would, before any ledger is opened.
func CheckDate(date string) error { return fromLedger(store.CheckDate(date), "") }

// CheckRange refuses the days from to to with a *DateError, as the
// ledger's Range would, before any ledger is opened.
func CheckRange(from, to string) error { return fromLedger(store.CheckRange(from, to), "") }

// LedgerDirError is a data directory a manager's tool could not open the
// ledger in: it does not exist (Missing), this user may not read it
// (Denied), or it is a file (NotDir).
type LedgerDirError struct {
	Dir                     string
	Missing, Denied, NotDir bool

	cause error
}

func (e *LedgerDirError) Error() string { return e.cause.Error() }

// Unwrap returns the ledger's error.
func (e *LedgerDirError) Unwrap() error { return e.cause }

// LedgerZoneError is a ledger opened in a time zone (Configured) other
// than the one it keeps its days in (Recorded): the shop's days, receipt
// numbers and day index are counted in Recorded, so the ledger is not
// opened. Moving a ledger to another zone is not supported; the way on is
// to configure Recorded again.
type LedgerZoneError struct {
	Dir                  string
	Recorded, Configured string

	cause error
}

func (e *LedgerZoneError) Error() string { return e.cause.Error() }

// Unwrap returns the ledger's error.
func (e *LedgerZoneError) Unwrap() error { return e.cause }

// refusal is a ledger error that pos matches with one of its sentinels,
// its message unchanged.
type refusal struct {
	is    error
	cause error
}

func (e *refusal) Error() string   { return e.cause.Error() }
func (e *refusal) Unwrap() []error { return []error{e.is, e.cause} }

func causeOr(cause error, text string) string {
	if cause != nil {
		return cause.Error()
	}
	return text
}

// fromLedger turns an error that came from the ledger into one of pos's
// typed errors, keeping err in its chain; other errors pass unchanged. dir
// names the ledger's directory, for an error that does not.
func fromLedger(err error, dir string) error {
	if err == nil {
		return nil
	}
	var (
		pe *store.PINError
		se *store.PINShapeError
		re *store.RefundError
		de *store.DamageError
		me *store.MissingError
		ce *store.DayClosedError
		te *store.DateError
		xe *store.DirError
		fe *store.FileError
		ze *store.ZoneError
		be *store.NoBucketError
	)
	if rec, ok := ledgerRecord(err); ok {
		return rec
	}
	switch {
	case errors.As(err, &be):
		return &LedgerNoBucketError{Path: be.Path, Bucket: be.Bucket, cause: err}
	case errors.As(err, &ze):
		return &LedgerZoneError{Dir: ze.Dir, Recorded: ze.Recorded, Configured: ze.Configured, cause: err}
	case errors.As(err, &xe):
		return &LedgerDirError{Dir: xe.Dir, NotDir: xe.NotDir, Missing: errors.Is(xe, fs.ErrNotExist),
			Denied: errors.Is(xe, fs.ErrPermission), cause: err}
	case errors.As(err, &te):
		is := ErrBadDate
		if errors.Is(te, store.ErrBadRange) {
			is = ErrBadRange
		}
		return &DateError{Date: te.Date, From: te.From, To: te.To, Days: te.Days, Max: store.MaxRangeDays, is: is, cause: err}
	case errors.As(err, &pe):
		return &PINError{Wrong: pe.Wrong, TriesLeft: pe.TriesLeft, Locked: pe.Locked, Tries: pe.Tries,
			LockFor: pe.LockFor, Until: pe.Until, Left: pe.Left, cause: err}
	case errors.As(err, &se):
		return &PINShapeError{Length: se.Length, NotDigits: se.NotDigits, Trivial: se.Trivial, Min: se.Min, Max: se.Max, cause: err}
	case errors.As(err, &re):
		return &RefundError{Problem: RefundProblem(re.Problem), OutTradeNo: re.OutTradeNo, OutRequestNo: re.OutRequestNo,
			Fen: re.Fen, RefundableFen: re.RefundableFen, RefundedFen: re.RefundedFen, AmountFen: re.AmountFen,
			Status: Status(re.Status), cause: err}
	case errors.As(err, &de):
		return &LedgerDamagedError{Path: de.Path, Problem: de.Problem, Check: checkProblem(de.Check), More: de.More,
			InCopy: de.InCopy, cause: err}
	case errors.As(err, &me):
		return &LedgerMissingError{Path: me.Path, Empty: me.Empty, Evidence: me.Evidence, cause: err}
	case errors.As(err, &ce):
		return &DayClosedError{Date: ce.Date, ZNumber: ce.ZNumber, ClosedAt: ce.ClosedAt, cause: err}
	case errors.Is(err, store.ErrLocked):
		return &LedgerInUseError{Dir: dir, cause: err}
	case errors.As(err, &fe):
		return &LedgerFileError{Path: fe.Path, Problem: LedgerFileProblem(fe.Problem), cause: err}
	}
	for _, m := range ledgerSentinels {
		if errors.Is(err, m[0]) {
			return &refusal{is: m[1], cause: err}
		}
	}
	return err
}

// ledgerSentinels pairs the ledger's sentinels with pos's.
var ledgerSentinels = [][2]error{
	{store.ErrNoPIN, ErrNoPIN},
	{store.ErrPINSet, ErrPINSet},
	{store.ErrBusy, ErrLedgerBusy},
	{store.ErrBadDate, ErrBadDate},
	{store.ErrBadRange, ErrBadRange},
	{store.ErrFutureDay, ErrFutureDay},
	{store.ErrFileExists, ErrFileExists},
	{store.ErrBackupIsLedger, ErrBackupIsLedger},
	{store.ErrNoLedger, ErrNoLedger},
}
