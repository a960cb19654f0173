package pos

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// NotifyLimits bound what the notification port, which faces the
// internet, lets its clients hold.
type NotifyLimits struct {
	Conns      int           // connections served at once; more wait in the kernel's queue
	ReadHeader time.Duration // for the request line and headers; a silent connection is dropped then
	Read       time.Duration // for the whole request
	Write      time.Duration // for the answer
}

// DefaultNotifyLimits: Alipay posts one small form per notification and
// needs none of these to be long; a flood of idle connections costs the
// kiosk at most Conns file descriptors, each for ReadHeader at most.
var DefaultNotifyLimits = NotifyLimits{Conns: 32, ReadHeader: 3 * time.Second, Read: 5 * time.Second, Write: 5 * time.Second}

// NotifyPath is where the kiosk takes Alipay's notifications.
const NotifyPath = "/alipay/notify"

// ServeNotifications answers Alipay's notifications at NotifyPath on ln,
// within lim, which keep slow or hostile clients from holding the kiosk's
// files, and logs the server's complaints to logger. Close the server to
// stop.
func (r *Register) ServeNotifications(ln net.Listener, lim NotifyLimits, logger *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle(NotifyPath, r.NotifyHandler())
	srv := newNotifyServer(mux, lim, logger)
	limited := limitListener(ln, lim.Conns)
	go func() { _ = srv.Serve(limited) }()
	return srv
}

// newNotifyServer serves h with lim's timeouts, one request per
// connection, and its complaints (accept errors among them) in the log:
// the screen belongs to the cashier.
func newNotifyServer(h http.Handler, lim NotifyLimits, logger *slog.Logger) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeader,
		ReadTimeout:       lim.Read,
		WriteTimeout:      lim.Write,
		IdleTimeout:       lim.ReadHeader,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.With("server", "notify").Handler(), slog.LevelWarn),
	}
	// Alipay sends one notification per connection; keeping it open would
	// only hold a slot.
	srv.SetKeepAlivesEnabled(false)
	return srv
}

// limitListener lets at most n connections be open at once: Accept waits
// for one of them to close, and the connections beyond wait in the
// kernel's queue, costing the kiosk no file descriptor.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limitedListener{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	conn, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: conn, release: func() { <-l.slots }}, nil
}

func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	release func()
	once    sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
