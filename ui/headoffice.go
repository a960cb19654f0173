package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// defaultHeadOfficeEvery is how often the title bar asks how far head
// office is behind.
const defaultHeadOfficeEvery = 5 * time.Second

// headOfficeMsg carries what the point of sale says of head office.
type headOfficeMsg struct{ status pos.HeadOfficeStatus }

// headOfficeCmd asks after head office once the interval has passed; the
// model asks again on each answer, for as long as it runs.
func headOfficeCmd(c Checkout, every time.Duration) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return headOfficeMsg{status: c.HeadOffice()} })
}

// watchHeadOffice starts asking after head office, on kiosks that send
// their ledger there.
func (m Model) watchHeadOffice() tea.Cmd {
	if !m.checkout.HeadOffice().Enabled {
		return nil
	}
	return headOfficeCmd(m.checkout, m.opts.HeadOfficeEvery)
}

func (m Model) headOfficeUpdated(msg headOfficeMsg) (tea.Model, tea.Cmd) {
	m.headOffice = msg.status
	return m, headOfficeCmd(m.checkout, m.opts.HeadOfficeEvery)
}

// headOfficeMarker is the title bar's small note when head office is
// behind; empty otherwise. The till works the same either way.
func (m Model) headOfficeMarker() string {
	if !m.headOffice.Behind || m.headOffice.ToSend == 0 {
		return ""
	}
	return m.styles.muted.Render(fmt.Sprintf("head office: %d to send", m.headOffice.ToSend))
}
