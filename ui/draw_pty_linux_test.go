package ui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"
)

// plainKeys is a terminal as the keys of a Program in these tests: a
// terminal (it has an Fd) that Bubble Tea reads with a plain read rather
// than the epoll reader it can cancel. On a kill (Kill, or a panic),
// Bubble Tea closes that reader without waiting for its read loop
// (Program.shutdown in tea.go: waitForReadLoop only when not killed, then
// cancelReader.Close), and on a quit it waits 500 ms at most: a race of
// its own, which the race detector reported here on a loaded machine.
// What these tests look at, the terminal's modes and what is written to
// it, is the same with either reader.
type plainKeys struct{ tty *os.File }

func (k plainKeys) Read(b []byte) (int, error) { return k.tty.Read(b) }
func (k plainKeys) Fd() uintptr                { return k.tty.Fd() }

// testPty is a pseudo-terminal of 60×12: the program runs on tty, and
// what it writes is read from the other end.
type testPty struct {
	tty    *os.File
	master *os.File
	chunks chan string // what the other end reads, as it reads it
	shell  unix.Termios
}

func newTestPty(t *testing.T) *testPty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: 12, Col: 60}); err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := &testPty{tty: tty, master: master, chunks: make(chan string, 64)}
	p.shell = p.modes(t)
	go func() {
		defer close(p.chunks)
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			if n > 0 {
				p.chunks <- string(b[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	// The program's end of the terminal is left open: a killed program's
	// reader is not waited for, and may still be using it (its finalizer
	// closes it once no one is).
	t.Cleanup(func() { master.Close() })
	return p
}

func (p *testPty) modes(t *testing.T) unix.Termios {
	t.Helper()
	m, err := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return *m
}

// isRaw says whether the terminal reads keys one by one, unechoed, and
// writes bytes untranslated, as a Program needs it.
func (p *testPty) isRaw(t *testing.T) bool {
	m := p.modes(t)
	return m.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG) == 0 && m.Oflag&unix.OPOST == 0
}

// checkAsTheShellLeftIt fails unless the terminal's modes are the shell's.
func (p *testPty) checkAsTheShellLeftIt(t *testing.T, when string) {
	t.Helper()
	if m := p.modes(t); m != p.shell {
		t.Errorf("%s the terminal's modes are %+v; want the shell's %+v", when, m, p.shell)
	}
}

// readAll is everything written to the terminal until now: a mark is
// written after it, and read up to.
func (p *testPty) readAll(t *testing.T) string {
	t.Helper()
	const mark = "[end of what the program wrote]"
	if _, err := p.tty.WriteString(mark); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	timeout := time.After(20 * time.Second) // far past any wait: a pty that never answers
	for !strings.Contains(got.String(), mark) {
		select {
		case s, ok := <-p.chunks:
			if !ok {
				t.Fatalf("the terminal closed; read %q", got.String())
			}
			got.WriteString(s)
		case <-timeout:
			t.Fatalf("the mark never came back; read %q", got.String())
		}
	}
	return strings.TrimSuffix(got.String(), mark)
}

// inOrder fails unless each of seqs is in s, each after the one before.
func inOrder(t *testing.T, what, s string, seqs ...string) {
	t.Helper()
	rest := s
	for _, seq := range seqs {
		i := strings.Index(rest, seq)
		if i < 0 {
			t.Errorf("%s: %q is missing (or out of order) in %q", what, seq, s)
			return
		}
		rest = rest[i+len(seq):]
	}
}

// The sequences a Program sets up its screen with, and those it leaves it
// with.
var (
	opensScreen = []string{ansi.SetModeAltScreenSaveCursor, ansi.ResetModeTextCursorEnable,
		ansi.SetModeBracketedPaste, ansi.SetWindowTitle("Sign")}
	closesScreen = []string{ansi.ResetModeAltScreenSaveCursor, ansi.SetModeTextCursorEnable,
		ansi.ResetModeBracketedPaste, ansi.SetWindowTitle("")}
)

// runOnPty runs a sign on the pty until end ends it, and checks that the
// terminal was set up for it (raw mode, the alternate screen, the cursor
// hidden, the title, bracketed paste) and is left as the shell had it.
func runOnPty(t *testing.T, pty *testPty, end func(p *Program, ran <-chan error) error) {
	t.Helper()
	p := NewProgram(sign{}, pty.tty, plainKeys{pty.tty}, tea.WithoutSignalHandler())
	ran := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ran <- err
	}()
	p.Send(showMsg("on screen"))
	if raw := onLoop(p, func() bool { return pty.isRaw(t) }); !raw {
		t.Error("while the program runs the terminal is not in raw mode")
	}
	opened := pty.readAll(t)
	inOrder(t, "the first frame", opened, append(opensScreen, "on screen")...)
	if err := end(p, ran); err != nil {
		t.Error(err)
	}
	pty.checkAsTheShellLeftIt(t, "after the program")
	inOrder(t, "after the program", pty.readAll(t), closesScreen...)
}

// TestTheTerminalIsSetUpAndPutBack: a Program puts its terminal in raw
// mode and into the alternate screen with the cursor hidden and its
// title shown, and puts it back as it was on every way out: a quit, a
// Kill while Update is stuck (as the stop relay kills after
// StopTimeout), a panic in Update or in a command, and two programs one
// after the other on the same terminal.
func TestTheTerminalIsSetUpAndPutBack(t *testing.T) {
	wait := func(ran <-chan error, want error) error {
		err := <-ran
		if !errors.Is(err, want) {
			return fmt.Errorf("the program ended with %v; want %v", err, want)
		}
		return nil
	}
	ends := map[string]func(p *Program, ran <-chan error) error{
		"quit": func(p *Program, ran <-chan error) error {
			p.Send(quitMsg{})
			return wait(ran, nil)
		},
		"kill while stuck": func(p *Program, ran <-chan error) error {
			stuck := stuckMsg{entered: make(chan struct{}), release: make(chan struct{})}
			p.Send(stuck)
			<-stuck.entered
			p.Kill() // the terminal is put back now, the Update still stuck
			defer close(stuck.release)
			select {
			case err := <-ran:
				return fmt.Errorf("Run returned (%v) while its Update was stuck", err)
			default:
				return nil
			}
		},
		"panic in Update": func(p *Program, ran <-chan error) error {
			p.Send(panicMsg{})
			return wait(ran, tea.ErrProgramPanic)
		},
		"panic in a command": func(p *Program, ran <-chan error) error {
			p.Send(cmdPanic{}) // in a batch, as the kiosk's commands mostly are
			return wait(ran, tea.ErrProgramPanic)
		},
	}
	for name, end := range ends {
		t.Run(name, func(t *testing.T) { runOnPty(t, newTestPty(t), end) })
	}
	t.Run("two programs in a row", func(t *testing.T) {
		pty := newTestPty(t)
		for range 2 {
			runOnPty(t, pty, ends["quit"])
		}
	})
}

// TestDrawPanicChild is not a test: TestAPanicIsReportedOnTheShellsScreen
// runs the test binary again with KIOSK_DRAW_PANIC set, its standard
// streams on a pseudo-terminal, and this is that process: a sign that
// panics where KIOSK_DRAW_PANIC says.
func TestDrawPanicChild(t *testing.T) {
	where := os.Getenv("KIOSK_DRAW_PANIC")
	if where == "" {
		t.Skip("only a child of TestAPanicIsReportedOnTheShellsScreen runs it")
	}
	p := NewProgram(sign{}, os.Stdout, plainKeys{os.Stdin}, tea.WithoutSignalHandler())
	go func() {
		p.Send(showMsg("on screen"))
		if where == "command" {
			p.Send(cmdPanic{})
		} else {
			p.Send(panicMsg{})
		}
	}()
	// Bubble Tea may report a panic in a command after Run has returned,
	// from the command's goroutine: the process waits to be told to end.
	ended := make(chan os.Signal, 1)
	signal.Notify(ended, unix.SIGTERM)
	_, _ = p.Run()
	<-ended
	os.Exit(0)
}

// TestAPanicIsReportedOnTheShellsScreen: Bubble Tea reports a panic it
// caught on the standard error. The terminal must be out of the
// alternate screen by then, or the report is erased with it when the
// program leaves it.
func TestAPanicIsReportedOnTheShellsScreen(t *testing.T) {
	for _, where := range []string{"Update", "command"} {
		t.Run(where, func(t *testing.T) {
			pty := newTestPty(t)
			cmd := exec.Command(os.Args[0], "-test.run", "^TestDrawPanicChild$")
			cmd.Env = append(os.Environ(), "KIOSK_DRAW_PANIC="+where, "TERM=xterm-256color")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = pty.tty, pty.tty, pty.tty
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			written := pty.readUntil(t, "Restoring terminal")
			if err := cmd.Process.Signal(unix.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			pty.checkAsTheShellLeftIt(t, "after the program")
			inOrder(t, "the terminal", written, append(append(opensScreen, "on screen"), append(closesScreen, "Caught panic")...)...)
		})
	}
}

// sizeSign says the size of its terminal.
type sizeSign struct{ size string }

func (s sizeSign) Init() tea.Cmd { return nil }

func (s sizeSign) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.size = fmt.Sprintf("[%dx%d]", msg.Width, msg.Height)
	case onLoopMsg:
		msg()
	case quitMsg:
		return s, tea.Quit
	}
	return s, nil
}

func (s sizeSign) View() tea.View {
	v := tea.NewView(s.size)
	v.AltScreen = true
	return v
}

// readUntil reads what is written to the terminal until it holds want,
// and returns what it read.
func (p *testPty) readUntil(t *testing.T, want string) string {
	t.Helper()
	var got strings.Builder
	timeout := time.After(20 * time.Second) // far past any wait: it never comes
	for !strings.Contains(got.String(), want) {
		select {
		case s := <-p.chunks:
			got.WriteString(s)
		case <-timeout:
			t.Fatalf("%q never reached the terminal; read %q", want, got.String())
		}
	}
	return got.String()
}

// TestAResizeIsFollowed: the program learns the terminal's size at the
// start and at each SIGWINCH, and draws for it.
func TestAResizeIsFollowed(t *testing.T) {
	pty := newTestPty(t)
	p := NewProgram(sizeSign{}, pty.tty, plainKeys{pty.tty}, tea.WithoutSignalHandler())
	ran := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ran <- err
	}()
	pty.readUntil(t, "[60x12]")
	if err := unix.IoctlSetWinsize(int(pty.master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 20, Col: 80}); err != nil {
		t.Fatal(err)
	}
	// The terminal is no process's controlling terminal here: the signal
	// a terminal sends its foreground process on a resize is sent by hand.
	if err := unix.Kill(os.Getpid(), unix.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	pty.readUntil(t, "[80x20]")
	p.Send(quitMsg{})
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
}
