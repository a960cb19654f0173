package ui

import (
	"strconv"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
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
	// printed: the report was sent to the printer since it was opened, so
	// the screen says how it went.
	printed bool
	// before is the report of the day before today, read when today's
	// is: offered on the question to close an empty today, while it is
	// open with sales.
	before pos.Report
}

func newReportModel(date, today string) reportModel {
	return reportModel{date: date, today: today}
}

// take accepts a report made for the day on screen and drops the rest.
func (r reportModel) take(say *words.Words, msg tea.Msg) reportModel {
	switch msg := msg.(type) {
	case reportLoadedMsg:
		if msg.date == dayBefore(r.today) && r.date == r.today {
			if msg.err == nil {
				r.before = msg.report
			}
			return r
		}
		if msg.date != r.date || r.step != reportShow {
			return r
		}
		if msg.err != nil {
			r.err = say.Report.Failed.F(say.Explain(msg.err))
			return r
		}
		r.report, r.ready, r.err = msg.report, true, ""
	case dayClosedMsg:
		if msg.date == r.date && r.step == reportClosing {
			return r.closed(say, msg)
		}
	}
	return r
}

// job is the job that prints the report on screen.
func (r reportModel) job(c common) printJob {
	return printJob{kind: printReport, key: r.date, bytes: c.printout.Report(r.report)}
}

// closed shows the Z report; a wrong PIN is asked again.
func (r reportModel) closed(say *words.Words, msg dayClosedMsg) reportModel {
	switch {
	case askPINAgain(msg.err):
		r.step, r.pin = reportPIN, r.pin.failed(say.Explain(msg.err))
	case msg.err != nil:
		r.step, r.notice = reportShow, notice{say.Report.NotClosed.F(say.Explain(msg.err)), noticeBad}
	default:
		r.step, r.report, r.ready, r.offset = reportShow, msg.report, true, 0
		r.notice = notice{say.Report.Closed.F(msg.report.Number), noticeOK}
	}
	return r
}

// dayBefore is the date before date, YYYY-MM-DD; "" when date is not one.
func dayBefore(date string) string {
	t, err := time.Parse(dateLayout, date)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -1).Format(dateLayout)
}

// reportCmds read the day's report, and, for today, the day before's too,
// which closing an empty today offers instead.
func reportCmds(c BackOffice, date, today string) tea.Cmd {
	if date != today {
		return reportCmd(c, date)
	}
	return tea.Batch(reportCmd(c, date), reportCmd(c, dayBefore(today)))
}

// offersDayBefore reports whether the question to close today offers the
// day before instead: today has no sales yet, and the day before has some
// and is not closed — a shop that closes after midnight.
func (r reportModel) offersDayBefore() bool {
	b := r.before
	return r.step == reportConfirm && r.date == r.today && r.report.Totals.Count == 0 &&
		b.Date == dayBefore(r.today) && b.Totals.Count > 0 && b.Kind != pos.ReportZ && b.ZNumber == 0
}

// toDayBefore puts the question to close the day before on screen, its
// report already read.
func (r reportModel) toDayBefore() reportModel {
	return reportModel{date: r.before.Date, today: r.today, report: r.before, ready: true, step: reportConfirm}
}

// confirmText is the question before closing: closing today says that no
// sale can be taken after it, and points to the day before when that is
// the day to close.
func (r reportModel) confirmText(say *words.Words) string {
	rw := &say.Report
	if r.date != r.today {
		return rw.Confirm.F(r.date)
	}
	text := rw.ConfirmToday.F(r.date)
	if r.offersDayBefore() {
		text += "\n\n" + rw.EarlierOpen.F(r.before.Totals.Count, r.before.Date, r.before.Date)
	}
	return text
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
		if key.Matches(msg, c.keys.closeDayBefore) && mm.report.offersDayBefore() {
			mm.report = mm.report.toDayBefore()
			mm.ledger = ledgerModel{date: mm.report.date, today: mm.report.today, loading: true}
			return mm, nil
		}
		was := mm.report.step
		mm.report, cmd = mm.report.closeKey(c, msg)
		if was == reportConfirm && mm.report.step == reportPIN {
			return mm, tea.Batch(cmd, askPINSet(c))
		}
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
		mm.report.notice = notice{c.say.Report.AlreadyClosed, noticeWarn}
	case key.Matches(msg, k.printReport) && r.ready && c.canPrint:
		mm = mm.print(c, r.job(c))
	default:
		_, mm.report.offset = c.scrollPage(r.title(c), r.figures(c), scrollKey(c, msg, r.offset, c.height/2), r.keys(c))
	}
	return mm, nil
}

// closeKey answers the question and then the PIN prompt; esc at either
// leaves the day open.
func (r reportModel) closeKey(c common, msg tea.KeyPressMsg) (reportModel, tea.Cmd) {
	k := c.keys
	switch {
	case r.step == reportConfirm && key.Matches(msg, k.closeYes):
		r.step, r.pin = reportPIN, newPINModel(c.say)
	case r.step == reportConfirm && key.Matches(msg, k.closeNo):
		r.step = reportShow
	case key.Matches(msg, k.keepOpen):
		r.step = reportShow
	case key.Matches(msg, k.closePIN) && r.pin.none:
		return r, askPINSet(c) // set at the command line meanwhile?
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
		return c.styles.title.Render(reportTitle(c.say, r.report))
	}
	return c.styles.title.Render(c.say.Report.Title.F(r.date))
}

// keys is the report's help, with ↑/↓ or without.
func (r reportModel) keys(c common) func(bool) help.KeyMap {
	return func(scrolls bool) help.KeyMap { return r.reportHelp(c.keys, scrolls, c.canPrint) }
}

func (r reportModel) view(c common) string {
	st, rw := c.styles, &c.say.Report
	var body, help string
	switch {
	case r.step == reportConfirm:
		body = wrapIn(st.warning.Bold(true), c.width, r.confirmText(c.say))
		help = c.help(r.reportHelp(c.keys, false, c.canPrint))
	case r.step == reportPIN:
		body = r.pin.view(c, rw.ClosePIN.F(r.date))
		help = c.help(r.reportHelp(c.keys, false, c.canPrint))
	case r.step == reportClosing:
		body = st.status.Render(rw.Closing.F(r.date))
		help = st.help.Render(rw.ClosingWait)
	case r.err != "" || !r.ready:
		body = st.muted.Render(rw.Making)
		if r.err != "" {
			body = wrapIn(st.errorText, c.width, r.err)
		}
		help = c.help(r.reportHelp(c.keys, false, c.canPrint))
	default:
		page, _ := c.scrollPage(r.title(c), r.figures(c), r.offset, r.keys(c))
		return page
	}
	return lipgloss.JoinVertical(lipgloss.Left, r.title(c), "", body, "", help)
}

func reportTitle(say *words.Words, r pos.Report) string {
	switch {
	case r.Kind == pos.ReportZ && r.Copy:
		return say.Report.ZCopy.F(r.Number)
	case r.Kind == pos.ReportZ:
		return say.Report.Z.F(r.Number)
	case r.ZNumber > 0:
		return say.Report.XClosed.F(r.ZNumber)
	}
	return say.Report.XOpen
}

// figures lays the totals beside the breakdowns when the window is wide
// enough, and under them when it is not.
func (r reportModel) figures(c common) string {
	rep, st, rw := r.report, c.styles, &c.say.Report
	left := totalsBlock(c, rep.Totals)
	right := lipgloss.JoinVertical(lipgloss.Left, statusBlock(c, rep), "", hourBlock(c, rep))
	tables := lipgloss.JoinVertical(lipgloss.Left, left, "", right)
	if lipgloss.Width(left)+6+lipgloss.Width(right) <= c.width {
		tables = lipgloss.JoinHorizontal(lipgloss.Top, left, "      ", right)
	}
	parts := []string{wrapIn(st.muted, c.width, reportMeta(c.say, rep))}
	if r.notice.text != "" {
		parts = append(parts, "", r.notice.view(c))
	}
	if n := printNote(c.say, c.printing, printReport, r.date, false, c.keys.printReport.Help().Key); r.printed && n.text != "" {
		parts = append(parts, "", n.view(c))
	}
	parts = append(parts, "", tables, "", methodBlock(c, rep))
	if e := rep.EarlierRefunds; e.Count > 0 {
		parts = append(parts, "", rw.EarlierRefunds.F(e.Count, words.Yuan(e.Fen))+c.say.Punct.FullStop)
	}
	if a := rep.AfterClose; a.Count > 0 {
		parts = append(parts, "", rw.AfterClose.F(a.Count, words.Yuan(a.Fen))+c.say.Punct.FullStop)
	}
	if l := rep.LaterRefunds; rep.Copy && l.Count > 0 {
		parts = append(parts, "", st.warning.Width(c.width).Render(rw.LaterRefunds.F(l.Count, words.Yuan(l.Fen))))
	}
	if u := rep.Unsettled(); u > 0 {
		parts = append(parts, "", wrapIn(st.warning, c.width, rw.Unsettled.F(u)))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func reportMeta(say *words.Words, rep pos.Report) string {
	rw, sep := &say.Report, say.Punct.Parts
	when := rw.MadeAt
	if rep.Kind == pos.ReportZ {
		when = rw.ClosedAt
	}
	s := rw.Date + " " + rep.Date
	if rep.Terminal != "" {
		s += sep + rw.Terminal + " " + rep.Terminal
	}
	return s + sep + when + " " + rep.CreatedAt.Format(time.DateTime)
}

func totalsBlock(c common, t pos.Totals) string {
	return block(c.styles, c.say.Report.Totals, figures.Table{Rows: figures.Totals(c.say, t), Right: []int{1, 2}}.Lines())
}

func statusBlock(c common, rep pos.Report) string {
	rows := figures.ByStatus(c.say, rep)
	if len(rows) == 0 {
		return block(c.styles, c.say.Report.ByStatus, []string{c.say.Report.NoSales})
	}
	return block(c.styles, c.say.Report.ByStatus, figures.Table{Rows: rows, Right: []int{1, 2}}.Lines())
}

// methodBlock splits the day by the way each sale was paid, as kiosk
// ledger report does; a heading line over the figures.
func methodBlock(c common, rep pos.Report) string {
	lines := figures.Table{Rows: figures.ByMethod(c.say, rep), Right: []int{1, 2, 3, 4, 5}}.Lines()
	lines[0] = c.styles.muted.Render(lines[0])
	return block(c.styles, c.say.Report.ByMethod, lines)
}

// hourBlock lists only the hours with sales.
func hourBlock(c common, rep pos.Report) string {
	rw := &c.say.Report
	rows := [][]string{{rw.Hour, rw.Sales, rw.Paid, rw.Refunded}}
	for h, v := range rep.ByHour {
		if v.Count > 0 {
			rows = append(rows, []string{words.HourSpan(h), strconv.Itoa(v.Count), yuan(v.PaidFen), yuan(v.RefundedFen)})
		}
	}
	if len(rows) == 1 {
		return block(c.styles, rw.ByHour, []string{rw.NoSales})
	}
	lines := figures.Table{Rows: rows, Right: []int{1, 2, 3}}.Lines()
	lines[0] = c.styles.muted.Render(lines[0])
	return block(c.styles, rw.ByHour, lines)
}

func block(st *styles, heading string, lines []string) string {
	return lipgloss.JoinVertical(lipgloss.Left, append([]string{st.heading.Render(heading)}, lines...)...)
}
