package ui

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"kiosk/pos"
	"kiosk/ui/words"
)

// The signals that stop the kiosk as Ctrl+C does: SIGTERM from a service
// manager or kill, SIGHUP when the terminal goes away, SIGINT when it does
// not come as a key.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// How long a stop may take. The cancel of a sale on screen gets
// StopCancelTime: a query and a cancel take well under a second when
// Alipay answers, and one it has not confirmed by then is recorded unknown
// and settled at the next start. At StopTimeout after the signal the
// screen is killed (the terminal restored; a sale still open stays pending
// for the next start), and ExitGrace later the process exits whatever it
// was doing. So the kiosk is gone within 9 s, inside the 10 s that docker
// stop and supervisord allow before they kill (systemd allows 90 s).
const (
	StopCancelTime = 6 * time.Second
	StopTimeout    = 8 * time.Second
	ExitGrace      = time.Second
)

// FPS is the rate of Bubble Tea's frame clock. A Program no longer draws
// at it: each view is drawn as soon as Update has made it (draw.go), so a
// receipt waits for no frame. The clock still writes what the program
// asks of the terminal (the background colour's query) at its ticks, and
// 120, Bubble Tea's highest rate, asks within 8 ms.
const FPS = 120

// terminalKeys is where the kiosk reads its keys: the standard input when
// it is a terminal, otherwise the process's terminal, opened for the
// purpose as Bubble Tea would open it, and left open as Bubble Tea left
// it (a killed program's reader may still be using it). Either is read
// through terminalInput.
func terminalKeys() (io.Reader, error) {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		return terminalInput{os.Stdin}, nil
	}
	tty, _, err := tea.OpenTTY()
	if err != nil {
		return nil, err
	}
	return terminalInput{tty}, nil
}

// terminalFile is what a Program needs of a terminal to put it in raw
// mode, and Bubble Tea to read it with a read it can cancel: an *os.File.
type terminalFile interface {
	io.ReadWriteCloser
	Fd() uintptr
	Name() string
}

// terminalInput is the terminal the keys come from, whose read errors
// end the keys rather than the program. Bubble Tea ends the program at a
// read error other than io.EOF, and a terminal that goes away (its window
// closed, its ssh session dropped) may answer a read with EIO for a
// moment before it reads as ended: the program would end there, with the
// sale on screen left pending, before the SIGHUP that comes with the
// hang-up could cancel it. Read as the end of the input, the keys stop
// and the stop that follows runs as it does for any signal.
type terminalInput struct{ terminalFile }

func (in terminalInput) Read(b []byte) (int, error) {
	n, err := in.terminalFile.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		return n, io.EOF
	}
	return n, err
}

// ErrStopTimeout says the kiosk left before the sale on screen was settled.
var ErrStopTimeout = errors.New(words.English.Run.StopTimeout.F(StopTimeout))

// Run shows m on the terminal until the cashier quits or the process is
// told to stop (SIGINT, SIGTERM, SIGHUP); a stop cancels the sale on
// screen first. A stop that does not end in time kills the program, and
// Run returns ErrStopTimeout with the signals still caught: ExitGrace later
// forceExit ends the process, unless it has ended by then.
func Run(m Model, forceExit func()) error {
	keys, err := terminalKeys()
	if err != nil {
		return err
	}
	// Bubble Tea's own handler would quit at SIGTERM with the sale open.
	_, err = run(NewProgram(m, os.Stdout, keys, tea.WithoutSignalHandler()), forceExit)
	return err
}

// run is Run of the program p, built without Bubble Tea's signal handler;
// it returns the program's last model as well.
func run(p *Program, forceExit func()) (tea.Model, error) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	done := make(chan struct{})
	r := stopRelay{p: p, sigs: sigs, done: done, forced: make(chan struct{}), after: time.After, exit: forceExit}
	go r.relay()
	final, err := p.Run()
	close(done)
	select {
	case <-r.forced:
		return final, ErrStopTimeout // the signals stay caught: the relay's exit is due
	default:
		signal.Stop(sigs)
	}
	return final, err
}

// program is what a stopRelay needs of a *tea.Program.
type program interface {
	Send(tea.Msg)
	Kill()
}

// stopRelay turns stop signals into a bounded stop of the program.
type stopRelay struct {
	p      program
	sigs   <-chan os.Signal
	done   <-chan struct{} // closed when the program has returned
	forced chan struct{}   // closed when the program is killed
	after  func(time.Duration) <-chan time.Time
	exit   func() // ends the process
}

// relay hands the first signal to the screen as a StopMsg. At a second
// signal, or StopTimeout after the first, it kills the program, and
// ExitGrace later it ends the process, unless it ended by itself.
func (r stopRelay) relay() {
	var sig os.Signal
	select {
	case sig = <-r.sigs:
	case <-r.done:
		return
	}
	timeout := r.after(StopTimeout)
	r.p.Send(StopMsg{Reason: pos.StoppedBy(signalName(sig)), Deadline: time.Now().Add(StopCancelTime)})
	select {
	case <-r.sigs:
	case <-timeout:
	case <-r.done:
		return
	}
	select {
	case <-r.done: // it ended by itself meanwhile
		return
	default:
	}
	close(r.forced)
	r.p.Kill()
	<-r.after(ExitGrace) // meanwhile run returns and the counter closes
	r.exit()
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}
