package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// maxPINLength bounds what the PIN field takes; the ledger decides what a
// valid PIN is.
const maxPINLength = 12

// pinModel is the manager's PIN prompt: digits only, never shown.
type pinModel struct {
	field textinput.Model
	err   string
	note  string // a word of guidance where no failure is shown
	say   *words.Words
	// none: the ledger said no manager PIN is set. The prompt takes no
	// PIN, says how to set one at the command line, and enter looks again.
	none bool
}

func newPINModel(say *words.Words) pinModel {
	f := newField("")
	f.EchoMode = textinput.EchoPassword
	f.EchoCharacter = '•'
	f.CharLimit = maxPINLength
	f.Focus()
	return pinModel{field: f, say: say}
}

// failed clears the PIN for another try and says why the last one failed.
func (p pinModel) failed(why string) pinModel {
	p = newPINModel(p.say)
	p.err = why
	return p
}

func (p pinModel) value() string { return p.field.Value() }

// stated takes the ledger's word on whether a PIN is set: with none, the
// prompt says so and takes none; one that said so, now that a PIN is set,
// asks for it.
func (p pinModel) stated(say *words.Words, set bool) pinModel {
	switch {
	case !set:
		p = newPINModel(say)
		p.none = true
		p.field.Blur()
	case p.none:
		p = newPINModel(say)
		p.note = say.PIN.TypeItNow
	}
	return p
}

// noneView says that no PIN is set and how to set one, or why the ledger
// could not say.
func (p pinModel) noneView(c common) string {
	if p.err != "" {
		return wrapIn(c.styles.errorText, c.width, p.err)
	}
	return wrapIn(c.styles.warning, c.width, c.say.Problem.NoPIN)
}

func (p pinModel) update(msg tea.Msg) (pinModel, tea.Cmd) {
	if p.none {
		return p, nil // no PIN to type
	}
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		if m.Text != "" && !isDigits(m.Text) {
			p.err = p.say.Refund.PINDigitsOnly
			return p, nil
		}
	case tea.PasteMsg:
		msg = tea.PasteMsg{Content: strings.Map(keepDigit, m.Content)}
	}
	var cmd tea.Cmd
	p.field, cmd = p.field.Update(msg)
	if _, ok := msg.(tea.KeyPressMsg); ok {
		p.err = ""
	}
	return p, cmd
}

func isDigits(s string) bool { return strings.IndexFunc(s, notDigit) < 0 }

func notDigit(r rune) bool { return r < '0' || r > '9' }

func keepDigit(r rune) rune {
	if notDigit(r) {
		return -1
	}
	return r
}

// view draws the prompt under label, with the last failure beneath; with
// no PIN set, how to set one instead.
func (p pinModel) view(c common, label string) string {
	if p.none {
		return p.noneView(c)
	}
	errLine := " "
	switch {
	case p.err != "":
		errLine = wrapIn(c.styles.errorText, c.width, p.err)
	case p.note != "":
		errLine = wrapIn(c.styles.paid, c.width, p.note)
	}
	return lipgloss.JoinVertical(lipgloss.Left,
		c.styles.label.Render(label),
		fieldBox(c.styles, p.field),
		errLine)
}

// checkPIN is the sentence for a PIN not typed, or "" when there is one.
func (p pinModel) checkPIN() string {
	if p.value() == "" {
		return p.say.Refund.PINMissing
	}
	return ""
}

// askPINAgain reports whether err is a wrong PIN that leaves tries: the
// form asks for the PIN again, since nothing was done.
func askPINAgain(err error) bool {
	var pe *pos.PINError
	return errors.As(err, &pe) && pe.Wrong && !pe.Locked
}
