package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
)

const timeLayout = "2006-01-02 15:04:05"

type noticeKind int

const (
	noticeOK noticeKind = iota
	noticeWarn
	noticeBad
)

// notice is what the last action on a sale came to.
type notice struct {
	text string
	kind noticeKind
}

func (n notice) view(c common) string {
	style := map[noticeKind]lipgloss.Style{noticeOK: c.styles.paid, noticeWarn: c.styles.warning.Bold(true), noticeBad: c.styles.errorText}[n.kind]
	return wrapIn(style, c.width, n.text)
}

// detailModel is one sale with everything the ledger knows of it.
type detailModel struct {
	sale   pos.SaleRecord
	notice notice
	busy   bool // a reprint is being read
	offset int  // first line shown
	// printed: a refund's slip was sent to the printer since the sale was
	// opened, so the screen says how it went.
	printed bool
}

func (mm managerModel) detailKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	d, k := mm.detail, c.keys
	switch {
	case key.Matches(msg, k.backToDay):
		mm.page = pageLedger
		mm.ledger.loading = true
		return mm, dayCmd(c.office, mm.ledger.date)
	case key.Matches(msg, k.reprint) && d.sale.ReceiptNo > 0 && !d.busy:
		mm.detail.busy = true
		return mm, reprintCmd(c.office, d.sale.OutTradeNo)
	case key.Matches(msg, k.refund) && canRefund(d.sale):
		mm.detail.notice, mm.detail.printed = notice{}, false
		mm.refund = newRefundModel(c.say, d.sale)
		mm.page = pageRefund
		return mm, refundDayCmd(c.office, d.sale.OutTradeNo)
	default:
		_, mm.detail.offset = c.scrollPage(d.title(c), d.body(c), scrollKey(c, msg, d.offset, c.height/2), d.keys(c))
	}
	return mm, nil
}

// reprinted shows the duplicate receipt of the sale on screen.
// With a printer, it prints, marked as a duplicate.
func (mm managerModel) reprinted(c common, msg reprintedMsg) managerModel {
	if mm.page != pageDetail || msg.id != mm.detail.sale.OutTradeNo || !mm.detail.busy {
		return mm
	}
	say := c.say
	mm.detail.busy = false
	if msg.err != nil {
		mm.detail.notice = notice{say.Detail.ReprintFailed.F(say.Explain(msg.err)), noticeBad}
		return mm
	}
	mm.reprint = msg.receipt
	// A copy, whatever the source says, unless the receipt never printed:
	// then it is the receipt itself, printed late (补打).
	mm.reprint.Duplicate, mm.reprint.Late = !msg.receipt.Unprinted, msg.receipt.Unprinted
	mm.page = pageReprint
	return mm.print(c, c.printout.job(mm.reprint))
}

func canRefund(s pos.SaleRecord) bool { return s.Status == pos.StatusPaid && s.Refundable() > 0 }

// scrollKey moves a scrolled screen's first line by a line or a page.
func scrollKey(c common, msg tea.KeyPressMsg, offset, rows int) int {
	k := c.keys
	switch {
	case key.Matches(msg, k.up):
		offset--
	case key.Matches(msg, k.down):
		offset++
	case key.Matches(msg, k.pageUp):
		offset -= rows
	case key.Matches(msg, k.pageDown):
		offset += rows
	case key.Matches(msg, k.first):
		offset = 0
	}
	return max(offset, 0)
}

func (d detailModel) view(c common) string {
	page, _ := c.scrollPage(d.title(c), d.body(c), d.offset, d.keys(c))
	return page
}

// keys is the details' help, with ↑/↓ or without.
func (d detailModel) keys(c common) func(bool) help.KeyMap {
	return func(scrolls bool) help.KeyMap { return d.detailHelp(c.keys, scrolls) }
}

func (d detailModel) title(c common) string {
	s := d.sale
	return c.styles.title.Render(c.say.Detail.Title.F(s.OutTradeNo)) + c.styles.muted.Render(c.say.Punct.Parts+s.CreatedAt.Format(dateLayout))
}

func (d detailModel) body(c common) string {
	parts := []string{}
	if d.busy {
		parts = append(parts, c.styles.muted.Render(c.say.Detail.Reading), "")
	}
	if d.notice.text != "" {
		parts = append(parts, d.notice.view(c), "")
	}
	if n := printNote(c.say, c.printing, printRefund, d.sale.OutTradeNo, false, ""); d.printed && n.text != "" {
		parts = append(parts, n.view(c), "")
	}
	parts = append(parts,
		saleFields(c, d.sale), "",
		c.styles.heading.Render(c.say.Detail.Refunds), refundLines(c, d.sale), "",
		c.styles.heading.Render(c.say.Detail.History), historyLines(c, d.sale))
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func saleFields(c common, s pos.SaleRecord) string {
	rw, dw := &c.say.Receipt, &c.say.Detail
	receipt := rw.None
	switch {
	case s.ReceiptNo > 0:
		receipt = rw.Number.F(s.ReceiptNo)
	case s.Reversed(): // paid, and the cancel gave it back: no receipt, but paid
		receipt = rw.Reversed
	}
	if s.ReceiptNo > 0 && s.ReceiptUnprinted {
		receipt += c.say.Punct.Parts + c.styles.errorText.Render(dw.Unprinted)
	}
	status := c.say.SaleStatusName(s)
	if s.RefundedFen > 0 && s.Status == pos.StatusPaid { // paid and refunded in part: says so in place of paid
		status = dw.RefundedOf.F(words.Yuan(s.RefundedFen))
	}
	status = statusStyle(c.styles, s).Render(status)
	terminal := orDash(s.TerminalID)
	if s.StoreID != "" {
		terminal += c.say.Punct.Parts + dw.Store.F(s.StoreID)
	}
	leftRows := [][]string{
		{rw.Order, s.OutTradeNo},
		{rw.Receipt, receipt},
		{rw.Amount, yuan(s.AmountFen)},
		{dw.Status, status},
		{dw.Refundable, refundableText(c.say, s)},
		{rw.TradeNo, orDash(s.TradeNo)},
	}
	rightRows := [][]string{
		{rw.Buyer, orDash(pos.MaskAccount(s.BuyerLogonID))},
		{rw.Subject, orDash(s.Subject)},
		{dw.Terminal, terminal},
		{dw.Created, s.CreatedAt.Format(timeLayout)},
		{rw.PaidAt, timeOrDash(s.PaidAt)},
	}
	left, right := fieldTable(c.styles, leftRows), fieldTable(c.styles, rightRows)
	if lipgloss.Width(left)+4+lipgloss.Width(right) <= c.width {
		return lipgloss.JoinHorizontal(lipgloss.Top, left, "    ", right)
	}
	// One under the other: one table, so that every value starts in the
	// same column, however wide each label is on screen.
	return fieldTable(c.styles, append(leftRows, rightRows...))
}

func refundableText(say *words.Words, s pos.SaleRecord) string {
	dw := &say.Detail
	switch {
	case s.Reversed():
		return dw.NothingReversed
	case s.Status == pos.StatusRefunded:
		return dw.NothingRefunded
	case s.Status != pos.StatusPaid:
		return dw.NothingNotPaid.F(say.StatusName(s.Status))
	case s.Refundable() == 0:
		return dw.NothingLeft
	}
	return yuan(s.Refundable())
}

// refundLines is the sale's refunds in a table, each followed by its
// reason, when it was done and its note. When the table does not fit the
// window, the refund number leaves it for the line beneath, whole.
func refundLines(c common, s pos.SaleRecord) string {
	dw := &c.say.Detail
	if len(s.Refunds) == 0 && s.Reversed() {
		return c.styles.muted.Render(dw.GivenBack)
	}
	if len(s.Refunds) == 0 {
		return c.styles.muted.Render(dw.NoRefunds)
	}
	lines, notes := refundTable(c, s, true)
	if widest(lines) > c.width {
		lines, notes = refundTable(c, s, false)
	}
	out := make([]string, 0, 2*len(lines))
	for i, line := range lines {
		if i == 0 {
			line = c.styles.muted.Render(line)
		}
		out = append(out, c.fit(line))
		if notes[i] != "" {
			out = append(out, c.styles.muted.Width(c.width).Render(indent(wrapText(notes[i], c.width-2), "  ")))
		}
	}
	return strings.Join(out, "\n")
}

// refundTable lays the refunds out, the refund number in a column of its
// own (withNo) or at the head of each refund's note.
func refundTable(c common, s pos.SaleRecord, withNo bool) (lines, notes []string) {
	dw := &c.say.Detail
	head := []string{dw.Amount, dw.RefundStatus, dw.Requested, dw.ApprovedBy}
	if withNo {
		head = append(head, dw.RequestNo)
	}
	rows, notes := [][]string{head}, []string{""}
	for _, r := range s.Refunds {
		row := []string{yuan(r.Fen), c.say.RefundStatusName(r.Status), r.At.Format(timeLayout), orDash(c.say.Approver(r.ApprovedBy))}
		note := refundNote(c.say, r)
		switch {
		case withNo:
			row = append(row, r.OutRequestNo)
		case note != "":
			note = c.say.Paper.RequestNo + " " + r.OutRequestNo + c.say.Punct.Parts + note
		default:
			note = c.say.Paper.RequestNo + " " + r.OutRequestNo
		}
		rows, notes = append(rows, row), append(notes, note)
	}
	return figures.Table{Rows: rows, Right: []int{0}}.Lines(), notes
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

func refundNote(say *words.Words, r pos.Refund) string {
	var parts []string
	if r.Reason != "" {
		parts = append(parts, say.Detail.RefundReason.F(r.Reason))
	}
	if !r.DoneAt.IsZero() {
		parts = append(parts, say.Detail.RefundDone.F(r.DoneAt.Format(timeLayout)))
	}
	if !r.Note.IsZero() {
		parts = append(parts, say.NoteText(r.Note))
	}
	return strings.Join(parts, say.Punct.Parts)
}

// historyLines lists the sale's events, each note wrapped beside its time
// and status.
func historyLines(c common, s pos.SaleRecord) string {
	rows := make([][]string, 0, len(s.History))
	for _, e := range s.History {
		rows = append(rows, []string{e.At.Format(timeLayout), c.say.EventStatusName(s, e)})
	}
	left := figures.Table{Rows: rows}.Lines()
	width := widest(left)
	lines := make([]string, 0, len(s.History))
	for i, e := range s.History {
		l := pad(left[i], width, false) + "  "
		note := wrapText(c.say.EventText(e), max(c.width-lipgloss.Width(l), 20))
		lines = append(lines, lipgloss.JoinHorizontal(lipgloss.Top, l, note))
	}
	return strings.Join(lines, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func timeOrDash(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format(timeLayout)
}
