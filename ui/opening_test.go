package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/ui/words"
)

// The first frame does not wait for the counter: the screen says the kiosk
// is starting while the counter is not open (here: not even built). What
// came meanwhile (the terminal's size, a key) reaches the counter's model
// once it is open, after its Init, and then it is the counter's screen.
func TestTheScreenStartsBeforeTheCounterIsOpen(t *testing.T) {
	tm := teatest.NewTestModel(t, newOpening(Opening{ShopName: "Corner Shop"}),
		teatest.WithInitialTermSize(100, 32),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), contains("Alipay counter · Corner Shop Starting…"), teatest.WithDuration(5*time.Second))
	tm.Send(press("7")) // held: the sale screen is not there yet
	f := newFakeCheckout()
	tm.Send(openedMsg{model: New(f, Options{ShopName: "Corner Shop", Location: time.UTC})})
	teatest.WaitFor(t, tm.Output(), contains("Amount (yuan)"), teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	o := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(openingModel)
	m, ok := o.model.(Model)
	if !ok {
		t.Fatalf("after the counter opened the screen is %T; want the counter's Model", o.model)
	}
	if m.width != 100 || m.height != 32 {
		t.Errorf("the counter's model has %d×%d; want the terminal's 100×32, sent before it was open", m.width, m.height)
	}
	if f.called("recover") != 1 {
		t.Errorf("Recover called %d times; want once, by the counter's Init", f.called("recover"))
	}
	if got := m.entry.amount.Value(); got != "" {
		t.Errorf("a key typed while starting reached the amount as %q; want it dropped, as while sales are settled", got)
	}
}

// A counter that cannot open ends the program with nothing of its own on
// the screen: the reason is said on the command line.
func TestACounterThatCannotOpenEndsTheScreen(t *testing.T) {
	var o tea.Model = newOpening(Opening{Words: words.Chinese})
	if v := o.View(); !v.AltScreen || ansi.Strip(v.Content) == "" {
		t.Fatalf("while opening the view is %+v; want the starting screen in the alternate screen", v)
	}
	o, cmd := o.Update(openedMsg{err: errors.New("ledger in use")})
	if cmd == nil || cmd() != tea.Quit() {
		t.Errorf("after a failed open the command is %v; want tea.Quit", cmd)
	}
	if v := o.View(); v.AltScreen || v.Content != "" {
		t.Errorf("after a failed open the view is %+v; want none", v)
	}
}

// The first frame already needs go-runewidth's lazy table, in English and
// in Chinese, and warmWidths builds it: its character is one the table
// holds (above U+02FF), not one of those init fills.
func TestTheFirstFrameNeedsTheWidthTableWarmWidthsBuilds(t *testing.T) {
	above := func(s string) bool {
		for _, r := range s {
			if r > 0x2FF {
				return true
			}
		}
		return false
	}
	if !above(lutBuilder) {
		t.Errorf("warmWidths measures %q, which go-runewidth answers without its table", lutBuilder)
	}
	for _, w := range []*words.Words{words.English, words.Chinese} {
		if v := newOpening(Opening{Words: w}).View(); !above(ansi.Strip(v.Content)) {
			t.Errorf("the %s starting screen has no character above U+02FF: then it would not need the table", w.Lang.Tag)
		}
	}
}

// sentMsgs is a program that keeps what it is sent.
type sentMsgs chan tea.Msg

func (s sentMsgs) Send(msg tea.Msg) { s <- msg }

// openBeside hands the program what open opened, or why it could not, and
// tells its caller once open has returned; a panic in open is kept for the
// caller to raise once the terminal is restored, and ends the program.
func TestOpenBesideSendsWhatOpenDid(t *testing.T) {
	f := newFakeCheckout()
	refused := errors.New("ledger in use")
	for name, open := range map[string]func() (Model, error){
		"opened":  func() (Model, error) { return New(f, Options{}), nil },
		"refused": func() (Model, error) { return Model{}, refused },
		"panic":   func() (Model, error) { panic("no ledger") },
	} {
		t.Run(name, func(t *testing.T) {
			sent := make(sentMsgs, 1)
			var panicked any
			err := <-openBeside(sent, open, &panicked)
			msg := (<-sent).(openedMsg)
			switch name {
			case "opened":
				if err != nil || msg.err != nil || msg.model.checkout != f {
					t.Errorf("got %v and %+v; want the counter's model, no error", err, msg)
				}
			case "refused":
				if err != refused || msg.err != refused {
					t.Errorf("got %v and %v; want open's error twice", err, msg.err)
				}
			case "panic":
				if err == nil || msg.err == nil || panicked == nil || !strings.Contains(panicked.(string), "no ledger") {
					t.Errorf("got %v, %v and panic %v; want errors and the panic kept", err, msg.err, panicked)
				}
			}
		})
	}
}
