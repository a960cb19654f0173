package ui

import (
	"errors"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
)

type pinSetStep int

const (
	pinLooking pinSetStep = iota // asking the ledger whether a PIN is set
	pinNone                      // none is set: the kiosk does not set the first
	pinCurrent                   // the current PIN, to change it
	pinNew                       // the new PIN
	pinAgain                     // the new PIN again
	pinSaving                    // writing it
)

// pinSetModel changes the manager PIN: the current one first, then the
// new one twice. The kiosk never sets the first PIN: whoever stands at the
// till would choose the PIN that approves refunds. With none set, the
// screen says how to set one at the machine's command line (kiosk manager
// set-pin) and enter looks again.
type pinSetModel struct {
	step    pinSetStep
	current string
	first   string // the new PIN, as typed the first time
	pin     pinModel
}

// The PIN's async answers.
type (
	pinStateMsg struct {
		set bool
		err error
	}
	pinSavedMsg struct{ err error }
)

func pinStateCmd(c BackOffice) tea.Cmd {
	return func() tea.Msg {
		set, err := c.HasManagerPIN()
		return pinStateMsg{set: set, err: err}
	}
}

func savePINCmd(c BackOffice, current, pin string) tea.Cmd {
	return func() tea.Msg { return pinSavedMsg{err: c.SetManagerPIN(current, pin)} }
}

// openPINSet opens the PIN screen from the ledger.
func (mm managerModel) openPINSet(c common) (managerModel, tea.Cmd) {
	mm.pinSet = pinSetModel{step: pinLooking, pin: newPINModel(c.say)}
	mm.page = pagePIN
	return mm, pinStateCmd(c.office)
}

// askPINSet asks the ledger whether a PIN is set, on the way to a refund's
// or a close's PIN prompt. The PIN is set beside the kiosk (kiosk manager
// set-pin), so the answer is never kept: each prompt asks again.
func askPINSet(c common) tea.Cmd { return pinStateCmd(c.office) }

// pinStated takes the ledger's word on whether a PIN is set. A refund's or
// a close's PIN prompt with none set says so and takes no PIN (stated); one
// that said so takes the PIN once it is set. The PIN screen waiting for it
// asks the current PIN (a change), or says none is set.
func (mm managerModel) pinStated(c common, msg pinStateMsg) managerModel {
	if msg.err != nil {
		if mm.page == pagePIN && mm.pinSet.step == pinLooking {
			mm.pinSet.step, mm.pinSet.pin = pinNone, mm.pinSet.pin.failed(c.say.Explain(msg.err))
		}
		return mm // a prompt asks for the PIN, and the ledger says why it cannot check it
	}
	switch {
	case mm.page == pageRefund && mm.refund.step == refundPIN:
		mm.refund.pin = mm.refund.pin.stated(c.say, msg.set)
	case mm.page == pageReport && mm.report.step == reportPIN:
		mm.report.pin = mm.report.pin.stated(c.say, msg.set)
	case mm.page == pagePIN && mm.pinSet.step == pinLooking && msg.set:
		mm.pinSet.step = pinCurrent
	case mm.page == pagePIN && mm.pinSet.step == pinLooking:
		mm.pinSet.step = pinNone
	}
	return mm
}

func (mm managerModel) pinSetKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	p, k := mm.pinSet, c.keys
	switch {
	case p.step == pinSaving || p.step == pinLooking:
		return mm, nil
	case key.Matches(msg, k.keepPIN):
		return mm.leavePINSet(""), nil
	case p.step == pinNone && key.Matches(msg, k.recheckPIN):
		mm.pinSet = pinSetModel{step: pinLooking, pin: newPINModel(c.say)}
		return mm, pinStateCmd(c.office)
	case p.step == pinNone:
		return mm, nil
	case key.Matches(msg, k.nextPIN):
		return mm.pinEntered(c)
	}
	var cmd tea.Cmd
	mm.pinSet.pin, cmd = p.pin.update(msg)
	return mm, cmd
}

// pinEntered takes the field's PIN and moves on: the current PIN, the new
// one (refused at once if weak), the new one again (refused if it
// differs), then saves.
func (mm managerModel) pinEntered(c common) (managerModel, tea.Cmd) {
	p := &mm.pinSet
	typed := p.pin.value()
	if why := p.pin.checkPIN(); why != "" {
		p.pin.err = why
		return mm, nil
	}
	switch p.step {
	case pinCurrent:
		p.current, p.step, p.pin = typed, pinNew, newPINModel(c.say)
	case pinNew:
		if err := pos.CheckPINShape(typed); err != nil {
			p.pin = p.pin.failed(c.say.Explain(err))
			return mm, nil
		}
		p.first, p.step, p.pin = typed, pinAgain, newPINModel(c.say)
	case pinAgain:
		if typed != p.first {
			p.step, p.pin = pinNew, p.pin.failed(c.say.PIN.Differ)
			return mm, nil
		}
		p.step = pinSaving
		return mm, savePINCmd(c.office, p.current, p.first)
	}
	return mm, nil
}

// pinSaved goes back to the ledger, or asks again: the current PIN when it
// was wrong, the new one when it was refused.
func (mm managerModel) pinSaved(c common, msg pinSavedMsg) managerModel {
	p := &mm.pinSet
	if mm.page != pagePIN || p.step != pinSaving {
		return mm
	}
	switch {
	case msg.err == nil:
		return mm.leavePINSet(c.say.PIN.Changed)
	case errors.Is(msg.err, pos.ErrNoPIN):
		p.step, p.pin = pinNone, newPINModel(c.say)
	case !errorsAsShape(msg.err):
		p.step, p.pin = pinCurrent, p.pin.failed(c.say.Explain(msg.err))
	default:
		p.step, p.pin = pinNew, p.pin.failed(c.say.Explain(msg.err))
	}
	return mm
}

func errorsAsShape(err error) bool { return pos.Classify(err).Kind == pos.KindPINShape }

// leavePINSet returns to the ledger, saying done there.
func (mm managerModel) leavePINSet(done string) managerModel {
	mm.page = pageLedger
	mm.ledger.note = done
	return mm
}

func (p pinSetModel) label(c common) string {
	pw := &c.say.PIN
	switch p.step {
	case pinCurrent:
		return pw.Current
	case pinAgain:
		return pw.Again
	}
	return pw.New
}

func (p pinSetModel) introText(c common) string { return c.say.PIN.ChangeIntro }

// pinSetHelp is the PIN screen's: next or save, and cancel.
func (p pinSetModel) pinSetHelp(k *keyMap) help.KeyMap {
	switch p.step {
	case pinLooking, pinSaving:
		return keyList{}
	case pinNone:
		return keyList{k.recheckPIN, k.keepPIN}
	case pinAgain:
		return keyList{k.savePIN, k.keepPIN}
	}
	return keyList{k.nextPIN, k.keepPIN}
}

func (p pinSetModel) view(c common) string {
	st, pw := c.styles, &c.say.PIN
	title := st.title.Render(pw.Title)
	var body string
	switch p.step {
	case pinLooking:
		body = st.muted.Render(pw.Looking)
	case pinSaving:
		body = st.status.Render(pw.Saving)
	case pinNone:
		body = p.pin.noneView(c)
	default:
		body = lipgloss.JoinVertical(lipgloss.Left,
			wrapIn(st.label, c.width, p.introText(c)), "",
			p.pin.view(c, p.label(c)))
	}
	return lipgloss.JoinVertical(lipgloss.Left, title, "", body, "", c.help(p.pinSetHelp(c.keys)))
}
