package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/ui/words"
)

// Records is what the ledger commands read: the days, the reports, a check
// of the file and a backup. *pos.Office implements it.
type Records interface {
	Dir() string
	Today() string
	Day(date string) (pos.Day, error)
	Range(from, to string) ([]pos.Day, error)
	Report(date string) (pos.Report, error)
	Check() (pos.CheckResult, error)
	Backup(path string, replace bool) (int64, error)
}

// DayQuery is what `kiosk ledger` asks for: one day (Date, default today)
// or the days From to To, in Format.
type DayQuery struct {
	Date, From, To string
	Format         string
	BOM            bool // start CSV with a byte order mark
	// Width is the columns of the terminal the table goes to; 0 when the
	// output is not a terminal, for every column.
	Width int
}

// Check refuses a query that does not say which days it means: --to
// without --from, or --date with a range.
func (q DayQuery) Check() error {
	switch {
	case q.Date != "" && (q.From != "" || q.To != ""):
		return UsageText(say.CLI.DateAndRange, nil)
	case q.To != "" && q.From == "":
		return UsageText(say.CLI.ToWithoutFrom.F(q.To), nil)
	}
	for _, d := range []struct{ flag, date string }{{"--date", q.Date}, {"--from", q.From}, {"--to", q.To}} {
		if err := CheckDate(d.flag, d.date); err != nil {
			return err
		}
	}
	if q.From == "" || q.To == "" {
		return nil
	}
	return AsUsage(pos.CheckRange(q.From, q.To))
}

// CheckDate refuses a date that is not YYYY-MM-DD, as the ledger would
// (a *pos.DateError, worded from its facts and the flag that gave it:
// "--date"); an empty date (today) passes.
func CheckDate(flag, date string) error {
	if date == "" {
		return nil
	}
	err := pos.CheckDate(date)
	var de *pos.DateError
	if errors.As(err, &de) {
		de.Flag = flag
	}
	return AsUsage(err)
}

// Export prints one day of the ledger, or a range of days.
func Export(w io.Writer, r Records, q DayQuery) error {
	first := cmp.Or(q.Date, r.Today())
	last := first
	if q.From != "" {
		first, last = q.From, cmp.Or(q.To, q.From)
	}
	days, err := r.Range(first, last)
	switch {
	case err != nil:
	case len(days) == 1 && q.Format == "json":
		// One day keeps the documented shape: date, sales, totals.
		err = WriteDay(w, days[0], "json")
	default:
		err = WriteRange(w, days, q.Format, ExportOptions{BOM: q.BOM, Width: q.Width})
	}
	if err == nil && q.Format == "table" && first == last {
		err = closedDayNote(w, r, first)
	}
	return LedgerTrouble(AsUsage(err), r.Dir())
}

// closedDayNote says under a closed day's table that refunds were made
// after it closed: the table counts them, its Z report does not. It is
// worded for the listing, not as the copy of the Z report words it.
func closedDayNote(w io.Writer, r Records, date string) error {
	rep, err := r.Report(date)
	if l := rep.LaterRefunds; err == nil && rep.Copy && l.Count > 0 {
		_, err = io.WriteString(w, "\n"+say.CLI.RefundedSinceZ.F(rep.Number, l.Count, words.Yuan(l.Fen))+"\n")
	}
	return err
}

// PrintReport prints the day's X report (default today), or its Z report
// once the day is closed.
func PrintReport(w io.Writer, r Records, date, format string) error {
	if err := CheckDate("--date", date); err != nil {
		return err
	}
	rep, err := r.Report(cmp.Or(date, r.Today()))
	if err == nil {
		err = WriteReport(w, rep, format)
	}
	return LedgerTrouble(AsUsage(err), r.Dir())
}

// Check prints what a check of the ledger file found, and fails when it
// found a problem.
func Check(w io.Writer, r Records) error {
	res, err := r.Check()
	if err != nil {
		return LedgerTrouble(err, r.Dir())
	}
	if _, err := io.WriteString(w, checkSummary(res)); err != nil {
		return err
	}
	switch {
	case res.Damaged:
		return errors.New(checkFix(res))
	case !res.OK():
		return errors.New(say.CLI.HasProblems.F(len(res.Problems)+res.Omitted, r.Dir()))
	}
	return nil
}

// checkFix says, after a check that found the ledger file damaged, missing
// or empty, what is wrong and what to do: as the refusal to start says it,
// --new-ledger beside the backup where the file is gone, for the kiosk
// starts an empty ledger only where there is none.
func checkFix(r pos.CheckResult) string {
	c := &say.CLI
	switch gone, _ := ledgerGone(r); gone {
	case pos.CheckLedgerMissing:
		return c.CheckFix.F(r.Path, c.Missing, c.StartAfresh.F(c.RestoreAdvice))
	case pos.CheckLedgerEmpty:
		return c.CheckFix.F(r.Path, c.Empty, c.StartAfresh.F(c.RestoreAdvice))
	}
	return c.CheckFix.F(r.Path, c.Damaged, c.RestoreAdvice)
}

// ledgerGone finds, among a check's problems, that the ledger file is
// missing or empty: the problem's kind, or false when it is neither.
func ledgerGone(r pos.CheckResult) (pos.CheckKind, bool) {
	for _, p := range r.Problems {
		if p.Kind == pos.CheckLedgerMissing || p.Kind == pos.CheckLedgerEmpty {
			return p.Kind, true
		}
	}
	return 0, false
}

// Backup copies the ledger to file and says so.
func Backup(w io.Writer, r Records, file string, force bool) error {
	n, err := r.Backup(file, force)
	switch {
	case errors.Is(err, pos.ErrFileExists):
		return UsageError{advised{say.CLI.BackupExists.F(file), err}}
	case errors.Is(err, pos.ErrBackupIsLedger):
		return UsageError{advised{say.CLI.BackupIsLedger.F(file), err}}
	case errors.Is(err, pos.ErrNoLedger):
		return UsageError{advised{say.System.NothingToBackUp.F(r.Dir()), err}}
	case errors.As(err, new(*pos.LedgerDamagedError)), errors.As(err, new(*pos.LedgerMissingError)):
		return LedgerTrouble(err, r.Dir())
	case errors.Is(err, fs.ErrNotExist):
		return UsageError{advised{say.System.BackupNoDir.F(file, filepath.Dir(file)), err}}
	case err != nil:
		return advised{say.System.BackupWrite.F(file, say.SystemReason(err)), err}
	}
	_, err = fmt.Fprintln(w, say.CLI.BackedUp.F(r.Dir(), file, n))
	return err
}

// checkSummary says in a few lines what a check found, for a manager.
func checkSummary(r pos.CheckResult) string {
	c := &say.CLI
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	if r.Damaged {
		head := c.CheckDamaged.F(r.Path, byteSize(r.Size))
		if gone, _ := ledgerGone(r); gone == pos.CheckLedgerMissing {
			head = c.CheckMissing.F(r.Path) // a file that is not there has no size
		}
		line(head)
		for _, p := range r.Problems {
			line(c.CheckProblem.F(checkProblemText(say, p)))
		}
		for _, n := range r.Notes {
			line(c.CheckNote.F(checkProblemText(say, n)))
		}
		return b.String()
	}
	if r.Size == 0 {
		line(c.CheckNoLedger.F(r.Path))
	} else {
		line(c.CheckLedger.F(r.Path, byteSize(r.Size)))
	}
	sales := c.CheckSales.F(r.Sales)
	if r.Days > 0 {
		sales += c.CheckDays.F(r.Days, c.CheckDayRange.F(r.FirstDay, r.LastDay))
	}
	line(sales)
	line(c.CheckOpen.F(r.Unsettled, r.RefundsInFlight))
	z := c.CheckZ.F(r.ZReports)
	if r.LastZ > 0 {
		z += c.CheckLastZ.F(r.LastZ)
	}
	pin := c.CheckPINNotSet
	if r.PINSet {
		pin = c.CheckPINSet
	}
	line(z + pin)
	for _, n := range r.Notes {
		line(c.CheckNote.F(checkProblemText(say, n)))
	}
	if r.OK() {
		line(c.CheckOK.F(say.Duration(r.Took.Round(time.Millisecond))))
		return b.String()
	}
	line(c.CheckFound.F(len(r.Problems) + r.Omitted))
	for _, p := range r.Problems {
		line(c.CheckProblem.F(checkProblemText(say, p)))
	}
	if r.Omitted > 0 {
		line(c.CheckMore.F(r.Omitted))
	}
	return b.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return say.CLI.MiB.F(float64(n) / (1 << 20))
	case n >= 1<<10:
		return say.CLI.KiB.F(float64(n) / (1 << 10))
	}
	return say.CLI.Bytes.F(int(n))
}
