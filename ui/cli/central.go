package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/pos"
)

// ChainBooks is what the head office commands read of the chain.
// *pos.Chain implements it.
type ChainBooks interface {
	Days(ctx context.Context, from, to string, f pos.ChainFilter) ([]pos.Day, error)
	Report(ctx context.Context, date string, f pos.ChainFilter) (pos.ChainReport, error)
	Status(ctx context.Context, f pos.ChainFilter) ([]pos.TerminalStatus, error)
}

// ChainReport prints head office's report of date: a line per terminal,
// per store and for the chain (table), or every report in the shape of
// `kiosk ledger report --format json` (json).
func ChainReport(ctx context.Context, w io.Writer, c ChainBooks, date, format string, f pos.ChainFilter) error {
	rep, err := c.Report(ctx, date, f)
	if err != nil {
		return AsUsage(err)
	}
	return AsUsage(writeCentralReport(w, rep, format))
}

// ChainLedger prints every terminal's sales of a day or a range of days,
// in the shapes of `kiosk ledger`.
func ChainLedger(ctx context.Context, w io.Writer, c ChainBooks, q DayQuery, f pos.ChainFilter) error {
	first, last := q.Date, q.Date
	if q.From != "" {
		first, last = q.From, cmp.Or(q.To, q.From)
	}
	days, err := c.Days(ctx, first, last, f)
	if err != nil {
		return AsUsage(err)
	}
	return AsUsage(WriteChain(w, days, q.Format, ExportOptions{BOM: q.BOM}))
}

// ChainStatus prints each terminal's last event and how far behind head
// office was at its last contact, times in the shop's zone loc.
func ChainStatus(ctx context.Context, w io.Writer, c ChainBooks, format string, f pos.ChainFilter, loc *time.Location) error {
	terminals, err := c.Status(ctx, f)
	if err != nil {
		return AsUsage(err)
	}
	return AsUsage(writeCentralStatus(w, terminals, format, loc))
}

// Verification prints what a comparison of the ledger in dir with head
// office found, and fails when they differ.
func Verification(w io.Writer, dir string, v pos.Verification, format string) error {
	if err := writeVerification(w, dir, v, format); err != nil {
		return AsUsage(err)
	}
	if !v.OK() {
		return fmt.Errorf("the ledger in %s and head office differ: %d difference(s)", dir, len(v.Differences)+v.Omitted)
	}
	return nil
}

// writeCentralReport prints head office's report: a line per terminal,
// per store and for the chain (table), or every report in the shape of
// `kiosk ledger report --format json` (json).
func writeCentralReport(w io.Writer, rep pos.ChainReport, format string) error {
	switch format {
	case "json":
		return writeCentralReportJSON(w, rep)
	case "table":
	default:
		return Usagef("--format %q: use table or json", format)
	}
	rows := [][]string{{"STORE", "TERMINAL", "DAY", "SALES", "PAID", "PAID AMOUNT", "REFUNDED", "NET", "CANCELLED", "UNSETTLED", "LAST CHANGE"}}
	for _, t := range rep.Terminals {
		rows = append(rows, totalsRow(orDash(t.StoreID), t.TerminalID, dayStatus(t), t.Report.Totals, clock(t.LastEventAt, t.Report.CreatedAt.Location())))
	}
	for _, s := range rep.Stores {
		rows = append(rows, totalsRow(orDash(s.StoreID), fmt.Sprintf("%d terminal(s)", s.Terminals), "", s.Report.Totals, ""))
	}
	rows = append(rows, totalsRow("CHAIN", fmt.Sprintf("%d terminal(s)", len(rep.Terminals)), "", rep.Chain.Totals, ""))
	var b strings.Builder
	fmt.Fprintf(&b, "Head office report %s: %d terminal(s) in %d store(s)\n\n", rep.Date, len(rep.Terminals), len(rep.Stores))
	if len(rep.Terminals) == 0 {
		b.WriteString("No terminal has sales on this day.\n")
	} else {
		writeColumns(&b, rows, 3)
	}
	if e := rep.Chain.EarlierRefunds; e.Count > 0 {
		fmt.Fprintf(&b, "\nRefunds made this day of earlier days' sales: %d, ¥%s\n", e.Count, pos.FormatAmount(e.Fen))
	}
	if u := rep.Chain.Unsettled(); u > 0 {
		fmt.Fprintf(&b, "\nNote: %d sale(s) still pending or unknown; their outcome may change these figures.\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func totalsRow(storeID, terminal, day string, t pos.Totals, last string) []string {
	yuan := func(fen int64) string { return "¥" + pos.FormatAmount(fen) }
	return []string{storeID, terminal, day, fmt.Sprint(t.Count), fmt.Sprint(t.Paid), yuan(t.PaidFen), yuan(t.RefundedFen),
		yuan(t.NetFen), fmt.Sprint(t.Cancelled), fmt.Sprint(t.Pending + t.Unknown), last}
}

// dayStatus says whether the terminal closed the day: "Z 0007" or "open".
func dayStatus(t pos.TerminalReport) string {
	if t.Report.ZNumber > 0 {
		return fmt.Sprintf("Z %04d", t.Report.ZNumber)
	}
	return "open"
}

// clock is t in the shop's zone loc, "-" for none.
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() || t.Unix() == 0 {
		return "-"
	}
	return t.In(loc).Format(time.DateTime)
}

func orDash(s string) string { return cmp.Or(s, "-") }

// writeColumns writes rows two spaces apart, the first left columns
// aligned left and the others right, as figures are.
func writeColumns(b *strings.Builder, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < left || i == len(row)-1 {
				line.WriteString(cell + pad)
			} else {
				line.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

type centralTerminalJSON struct {
	StoreID     string          `json:"store_id"`
	TerminalID  string          `json:"terminal_id"`
	Day         string          `json:"day"` // "open" or "closed"
	ZNumber     int             `json:"z_number,omitempty"`
	ClosedAt    string          `json:"closed_at,omitempty"`
	LastEventAt string          `json:"last_event_at,omitempty"`
	Report      json.RawMessage `json:"report"`
}

type centralStoreJSON struct {
	StoreID   string          `json:"store_id"`
	Terminals int             `json:"terminals"`
	Report    json.RawMessage `json:"report"`
}

func writeCentralReportJSON(w io.Writer, rep pos.ChainReport) error {
	out := struct {
		Date      string                `json:"date"`
		Terminals []centralTerminalJSON `json:"terminals"`
		Stores    []centralStoreJSON    `json:"stores"`
		Chain     json.RawMessage       `json:"chain"`
	}{Date: rep.Date, Terminals: []centralTerminalJSON{}, Stores: []centralStoreJSON{}}
	var err error
	for _, t := range rep.Terminals {
		loc := t.Report.CreatedAt.Location() // the terminal's zone
		tj := centralTerminalJSON{StoreID: t.StoreID, TerminalID: t.TerminalID, Day: "open", ZNumber: t.Report.ZNumber}
		if tj.ZNumber > 0 {
			tj.Day, tj.ClosedAt = "closed", t.ClosedAt.In(loc).Format(time.RFC3339)
		}
		if !t.LastEventAt.IsZero() && t.LastEventAt.Unix() != 0 {
			tj.LastEventAt = t.LastEventAt.In(loc).Format(time.RFC3339)
		}
		if tj.Report, err = reportRawJSON(t.Report); err != nil {
			return err
		}
		out.Terminals = append(out.Terminals, tj)
	}
	for _, s := range rep.Stores {
		sj := centralStoreJSON{StoreID: s.StoreID, Terminals: s.Terminals}
		if sj.Report, err = reportRawJSON(s.Report); err != nil {
			return err
		}
		out.Stores = append(out.Stores, sj)
	}
	if out.Chain, err = reportRawJSON(rep.Chain); err != nil {
		return err
	}
	return writeJSON(w, out)
}

// reportRawJSON is r as `kiosk ledger report --format json` prints it.
func reportRawJSON(r pos.Report) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := WriteReport(&b, r, "json"); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}

// writeCentralStatus prints each terminal's last event and how far
// behind head office was at its last contact.
func writeCentralStatus(w io.Writer, terminals []pos.TerminalStatus, format string, loc *time.Location) error {
	switch format {
	case "json":
		type terminalJSON struct {
			StoreID       string `json:"store_id"`
			TerminalID    string `json:"terminal_id"`
			LedgerID      string `json:"ledger_id"`
			LastSeq       uint64 `json:"last_seq"`
			LastEventAt   string `json:"last_event_at,omitempty"`
			KioskHead     uint64 `json:"kiosk_head"`
			Behind        uint64 `json:"behind"`
			LastContact   string `json:"last_contact"`
			SecondsSilent int64  `json:"seconds_since_contact"`
		}
		out := make([]terminalJSON, 0, len(terminals))
		for _, t := range terminals {
			tj := terminalJSON{StoreID: t.StoreID, TerminalID: t.TerminalID, LedgerID: t.LedgerID, LastSeq: t.LastSeq,
				KioskHead: t.KioskHead, Behind: t.Behind, LastContact: t.LastContact.In(loc).Format(time.RFC3339), SecondsSilent: int64(t.Since.Seconds())}
			if !t.LastEventAt.IsZero() {
				tj.LastEventAt = t.LastEventAt.In(loc).Format(time.RFC3339)
			}
			out = append(out, tj)
		}
		return writeJSON(w, map[string]any{"terminals": out})
	case "table":
	default:
		return Usagef("--format %q: use table or json", format)
	}
	var b strings.Builder
	if len(terminals) == 0 {
		b.WriteString("No terminal has sent anything to head office yet.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	rows := [][]string{{"STORE", "TERMINAL", "EVENTS", "BEHIND", "LAST CHANGE", "LAST CONTACT", "SILENT FOR"}}
	for _, t := range terminals {
		rows = append(rows, []string{orDash(t.StoreID), t.TerminalID, fmt.Sprint(t.LastSeq), fmt.Sprint(t.Behind),
			clock(t.LastEventAt, loc), clock(t.LastContact, loc), t.Since.Round(time.Second).String()})
	}
	writeColumns(&b, rows, 2)
	b.WriteString("\nBEHIND is how many changes the kiosk had that head office lacked, as of its last contact.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerification prints what `central verify` found.
func writeVerification(w io.Writer, dir string, v pos.Verification, format string) error {
	switch format {
	case "json":
		diffs := v.Differences
		if diffs == nil {
			diffs = []pos.ChainDifference{}
		}
		return writeJSON(w, map[string]any{
			"data": dir, "ledger_id": v.LedgerID, "terminals": v.Terminals, "events": v.Events, "acked": v.Acked,
			"matched": v.Matched, "unsent": v.Unsent, "differences": diffs, "omitted": v.Omitted,
		})
	case "table":
	default:
		return Usagef("--format %q: use table or json", format)
	}
	var b strings.Builder
	if v.LedgerID == "" {
		fmt.Fprintf(&b, "The ledger in %s has no outbox yet: the kiosk has written nothing since it was set up to send its ledger.\n", dir)
	} else {
		fmt.Fprintf(&b, "Ledger %s (outbox %s, terminal %s): %d event(s); head office holds %d as the ledger has them",
			dir, v.LedgerID, strings.Join(v.Terminals, ", "), v.Events, v.Matched)
		if v.Unsent > 0 {
			fmt.Fprintf(&b, ", %d not sent yet", v.Unsent)
		}
		b.WriteString(".\n")
	}
	if v.OK() {
		b.WriteString("No differences.\n")
	} else {
		fmt.Fprintf(&b, "%d difference(s):\n", len(v.Differences)+v.Omitted)
		for _, d := range v.Differences {
			where := strings.TrimSpace(strings.Join([]string{seqLabel(d.Seq), d.TerminalID, d.OutTradeNo}, " "))
			if where != "" {
				where += ": "
			}
			fmt.Fprintf(&b, "  - %s%s\n", where, d.Problem)
		}
		if v.Omitted > 0 {
			fmt.Fprintf(&b, "  ... and %d more\n", v.Omitted)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func seqLabel(seq uint64) string {
	if seq == 0 {
		return ""
	}
	return fmt.Sprintf("event %d", seq)
}
