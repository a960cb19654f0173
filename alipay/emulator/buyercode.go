package emulator

import (
	"cmp"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
)

// BuyerCodeKind is what the emulator does when a buyer code it issued is
// presented to alipay.trade.pay: the customer's phone, played in advance.
type BuyerCodeKind string

// The kinds of buyer code. Their names are also the kind parameter of
// POST /buyer-code.
const (
	// BuyerCodePay is paid at once: 10000, the trade TRADE_SUCCESS.
	BuyerCodePay BuyerCodeKind = "pay"
	// BuyerCodeConfirm needs the buyer to confirm on the phone: 10003 (in
	// v3 an answer without gmt_payment), the trade WAIT_BUYER_PAY until
	// ConfirmBuyerCode, the buyer-code page or POST
	// /buyer-code/{code}/confirm pays it, or the kiosk cancels it.
	BuyerCodeConfirm BuyerCodeKind = "confirm"
	// BuyerCodeInsufficient is refused: 40004 ACQ.BUYER_BALANCE_NOT_ENOUGH.
	BuyerCodeInsufficient BuyerCodeKind = "insufficient"
	// BuyerCodeExpired is refused as an expired code: 40004
	// ACQ.PAYMENT_AUTH_CODE_INVALID.
	BuyerCodeExpired BuyerCodeKind = "expired"
	// BuyerCodeRisk is refused by risk control: 40004
	// ACQ.PAYMENT_REQUEST_HAS_RISK.
	BuyerCodeRisk BuyerCodeKind = "risk"
)

// buyerCodeKinds lists the kinds in the order pages and messages show them.
var buyerCodeKinds = []BuyerCodeKind{BuyerCodePay, BuyerCodeConfirm, BuyerCodeInsufficient, BuyerCodeExpired, BuyerCodeRisk}

// BuyerCodeKinds returns every kind, BuyerCodePay first.
func BuyerCodeKinds() []BuyerCodeKind { return slices.Clone(buyerCodeKinds) }

// ParseBuyerCodeKind reads a kind's name; "" is BuyerCodePay.
func ParseBuyerCodeKind(s string) (BuyerCodeKind, error) {
	if s == "" {
		return BuyerCodePay, nil
	}
	if k := BuyerCodeKind(s); slices.Contains(buyerCodeKinds, k) {
		return k, nil
	}
	names := make([]string, len(buyerCodeKinds))
	for i, k := range buyerCodeKinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("emulator: unknown buyer code kind %q (known: %s)", s, strings.Join(names, ", "))
}

// refusal is the 40004 a refused kind answers, nil for the kinds that pay.
func (k BuyerCodeKind) refusal() *failure {
	switch k {
	case BuyerCodeInsufficient:
		return businessFailed(alipay.SubCodeBuyerBalanceNotEnough, "买家余额不足，请顾客更换付款方式")
	case BuyerCodeExpired:
		return authCodeInvalid("付款码已过期，请顾客刷新付款码后重新收款")
	case BuyerCodeRisk:
		return businessFailed(alipay.SubCodePaymentRequestHasRisk, "支付存在风险，请顾客更换付款方式")
	}
	return nil
}

// authCodeInvalid is Alipay's answer to an auth_code it does not honour:
// not a code, unknown, expired or used already.
func authCodeInvalid(subMsg string) *failure {
	return businessFailed(alipay.SubCodePaymentAuthCodeInvalid, subMsg)
}

// Errors of ConfirmBuyerCode (wrapped with the code) and of the
// /buyer-code endpoints.
var (
	// ErrNoSuchCode means the emulator never issued that buyer code.
	ErrNoSuchCode = errors.New("emulator: no such buyer code")
	// ErrNothingToConfirm means no trade waits for that code's
	// confirmation: no alipay.trade.pay has presented it yet, or the one
	// that did was refused.
	ErrNothingToConfirm = errors.New("emulator: nothing to confirm for this buyer code")
)

// BuyerCode is a snapshot of one payment code the emulator issued.
type BuyerCode struct {
	Code     string        `json:"code"` // 18 digits beginning with 25 to 30
	Kind     BuyerCodeKind `json:"kind"`
	IssuedAt time.Time     `json:"issued_at"`
	// UsedAt is when alipay.trade.pay first presented the code, and
	// OutTradeNo that request's order; zero and "" while unused. A code
	// is used once, whatever the answer was.
	UsedAt     time.Time `json:"used_at,omitzero"`
	OutTradeNo string    `json:"out_trade_no,omitempty"`
}

// Used reports whether a pay request has presented the code.
func (c *BuyerCode) Used() bool { return c.OutTradeNo != "" }

// buyerCodeLen is the length of the codes the emulator issues, that of
// most codes Alipay's app shows.
const buyerCodeLen = 18

// IssueBuyerCode returns a new payment code that the emulator answers as
// kind says when alipay.trade.pay presents it: 18 digits beginning with 25
// to 30, as alipay.CheckPaymentCode wants, unlike any code issued before.
// It can be used once. With Config.StatePath it survives a restart.
func (e *Emulator) IssueBuyerCode(kind BuyerCodeKind) (string, error) {
	if !slices.Contains(buyerCodeKinds, kind) {
		_, err := ParseBuyerCodeKind(string(kind))
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	code := e.newBuyerCode()
	e.codes[code] = &BuyerCode{Code: code, Kind: kind, IssuedAt: e.now()}
	e.log.Info("buyer code issued", "code", code, "kind", string(kind))
	e.saveCodeLocked(e.codes[code])
	return code, nil
}

// newBuyerCode draws a code no other has. Called with the lock held.
func (e *Emulator) newBuyerCode() string {
	for {
		code := fmt.Sprintf("%d%016d", 25+mrand.IntN(6), mrand.Int64N(1e16))
		if e.codes[code] == nil {
			return code
		}
	}
}

// BuyerCodeInfo returns a snapshot of an issued code.
func (e *Emulator) BuyerCodeInfo(code string) (BuyerCode, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.codes[code]
	if c == nil {
		return BuyerCode{}, false
	}
	return *c, true
}

// BuyerCodes returns a snapshot of every issued code, oldest first (ties
// broken by code).
func (e *Emulator) BuyerCodes() []BuyerCode {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.storedCodes()
}

// ConfirmBuyerCode is the buyer confirming on the phone the charge that
// code started: its trade, WAIT_BUYER_PAY, becomes TRADE_SUCCESS (and the
// notification goes out). Confirming a paid trade again is not an error.
// Errors wrap ErrNoSuchCode, ErrNothingToConfirm or ErrTradeClosed (the
// kiosk cancelled or closed the trade first).
func (e *Emulator) ConfirmBuyerCode(code string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err := e.confirmLocked(code)
	return err
}

// confirmLocked confirms code and returns its trade as it is afterwards
// (nil when there is none). Called with the lock held.
func (e *Emulator) confirmLocked(code string) (*trade, error) {
	c := e.codes[code]
	if c == nil {
		return nil, fmt.Errorf("confirm %s: %w", code, ErrNoSuchCode)
	}
	t := e.codeTrade(c)
	if t == nil {
		return nil, fmt.Errorf("confirm %s: %w", code, ErrNothingToConfirm)
	}
	if err := e.payTrade(t); err != nil {
		return t, fmt.Errorf("confirm %s (%s): %w", code, t.OutTradeNo, err)
	}
	return t, nil
}

// codeTrade is the trade a code created, nil when it has none (unused, or
// refused). Called with the lock held.
func (e *Emulator) codeTrade(c *BuyerCode) *trade {
	t := e.trades.byOutTradeNo[c.OutTradeNo]
	if t == nil || t.AuthCode != c.Code {
		return nil
	}
	return t
}

// checkCodes reports what makes stored codes unusable.
func checkCodes(codes []BuyerCode) error {
	seen := map[string]bool{}
	for i, c := range codes {
		refuse := func(format string, args ...any) error {
			return &StateError{Problem: StateCode, Code: c.Code, detail: fmt.Sprintf(format, args...)}
		}
		switch {
		case !alipay.IsPaymentCode(c.Code):
			return refuse("buyer code %d: %q is not a payment code", i+1, c.Code)
		case seen[c.Code]:
			return refuse("buyer code %s appears twice", c.Code)
		case !slices.Contains(buyerCodeKinds, c.Kind):
			return refuse("buyer code %s: unknown kind %q", c.Code, c.Kind)
		case c.UsedAt.IsZero() != (c.OutTradeNo == ""):
			return refuse("buyer code %s: used_at and out_trade_no must come together", c.Code)
		}
		seen[c.Code] = true
	}
	return nil
}

// restoreCodes fills the code table from the state file.
func (e *Emulator) restoreCodes(codes []BuyerCode) error {
	if err := checkCodes(codes); err != nil {
		return err
	}
	for _, c := range codes {
		e.codes[c.Code] = &c
	}
	return nil
}

// storedCodes lists the code table, oldest first (ties broken by code).
// Called with the lock held.
func (e *Emulator) storedCodes() []BuyerCode {
	out := make([]BuyerCode, 0, len(e.codes))
	for _, c := range e.codes {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b BuyerCode) int {
		return cmp.Or(a.IssuedAt.Compare(b.IssuedAt), strings.Compare(a.Code, b.Code))
	})
	return out
}
