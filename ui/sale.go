package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/words"
)

// saleModel is the sale in progress: its QR code, what the last poll
// found, and whether the cashier is being asked to confirm a cancel.
type saleModel struct {
	sale       pos.Sale
	amountFen  int64
	qr         qrCode
	qrErr      error
	progress   pos.Progress
	warning    string // what the last poll met, in words
	confirming bool
	// pollChain tags the sale's one chain of scheduled polls: each poll
	// due schedules the next one. A poll off the schedule (after a
	// notification, or after the simulated customer paid) carries
	// offSchedule and schedules nothing, so however many of those there are,
	// one chain queries Alipay, as bubbles' timer tags its ticks.
	pollChain int
	// polling counts the chain's polls not answered yet.
	polling int
	// byCode: the customer's payment code was charged, and the screen
	// waits for the customer to confirm on the phone: no QR code.
	byCode bool
}

// offSchedule marks a poll that is not part of the scheduled chain.
const offSchedule = 0

// maxPollsInFlight bounds the chain's queries out at once. A poll is due
// at every beat whether or not the one before has been answered, so that
// a slow answer does not delay the next poll; only with this many out
// already (Alipay slower than this many intervals) is a beat let go.
const maxPollsInFlight = 2

type (
	startedMsg struct {
		sale pos.Sale
		err  error
	}
	tickMsg    struct{ id string }
	pollDueMsg struct {
		id    string
		chain int
	}
	polledMsg struct {
		id     string
		chain  int // offSchedule, or the chain whose poll this answers
		result pos.PollResult
		err    error
	}
	cancelledMsg struct {
		id      string
		outcome pos.Outcome
		err     error
	}
	simulatedMsg struct {
		id  string
		err error
	}
	// notifiedMsg says what a notification did to a sale.
	notifiedMsg struct {
		notice pos.Notice
		ch     <-chan pos.Notice
	}
)

// waitNotifiedCmd waits for the next notice; nil when notifications are
// off.
func waitNotifiedCmd(ch <-chan pos.Notice) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		n, ok := <-ch
		if !ok {
			return nil // notifications have stopped: stop listening
		}
		return notifiedMsg{notice: n, ch: ch}
	}
}

// notified shows the receipt at once when a notification recorded the
// payment of the sale on screen: it was verified and the ledger holds it,
// so there is nothing to ask Alipay and no poll to wait for.
func (m Model) notified(msg notifiedMsg) (tea.Model, tea.Cmd) {
	next := waitNotifiedCmd(msg.ch)
	n := msg.notice
	switch {
	case n.OutTradeNo != m.sale.sale.OutTradeNo || m.state != stateWaiting:
		// Not the sale on screen: one left open (a payment to refund, or
		// Alipay to be asked again) that the background retry settles.
		m, retry := m.scheduleReconcile()
		return m, tea.Batch(next, retry)
	case n.Paid:
		m, quit := m.paid(n.Receipt)
		return m, tea.Batch(next, quit)
	}
	// Left open, though it is on screen: ask at once.
	return m, tea.Batch(next, pollCmd(m.checkout, m.sale.sale, offSchedule))
}

func startCmd(c Counter, fen int64, subject string) tea.Cmd {
	return func() tea.Msg {
		sale, err := c.Start(context.Background(), fen, subject)
		return startedMsg{sale: sale, err: err}
	}
}

func (m Model) tickCmd() tea.Cmd {
	return m.opts.After(m.opts.Tick, tickMsg{id: m.sale.sale.OutTradeNo})
}

// schedulePollCmd asks for the next poll of the live chain at the next
// beat of the sale's cadence: one poll every poll interval from the start
// of the sale, however long the queries take, so that a payment is seen
// by the next poll, at most the interval and one query after it was made.
func (m Model) schedulePollCmd() tea.Cmd {
	wait := untilNextBeat(m.sale.sale.StartedAt, m.checkout.Now(), m.checkout.Config().PollInterval)
	return m.opts.After(wait, pollDueMsg{id: m.sale.sale.OutTradeNo, chain: m.sale.pollChain})
}

// untilNextBeat is how long from now until the first beat after now of a
// cadence of one beat every interval from start: never at once, never
// more than one interval away.
func untilNextBeat(start, now time.Time, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	elapsed := max(now.Sub(start), 0)
	return interval - elapsed%interval
}

func pollCmd(c Counter, sale pos.Sale, chain int) tea.Cmd {
	return func() tea.Msg {
		res, err := c.Poll(context.Background(), sale)
		return polledMsg{id: sale.OutTradeNo, chain: chain, result: res, err: err}
	}
}

// cancelCmd cancels the sale; a non-zero deadline bounds the cancel when
// the process has been told to stop.
func cancelCmd(c Counter, sale pos.Sale, reason pos.Reason, deadline time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		if !deadline.IsZero() {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline)
			defer cancel()
		}
		out, err := c.Cancel(ctx, sale, reason)
		return cancelledMsg{id: sale.OutTradeNo, outcome: out, err: err}
	}
}

func simulateCmd(c Counter, sale pos.Sale) tea.Cmd {
	return func() tea.Msg {
		return simulatedMsg{id: sale.OutTradeNo, err: c.SimulatePayment(sale)}
	}
}

// updateSale handles the screens of a sale in progress. Messages stamped
// with another sale's order number are stale and dropped, and so is a
// poll due on a chain that is not the live one.
func (m Model) updateSale(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case startedMsg:
		return m.started(msg)
	case tickMsg:
		if msg.id == m.sale.sale.OutTradeNo {
			return m.ticked()
		}
	case pollDueMsg:
		if msg.id == m.sale.sale.OutTradeNo && msg.chain == m.sale.pollChain && m.state == stateWaiting {
			return m.pollDue()
		}
	case polledMsg:
		if msg.id == m.sale.sale.OutTradeNo && m.state == stateWaiting {
			return m.polled(msg)
		}
	case simulatedMsg:
		if msg.id == m.sale.sale.OutTradeNo && m.state == stateWaiting {
			return m.simulated(msg)
		}
	case cancelledMsg:
		if msg.id == m.sale.sale.OutTradeNo {
			return m.cancelled(msg)
		}
	case chargedMsg:
		if m.state == stateCharging {
			return m.charged(msg)
		}
	case tea.KeyPressMsg:
		if m.state == stateWaiting {
			return m.saleKey(msg)
		}
	}
	return m, nil
}

func (m Model) started(msg startedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.state = stateEntry
		m.entry = m.entry.withErr(m.refusal(msg.err))
		if m.quitting {
			return m, tea.Quit
		}
		if errors.Is(msg.err, pos.ErrPrecreateUnknown) {
			// Alipay may have the order: the background retry cancels it.
			return m.scheduleReconcile()
		}
		return m, nil
	}
	m.sale.sale = msg.sale
	m.sale.qr, m.sale.qrErr = renderQR(msg.sale.QRCode)
	m.state = stateWaiting
	if m.quitting {
		return m.beginCancel(m.closeReason())
	}
	m.sale.pollChain = offSchedule + 1
	return m, tea.Batch(m.tickCmd(), m.schedulePollCmd())
}

func (m Model) ticked() (tea.Model, tea.Cmd) {
	if m.state != stateWaiting {
		return m, nil
	}
	if m.remaining() <= 0 {
		return m.beginCancel(pos.ReasonTimeout)
	}
	return m, m.tickCmd()
}

func (m Model) remaining() time.Duration {
	return m.sale.sale.Deadline.Sub(m.checkout.Now())
}

// pollDue queries Alipay at a beat of the sale's cadence, and schedules
// the next beat at once.
func (m Model) pollDue() (tea.Model, tea.Cmd) {
	next := m.schedulePollCmd()
	if m.sale.polling >= maxPollsInFlight {
		return m, next
	}
	m.sale.polling++
	return m, tea.Batch(next, pollCmd(m.checkout, m.sale.sale, m.sale.pollChain))
}

func (m Model) polled(msg polledMsg) (tea.Model, tea.Cmd) {
	if msg.chain == m.sale.pollChain {
		m.sale.polling--
	}
	m.sale.warning = m.say.ExplainProblem(msg.result.Warning)
	if msg.err != nil {
		m.sale.warning = m.say.Explain(msg.err)
	}
	switch msg.result.Progress {
	case pos.Paid:
		return m.paid(msg.result.Receipt)
	case pos.Closed:
		return m.beginCancel(pos.ReasonAlipayClosed)
	}
	m.sale.progress = msg.result.Progress
	return m, nil // the chain goes on by itself
}

func (m Model) simulated(msg simulatedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.sale.warning = m.say.Sale.SimulationFailed.F(m.say.SystemReason(msg.err))
		return m, nil
	}
	// Ask at once rather than at the next poll, as a notification would.
	return m, pollCmd(m.checkout, m.sale.sale, offSchedule)
}

func (m Model) saleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.sale.confirming {
		switch {
		case key.Matches(msg, m.keys.yes):
			reason := pos.ReasonCashier
			if m.quitting {
				reason = m.closeReason()
			}
			return m.beginCancel(reason)
		case key.Matches(msg, m.keys.no):
			m.sale.confirming, m.quitting = false, false
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.abort):
		m.sale.confirming = true
	case key.Matches(msg, m.keys.simulate) && m.checkout.CanSimulate():
		return m, simulateCmd(m.checkout, m.sale.sale)
	}
	return m, nil
}

func (m Model) beginCancel(reason pos.Reason) (tea.Model, tea.Cmd) {
	m.state = stateCancelling
	m.sale.confirming = false
	return m, cancelCmd(m.checkout, m.sale.sale, reason, m.stop.Deadline)
}

func (m Model) cancelled(msg cancelledMsg) (tea.Model, tea.Cmd) {
	out := msg.outcome
	if out.Status == pos.StatusPaid && msg.err == nil {
		return m.paid(out.Receipt)
	}
	m.state = stateOutcome
	m.outcome = out
	m.outcomeNote = m.say.NoteText(out.Note)
	if msg.err != nil {
		m.outcomeNote = strings.TrimSpace(m.outcomeNote + m.say.Punct.Sentences + m.say.Explain(msg.err))
	}
	if m.quitting {
		return m, tea.Quit
	}
	if out.Status == pos.StatusUnknown {
		return m.scheduleReconcile()
	}
	return m, nil
}

func (m Model) paid(r pos.Receipt) (tea.Model, tea.Cmd) {
	again := m.state == stateReceipt && m.receipt.OutTradeNo == r.OutTradeNo
	m.state = stateReceipt
	m.receipt = r
	m.sale.confirming = false
	if m.quitting && m.stop == (StopMsg{}) {
		// The cashier's Ctrl+C (asked, or answered) loses to the payment:
		// the customer gets the receipt, on screen and on paper, and the
		// cashier quits afterwards if they still want to.
		m.quitting = false
	}
	if m.quitting {
		return m.paidAtTheStop(r, again)
	}
	if again { // a second answer that the sale is paid: printed already
		return m, nil
	}
	// The receipt comes from the ledger's record of the payment, so it
	// prints only once the sale is recorded paid.
	return m.printReceipt(r)
}

// paidAtTheStop ends a sale the stop found paid: the customer paid and
// the kiosk is going, so the receipt is printed, if there is a printer,
// before it quits (the screen goes with the process, and the next start
// finds the sale settled, with nothing to print late). The job has until
// the stop's deadline, so that a printer that hangs cannot hold the stop
// past it; a receipt that did not print can be reprinted from the
// ledger, where the sale is recorded paid.
func (m Model) paidAtTheStop(r pos.Receipt, again bool) (tea.Model, tea.Cmd) {
	m.paidAtStop = true
	switch {
	case again && m.printInFlight():
		return m, nil // quits once it has printed
	case again, m.opts.Printer == nil:
		return m, tea.Quit
	}
	m.printing = printState{job: m.receiptJob(r)}
	return m, printCmdBy(m.opts.Printer, m.checkout, m.printing.job, m.stop.Deadline)
}

// afterword is what the kiosk says on the command line once its screen
// has closed, "" for nothing: that the stop found the sale on screen
// paid, since the screen that showed its receipt went with the process.
func (m Model) afterword() string {
	if !m.paidAtStop {
		return ""
	}
	return m.say.Run.PaidAtStop.F(m.receipt.ReceiptNo)
}

// saleView lays the QR code and the sale panel side by side when the
// window is wide enough (the panel sheds spacing and extras to fit the
// height), stacked when it is only tall enough, and asks for a larger
// window rather than draw a code that would not scan; the amount, the
// countdown and the state are on screen whatever the size. Once the sale
// is being cancelled the code is gone, so that nobody scans it.
func (m Model) saleView() string {
	switch {
	case m.state == stateStarting:
		return m.styles.status.Render(m.say.Sale.Asking.F(words.Yuan(m.sale.amountFen)))
	case m.state == stateCancelling:
		return m.cancellingView()
	case m.sale.byCode:
		return m.confirmView()
	case m.sale.qrErr != nil:
		return lipgloss.JoinVertical(lipgloss.Left, m.compactPanel(), "", wrapIn(m.styles.errorText, max(m.width-2, 20), m.qrProblem()),
			"", m.saleHelpLine(max(m.width-2, 20)))
	}
	qrBlock := m.styles.qr.Render(m.sale.qr.pick(m.colour, m.lightBackground))
	qrW, qrH := lipgloss.Width(qrBlock), lipgloss.Height(qrBlock)
	availW, availH := m.width-2, m.height-3 // padding, header and the blank line under it
	page := m.customerPage(availW)
	if availW >= qrW+panelGap+panelWidth && availH >= qrH {
		for _, tight := range []bool{false, true} {
			panel := m.salePanel(tight, availW-qrW-panelGap)
			if lipgloss.Height(panel) > availH {
				continue
			}
			block := lipgloss.JoinHorizontal(lipgloss.Top, qrBlock, strings.Repeat(" ", panelGap), panel)
			if page != "" && lipgloss.Height(block)+lipgloss.Height(page) <= availH {
				return lipgloss.JoinVertical(lipgloss.Left, centred(availW, block), page)
			}
			return centred(availW, block)
		}
	}
	stacked := lipgloss.JoinVertical(lipgloss.Left, m.compactPanel(), qrBlock, m.saleHelpLine(max(m.width-2, 20)))
	if availW >= qrW && availH >= lipgloss.Height(stacked) {
		if page != "" && lipgloss.Height(stacked)+lipgloss.Height(page) <= availH {
			return lipgloss.JoinVertical(lipgloss.Left, centred(availW, stacked), page)
		}
		return centred(availW, stacked)
	}
	return m.tooSmallView(qrW, qrH)
}

// customerPage is, on the emulator, the address of the code's web page,
// where anyone can play the customer: whole, on a line of its own and
// never wrapped, so that it can be copied (and, where the terminal knows
// links, clicked); the label goes above it when both do not fit in width.
// "" on a real gateway.
func (m Model) customerPage(width int) string {
	if !m.checkout.CanSimulate() {
		return ""
	}
	url := m.sale.sale.QRCode
	label := m.styles.muted.Render(m.say.Sale.CustomerPage)
	link := m.styles.muted.Hyperlink(url).Render(url)
	if lipgloss.Width(label)+1+lipgloss.Width(url) <= width {
		return label + " " + link
	}
	return label + "\n" + link
}

// cancellingView is what stands while the sale is cancelled: the amount
// and the state, and no code to scan.
func (m Model) cancellingView() string {
	return lipgloss.JoinVertical(lipgloss.Left,
		m.styles.amount.Render(words.Yuan(m.sale.sale.AmountFen).String()),
		"",
		m.statusLine(max(m.width-2, 20)),
		"",
		m.styles.muted.Render(m.say.Sale.Order.F(m.sale.sale.OutTradeNo)))
}

// centred places block in the middle of a line width wide, where the
// customer looks.
func centred(width int, block string) string {
	return lipgloss.PlaceHorizontal(width, lipgloss.Center, block)
}

// The side panel's width and its distance from the code.
const (
	panelWidth = 38
	panelGap   = 3
)

// tooSmallView says how large the window must be for the code, under the
// amount, the countdown and the state, which come first so that even the
// smallest window shows them.
func (m Model) tooSmallView(qrW, qrH int) string {
	msg := m.say.Sale.TooSmall.F(qrW+2+panelGap+panelWidth, qrH+3, qrW+2, qrH+3+3, m.width, m.height)
	return lipgloss.JoinVertical(lipgloss.Left,
		m.compactPanel(),
		wrapIn(m.styles.errorText, max(m.width-2, 20), msg),
		m.saleHelpLine(max(m.width-2, 20)))
}

// salePanel is what stands beside the code, the amount in at most width
// columns; tight leaves out the spacing and the subject, for short windows.
func (m Model) salePanel(tight bool, width int) string {
	narrow := lipgloss.NewStyle().Width(panelWidth)
	gap := func() []string {
		if tight {
			return nil
		}
		return []string{""}
	}
	lines := []string{screenAmount(m.styles.amount, m.sale.sale.AmountFen, width)}
	lines = append(lines, gap()...)
	lines = append(lines, m.styles.label.Render(m.say.Sale.ScanToPay))
	if !tight {
		// A subject too long for the room is cut, and says so.
		lines = append(lines, m.styles.muted.Render(ansi.Truncate(m.sale.sale.Subject, width, "…")), "")
	}
	lines = append(lines, m.countdown())
	lines = append(lines, gap()...)
	lines = append(lines, narrow.Render(m.statusLine(panelWidth)))
	if m.sale.warning != "" {
		lines = append(lines, wrapIn(m.styles.warning, panelWidth, "! "+m.sale.warning))
	}
	lines = append(lines, gap()...)
	lines = append(lines, m.styles.muted.Render(m.say.Sale.Order.F(m.sale.sale.OutTradeNo)))
	lines = append(lines, gap()...)
	lines = append(lines, narrow.Render(m.saleHelpLine(panelWidth)))
	return lipgloss.JoinVertical(lipgloss.Left, lines...)
}

// compactPanel is the amount, the countdown and the state above the
// code; the countdown goes under the amount when both do not fit in width.
func (m Model) compactPanel() string {
	width := max(m.width-2, 20)
	top := m.styles.amount.Render(words.Yuan(m.sale.sale.AmountFen).String()) + "  " + m.countdownText()
	if lipgloss.Width(top) > width {
		top = m.styles.amount.Render(words.Yuan(m.sale.sale.AmountFen).String()) + "\n" + m.countdownText()
	}
	return lipgloss.JoinVertical(lipgloss.Left, top, m.statusLine(width))
}

// question is a cancel's question with its answers' keys beside it, or
// under it when both do not fit in width: a key never leaves its label.
func (m Model) question(q string, width int) string {
	q = m.styles.bad.Render(q)
	if line := q + " " + helpView(m.styles, 0, m.saleHelp()); lipgloss.Width(line) <= width {
		return line
	}
	return q + "\n" + helpView(m.styles, width, m.saleHelp())
}

// statusLine is the sale's state, in width.
func (m Model) statusLine(width int) string {
	switch {
	case m.sale.confirming && m.quitting:
		return m.question(m.say.Sale.ConfirmQuit, width)
	case m.sale.confirming:
		return m.question(m.say.Sale.ConfirmCancel, width)
	case m.state == stateCancelling:
		return m.styles.status.Render(wrapText(m.say.Sale.Cancelling, width))
	case m.sale.byCode:
		return m.styles.status.Render(wrapText(m.say.Sale.ConfirmOnPhone, width))
	case m.sale.progress == pos.AwaitingConfirmation:
		return m.styles.status.Render(wrapText(m.say.Sale.Scanned, width))
	}
	return m.styles.status.Render(wrapText(m.say.Sale.WaitingForScan, width))
}

const barWidth = 30

func (m Model) countdown() string {
	total := m.checkout.Config().QRTimeout
	left := max(m.remaining(), 0)
	full := int(int64(barWidth) * int64(left) / int64(max(total, 1)))
	bar := m.styles.barFull.Render(strings.Repeat("█", full)) + m.styles.barEmpty.Render(strings.Repeat("░", barWidth-full))
	return m.countdownText() + "\n" + bar
}

func (m Model) countdownText() string {
	left := max(m.remaining(), 0).Round(time.Second)
	return m.styles.label.Render(m.say.Sale.TimeLeft.F(int(left.Minutes()), int(left.Seconds())%60))
}

// saleHelpLine is the QR screen's help line; while a cancel is asked,
// the question carries the answers' keys instead.
func (m Model) saleHelpLine(width int) string {
	if m.sale.confirming {
		return ""
	}
	return helpView(m.styles, width, m.saleHelp())
}

// qrProblem says why the sale's code cannot be drawn, from its facts: a
// text empty or too long, or one the encoder refused (its length); the
// encoder's English is never shown.
func (m Model) qrProblem() string {
	var pe *qrPayloadError
	if errors.As(m.sale.qrErr, &pe) {
		return m.say.Sale.QRBadLength.F(pe.bytes)
	}
	return m.say.Sale.QRUndrawable.F(len(m.sale.sale.QRCode))
}
