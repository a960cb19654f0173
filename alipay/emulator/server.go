package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Server runs an Emulator on a real TCP listener.
type Server struct {
	*Emulator
	// URL is the base URL, http://host:port, with the listener's real port.
	URL string

	srv       *http.Server
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// shutdownGrace is how long Close lets requests in flight finish.
const shutdownGrace = 5 * time.Second

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves a new
// Emulator there until Close. To let a phone open the QR codes, listen on
// a LAN address and point the kiosk's gateway at that address: qr_code
// takes its host from the kiosk's requests.
func Start(addr string, cfg Config) (*Server, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s := &Server{
		Emulator: e,
		URL:      "http://" + dialAddr(ln.Addr()),
		srv: &http.Server{
			Handler:           e,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
		},
		done: make(chan struct{}),
	}
	go s.serve(ln)
	e.log.Info("emulator listening", "url", s.URL)
	return s, nil
}

// dialAddr turns a listener address into one a client can dial: a
// wildcard host (0.0.0.0, ::) becomes the loopback address.
func dialAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// serve runs the HTTP server until Close.
func (s *Server) serve(ln net.Listener) {
	defer close(s.done)
	if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("emulator stopped", "err", err)
	}
}

// GatewayURL is the gateway endpoint, URL + "/gateway.do", to put in
// alipay.Config.Gateway.
func (s *Server) GatewayURL() string {
	return s.URL + "/gateway.do"
}

// Close stops the server, letting requests in flight finish for a few
// seconds, then stops the pending notification deliveries
// (Emulator.Close). Calling it again returns the first result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(fmt.Errorf("emulator: shutdown: %w", err), s.srv.Close())
		}
		<-s.done
		s.closeErr = errors.Join(s.closeErr, s.Emulator.Close())
	})
	return s.closeErr
}

// payRemoteClient bounds a PayRemote whose context has no deadline.
var payRemoteClient = &http.Client{Timeout: 15 * time.Second}

// PayRemote pays outTradeNo on the emulator at baseURL (a Server's URL)
// through POST /emulator/pay, as `kiosk emulator pay` does. The server's
// refusal comes back as an error carrying its text; an unknown trade
// matches ErrNoSuchTrade, a closed one ErrTradeClosed and an expired QR
// code ErrExpired (and ErrTradeClosed) under errors.Is.
func PayRemote(ctx context.Context, baseURL, outTradeNo string) error {
	u := strings.TrimRight(baseURL, "/") + "/emulator/pay?out_trade_no=" + url.QueryEscape(outTradeNo)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return fmt.Errorf("emulator pay %s: %w", outTradeNo, err)
	}
	resp, err := payRemoteClient.Do(req)
	if err != nil {
		return fmt.Errorf("emulator pay %s: %w", outTradeNo, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("emulator pay %s at %s: %w", outTradeNo, baseURL,
			&remoteError{status: resp.StatusCode, name: resp.Header.Get(errorHeader), text: strings.TrimSpace(string(text))})
	}
	return nil
}

// remoteError is a refusal from /emulator/pay.
type remoteError struct {
	status int
	name   string // the errorHeader value
	text   string
}

// Error implements error.
func (e *remoteError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.status, e.text)
}

// Is maps the endpoint's statuses back to the emulator's errors.
func (e *remoteError) Is(target error) bool {
	return target == ErrNoSuchTrade && e.status == http.StatusNotFound ||
		target == ErrTradeClosed && e.status == http.StatusConflict ||
		target == ErrExpired && e.status == http.StatusConflict && e.name == "expired"
}
