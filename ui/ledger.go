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
	"kiosk/ui/figures"
	"kiosk/ui/words"
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

	// report is date's report as the day was read: a Z report (a copy)
	// once the day is closed, with the refunds made after the close.
	report pos.Report
}

func newLedgerModel(date string) ledgerModel {
	return ledgerModel{date: date, today: date, loading: true}
}

// dayLoaded takes a day read from the ledger; one for another date than
// the one on screen is stale. The open sale is refreshed from it too.
func (mm managerModel) dayLoaded(say *words.Words, msg dayLoadedMsg) managerModel {
	if msg.date != mm.ledger.date {
		return mm
	}
	mm.ledger = mm.ledger.loaded(say, msg)
	if i := saleIndex(msg.day.Sales, mm.detail.sale.OutTradeNo); i >= 0 && msg.err == nil {
		mm.detail.sale = msg.day.Sales[i]
	}
	return mm
}

func (l ledgerModel) loaded(say *words.Words, msg dayLoadedMsg) ledgerModel {
	l.loading = false
	if msg.err != nil {
		l.err = say.Ledger.ReadFailed.F(say.Explain(msg.err))
		return l
	}
	l.err = ""
	selected := l.selected().OutTradeNo
	l.day, l.report = msg.day, msg.report
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
	case key.Matches(msg, k.pinKey):
		return mm.openPINSet(c)
	case key.Matches(msg, k.report):
		mm.report = newReportModel(mm.ledger.date, c.office.Today())
		mm.page = pageReport
		return mm, reportCmds(c.office, mm.ledger.date, mm.report.today)
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
		mm.ledger.note = c.say.Ledger.NoLaterDay
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
	_, _, hidden := l.tableLines(c)
	_, _, rows := l.frame(c, " ", hidden)
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
	header, lines, hidden := l.tableLines(c)
	top, bottom, rows := l.frame(c, header, hidden)
	return lipgloss.JoinVertical(lipgloss.Left, top, l.visible(c, lines, rows), bottom)
}

// frame draws what stays put around the table, its header and the day's
// totals included, and says how many table rows fit between. hidden are
// the columns the window is too narrow for.
func (l ledgerModel) frame(c common, header string, hidden []string) (top, bottom string, rows int) {
	st, lw := c.styles, &c.say.Ledger
	title := st.title.Render(lw.Title.F(l.date)) + st.muted.Render(l.dayNote(c.say))
	if z := l.report; z.Kind == pos.ReportZ {
		title += st.muted.Render(c.say.Punct.Parts) + st.warning.Bold(true).Render(lw.Closed.F(z.Number))
	}
	status := " "
	switch {
	case l.err != "":
		status = wrapIn(st.errorText, c.width, l.err)
	case l.note != "":
		status = st.warning.Render(l.note)
	case l.loading:
		status = st.muted.Render(lw.Reading)
	}
	top = lipgloss.JoinVertical(lipgloss.Left, title, status, header)
	position := l.position(c.say)
	if len(hidden) > 0 {
		// Which columns the window is too narrow for, and where they are.
		note := lw.Hidden.F(strings.Join(hidden, c.say.Punct.List), c.keys.open.Help().Key)
		if joined := position + c.say.Punct.Parts + note; lipgloss.Width(joined) <= c.width {
			position = joined
		} else {
			position += "\n" + wrapText(note, c.width)
		}
	}
	parts := []string{
		st.muted.Render(position),
		st.label.Render(wrapParts(figures.Line(c.say, l.day.Totals), c.say.Punct.Parts, c.width)),
	}
	if later := l.report.LaterRefunds; l.report.Copy && later.Count > 0 {
		// The day's totals count them, its Z report does not.
		parts = append(parts, wrapIn(st.warning, c.width, c.say.Report.LaterRefunds.F(later.Count, words.Yuan(later.Fen))))
	}
	bottom = lipgloss.JoinVertical(lipgloss.Left, append(parts, "", c.help(l.ledgerHelp(c.keys)))...)
	rows = c.height - lipgloss.Height(top) - lipgloss.Height(bottom)
	return top, bottom, max(rows, 1)
}

func (l ledgerModel) dayNote(say *words.Words) string {
	t, err := time.Parse(dateLayout, l.date)
	if err != nil {
		return ""
	}
	s := say.Punct.Parts + say.Weekday(t.Weekday())
	if l.date == l.today {
		s += say.Punct.Parts + say.Ledger.Today
	}
	return s
}

// position says which sale the cursor is on, since they may not all fit.
func (l ledgerModel) position(say *words.Words) string {
	if n := len(l.day.Sales); n > 0 {
		return say.Ledger.Position.F(l.cursor+1, n)
	}
	return " "
}

// tableLines lays out the day's sales under their header, every sale, so
// that the columns keep their widths as the table scrolls; the header is
// " " for a day without sales. The order number is never cut: where the
// window is too narrow for every column, the terminal goes first, then
// Alipay's trade number (the sale's details show both); hidden names the
// columns left out, for the screen to say so.
func (l ledgerModel) tableLines(c common) (header string, lines, hidden []string) {
	sales := l.day.Sales
	if len(sales) == 0 {
		return " ", nil, nil
	}
	lw := &c.say.Ledger
	const statusCol = 4
	rows := [][]string{{lw.Time, lw.ReceiptNo, lw.Amount, lw.Order, lw.Status, lw.TradeNo, lw.Terminal}}
	for _, s := range sales {
		receipt := ""
		if s.ReceiptNo > 0 {
			receipt = fmt.Sprintf("%04d", s.ReceiptNo)
		}
		rows = append(rows, []string{s.CreatedAt.Format(time.TimeOnly), receipt, yuan(s.AmountFen),
			s.OutTradeNo, statusText(c.say, s), s.TradeNo, s.TerminalID})
	}
	t := figures.Table{Rows: rows, Right: []int{2}, Style: func(row, col int) lipgloss.Style {
		if col == statusCol && row > 0 && row-1 != l.cursor {
			return statusStyle(c.styles, sales[row-1])
		}
		return lipgloss.NewStyle()
	}}
	all := t.Lines()
	for len(t.Rows[0]) > statusCol+1 && widest(all)+2 > c.width {
		last := len(t.Rows[0]) - 1
		hidden = append([]string{t.Rows[0][last]}, hidden...) // in the table's order
		for i := range t.Rows {
			t.Rows[i] = t.Rows[i][:last]
		}
		all = t.Lines()
	}
	return c.styles.muted.Render(c.fit("  " + all[0])), all[1:], hidden
}

// widest is the display width of the widest line.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

// visible draws the rows of the table that fit, the cursor's marked and
// highlighted across the window.
func (l ledgerModel) visible(c common, lines []string, rows int) string {
	if len(lines) == 0 {
		if l.loading {
			return ""
		}
		return c.styles.label.Render(c.say.Ledger.NoSales)
	}
	offset := visibleOffset(l.offset, l.cursor, rows, len(lines))
	end := min(offset+rows, len(lines))
	out := make([]string, 0, end-offset)
	for i := offset; i < end; i++ {
		if i != l.cursor {
			out = append(out, c.fit("  "+lines[i]))
			continue
		}
		line := c.fit("▸ " + lines[i])
		out = append(out, c.styles.selected.Render(pad(line, c.width, false)))
	}
	return strings.Join(out, "\n")
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
// shows what went back, as "paid −¥3.00".
func statusText(say *words.Words, s pos.SaleRecord) string {
	text := say.SaleStatusName(s)
	if s.Status == pos.StatusPaid && s.RefundedFen > 0 {
		text += " −" + yuan(s.RefundedFen)
	}
	if refundPending(s) {
		text += say.Ledger.RefundPending
	}
	return text
}

func refundPending(s pos.SaleRecord) bool {
	return slices.ContainsFunc(s.Refunds, func(r pos.Refund) bool {
		return r.Status == pos.RefundRequested || r.Status == pos.RefundUnknown
	})
}

func statusStyle(st *styles, s pos.SaleRecord) lipgloss.Style {
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
