package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

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
		return errors.New(say.CLI.Differ.F(len(rec.Differences), name, rec.Date))
	}
	return nil
}

// billNote says whether Alipay's bill was checked too, and why not.
func billNote(b pos.BillCheck) string {
	c := &say.CLI
	switch {
	case b.NotYet:
		return c.NoBillYet
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
	Issue      pos.Issue  `json:"issue"`                    // the problem's code, which never changes with the language
	RefundNo   string     `json:"out_request_no,omitempty"` // the refund Alipay made that the ledger lacks
	ToDo       string     `json:"to_do"`
	CanApply   bool       `json:"can_apply,omitempty"` // --apply records it
}

func writeDifferences(w io.Writer, format string, rec pos.Reconciliation) error {
	c := &say.CLI
	note, diffs := billNote(rec.Bill), rec.Differences
	if format == "json" {
		out := make([]differenceJSON, len(diffs))
		for i, d := range diffs {
			out[i] = differenceJSON{OutTradeNo: d.OutTradeNo, Ledger: d.Ledger, LedgerFen: d.LedgerFen, Alipay: d.Alipay,
				AlipayFen: d.AlipayFen, Problem: issueText(d), Issue: d.Issue, ToDo: toDo(d), CanApply: d.Refund != nil}
			if d.Refund != nil {
				out[i].RefundNo = d.Refund.OutRequestNo
			}
		}
		if diffs == nil {
			out = nil
		}
		return writeJSON(w, map[string]any{"date": rec.Date, "sales": rec.Sales, "bill": note,
			"refunds_from": refundSource(rec.Refunds), "refunds": refundsNote(rec), "differences": out})
	}
	if format != "table" {
		return formatFlag(format, c.WantTableJSON)
	}
	line := c.Reconciled.F(rec.Date, c.SalesCount.F(rec.Sales), c.Differences.F(len(diffs)), note) + "\n"
	if n := refundsNote(rec); n != "" {
		line += n + "\n"
	}
	if _, err := io.WriteString(w, line); err != nil || len(diffs) == 0 {
		return err
	}
	rows := [][]string{{c.Order, c.LedgerCol, c.AlipayCol, c.ProblemCol}}
	for _, d := range diffs {
		rows = append(rows, []string{d.OutTradeNo, say.StatusName(d.Ledger) + " " + words.Amount(d.LedgerFen),
			alipaySide(d) + " " + words.Amount(d.AlipayFen), issueText(d)})
	}
	var todo strings.Builder
	todo.WriteString("\n" + c.TodoHeader + "\n")
	for _, d := range diffs {
		todo.WriteString("  " + d.OutTradeNo + ": " + toDo(d) + "\n")
	}
	_, err := io.WriteString(w, "\n"+figures.Table{Rows: rows}.String()+todo.String())
	return err
}

// refundSource names, for JSON, where Alipay's refunds were learnt.
func refundSource(s pos.RefundSource) string {
	switch s {
	case pos.RefundsFromBill:
		return "bill"
	case pos.RefundsFromQueries:
		return "queries"
	}
	return ""
}

// refundsNote says where Alipay's refunds were learnt.
func refundsNote(rec pos.Reconciliation) string {
	switch rec.Refunds {
	case pos.RefundsFromBill:
		return say.CLI.RefundsFromBill.F(rec.Bill.Refunds)
	case pos.RefundsFromQueries:
		return say.CLI.RefundsFromQueries
	}
	return ""
}

// toDo says what to do about a difference.
func toDo(d pos.Difference) string {
	c := &say.CLI
	switch d.Issue {
	case pos.IssueNotAsked:
		return c.TodoNotAsked
	case pos.IssueOnlyInBill:
		return c.TodoOnlyInBill
	case pos.IssueUnsettled:
		return c.TodoUnsettled
	case pos.IssueAmounts:
		return c.TodoAmounts.F(d.OutTradeNo)
	case pos.IssuePaidOnlyInLedger:
		return c.TodoPaidOnlyInLedger.F(d.OutTradeNo)
	case pos.IssueRefundOnlyInLedger:
		return c.TodoRefundOnlyInLedger.F(d.OutTradeNo)
	case pos.IssueAlipayPaid:
		return c.TodoAlipayPaid.F(d.OutTradeNo)
	case pos.IssueAlipayOpen:
		return c.TodoAlipayOpen.F(d.OutTradeNo)
	case pos.IssueRefundOnlyAtAlipay, pos.IssueAlipayRefunded:
		if d.Refund != nil {
			return c.TodoApply
		}
		return c.TodoRefundElsewhere
	}
	return ""
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
	case pos.IssueRefundOnlyAtAlipay:
		return c.IssueRefundOnlyAtAlipay.F(words.Fen(d.AlipayFen), d.Refund.OutRequestNo)
	case pos.IssueAlipayRefunded:
		return c.IssueAlipayRefunded.F(words.Fen(d.AlipayFen))
	}
	return string(d.Issue)
}

// Reconciler is the ledger as kiosk ledger reconcile --apply changes it.
// *pos.Settings implements it.
type Reconciler interface {
	Reconcile(ctx context.Context, b pos.Biller, date string) (pos.Reconciliation, error)
	Apply(rec pos.Reconciliation, pin string) (pos.Applied, error)
}

// ReconcileApply reconciles the day of date and prints it; if Alipay named
// refunds the ledger lacks, it asks for the manager PIN on in, records
// them, and reconciles again, so that what it prints last is the ledger
// as it now stands. It fails while a difference remains.
func ReconcileApply(ctx context.Context, in io.Reader, out io.Writer, l Reconciler, b pos.Biller, date, format string) error {
	rec, err := l.Reconcile(ctx, b, date)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rec.Differences, func(d pos.Difference) bool { return d.Refund != nil }) {
		if format != "json" {
			fmt.Fprintln(out, say.CLI.ApplyNothing)
		}
		return Reconciliation(out, rec, format, TheLedger)
	}
	if format != "json" {
		if err := writeDifferences(out, format, rec); err != nil {
			return err
		}
	}
	pin, err := linesReader(in, out, say.CLI.ApplyNoPIN)(say.CLI.ApplyPIN)
	if err != nil {
		return err
	}
	applied, err := l.Apply(rec, pin)
	if err != nil {
		return UsageError{said(err)}
	}
	if format != "json" {
		fmt.Fprintln(out, "\n"+say.CLI.Applied.F(applied.Recorded, words.Yuan(applied.Day.Totals.NetFen).String())+"\n")
	}
	if rec, err = l.Reconcile(ctx, b, date); err != nil {
		return err
	}
	return Reconciliation(out, rec, format, TheLedger)
}
