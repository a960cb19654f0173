package escpos

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeouts for tests that expect a printer to answer: long, so that a
// loaded machine never turns a working printer into a timeout.
var patient = Options{DialTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, StatusTimeout: 30 * time.Second}

// Timeouts for tests that expect a timeout: the printer in them never
// answers, so how short they are changes nothing but the test's speed.
var impatient = Options{DialTimeout: 30 * time.Second, WriteTimeout: 50 * time.Millisecond, StatusTimeout: 50 * time.Millisecond}

// fakePrinter is a network printer on loopback. It records every byte it
// gets and answers DLE EOT n with reply(n, round), round counting the DLE
// EOT 1 requests before this one (0 for the status before a job, 1 for the
// confirmation after it).
type fakePrinter struct {
	t     *testing.T
	ln    net.Listener
	reply func(n byte, round int) (byte, bool)
	// greeting is sent on connecting, as a printer with Automatic Status
	// Back on would.
	greeting []byte
	// hangUpAfter closes the connection once this many bytes came in
	// (0: never), as a printer switched off mid-job.
	hangUpAfter int

	mu   sync.Mutex
	got  []byte
	done chan struct{} // closed when the first connection ends
}

func readyPrinter(byte, int) (byte, bool) { return replyReady, true }

// answering makes a printer that replies to DLE EOT n as the map says, and
// ready to the rest.
func answering(replies map[byte]byte) func(byte, int) (byte, bool) {
	return func(n byte, _ int) (byte, bool) {
		if r, ok := replies[n]; ok {
			return r, true
		}
		return replyReady, true
	}
}

func startFakePrinter(t *testing.T, f *fakePrinter) *fakePrinter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.t, f.ln, f.done = t, ln, make(chan struct{})
	if f.reply == nil {
		f.reply = readyPrinter
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(f.done)
			return
		}
		defer close(f.done)
		defer c.Close()
		f.serve(c)
	}()
	return f
}

func (f *fakePrinter) address() string { return "tcp://" + f.ln.Addr().String() }

func (f *fakePrinter) serve(c net.Conn) {
	c.Write(f.greeting)
	buf := make([]byte, 4096)
	state, requests := 0, 0
	for {
		n, err := c.Read(buf)
		for _, b := range buf[:n] {
			f.mu.Lock()
			f.got = append(f.got, b)
			total := len(f.got)
			f.mu.Unlock()
			switch {
			case state == 0 && b == dle:
				state = 1
			case state == 1 && b == eot:
				state = 2
			case state == 2:
				state = 0
				if b == statusPrinter {
					requests++
				}
				if r, ok := f.reply(b, requests-1); ok {
					c.Write([]byte{r})
				}
			default:
				state = 0
			}
			if f.hangUpAfter > 0 && total >= f.hangUpAfter {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// received waits until the printer's connection has ended and returns what
// it got.
func (f *fakePrinter) received() []byte {
	f.t.Helper()
	select {
	case <-f.done:
	case <-time.After(time.Minute):
		f.t.Fatal("the fake printer's connection never ended")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got
}

func sampleJob(t *testing.T) []byte { return sampleReceipt(t, Paper80).Bytes() }

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func requireKind(t *testing.T, err error, kind Kind, op string) *Error {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want an *Error of kind %q", err, err, kind)
	}
	if pe.Kind != kind || !errors.Is(err, kind) || (op != "" && pe.Op != op) {
		t.Fatalf("error %v: kind %q op %q, want kind %q op %q", err, pe.Kind, pe.Op, kind, op)
	}
	return pe
}

func TestPrintToNetworkPrinter(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{})
	job := sampleJob(t)
	if err := Print(context.Background(), f.address(), job, patient); err != nil {
		t.Fatal(err)
	}
	if got, want := f.received(), concat(statusQuery(), job, statusQuery()); !bytes.Equal(got, want) {
		t.Errorf("the printer got % x\nwant status, job, status: % x", got, want)
	}
}

func TestNetworkPrinterThatCannotPrintGetsNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply map[byte]byte
		kind  Kind
	}{
		{"out of paper", map[byte]byte{1: replyOffline, 2: replyPaperStop, 4: replyPaperEnd}, OutOfPaper},
		{"paper end sensor only", map[byte]byte{4: replyPaperEnd}, OutOfPaper},
		{"offline", map[byte]byte{1: replyOffline}, Offline},
		{"error", map[byte]byte{1: replyOffline, 2: replyError}, Offline},
		{"cover open", map[byte]byte{1: replyOffline, 2: replyCoverOpen}, CoverOpen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startFakePrinter(t, &fakePrinter{reply: answering(tc.reply)})
			err := Print(context.Background(), f.address(), sampleJob(t), patient)
			pe := requireKind(t, err, tc.kind, "status")
			if pe.Status == nil || pe.Status.Problem() != tc.kind {
				t.Errorf("the error does not carry the printer's status: %+v", pe.Status)
			}
			if got := f.received(); !bytes.Equal(got, statusQuery()) {
				t.Errorf("a printer that cannot print got % x, want only the status request", got)
			}
		})
	}
}

func TestPaperNearEndStillPrints(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{reply: answering(map[byte]byte{statusPaper: replyPaperLow})})
	job := sampleJob(t)
	if err := Print(context.Background(), f.address(), job, patient); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(f.received(), job) {
		t.Error("the job was not sent")
	}
}

func TestPaperRunningOutDuringTheJobIsReported(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{reply: func(n byte, round int) (byte, bool) {
		if round > 0 && n == statusPaper {
			return replyPaperEnd, true
		}
		return replyReady, true
	}})
	err := Print(context.Background(), f.address(), sampleJob(t), patient)
	requireKind(t, err, OutOfPaper, "confirm")
}

func TestStatusRepliesAmongAutomaticStatusBack(t *testing.T) {
	// An ASB message of a printer that went offline without paper: taken
	// for DLE EOT replies, it would say "offline" and stop the job.
	asb := []byte{asbFirstByte | 0x08, 0x00, 0x0c, 0x00}
	f := startFakePrinter(t, &fakePrinter{greeting: asb})
	if err := Print(context.Background(), f.address(), sampleJob(t), patient); err != nil {
		t.Fatal(err)
	}
}

func TestPrinterThatNeverAnswersStatusTimesOut(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{reply: func(byte, int) (byte, bool) { return 0, false }})
	err := Print(context.Background(), f.address(), sampleJob(t), impatient)
	requireKind(t, err, TimedOut, "status")
	if got := f.received(); !bytes.Equal(got, statusQuery()) {
		t.Errorf("a printer that never answered got % x, want only the status request", got)
	}
}

func TestSkipStatusSendsTheJobAlone(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{reply: func(byte, int) (byte, bool) { return 0, false }})
	opts := patient
	opts.SkipStatus = true
	job := sampleJob(t)
	if err := Print(context.Background(), f.address(), job, opts); err != nil {
		t.Fatal(err)
	}
	if got := f.received(); !bytes.Equal(got, job) {
		t.Errorf("got % x\nwant the job alone", got)
	}
}

func TestPrinterSwitchedOffMidJob(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{hangUpAfter: len(statusQuery()) + 20})
	err := Print(context.Background(), f.address(), sampleJob(t), patient)
	requireKind(t, err, NotConnected, "")
}

// stalledPrinter accepts connections and never reads from them: a printer
// whose buffer is full and whose mechanism has stopped.
func stalledPrinter(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return "tcp://" + ln.Addr().String()
}

// bigJob is more than the socket buffers between us and a printer that does
// not read can hold, so that writing it must block.
func bigJob() []byte { return bytes.Repeat([]byte("x"), 64<<20) }

func TestStalledPrinterTimesOutOnWrite(t *testing.T) {
	opts := impatient
	opts.SkipStatus = true
	err := Print(context.Background(), stalledPrinter(t), bigJob(), opts)
	requireKind(t, err, TimedOut, "write")
}

func TestStalledPrinterTimesOutOnStatus(t *testing.T) {
	err := Print(context.Background(), stalledPrinter(t), sampleJob(t), impatient)
	requireKind(t, err, TimedOut, "status")
}

func TestContextDeadlineBoundsTheJob(t *testing.T) {
	opts := patient
	opts.SkipStatus = true
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := Print(ctx, stalledPrinter(t), bigJob(), opts)
	requireKind(t, err, TimedOut, "") // on a loaded machine, even the dial may run out
}

func TestCancelledContextStopsTheJob(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{})
	p, err := Open(context.Background(), mustParse(t, f.address()), patient)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = p.Print(ctx, sampleJob(t))
	requireKind(t, err, Failed, "status")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v does not say the job was cancelled", err)
	}
}

func TestUnpluggedNetworkPrinter(t *testing.T) {
	// Port 1: nothing listens there, so the connection is refused (a port
	// freed after listening may be taken by another test or process).
	addr := "tcp://127.0.0.1:1"
	err := Print(context.Background(), addr, sampleJob(t), patient)
	pe := requireKind(t, err, NotConnected, "open")
	if pe.Address != addr || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("the error lost its facts: %v", err)
	}
}

func TestPrintRefusesABadAddress(t *testing.T) {
	var ae *AddressError
	if err := Print(context.Background(), "lp0", nil, patient); !errors.As(err, &ae) {
		t.Errorf("Print to a bad address: %v, want an *AddressError", err)
	}
}

func TestNetworkPrinterStatus(t *testing.T) {
	f := startFakePrinter(t, &fakePrinter{reply: answering(map[byte]byte{statusOffline: replyCoverOpen})})
	p, err := Open(context.Background(), mustParse(t, f.address()), patient)
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(context.Background())
	p.Close()
	if err != nil || !st.Known || !st.CoverOpen || st.Problem() != CoverOpen {
		t.Errorf("Status = %+v, %v; want a known status with the cover open", st, err)
	}
}

func mustParse(t *testing.T, s string) Address {
	t.Helper()
	a, err := ParseAddress(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPrintToRegularFileAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "receipts.bin")
	if err := os.WriteFile(path, []byte("before"), 0o600); err != nil {
		t.Fatal(err)
	}
	job := sampleJob(t)
	if err := Print(context.Background(), path, job, patient); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(b, concat([]byte("before"), job)) {
		t.Errorf("the file holds % x, %v", b, err)
	}
}

// TestTimedFileBoundsABlockedWrite drives the timer that stands in for
// write deadlines on files the runtime cannot poll, with a pipe nobody
// reads.
func TestTimedFileBoundsABlockedWrite(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tf := &timedFile{f: w}
	tf.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	_, err = tf.Write(make([]byte, 1<<20))
	if classify(err) != TimedOut {
		t.Fatalf("a blocked write returned %v, want a timeout", err)
	}
}
