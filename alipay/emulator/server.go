package emulator

import (
	"context"
	"encoding/json"
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

	"kiosk/alipay"
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	return Serve(ln, cfg)
}

// Serve serves a new Emulator on ln until Close, as Start does on the
// address it listens on. Listening first lets a caller refuse an address
// in use before it writes anything (kiosk emulator serve writes its keys
// only once the port is its own). ln is closed if the emulator cannot be
// made.
func Serve(ln net.Listener, cfg Config) (*Server, error) {
	e, err := New(cfg)
	if err != nil {
		ln.Close()
		return nil, err
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
// through POST /emulator/pay, as `kiosk emulator pay` does, and returns
// the emulator's answer. The server's refusal comes back as an error
// carrying its Refusal (RefusalOf); an unknown trade matches
// ErrNoSuchTrade, a closed one ErrTradeClosed and an expired QR code
// ErrExpired (and ErrTradeClosed) under errors.Is.
func PayRemote(ctx context.Context, baseURL, outTradeNo string) (BuyerAnswer, error) {
	text, err := postRemote(ctx, baseURL, "/emulator/pay?out_trade_no="+url.QueryEscape(outTradeNo))
	if err != nil {
		return BuyerAnswer{}, remoteFailure("emulator pay "+outTradeNo, baseURL, err)
	}
	var a BuyerAnswer
	if err := json.Unmarshal([]byte(text), &a); err != nil || a.Result != BuyerPaid {
		return BuyerAnswer{}, fmt.Errorf("emulator pay %s at %s: the answer %.60q is not a payment", outTradeNo, baseURL, text)
	}
	return a, nil
}

// IssueBuyerCodeRemote has the emulator at baseURL issue a buyer code of
// kind through POST /buyer-code?kind=K and returns its digits, which is
// all `kiosk emulator buyer-code` needs to print.
func IssueBuyerCodeRemote(ctx context.Context, baseURL string, kind BuyerCodeKind) (string, error) {
	text, err := postRemote(ctx, baseURL, "/buyer-code?kind="+url.QueryEscape(string(kind)))
	if err != nil {
		return "", remoteFailure("emulator buyer-code "+string(kind), baseURL, err)
	}
	if !alipay.IsPaymentCode(text) {
		return "", fmt.Errorf("emulator buyer-code %s at %s: the answer %.40q is not a payment code", kind, baseURL, text)
	}
	return text, nil
}

// ConfirmBuyerCodeRemote confirms on the emulator at baseURL the charge
// that code started, through POST /buyer-code/{code}/confirm, as `kiosk
// emulator confirm CODE` will. A code the emulator never issued matches
// ErrNoSuchCode, one with no charge waiting ErrNothingToConfirm, and one
// whose trade was cancelled ErrTradeClosed under errors.Is.
func ConfirmBuyerCodeRemote(ctx context.Context, baseURL, code string) error {
	_, err := postRemote(ctx, baseURL, "/buyer-code/"+url.PathEscape(code)+"/confirm")
	return remoteFailure("emulator confirm "+code, baseURL, err)
}

// postRemote POSTs to one of the emulator's plain-text endpoints and
// returns its answer, trimmed, or its refusal as a *remoteError.
func postRemote(ctx context.Context, baseURL, pathAndQuery string) (string, error) {
	u := strings.TrimRight(baseURL, "/") + pathAndQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := payRemoteClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	answer := strings.TrimSpace(string(text))
	if resp.StatusCode/100 != 2 {
		re := &remoteError{status: resp.StatusCode, name: Refusal(resp.Header.Get(errorHeader)), text: answer}
		var body refusalBody
		if json.Unmarshal(text, &body) == nil && body.Error != "" {
			re.name, re.text = body.Error, body.Message
		}
		return "", re
	}
	return answer, nil
}

// remoteFailure names the operation in a postRemote error, and the
// emulator when it is the emulator that refused; nil stays nil.
func remoteFailure(op, baseURL string, err error) error {
	if _, refused := errors.AsType[*remoteError](err); refused {
		return fmt.Errorf("%s at %s: %w", op, baseURL, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// remoteError is a refusal from /emulator/pay or /buyer-code.
type remoteError struct {
	status int
	name   Refusal // the body's "error", or errorHeader's value
	text   string  // the body's "message", or the body
}

// Error implements error.
func (e *remoteError) Error() string {
	if e.name != "" {
		return fmt.Sprintf("HTTP %d: %s: %s", e.status, e.name, e.text)
	}
	return fmt.Sprintf("HTTP %d: %s", e.status, e.text)
}

// Is maps the endpoint's Refusal names (and, from an emulator that gives
// none, its statuses) back to the emulator's errors.
func (e *remoteError) Is(target error) bool {
	switch target {
	case ErrNoSuchTrade:
		return e.name == RefusedNoSuchTrade || e.name == "" && e.status == http.StatusNotFound
	case ErrNoSuchCode:
		return e.name == RefusedNoSuchCode
	case ErrNothingToConfirm:
		return e.name == RefusedNothingToConfirm
	case ErrTradeClosed:
		return e.name == RefusedTradeClosed || e.name == RefusedQRExpired
	case ErrExpired:
		return e.name == RefusedQRExpired
	}
	return false
}

// RefusalOf is the Refusal an emulator answered a PayRemote or
// ConfirmBuyerCodeRemote with; false when err is no refusal of the
// emulator's (it did not answer, or answered with no name).
func RefusalOf(err error) (Refusal, bool) {
	re, ok := errors.AsType[*remoteError](err)
	if !ok || re.name == "" {
		return "", false
	}
	return re.name, true
}
