package ui

import (
	"fmt"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/figures"
)

type reportStep int

const (
	reportShow    reportStep = iota // the figures
	reportConfirm                   // "Close the day?"
	reportPIN                       // the manager's PIN
	reportClosing                   // writing the Z report
)

// reportModel is a day's report: the X report as the day stands, or its Z
// report once closed; z closes an open day with the manager's PIN.
type reportModel struct {
	date   string
	today  string
	report pos.Report
	ready  bool // report holds date's figures
	err    string
	notice notice
	step   reportStep
	pin    pinModel
	offset int // first line of the figures shown
}

func newReportModel(date, today string) reportModel {
	return reportModel{date: date, today: today}
}

// take accepts a report made for the day on screen and drops the rest.
func (r reportModel) take(msg tea.Msg) reportModel {
	switch msg := msg.(type) {
	case reportLoadedMsg:
		if msg.date != r.date || r.step != reportShow {
			return r
		}
		if msg.err != nil {
			r.err = "The report could not be made: " + pos.Describe(msg.err)
			return r
		}
		r.report, r.ready, r.err = msg.report, true, ""
	case dayClosedMsg:
		if msg.date == r.date && r.step == reportClosing {
			return r.closed(msg)
		}
	}
	return r
}

// closed shows the Z report; a wrong PIN is asked again.
func (r reportModel) closed(msg dayClosedMsg) reportModel {
	switch {
	case askPINAgain(msg.err):
		r.step, r.pin = reportPIN, r.pin.failed(pos.Describe(msg.err))
	case msg.err != nil:
		r.step, r.notice = reportShow, notice{"The day was not closed. " + pos.Describe(msg.err), noticeBad}
	default:
		r.step, r.report, r.ready, r.offset = reportShow, msg.report, true, 0
		r.notice = notice{fmt.Sprintf("The day is closed: Z report No. %04d is stored in the ledger and will not change.", msg.report.Number), noticeOK}
	}
	return r
}

// canClose reports whether z may close the day: its report is an X report
// of a day that has begun and has no Z report yet.
func (r reportModel) canClose() bool {
	return r.ready && r.report.Kind != pos.ReportZ && r.report.ZNumber == 0 && r.date <= r.today
}

func (mm managerModel) reportKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	var cmd tea.Cmd
	switch mm.report.step {
	case reportShow:
		return mm.reportShowKey(c, msg)
	case reportConfirm, reportPIN:
		mm.report, cmd = mm.report.closeKey(c, msg)
	}
	return mm, cmd
}

func (mm managerModel) reportShowKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	r, k := mm.report, c.keys
	switch {
	case key.Matches(msg, k.backToDay):
		mm.page = pageLedger
		mm.ledger.loading = true
		return mm, dayCmd(c.office, mm.ledger.date)
	case key.Matches(msg, k.closeDay) && r.canClose():
		mm.report.step, mm.report.notice = reportConfirm, notice{}
	case key.Matches(msg, k.closeDay) && r.ready:
		mm.report.notice = notice{"This day is already closed; its Z report cannot change.", noticeWarn}
	default:
		_, mm.report.offset = c.scrollPage(r.title(c), r.figures(c), scrollKey(c, msg, r.offset, c.height/2), r.bindings(c)...)
	}
	return mm, nil
}

// closeKey answers the question and then the PIN prompt; esc at either
// leaves the day open.
func (r reportModel) closeKey(c common, msg tea.KeyPressMsg) (reportModel, tea.Cmd) {
	k := c.keys
	switch {
	case r.step == reportConfirm && key.Matches(msg, k.closeYes):
		r.step, r.pin = reportPIN, newPINModel()
	case r.step == reportConfirm && key.Matches(msg, k.closeNo):
		r.step = reportShow
	case key.Matches(msg, k.keepOpen):
		r.step = reportShow
	case key.Matches(msg, k.closePIN):
		if why := r.pin.checkPIN(); why != "" {
			r.pin.err = why
			return r, nil
		}
		r.step = reportClosing
		return r, closeDayCmd(c.office, r.date, r.pin.value())
	default:
		return r.input(msg)
	}
	return r, nil
}

// input gives a key or a paste to the PIN prompt, if it is up.
func (r reportModel) input(msg tea.Msg) (reportModel, tea.Cmd) {
	if r.step != reportPIN {
		return r, nil
	}
	var cmd tea.Cmd
	r.pin, cmd = r.pin.update(msg)
	return r, cmd
}

func (r reportModel) title(c common) string {
	if r.ready {
		return c.styles.title.Render(reportTitle(r.report))
	}
	return c.styles.title.Render("Report · " + r.date)
}

func (r reportModel) bindings(c common) []key.Binding {
	if r.canClose() {
		return []key.Binding{c.keys.closeDay, c.keys.backToDay}
	}
	return []key.Binding{c.keys.backToDay}
}

func (r reportModel) view(c common) string {
	st := c.styles
	var body, help string
	switch {
	case r.step == reportConfirm:
		body = st.warning.Bold(true).Width(c.width).Render(fmt.Sprintf("Close the day %s? This writes the Z report once.", r.date))
		help = c.help(c.keys.closeYes, c.keys.closeNo)
	case r.step == reportPIN:
		body = r.pin.view(c, "Manager PIN to close "+r.date)
		help = c.help(c.keys.closePIN, c.keys.keepOpen)
	case r.step == reportClosing:
		body = st.status.Render("Closing the day " + r.date + "…")
		help = st.help.Render("Wait a moment; the Z report is being written.")
	case r.err != "" || !r.ready:
		body = st.muted.Render("Making the report…")
		if r.err != "" {
			body = st.errorText.Width(c.width).Render(r.err)
		}
		help = c.help(c.keys.backToDay, c.keys.quit)
	default:
		page, _ := c.scrollPage(r.title(c), r.figures(c), r.offset, r.bindings(c)...)
		return page
	}
	return lipgloss.JoinVertical(lipgloss.Left, r.title(c), "", body, "", help)
}

func reportTitle(r pos.Report) string {
	switch {
	case r.Kind == pos.ReportZ:
		return fmt.Sprintf("Z REPORT No. %04d", r.Number)
	case r.ZNumber > 0:
		return fmt.Sprintf("X REPORT · day closed in Z REPORT No. %04d", r.ZNumber)
	}
	return "X REPORT · not closed"
}

// figures lays the totals beside the breakdowns when the window is wide
// enough, and under them when it is not.
func (r reportModel) figures(c common) string {
	rep, st := r.report, c.styles
	left := totalsBlock(st, rep.Totals)
	right := lipgloss.JoinVertical(lipgloss.Left, statusBlock(st, rep), "", hourBlock(st, rep))
	tables := lipgloss.JoinVertical(lipgloss.Left, left, "", right)
	if lipgloss.Width(left)+6+lipgloss.Width(right) <= c.width {
		tables = lipgloss.JoinHorizontal(lipgloss.Top, left, "      ", right)
	}
	parts := []string{st.muted.Width(c.width).Render(reportMeta(rep))}
	if r.notice.text != "" {
		parts = append(parts, "", r.notice.view(c))
	}
	parts = append(parts, "", tables)
	if e := rep.EarlierRefunds; e.Count > 0 {
		parts = append(parts, "", fmt.Sprintf("Refunds made this day of earlier days' sales: %d, %s.", e.Count, yuan(e.Fen)))
	}
	if u := rep.Unsettled(); u > 0 {
		parts = append(parts, "", st.warning.Width(c.width).Render(
			fmt.Sprintf("Note: %d sale(s) still pending or unknown; their outcome may change these figures.", u)))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func reportMeta(rep pos.Report) string {
	when := "Printed at "
	if rep.Kind == pos.ReportZ {
		when = "Closed at "
	}
	s := "Date " + rep.Date
	if rep.Terminal != "" {
		s += " · Terminal " + rep.Terminal
	}
	return s + " · " + when + rep.CreatedAt.Format(time.DateTime)
}

func totalsBlock(st styles, t pos.Totals) string {
	return block(st, "TOTALS", columns(figures.Totals(t), 1, 2))
}

func statusBlock(st styles, rep pos.Report) string {
	rows := figures.ByStatus(rep)
	if len(rows) == 0 {
		return block(st, "BY STATUS", []string{"No sales."})
	}
	return block(st, "BY STATUS", columns(rows, 1, 2))
}

// hourBlock lists only the hours with sales.
func hourBlock(st styles, rep pos.Report) string {
	rows := [][]string{{"HOUR", "SALES", "PAID", "REFUNDED"}}
	for h, v := range rep.ByHour {
		if v.Count > 0 {
			rows = append(rows, []string{fmt.Sprintf("%02d:00–%02d:00", h, (h+1)%24), strconv.Itoa(v.Count), yuan(v.PaidFen), yuan(v.RefundedFen)})
		}
	}
	if len(rows) == 1 {
		return block(st, "BY HOUR", []string{"No sales."})
	}
	lines := columns(rows, 1, 2, 3)
	lines[0] = st.muted.Render(lines[0])
	return block(st, "BY HOUR", lines)
}

func block(st styles, heading string, lines []string) string {
	return lipgloss.JoinVertical(lipgloss.Left, append([]string{st.heading.Render(heading)}, lines...)...)
}
