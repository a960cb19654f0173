package ui

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// sign is a model whose screen says what it was last told, in the
// alternate screen under a window title.
type sign struct{ text string }

type (
	showMsg   string                                   // say this
	onLoopMsg func()                                   // run this inside Update, on the event loop
	stuckMsg  struct{ entered, release chan struct{} } // hang in Update until release
	panicMsg  struct{}                                 // panic in Update
	cmdPanic  struct{}                                 // return a command that panics
	quitMsg   struct{}                                 // quit
)

func (s sign) Init() tea.Cmd { return nil }

func (s sign) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case showMsg:
		s.text = string(msg)
	case onLoopMsg:
		msg()
	case stuckMsg:
		close(msg.entered)
		<-msg.release
	case panicMsg:
		panic("a panic the test makes in Update")
	case cmdPanic:
		return s, tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("a panic the test makes in a command") })
	case quitMsg:
		return s, tea.Quit
	}
	return s, nil
}

func (s sign) View() tea.View {
	v := tea.NewView(s.text)
	v.AltScreen = true
	v.WindowTitle = "Sign"
	return v
}

// tape is an output that keeps what is written to it, and counts the
// writes.
type tape struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (t *tape) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writes++
	return t.buf.Write(b)
}

// text is what was written so far.
func (t *tape) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// count is how many writes were made so far.
func (t *tape) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.writes
}

// startSign runs a sign on out, 40×10, and returns it with a channel
// that gets Run's error.
func startSign(t *testing.T, out *tape) (*Program, <-chan error) {
	t.Helper()
	p := NewProgram(sign{}, out, nil, tea.WithWindowSize(40, 10), tea.WithoutSignalHandler())
	ran := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ran <- err
	}()
	// Bubble Tea sends the size it was given at a moment of its own; out
	// is no terminal, whose size the program would know from the start.
	// Whichever comes first, the other changes nothing.
	p.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
	return p, ran
}

// onLoop is what fn returns, run on p's event loop: after every message
// sent before it has been handled, and before any sent after.
func onLoop[T any](p *Program, fn func() T) T {
	got := make(chan T, 1)
	p.Send(onLoopMsg(func() { got <- fn() }))
	return <-got
}

// TestAChangedViewIsOnTheTerminalBeforeTheNextMessage: the view an Update
// made is written to the terminal before the program handles the next
// message, not at a later frame. Bubble Tea's own renderer would write it
// at its next tick, up to 1/FPS later: the message after it would find
// nothing written.
func TestAChangedViewIsOnTheTerminalBeforeTheNextMessage(t *testing.T) {
	out := &tape{}
	p, ran := startSign(t, out)
	for _, text := range []string{"paid 12.34", "receipt 0001", "next customer"} {
		p.Send(showMsg(text))
		written := onLoop(p, out.text)
		if !strings.Contains(written, text) {
			t.Errorf("once %q was shown, the next message found the terminal without it; written so far: %q", text, written)
		}
	}
	p.Send(quitMsg{})
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
}

// TestAnUnchangedViewWritesNothing: a message after which the view is the
// same as the one on the terminal writes nothing at all.
func TestAnUnchangedViewWritesNothing(t *testing.T) {
	out := &tape{}
	p, ran := startSign(t, out)
	p.Send(showMsg("waiting for the customer"))
	before := onLoop(p, out.count)
	p.Send(showMsg("waiting for the customer"))
	p.Send(tea.KeyPressMsg{Code: 'x', Text: "x"}) // a sign ignores keys
	p.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
	if after := onLoop(p, out.count); after != before {
		t.Errorf("%d writes for views that did not change; want none. All written: %q", after-before, out.text())
	}
	p.Send(showMsg("paid"))
	if changed := onLoop(p, out.count); changed != before+1 {
		t.Errorf("a view that changed took %d writes; want one", changed-before)
	}
	p.Send(quitMsg{})
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
}

// TestTheColourProfileIsHonoured: the program draws colours as the
// profile it is given allows, down to none.
func TestTheColourProfileIsHonoured(t *testing.T) {
	blue := lipgloss.NewStyle().Foreground(lipgloss.ANSIColor(33)).Render("paid")
	for profile, want := range map[colorprofile.Profile]bool{colorprofile.ANSI256: true, colorprofile.Ascii: false} {
		t.Run(profile.String(), func(t *testing.T) {
			out := &tape{}
			p := NewProgram(sign{}, out, nil, tea.WithWindowSize(40, 10), tea.WithColorProfile(profile), tea.WithoutSignalHandler())
			ran := make(chan error, 1)
			go func() {
				_, err := p.Run()
				ran <- err
			}()
			// The profile, like the size, comes as a message at a moment
			// of Bubble Tea's own; sent here too, it has come by the show.
			p.Send(tea.ColorProfileMsg{Profile: profile})
			p.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
			p.Send(showMsg(blue))
			written := onLoop(p, out.text)
			if !strings.Contains(written, "paid") || strings.Contains(written, "38;5;33") != want {
				t.Errorf("with the %s profile the terminal got %q; want the word, in colour 33: %v", profile, written, want)
			}
			p.Send(quitMsg{})
			if err := <-ran; err != nil {
				t.Fatal(err)
			}
		})
	}
}
