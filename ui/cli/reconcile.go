package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"kiosk/pos"
)

// Reconciliation prints every difference a reconciliation found, and fails
// when there is one; whose names the ledger in that message ("the ledger",
// "head office's ledger").
func Reconciliation(w io.Writer, rec pos.Reconciliation, format, whose string) error {
	if err := writeDifferences(w, format, rec); err != nil {
		return err
	}
	if len(rec.Differences) > 0 {
		return fmt.Errorf("%s and Alipay differ on %d sale(s) of %s", whose, len(rec.Differences), rec.Date)
	}
	return nil
}

// billNote says whether Alipay's bill was checked too, and why not.
func billNote(b pos.BillCheck) string {
	switch {
	case b.NoBill != nil:
		return "no bill for this day (" + pos.Describe(b.NoBill) + "); compared by query only"
	case b.Unreadable != nil:
		return "the bill could not be read (" + b.Unreadable.Error() + "); compared by query only"
	}
	return fmt.Sprintf("Alipay's bill (%s) checked too", count(b.Trades, "trade", "trades"))
}

// count says "1 sale", "2 sales".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func writeDifferences(w io.Writer, format string, rec pos.Reconciliation) error {
	note, diffs := billNote(rec.Bill), rec.Differences
	if format == "json" {
		return writeJSON(w, map[string]any{"date": rec.Date, "sales": rec.Sales, "bill": note, "differences": diffs})
	}
	if format != "table" {
		return Usagef("--format %q: use table or json", format)
	}
	fmt.Fprintf(w, "Reconciliation of %s: %s, %s; %s.\n", rec.Date, count(rec.Sales, "sale", "sales"),
		count(len(diffs), "difference", "differences"), note)
	if len(diffs) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nORDER\tLEDGER\tALIPAY\tPROBLEM")
	for _, d := range diffs {
		fmt.Fprintf(tw, "%s\t%s %s\t%s %s\t%s\n", d.OutTradeNo, d.Ledger, pos.FormatAmount(d.LedgerFen),
			d.Alipay, pos.FormatAmount(d.AlipayFen), d.Problem)
	}
	return tw.Flush()
}
