package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/words"
)

// common is what the manager's screens share with the root model.
type common struct {
	office BackOffice
	say    *words.Words
	styles *styles
	keys   *keyMap
	loc    *time.Location // receipt times
	width  int            // columns inside the app's padding
	height int            // lines below the header

	printout Printout   // how jobs are laid out
	canPrint bool       // there is a printer
	printing printState // the last job sent to it
}

func (m Model) common() common {
	return common{
		office: m.checkout,
		say:    m.say,
		styles: m.styles,
		keys:   m.keys,
		loc:    m.opts.Location,
		width:  max(m.width-2, 20),
		height: max(m.height-lipgloss.Height(m.header())-1, 8),

		printout: m.printout(),
		canPrint: m.opts.Printer != nil,
		printing: m.printing,
	}
}

// page is one of the manager's screens.
type page int

const (
	pageLedger  page = iota // one day's sales
	pageDetail              // one sale
	pageReprint             // its receipt again, marked DUPLICATE
	pageRefund              // the refund form and the PIN
	pageReport              // the day's X or Z report
	pagePIN                 // set or change the manager PIN
	pageClosed              // back to the sale screen
)

// managerModel is the manager's back office: the ledger by day, a sale's
// details, reprints, refunds and the day's reports.
type managerModel struct {
	page    page
	ledger  ledgerModel
	detail  detailModel
	reprint pos.Receipt
	refund  refundModel
	report  reportModel
	pinSet  pinSetModel
	// toPrint is a job for the root model to send to the printer.
	toPrint *printJob
}

// printJob asks the root model to print job, when there is a printer.
// The screen that asked says how the job went, until it is left: a note
// belongs to the print that made it, not to the next opening of the screen.
func (mm managerModel) print(c common, job printJob) managerModel {
	if c.canPrint {
		mm.toPrint = &job
		switch job.kind {
		case printRefund:
			mm.detail.printed = true
		case printReport:
			mm.report.printed = true
		}
	}
	return mm
}

// The manager's async results. Each carries the date or the order number
// it is for; one that no longer matches the screen is dropped.
type (
	dayLoadedMsg struct {
		date string
		day  pos.Day
		err  error
		// report is the day's report: its Z report once the day is
		// closed, with the refunds made since. Zero if it could not be read.
		report pos.Report
	}
	reprintedMsg struct {
		id      string
		receipt pos.Receipt
		err     error
	}
	refundedMsg struct {
		id   string
		fen  int64
		sale pos.SaleRecord
		err  error
		// closedZ is the number of today's Z report when the refund was
		// made after today closed: it counts in the next report.
		closedZ int
	}
	// refundDayMsg says, as a refund is prepared, whether today is
	// closed: closedZ is its Z report's number, 0 while it is open.
	refundDayMsg struct {
		id      string
		closedZ int
	}
	reportLoadedMsg struct {
		date   string
		report pos.Report
		err    error
	}
	dayClosedMsg struct {
		date   string
		report pos.Report
		err    error
	}
)

func dayCmd(c BackOffice, date string) tea.Cmd {
	return func() tea.Msg {
		day, err := c.Day(date)
		msg := dayLoadedMsg{date: date, day: day, err: err}
		if rep, rerr := c.Report(date); err == nil && rerr == nil {
			msg.report = rep // whether the day is closed; without it, the sales still show
		}
		return msg
	}
}

func reprintCmd(c BackOffice, id string) tea.Cmd {
	return func() tea.Msg {
		r, err := c.Reprint(id)
		return reprintedMsg{id: id, receipt: r, err: err}
	}
}

func refundCmd(c BackOffice, o pos.RefundOrder) tea.Cmd {
	return func() tea.Msg {
		sale, err := c.Refund(context.Background(), o)
		msg := refundedMsg{id: o.OutTradeNo, fen: o.Fen, sale: sale, err: err}
		if rep, rerr := c.Report(c.Today()); err == nil && rerr == nil && rep.Kind == pos.ReportZ {
			msg.closedZ = rep.Number // today's Z report cannot hold it
		}
		return msg
	}
}

// refundDayCmd asks whether today is closed, for the refund of id: a
// refund made after today's Z report counts in the next one, which the
// manager is told before it is made.
func refundDayCmd(c BackOffice, id string) tea.Cmd {
	return func() tea.Msg {
		msg := refundDayMsg{id: id}
		if rep, err := c.Report(c.Today()); err == nil && rep.Kind == pos.ReportZ {
			msg.closedZ = rep.Number
		}
		return msg
	}
}

func reportCmd(c BackOffice, date string) tea.Cmd {
	return func() tea.Msg {
		r, err := c.Report(date)
		return reportLoadedMsg{date: date, report: r, err: err}
	}
}

func closeDayCmd(c BackOffice, date, pin string) tea.Cmd {
	return func() tea.Msg {
		r, err := c.CloseDay(date, pin)
		return dayClosedMsg{date: date, report: r, err: err}
	}
}

// openLedger leaves the sale screen for today's ledger. It is reachable
// only from the entry screen, so no sale is in progress.
func (m Model) openLedger() (tea.Model, tea.Cmd) {
	today := m.checkout.Today()
	m.state = stateManager
	m.manager = &managerModel{page: pageLedger, ledger: newLedgerModel(today)}
	return m, dayCmd(m.checkout, today)
}

// noScreens is the manager's screens before any is opened: what a nil
// Model.manager reads as. Never written.
var noScreens managerModel

// screens is the manager's screens as they stand, to read: noScreens
// when none is open. Nothing may write through it (see Model.manager).
func (m Model) screens() *managerModel {
	if m.manager == nil {
		return &noScreens
	}
	return m.manager
}

// updateManager runs the manager's screens. Their new state is a new
// managerModel, never written through m.manager, which older copies of
// the model share.
func (m Model) updateManager(msg tea.Msg) (tea.Model, tea.Cmd) {
	mm, cmd := m.screens().update(m.common(), msg)
	job := mm.toPrint
	mm.toPrint = nil
	m.manager = &mm
	if closed, ok := msg.(dayClosedMsg); ok && closed.err == nil {
		m.noteClosed(closed.report)
	}
	if job != nil {
		var printing tea.Cmd
		m, printing = m.print(*job)
		cmd = tea.Batch(cmd, printing)
	}
	if m.quitting && !mm.busy() {
		return m, tea.Quit
	}
	if mm.page == pageClosed {
		m.state = stateEntry
		m.manager = nil
		m.entry = m.entry.reset()
	}
	if r, ok := msg.(refundedMsg); ok && errors.Is(r.err, pos.ErrRefundPending) {
		// Alipay has not confirmed the refund: send it again in the
		// background until it does.
		var retry tea.Cmd
		m, retry = m.scheduleReconcile()
		return m, tea.Batch(cmd, retry)
	}
	return m, cmd
}

// busy reports whether a refund or a closing is waiting for its answer,
// which the kiosk waits for before it quits, so the manager sees it; a
// nil mm (the manager's screens are closed) waits for nothing.
func (mm *managerModel) busy() bool {
	return mm != nil && (mm.page == pageRefund && mm.refund.step == refundSending ||
		mm.page == pageReport && mm.report.step == reportClosing ||
		mm.page == pagePIN && mm.pinSet.step == pinSaving)
}

// update routes async results by their kind and keys by the screen.
func (mm managerModel) update(c common, msg tea.Msg) (managerModel, tea.Cmd) {
	switch msg := msg.(type) {
	case dayLoadedMsg:
		return mm.dayLoaded(c.say, msg), nil
	case reprintedMsg:
		return mm.reprinted(c, msg), nil
	case refundedMsg:
		return mm.refunded(c, msg)
	case refundDayMsg:
		if mm.page == pageRefund && msg.id == mm.refund.sale.OutTradeNo {
			mm.refund.closedZ = msg.closedZ
		}
		return mm, nil
	case pinStateMsg:
		return mm.pinStated(c, msg), nil
	case pinSavedMsg:
		return mm.pinSaved(c, msg), nil
	case reportLoadedMsg, dayClosedMsg:
		if mm.page != pageReport {
			return mm, nil
		}
		closing := mm.report.step == reportClosing
		mm.report = mm.report.take(c.say, msg)
		if closing && mm.report.ready && mm.report.report.Kind == pos.ReportZ {
			// The day is closed and its Z report stored: it prints.
			mm = mm.print(c, mm.report.job(c))
		}
		return mm, nil
	case tea.KeyPressMsg:
		return mm.key(c, msg)
	case tea.PasteMsg:
		return mm.paste(c, msg)
	}
	return mm, nil
}

func (mm managerModel) key(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	switch mm.page {
	case pageLedger:
		return mm.ledgerKey(c, msg)
	case pageDetail:
		return mm.detailKey(c, msg)
	case pageReprint:
		if key.Matches(msg, c.keys.reprint) && c.printing.of(printReceipt, mm.reprint.OutTradeNo, mm.reprint.Duplicate) && c.printing.failed() {
			return mm.print(c, c.printout.job(mm.reprint)), nil
		}
		mm.page = pageDetail // any other key
		return mm, nil
	case pageRefund:
		return mm.refundKey(c, msg)
	case pageReport:
		return mm.reportKey(c, msg)
	case pagePIN:
		return mm.pinSetKey(c, msg)
	}
	return mm, nil
}

// paste reaches only the screens with a field.
func (mm managerModel) paste(c common, msg tea.PasteMsg) (managerModel, tea.Cmd) {
	var cmd tea.Cmd
	switch mm.page {
	case pageRefund:
		mm.refund, cmd = mm.refund.input(c.keys, msg)
	case pageReport:
		mm.report, cmd = mm.report.input(msg)
	case pagePIN:
		mm.pinSet.pin, cmd = mm.pinSet.pin.update(msg)
	}
	return mm, cmd
}

func (mm managerModel) view(c common) string {
	switch mm.page {
	case pageDetail:
		return mm.detail.view(c)
	case pageReprint:
		parts := []string{receiptBlock(c.say, c.styles, c.loc, mm.reprint, c.width), ""}
		if n := printNote(c.say, c.printing, printReceipt, mm.reprint.OutTradeNo, mm.reprint.Duplicate, c.keys.reprint.Help().Key); n.text != "" {
			parts = append(parts, n.view(c), "")
		}
		failed := c.printing.of(printReceipt, mm.reprint.OutTradeNo, mm.reprint.Duplicate) && c.printing.failed()
		return lipgloss.JoinVertical(lipgloss.Left, append(parts, c.help(reprintHelp(c.keys, failed, mm.reprint.Late)))...)
	case pageRefund:
		return mm.refund.view(c)
	case pageReport:
		return mm.report.view(c)
	case pagePIN:
		return mm.pinSet.view(c)
	}
	return mm.ledger.view(c)
}

// help draws a screen's help line, wrapped between keys rather than run
// off a narrow window.
func (c common) help(km help.KeyMap) string { return helpView(c.styles, c.width, km) }

// scrollPage draws a title, the part of body from offset that fits, and
// the help line keys makes: keys(true) offers ↑/↓, and is used only when
// the body does not all fit. It returns the offset it used.
func (c common) scrollPage(title, body string, offset int, keys func(scrolls bool) help.KeyMap) (string, int) {
	help := c.help(keys(false))
	rows := c.height - lipgloss.Height(title) - 2 - lipgloss.Height(help)
	if lipgloss.Height(body) > rows {
		help = c.help(keys(true))
		rows = c.height - lipgloss.Height(title) - 2 - lipgloss.Height(help)
	}
	body, offset = c.scrollView(body, offset, max(rows, 3))
	return lipgloss.JoinVertical(lipgloss.Left, title, "", body, "", help), offset
}

// fit cuts a line to the window's width.
func (c common) fit(s string) string { return ansi.Truncate(s, c.width, "…") }

// yuan formats fen as "¥12.34".
func yuan(fen int64) string { return words.Yuan(fen).String() }

// scrollView shows the lines of body from offset that fit in rows, with a
// line saying where the view is when it does not all fit. It returns the
// offset it used, kept within the body.
func (c common) scrollView(body string, offset, rows int) (string, int) {
	lines := strings.Split(body, "\n")
	if len(lines) <= rows {
		return body, 0
	}
	rows = max(rows-1, 1)
	offset = min(max(offset, 0), len(lines)-rows)
	end := offset + rows
	where := c.styles.muted.Render(c.say.Ledger.Scroll.F(offset+1, end, len(lines)))
	return strings.Join(lines[offset:end], "\n") + "\n" + where, offset
}
