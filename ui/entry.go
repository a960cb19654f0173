package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

const fieldWidth = 28

// entryModel is the sale screen: the amount, an optional subject, and the
// message that explains a rejected amount. Its two text fields make it
// 16 KB, so the root model holds it by pointer, copied on write: each
// method that changes it works on a copy and returns a pointer to that
// copy, never writing through the one it was called on, which older
// copies of the root model may share.
type entryModel struct {
	amount  textinput.Model
	subject textinput.Model
	err     string
}

func newEntryModel(defaultSubject string) *entryModel {
	amount := newField("0.00")
	amount.Focus()
	subject := newField(defaultSubject)
	subject.CharLimit = 128
	return &entryModel{amount: amount, subject: subject}
}

func newField(placeholder string) textinput.Model {
	f := textinput.New()
	f.Prompt = ""
	f.Placeholder = placeholder
	f.SetWidth(fieldWidth)
	s := f.Styles()
	s.Cursor.Blink = false // a steady cursor: nothing moves on an idle till
	f.SetStyles(s)
	return f
}

// reset clears the amount and the subject for the next customer.
func (e entryModel) reset() *entryModel {
	e.amount.Reset()
	e.subject.Reset()
	e.err = ""
	e.subject.Blur()
	e.amount.Focus()
	return &e
}

func (e entryModel) toggleFocus() *entryModel {
	if e.amount.Focused() {
		e.amount.Blur()
		e.subject.Focus()
	} else {
		e.subject.Blur()
		e.amount.Focus()
	}
	return &e
}

// withErr is e saying err under the amount: e itself when it says err
// already, so that clearing an error that is not there copies nothing.
func (e *entryModel) withErr(err string) *entryModel {
	if e.err == err {
		return e
	}
	next := *e
	next.err = err
	return &next
}

// focused is the field that takes the keys.
func (e entryModel) focused() textinput.Model {
	if e.amount.Focused() {
		return e.amount
	}
	return e.subject
}

// setFocused puts v in the field that takes the keys.
func (e entryModel) setFocused(v string) *entryModel {
	if e.amount.Focused() {
		e.amount.SetValue(v)
	} else {
		e.subject.SetValue(v)
	}
	return &e
}

func (e entryModel) update(msg tea.Msg) (*entryModel, tea.Cmd) {
	var cmd tea.Cmd
	if e.amount.Focused() {
		before := e.amount.Value()
		e.amount, cmd = e.amount.Update(msg)
		if e.amount.Value() != before {
			e.err = ""
		}
		return &e, cmd
	}
	e.subject, cmd = e.subject.Update(msg)
	return &e, cmd
}

// view draws the entry screen in a window width cells wide; a long error
// (why the last sale did not start) wraps rather than run off the screen.
func (e entryModel) view(say *words.Words, st *styles, keys *keyMap, method pos.PayMethod, canSimulate bool, width int) string {
	preview := screenAmount(st.muted, 0, max(width-2, 1))
	if fen, err := pos.ParseAmount(e.amount.Value()); err == nil {
		preview = screenAmount(st.amount, fen, max(width-2, 1))
	}
	errLine := " "
	if e.err != "" {
		errLine = st.errorText.Render(wrapText(e.err, max(width-2, 30)))
	}
	with := say.Sale.WithQR
	if method == pos.PayByCode {
		with = say.Sale.WithCode
	}
	parts := []string{
		preview,
		"",
		st.label.Render(say.Sale.AmountLabel),
		fieldBox(st, e.amount),
		errLine,
		st.label.Render(say.Sale.SubjectLabel) + st.muted.Render(say.Sale.Optional),
		fieldBox(st, e.subject),
		st.label.Render(wrapText(say.Sale.PaysWith.F(with), max(width-2, 20))),
		"",
		helpView(st, width-2, entryHelp(keys)),
	}
	if canSimulate {
		hint := say.Sale.EmulatorHint
		if method == pos.PayByCode {
			hint = say.Sale.EmulatorHintCode // the customer shows a code: there is no QR screen
		}
		parts = append(parts, st.muted.Render(wrapText(hint, max(width-2, 30))))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func fieldBox(st *styles, f textinput.Model) string {
	box := st.input
	if f.Focused() {
		box = st.inputFocus
	}
	// bubbles' textinput fills the rest of a placeholder of wide characters
	// (a Chinese shop's name) with NUL runes: drop them, so the padding it
	// measured in cells lines the box up.
	return box.Width(fieldWidth + 4).Render(strings.ReplaceAll(f.View(), "\x00", ""))
}
