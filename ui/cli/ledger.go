package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/pos"
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
		err = WriteRange(w, days, q.Format, ExportOptions{BOM: q.BOM})
	}
	return LedgerTrouble(AsUsage(err), r.Dir())
}

// PrintReport prints the day's X report (default today), or its Z report
// once the day is closed.
func PrintReport(w io.Writer, r Records, date, format string) error {
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
		return fmt.Errorf("the kiosk will not start on %s: %s", res.Path, restoreAdvice)
	case !res.OK():
		return fmt.Errorf("the ledger in %s has %d problem(s)", r.Dir(), len(res.Problems)+res.Omitted)
	}
	return nil
}

// Backup copies the ledger to file and says so.
func Backup(w io.Writer, r Records, file string, force bool) error {
	n, err := r.Backup(file, force)
	switch {
	case errors.Is(err, pos.ErrFileExists):
		return Usagef("%s already exists: give the backup another name, or add --force to replace it", file)
	case err != nil:
		return LedgerTrouble(err, r.Dir())
	}
	_, err = fmt.Fprintf(w, "Backed up the ledger in %s to %s (%d bytes, checked).\n", r.Dir(), file, n)
	return err
}

// checkSummary says in a few lines what a check found, for a manager.
func checkSummary(r pos.CheckResult) string {
	var b strings.Builder
	if r.Damaged {
		fmt.Fprintf(&b, "Ledger %s (%s) cannot be read, so its sales were not checked:\n", r.Path, byteSize(r.Size))
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  Note: %s\n", n)
		}
		return b.String()
	}
	if r.Size == 0 {
		fmt.Fprintf(&b, "Ledger %s: no ledger yet.\n", r.Path)
	} else {
		fmt.Fprintf(&b, "Ledger %s (%s)\n", r.Path, byteSize(r.Size))
	}
	fmt.Fprintf(&b, "  %d %s", r.Sales, plural(r.Sales, "sale", "sales"))
	if r.Days > 0 {
		fmt.Fprintf(&b, " on %d %s, %s to %s", r.Days, plural(r.Days, "day", "days"), r.FirstDay, r.LastDay)
	}
	fmt.Fprintf(&b, "\n  %d unsettled, %d with a refund in flight\n", r.Unsettled, r.RefundsInFlight)
	fmt.Fprintf(&b, "  %d Z reports", r.ZReports)
	if r.LastZ > 0 {
		fmt.Fprintf(&b, ", the last No. %04d", r.LastZ)
	}
	pin := "not set"
	if r.PINSet {
		pin = "set"
	}
	fmt.Fprintf(&b, "; manager PIN %s\n", pin)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  Note: %s\n", n)
	}
	if r.OK() {
		fmt.Fprintf(&b, "No problems found (checked in %v).\n", r.Took.Round(time.Millisecond))
		return b.String()
	}
	fmt.Fprintf(&b, "%d problem(s) found:\n", len(r.Problems)+r.Omitted)
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  - %s\n", p)
	}
	if r.Omitted > 0 {
		fmt.Fprintf(&b, "  ... and %d more\n", r.Omitted)
	}
	return b.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
