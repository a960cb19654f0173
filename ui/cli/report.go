package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
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
	return badFormat(format, say.CLI.WantTableJSON)
}

// reportTitle is the report's heading: "Z REPORT No. 0007" or "X REPORT
// (not closed)".
func reportTitle(say *words.Words, r pos.Report) string {
	switch {
	case r.Kind == pos.ReportZ && r.Copy:
		return say.Report.ZCopy.F(r.Number)
	case r.Kind == pos.ReportZ:
		return say.Report.Z.F(r.Number)
	case r.ZNumber > 0:
		return say.Report.XClosedPrinted.F(r.ZNumber)
	}
	return say.Report.XOpenPrinted
}

func writeReportTable(w io.Writer, r pos.Report) error {
	rw := &say.Report
	var b strings.Builder
	title := reportTitle(say, r)
	fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("=", lipgloss.Width(title)))
	when := rw.MadeAt
	if r.Kind == pos.ReportZ {
		when = rw.ClosedAt
	}
	head := [][]string{{rw.Date, r.Date}}
	if r.Terminal != "" {
		head = append(head, []string{rw.Terminal, r.Terminal})
	}
	head = append(head, []string{when, r.CreatedAt.Format(time.DateTime)})
	b.WriteString(figures.Table{Rows: head}.String())

	b.WriteString("\n" + rw.Totals + "\n")
	b.WriteString(figures.Table{Rows: indent(figures.Totals(say, r.Totals)), Right: []int{1, 2}}.String())

	b.WriteString("\n" + rw.ByStatus + "\n")
	rows := indent(figures.ByStatus(say, r))
	if len(rows) == 0 {
		b.WriteString("  " + rw.NoSales + "\n")
	}
	b.WriteString(figures.Table{Rows: rows, Right: []int{1, 2}}.String())

	b.WriteString("\n" + rw.ByMethod + "\n")
	b.WriteString(figures.Table{Rows: indent(figures.ByMethod(say, r)), Right: []int{1, 2, 3, 4, 5}}.String())

	if r.Totals.Count > 0 {
		b.WriteString("\n" + rw.ByHour + "\n")
		rows = [][]string{{"  " + rw.Hour, rw.Sales, rw.Paid, rw.Refunded}}
		for h, v := range r.ByHour {
			if v.Count > 0 {
				rows = append(rows, []string{"  " + words.HourSpan(h), fmt.Sprint(v.Count), yuan(v.PaidFen), yuan(v.RefundedFen)})
			}
		}
		b.WriteString(figures.Table{Rows: rows, Right: []int{1, 2, 3}}.String())
	}
	if e := r.EarlierRefunds; e.Count > 0 {
		b.WriteString("\n" + rw.EarlierRefunds.F(e.Count, words.Yuan(e.Fen)) + "\n")
	}
	if a := r.AfterClose; a.Count > 0 {
		b.WriteString("\n" + rw.AfterClose.F(a.Count, words.Yuan(a.Fen)) + "\n")
	}
	if n := laterRefundsNote(r); n != "" {
		b.WriteString("\n" + n + "\n")
	}
	if u := r.Unsettled(); u > 0 {
		b.WriteString("\n" + rw.Unsettled.F(u) + "\n")
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
	ByMethod       methodsJSON               `json:"by_method"`
	Copy           bool                      `json:"copy,omitempty"` // the stored Z report printed again
	AfterClose     *amountJSON               `json:"after_close_refunds,omitempty"`
	// LaterRefunds, on a copy: refunded since the day closed (not stored).
	LaterRefunds *amountJSON `json:"later_refunds,omitempty"`
}

// laterRefundsNote says, on a copy of a Z report, that refunds were made
// since the day closed and are counted elsewhere; "" when there were none.
func laterRefundsNote(r pos.Report) string {
	if l := r.LaterRefunds; r.Copy && l.Count > 0 {
		return say.Report.LaterRefunds.F(l.Count, words.Yuan(l.Fen))
	}
	return ""
}

// amountOut is refunds as JSON, nil when there are none.
func amountOut(t pos.RefundTotals) *amountJSON {
	if t.Count == 0 {
		return nil
	}
	return &amountJSON{Count: t.Count, Amount: formatFen(t.Fen), Fen: t.Fen}
}

type methodsJSON map[pos.PayMethod]methodJSON

type methodJSON struct {
	Count          int    `json:"count"`
	Paid           int    `json:"paid"`
	PaidAmount     string `json:"paid_amount"`
	PaidFen        int64  `json:"paid_fen"`
	RefundedAmount string `json:"refunded_amount"`
	RefundedFen    int64  `json:"refunded_fen"`
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
		// The title is stored with the Z report, in the ledger's words.
		Kind: r.Kind, Number: r.Number, Title: reportTitle(words.English, r), Date: r.Date, CreatedAt: r.CreatedAt,
		Terminal: r.Terminal, ZNumber: r.ZNumber, Totals: totalsOut(r.Totals), Copy: r.Copy,
		ByStatus:       map[pos.Status]statusJSON{},
		ByMethod:       methodsJSON{},
		ByHour:         make([]hourJSON, len(r.ByHour)),
		EarlierRefunds: amountJSON{Count: r.EarlierRefunds.Count, Amount: formatFen(r.EarlierRefunds.Fen), Fen: r.EarlierRefunds.Fen},
		AfterClose:     amountOut(r.AfterClose),
	}
	if r.Copy {
		out.LaterRefunds = amountOut(r.LaterRefunds)
	}
	for st, v := range r.ByStatus {
		out.ByStatus[st] = statusJSON{Count: v.Count, Amount: formatFen(v.Fen), Fen: v.Fen}
	}
	for m, v := range r.ByMethod {
		out.ByMethod[m] = methodJSON{Count: v.Count, Paid: v.Paid, PaidAmount: formatFen(v.PaidFen), PaidFen: v.PaidFen,
			RefundedAmount: formatFen(v.RefundedFen), RefundedFen: v.RefundedFen}
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
