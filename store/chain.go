package store

import (
	"time"
)

// The ledger's sums for head office, whose sales come from many terminals
// (package store/central): the same Totals and the same reports as one
// kiosk's, so that a chain's figures are computed by the code that
// computes each counter's.

// TotalsOf sums up sales as a Day's Totals do.
func TotalsOf(sales []Sale) Totals { return tally(sales) }

// ReportOf is the X report of date made from sales (those created on date)
// and earlier (refunds done on date of earlier days' sales), as Report
// makes it from a ledger: hours are counted in loc, the shop's zone, and
// terminal names the report (when empty, the terminals of the sales).
// CreatedAt and ZNumber are the caller's.
func ReportOf(date string, sales []Sale, earlier RefundTotals, terminal string, loc *time.Location) Report {
	if loc == nil {
		loc = time.Local
	}
	s := &Store{loc: loc, terminal: terminal}
	r := s.buildReport(date, sales, earlier)
	r.Kind = ReportX
	return r
}

// DatesBetween lists the dates from from to to, both included and both
// "YYYY-MM-DD", as Range reads them: ErrBadDate for a malformed date,
// ErrBadRange for a range that runs backwards or exceeds MaxRangeDays.
func DatesBetween(from, to string) ([]string, error) { return datesBetween(from, to) }
