package ui

import (
	"io"
	"os"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

// failingTerminal is a terminal whose next read, once something is
// written to its other end, fails with EIO, as a terminal's does for a
// moment when its window is closed; failed is closed when it has.
type failingTerminal struct {
	*os.File
	failed chan struct{}
}

func (f failingTerminal) Read(b []byte) (int, error) {
	_, _ = f.File.Read(b)
	close(f.failed)
	return 0, syscall.EIO
}

// alreadyRunning is a model already past its start, so that the program
// does not run its Init again.
type alreadyRunning struct{ tea.Model }

func (a alreadyRunning) Init() tea.Cmd { return nil }

func (a alreadyRunning) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.Model.Update(msg)
	return alreadyRunning{m}, cmd
}

// TestAHangUpDuringTheStopStillCancelsTheSale: a terminal closed during a
// sale sends SIGHUP, and its reads fail (EIO) before they read as ended.
// The failed read must not end the program while the stop's cancel is
// under way: the sale is recorded cancelled and the program ends cleanly,
// as it does at any stop (TestStopDuringASale/hang-up, run with the
// kiosk's real terminal, failed so now and then on a loaded machine).
func TestAHangUpDuringTheStopStillCancelsTheSale(t *testing.T) {
	f := newFakeCheckout()
	cancelling, release, cancelled := make(chan struct{}), make(chan struct{}), make(chan struct{})
	f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
		close(cancelling)
		<-release
		defer close(cancelled)
		return pos.Outcome{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}}, nil
	}
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	if m.state != stateWaiting {
		t.Fatalf("state %d; want the sale on screen", m.state)
	}
	keys, hangUp, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	defer hangUp.Close()
	tty := failingTerminal{File: keys, failed: make(chan struct{})}
	p := NewProgram(alreadyRunning{m}, io.Discard, terminalInput{tty}, tea.WithoutSignalHandler())
	ran := make(chan error, 1)
	go func() {
		_, err := run(p, func() { t.Error("the process was forced to exit") })
		ran <- err
	}()

	p.Send(StopMsg{Reason: pos.StoppedBy("SIGHUP")})
	<-cancelling
	if _, err := hangUp.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
	<-tty.failed
	close(release)
	if err := <-ran; err != nil {
		t.Errorf("the program ended with %v after the terminal's failed read; want it to end cleanly once the sale is cancelled", err)
	}
	select {
	case <-cancelled:
	default:
		t.Error("the program ended before the sale's cancel returned")
	}
}
