// Package figures lays out what the screen and the command line draw in
// columns: every table of the kiosk goes through Table, one helper over
// lipgloss/table, and a day's totals and a report's breakdown by status
// are rows made here once, so that the manager's screen (package ui) and
// the printed report (package ui/cli) cannot tell different stories.
package figures

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"kiosk/pos"
	"kiosk/ui/words"
)

// Table is rows to lay out in columns: no borders, a gap between
// columns, each column as wide as its widest cell. Widths are display
// widths, as a terminal draws them: a Chinese character takes two cells.
type Table struct {
	Rows  [][]string
	Right []int // the columns aligned right, as figures are; the others align left
	// Gap is the cells between two columns (default 2).
	Gap int
	// Style, when set, is each cell's look (row 0 is the first row); the
	// table sets alignment and the gap itself.
	Style func(row, col int) lipgloss.Style
}

// Lines lays the table out, a line per row (more for a cell of several
// lines), with no white space at the end of a line.
func (t Table) Lines() []string {
	if len(t.Rows) == 0 {
		return nil
	}
	gap := t.Gap
	if gap == 0 {
		gap = 2
	}
	tb := table.New().Rows(t.Rows...).Wrap(false).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(false).BorderColumn(false).BorderRow(false).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := lipgloss.NewStyle()
			if t.Style != nil {
				s = t.Style(row, col)
			}
			if col > 0 {
				s = s.PaddingLeft(gap)
			}
			if slices.Contains(t.Right, col) {
				return s.Align(lipgloss.Right)
			}
			return s.Align(lipgloss.Left)
		})
	lines := strings.Split(tb.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// String is the table's lines, each ended by a newline.
func (t Table) String() string {
	lines := t.Lines()
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// Totals are the totals as a report prints them: label, count, amount
// (either may be empty).
func Totals(say *words.Words, t pos.Totals) [][]string {
	f := &say.Figures
	n := func(i int) string { return fmt.Sprint(i) }
	yuan := func(fen int64) string { return words.Yuan(fen).String() }
	rows := [][]string{
		{f.Sales, n(t.Count), ""},
		{f.Paid, n(t.Paid), yuan(t.PaidFen)},
		{f.RefundedInFull, n(t.Refunded), ""},
		{f.RefundedInPart, n(t.PartlyRefunded), ""},
		{f.Refunded, "", yuan(t.RefundedFen)},
		{f.Net, "", yuan(t.NetFen)},
		{f.Cancelled, n(t.Cancelled), ""},
		{f.Failed, n(t.Failed), ""},
		{f.Pending, n(t.Pending), ""},
		{f.Unknown, n(t.Unknown), ""},
	}
	if t.Reversed > 0 { // only on a day that has one: apart from the sales paid
		rows = append(rows, []string{say.Status.Reversed, n(t.Reversed), yuan(t.ReversedFen)})
	}
	return rows
}

// statusOrder is the order of statuses in a report: money first.
var statusOrder = []pos.Status{pos.StatusPaid, pos.StatusRefunded, pos.StatusReversed, pos.StatusCancelled, pos.StatusFailed, pos.StatusUnknown, pos.StatusPending}

// ByStatus are the report's figures by status, money first: status, count,
// amount; only the statuses the day has.
func ByStatus(say *words.Words, r pos.Report) [][]string {
	var rows [][]string
	for _, st := range statusOrder {
		if v, ok := r.ByStatus[st]; ok {
			rows = append(rows, []string{say.StatusName(st), fmt.Sprint(v.Count), words.Yuan(v.Fen).String()})
		}
	}
	return rows
}

// Line is the day's totals in one line of parts, as the ledger's screen
// shows them under its table and kiosk ledger prints them under its own:
// pending and failed only when there are some. Refunded counts the sales
// with money refunded, in full or in part, so that it matches the amount
// beside it, and says how many of them in part.
func Line(say *words.Words, t pos.Totals) []string {
	f := &say.Figures
	refunded := f.LineRefunded.F(t.Refunded+t.PartlyRefunded, words.Yuan(t.RefundedFen))
	if t.PartlyRefunded > 0 {
		refunded = f.LineInPart.F(t.Refunded+t.PartlyRefunded, t.PartlyRefunded, words.Yuan(t.RefundedFen))
	}
	parts := []string{
		f.LineSales.F(t.Count),
		f.LinePaid.F(t.Paid, words.Yuan(t.PaidFen)),
		refunded,
		f.LineNet.F(words.Yuan(t.NetFen)),
		f.LineCancelled.F(t.Cancelled),
		f.LineUnknown.F(t.Unknown),
	}
	if t.Pending > 0 {
		parts = append(parts, f.LinePending.F(t.Pending))
	}
	if t.Failed > 0 {
		parts = append(parts, f.LineFailed.F(t.Failed))
	}
	if t.Reversed > 0 { // apart from the sales paid: no receipt was ever issued
		parts = append(parts, f.LineReversed.F(t.Reversed, words.Yuan(t.ReversedFen)))
	}
	return parts
}

// ByMethod are the report's figures by the way each sale was paid: way,
// sales, paid, paid amount, refunded, net, under a line of headings; every
// way, those without sales too, so that the split is visible even on a day
// of one kind of sale.
func ByMethod(say *words.Words, r pos.Report) [][]string {
	f := &say.Figures
	rows := [][]string{{"", f.MethodSales, f.MethodPaid, f.MethodAmount, f.MethodRefunded, f.MethodNet}}
	for _, m := range pos.PayMethods {
		v := r.ByMethod[m]
		rows = append(rows, []string{say.MethodName(m), fmt.Sprint(v.Count), fmt.Sprint(v.Paid),
			words.Yuan(v.PaidFen).String(), words.Yuan(v.RefundedFen).String(), words.Yuan(v.NetFen()).String()})
	}
	return rows
}
