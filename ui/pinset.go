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
	pinCurrent                   // the current PIN, to change it
	pinNew                       // the new PIN
	pinAgain                     // the new PIN again
	pinSaving                    // writing it
)

// pinSetModel sets the first manager PIN, entered twice, or changes it,
// the current one first. It returns to the page it came from: the ledger,
// or a refund or a close that needed a PIN, which then asks for it.
type pinSetModel struct {
	step    pinSetStep
	set     bool   // a PIN is set: this is a change
	intro   string // why the manager is here
	current string
	first   string // the new PIN, as typed the first time
	pin     pinModel
	back    page
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

// openPINSet opens the PIN screen from back; intro says why, "" for the
// screen's own words.
func (mm managerModel) openPINSet(c common, back page, intro string) (managerModel, tea.Cmd) {
	mm.pinSet = pinSetModel{step: pinLooking, intro: intro, back: back, pin: newPINModel(c.say)}
	mm.page = pagePIN
	return mm, pinStateCmd(c.office)
}

// askPINSet asks the ledger whether a PIN is set, on the way to a refund's
// or a close's PIN prompt. The PIN can be set beside the kiosk (kiosk
// manager set-pin), so the answer is never kept: each prompt asks again.
func askPINSet(c common) tea.Cmd { return pinStateCmd(c.office) }

// firstPIN opens the PIN screen to set the first PIN on the way to a
// refund or a close (back), the ledger having just said none is set. It
// never asks for a current PIN: a refund does not become a PIN change.
func (mm managerModel) firstPIN(c common, back page, intro string) managerModel {
	mm.pinSet = pinSetModel{step: pinNew, intro: intro, back: back, pin: newPINModel(c.say)}
	mm.page = pagePIN
	return mm
}

// pinStated takes the ledger's word on whether a PIN is set. A refund's or
// a close's PIN prompt waiting for it sets the first PIN if none is; the
// PIN screen waiting for it asks the current PIN (a change) or a new one.
func (mm managerModel) pinStated(c common, msg pinStateMsg) managerModel {
	if msg.err != nil {
		if mm.page == pagePIN && mm.pinSet.step == pinLooking {
			mm.pinSet.step, mm.pinSet.pin = pinNew, mm.pinSet.pin.failed(c.say.Explain(msg.err))
		}
		return mm // a prompt asks for the PIN, and the ledger says why it cannot check it
	}
	switch {
	case msg.set:
	case mm.page == pageRefund && mm.refund.step == refundPIN:
		return mm.firstPIN(c, pageRefund, c.say.PIN.NeedToRefund)
	case mm.page == pageReport && mm.report.step == reportPIN:
		return mm.firstPIN(c, pageReport, c.say.PIN.NeedToClose)
	}
	if mm.page == pagePIN && mm.pinSet.step == pinLooking {
		mm.pinSet.set, mm.pinSet.step = msg.set, pinNew
		if msg.set {
			mm.pinSet.step = pinCurrent
		}
	}
	return mm
}

func (mm managerModel) pinSetKey(c common, msg tea.KeyPressMsg) (managerModel, tea.Cmd) {
	p, k := mm.pinSet, c.keys
	switch {
	case p.step == pinSaving || p.step == pinLooking:
		return mm, nil
	case key.Matches(msg, k.keepPIN):
		return mm.leavePINSet(c, ""), nil
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

// pinSaved goes back where the manager came from, or asks again: the
// current PIN when it was wrong, the new one when it was refused.
func (mm managerModel) pinSaved(c common, msg pinSavedMsg) managerModel {
	p := &mm.pinSet
	if mm.page != pagePIN || p.step != pinSaving {
		return mm
	}
	switch {
	case msg.err == nil:
		done := c.say.PIN.Set
		if p.set {
			done = c.say.PIN.Changed
		}
		return mm.leavePINSet(c, done)
	case p.back != pageLedger && errors.Is(msg.err, pos.ErrPINSet):
		// A PIN was set beside the kiosk meanwhile: the refund or the
		// close asks for it.
		mm = mm.leavePINSet(c, c.say.PIN.Set)
		mm.refund.pin.note, mm.report.pin.note = c.say.PIN.SetMeanwhile, c.say.PIN.SetMeanwhile
		return mm
	case errors.Is(msg.err, pos.ErrPINSet):
		// Set beside the kiosk while the first one was chosen: this is now
		// a change, which needs that PIN first.
		p.set, p.step, p.pin = true, pinCurrent, newPINModel(c.say)
		p.pin.note = c.say.PIN.SetMeanwhile
	case p.set && !errorsAsShape(msg.err):
		p.step, p.pin = pinCurrent, p.pin.failed(c.say.Explain(msg.err))
	default:
		p.step, p.pin = pinNew, p.pin.failed(c.say.Explain(msg.err))
	}
	return mm
}

func errorsAsShape(err error) bool { return pos.Classify(err).Kind == pos.KindPINShape }

// leavePINSet returns to the page the PIN screen came from. A refund or a
// close that needed the PIN asks for it now if one was set (done), and
// otherwise goes back a step, since no PIN was set.
func (mm managerModel) leavePINSet(c common, done string) managerModel {
	mm.page = mm.pinSet.back
	switch mm.page {
	case pageRefund:
		if done == "" {
			mm.refund.step = refundForm
		} else {
			mm.refund.pin = newPINModel(c.say)
			mm.refund.pin.note = c.say.PIN.TypeItNow
		}
	case pageReport:
		if done == "" {
			mm.report.step = reportShow
		} else {
			mm.report.pin = newPINModel(c.say)
			mm.report.pin.note = c.say.PIN.TypeItNow
		}
	default:
		mm.ledger.note = done
	}
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

func (p pinSetModel) introText(c common) string {
	switch {
	case p.intro != "":
		return p.intro
	case p.set:
		return c.say.PIN.ChangeIntro
	}
	return c.say.PIN.FirstIntro
}

// pinSetHelp is the PIN screen's: next or save, and cancel.
func (p pinSetModel) pinSetHelp(k keyMap) help.KeyMap {
	switch p.step {
	case pinLooking, pinSaving:
		return keyList{}
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
	default:
		body = lipgloss.JoinVertical(lipgloss.Left,
			wrapIn(st.label, c.width, p.introText(c)), "",
			p.pin.view(c, p.label(c)))
	}
	return lipgloss.JoinVertical(lipgloss.Left, title, "", body, "", c.help(p.pinSetHelp(c.keys)))
}
