package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
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
	return style.Width(c.width).Render(n.text)
}

// detailModel is one sale with everything the ledger knows of it.
type detailModel struct {
	sale   pos.SaleRecord
	notice notice
	busy   bool // a reprint is being read
	offset int  // first line shown
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
		mm.detail.notice = notice{}
		mm.refund = newRefundModel(d.sale)
		mm.page = pageRefund
	default:
		_, mm.detail.offset = c.scrollPage(d.title(c), d.body(c), scrollKey(c, msg, d.offset, c.height/2), d.bindings(c)...)
	}
	return mm, nil
}

// reprinted shows the duplicate receipt of the sale on screen.
func (mm managerModel) reprinted(msg reprintedMsg) managerModel {
	if mm.page != pageDetail || msg.id != mm.detail.sale.OutTradeNo || !mm.detail.busy {
		return mm
	}
	mm.detail.busy = false
	if msg.err != nil {
		mm.detail.notice = notice{"The receipt could not be reprinted: " + pos.Describe(msg.err), noticeBad}
		return mm
	}
	mm.reprint = msg.receipt
	mm.reprint.Duplicate = true // whatever the source says, this one is a copy
	mm.page = pageReprint
	return mm
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
	page, _ := c.scrollPage(d.title(c), d.body(c), d.offset, d.bindings(c)...)
	return page
}

func (d detailModel) title(c common) string {
	s := d.sale
	return c.styles.title.Render("Sale · order "+s.OutTradeNo) + c.styles.muted.Render(" · "+s.CreatedAt.Format(dateLayout))
}

// bindings are the keys the sale's details answer to: a reprint only for
// a sale with a receipt, a refund only while something is left to refund.
func (d detailModel) bindings(c common) []key.Binding {
	k := c.keys
	var b []key.Binding
	if d.sale.ReceiptNo > 0 {
		b = append(b, k.reprint)
	}
	if canRefund(d.sale) {
		b = append(b, k.refund)
	}
	return append(b, k.backToDay)
}

func (d detailModel) body(c common) string {
	parts := []string{}
	if d.busy {
		parts = append(parts, c.styles.muted.Render("Reading the receipt…"), "")
	}
	if d.notice.text != "" {
		parts = append(parts, d.notice.view(c), "")
	}
	parts = append(parts,
		saleFields(c, d.sale), "",
		c.styles.heading.Render("Refunds"), refundLines(c, d.sale), "",
		c.styles.heading.Render("History"), historyLines(c, d.sale))
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func saleFields(c common, s pos.SaleRecord) string {
	receipt := "none (not paid)"
	if s.ReceiptNo > 0 {
		receipt = fmt.Sprintf("No. %04d", s.ReceiptNo)
	}
	status := statusStyle(c.styles, s).Render(string(s.Status))
	if s.RefundedFen > 0 && s.Status == pos.StatusPaid {
		status += fmt.Sprintf(" · %s of %s refunded", yuan(s.RefundedFen), yuan(s.AmountFen))
	}
	terminal := orDash(s.TerminalID)
	if s.StoreID != "" {
		terminal += " · store " + s.StoreID
	}
	left := fieldTable(c.styles, [][2]string{
		{"Order", s.OutTradeNo},
		{"Receipt", receipt},
		{"Amount", yuan(s.AmountFen)},
		{"Status", status},
		{"Refundable", refundableText(s)},
		{"Alipay no.", orDash(s.TradeNo)},
	})
	right := fieldTable(c.styles, [][2]string{
		{"Buyer", orDash(pos.MaskAccount(s.BuyerLogonID))},
		{"Subject", orDash(s.Subject)},
		{"Terminal", terminal},
		{"Created", s.CreatedAt.Format(timeLayout)},
		{"Paid at", timeOrDash(s.PaidAt)},
	})
	if lipgloss.Width(left)+4+lipgloss.Width(right) <= c.width {
		return lipgloss.JoinHorizontal(lipgloss.Top, left, "    ", right)
	}
	return lipgloss.JoinVertical(lipgloss.Left, left, right)
}

func refundableText(s pos.SaleRecord) string {
	switch {
	case s.Status == pos.StatusRefunded:
		return "nothing: refunded in full"
	case s.Status != pos.StatusPaid:
		return "nothing: the sale is " + string(s.Status)
	case s.Refundable() == 0:
		return "nothing: refunds for the whole amount are done or on their way"
	}
	return yuan(s.Refundable())
}

func refundLines(c common, s pos.SaleRecord) string {
	if len(s.Refunds) == 0 {
		return c.styles.muted.Render("No refunds.")
	}
	rows := [][]string{{"AMOUNT", "STATUS", "REQUESTED", "APPROVED BY", "REQUEST NO."}}
	notes := []string{""}
	for _, r := range s.Refunds {
		rows = append(rows, []string{yuan(r.Fen), string(r.Status), r.At.Format(timeLayout), orDash(r.ApprovedBy), r.OutRequestNo})
		notes = append(notes, refundNote(r))
	}
	lines := columns(rows, 0)
	out := make([]string, 0, 2*len(lines))
	for i, line := range lines {
		if i == 0 {
			line = c.styles.muted.Render(line)
		}
		out = append(out, c.fit(line))
		if notes[i] != "" {
			out = append(out, c.styles.muted.Width(c.width).Render("  "+notes[i]))
		}
	}
	return strings.Join(out, "\n")
}

func refundNote(r pos.Refund) string {
	var parts []string
	if r.Reason != "" {
		parts = append(parts, "reason: "+r.Reason)
	}
	if !r.DoneAt.IsZero() {
		parts = append(parts, "done "+r.DoneAt.Format(timeLayout))
	}
	if r.Note != "" {
		parts = append(parts, r.Note)
	}
	return strings.Join(parts, " · ")
}

// historyLines lists the sale's events, each note wrapped beside its time
// and status.
func historyLines(c common, s pos.SaleRecord) string {
	width := 0
	for _, e := range s.History {
		width = max(width, len(e.Status))
	}
	lines := make([]string, 0, len(s.History))
	for _, e := range s.History {
		left := e.At.Format(timeLayout) + "  " + pad(string(e.Status), width, false) + "  "
		note := lipgloss.NewStyle().Width(max(c.width-lipgloss.Width(left), 20)).Render(e.Note)
		lines = append(lines, lipgloss.JoinHorizontal(lipgloss.Top, left, note))
	}
	return strings.Join(lines, "\n")
}

// columns pads every cell to its column's widest; the columns listed in
// right are right-aligned.
func columns(rows [][]string, right ...int) []string {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], lipgloss.Width(cell))
		}
	}
	lines := make([]string, len(rows))
	for j, r := range rows {
		cells := make([]string, len(r))
		for i, cell := range r {
			cells[i] = pad(cell, widths[i], slices.Contains(right, i))
		}
		lines[j] = strings.TrimRight(strings.Join(cells, "  "), " ")
	}
	return lines
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
