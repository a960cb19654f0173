package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// Printer prints one job (an ESC/POS job that Printout made) on the
// receipt printer. The screens call it from a tea.Cmd, never from Update,
// so a printer that takes its time never holds up the screen or a sale;
// an error is escpos's, and the screens say it in words.
type Printer interface {
	Print(ctx context.Context, job []byte) error
}

// printTimeout bounds one job, however the printer behaves; the driver
// bounds each step of it far more tightly.
const printTimeout = 30 * time.Second

// printKind is what a job prints.
type printKind int

const (
	printReceipt printKind = iota + 1 // a sale's receipt, or its duplicate
	printRefund                       // a refund's slip
	printReport                       // a day's X or Z report
)

// printJob is one job for the printer and what it is of.
type printJob struct {
	kind      printKind
	key       string // the order number of a receipt or refund, the date of a report
	receiptNo int
	duplicate bool
	// unprinted: the ledger holds this receipt as not printed, so its
	// print, once it succeeds, clears that.
	unprinted bool
	bytes     []byte
}

func (j printJob) same(o printJob) bool {
	return j.kind == o.kind && j.key == o.key && j.duplicate == o.duplicate
}

// printedMsg is a job's end.
type printedMsg struct {
	job printJob
	err error
	// markErr: the ledger could not record what the print of a receipt
	// came to (see recordPrint).
	markErr error
}

// printState is the last job sent to the printer and how it went.
type printState struct {
	job  printJob
	done bool
	err  error
}

func (p printState) failed() bool { return p.done && p.err != nil }

// of reports whether p is of the job of kind for key (a duplicate or not).
func (p printState) of(kind printKind, key string, duplicate bool) bool {
	return p.job.same(printJob{kind: kind, key: key, duplicate: duplicate})
}

func printCmd(p Printer, marks PrintMarks, job printJob) tea.Cmd {
	return printCmdBy(p, marks, job, time.Time{})
}

// printCmdBy is printCmd for a job that must end by deadline as well
// (none when zero).
func printCmdBy(p Printer, marks PrintMarks, job printJob, deadline time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
		defer cancel()
		if !deadline.IsZero() {
			ctx, cancel = context.WithDeadline(ctx, deadline)
			defer cancel()
		}
		err := p.Print(ctx, job.bytes)
		return printedMsg{job: job, err: err, markErr: recordPrint(marks, job, err)}
	}
}

// recordPrint records in the ledger a receipt that did not print, and
// the print that makes one good; a receipt that prints the first time, a
// copy, a slip and a report write nothing. It runs in the job's own
// command, before its end is reported, so that the mark is in the ledger
// before the cashier can print the receipt again, and before a kiosk
// that quits after the job is gone.
func recordPrint(marks PrintMarks, job printJob, err error) error {
	switch {
	case marks == nil || job.kind != printReceipt:
		return nil
	case err != nil && !job.duplicate && !job.unprinted:
		return marks.ReceiptNotPrinted(job.key)
	case err == nil && job.unprinted:
		return marks.ReceiptPrinted(job.key)
	}
	return nil
}

// printEachCmd prints jobs one after the other, in order, and then
// reports how each went.
func printEachCmd(p Printer, marks PrintMarks, jobs []printJob) tea.Cmd {
	return func() tea.Msg {
		var done tea.BatchMsg
		for _, job := range jobs {
			msg := printCmd(p, marks, job)()
			done = append(done, func() tea.Msg { return msg })
		}
		return done
	}
}

// printout is how this kiosk's jobs are laid out.
func (m Model) printout() Printout {
	return Printout{Words: m.say, ShopName: m.opts.ShopName, Location: m.opts.Location, Paper: m.opts.Paper, OrderQR: m.opts.OrderQR}
}

// receiptJob is the job of r's receipt.
func (m Model) receiptJob(r pos.Receipt) printJob { return m.printout().job(r) }

// printReceipt prints r's receipt in the background. Without a printer it
// lays nothing out for paper: the receipt on screen after a payment does
// not wait for a print-out no one prints (its ESC/POS layout was two
// thirds of the allocations between a notification and the receipt's
// view).
func (m Model) printReceipt(r pos.Receipt) (Model, tea.Cmd) {
	if m.opts.Printer == nil {
		return m, nil
	}
	return m.print(m.receiptJob(r))
}

// job is the job of r's receipt.
func (p Printout) job(r pos.Receipt) printJob {
	return printJob{kind: printReceipt, key: r.OutTradeNo, receiptNo: r.ReceiptNo, duplicate: r.Duplicate, unprinted: r.Unprinted,
		bytes: p.Receipt(r)}
}

// print sends a job to the printer in the background; without a printer
// it does nothing.
func (m Model) print(job printJob) (Model, tea.Cmd) {
	if m.opts.Printer == nil {
		return m, nil
	}
	m.printing = printState{job: job}
	return m, printCmd(m.opts.Printer, m.checkout, job)
}

// printed records how the job went. A receipt that did not print, once
// its screen is gone, is said in the banner, so that the cashier can
// reprint it from the ledger.
func (m Model) printed(msg printedMsg) (tea.Model, tea.Cmd) {
	m.notePrintRecorded(msg)
	if m.printing.job.same(msg.job) && !m.printing.done {
		m.printing.done, m.printing.err = true, msg.err
		if !m.onScreen(msg.job) {
			m.bannerNotPrinted(msg.job, msg.err)
		}
	} else {
		m.bannerNotPrinted(msg.job, msg.err)
	}
	if m.quitting && m.idle() {
		return m, tea.Quit // the kiosk was told to quit, and waited for the job
	}
	return m, nil
}

// printInFlight reports whether the last job sent to the printer has not
// ended yet.
func (m Model) printInFlight() bool {
	return m.opts.Printer != nil && m.printing.job.kind != 0 && !m.printing.done
}

// idle reports whether nothing but printing would keep the kiosk from
// quitting: no sale open, no refund or closing waiting for its answer.
func (m Model) idle() bool {
	switch m.state {
	case stateStarting, stateWaiting, stateCancelling, stateCharging:
		return false
	case stateManager:
		return !m.manager.busy()
	}
	return true
}

// onScreen reports whether the screen that shows job's state is up.
func (m Model) onScreen(job printJob) bool {
	mm := m.screens()
	switch {
	case job.kind == printReceipt && m.state == stateReceipt:
		return m.receipt.OutTradeNo == job.key // the receipt, or its copy from Ctrl+R
	case job.kind == printReceipt && m.state == stateManager && mm.page == pageReprint:
		return mm.reprint.OutTradeNo == job.key // a copy, or a receipt printed late
	case job.kind == printReceipt && !job.duplicate:
		return false
	case m.state != stateManager:
		return false
	case job.kind == printReceipt:
		return false
	case job.kind == printRefund:
		return mm.page == pageDetail && mm.detail.sale.OutTradeNo == job.key
	}
	return mm.page == pageReport && mm.report.date == job.key
}

func (m *Model) bannerNotPrinted(job printJob, err error) {
	if err != nil && job.kind == printReceipt {
		m.banner = m.say.Paper.ReceiptNotPrintedLater.F(job.receiptNo, printProblem(m.say, err))
	}
}

// notePrintRecorded keeps the receipts on screen in step with what the
// ledger now holds of their print (recordPrint), so that the next print
// of one knows whether it makes a failed one good; when the ledger could
// not record a failure, the banner says so.
func (m *Model) notePrintRecorded(msg printedMsg) {
	job := msg.job
	if job.kind != printReceipt || msg.markErr != nil {
		if msg.markErr != nil {
			m.banner = m.say.Paper.UnprintedNotKept.F(job.receiptNo, m.say.Explain(msg.markErr))
		}
		return
	}
	unprinted := job.unprinted
	switch {
	case msg.err == nil:
		unprinted = false
	case !job.duplicate:
		unprinted = true
	}
	if m.receipt.OutTradeNo == job.key {
		m.receipt.Unprinted = unprinted
	}
	if mm := m.manager; mm != nil && (mm.reprint.OutTradeNo == job.key || mm.detail.sale.OutTradeNo == job.key) {
		next := *mm // copied on write: older copies of the model share mm
		if next.reprint.OutTradeNo == job.key {
			next.reprint.Unprinted = unprinted
		}
		if next.detail.sale.OutTradeNo == job.key {
			next.detail.sale.ReceiptUnprinted = unprinted
		}
		m.manager = &next
	}
	if !unprinted {
		m.dropUnprinted(job.key)
	}
}

// dropUnprinted takes a receipt that has printed out of the start's
// banner of receipts not printed, while the banner still says it.
func (m *Model) dropUnprinted(outTradeNo string) {
	i := slices.IndexFunc(m.unprinted, func(r pos.Receipt) bool { return r.OutTradeNo == outTradeNo })
	if i < 0 {
		return
	}
	said := m.stillUnprinted(m.unprinted)
	m.unprinted = slices.Delete(slices.Clone(m.unprinted), i, i+1)
	if !strings.Contains(m.banner, said) {
		m.unprinted = nil // the banner says something else now
		return
	}
	if now := m.stillUnprinted(m.unprinted); now != "" {
		m.banner = strings.Replace(m.banner, said, now, 1)
		return
	}
	m.banner = strings.TrimSuffix(strings.Replace(m.banner, m.say.Punct.Sentences+said, "", 1), said)
}

// printNote says how the job of kind for key went, and how to print it
// again with againKey when it failed; "" when the last job was another's
// or there is no printer.
func printNote(say *words.Words, p printState, kind printKind, key string, duplicate bool, againKey string) notice {
	if !p.of(kind, key, duplicate) {
		return notice{}
	}
	pw := &say.Paper
	texts := map[printKind][3]string{
		printReceipt: {pw.ReceiptPrinting, pw.ReceiptPrinted, string(pw.ReceiptNotPrinted)},
		printRefund:  {pw.SlipPrinting, pw.SlipPrinted, string(pw.SlipNotPrinted)},
		printReport:  {pw.ReportPrinting, pw.ReportPrinted, string(pw.ReportNotPrinted)},
	}[kind]
	switch {
	case !p.done:
		return notice{texts[0], noticeWarn}
	case p.err == nil:
		return notice{texts[1], noticeOK}
	}
	text := words.F1[string](texts[2]).F(printProblem(say, p.err))
	if againKey != "" {
		text += say.Punct.Sentences + pw.PrintAgain.F(againKey)
	}
	return notice{text, noticeBad}
}

// printProblem says why a job did not print, from the driver's kind of
// failure.
func printProblem(say *words.Words, err error) string {
	pw := &say.Paper
	for _, k := range []struct {
		kind escpos.Kind
		text string
	}{
		{escpos.OutOfPaper, pw.OutOfPaper}, {escpos.CoverOpen, pw.CoverOpen}, {escpos.Offline, pw.Offline},
		{escpos.NotConnected, pw.NotConnected}, {escpos.TimedOut, pw.TimedOut}, {escpos.NoPermission, pw.NoPermission},
	} {
		if errors.Is(err, k.kind) {
			return k.text
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return pw.TimedOut
	}
	return pw.Failed
}

// lastRefundDone is the newest refund of s that Alipay confirmed.
func lastRefundDone(s pos.SaleRecord) (pos.Refund, bool) {
	for i := len(s.Refunds) - 1; i >= 0; i-- {
		if s.Refunds[i].Status == pos.RefundDone {
			return s.Refunds[i], true
		}
	}
	return pos.Refund{}, false
}
