package cli

import (
	"errors"
	"io"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
)

// Whose names the ledger a reconciliation compared with Alipay.
type Whose int

// The ledgers a reconciliation compares.
const (
	TheLedger        Whose = iota // the kiosk's
	HeadOfficeLedger              // head office's, for the whole chain
)

// Reconciliation prints every difference a reconciliation found, and fails
// when there is one, naming whose ledger it compared.
func Reconciliation(w io.Writer, rec pos.Reconciliation, format string, whose Whose) error {
	if err := writeDifferences(w, format, rec); err != nil {
		return err
	}
	if len(rec.Differences) > 0 {
		name := say.CLI.TheLedger
		if whose == HeadOfficeLedger {
			name = say.CLI.HeadOffice
		}
		return errors.New(say.CLI.Differ.F(name, len(rec.Differences), rec.Date))
	}
	return nil
}

// billNote says whether Alipay's bill was checked too, and why not.
func billNote(b pos.BillCheck) string {
	c := &say.CLI
	switch {
	case b.NoBill != nil:
		return c.NoBill.F(say.Explain(b.NoBill))
	case b.Unreadable != nil:
		return c.BillUnread.F(b.Unreadable.Error())
	}
	return c.BillChecked.F(c.Trades.F(b.Trades))
}

// differenceJSON is a difference as `--format json` prints it.
type differenceJSON struct {
	OutTradeNo string     `json:"out_trade_no"`
	Ledger     pos.Status `json:"ledger_status,omitempty"`
	LedgerFen  int64      `json:"ledger_fen"`
	Alipay     string     `json:"alipay_status"` // trade_status, "not found", or "not asked"
	AlipayFen  int64      `json:"alipay_fen"`
	Problem    string     `json:"problem"`
}

func writeDifferences(w io.Writer, format string, rec pos.Reconciliation) error {
	c := &say.CLI
	note, diffs := billNote(rec.Bill), rec.Differences
	if format == "json" {
		out := make([]differenceJSON, len(diffs))
		for i, d := range diffs {
			out[i] = differenceJSON{OutTradeNo: d.OutTradeNo, Ledger: d.Ledger, LedgerFen: d.LedgerFen, Alipay: d.Alipay,
				AlipayFen: d.AlipayFen, Problem: issueText(d)}
		}
		if diffs == nil {
			out = nil
		}
		return writeJSON(w, map[string]any{"date": rec.Date, "sales": rec.Sales, "bill": note, "differences": out})
	}
	if format != "table" {
		return formatFlag(format, c.WantTableJSON)
	}
	line := c.Reconciled.F(rec.Date, c.SalesCount.F(rec.Sales), c.Differences.F(len(diffs)), note) + "\n"
	if _, err := io.WriteString(w, line); err != nil || len(diffs) == 0 {
		return err
	}
	rows := [][]string{{c.Order, c.LedgerCol, c.AlipayCol, c.ProblemCol}}
	for _, d := range diffs {
		rows = append(rows, []string{d.OutTradeNo, say.StatusName(d.Ledger) + " " + words.Amount(d.LedgerFen),
			alipaySide(d) + " " + words.Amount(d.AlipayFen), issueText(d)})
	}
	_, err := io.WriteString(w, "\n"+figures.Table{Rows: rows}.String())
	return err
}

// alipaySide is what Alipay said of a sale: its trade status, or that it
// has none or could not be asked.
func alipaySide(d pos.Difference) string {
	switch d.Alipay {
	case pos.AlipayNotFound:
		return say.CLI.NotFound
	case pos.AlipayNotAsked:
		return say.CLI.NotAsked
	}
	return d.Alipay
}

// issueText says how the ledger and Alipay disagree about a sale.
func issueText(d pos.Difference) string {
	c := &say.CLI
	switch d.Issue {
	case pos.IssueNotAsked:
		return c.IssueNotAsked.F(say.ExplainProblem(d.Cause))
	case pos.IssueOnlyInBill:
		return c.IssueOnlyInBill
	case pos.IssueUnsettled:
		return c.IssueUnsettled.F(say.StatusName(d.Ledger))
	case pos.IssueAmounts:
		return c.IssueAmounts.F(words.Fen(d.LedgerFen), words.Fen(d.AlipayFen))
	case pos.IssuePaidOnlyInLedger:
		return c.IssuePaidOnlyInLedger
	case pos.IssueRefundOnlyInLedger:
		return c.IssueRefundOnlyInLedger
	case pos.IssueAlipayPaid:
		return c.IssueAlipayPaid.F(say.StatusName(d.Ledger))
	case pos.IssueAlipayOpen:
		return c.IssueAlipayOpen.F(say.StatusName(d.Ledger))
	}
	return string(d.Issue)
}
