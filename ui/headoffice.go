package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// defaultHeadOfficeEvery is how often the title bar asks how far head
// office is behind.
const defaultHeadOfficeEvery = 5 * time.Second

// headOfficeMsg carries what the point of sale says of head office.
type headOfficeMsg struct{ status pos.HeadOfficeStatus }

// headOfficeDueMsg says it is time to ask after head office again.
type headOfficeDueMsg struct{}

// askHeadOfficeCmd asks the point of sale how far head office is behind.
func askHeadOfficeCmd(c HeadOffice) tea.Cmd {
	return func() tea.Msg { return headOfficeMsg{status: c.HeadOffice()} }
}

// nextHeadOfficeCmd schedules the next question, through Options.After
// like every other timer of the screen; the model asks again on each
// answer, for as long as it runs.
func (m Model) nextHeadOfficeCmd() tea.Cmd {
	return m.opts.After(m.opts.HeadOfficeEvery, headOfficeDueMsg{})
}

// watchHeadOffice starts asking after head office, on kiosks that send
// their ledger there.
func (m Model) watchHeadOffice() tea.Cmd {
	if !m.checkout.HeadOffice().Enabled {
		return nil
	}
	return m.nextHeadOfficeCmd()
}

func (m Model) headOfficeUpdated(msg headOfficeMsg) (tea.Model, tea.Cmd) {
	m.headOffice = msg.status
	return m, m.nextHeadOfficeCmd()
}

// headOfficeMarker is the title bar's small note when head office is
// behind; empty otherwise. The till works the same either way.
func (m Model) headOfficeMarker() string {
	if !m.headOffice.Behind || m.headOffice.ToSend == 0 {
		return ""
	}
	return m.styles.muted.Render(m.say.Sale.HeadOfficeBehind.F(m.headOffice.ToSend))
}
