package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/charmbracelet/x/ansi"

	"kiosk/store"
	"kiosk/ui"
)

// TestPtyKioskChild is not a test: TestStopDuringASale runs the test binary
// again with KIOSK_PTY_CHILD=1 to get a real kiosk process in a terminal,
// and this is that kiosk.
func TestPtyKioskChild(t *testing.T) {
	if os.Getenv("KIOSK_PTY_CHILD") != "1" {
		t.Skip("only a child of TestStopDuringASale runs the kiosk")
	}
	os.Exit(run(strings.Fields(os.Getenv("KIOSK_PTY_ARGS"))))
}

// TestStopDuringASale runs the kiosk, as a cashier's terminal runs it, in
// a pseudo-terminal; starts a sale, and stops the process while the QR
// code is on screen: with SIGTERM, with SIGHUP, and by closing the
// terminal (which sends SIGHUP too). Each time the sale is cancelled with
// Alipay and recorded cancelled, not left pending, and the kiosk exits
// with status 0 before ui.StopTimeout, when it would have been killed.
func TestStopDuringASale(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kiosk processes; skipped with -short")
	}
	stops := map[string]func(k *ptyKiosk) error{
		"SIGTERM": func(k *ptyKiosk) error { return k.cmd.Process.Signal(syscall.SIGTERM) },
		"SIGHUP":  func(k *ptyKiosk) error { return k.cmd.Process.Signal(syscall.SIGHUP) },
		"hang-up": func(k *ptyKiosk) error { return k.master.Close() },
	}
	for name, stop := range stops {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			k := startPtyKiosk(t, dir)
			k.waitFor(t, "Amount (yuan)")
			k.type_(t, "5\r")
			k.waitFor(t, "Scan with Alipay")
			sales := readLedger(t, dir).Sales
			if len(sales) != 1 || sales[0].Status != store.StatusPending {
				t.Fatalf("with the QR code on screen the ledger has %+v; want one pending sale", sales)
			}
			stopped := time.Now()
			if err := stop(k); err != nil {
				t.Fatal(err)
			}
			select {
			case <-k.exited:
			case <-time.After(ui.StopTimeout + 10*time.Second): // far past the bound: it will not exit by itself
				_ = k.cmd.Process.Kill()
				<-k.exited
				t.Fatalf("the kiosk was still running %s after the stop; output:\n%s", time.Since(stopped), k.screen())
			}
			// How soon it exits is the kiosk's own bound (ui.StopTimeout,
			// on its clock); here only that it exits, and cleanly.
			if k.err != nil {
				t.Errorf("the kiosk exited after %s with %v; want exit status 0\n%s", time.Since(stopped), k.err, k.screen())
			}
			s, err := readSale(dir, sales[0].OutTradeNo)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != store.StatusCancelled {
				t.Errorf("the sale is %s after the stop; want cancelled. History: %+v", s.Status, s.History)
			}
		})
	}
}

func readSale(dir, outTradeNo string) (store.Sale, error) {
	st, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return store.Sale{}, err
	}
	defer st.Close()
	return st.Get(outTradeNo)
}

// ptyKiosk is a kiosk process whose terminal is a pseudo-terminal the test
// holds the other end of.
type ptyKiosk struct {
	cmd    *exec.Cmd
	master *os.File
	exited chan struct{} // closed when the process has ended; err is its status
	err    error

	mu      sync.Mutex
	out     bytes.Buffer
	changed chan struct{} // closed and replaced at every read
}

func startPtyKiosk(t *testing.T, dir string) *ptyKiosk {
	t.Helper()
	master, slave, err := openPty(100, 32)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPtyKioskChild$")
	cmd.Env = append(kioskFreeEnv(), "KIOSK_PTY_CHILD=1", "TERM=xterm-256color",
		"KIOSK_PTY_ARGS=--data "+dir+" --qr-timeout 10m --poll-interval 1m")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	// The terminal is the child's controlling terminal, so closing it
	// hangs the child up as closing a terminal window does.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	k := &ptyKiosk{cmd: cmd, master: master, exited: make(chan struct{}), changed: make(chan struct{})}
	go k.read()
	go func() { k.err = cmd.Wait(); close(k.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-k.exited
		master.Close()
	})
	return k
}

// kioskFreeEnv is the environment without KIOSK_ settings, so that the
// machine's own configuration cannot reach the child.
func kioskFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KIOSK_") {
			env = append(env, kv)
		}
	}
	return env
}

func (k *ptyKiosk) read() {
	buf := make([]byte, 32<<10)
	for {
		n, err := k.master.Read(buf)
		k.mu.Lock()
		k.out.Write(buf[:n])
		close(k.changed)
		k.changed = make(chan struct{})
		k.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// screen is everything the kiosk drew, without escape codes and spaces.
func (k *ptyKiosk) screen() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return strings.Join(strings.Fields(ansi.Strip(k.out.String())), "")
}

// waitFor waits until the kiosk has drawn want.
func (k *ptyKiosk) waitFor(t *testing.T, want string) {
	t.Helper()
	want = strings.Join(strings.Fields(want), "")
	deadline := time.After(30 * time.Second)
	for {
		k.mu.Lock()
		changed := k.changed
		k.mu.Unlock()
		if strings.Contains(k.screen(), want) {
			return
		}
		select {
		case <-changed:
		case <-k.exited:
			t.Fatalf("the kiosk exited (%v) before it showed %q:\n%s", k.err, want, k.screen())
		case <-deadline:
			t.Fatalf("the kiosk never showed %q:\n%s", want, k.screen())
		}
	}
}

func (k *ptyKiosk) type_(t *testing.T, s string) {
	t.Helper()
	if _, err := k.master.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// openPty opens a pseudo-terminal of w×h characters.
func openPty(w, h int) (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	var n uint32
	ws := struct{ row, col, x, y uint16 }{uint16(h), uint16(w), 0, 0}
	for _, c := range []struct {
		req uintptr
		arg unsafe.Pointer
	}{{syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)}, {syscall.TIOCGPTN, unsafe.Pointer(&n)}, {syscall.TIOCSWINSZ, unsafe.Pointer(&ws)}} {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), c.req, uintptr(c.arg)); errno != 0 {
			master.Close()
			return nil, nil, fmt.Errorf("ioctl %#x on /dev/ptmx: %w", c.req, errno)
		}
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
