// Package figures lays out a day's totals and a report's breakdown by
// status as rows of label, count and amount. The manager's screen (package
// ui) and the printed report (package ui/cli) both draw these rows, so the
// two cannot tell different stories.
package figures

import (
	"fmt"

	"kiosk/pos"
)

// Totals are the totals as a report prints them: label, count, amount
// (either may be empty).
func Totals(t pos.Totals) [][]string {
	n := func(i int) string { return fmt.Sprint(i) }
	return [][]string{
		{"Sales", n(t.Count), ""},
		{"Paid", n(t.Paid), yuan(t.PaidFen)},
		{"Refunded in full", n(t.Refunded), ""},
		{"Refunded in part", n(t.PartlyRefunded), ""},
		{"Refunded", "", yuan(t.RefundedFen)},
		{"Net", "", yuan(t.NetFen)},
		{"Cancelled", n(t.Cancelled), ""},
		{"Failed", n(t.Failed), ""},
		{"Pending", n(t.Pending), ""},
		{"Unknown", n(t.Unknown), ""},
	}
}

// statusOrder is the order of statuses in a report: money first.
var statusOrder = []pos.Status{pos.StatusPaid, pos.StatusRefunded, pos.StatusCancelled, pos.StatusFailed, pos.StatusUnknown, pos.StatusPending}

// ByStatus are the report's figures by status, money first: status, count,
// amount; only the statuses the day has.
func ByStatus(r pos.Report) [][]string {
	var rows [][]string
	for _, st := range statusOrder {
		if v, ok := r.ByStatus[st]; ok {
			rows = append(rows, []string{string(st), fmt.Sprint(v.Count), yuan(v.Fen)})
		}
	}
	return rows
}

func yuan(fen int64) string { return "¥" + pos.FormatAmount(fen) }
