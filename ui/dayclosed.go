package ui

import (
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// todayReadMsg is today's report as the till opens: closed or not.
type todayReadMsg struct {
	report pos.Report
	err    error
}

// todayCmd reads today's report, to know whether today is closed before
// the cashier types the first amount.
func todayCmd(c BackOffice) tea.Cmd {
	return func() tea.Msg {
		r, err := c.Report(c.Today())
		return todayReadMsg{report: r, err: err}
	}
}

// todayRead remembers today's close, if it has one; a ledger that cannot
// be read says so when a sale starts.
func (m Model) todayRead(msg todayReadMsg) (tea.Model, tea.Cmd) {
	if msg.err == nil {
		m.noteClosed(msg.report)
	}
	return m, nil
}

// noteClosed remembers the day a Z report closed.
func (m *Model) noteClosed(r pos.Report) {
	if r.Kind == pos.ReportZ && r.Date != "" {
		m.dayClosed = &pos.DayClosedError{Date: r.Date, ZNumber: r.Number, ClosedAt: r.CreatedAt}
	}
}

// noteRefused remembers the closed day a sale was refused for.
func (m *Model) noteRefused(err error) {
	if dc := (*pos.DayClosedError)(nil); errors.As(err, &dc) {
		m.dayClosed = dc
	}
}

// refusal is what the sale screens say under the field of a sale refused
// for err: nothing when it was refused for today's close, which the top of
// the screen says from then on (closedTodayLine), so as not to say it twice.
func (m *Model) refusal(err error) string {
	m.noteRefused(err)
	if dc := (*pos.DayClosedError)(nil); errors.As(err, &dc) && m.closedTodayLine() != "" {
		return ""
	}
	return m.say.Explain(err)
}

// closedToday is today's close, when the kiosk knows today is closed.
func (m Model) closedToday() *pos.DayClosedError {
	if dc := m.dayClosed; dc != nil && dc.Date == m.checkout.Today() {
		return dc
	}
	return nil
}

// closedTodayLine says, on the sale screens, that today is closed and no
// sale can be taken until midnight; "" on any other day, so it goes at
// midnight by itself.
func (m Model) closedTodayLine() string {
	dc := m.dayClosed
	if dc == nil || (m.state != stateEntry && m.state != stateScanning) || dc.Date != m.checkout.Today() {
		return ""
	}
	text := m.say.Problem.DayClosed.F(dc.Date, dc.ClosedAt.Format(time.TimeOnly), dc.ZNumber)
	return wrapIn(m.styles.warning.Bold(true), max(m.width-2, 20), "! "+text)
}
