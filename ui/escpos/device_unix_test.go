//go:build unix

package escpos

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Device printers. A FIFO stands in for /dev/usb/lp0: it blocks a writer
// that nobody reads, and refuses one that nobody listens to, as an
// unplugged or stalled USB printer does.

func fifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lp0")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	return path
}

// openReader opens the printer's end of a FIFO, as a plugged-in printer.
func openReader(t *testing.T, path string) *os.File {
	t.Helper()
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestPrintToDevice(t *testing.T) {
	path := fifo(t)
	r := openReader(t, path)
	// A FIFO reads as ended whenever no writer has it open; hold it open
	// until Print has written, so that the reader sees the whole job.
	hold, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	job := sampleJob(t)
	err = Print(context.Background(), path, job, patient)
	hold.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, job) {
		t.Errorf("the device got % x\nwant the job alone (no status request): % x", b, job)
	}
}

func TestUnpluggedDevice(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "lp0")
	err := Print(context.Background(), missing, sampleJob(t), patient)
	requireKind(t, err, NotConnected, "open")

	err = Print(context.Background(), fifo(t), sampleJob(t), patient) // nobody at the other end
	requireKind(t, err, NotConnected, "open")
}

func TestStalledDeviceTimesOut(t *testing.T) {
	path := fifo(t)
	openReader(t, path) // and never read from it
	err := Print(context.Background(), path, bigJob(), impatient)
	pe := requireKind(t, err, TimedOut, "write")
	if pe.Status != nil {
		t.Errorf("a FIFO has no driver status, yet the error says %v", pe.Status)
	}
}

func TestDeviceWithoutDriverStatus(t *testing.T) {
	path := fifo(t)
	openReader(t, path)
	p, err := Open(context.Background(), mustParse(t, path), patient)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if st, err := p.Status(context.Background()); err != nil || st.Known {
		t.Errorf("Status of a FIFO = %+v, %v; want unknown", st, err)
	}
}
