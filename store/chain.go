package store

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"time"
)

// The ledger's sums and shapes for head office, whose sales come from many
// terminals (package store/central): the same Totals, the same reports and
// the same export as one kiosk's, so that a chain's figures are computed by
// the code that computes each counter's.

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

// WriteChain writes days whose sales may come from many terminals and
// stores, in format "table" or "csv" as WriteRange does (with a store_id
// column last in CSV), or "json" as `kiosk ledger --format json` does: one
// day as {"date","sales","totals"}, several as {"from","to","days",
// "totals"}, and each sale with its store_id beside its terminal_id.
func WriteChain(w io.Writer, days []Day, format string, opts ExportOptions) error {
	switch format {
	case "json":
		if len(days) == 1 {
			return encodeJSON(w, chainDayOut(days[0]))
		}
		out := chainRangeJSON{Days: make([]chainDayJSON, 0, len(days)), Totals: totalsOut(sumTotals(days))}
		if len(days) > 0 {
			out.From, out.To = days[0].Date, days[len(days)-1].Date
		}
		for _, d := range days {
			out.Days = append(out.Days, chainDayOut(d))
		}
		return encodeJSON(w, out)
	case "csv":
		if opts.BOM {
			if _, err := io.WriteString(w, bom); err != nil {
				return err
			}
		}
		return writeChainCSV(w, days)
	}
	return WriteRange(w, days, format, opts)
}

type chainSaleJSON struct {
	saleJSON
	StoreID string `json:"store_id"`
}

type chainDayJSON struct {
	Date   string          `json:"date"`
	Sales  []chainSaleJSON `json:"sales"`
	Totals totalsJSON      `json:"totals"`
}

type chainRangeJSON struct {
	From   string         `json:"from"`
	To     string         `json:"to"`
	Days   []chainDayJSON `json:"days"`
	Totals totalsJSON     `json:"totals"`
}

func chainDayOut(d Day) chainDayJSON {
	out := chainDayJSON{Date: d.Date, Sales: make([]chainSaleJSON, 0, len(d.Sales)), Totals: totalsOut(d.Totals)}
	for _, sale := range d.Sales {
		out.Sales = append(out.Sales, chainSaleJSON{saleJSON: saleOut(sale), StoreID: sale.StoreID})
	}
	return out
}

func writeChainCSV(w io.Writer, days []Day) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append(slices.Clone(csvHeader), "store_id")) // errors stick and are reported by Error
	for _, d := range days {
		for _, sale := range d.Sales {
			_ = cw.Write(append(csvRow(sale), sale.StoreID))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// DatesBetween lists the dates from from to to, both included and both
// "YYYY-MM-DD", as Range reads them: ErrBadDate for a malformed date,
// ErrBadRange for a range that runs backwards or exceeds MaxRangeDays.
func DatesBetween(from, to string) ([]string, error) { return datesBetween(from, to) }
