package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/ui/figures"
)

// WriteReport prints r to w in format "table" (for a manager to read or
// print) or "json" (the shape in which Z reports are stored). Any other
// format yields ErrBadFormat.
func WriteReport(w io.Writer, r pos.Report, format string) error {
	switch format {
	case "table":
		return writeReportTable(w, r)
	case "json":
		return writeJSON(w, reportOut(r))
	}
	return fmt.Errorf("%w %q: want table or json", ErrBadFormat, format)
}

// reportTitle is the report's heading: "Z REPORT No. 0007" or "X REPORT (not closed)".
func reportTitle(r pos.Report) string {
	switch {
	case r.Kind == pos.ReportZ:
		return fmt.Sprintf("Z REPORT No. %04d", r.Number)
	case r.ZNumber > 0:
		return fmt.Sprintf("X REPORT (day closed in Z REPORT No. %04d)", r.ZNumber)
	}
	return "X REPORT (not closed)"
}

func writeReportTable(w io.Writer, r pos.Report) error {
	var b strings.Builder
	title := reportTitle(r)
	fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("=", len(title)))
	when := "Printed at"
	if r.Kind == pos.ReportZ {
		when = "Closed at"
	}
	head := [][]string{{"Date", r.Date}}
	if r.Terminal != "" {
		head = append(head, []string{"Terminal", r.Terminal})
	}
	head = append(head, []string{when, r.CreatedAt.Format(time.DateTime)})
	writeAligned(&b, head, 2)

	b.WriteString("\nTOTALS\n")
	writeAligned(&b, indent(figures.Totals(r.Totals)), 1)

	b.WriteString("\nBY STATUS\n")
	rows := indent(figures.ByStatus(r))
	if len(rows) == 0 {
		b.WriteString("  No sales.\n")
	}
	writeAligned(&b, rows, 1)

	if r.Totals.Count > 0 {
		b.WriteString("\nBY HOUR\n")
		rows = [][]string{{"  HOUR", "SALES", "PAID", "REFUNDED"}}
		for h, v := range r.ByHour {
			if v.Count > 0 {
				rows = append(rows, []string{fmt.Sprintf("  %02d:00-%02d:00", h, (h+1)%24), fmt.Sprint(v.Count), yuan(v.PaidFen), yuan(v.RefundedFen)})
			}
		}
		writeAligned(&b, rows, 1)
	}
	if e := r.EarlierRefunds; e.Count > 0 {
		fmt.Fprintf(&b, "\nRefunds made this day of earlier days' sales: %d, %s\n", e.Count, yuan(e.Fen))
	}
	if u := r.Unsettled(); u > 0 {
		fmt.Fprintf(&b, "\nNote: %d sale(s) still pending or unknown; their outcome may change these figures.\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// reportJSON is a report as WriteReport's json writes it: the shape in
// which the ledger stores its Z reports.
type reportJSON struct {
	Kind           pos.ReportKind            `json:"kind"`
	Number         int                       `json:"number,omitempty"`
	Title          string                    `json:"title"`
	Date           string                    `json:"date"`
	CreatedAt      time.Time                 `json:"created_at"`
	Terminal       string                    `json:"terminal,omitempty"`
	ZNumber        int                       `json:"z_number,omitempty"`
	Totals         totalsJSON                `json:"totals"`
	ByStatus       map[pos.Status]statusJSON `json:"by_status"`
	ByHour         []hourJSON                `json:"by_hour"` // 24 entries, index = hour
	EarlierRefunds amountJSON                `json:"earlier_refunds"`
}

type statusJSON struct {
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	Fen    int64  `json:"fen"`
}

type hourJSON struct {
	Hour           int    `json:"hour"`
	Count          int    `json:"count"`
	PaidAmount     string `json:"paid_amount"`
	PaidFen        int64  `json:"paid_fen"`
	RefundedAmount string `json:"refunded_amount"`
	RefundedFen    int64  `json:"refunded_fen"`
}

type amountJSON struct {
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	Fen    int64  `json:"fen"`
}

func reportOut(r pos.Report) reportJSON {
	out := reportJSON{
		Kind: r.Kind, Number: r.Number, Title: reportTitle(r), Date: r.Date, CreatedAt: r.CreatedAt,
		Terminal: r.Terminal, ZNumber: r.ZNumber, Totals: totalsOut(r.Totals),
		ByStatus:       map[pos.Status]statusJSON{},
		ByHour:         make([]hourJSON, len(r.ByHour)),
		EarlierRefunds: amountJSON{Count: r.EarlierRefunds.Count, Amount: formatFen(r.EarlierRefunds.Fen), Fen: r.EarlierRefunds.Fen},
	}
	for st, v := range r.ByStatus {
		out.ByStatus[st] = statusJSON{Count: v.Count, Amount: formatFen(v.Fen), Fen: v.Fen}
	}
	for h, v := range r.ByHour {
		out.ByHour[h] = hourJSON{
			Hour: h, Count: v.Count, PaidAmount: formatFen(v.PaidFen), PaidFen: v.PaidFen,
			RefundedAmount: formatFen(v.RefundedFen), RefundedFen: v.RefundedFen,
		}
	}
	return out
}

// indent puts two spaces before the first cell of each row.
func indent(rows [][]string) [][]string {
	for _, r := range rows {
		r[0] = "  " + r[0]
	}
	return rows
}
