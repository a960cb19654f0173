package emulator

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"

	"kiosk/alipay"
)

// DefaultAppID and DefaultSellerID are the identities the emulator uses when
// Config leaves them empty. They have the shape of real ones (a 16-digit app
// id, a 2088… partner id) but belong to nobody.
const (
	DefaultAppID    = "2021000000000001"
	DefaultSellerID = "2088000000000001"
)

// DefaultMerchantName is shown on the buyer's page when Config.MerchantName
// is empty.
const DefaultMerchantName = "Kiosk Emulator Shop"

// maxBodyBytes bounds every request body; a gateway request is a few KB.
const maxBodyBytes = 1 << 20

// Config configures an Emulator.
type Config struct {
	// AppID is the app_id requests must carry (default DefaultAppID).
	AppID string
	// SellerID is the merchant's 2088… partner id (default DefaultSellerID).
	SellerID string
	// MerchantName is shown to the buyer (default Page.DefaultShop, else
	// DefaultMerchantName).
	MerchantName string
	// Page are the words of the customer's pages (default EnglishPage).
	Page PageWords
	// Index are the words of the page at / (default EnglishIndex).
	Index IndexWords
	// AppPublicKey verifies request signatures.
	AppPublicKey *rsa.PublicKey
	// AlipayPrivateKey signs responses; clients verify them with its
	// public half, the "Alipay public key".
	AlipayPrivateKey *rsa.PrivateKey
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one line per gateway call (default: discarded).
	Logger *slog.Logger
	// NotifyScale multiplies Alipay's notification resend delays (4m,
	// 10m, ...). 0 means 1; tests use a tiny value such as 1e-4.
	NotifyScale float64
	// Faults are injected into gateway answers from the start (nil: none);
	// SetFaults changes them later.
	Faults *Faults
	// StatePath, when set, is a file that keeps the trade table across
	// restarts: loaded by New (a missing file is an empty table), a line
	// appended after every change (see the package documentation).
	StatePath string
}

// Errors returned by Scan and Pay (wrapped with the out_trade_no) and, via
// PayRemote, by the /emulator/pay endpoint.
var (
	// ErrNoSuchTrade means no precreate was made for that out_trade_no.
	ErrNoSuchTrade = errors.New("emulator: no such trade")
	// ErrTradeClosed means the trade was cancelled (closed or refunded)
	// and can no longer be scanned or paid.
	ErrTradeClosed = errors.New("emulator: trade is closed")
	// ErrExpired means the QR code expired before the buyer scanned it.
	// It also matches ErrTradeClosed: the buyer can no longer pay.
	ErrExpired error = expiredError{}
)

// expiredError is ErrExpired's type, so that it can match ErrTradeClosed.
type expiredError struct{}

// Error implements error.
func (expiredError) Error() string { return "emulator: QR code has expired" }

// Is makes errors.Is(ErrExpired, ErrTradeClosed) hold.
func (expiredError) Is(target error) bool { return target == ErrTradeClosed }

// Emulator is an Alipay gateway and a buyer, as one http.Handler. Create it
// with New; it is safe for concurrent use.
type Emulator struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux

	mu     sync.Mutex
	trades tradeTable
	codes  map[string]*BuyerCode // issued buyer codes by their digits
	state  *journal              // the StatePath file; nil without one
	closed bool                  // Close was called; no new notifications start

	faults faultState // its own lock: read on every gateway request
	nonces nonceCache // v3 nonces seen, its own lock

	// Background notification deliveries: ctx ends them, wg waits.
	ctx        context.Context
	stop       context.CancelFunc
	wg         sync.WaitGroup
	notifyHTTP *http.Client
	deliveryMu sync.Mutex
	deliveries []Delivery
}

// New checks cfg, fills in its defaults and returns a ready Emulator.
func New(cfg Config) (*Emulator, error) {
	if cfg.AppPublicKey == nil {
		return nil, errors.New("emulator: Config.AppPublicKey is required")
	}
	if cfg.AlipayPrivateKey == nil {
		return nil, errors.New("emulator: Config.AlipayPrivateKey is required")
	}
	if alipay.SameKey(cfg.AppPublicKey, &cfg.AlipayPrivateKey.PublicKey) {
		return nil, errors.New("emulator: the app key pair and the Alipay key pair must differ")
	}
	if cfg.NotifyScale < 0 || math.IsNaN(cfg.NotifyScale) || math.IsInf(cfg.NotifyScale, 0) {
		return nil, fmt.Errorf("emulator: Config.NotifyScale %v must be a positive number", cfg.NotifyScale)
	}
	setDefaults(&cfg)
	e := &Emulator{cfg: cfg, log: cfg.Logger, trades: newTradeTable(), codes: map[string]*BuyerCode{}, notifyHTTP: newNotifyClient()}
	if cfg.Faults != nil {
		if err := e.SetFaults(*cfg.Faults); err != nil {
			return nil, err
		}
	}
	if cfg.StatePath != "" {
		n, err := e.loadState()
		if err != nil {
			return nil, err
		}
		e.log.Info("emulator state loaded", "path", cfg.StatePath, "trades", n)
	}
	e.ctx, e.stop = context.WithCancel(context.Background())
	e.mux = e.routes()
	return e, nil
}

// Close stops the notification deliveries still pending (a resend waiting
// for its turn, a POST in flight) and waits for them to end, and syncs and
// closes the state file. The gateway keeps answering; later notifications
// are not sent, and a later change rewrites the state file whole. Calling
// Close again does nothing more.
func (e *Emulator) Close() error {
	e.mu.Lock()
	e.closed = true
	var err error
	if e.state != nil {
		err = e.state.close()
	}
	e.mu.Unlock()
	e.stop()
	e.wg.Wait()
	e.notifyHTTP.CloseIdleConnections()
	if err != nil {
		return fmt.Errorf("emulator: close the state file: %w", err)
	}
	return nil
}

// setDefaults fills in the optional Config fields.
func setDefaults(cfg *Config) {
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.SellerID == "" {
		cfg.SellerID = DefaultSellerID
	}
	if cfg.Page.HTMLLang == "" {
		cfg.Page = EnglishPage
	}
	if cfg.MerchantName == "" {
		cfg.MerchantName = cfg.Page.DefaultShop
	}
	if cfg.MerchantName == "" {
		cfg.MerchantName = DefaultMerchantName
	}
	if cfg.Index.HTMLLang == "" {
		cfg.Index = EnglishIndex
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.NotifyScale == 0 {
		cfg.NotifyScale = 1
	}
}

// routes builds the emulator's URL space; see the package documentation.
func (e *Emulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /gateway.do", e.serveGateway)
	mux.HandleFunc("GET /gateway.do", e.serveGateway)
	mux.HandleFunc("POST /v3/", e.serveV3)
	mux.HandleFunc("GET /v3/", e.serveV3)
	mux.HandleFunc("GET /qr/{token}", e.serveQRPage)
	mux.HandleFunc("POST /qr/{token}/pay", e.serveQRPay)
	mux.HandleFunc("POST /qr/{token}/decline", e.serveQRDecline)
	mux.HandleFunc("POST /emulator/pay", e.servePayByOrder)
	mux.HandleFunc("POST /buyer-code", e.serveIssueBuyerCode)
	mux.HandleFunc("GET /buyer-code/{code}", e.serveBuyerCodePage)
	mux.HandleFunc("POST /buyer-code/{code}/confirm", e.serveConfirmBuyerCode)
	mux.HandleFunc("GET "+billDownloadPath, e.serveBillFile)
	mux.HandleFunc("GET /{$}", e.serveIndex)
	return mux
}

// ServeHTTP implements http.Handler. Request bodies are limited to 1 MiB.
// Every answer's Date header is the emulator's clock, as Alipay's is its
// own, so that a client's clock can be checked against it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", e.now().UTC().Format(http.TimeFormat))
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	e.mux.ServeHTTP(w, r)
}

// now returns the emulator's current time.
func (e *Emulator) now() time.Time {
	return e.cfg.Now()
}
