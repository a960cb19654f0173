package emulator

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
)

// Trade statuses. StatusPrecreated is the emulator's own: Alipay has no
// trade at all before the buyer scans. The others are Alipay's trade_status.
const (
	StatusPrecreated   = "PRECREATED"
	StatusWaitBuyerPay = "WAIT_BUYER_PAY"
	StatusTradeSuccess = "TRADE_SUCCESS"
	StatusTradeClosed  = "TRADE_CLOSED"
)

// Trade is a snapshot of one trade as the emulator sees it.
type Trade struct {
	OutTradeNo   string
	TradeNo      string // assigned when the buyer scans
	Subject      string
	BuyerLogonID string // masked, as Alipay reports it
	TotalFen     int64
	Status       string // StatusPrecreated, then Alipay's trade_status
	// Refunded reports that the whole payment went back to the buyer: a
	// cancel after payment or refunds adding up to TotalFen. Partial
	// refunds show only in Refunds.
	Refunded    bool
	Refunds     []Refund // oldest first
	CreatedAt   time.Time
	PaidAt      time.Time
	QRExpiresAt time.Time // an unscanned QR code stops working then; zero: never
	// Scene is alipay.SceneBarCode for a charge of the buyer's payment
	// code (alipay.trade.pay), AuthCode that code; both are "" for a
	// trade precreated as a QR code.
	Scene    string
	AuthCode string
}

// Refund is one refund of a paid trade. A cancel after payment is recorded
// as a refund of what was left, with an empty OutRequestNo.
type Refund struct {
	OutRequestNo string    `json:"out_request_no,omitempty"`
	Fen          int64     `json:"fen"`
	At           time.Time `json:"at"`
	Reason       string    `json:"reason,omitempty"` // refund_reason, given back by the refund query
}

// RefundedFen is the amount refunded so far.
func (t *Trade) RefundedFen() int64 {
	var sum int64
	for _, r := range t.Refunds {
		sum += r.Fen
	}
	return sum
}

// refund returns the refund with outRequestNo, or nil.
func (t *Trade) refund(outRequestNo string) *Refund {
	for i := range t.Refunds {
		if t.Refunds[i].OutRequestNo == outRequestNo {
			return &t.Refunds[i]
		}
	}
	return nil
}

// trade is a table entry: the snapshot plus what only the emulator needs.
type trade struct {
	Trade
	token       string // the /qr/{token} path element
	buyerUserID string
	storeID     string
	terminalID  string
	notifyURL   string // precreate's notify_url, "" for none
}

// snapshot copies the trade for a caller outside the lock.
func (t *trade) snapshot() Trade {
	s := t.Trade
	s.Refunds = slices.Clone(t.Refunds)
	return s
}

// scanned reports whether Alipay would know the trade: only a scan
// creates it, so query and cancel do not see a trade before that.
func (t *trade) scanned() bool {
	return t.TradeNo != ""
}

// qrExpired reports whether the QR code of an unscanned trade has expired
// at now.
func (t *trade) qrExpired(now time.Time) bool {
	return t.Status == StatusPrecreated && !t.QRExpiresAt.IsZero() && !now.Before(t.QRExpiresAt)
}

// tradeTable indexes trades by out_trade_no, QR token and trade_no. The
// Emulator's mutex guards it.
type tradeTable struct {
	byOutTradeNo map[string]*trade
	byToken      map[string]*trade
	byTradeNo    map[string]*trade
}

// newTradeTable returns an empty table.
func newTradeTable() tradeTable {
	return tradeTable{
		byOutTradeNo: map[string]*trade{},
		byToken:      map[string]*trade{},
		byTradeNo:    map[string]*trade{},
	}
}

// add stores a new trade under its out_trade_no and token.
func (tt *tradeTable) add(t *trade) {
	tt.byOutTradeNo[t.OutTradeNo] = t
	tt.byToken[t.token] = t
}

// find locates a trade the way query and cancel do: by trade_no when given
// (out_trade_no, if also given, must then match), else by out_trade_no.
func (tt *tradeTable) find(outTradeNo, tradeNo string) *trade {
	if tradeNo == "" {
		return tt.byOutTradeNo[outTradeNo]
	}
	t := tt.byTradeNo[tradeNo]
	if t != nil && outTradeNo != "" && t.OutTradeNo != outTradeNo {
		return nil
	}
	return t
}

// scanTrade moves a precreated trade to WAIT_BUYER_PAY, giving it a trade_no and
// a buyer. Scanning again is harmless; a closed trade or an expired QR code
// cannot be scanned.
func (e *Emulator) scanTrade(t *trade) error {
	switch {
	case t.Status == StatusTradeClosed:
		return ErrTradeClosed
	case t.qrExpired(e.now()):
		return ErrExpired
	case t.Status == StatusPrecreated:
		b := buyers[len(e.trades.byTradeNo)%len(buyers)]
		t.TradeNo = e.newTradeNo()
		t.BuyerLogonID = maskLogonID(b.logonID)
		t.buyerUserID = b.userID
		t.Status = StatusWaitBuyerPay
		e.trades.byTradeNo[t.TradeNo] = t
		e.log.Info("buyer scanned", "out_trade_no", t.OutTradeNo, "trade_no", t.TradeNo)
		e.saveLocked(t)
	}
	return nil
}

// payTrade scans t if needed and marks it paid. Paying a paid trade again is
// harmless (a double tap on the buyer's page); a closed one cannot be paid.
func (e *Emulator) payTrade(t *trade) error {
	if err := e.scanTrade(t); err != nil {
		return err
	}
	if t.Status == StatusWaitBuyerPay {
		t.Status = StatusTradeSuccess
		t.PaidAt = e.now()
		e.log.Info("buyer paid", "out_trade_no", t.OutTradeNo, "trade_no", t.TradeNo,
			"total_amount", alipay.FormatAmount(t.TotalFen))
		e.saveLocked(t)
		e.notifyLocked(t, nil)
	}
	return nil
}

// cancelTrade closes t and returns Alipay's action: "close" for an unpaid
// trade, "refund" for a paid one, whose remaining amount is refunded.
// Cancelling again repeats the first answer, so a client that lost the
// response and retries learns what happened. Called with the lock held.
func (e *Emulator) cancelTrade(t *trade) string {
	switch t.Status {
	case StatusTradeSuccess:
		r := Refund{Fen: t.TotalFen - t.RefundedFen(), At: e.now()}
		t.Refunds = append(t.Refunds, r)
		t.Status = StatusTradeClosed
		t.Refunded = true
		e.saveLocked(t)
		e.notifyLocked(t, &r)
	case StatusPrecreated, StatusWaitBuyerPay:
		t.Status = StatusTradeClosed
		e.saveLocked(t)
	}
	if t.PaidAt.IsZero() {
		return "close"
	}
	return "refund"
}

// Scan is the buyer scanning the QR code of outTradeNo: the trade now
// exists for query, as WAIT_BUYER_PAY. Errors wrap ErrNoSuchTrade,
// ErrTradeClosed or ErrExpired.
func (e *Emulator) Scan(outTradeNo string) error {
	return e.withTrade("scan", outTradeNo, e.scanTrade)
}

// Pay is the buyer scanning (if not yet done) and paying outTradeNo, which
// becomes TRADE_SUCCESS. Paying a paid trade is not an error. Errors wrap
// ErrNoSuchTrade, ErrTradeClosed or ErrExpired.
func (e *Emulator) Pay(outTradeNo string) error {
	return e.withTrade("pay", outTradeNo, e.payTrade)
}

// withTrade runs fn on the trade of outTradeNo under the lock.
func (e *Emulator) withTrade(op, outTradeNo string, fn func(*trade) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.byOutTradeNo[outTradeNo]
	if t == nil {
		return fmt.Errorf("%s %s: %w", op, outTradeNo, ErrNoSuchTrade)
	}
	if err := fn(t); err != nil {
		return fmt.Errorf("%s %s: %w", op, outTradeNo, err)
	}
	return nil
}

// Trade returns a snapshot of the trade of outTradeNo, including one that
// was precreated but never scanned.
func (e *Emulator) Trade(outTradeNo string) (Trade, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.byOutTradeNo[outTradeNo]
	if t == nil {
		return Trade{}, false
	}
	return t.snapshot(), true
}

// Trades returns a snapshot of all trades, oldest first (ties broken by
// out_trade_no).
func (e *Emulator) Trades() []Trade {
	e.mu.Lock()
	out := make([]Trade, 0, len(e.trades.byOutTradeNo))
	for _, t := range e.trades.byOutTradeNo {
		out = append(out, t.snapshot())
	}
	e.mu.Unlock()
	slices.SortFunc(out, func(a, b Trade) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.OutTradeNo, b.OutTradeNo))
	})
	return out
}

// newTradeNo makes a trade_no shaped like Alipay's: the date, "22001" and
// 15 digits, 28 characters in all. Called with the lock held.
func (e *Emulator) newTradeNo() string {
	date := e.now().In(alipay.Location()).Format("20060102")
	for {
		no := fmt.Sprintf("%s22001%015d", date, mrand.Int64N(1e15))
		if e.trades.byTradeNo[no] == nil {
			return no
		}
	}
}

// newToken returns a random URL-safe token of 16 bytes for a QR URL.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}
