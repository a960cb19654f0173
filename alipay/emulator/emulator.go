package emulator

import (
	"crypto/rsa"
	"errors"
	"log/slog"
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
	// MerchantName is shown to the buyer (default DefaultMerchantName).
	MerchantName string
	// AppPublicKey verifies request signatures.
	AppPublicKey *rsa.PublicKey
	// AlipayPrivateKey signs responses; clients verify them with its
	// public half, the "Alipay public key".
	AlipayPrivateKey *rsa.PrivateKey
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one line per gateway call (default: discarded).
	Logger *slog.Logger
}

// Errors returned by Scan and Pay (wrapped with the out_trade_no) and, via
// PayRemote, by the /emulator/pay endpoint.
var (
	// ErrNoSuchTrade means no precreate was made for that out_trade_no.
	ErrNoSuchTrade = errors.New("emulator: no such trade")
	// ErrTradeClosed means the trade was cancelled (closed or refunded)
	// and can no longer be scanned or paid.
	ErrTradeClosed = errors.New("emulator: trade is closed")
)

// Emulator is an Alipay gateway and a buyer, as one http.Handler. Create it
// with New; it is safe for concurrent use.
type Emulator struct {
	cfg Config
	log *slog.Logger
	mux *http.ServeMux

	mu     sync.Mutex
	trades tradeTable
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
	setDefaults(&cfg)
	e := &Emulator{cfg: cfg, log: cfg.Logger, trades: newTradeTable()}
	e.mux = e.routes()
	return e, nil
}

// setDefaults fills in the optional Config fields.
func setDefaults(cfg *Config) {
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.SellerID == "" {
		cfg.SellerID = DefaultSellerID
	}
	if cfg.MerchantName == "" {
		cfg.MerchantName = DefaultMerchantName
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
}

// routes builds the emulator's URL space; see the package documentation.
func (e *Emulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /gateway.do", e.serveGateway)
	mux.HandleFunc("GET /gateway.do", e.serveGateway)
	mux.HandleFunc("GET /qr/{token}", e.serveQRPage)
	mux.HandleFunc("POST /qr/{token}/pay", e.serveQRPay)
	mux.HandleFunc("POST /qr/{token}/decline", e.serveQRDecline)
	mux.HandleFunc("POST /emulator/pay", e.servePayByOrder)
	mux.HandleFunc("GET /{$}", e.serveIndex)
	return mux
}

// ServeHTTP implements http.Handler. Request bodies are limited to 1 MiB.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	e.mux.ServeHTTP(w, r)
}

// now returns the emulator's current time.
func (e *Emulator) now() time.Time {
	return e.cfg.Now()
}
