package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
)

type recoveredMsg struct {
	outcomes []pos.Outcome
	err      error
	// unprinted are the receipts the ledger holds as not printed.
	unprinted []pos.Receipt
}

func recoverCmd(c Counter, marks PrintMarks) tea.Cmd {
	return func() tea.Msg {
		out, err := c.Recover(context.Background())
		unprinted, _ := marks.UnprintedReceipts() // a ledger that cannot be read says so in Recover's error
		return recoveredMsg{outcomes: out, err: err, unprinted: unprinted}
	}
}

// recovered opens the till and tells the cashier what the last run left.
func (m Model) recovered(msg recoveredMsg) (tea.Model, tea.Cmd) {
	m.state = stateEntry
	m.banner = m.sentences(m.recoveryBanner(msg.outcomes, msg.err), m.stillUnprinted(msg.unprinted))
	m.unprinted = msg.unprinted
	m, late := m.printLate(msg.outcomes)
	if countStatus(msg.outcomes, pos.StatusUnknown) > 0 {
		var retry tea.Cmd
		m, retry = m.scheduleReconcile()
		return m, tea.Batch(todayCmd(m.checkout), late, retry)
	}
	return m, tea.Batch(todayCmd(m.checkout), late)
}

// printLate prints the receipts of the sales found paid after they left
// the screen (at start-up, or by the background retry), once each and in
// order, marked PRINTED LATE: the customer paid and was handed nothing,
// and the cashier expects a paid sale's receipt to come out of the
// printer. The banner lists them too; one that does not print is named
// there, to be reprinted from the ledger.
func (m Model) printLate(outcomes []pos.Outcome) (Model, tea.Cmd) {
	if m.opts.Printer == nil {
		return m, nil
	}
	var jobs []printJob
	for _, o := range outcomes {
		if o.Status != pos.StatusPaid {
			continue
		}
		r := o.Receipt
		r.Late = true
		jobs = append(jobs, m.receiptJob(r))
	}
	if len(jobs) == 0 {
		return m, nil
	}
	m.printing = printState{job: jobs[len(jobs)-1]}
	return m, printEachCmd(m.opts.Printer, m.checkout, jobs)
}

// stillUnprinted names the receipts the ledger holds as not printed, and
// how to print them (late, from the ledger); those of an earlier day with
// their date, since each day's receipts are numbered from 1.
func (m Model) stillUnprinted(receipts []pos.Receipt) string {
	if len(receipts) == 0 {
		return ""
	}
	today := m.checkout.Today()
	var nos []string
	for _, r := range receipts {
		no := m.say.Receipt.Number.F(r.ReceiptNo)
		if day := r.PaidAt.In(m.opts.Location).Format(dateLayout); day != today {
			no = m.say.Paper.UnprintedOn.F(day, no)
		}
		nos = append(nos, no)
	}
	return m.say.Paper.StillUnprinted.F(strings.Join(nos, m.say.Punct.List))
}

type (
	reconcileDueMsg struct{}
	reconciledMsg   struct {
		tried []pos.Outcome // settled, and still unknown
		left  int
		err   error
	}
)

func reconcileCmd(c Counter) tea.Cmd {
	return func() tea.Msg {
		tried, left, err := c.Reconcile(context.Background())
		return reconciledMsg{tried: tried, left: left, err: err}
	}
}

// scheduleReconcile retries the unknown sales every poll interval until
// Alipay answers for all of them; one chain at a time.
func (m Model) scheduleReconcile() (Model, tea.Cmd) {
	if m.reconciling {
		return m, nil
	}
	m.reconciling = true
	return m, m.opts.After(m.checkout.Config().PollInterval, reconcileDueMsg{})
}

func (m Model) reconciled(msg reconciledMsg) (tea.Model, tea.Cmd) {
	m, late := m.printLate(msg.tried)
	model, next := m.reconciledBanner(msg)
	return model, tea.Batch(late, next)
}

// reconciledBanner says what the background retry settled, and schedules
// the next while sales are left.
func (m Model) reconciledBanner(msg reconciledMsg) (tea.Model, tea.Cmd) {
	m.reconciling = false
	settled := settledOnly(msg.tried)
	sw, every := &m.say.Settle, m.say.Duration(m.checkout.Config().PollInterval)
	switch {
	case msg.err != nil:
		m.banner = sw.RetryFailed.F(m.say.Explain(msg.err))
	case msg.left > 0 && m.lastAnswer(msg.tried) != "":
		m.banner = sw.WaitingBecause.F(msg.left, m.lastAnswer(msg.tried), every)
	case msg.left > 0:
		m.banner = sw.Waiting.F(msg.left, every)
	case len(settled) > 0:
		m.banner = m.sentences(sw.Answered.F(len(settled), m.settledParts(settled)),
			m.recoveredReceipts(settled), m.lateRefunds(settled))
		return m, nil
	default:
		return m, nil
	}
	return m.scheduleReconcile()
}

// settledParts lists how many of settled were paid, cancelled and
// refunded, leaving out the statuses none of them has.
func (m Model) settledParts(settled []pos.Outcome) string {
	sw := &m.say.Settle
	var parts []string
	for _, p := range []struct {
		status pos.Status
		say    words.F1[int]
	}{{pos.StatusPaid, sw.AnsweredPaid}, {pos.StatusCancelled, sw.AnsweredCancelled}, {pos.StatusRefunded, sw.AnsweredRefunded}} {
		if n := countStatus(settled, p.status); n > 0 {
			parts = append(parts, p.say.F(n))
		}
	}
	return strings.Join(parts, m.say.Punct.List)
}

// settledOnly drops the outcomes that are still unknown.
func settledOnly(outcomes []pos.Outcome) []pos.Outcome {
	var settled []pos.Outcome
	for _, o := range outcomes {
		if o.Status != pos.StatusUnknown {
			settled = append(settled, o)
		}
	}
	return settled
}

// lastAnswer says what kept a sale unknown, from the first one that has a
// cause: Alipay out of reach, its answer unverifiable, busy, ...
func (m Model) lastAnswer(outcomes []pos.Outcome) string {
	for _, o := range outcomes {
		if o.Status == pos.StatusUnknown && o.Cause != nil {
			return m.say.Explain(o.Cause)
		}
	}
	return ""
}

// lateRefunds names the payments refunded because the customer had been
// told that nothing was charged.
func (m Model) lateRefunds(outcomes []pos.Outcome) string {
	var parts []string
	for _, o := range outcomes {
		if o.LateRefund {
			parts = append(parts, m.say.Settle.LateRefund.F(words.Yuan(o.AmountFen), o.OutTradeNo))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return m.say.Settle.LateRefunds.F(strings.Join(parts, m.say.Punct.List))
}

func countStatus(outcomes []pos.Outcome, st pos.Status) int {
	n := 0
	for _, o := range outcomes {
		if o.Status == st {
			n++
		}
	}
	return n
}

func (m Model) recoveryBanner(outcomes []pos.Outcome, err error) string {
	sw := &m.say.Settle
	if err != nil {
		return sw.RecoveryFailed.F(m.say.Explain(err))
	}
	if len(outcomes) == 0 {
		return ""
	}
	unknown := countStatus(outcomes, pos.StatusUnknown)
	if unknown == 0 {
		return m.sentences(sw.Settled.F(len(outcomes), m.settledParts(outcomes)),
			m.recoveredReceipts(outcomes), m.lateRefunds(outcomes))
	}
	var why string
	if last := m.lastAnswer(outcomes); last != "" {
		why = sw.LastAnswer.F(last)
	}
	parts := m.settledParts(outcomes)
	if parts != "" {
		parts += m.say.Punct.List
	}
	return m.sentences(sw.SettledSomeUnknown.F(len(outcomes), parts+sw.SettledUnknown.F(unknown)), why,
		m.recoveredReceipts(outcomes), m.lateRefunds(outcomes))
}

// recoveredReceipts lists the receipts of the payments recovered, so the
// cashier can hand them out.
func (m Model) recoveredReceipts(outcomes []pos.Outcome) string {
	var parts []string
	for _, o := range outcomes {
		if o.Status == pos.StatusPaid {
			r := o.Receipt
			parts = append(parts, m.say.Settle.Receipt.F(r.ReceiptNo, words.Yuan(r.AmountFen), r.OutTradeNo))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return m.say.Settle.RecoveredReceipts.F(strings.Join(parts, m.say.Punct.List))
}

// sentences joins the sentences that are not empty.
func (m Model) sentences(s ...string) string {
	return strings.Join(slices.DeleteFunc(s, func(x string) bool { return x == "" }), m.say.Punct.Sentences)
}

func (m Model) updateEntry(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		now := m.opts.Clock()
		switch {
		case key.Matches(k, m.keys.start):
			if code, field, ok := m.burst.scanned(now); ok {
				return m.scannedOnEntry(code, field)
			}
			m.burst = burst{}
			return m.startSale()
		case key.Matches(k, m.keys.next):
			m.burst = burst{}
			m.entry = m.entry.toggleFocus()
			return m, nil
		case key.Matches(k, m.keys.ledger):
			m.burst = burst{}
			return m.openLedger()
		case key.Matches(k, m.keys.payWith):
			m.burst = burst{}
			return m.switchPayMethod()
		}
		m.burst = m.burst.key(k, now, m.entry.focused().Value())
	}
	var cmd tea.Cmd
	m.entry, cmd = m.entry.update(msg)
	return m, cmd
}

// scannedOnEntry charges a code the scanner typed into the sale screen:
// its digits leave the field they landed in, and the amount typed before
// is charged to it, whichever way to pay is chosen.
func (m Model) scannedOnEntry(code, field string) (tea.Model, tea.Cmd) {
	m.burst = burst{}
	m.entry = m.entry.setFocused(field)
	fen, err := pos.ParseAmount(m.entry.amount.Value())
	if err != nil {
		m.entry = m.entry.withErr(m.say.Explain(err))
		return m, nil
	}
	m.entry = m.entry.withErr("")
	m.scan = newScanModel(fen, m.entry.subject.Value())
	return m.charge(fen, m.scan.subject, code)
}

// startSale checks the amount before anything is written or sent, then
// shows our QR code, or the scan screen for the customer's.
func (m Model) startSale() (tea.Model, tea.Cmd) {
	fen, err := pos.ParseAmount(m.entry.amount.Value())
	if err != nil {
		m.entry = m.entry.withErr(m.say.Explain(err))
		return m, nil
	}
	m.entry = m.entry.withErr("")
	if m.method == pos.PayByCode {
		if dc := m.closedToday(); dc != nil {
			// Refused before the customer shows a code, not after it is
			// scanned; the top of the screen says why.
			m.entry = m.entry.withErr(m.refusal(dc))
			return m, nil
		}
		return m.openScan(fen)
	}
	m.state = stateStarting
	m.sale = saleModel{amountFen: fen}
	if !m.reconciling {
		// What the start found is read by now; a background retry still
		// running keeps its banner, and says when it is done.
		m.banner = ""
	}
	return m, startCmd(m.checkout, fen, m.entry.subject.Value())
}

// updateResult returns to a new sale on any key; a key that types (the
// first digit of the next amount) is typed there too, not swallowed.
func (m Model) updateResult(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	if m.state == stateReceipt && key.Matches(k, m.keys.printAgain) {
		// Print again, as often as asked (the last job ended): never the
		// key that starts the next sale.
		if m.opts.Printer == nil || m.printInFlight() {
			return m, nil
		}
		r := m.receipt
		r.Duplicate = m.receiptPrintedOnce()
		return m.print(m.receiptJob(r))
	}
	if m.state == stateReceipt && m.receiptNotPrinted() {
		// Leaving the receipt: the banner keeps saying it did not print.
		m.bannerNotPrinted(m.printing.job, m.printing.err)
	}
	m.state = stateEntry
	m.entry = m.entry.reset()
	m.sale = saleModel{}
	if k.Text != "" || key.Matches(k, m.keys.ledger) {
		return m.updateEntry(msg)
	}
	return m, nil
}

// receiptPrintedOnce reports whether the receipt on screen has come off
// the printer already, so that printing it again is a copy marked
// DUPLICATE: a second original would let the one sale be shown twice.
// A receipt whose print failed has not.
func (m Model) receiptPrintedOnce() bool {
	p := m.printing
	if p.job.kind != printReceipt || p.job.key != m.receipt.OutTradeNo {
		return false
	}
	return p.job.duplicate || (p.done && p.err == nil)
}

func (m Model) receiptView() string {
	parts := []string{receiptBlock(m.say, m.styles, m.opts.Location, m.receipt, max(m.width-2, 1)), ""}
	if n := printNote(m.say, m.printing, printReceipt, m.receipt.OutTradeNo, m.printing.job.duplicate, m.keys.printAgain.Help().Key); n.text != "" {
		parts = append(parts, n.view(m.common()), "")
	}
	return lipgloss.JoinVertical(lipgloss.Left, append(parts, m.styles.help.Render(m.say.Sale.NextSale))...)
}

// receiptNotPrinted reports whether the receipt on screen failed to print.
func (m Model) receiptNotPrinted() bool {
	return m.printing.of(printReceipt, m.receipt.OutTradeNo, false) && m.printing.failed()
}

// receiptBlock draws a receipt: the customer's after a payment, or a
// manager's reprint, which says DUPLICATE and keeps the receipt's number.
func receiptBlock(say *words.Words, st *styles, loc *time.Location, r pos.Receipt, width int) string {
	rw := &say.Receipt
	title := st.paid.Render(rw.Paid)
	switch {
	case r.Duplicate:
		title = st.badge.Render(rw.Duplicate) + st.label.Render(rw.ReprintOf.F(rw.Number.F(r.ReceiptNo)))
	case r.Late:
		title = st.badge.Render(rw.Late) + st.label.Render(rw.LateOf.F(rw.Number.F(r.ReceiptNo)))
	}
	rows := [][]string{
		{rw.Receipt, rw.Number.F(r.ReceiptNo)},
		{rw.Amount, words.Yuan(r.AmountFen).String()},
		{say.Paper.PaidBy, paidBy(say, r)},
		{rw.TradeNo, r.TradeNo},
		{rw.Buyer, r.Buyer},
		{rw.PaidAt, r.PaidAt.In(loc).Format(timeLayout)},
		{rw.Order, r.OutTradeNo},
		{rw.Subject, r.Subject},
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		title,
		"",
		screenAmount(st.paid, r.AmountFen, width),
		"",
		fieldTable(st, rows),
	)
}

// paidBy says how the customer paid, as the paper receipt does; a sale
// recorded before the way to pay was is a QR sale.
func paidBy(say *words.Words, r pos.Receipt) string {
	method := r.Method
	if method == "" {
		method = pos.PayByQR
	}
	return say.Paper.Via.F(say.MethodName(method))
}

// fieldTable draws label–value rows, the labels muted, leaving out empty
// values.
func fieldTable(st *styles, rows [][]string) string {
	rows = slices.DeleteFunc(slices.Clone(rows), func(r []string) bool { return r[1] == "" })
	t := figures.Table{Rows: rows, Style: func(_, col int) lipgloss.Style {
		if col == 0 {
			return st.muted
		}
		return lipgloss.NewStyle()
	}}
	return strings.Join(t.Lines(), "\n")
}

func (m Model) outcomeView() string {
	sw := &m.say.Sale
	title := map[pos.Status]string{
		pos.StatusCancelled: sw.Cancelled,
		pos.StatusRefunded:  sw.Refunded,
		pos.StatusUnknown:   sw.Unknown,
	}[m.outcome.Status]
	if title == "" {
		title = sw.Unrecorded
	}
	style := m.styles.bad
	if m.outcome.Status == pos.StatusUnknown {
		style = m.styles.warning.Bold(true)
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		style.Render(title),
		"",
		m.styles.amount.Render(words.Yuan(m.sale.sale.AmountFen).String())+m.styles.muted.Render("  "+sw.OutcomeOrder.F(m.sale.sale.OutTradeNo)),
		"",
		wrapIn(lipgloss.NewStyle(), max(m.width-4, 30), m.outcomeNote),
		"",
		m.styles.help.Render(sw.NextSale),
	)
}
