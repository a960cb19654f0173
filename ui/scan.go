package ui

import (
	"context"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// The payment-code sale: the cashier scans the code the customer shows in
// Alipay (a scanner types its digits and Enter like a keyboard), the kiosk
// charges it (pos.Register.ScanPay), and the answer is a receipt, a wait
// for the customer to confirm on the phone (polled and cancelled as a QR
// sale), a refusal to scan again after, or an outcome Alipay was asked
// for.

// scanModel is the scan screen: the amount to charge, the code as the
// scanner types it, and why the last code was not charged. Its text field
// makes it 8 KB, so the root model holds it by pointer, copied on write as
// entryModel is: a change is made to a copy, and the root model stores a
// pointer to that.
type scanModel struct {
	amountFen int64
	subject   string
	code      textinput.Model
	err       string
}

func newScanModel(amountFen int64, subject string) *scanModel {
	code := newField("")
	code.CharLimit = 64 // a scan that is far too long is still shown whole, to be refused
	code.Focus()
	return &scanModel{amountFen: amountFen, subject: subject, code: code}
}

// withErr is s saying err under the field: s itself when it says err
// already.
func (s *scanModel) withErr(err string) *scanModel {
	if s.err == err {
		return s
	}
	next := *s
	next.err = err
	return &next
}

// refused is s saying why the code was not charged, its field cleared
// for the next scan.
func (s scanModel) refused(why string) *scanModel {
	s.err = why
	s.code.Reset()
	return &s
}

// input gives a key to the field, which clears the last refusal once it
// changes the code.
func (s scanModel) input(msg tea.Msg) (*scanModel, tea.Cmd) {
	before := s.code.Value()
	var cmd tea.Cmd
	s.code, cmd = s.code.Update(msg)
	if s.code.Value() != before {
		s.err = ""
	}
	return &s, cmd
}

type (
	// chargedMsg is what ScanPay did with a code.
	chargedMsg struct {
		charge pos.Charge
		err    error
	}
	// buyerCodeMsg is a payment code the emulated customer shows.
	buyerCodeMsg struct {
		code string
		err  error
	}
	// payMethodChosenMsg says whether the choice of the way to pay was
	// kept.
	payMethodChosenMsg struct{ err error }
)

func chargeCmd(c Counter, fen int64, subject, code string) tea.Cmd {
	return func() tea.Msg {
		ch, err := c.ScanPay(context.Background(), fen, subject, code)
		return chargedMsg{charge: ch, err: err}
	}
}

func buyerCodeCmd(c Counter, kind pos.BuyerCodeKind) tea.Cmd {
	return func() tea.Msg {
		code, err := c.SimulateBuyerCode(kind)
		return buyerCodeMsg{code: code, err: err}
	}
}

func choosePayMethodCmd(c Counter, m pos.PayMethod) tea.Cmd {
	return func() tea.Msg { return payMethodChosenMsg{err: c.ChoosePayMethod(m)} }
}

// switchPayMethod turns the way to pay to the other one, and keeps the
// choice for the next sale and the next start of the kiosk.
func (m Model) switchPayMethod() (tea.Model, tea.Cmd) {
	next := pos.PayByCode
	if m.method == pos.PayByCode {
		next = pos.PayByQR
	}
	m.method = next
	return m, choosePayMethodCmd(m.checkout, next)
}

// payMethodChosen says on the sale screen why a choice was not kept; it
// holds until the kiosk stops all the same.
func (m Model) payMethodChosen(msg payMethodChosenMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil && m.state == stateEntry {
		m.entry = m.entry.withErr(m.say.Explain(msg.err))
	}
	return m, nil
}

// openScan shows the scan screen for the amount typed.
func (m Model) openScan(fen int64) (tea.Model, tea.Cmd) {
	m.state = stateScanning
	m.scan = newScanModel(fen, m.entry.subject.Value())
	return m, nil
}

// updateScan handles the scan screen: digits and Enter from the scanner
// (or typed), Esc back to the amount, and on the emulator the keys that
// have the customer show a code.
func (m Model) updateScan(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case buyerCodeMsg:
		if msg.err != nil {
			m.scan = m.scan.withErr(m.say.Sale.SimulationFailed.F(m.say.Explain(msg.err)))
			return m, nil
		}
		next := *m.scan
		next.code.SetValue(msg.code)
		m.scan = &next
		return m.charge(m.scan.amountFen, m.scan.subject, msg.code)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.charge):
			return m.charge(m.scan.amountFen, m.scan.subject, m.scan.code.Value())
		case key.Matches(msg, m.keys.backToAmount):
			m.state = stateEntry
			return m, nil
		}
		if kind, ok := m.buyerCodeKey(msg); ok {
			return m, buyerCodeCmd(m.checkout, kind)
		}
		var cmd tea.Cmd
		m.scan, cmd = m.scan.input(msg)
		return m, cmd
	}
	return m, nil
}

// buyerCodeKey is the kind of code the key has the emulated customer
// show; only on the emulator.
func (m Model) buyerCodeKey(msg tea.KeyPressMsg) (pos.BuyerCodeKind, bool) {
	if !m.checkout.CanSimulate() {
		return "", false
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.codePays):
		return pos.BuyerCodePay, true
	case key.Matches(msg, k.codeConfirm):
		return pos.BuyerCodeConfirm, true
	case key.Matches(msg, k.codeExpired):
		return pos.BuyerCodeExpired, true
	case key.Matches(msg, k.codeInsufficient):
		return pos.BuyerCodeInsufficient, true
	}
	return "", false
}

// charge checks the code before anything is written or sent, then has
// Alipay charge it. A code that cannot be Alipay's is refused on the scan
// screen at once, the field cleared for the next scan.
func (m Model) charge(fen int64, subject, code string) (tea.Model, tea.Cmd) {
	if err := pos.CheckPaymentCode(code); err != nil {
		m.state = stateScanning
		m.scan = m.scan.refused(m.say.Explain(err))
		return m, nil
	}
	m.state = stateCharging
	m.scan = m.scan.withErr("")
	m.sale = saleModel{amountFen: fen, byCode: true}
	if !m.reconciling {
		m.banner = ""
	}
	return m, chargeCmd(m.checkout, fen, subject, code)
}

// charged shows what the charge came to: the receipt; the wait for the
// customer to confirm, with its countdown and polls; what Alipay was
// asked and did; or, for a refusal or a charge not sent, the scan screen
// again with why, so that the cashier can scan a fresh code at once (a new
// sale, with a new order number).
func (m Model) charged(msg chargedMsg) (tea.Model, tea.Cmd) {
	ch := msg.charge
	if msg.err != nil {
		m.state = stateScanning
		why := m.refusal(msg.err)
		if why != "" {
			why = m.say.ExplainCharge(msg.err) // a refusal says the payment failed
		}
		m.scan = m.scan.refused(why)
		if m.quitting {
			return m, tea.Quit
		}
		return m, nil
	}
	m.sale.sale = ch.Sale
	switch ch.Stage {
	case pos.ChargePaid:
		return m.paid(ch.Receipt)
	case pos.ChargeWaiting:
		m.state = stateWaiting
		m.sale.progress = pos.AwaitingConfirmation
		m.sale.warning = m.say.ExplainProblem(ch.Warning)
		if m.quitting {
			return m.beginCancel(m.closeReason())
		}
		m.sale.pollChain = offSchedule + 1
		return m, tea.Batch(m.tickCmd(), m.schedulePollCmd())
	}
	return m.cancelled(cancelledMsg{id: ch.Sale.OutTradeNo, outcome: ch.Outcome})
}

// scanView is the scan screen: the amount, the field the scanner types
// into, why the last code was refused, and the keys.
func (m Model) scanView() string {
	st := m.styles
	errLine := " "
	if m.scan.err != "" {
		errLine = st.errorText.Render(wrapText(m.scan.err, max(m.width-2, 30)))
	}
	parts := []string{
		screenAmount(st.amount, m.scan.amountFen, max(m.width-2, 1)),
		"",
		st.label.Render(m.say.Sale.ScanLabel),
		fieldBox(st, m.scan.code),
		errLine,
		"",
		helpView(st, m.width-2, m.scanHelp()),
	}
	if m.checkout.CanSimulate() {
		parts = append(parts, "", st.muted.Render(m.say.Sale.ScanEmulator), helpView(st, m.width-2, m.buyerCodeHelp()))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

// chargingView stands while Alipay is asked to charge the code.
func (m Model) chargingView() string {
	return m.styles.status.Render(m.say.Sale.Charging.F(words.Yuan(m.sale.amountFen)))
}

// confirmView is the wait for the customer to confirm the charge on the
// phone: no code to scan, the amount, the state and the countdown.
func (m Model) confirmView() string {
	lines := []string{
		screenAmount(m.styles.amount, m.sale.sale.AmountFen, max(m.width-2, 1)),
		"",
		m.statusLine(max(m.width-2, 20)),
		"",
		m.countdown(),
	}
	if m.sale.warning != "" {
		lines = append(lines, "", wrapIn(m.styles.warning, max(m.width-4, 30), "! "+m.sale.warning))
	}
	lines = append(lines, "", m.styles.muted.Render(m.say.Sale.Order.F(m.sale.sale.OutTradeNo)), "", m.saleHelpLine(max(m.width-2, 20)))
	return lipgloss.JoinVertical(lipgloss.Left, lines...)
}

// scanGap is the longest wait between two keys of a scanner's burst. A
// scanner types a code in a few milliseconds a digit; nobody types 16
// digits and Enter with under 50 ms between each.
const scanGap = 50 * time.Millisecond

// burst follows the digits typed on the sale screen in a run of keys no
// more than scanGap apart, to tell a scanner from the cashier's fingers.
type burst struct {
	digits []rune
	last   time.Time // when the run's last key came
	before string    // the focused field as it was before the run began
}

// key notes a key that came at now, with the focused field's value before
// it is typed. A digit within scanGap of the run's last one lengthens the
// run; a digit after a pause begins a new run; anything else ends it.
func (b burst) key(k tea.KeyPressMsg, now time.Time, field string) burst {
	r := []rune(k.Text)
	if len(r) != 1 || !unicode.IsDigit(r[0]) {
		return burst{}
	}
	if len(b.digits) == 0 || now.Sub(b.last) > scanGap {
		b = burst{before: field}
	}
	b.digits = append(b.digits, r[0])
	b.last = now
	return b
}

// scanned is the code a scanner typed, when Enter at now ends a run of
// digits long enough for a payment code: the code, and the focused
// field's value without it.
func (b burst) scanned(now time.Time) (code, field string, ok bool) {
	if len(b.digits) < pos.MinPaymentCodeLen || now.Sub(b.last) > scanGap {
		return "", "", false
	}
	return string(b.digits), b.before, true
}
