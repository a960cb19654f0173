package pos

import (
	"bytes"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingListener counts the connections its Accept handed out and
// still open, and fails its first Accept as a process out of file
// descriptors does.
type countingListener struct {
	net.Listener
	mu         sync.Mutex
	open, peak int
	failed     bool
}

// errTooManyFiles is a temporary accept error, which net/http logs and retries.
type errTooManyFiles struct{}

func (errTooManyFiles) Error() string   { return "accept tcp: too many open files" }
func (errTooManyFiles) Timeout() bool   { return false }
func (errTooManyFiles) Temporary() bool { return true }

func (l *countingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if !l.failed {
		l.failed = true
		l.mu.Unlock()
		return nil, errTooManyFiles{}
	}
	l.mu.Unlock()
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open++
	l.peak = max(l.peak, l.open)
	return &countedConn{Conn: c, l: l}, nil
}

func (l *countingListener) maxOpen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// floodLimits are the test's notify limits: few connections, and silent
// ones dropped quickly, so that the flood drains in a fraction of a second.
var floodLimits = NotifyLimits{Conns: 4, ReadHeader: 100 * time.Millisecond, Read: 2 * time.Second, Write: 2 * time.Second}

// flood opens n connections to addr that never send a byte.
func flood(t *testing.T, addr string, n int) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("idle connection: %v", err)
		}
		t.Cleanup(func() { c.Close() })
	}
}

// stdLog captures what the standard logger prints, which goes to stderr:
// under the kiosk, onto the cashier's screen.
func stdLog(t *testing.T) *syncBuffer {
	var b syncBuffer
	log.SetOutput(&b)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &b
}

// The notify port under a flood of idle connections, more than its limit:
// it never holds more than the limit open, the silent ones are dropped
// after readHeader so a real request gets its turn, and the server's
// complaints (an accept error here) go to the kiosk's log, never stderr.
func TestNotifyPortUnderAFloodOfIdleConnections(t *testing.T) {
	stderr := stdLog(t)
	var logged syncBuffer
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingListener{Listener: ln}
	answered := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if string(body) == "notify_id=1" {
			io.WriteString(w, "success")
		}
	})
	srv := newNotifyServer(answered, floodLimits, slog.New(slog.NewTextHandler(&logged, nil)))
	go srv.Serve(limitListener(counted, floodLimits.Conns))
	defer srv.Close()

	flood(t, ln.Addr().String(), 5*floodLimits.Conns)
	resp, err := http.Post("http://"+ln.Addr().String()+NotifyPath, "application/x-www-form-urlencoded", strings.NewReader("notify_id=1"))
	if err != nil {
		t.Fatalf("the notification behind the flood: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "success" {
		t.Errorf("the notification behind the flood was answered %q", body)
	}
	if n := counted.maxOpen(); n > floodLimits.Conns {
		t.Errorf("%d connections were open at once; the limit is %d", n, floodLimits.Conns)
	}
	if !strings.Contains(logged.String(), "too many open files") {
		t.Errorf("the accept error is not in the kiosk's log:\n%s", logged.String())
	}
	if s := stderr.String(); s != "" {
		t.Errorf("the notify server wrote to stderr, over the cashier's screen:\n%s", s)
	}
}
