package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
)

type recoveredMsg struct {
	outcomes []pos.Outcome
	err      error
}

func recoverCmd(c Counter) tea.Cmd {
	return func() tea.Msg {
		out, err := c.Recover(context.Background())
		return recoveredMsg{outcomes: out, err: err}
	}
}

// recovered opens the till and tells the cashier what the last run left.
func (m Model) recovered(msg recoveredMsg) (tea.Model, tea.Cmd) {
	m.state = stateEntry
	m.banner = recoveryBanner(msg.outcomes, msg.err)
	if countStatus(msg.outcomes, pos.StatusUnknown) > 0 {
		return m.scheduleReconcile()
	}
	return m, nil
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
	m.reconciling = false
	settled := settledOnly(msg.tried)
	switch {
	case msg.err != nil:
		m.banner = "Sales with an unknown outcome could not be checked: " + pos.Describe(msg.err)
	case msg.left > 0:
		m.banner = fmt.Sprintf("%d sale(s) or refund(s) wait for Alipay's answer. %sRetrying every %s.",
			msg.left, lastAnswer(msg.tried), m.checkout.Config().PollInterval)
	case len(settled) > 0:
		m.banner = fmt.Sprintf("Alipay answered again: %d sale(s) with an unknown outcome are now settled (%d paid, %d cancelled, %d refunded).",
			len(settled), countStatus(settled, pos.StatusPaid), countStatus(settled, pos.StatusCancelled), countStatus(settled, pos.StatusRefunded)) +
			lateRefunds(settled)
		return m, nil
	default:
		return m, nil
	}
	return m.scheduleReconcile()
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
func lastAnswer(outcomes []pos.Outcome) string {
	for _, o := range outcomes {
		if o.Status == pos.StatusUnknown && o.Cause != nil {
			return "Last answer: " + pos.Describe(o.Cause) + " "
		}
	}
	return ""
}

// lateRefunds names the payments refunded because the customer had been
// told that nothing was charged.
func lateRefunds(outcomes []pos.Outcome) string {
	var parts []string
	for _, o := range outcomes {
		if o.LateRefund {
			parts = append(parts, fmt.Sprintf("¥%s (%s)", pos.FormatAmount(o.AmountFen), o.OutTradeNo))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Refunded because the customer had been told nothing was charged: " + strings.Join(parts, ", ") + "."
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

func recoveryBanner(outcomes []pos.Outcome, err error) string {
	if err != nil {
		return "Sales left open by the last run could not be checked: " + pos.Describe(err)
	}
	if len(outcomes) == 0 {
		return ""
	}
	s := fmt.Sprintf("Settled %d sale(s) left open by the last run: %d paid, %d cancelled, %d refunded",
		len(outcomes), countStatus(outcomes, pos.StatusPaid), countStatus(outcomes, pos.StatusCancelled), countStatus(outcomes, pos.StatusRefunded))
	unknown := countStatus(outcomes, pos.StatusUnknown)
	if unknown > 0 {
		s += fmt.Sprintf(", %d still unknown, retried in the background", unknown)
	}
	s += "."
	if why := lastAnswer(outcomes); unknown > 0 && why != "" {
		s += " " + strings.TrimSpace(why)
	}
	return s + recoveredReceipts(outcomes) + lateRefunds(outcomes)
}

// recoveredReceipts lists the receipts of the payments recovered, so the
// cashier can hand them out.
func recoveredReceipts(outcomes []pos.Outcome) string {
	var parts []string
	for _, o := range outcomes {
		if o.Status == pos.StatusPaid {
			r := o.Receipt
			parts = append(parts, fmt.Sprintf("No. %04d ¥%s (%s)", r.ReceiptNo, pos.FormatAmount(r.AmountFen), r.OutTradeNo))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Recovered receipts: " + strings.Join(parts, ", ") + "."
}

func (m Model) updateEntry(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.start):
			return m.startSale()
		case key.Matches(k, m.keys.next):
			m.entry = m.entry.toggleFocus()
			return m, nil
		case key.Matches(k, m.keys.ledger):
			return m.openLedger()
		}
	}
	var cmd tea.Cmd
	m.entry, cmd = m.entry.update(msg)
	return m, cmd
}

// startSale checks the amount before anything is written or sent.
func (m Model) startSale() (tea.Model, tea.Cmd) {
	fen, err := pos.ParseAmount(m.entry.amount.Value())
	if err != nil {
		m.entry.err = pos.Describe(err)
		return m, nil
	}
	m.entry.err = ""
	m.state = stateStarting
	m.sale = saleModel{amountFen: fen}
	return m, startCmd(m.checkout, fen, m.entry.subject.Value())
}

// updateResult returns to a new sale on any key.
func (m Model) updateResult(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.state = stateEntry
		m.entry = m.entry.reset()
		m.sale = saleModel{}
	}
	return m, nil
}

func (m Model) receiptView() string {
	return lipgloss.JoinVertical(lipgloss.Left,
		receiptBlock(m.styles, m.opts.Location, m.receipt),
		"",
		m.styles.help.Render("Press any key for the next sale."),
	)
}

// receiptBlock draws a receipt: the customer's after a payment, or a
// manager's reprint, which says DUPLICATE and keeps the receipt's number.
func receiptBlock(st styles, loc *time.Location, r pos.Receipt) string {
	title := st.paid.Render("✔ PAID — thank you")
	if r.Duplicate {
		title = st.badge.Render("DUPLICATE") + st.label.Render(fmt.Sprintf(" · reprint of receipt No. %04d", r.ReceiptNo))
	}
	rows := [][2]string{
		{"Receipt", fmt.Sprintf("No. %04d", r.ReceiptNo)},
		{"Amount", "¥" + pos.FormatAmount(r.AmountFen)},
		{"Alipay no.", r.TradeNo},
		{"Buyer", r.Buyer},
		{"Paid at", r.PaidAt.In(loc).Format("2006-01-02 15:04:05")},
		{"Order", r.OutTradeNo},
		{"Subject", r.Subject},
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		title,
		"",
		st.paid.Render(bigText("¥ "+pos.FormatAmount(r.AmountFen))),
		"",
		fieldTable(st, rows),
	)
}

// fieldTable draws label–value rows, leaving out empty values.
func fieldTable(st styles, rows [][2]string) string {
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		lines = append(lines, st.muted.Width(12).Render(r[0])+r[1])
	}
	return lipgloss.JoinVertical(lipgloss.Left, lines...)
}

func (m Model) outcomeView() string {
	title := map[pos.Status]string{
		pos.StatusCancelled: "✖ Sale cancelled — nothing was charged",
		pos.StatusRefunded:  "↩ Payment refunded to the customer",
		pos.StatusUnknown:   "? Outcome not known yet",
	}[m.outcome.Status]
	if title == "" {
		title = "? The outcome could not be recorded yet: it is checked again in the background"
	}
	style := m.styles.bad
	if m.outcome.Status == pos.StatusUnknown {
		style = m.styles.warning.Bold(true)
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		style.Render(title),
		"",
		m.styles.amount.Render("¥ "+pos.FormatAmount(m.sale.sale.AmountFen))+m.styles.muted.Render("  order "+m.sale.sale.OutTradeNo),
		"",
		lipgloss.NewStyle().Width(max(m.width-4, 30)).Render(m.outcome.Note),
		"",
		m.styles.help.Render("Press any key for the next sale."),
	)
}
