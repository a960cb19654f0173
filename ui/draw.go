package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// Program is a Bubble Tea program that draws each new view on its
// terminal as soon as Update has made it, on the event loop, before the
// next message is handled. Bubble Tea v2.1.1's own renderer draws only
// at the ticks of its frame clock, up to 1/FPS later, and has no public
// way to draw at once; so the program runs without it
// (tea.WithoutRenderer) and does here, with ultraviolet's
// TerminalRenderer that renderer is built on, what the kiosk needs of it:
// the terminal in raw mode, the alternate screen, the hidden cursor, the
// window's title, bracketed paste, resizes, the colour profile, and the
// terminal put back as it was on every way out (a quit, Kill, a panic).
type Program struct {
	*tea.Program
	screen *terminalScreen
}

// NewProgram is the program that shows m on out as the kiosk does, its
// keys read from keys (nil: none), with opts added. When keys is a
// terminal it is in raw mode while the program runs; when out is one, the
// program follows its size.
func NewProgram(m tea.Model, out io.Writer, keys io.Reader, opts ...tea.ProgramOption) *Program {
	s := newScreen(out, keys, os.Environ())
	own := []tea.ProgramOption{
		tea.WithFPS(FPS), tea.WithoutRenderer(), tea.WithInput(keys),
		// Bubble Tea still writes the program's queries (the background
		// colour's): through the screen, so that no write splits a frame.
		tea.WithOutput(screenWriter{s}),
		// It would detect the profile of screenWriter, no terminal.
		tea.WithColorProfile(s.profile),
	}
	if s.width > 0 && s.height > 0 {
		own = append(own, tea.WithWindowSize(s.width, s.height))
	}
	p := tea.NewProgram(drawing{Model: m, s: s}, append(own, opts...)...)
	return &Program{Program: p, screen: s}
}

// Run runs the program until it ends, with the terminal set up for it
// meanwhile and put back afterwards, and returns its model's last value.
func (p *Program) Run() (tea.Model, error) {
	if err := p.screen.open(p.Program); err != nil {
		return nil, err
	}
	defer p.screen.restore()
	final, err := p.Program.Run()
	if d, ok := final.(drawing); ok {
		final = d.Model
	}
	return final, err
}

// Kill stops the program at once, as tea.Program's Kill does, and puts
// the terminal back even if the model is stuck in an Update.
func (p *Program) Kill() {
	p.Program.Kill()
	p.screen.restore()
}

// drawing is the model m of a Program: each of its views is drawn as soon
// as it is made.
type drawing struct {
	tea.Model
	s    *terminalScreen
	view *tea.View // the view drawn after the last Update; nil before one
}

func (d drawing) Init() tea.Cmd {
	defer d.s.restoreOnPanic()
	cmd := d.Model.Init()
	d.s.draw(d.Model.View())
	return d.s.guard(cmd)
}

func (d drawing) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer d.s.restoreOnPanic()
	d.s.take(msg)
	m, cmd := d.Model.Update(msg)
	v := m.View()
	d.s.draw(v)
	return drawing{Model: m, s: d.s, view: &v}, d.s.guard(cmd)
}

// View is the view already drawn: Bubble Tea asks for it after each
// Update, and the model's View need not run twice.
func (d drawing) View() tea.View {
	if d.view != nil {
		return *d.view
	}
	defer d.s.restoreOnPanic()
	return d.Model.View()
}

// terminalScreen is the terminal a Program draws on, and what it has drawn there.
// Its methods may be called from any goroutine.
type terminalScreen struct {
	mu      sync.Mutex
	out     io.Writer
	keys    io.Reader
	env     uv.Environ
	r       *uv.TerminalRenderer
	pending bytes.Buffer    // what r has rendered, written to out in one go
	cells   uv.ScreenBuffer // the frame being drawn
	width   int             // the terminal's size, 0×0 until known
	height  int
	profile colorprofile.Profile
	drawn   *tea.View // the last view drawn; nil before the first frame
	repaint bool      // the next frame is drawn whole, changed or not
	synced  bool      // the terminal applies a frame at once (mode 2026)
	unicode bool      // the terminal measures by grapheme (mode 2027), and is told to
	raw     *term.State
	rawFd   int
	done    chan struct{} // closed when the terminal is put back
	closed  bool          // put back: nothing more is drawn
}

func newScreen(out io.Writer, keys io.Reader, env []string) *terminalScreen {
	s := &terminalScreen{out: out, keys: keys, env: uv.Environ(env), done: make(chan struct{})}
	s.profile = colorprofile.Detect(out, env)
	if f, ok := out.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		s.width, s.height = s.terminalSize(int(f.Fd()))
	}
	s.cells = uv.NewScreenBuffer(s.width, s.height)
	return s
}

// terminalSize is the size of the terminal fd, or what $COLUMNS and
// $LINES say, or 80×24, for a terminal that says nothing.
func (s *terminalScreen) terminalSize(fd int) (width, height int) {
	width, height, _ = term.GetSize(fd)
	if width <= 0 {
		width = sizeFromEnv(s.env.Getenv("COLUMNS"), 80)
	}
	if height <= 0 {
		height = sizeFromEnv(s.env.Getenv("LINES"), 24)
	}
	return width, height
}

func sizeFromEnv(value string, otherwise int) int {
	var n int
	if _, err := fmt.Sscan(value, &n); err != nil || n <= 0 {
		return otherwise
	}
	return n
}

// keysTerminal is the file descriptor of the terminal the keys come
// from, if they come from one.
func (s *terminalScreen) keysTerminal() (int, bool) {
	f, ok := s.keys.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// open sets the terminal up for p, before it runs: the keys' terminal in
// raw mode (no echo, no line editing, no signals from keys; the output
// not translated), the renderer, and a watch on the terminal's size.
func (s *terminalScreen) open(p *tea.Program) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fd, ok := s.keysTerminal(); ok {
		state, err := term.MakeRaw(fd)
		if err != nil {
			return fmt.Errorf("entering raw mode: %w", err)
		}
		s.raw, s.rawFd = state, fd
	}
	s.r = uv.NewTerminalRenderer(&s.pending, s.env)
	s.r.SetColorProfile(s.profile)
	s.r.SetRelativeCursor(true) // inline until a view asks for the alternate screen
	s.r.SetFullscreen(false)
	s.r.SetTabStops(-1) // the terminal's own tab stops are left as they are
	s.r.SetBackspace(false)
	// Without raw mode the terminal turns "\n" into "\r\n"; in raw mode
	// it does not, and the renderer must know which.
	s.r.SetMapNewline(s.raw == nil)
	s.r.SetScrollOptim(true)
	if s.width > 0 && s.height > 0 {
		s.r.Resize(s.width, s.height)
	}
	if s.keys != nil && s.raw != nil && asksForModes(s.env) {
		// The answers come as tea.ModeReportMsg, taken in take.
		_, _ = io.WriteString(s.out, ansi.RequestModeSynchronizedOutput+ansi.RequestModeUnicodeCore)
	}
	if f, ok := s.out.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		go s.followSize(p, int(f.Fd()))
	}
	return nil
}

// asksForModes says whether to ask the terminal which modes it knows:
// not over ssh, where some terminals' answers come late (into the shell
// after the program), nor of Apple's Terminal, unless the terminal is
// one known to answer.
func asksForModes(env uv.Environ) bool {
	for _, known := range []string{"ghostty", "wezterm", "alacritty", "kitty", "rio"} {
		if strings.Contains(env.Getenv("TERM"), known) {
			return true
		}
	}
	if _, ok := env.LookupEnv("WT_SESSION"); ok {
		return true
	}
	if _, ok := env.LookupEnv("SSH_TTY"); ok {
		return false
	}
	return !strings.Contains(env.Getenv("TERM_PROGRAM"), "Apple")
}

// followSize sends p the terminal's size whenever it changes, until the
// terminal is put back.
func (s *terminalScreen) followSize(p *tea.Program, fd int) {
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	defer signal.Stop(winch)
	s.mu.Lock()
	width, height := s.width, s.height
	s.mu.Unlock()
	for {
		// A size that changed between NewProgram and now is sent too.
		if w, h := s.terminalSize(fd); w != width || h != height {
			width, height = w, h
			go p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		}
		select {
		case <-winch:
		case <-s.done:
			return
		}
	}
}

// take notes what msg says of the terminal before the model sees it.
func (s *terminalScreen) take(msg tea.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.r == nil {
		return
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width == s.width && msg.Height == s.height {
			return // the size the screen was opened at, sent again at the start
		}
		s.width, s.height = msg.Width, msg.Height
		s.r.Resize(msg.Width, msg.Height)
		s.r.Erase() // some terminals scroll or rewrap on a resize: all of it again
		s.repaint = true
	case tea.ColorProfileMsg:
		if msg.Profile != s.profile {
			s.profile = msg.Profile
			s.r.SetColorProfile(msg.Profile)
			s.repaint = true
		}
	case tea.ModeReportMsg:
		known := msg.Value == ansi.ModeSet || msg.Value == ansi.ModeReset || msg.Value == ansi.ModePermanentlySet
		switch msg.Mode {
		case ansi.ModeSynchronizedOutput:
			s.synced = s.synced || msg.Value == ansi.ModeReset
		case ansi.ModeUnicodeCore:
			if known && !s.unicode {
				s.unicode = true
				s.cells.Method = ansi.GraphemeWidth
				_, _ = s.r.WriteString(ansi.SetModeUnicodeCore)
				s.repaint = true
			}
		}
	}
}

// draw puts v on the terminal now, unless it is what is there already.
func (s *terminalScreen) draw(v tea.View) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.r == nil || (!s.repaint && s.drawn != nil && sameScreen(*s.drawn, v)) {
		return
	}
	s.repaint = false
	first := s.drawn == nil
	var was tea.View
	if !first {
		was = *s.drawn
	}
	switched := v.AltScreen != was.AltScreen
	if switched {
		s.switchScreen(v.AltScreen)
	}
	// Some terminals keep a cursor's visibility per screen: it is said
	// again after a switch.
	if (first || switched || was.Cursor != nil) && v.Cursor == nil {
		_, _ = s.r.WriteString(ansi.ResetModeTextCursorEnable)
	}
	if first && !v.DisableBracketedPasteMode {
		_, _ = s.r.WriteString(ansi.SetModeBracketedPaste)
	} else if !first && v.DisableBracketedPasteMode != was.DisableBracketedPasteMode {
		_, _ = s.r.WriteString(pasteMode(!v.DisableBracketedPasteMode))
	}
	if v.WindowTitle != was.WindowTitle {
		_, _ = s.r.WriteString(ansi.SetWindowTitle(v.WindowTitle))
	}
	s.layOut(v)
	s.r.Render(s.cells.RenderBuffer)
	if v.Cursor != nil {
		s.r.MoveTo(v.Cursor.X, v.Cursor.Y) // after Render, which moves it
		if was.Cursor == nil || switched {
			_, _ = s.r.WriteString(ansi.SetModeTextCursorEnable)
		}
	} else if x, y := s.r.Position(); !v.AltScreen && x >= s.width-1 {
		s.r.MoveTo(0, y) // a cursor left past the last column wraps in some terminals
	}
	s.drawn = &v
	s.flush()
}

// switchScreen queues the move into or out of the alternate screen.
func (s *terminalScreen) switchScreen(alt bool) {
	if alt {
		s.r.EnterAltScreen()
		return
	}
	s.r.ExitAltScreen()
}

func pasteMode(on bool) string {
	if on {
		return ansi.SetModeBracketedPaste
	}
	return ansi.ResetModeBracketedPaste
}

// layOut puts v's content into the frame: the whole terminal in the
// alternate screen, as many lines as it has (the last ones, at most the
// terminal's height) inline, none for an empty view.
func (s *terminalScreen) layOut(v tea.View) {
	content := uv.NewStyledString(v.Content)
	width, height := s.width, s.height
	if v.Content == "" {
		height = 0
	} else if !v.AltScreen {
		height = content.Height()
	}
	if width != s.cells.Width() || height != s.cells.Height() {
		s.r.Erase()
		s.cells.Touched = nil
		s.cells.Resize(width, height)
	}
	s.cells.Clear()
	content.Draw(s.cells, s.cells.Bounds())
	if height > s.height {
		s.cells.Lines = s.cells.Lines[height-s.height:]
	}
}

// flush writes what the renderer has queued to the terminal in one write,
// inside a synchronized update where the terminal has them.
func (s *terminalScreen) flush() {
	_ = s.r.Flush()
	if s.pending.Len() == 0 {
		return
	}
	if s.synced {
		_, _ = io.WriteString(s.out, ansi.SetModeSynchronizedOutput+s.pending.String()+ansi.ResetModeSynchronizedOutput)
	} else {
		_, _ = s.out.Write(s.pending.Bytes())
	}
	s.pending.Reset()
}

// sameScreen says whether a and b put the same thing on the terminal, as
// far as a Program draws it.
func sameScreen(a, b tea.View) bool {
	return a.Content == b.Content && a.AltScreen == b.AltScreen && a.WindowTitle == b.WindowTitle &&
		a.DisableBracketedPasteMode == b.DisableBracketedPasteMode && sameCursor(a.Cursor, b.Cursor)
}

func sameCursor(a, b *tea.Cursor) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Position == b.Position
}

// restore puts the terminal back as it was before the program: the main
// screen, the cursor shown at the bottom of what was drawn, no title, no
// bracketed paste, the modes it had. It may be called more than once and
// from any goroutine; from then on nothing is drawn.
func (s *terminalScreen) restore() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.done)
	if s.r != nil && s.drawn != nil {
		v := *s.drawn
		if s.cells.Height() > 0 {
			s.r.MoveTo(0, s.cells.Height()-1) // below what was drawn, for a terminal without an alternate screen
		}
		if v.AltScreen {
			s.r.ExitAltScreen()
		} else {
			_, _ = s.r.WriteString(ansi.EraseScreenBelow)
		}
		if v.Cursor == nil {
			_, _ = s.r.WriteString(ansi.SetModeTextCursorEnable)
		}
		if !v.DisableBracketedPasteMode {
			_, _ = s.r.WriteString(ansi.ResetModeBracketedPaste)
		}
		if v.WindowTitle != "" {
			_, _ = s.r.WriteString(ansi.SetWindowTitle(""))
		}
	}
	if s.r != nil && s.unicode {
		_, _ = s.r.WriteString(ansi.ResetModeUnicodeCore)
	}
	if s.r != nil {
		s.synced = false // the last bytes are not a frame
		s.flush()
	}
	if s.raw != nil {
		_ = term.Restore(s.rawFd, s.raw)
	}
}

// restoreOnPanic, deferred, puts the terminal back before a panic goes
// on, so that Bubble Tea's report of it lands on the shell's screen
// rather than on the alternate screen, which leaving would erase.
func (s *terminalScreen) restoreOnPanic() {
	if r := recover(); r != nil {
		s.restore()
		panic(r)
	}
}

// guard is cmd with the terminal put back if it panics, and so are the
// commands of the batch it returns.
func (s *terminalScreen) guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		defer s.restoreOnPanic()
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for i := range batch {
				batch[i] = s.guard(batch[i])
			}
		}
		return msg
	}
}

// screenWriter is the terminal as Bubble Tea writes to it: its writes wait
// for a frame being drawn, and stop once the terminal is put back.
type screenWriter struct{ s *terminalScreen }

func (w screenWriter) Write(b []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.closed {
		return len(b), nil
	}
	return w.s.out.Write(b)
}
