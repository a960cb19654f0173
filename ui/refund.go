package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

type refundStep int

const (
	refundForm    refundStep = iota // amount, approver, reason
	refundPIN                       // the manager's PIN
	refundSending                   // waiting for Alipay
)

// The refund form's fields, in tab order.
const (
	fieldAmount = iota
	fieldApprover
	fieldReason
	fieldCount
)

const defaultApprover = pos.DefaultApprover

// refundModel is a refund of one sale: the form, then the PIN. Nothing is
// recorded until the PIN is sent.
type refundModel struct {
	say    *words.Words
	sale   pos.SaleRecord
	step   refundStep
	fields [fieldCount]textinput.Model
	focus  int
	err    string // why the amount was refused
	fen    int64  // the amount, once checked
	pin    pinModel
	// closedZ is the number of today's Z report when today is closed:
	// the refund will count in the next one, and the screen says so
	// before it is made. 0 while today is open.
	closedZ int
}

func newRefundModel(say *words.Words, s pos.SaleRecord) refundModel {
	r := refundModel{say: say, sale: s}
	// The amount left to refund is the placeholder, not text in the field:
	// enter takes it as it is, and typing replaces it (2 is ¥2.00).
	r.fields[fieldAmount] = newField(words.Amount(s.Refundable()))
	r.fields[fieldApprover] = newField(say.Approver(defaultApprover))
	r.fields[fieldApprover].CharLimit = 64
	r.fields[fieldReason] = newField(say.Refund.ReasonExample)
	r.fields[fieldReason].CharLimit = 128
	r.fields[fieldAmount].Focus()
	return r
}

func (mm managerModel) refundKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	r, k := mm.refund, c.keys
	var cmd tea.Cmd
	switch {
	case r.step == refundSending:
		// The refund is on its way; its answer brings the detail back.
	case key.Matches(msg, k.cancel):
		mm.page = pageDetail
	case r.step == refundForm && key.Matches(msg, k.proceed):
		mm.refund = r.check()
		if mm.refund.step == refundPIN {
			// Whether a PIN is set, and whether today closed meanwhile.
			return mm, tea.Batch(askPINSet(c), refundDayCmd(c.office, r.sale.OutTradeNo))
		}
	case r.step == refundPIN && key.Matches(msg, k.sendPIN):
		return mm.sendRefund(c)
	default:
		mm.refund, cmd = r.input(k, msg)
	}
	return mm, cmd
}

// input gives a key or a paste to the field in focus.
func (r refundModel) input(k *keyMap, msg tea.Msg) (refundModel, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case r.step == refundPIN:
		r.pin, cmd = r.pin.update(msg)
	case r.step != refundForm:
	case isKey(msg, k.field):
		r = r.moveFocus(msg.(tea.KeyPressMsg))
	default:
		before := r.fields[fieldAmount].Value()
		r.fields[r.focus], cmd = r.fields[r.focus].Update(msg)
		if r.fields[fieldAmount].Value() != before {
			r.err = ""
		}
	}
	return r, cmd
}

func isKey(msg tea.Msg, b key.Binding) bool {
	k, ok := msg.(tea.KeyPressMsg)
	return ok && key.Matches(k, b)
}

func (r refundModel) moveFocus(msg tea.KeyPressMsg) refundModel {
	step := 1
	if s := msg.String(); s == "shift+tab" || s == "up" {
		step = fieldCount - 1
	}
	r.fields[r.focus].Blur()
	r.focus = (r.focus + step) % fieldCount
	r.fields[r.focus].Focus()
	return r
}

// check refuses an amount that is not one, or more than is left to refund,
// and otherwise moves on to the PIN. An empty field is the placeholder:
// all that is left.
func (r refundModel) check() refundModel {
	left := r.sale.Refundable()
	text := r.fields[fieldAmount].Value()
	if strings.TrimSpace(text) == "" {
		text = words.Amount(left)
	}
	fen, err := pos.ParseAmount(text)
	switch {
	case err != nil:
		r.err = r.say.Explain(err)
	case fen > left:
		r.err = r.say.Refund.AtMost.F(words.Yuan(left))
	default:
		r.err, r.fen, r.step, r.pin = "", fen, refundPIN, newPINModel(r.say)
		return r
	}
	r.fields[r.focus].Blur()
	r.focus = fieldAmount
	r.fields[fieldAmount].Focus()
	return r
}

func (r refundModel) order() pos.RefundOrder {
	approver := strings.TrimSpace(r.fields[fieldApprover].Value())
	if approver == "" {
		approver = defaultApprover
	}
	return pos.RefundOrder{
		OutTradeNo: r.sale.OutTradeNo,
		Fen:        r.fen,
		PIN:        r.pin.value(),
		ApprovedBy: approver,
		Reason:     strings.TrimSpace(r.fields[fieldReason].Value()),
	}
}

func (mm managerModel) sendRefund(c common) (managerModel, tea.Cmd) {
	if mm.refund.pin.none {
		return mm, askPINSet(c) // set at the command line meanwhile?
	}
	if why := mm.refund.pin.checkPIN(); why != "" {
		mm.refund.pin.err = why
		return mm, nil
	}
	mm.refund.step = refundSending
	return mm, refundCmd(c.office, mm.refund.order())
}

// refunded shows Alipay's answer on the sale's details, refreshed from the
// ledger; a wrong PIN is asked again, since nothing was recorded.
func (mm managerModel) refunded(c common, msg refundedMsg) (managerModel, tea.Cmd) {
	r := mm.refund
	if mm.page != pageRefund || r.step != refundSending || msg.id != r.sale.OutTradeNo {
		return mm, nil
	}
	if askPINAgain(msg.err) {
		mm.refund.step = refundPIN
		mm.refund.pin = r.pin.failed(c.say.Explain(msg.err))
		return mm, nil
	}
	mm.page = pageDetail
	if msg.sale.OutTradeNo == r.sale.OutTradeNo {
		mm.detail.sale = msg.sale
	}
	mm.detail.notice = refundNotice(c.say, msg, r.closedZ)
	if ref, ok := lastRefundDone(msg.sale); ok && msg.err == nil {
		// Alipay confirmed it and the ledger holds it: its slip prints.
		mm = mm.print(c, printJob{kind: printRefund, key: msg.sale.OutTradeNo, bytes: c.printout.Refund(msg.sale, ref)})
	}
	return mm, dayCmd(c.office, mm.ledger.date)
}

// refundNotice says what the refund came to, from the sale as the ledger
// holds it after the refund. warned is the Z report the refund screen
// said today was closed by (0 for none): the notice says where the refund
// counts only when the screen did not say it already.
func refundNotice(say *words.Words, msg refundedMsg, warned int) notice {
	rw, s := &say.Refund, msg.sale
	if s.OutTradeNo == "" {
		s.OutTradeNo = msg.id
	}
	closed := ""
	if msg.closedZ > 0 && msg.closedZ != warned {
		closed = say.Punct.Sentences + rw.AfterClose.F(msg.closedZ)
	}
	switch {
	case msg.err == nil && s.Refundable() == 0:
		return notice{rw.DoneInFull.F(words.Yuan(msg.fen), s.OutTradeNo) + closed, noticeOK}
	case msg.err == nil:
		return notice{rw.Done.F(words.Yuan(msg.fen), s.OutTradeNo, words.Yuan(s.Refundable())) + closed, noticeOK}
	case errors.Is(msg.err, pos.ErrRefundPending):
		return notice{say.Explain(msg.err), noticeWarn}
	}
	return notice{rw.NotMade.F(say.Explain(msg.err)), noticeBad}
}

func (r refundModel) view(c common) string {
	st, s, rw := c.styles, r.sale, &c.say.Refund
	title := st.title.Render(rw.Title.F(s.OutTradeNo))
	info := rw.Info.F(words.Yuan(s.AmountFen), words.Yuan(s.RefundedFen), words.Yuan(s.Refundable()))
	head := []string{title, wrapIn(st.muted, c.width, info)}
	if r.closedZ > 0 && r.step != refundSending {
		head = append(head, wrapIn(st.warning.Bold(true), c.width, rw.ClosedAhead.F(r.closedZ)))
	}
	var body string
	switch r.step {
	case refundForm:
		body = r.formView(c)
	case refundPIN:
		body = lipgloss.JoinVertical(lipgloss.Left, r.summary(c), "", r.pin.view(c, rw.PIN), "",
			c.help(r.refundHelp(c.keys)))
	case refundSending:
		body = lipgloss.JoinVertical(lipgloss.Left,
			st.status.Render(rw.Sending.F(words.Yuan(r.fen))), "",
			st.help.Render(rw.Wait))
	}
	return lipgloss.JoinVertical(lipgloss.Left, append(head, "", body)...)
}

func (r refundModel) formView(c common) string {
	st, rw := c.styles, &c.say.Refund
	errLine := " "
	if r.err != "" {
		errLine = wrapIn(st.errorText, c.width, r.err)
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		st.label.Render(rw.AmountLabel),
		fieldBox(st, r.fields[fieldAmount]),
		errLine,
		st.label.Render(rw.ApproverLabel)+st.muted.Render(rw.ApproverHint.F(r.say.Approver(defaultApprover))),
		fieldBox(st, r.fields[fieldApprover]),
		st.label.Render(rw.ReasonLabel)+st.muted.Render(c.say.Sale.Optional),
		fieldBox(st, r.fields[fieldReason]),
		"",
		c.help(r.refundHelp(c.keys)))
}

// summary repeats what is about to be refunded above the PIN prompt.
func (r refundModel) summary(c common) string {
	o, rw := r.order(), &c.say.Refund
	s := rw.Summary.F(words.Yuan(o.Fen), words.Yuan(r.sale.AmountFen), r.say.Approver(o.ApprovedBy))
	if o.Reason != "" {
		s = rw.SummaryReason.F(words.Yuan(o.Fen), words.Yuan(r.sale.AmountFen), r.say.Approver(o.ApprovedBy), o.Reason)
	}
	return wrapIn(c.styles.label, c.width, s)
}
