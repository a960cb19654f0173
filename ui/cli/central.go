package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
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
// in the shapes of `kiosk ledger`, a day's table fitted to q.Width as
// kiosk ledger fits its own.
func ChainLedger(ctx context.Context, w io.Writer, c ChainBooks, q DayQuery, f pos.ChainFilter) error {
	first, last := q.Date, q.Date
	if q.From != "" {
		first, last = q.From, cmp.Or(q.To, q.From)
	}
	days, err := c.Days(ctx, first, last, f)
	if err != nil {
		return AsUsage(err)
	}
	return AsUsage(WriteChain(w, days, q.Format, ExportOptions{BOM: q.BOM, Width: q.Width, Whole: say.CLI.WholeChain}))
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
		return errors.New(say.Central.Differ.F(len(v.Differences)+v.Omitted, dir))
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
		return formatFlag(format, say.CLI.WantTableJSON)
	}
	c, l := &say.Central, &say.CLI
	rows := [][]string{{c.Store, c.Terminal, c.Day, l.Sales, l.Paid, l.PaidAmount, l.Refunded, l.Net, l.Cancelled, l.Unsettled, c.LastChange}}
	for _, t := range rep.Terminals {
		rows = append(rows, totalsRow(orDash(t.StoreID), t.TerminalID, dayStatus(t), t.Report.Totals, clock(t.LastEventAt, t.Report.CreatedAt.Location())))
	}
	for _, s := range rep.Stores {
		rows = append(rows, totalsRow(orDash(s.StoreID), c.Terminals.F(s.Terminals), "", s.Report.Totals, ""))
	}
	rows = append(rows, totalsRow(c.Chain, c.Terminals.F(len(rep.Terminals)), "", rep.Chain.Totals, ""))
	var b strings.Builder
	b.WriteString(c.Title.F(rep.Date, c.Terminals.F(len(rep.Terminals)), c.Stores.F(len(rep.Stores))) + "\n\n")
	if len(rep.Terminals) == 0 {
		b.WriteString(c.NoTerminals + "\n")
	} else {
		// The store, the terminal and the day left, the figures right, and
		// the time of the last change left again.
		b.WriteString(figures.Table{Rows: rows, Right: []int{3, 4, 5, 6, 7, 8, 9}}.String())
	}
	if e := rep.Chain.EarlierRefunds; e.Count > 0 {
		b.WriteString("\n" + say.Report.EarlierRefunds.F(e.Count, words.Yuan(e.Fen)) + "\n")
	}
	if a := rep.Chain.AfterClose; a.Count > 0 {
		// Refunds made at the tills after an earlier close, counted in
		// this day's reports as in each till's own (Report.AfterClose).
		b.WriteString("\n" + say.Report.AfterClose.F(a.Count, words.Yuan(a.Fen)) + "\n")
	}
	if u := rep.Chain.Unsettled(); u > 0 {
		b.WriteString("\n" + say.Report.Unsettled.F(u) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func totalsRow(storeID, terminal, day string, t pos.Totals, last string) []string {
	return []string{storeID, terminal, day, fmt.Sprint(t.Count), fmt.Sprint(t.Paid), yuan(t.PaidFen), yuan(t.RefundedFen),
		yuan(t.NetFen), fmt.Sprint(t.Cancelled), fmt.Sprint(t.Pending + t.Unknown), last}
}

// dayStatus says whether the terminal closed the day: "Z 0007" or "open".
func dayStatus(t pos.TerminalReport) string {
	if t.Report.ZNumber > 0 {
		return say.Central.ZDay.F(t.Report.ZNumber)
	}
	return say.Central.Open
}

// clock is t in the shop's zone loc, "-" for none.
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() || t.Unix() == 0 {
		return say.Central.Never
	}
	return t.In(loc).Format(time.DateTime)
}

func orDash(s string) string { return cmp.Or(s, say.Central.Never) }

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
		return formatFlag(format, say.CLI.WantTableJSON)
	}
	c := &say.Central
	var b strings.Builder
	if len(terminals) == 0 {
		b.WriteString(c.NothingSent + "\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	rows := [][]string{{c.Store, c.Terminal, c.Events, c.Behind, c.LastChange, c.LastContact, c.SilentFor}}
	for _, t := range terminals {
		rows = append(rows, []string{orDash(t.StoreID), t.TerminalID, fmt.Sprint(t.LastSeq), fmt.Sprint(t.Behind),
			clock(t.LastEventAt, loc), clock(t.LastContact, loc), t.Since.Round(time.Second).String()})
	}
	// The counts right; the store, the terminal and the times left.
	b.WriteString(figures.Table{Rows: rows, Right: []int{2, 3, 4, 5}}.String())
	b.WriteString("\n" + c.BehindMeans + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerification prints what `central verify` found.
func writeVerification(w io.Writer, dir string, v pos.Verification, format string) error {
	switch format {
	case "json":
		diffs := []chainDifferenceJSON{}
		for _, d := range v.Differences {
			diffs = append(diffs, chainDifferenceJSON{d.Seq, d.TerminalID, d.OutTradeNo, d.String()})
		}
		return writeJSON(w, map[string]any{
			"data": dir, "ledger_id": v.LedgerID, "terminals": v.Terminals, "events": v.Events, "acked": v.Acked,
			"matched": v.Matched, "unsent": v.Unsent, "differences": diffs, "omitted": v.Omitted,
		})
	case "table":
	default:
		return formatFlag(format, say.CLI.WantTableJSON)
	}
	c := &say.Central
	var b strings.Builder
	if v.LedgerID == "" {
		b.WriteString(c.NoOutbox.F(dir) + "\n")
	} else {
		held := c.Verified.F(v.Events, dir, v.LedgerID, strings.Join(v.Terminals, say.Punct.List), v.Matched)
		if v.Unsent > 0 {
			held += c.NotSent.F(v.Unsent)
		}
		b.WriteString(held + say.Punct.FullStop + "\n")
	}
	if v.OK() {
		b.WriteString(c.NoDifferences + "\n")
	} else {
		b.WriteString(c.Differences.F(len(v.Differences)+v.Omitted) + "\n")
		for _, d := range v.Differences {
			where := strings.TrimSpace(strings.Join([]string{seqLabel(d.Seq), d.TerminalID, d.OutTradeNo}, " "))
			if where == "" {
				b.WriteString(say.CLI.CheckProblem.F(differenceText(say, d)) + "\n")
				continue
			}
			b.WriteString(c.Difference.F(where, differenceText(say, d)) + "\n")
		}
		if v.Omitted > 0 {
			b.WriteString(c.More.F(v.Omitted) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func seqLabel(seq uint64) string {
	if seq == 0 {
		return ""
	}
	return say.Central.Event.F(seq)
}
