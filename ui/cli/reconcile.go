package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

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

// IncompleteError is a reconciliation that found no difference but could
// not compare everything: a sale Alipay could not be asked about, or a bill
// that could not be had. main exits with its own status for it, so that a
// script tells "differences found" (1) from "check again later".
type IncompleteError struct{ Err error }

func (e IncompleteError) Error() string { return e.Err.Error() }
func (e IncompleteError) Unwrap() error { return e.Err }

// Reconciliation prints every difference a reconciliation found, and the
// sales it could not compare apart from them. It fails when there is a
// difference, and else, with an IncompleteError, when not everything could
// be compared, naming whose ledger it compared.
func Reconciliation(w io.Writer, rec pos.Reconciliation, format string, whose Whose) error {
	if err := writeDifferences(w, format, rec); err != nil {
		return err
	}
	name := say.CLI.TheLedger
	if whose == HeadOfficeLedger {
		name = say.CLI.HeadOffice
	}
	switch {
	case len(rec.Differences) > 0:
		return errors.New(say.CLI.Differ.F(len(rec.Differences), name, rec.Date))
	case !rec.Complete():
		return IncompleteError{errors.New(say.CLI.Incomplete.F(name, rec.Date))}
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
	case b.Failed != nil:
		return c.BillFailed.F(say.Explain(b.Failed))
	case b.Unreadable != nil:
		return c.BillUnread.F(billFault(b.Fault))
	}
	return c.BillChecked.F(c.Trades.F(b.Trades))
}

// billFault says what was wrong with the bill and where, from its facts.
func billFault(f pos.BillFault) string {
	c := &say.CLI
	if f.Problem == pos.BillNotDownloaded {
		if f.Status != 0 {
			return c.BillDownloadStatus.F(f.Host, f.Status)
		}
		return c.BillNotDownloaded.F(f.Host)
	}
	what := map[pos.BillProblem]string{
		pos.BillNotZip: c.BillNotZip, pos.BillZipDamaged: c.BillZipDamaged, pos.BillFileMissing: c.BillFileMissing,
		pos.BillFileTwice: c.BillFileTwice, pos.BillTooLarge: c.BillTooLarge, pos.BillTruncated: c.BillTruncated,
		pos.BillHeader: c.BillHeader, pos.BillField: c.BillField, pos.BillTotals: c.BillTotals,
	}[f.Problem]
	if what == "" {
		what = c.BillFaultOther
	}
	var place []string
	if f.File != "" {
		place = append(place, f.File)
	}
	if f.Line > 0 {
		place = append(place, c.BillAtLine.F(f.Line))
	}
	if f.Column != "" {
		place = append(place, c.BillInColumn.F(f.Column))
	}
	if len(place) == 0 {
		return what
	}
	return c.BillAt.F(what, strings.Join(place, c.BillPlaceSep))
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

// unqueriedJSON is a sale Alipay could not be asked about, as `--format
// json` prints it: apart from the differences, with nothing of Alipay's.
type unqueriedJSON struct {
	OutTradeNo string     `json:"out_trade_no"`
	Ledger     pos.Status `json:"ledger_status,omitempty"`
	LedgerFen  int64      `json:"ledger_fen"`
	Problem    string     `json:"problem"`
	ToDo       string     `json:"to_do"`
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
		unqueried := make([]unqueriedJSON, len(rec.Unqueried))
		for i, d := range rec.Unqueried {
			unqueried[i] = unqueriedJSON{OutTradeNo: d.OutTradeNo, Ledger: d.Ledger, LedgerFen: d.LedgerFen,
				Problem: issueText(d), ToDo: toDo(d)}
		}
		return writeJSON(w, map[string]any{"date": rec.Date, "sales": rec.Sales, "bill": note,
			"refunds_from": refundSource(rec.Refunds), "refunds": refundsNote(rec), "differences": out,
			"unqueried": unqueried, "complete": rec.Complete()})
	}
	if format != "table" {
		return formatFlag(format, c.WantTableJSON)
	}
	counted := c.Differences.F(len(diffs))
	if len(rec.Unqueried) > 0 {
		counted += c.Unqueried.F(len(rec.Unqueried))
	}
	line := c.Reconciled.F(rec.Date, c.SalesCount.F(rec.Sales), counted) + "\n" + note + "\n"
	if n := refundsNote(rec); n != "" {
		line += n + "\n"
	}
	if _, err := io.WriteString(w, line); err != nil || len(diffs)+len(rec.Unqueried) == 0 {
		return err
	}
	var out, todo strings.Builder
	todo.WriteString("\n" + c.TodoHeader + "\n")
	if len(diffs) > 0 {
		out.WriteString("\n" + differenceTable(diffs))
	}
	if len(rec.Unqueried) > 0 {
		out.WriteString("\n" + c.NotCompared + "\n" + differenceTable(rec.Unqueried))
	}
	for _, d := range append(slices.Clip(diffs), rec.Unqueried...) {
		todo.WriteString(c.TodoLine.F(d.OutTradeNo, toDo(d)) + "\n")
	}
	_, err := io.WriteString(w, out.String()+todo.String())
	return err
}

// problemIndent is how far a difference's problem stands in under its row.
const problemIndent = "    "

// differenceTable is a row per difference with its problem under it,
// indented and wrapped, so that the table fits 80 columns: the order
// number alone takes 28, and a problem is a sentence.
func differenceTable(diffs []pos.Difference) string {
	c := &say.CLI
	rows := [][]string{{c.Order, c.LedgerCol, c.AlipayCol}}
	for _, d := range diffs {
		rows = append(rows, []string{d.OutTradeNo, ledgerSide(d), alipayCell(d)})
	}
	lines := figures.Table{Rows: rows}.Lines()
	var b strings.Builder
	b.WriteString(lines[0] + "\n" + problemIndent + c.ProblemCol + "\n")
	for i, d := range diffs {
		b.WriteString(lines[i+1] + "\n")
		for _, l := range strings.Split(lipgloss.Wrap(issueText(d), problemWidth, " "), "\n") {
			b.WriteString(problemIndent + strings.TrimRight(l, " ") + "\n")
		}
	}
	return b.String()
}

// problemWidth is the width a problem wraps at under its row.
const problemWidth = 80 - len(problemIndent)

// ledgerSide is what the ledger has of a sale: its status and amount;
// blank for a trade the ledger lacks.
func ledgerSide(d pos.Difference) string {
	if d.Ledger == "" {
		return ""
	}
	return say.SaleStatusName(d.LedgerSale()) + " " + words.Amount(d.LedgerFen)
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
		return notAskedToDo(d.Cause)
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

// notAskedToDo says what to do about a sale Alipay could not be asked
// about, by why: only an answer that never came is a matter of reaching
// Alipay; a signature that does not verify is the configured key's.
func notAskedToDo(cause pos.Problem) string {
	c := &say.CLI
	switch cause.Kind {
	case pos.KindTimeout, pos.KindTransport:
		return c.TodoNotAsked
	case pos.KindBadSignature:
		return c.TodoNotAskedSignature
	case pos.KindUnsigned, pos.KindUnexpected:
		return c.TodoNotAskedGateway
	case pos.KindAlipayRefused:
		return c.TodoNotAskedRefused
	}
	return c.TodoNotAskedLater
}

// alipayCell is Alipay's side of a difference in the table: what it said
// and its amount; no amount when it has no such trade or was not asked,
// for Alipay said no amount.
func alipayCell(d pos.Difference) string {
	if d.Alipay == pos.AlipayNotFound || d.Alipay == pos.AlipayNotAsked {
		return alipaySide(d)
	}
	return alipaySide(d) + " " + words.Amount(d.AlipayFen)
}

// alipaySide is what Alipay said of a sale: its trade or refund status in
// words, or that it has none or could not be asked.
func alipaySide(d pos.Difference) string {
	c := &say.CLI
	switch d.Alipay {
	case pos.AlipayNotFound:
		return c.NotFound
	case pos.AlipayNotAsked:
		return c.NotAsked
	case pos.AlipayWaitBuyerPay:
		return c.AlipayWaiting
	case pos.AlipayTradeSuccess:
		return c.AlipayPaid
	case pos.AlipayTradeFinished:
		return c.AlipayFinished
	case pos.AlipayTradeClosed:
		return c.AlipayClosed
	case pos.AlipayRefundSuccess:
		return c.AlipayRefunded
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
	HasManagerPIN() (bool, error)
	Apply(rec pos.Reconciliation, pin string) (pos.Applied, error)
}

// ReconcileApply reconciles the day of date and prints it on out; if
// Alipay named refunds the ledger lacks, it asks for the manager PIN on in
// (the question on prompts, never in the output), records them, and
// reconciles again, so that what it prints last is the ledger as it now
// stands. It fails while a difference remains, and before asking when no
// manager PIN is set.
func ReconcileApply(ctx context.Context, in io.Reader, prompts, out io.Writer, l Reconciler, b pos.Biller, date, format string) error {
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
	set, err := l.HasManagerPIN()
	if err != nil {
		return LedgerTrouble(err, "")
	}
	if !set { // say so before asking for a PIN there is none of
		return UsageError{said(pos.ErrNoPIN)}
	}
	pin, err := linesReader(in, prompts, say.CLI.ApplyNoPIN)(say.CLI.ApplyPIN)
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
