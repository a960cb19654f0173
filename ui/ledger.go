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

const dateLayout = "2006-01-02"

// ledgerModel is one day of the ledger: every sale, a cursor on one of
// them, and the day's totals.
type ledgerModel struct {
	date    string
	today   string
	day     pos.Day // date's sales once loaded
	loading bool
	err     string
	note    string // why a key did nothing
	cursor  int
	offset  int // first sale shown
}

func newLedgerModel(date string) ledgerModel {
	return ledgerModel{date: date, today: date, loading: true}
}

// dayLoaded takes a day read from the ledger; one for another date than
// the one on screen is stale. The open sale is refreshed from it too.
func (mm managerModel) dayLoaded(msg dayLoadedMsg) managerModel {
	if msg.date != mm.ledger.date {
		return mm
	}
	mm.ledger = mm.ledger.loaded(msg)
	if i := saleIndex(msg.day.Sales, mm.detail.sale.OutTradeNo); i >= 0 && msg.err == nil {
		mm.detail.sale = msg.day.Sales[i]
	}
	return mm
}

func (l ledgerModel) loaded(msg dayLoadedMsg) ledgerModel {
	l.loading = false
	if msg.err != nil {
		l.err = "The ledger could not be read: " + pos.Describe(msg.err)
		return l
	}
	l.err = ""
	selected := l.selected().OutTradeNo
	l.day = msg.day
	l.cursor = len(l.day.Sales) - 1 // the newest sale, next to the totals
	if i := saleIndex(l.day.Sales, selected); i >= 0 {
		l.cursor = i
	}
	l.cursor = max(l.cursor, 0)
	return l
}

func saleIndex(sales []pos.SaleRecord, outTradeNo string) int {
	if outTradeNo == "" {
		return -1
	}
	return slices.IndexFunc(sales, func(s pos.SaleRecord) bool { return s.OutTradeNo == outTradeNo })
}

// selected is the sale under the cursor, or the zero Sale.
func (l ledgerModel) selected() pos.SaleRecord {
	if l.cursor < 0 || l.cursor >= len(l.day.Sales) {
		return pos.SaleRecord{}
	}
	return l.day.Sales[l.cursor]
}

func (mm managerModel) ledgerKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	k := c.keys
	mm.ledger.note = ""
	switch {
	case key.Matches(msg, k.back):
		mm.page = pageClosed
	case key.Matches(msg, k.prevDay):
		return mm.goToDay(c, -1)
	case key.Matches(msg, k.nextDay):
		return mm.goToDay(c, +1)
	case key.Matches(msg, k.open):
		if s := mm.ledger.selected(); s.OutTradeNo != "" {
			mm.detail = detailModel{sale: s}
			mm.page = pageDetail
		}
	case key.Matches(msg, k.report):
		mm.report = newReportModel(mm.ledger.date, c.office.Today())
		mm.page = pageReport
		return mm, reportCmd(c.office, mm.ledger.date)
	default:
		mm.ledger = mm.ledger.moveKey(c, msg)
	}
	return mm, nil
}

// goToDay opens the day before or after, never one after today.
func (mm managerModel) goToDay(c common, days int) (managerModel, tea.Cmd) {
	today := c.office.Today()
	t, err := time.Parse(dateLayout, mm.ledger.date)
	if err != nil {
		t, _ = time.Parse(dateLayout, today)
	}
	date := t.AddDate(0, 0, days).Format(dateLayout)
	if date > today {
		mm.ledger.note = "This is today; later days have no sales yet."
		return mm, nil
	}
	mm.ledger = ledgerModel{date: date, today: today, loading: true}
	return mm, dayCmd(c.office, date)
}

// moveKey moves the cursor and scrolls the table to keep it in view.
func (l ledgerModel) moveKey(c common, msg tea.KeyPressMsg) ledgerModel {
	n := len(l.day.Sales)
	if n == 0 {
		return l
	}
	_, _, rows := l.frame(c)
	k := c.keys
	switch {
	case key.Matches(msg, k.up):
		l.cursor--
	case key.Matches(msg, k.down):
		l.cursor++
	case key.Matches(msg, k.pageUp):
		l.cursor -= rows
	case key.Matches(msg, k.pageDown):
		l.cursor += rows
	case key.Matches(msg, k.first):
		l.cursor = 0
	case key.Matches(msg, k.last):
		l.cursor = n - 1
	}
	l.cursor = min(max(l.cursor, 0), n-1)
	l.offset = visibleOffset(l.offset, l.cursor, rows, n)
	return l
}

// visibleOffset is the first row to show so that the cursor is in view
// and the window is as full as the rows allow.
func visibleOffset(offset, cursor, rows, n int) int {
	rows = max(rows, 1)
	switch {
	case cursor < offset:
		offset = cursor
	case cursor >= offset+rows:
		offset = cursor - rows + 1
	}
	return min(max(offset, 0), max(n-rows, 0))
}

func (l ledgerModel) view(c common) string {
	top, bottom, rows := l.frame(c)
	return lipgloss.JoinVertical(lipgloss.Left, top, l.table(c, rows), bottom)
}

// frame draws what stays put around the table, the day's totals
// included, and says how many table rows fit between.
func (l ledgerModel) frame(c common) (top, bottom string, rows int) {
	st := c.styles
	title := st.title.Render("Ledger · "+l.date) + st.muted.Render(l.dayNote())
	status := " "
	switch {
	case l.err != "":
		status = st.errorText.Width(c.width).Render(l.err)
	case l.note != "":
		status = st.warning.Render(l.note)
	case l.loading:
		status = st.muted.Render("Reading the ledger…")
	}
	header := " "
	if len(l.day.Sales) > 0 {
		header = st.muted.Render(c.fit(ledgerHeader(l.widths())))
	}
	top = lipgloss.JoinVertical(lipgloss.Left, title, status, header)
	bottom = lipgloss.JoinVertical(lipgloss.Left,
		st.muted.Render(l.position()),
		st.label.Render(wrapParts(totalsParts(l.day.Totals), " · ", c.width)),
		"",
		c.help(c.keys.days, c.keys.choose, c.keys.open, c.keys.report, c.keys.back, c.keys.quit))
	rows = c.height - lipgloss.Height(top) - lipgloss.Height(bottom)
	return top, bottom, max(rows, 1)
}

func (l ledgerModel) dayNote() string {
	t, err := time.Parse(dateLayout, l.date)
	if err != nil {
		return ""
	}
	s := " · " + t.Weekday().String()
	if l.date == l.today {
		s += " · today"
	}
	return s
}

// position says which sale the cursor is on, since they may not all fit.
func (l ledgerModel) position() string {
	if n := len(l.day.Sales); n > 0 {
		return fmt.Sprintf("Sale %d of %d", l.cursor+1, n)
	}
	return " "
}

func (l ledgerModel) table(c common, rows int) string {
	st := c.styles
	sales := l.day.Sales
	if len(sales) == 0 {
		if l.loading {
			return ""
		}
		return st.label.Render("No sales on this day.")
	}
	w := l.widths()
	offset := visibleOffset(l.offset, l.cursor, rows, len(sales))
	end := min(offset+rows, len(sales))
	lines := make([]string, 0, end-offset)
	for i := offset; i < end; i++ {
		lines = append(lines, saleRow(c, sales[i], w, i == l.cursor))
	}
	return strings.Join(lines, "\n")
}

// colWidths are the widths of the ledger's columns that vary with the day.
type colWidths struct{ amount, status, trade int }

func (l ledgerModel) widths() colWidths {
	w := colWidths{amount: len("AMOUNT"), status: len("STATUS"), trade: len("ALIPAY TRADE NO")}
	for _, s := range l.day.Sales {
		w.amount = max(w.amount, len(pos.FormatAmount(s.AmountFen)))
		w.status = max(w.status, lipgloss.Width(statusText(s)))
		w.trade = max(w.trade, len(s.TradeNo))
	}
	return w
}

func ledgerHeader(w colWidths) string {
	return "  " + strings.Join([]string{
		"TIME    ", "RECEIPT", pad("AMOUNT", w.amount, true), pad("STATUS", w.status, false),
		pad("ALIPAY TRADE NO", w.trade, false), "TERMINAL"}, "  ")
}

func saleRow(c common, s pos.SaleRecord, w colWidths, selected bool) string {
	receipt := ""
	if s.ReceiptNo > 0 {
		receipt = fmt.Sprintf("%04d", s.ReceiptNo)
	}
	status := pad(statusText(s), w.status, false)
	if !selected {
		status = statusStyle(c.styles, s).Render(status)
	}
	cells := []string{
		s.CreatedAt.Format("15:04:05"), pad(receipt, len("RECEIPT"), false),
		pad(pos.FormatAmount(s.AmountFen), w.amount, true), status,
		pad(s.TradeNo, w.trade, false), s.TerminalID,
	}
	if !selected {
		return c.fit("  " + strings.Join(cells, "  "))
	}
	line := c.fit("▸ " + strings.Join(cells, "  "))
	return c.styles.selected.Render(pad(line, c.width, false))
}

// pad fills s with spaces to width w, on the left when right-aligned.
func pad(s string, w int, right bool) string {
	gap := strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
	if right {
		return gap + s
	}
	return s + gap
}

// statusText is a sale's status in the ledger; a sale refunded in part
// shows what went back, as "paid −3.00".
func statusText(s pos.SaleRecord) string {
	text := string(s.Status)
	if s.Status == pos.StatusPaid && s.RefundedFen > 0 {
		text += " −" + pos.FormatAmount(s.RefundedFen)
	}
	if refundPending(s) {
		text += " (refund pending)"
	}
	return text
}

func refundPending(s pos.SaleRecord) bool {
	return slices.ContainsFunc(s.Refunds, func(r pos.Refund) bool {
		return r.Status == pos.RefundRequested || r.Status == pos.RefundUnknown
	})
}

func statusStyle(st styles, s pos.SaleRecord) lipgloss.Style {
	switch s.Status {
	case pos.StatusPaid:
		return st.paid
	case pos.StatusRefunded, pos.StatusFailed:
		return st.bad
	case pos.StatusUnknown:
		return st.warning.Bold(true)
	}
	return st.muted
}

// totalsParts sum up a day. Refunded counts the sales with money refunded,
// in full or in part, so that it matches the amount beside it.
func totalsParts(t pos.Totals) []string {
	parts := []string{
		fmt.Sprintf("Sales %d", t.Count),
		fmt.Sprintf("Paid %d %s", t.Paid, yuan(t.PaidFen)),
		fmt.Sprintf("Refunded %d %s", t.Refunded+t.PartlyRefunded, yuan(t.RefundedFen)),
		"Net " + yuan(t.NetFen),
		fmt.Sprintf("Cancelled %d", t.Cancelled),
		fmt.Sprintf("Unknown %d", t.Unknown),
	}
	if t.Pending > 0 {
		parts = append(parts, fmt.Sprintf("Pending %d", t.Pending))
	}
	if t.Failed > 0 {
		parts = append(parts, fmt.Sprintf("Failed %d", t.Failed))
	}
	return parts
}
