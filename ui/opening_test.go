package ui

import (
	"errors"
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
