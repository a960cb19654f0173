package pos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // Alipay's order numbers and times are Shanghai time on any host.

	"kiosk/alipay"
	"kiosk/store"
)

// Gateway is what a sale needs from Alipay. *alipay.Client implements it.
type Gateway interface {
	Precreate(ctx context.Context, r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error)
	Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error)
	Cancel(ctx context.Context, r *alipay.CancelRequest) (*alipay.CancelResponse, error)
	Pay(ctx context.Context, r *alipay.PayRequest) (*alipay.PayResponse, error)
}

// Ledger is what a sale needs from the ledger. *store.Store implements it.
type Ledger interface {
	Create(sale store.Sale) error
	Get(outTradeNo string) (store.Sale, error)
	MarkPaid(outTradeNo string, p store.Payment) (store.Sale, bool, error)
	SetStatus(outTradeNo string, to store.Status, at time.Time, note, tradeNo string) (store.Sale, error)
	MarkRefundIfPaid(outTradeNo string, at time.Time, note string) (store.Sale, error)
	Unsettled() ([]store.Sale, error)
}

// BuyerSimulator plays the customer on an emulated gateway: paying a QR
// sale (or confirming a payment-code charge on the phone), and showing a
// payment code that the gateway answers as kind says. The root adapts
// *emulator.Emulator to it.
type BuyerSimulator interface {
	Pay(outTradeNo string) error
	IssueBuyerCode(kind BuyerCodeKind) (string, error)
}

// Mode says which kind of gateway the kiosk talks to, so that nobody
// mistakes a demonstration for real money.
type Mode string

// The gateway modes. Production has no badge.
const (
	ModeEmulator   Mode = "EMULATOR"
	ModeSandbox    Mode = "ALIPAY SANDBOX"
	ModeProduction Mode = ""
)

// ErrLedger marks a failure to read or write the ledger.
var ErrLedger = errors.New("ledger unavailable")

// ErrMismatch marks a verified answer from Alipay that does not agree with
// our own record of the sale; it is never recorded as a payment.
var ErrMismatch = errors.New("alipay's record does not match the sale")

// ErrPrecreateUnknown marks a Start whose precreate got no answer that
// proves Alipay has no trade for the order (a timeout, a reset, an answer
// that does not verify). No QR code was shown and the sale did not start,
// but Alipay may have the order: the sale is recorded unknown, to be
// cancelled with Alipay by Reconcile or Recover, and a payment for it is
// refunded.
var ErrPrecreateUnknown = errors.New("the sale did not start, but Alipay may have its order")

// ErrNoSimulator is returned by SimulatePayment on a real gateway.
var ErrNoSimulator = errors.New("no simulated buyer: the kiosk is not on the emulator")

// Register runs sales at one terminal. Its methods are synchronous and safe
// to call from the user interface's commands.
type Register struct {
	cfg      Config
	gw       Gateway
	ledger   Ledger
	clock    Clock
	buyer    BuyerSimulator
	verifier NotifyVerifier
	notified chan Notice
	log      *slog.Logger
	books    Books
	refunder Refunder

	headOffice HeadOffice // nil when the kiosk does not ship its ledger

	settings CounterSettings // nil: the choice of the way to pay lasts as long as the Register
	choice   choice

	marks PrintMarks // nil: a receipt that did not print is not recorded
}

// Option adjusts a Register.
type Option func(*Register)

// WithClock replaces the wall clock, for tests.
func WithClock(c Clock) Option { return func(r *Register) { r.clock = c } }

// WithBuyerSimulator lets the cashier's screen play the customer (emulator only).
func WithBuyerSimulator(b BuyerSimulator) Option { return func(r *Register) { r.buyer = b } }

// New builds a Register.
func New(cfg Config, gw Gateway, ledger Ledger, opts ...Option) (*Register, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	r := &Register{cfg: cfg, gw: gw, ledger: ledger, clock: SystemClock{}}
	for _, opt := range opts {
		opt(r)
	}
	return r, nil
}

// Config returns the settings in force, defaults filled in.
func (r *Register) Config() Config { return r.cfg }

// Now returns the Register's current time.
func (r *Register) Now() time.Time { return r.clock.Now() }

// CanSimulate reports whether SimulatePayment can play the customer.
func (r *Register) CanSimulate() bool { return r.buyer != nil }

// SimulatePayment makes the emulated customer scan and pay for sale.
func (r *Register) SimulatePayment(sale Sale) error {
	if r.buyer == nil {
		return ErrNoSimulator
	}
	return r.buyer.Pay(sale.OutTradeNo)
}

// Sale is a sale in progress, as the screen needs it.
type Sale struct {
	OutTradeNo string
	AmountFen  int64
	Subject    string
	QRCode     string
	StartedAt  time.Time
	Deadline   time.Time // when the QR code stops being offered, or the wait for the customer to confirm ends
	Method     PayMethod // PayByQR for Start's sales, PayByCode for ScanPay's
}

// Receipt is what the customer is shown once Alipay confirms the payment.
type Receipt struct {
	ReceiptNo  int
	OutTradeNo string
	TradeNo    string
	Buyer      string // masked buyer account
	AmountFen  int64
	Subject    string
	PaidAt     time.Time
	Duplicate  bool      // a reprint: same receipt number, marked DUPLICATE
	Late       bool      // printed after its sale left the screen (found paid at start-up or by the retry), marked so
	Method     PayMethod // how the customer paid
	// Unprinted: the ledger holds that this receipt has not come off the
	// printer, so a print of it is the receipt printed late, not a copy.
	Unprinted bool
}

func receiptOf(s store.Sale) Receipt {
	return Receipt{
		ReceiptNo:  s.ReceiptNo,
		OutTradeNo: s.OutTradeNo,
		TradeNo:    s.TradeNo,
		Buyer:      MaskAccount(s.BuyerLogonID),
		AmountFen:  s.AmountFen,
		Subject:    s.Subject,
		PaidAt:     s.PaidAt,
		Method:     PayMethod(s.Method),
		Unprinted:  s.ReceiptUnprinted,
	}
}

// Start validates the amount, records the sale as pending, and asks Alipay
// for its QR code. A sale whose QR code could not be had did not start. It
// is recorded failed only when the answer proves that Alipay has no trade
// for it; otherwise it is recorded unknown, to be cancelled with Alipay,
// and the error wraps ErrPrecreateUnknown.
func (r *Register) Start(ctx context.Context, amountFen int64, subject string) (Sale, error) {
	if err := checkRange(amountFen); err != nil {
		return Sale{}, err
	}
	sale, err := r.openSale(amountFen, subject, PayByQR)
	if err != nil {
		return Sale{}, err
	}
	qr, err := r.precreate(ctx, sale)
	if err != nil {
		return Sale{}, r.recordNotStarted(sale.OutTradeNo, err)
	}
	sale.QRCode = qr
	sale.Deadline = r.clock.Now().Add(r.cfg.QRTimeout)
	return sale, nil
}

// openSale records a new sale as pending, under a new order number.
func (r *Register) openSale(amountFen int64, subject string, method PayMethod) (Sale, error) {
	now := r.clock.Now()
	sale := Sale{
		OutTradeNo: newOutTradeNo(r.cfg.TerminalID, now.In(r.cfg.Location)),
		AmountFen:  amountFen,
		Subject:    r.subjectOr(subject),
		StartedAt:  now,
		Method:     method,
	}
	if err := r.ledger.Create(r.pendingRecord(sale)); err != nil {
		return Sale{}, fmt.Errorf("record sale %s: %w: %w", sale.OutTradeNo, ErrLedger, fromLedger(err, ""))
	}
	return sale, nil
}

func (r *Register) pendingRecord(sale Sale) store.Sale {
	return store.Sale{
		OutTradeNo: sale.OutTradeNo,
		TerminalID: r.cfg.TerminalID,
		StoreID:    r.cfg.StoreID,
		Subject:    sale.Subject,
		AmountFen:  sale.AmountFen,
		Status:     store.StatusPending,
		CreatedAt:  sale.StartedAt,
		Method:     store.PayMethod(sale.Method),
	}
}

// maxSubjectRunes keeps the subject inside Alipay's 256-character field.
const maxSubjectRunes = 128

func (r *Register) subjectOr(subject string) string {
	subject = strings.Join(strings.Fields(subject), " ")
	if subject == "" {
		subject = r.cfg.Subject
	}
	if runes := []rune(subject); len(runes) > maxSubjectRunes {
		subject = string(runes[:maxSubjectRunes])
	}
	return subject
}

func (r *Register) precreate(ctx context.Context, sale Sale) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PrecreateTimeout)
	defer cancel()
	resp, err := r.gw.Precreate(ctx, &alipay.PrecreateRequest{
		OutTradeNo:    sale.OutTradeNo,
		TotalFen:      sale.AmountFen,
		Subject:       sale.Subject,
		StoreID:       r.cfg.StoreID,
		TerminalID:    r.cfg.TerminalID,
		SellerID:      r.cfg.SellerID,
		QRCodeTimeout: r.cfg.QRTimeout,
		NotifyURL:     r.cfg.NotifyURL,
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("precreate %s: %w", sale.OutTradeNo, err)
	case resp.OutTradeNo != "" && resp.OutTradeNo != sale.OutTradeNo:
		return "", fmt.Errorf("precreate %s: answer is for %s: %w", sale.OutTradeNo, resp.OutTradeNo, ErrMismatch)
	case resp.QRCode == "":
		return "", fmt.Errorf("precreate %s: answer has no qr_code: %w", sale.OutTradeNo, alipay.ErrUnexpectedResponse)
	}
	return resp.QRCode, nil
}

// recordNotStarted records a sale whose precreate failed: failed when
// Alipay has no trade for it for sure, else unknown and to be refunded if
// paid, since the customer is told that the sale did not start.
func (r *Register) recordNotStarted(outTradeNo string, cause error) error {
	// A failure to record is secondary to the cause the cashier sees; the
	// sale stays pending and is settled by recovery at the next start.
	if noTradeCreated(cause) {
		_, _ = r.ledger.SetStatus(outTradeNo, store.StatusFailed, r.clock.Now(), problemNote(NoteProblem, "", cause).String(), "")
		return cause
	}
	err := fmt.Errorf("%w: %w", ErrPrecreateUnknown, cause)
	_, _ = r.ledger.MarkRefundIfPaid(outTradeNo, r.clock.Now(), problemNote(NoteNotStarted, "", err).String())
	return err
}

// noTradeCreated reports whether a failed precreate proves that Alipay has
// no trade for the order: the request never left, or Alipay refused it with
// a signed answer that does not say the order number is already taken.
func noTradeCreated(err error) bool {
	if alipay.IsNotSent(err) {
		return true
	}
	var ae *alipay.Error
	return alipay.IsRefused(err) && errors.As(err, &ae) && !orderNumberTaken[ae.SubCode]
}

// orderNumberTaken holds the refusals of a precreate that mean Alipay
// already has a trade under the order number.
var orderNumberTaken = map[string]bool{
	"ACQ.TRADE_HAS_SUCCESS":    true, // paid
	"ACQ.TRADE_HAS_CLOSE":      true, // closed, perhaps after a payment and its refund
	"ACQ.CONTEXT_INCONSISTENT": true, // another amount under the same number
}
