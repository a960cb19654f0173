package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"kiosk/alipay"
)

// Limits of the precreate fields, from Alipay's API reference.
const (
	maxOutTradeNoLen = 64
	maxSubjectRunes  = 256
)

// precreateBiz is the part of alipay.trade.precreate's biz_content the
// emulator uses; other members are accepted and ignored.
type precreateBiz struct {
	OutTradeNo  string          `json:"out_trade_no"`
	TotalAmount json.RawMessage `json:"total_amount"` // a string, or a number from careless clients
	Subject     string          `json:"subject"`
	StoreID     string          `json:"store_id"`
	TerminalID  string          `json:"terminal_id"`
	QRTimeout   string          `json:"qr_code_timeout_express"`
}

// tradeRef is the biz_content of query and cancel.
type tradeRef struct {
	OutTradeNo string `json:"out_trade_no"`
	TradeNo    string `json:"trade_no"`
}

// badParam is the gateway's answer to a biz_content that breaks the API's
// schema.
func badParam(format string, args ...any) *failure {
	return invalidArg("isv.invalid-parameter", "参数无效: "+fmt.Sprintf(format, args...))
}

// decodeBiz parses biz_content into v.
func decodeBiz(c *call, v any) *failure {
	biz := c.params.Get("biz_content")
	if biz == "" {
		return badParam("biz_content is required")
	}
	if err := json.Unmarshal([]byte(biz), v); err != nil {
		return badParam("biz_content is not a valid JSON object: %v", err)
	}
	return nil
}

// precreate is alipay.trade.precreate: reserve the order and hand out a QR
// code. Nothing exists for query until the buyer scans.
func (e *Emulator) precreate(c *call) ([]field, *failure) {
	var biz precreateBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	fen, fail := checkPrecreate(&biz)
	if fail != nil {
		return nil, fail
	}
	now := e.now()
	expires, err := qrExpiry(biz.QRTimeout, now)
	if err != nil {
		return nil, badParam("qr_code_timeout_express: %v", err)
	}
	notifyURL := e.checkNotifyURL(c.params.Get("notify_url"))
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.byOutTradeNo[biz.OutTradeNo]
	if t != nil {
		if fail := repeatPrecreate(t, fen, now); fail != nil {
			return nil, fail
		}
	} else {
		t = e.newTrade(&biz, fen, expires, notifyURL)
	}
	// The host comes from this request, so that a restarted emulator on
	// another port hands out working codes for the trades it kept.
	qr := c.baseURL + "/qr/" + t.token
	e.log.Info("precreated", "out_trade_no", t.OutTradeNo, "total_amount", alipay.FormatAmount(fen), "qr_code", qr)
	return []field{{"out_trade_no", t.OutTradeNo}, {"qr_code", qr}}, nil
}

// checkPrecreate validates precreate's fields and returns the amount in fen.
func checkPrecreate(biz *precreateBiz) (int64, *failure) {
	return checkOrder(biz.OutTradeNo, biz.Subject, biz.TotalAmount)
}

// checkOrder validates the fields precreate and pay share and returns the
// amount in fen.
func checkOrder(outTradeNo, subject string, totalAmount json.RawMessage) (int64, *failure) {
	if fail := checkOutTradeNo(outTradeNo); fail != nil {
		return 0, fail
	}
	if subject == "" {
		return 0, badParam("subject is required")
	}
	if utf8.RuneCountInString(subject) > maxSubjectRunes {
		return 0, badParam("subject is longer than %d characters", maxSubjectRunes)
	}
	return checkAmount("total_amount", totalAmount)
}

// checkOutTradeNo enforces Alipay's rule: 1 to 64 letters, digits and
// underscores.
func checkOutTradeNo(no string) *failure {
	if no == "" {
		return badParam("out_trade_no is required")
	}
	if len(no) > maxOutTradeNoLen {
		return badParam("out_trade_no is longer than %d characters", maxOutTradeNoLen)
	}
	for _, r := range no {
		if !(r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return badParam("out_trade_no %q may hold only letters, digits and underscores", no)
		}
	}
	return nil
}

// checkAmount parses the amount member name with alipay.ParseAmount and
// applies Alipay's range [0.01, 100000000]. A JSON number is read by its
// literal text, so 0.1 is 10 fen and 1e2 is refused.
func checkAmount(name string, raw json.RawMessage) (int64, *failure) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, badParam("%s is required", name)
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, badParam("%s: %v", name, err)
		}
	}
	fen, err := alipay.ParseAmount(text)
	if err != nil {
		return 0, badParam("%s %q is not an amount in yuan with at most two decimals", name, text)
	}
	switch {
	case fen < alipay.MinAmountFen:
		return 0, businessFailed("ACQ.INVALID_PARAMETER", "参数无效: "+name+" must be at least 0.01")
	case fen > alipay.MaxAmountFen:
		return 0, businessFailed("ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额")
	}
	return fen, nil
}

// repeatPrecreate answers a precreate for an out_trade_no already seen:
// the same QR code while the trade is open and the amount unchanged. An
// expired QR code counts as closed: the sale needs a new out_trade_no.
func repeatPrecreate(t *trade, fen int64, now time.Time) *failure {
	switch {
	case t.Status == StatusTradeSuccess:
		return businessFailed("ACQ.TRADE_HAS_SUCCESS", "交易已被支付")
	case t.Status == StatusTradeClosed, t.qrExpired(now):
		return businessFailed("ACQ.TRADE_HAS_CLOSE", "交易已经关闭")
	case t.TotalFen != fen:
		return businessFailed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
	}
	return nil
}

// newTrade records a precreated trade. Called with the lock held.
func (e *Emulator) newTrade(biz *precreateBiz, fen int64, expires time.Time, notifyURL string) *trade {
	return e.addTrade(Trade{
		OutTradeNo:  biz.OutTradeNo,
		Subject:     biz.Subject,
		TotalFen:    fen,
		Status:      StatusPrecreated,
		CreatedAt:   e.now(),
		QRExpiresAt: expires,
	}, biz.StoreID, biz.TerminalID, notifyURL)
}

// addTrade records a new trade made of base, under a QR token of its own.
// Called with the lock held.
func (e *Emulator) addTrade(base Trade, storeID, terminalID, notifyURL string) *trade {
	token := newToken()
	for e.trades.byToken[token] != nil {
		token = newToken()
	}
	t := &trade{Trade: base, token: token, storeID: storeID, terminalID: terminalID, notifyURL: notifyURL}
	e.trades.add(t)
	e.saveLocked(t)
	return t
}

// decodeRef parses the biz_content of query and cancel.
func decodeRef(c *call) (tradeRef, *failure) {
	var ref tradeRef
	if fail := decodeBiz(c, &ref); fail != nil {
		return ref, fail
	}
	if ref.OutTradeNo == "" && ref.TradeNo == "" {
		return ref, badParam("out_trade_no or trade_no is required")
	}
	return ref, nil
}

// query is alipay.trade.query.
func (e *Emulator) query(c *call) ([]field, *failure) {
	ref, fail := decodeRef(c)
	if fail != nil {
		return nil, fail
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.find(ref.OutTradeNo, ref.TradeNo)
	if t == nil || !t.scanned() {
		return nil, businessFailed(alipay.SubCodeTradeNotExist, "交易不存在",
			zeroAmounts(field{"out_trade_no", ref.OutTradeNo})...)
	}
	return queryFields(t), nil
}

// zeroAmounts adds the amount members Alipay includes even when nothing was
// paid.
func zeroAmounts(fields ...field) []field {
	for _, k := range []string{"buyer_pay_amount", "invoice_amount", "point_amount", "receipt_amount"} {
		fields = append(fields, field{k, "0.00"})
	}
	return fields
}

// queryFields describes a trade as alipay.trade.query does.
func queryFields(t *trade) []field {
	fields := []field{
		{"buyer_logon_id", t.BuyerLogonID},
		{"buyer_user_id", t.buyerUserID},
		{"buyer_user_type", "PRIVATE"},
		{"out_trade_no", t.OutTradeNo},
		{"store_id", t.storeID},
		{"terminal_id", t.terminalID},
		{"total_amount", alipay.FormatAmount(t.TotalFen)},
		{"trade_no", t.TradeNo},
		{"trade_status", t.Status},
	}
	if t.PaidAt.IsZero() {
		return zeroAmounts(fields...)
	}
	paid := alipay.FormatAmount(t.TotalFen)
	return append(fields,
		field{"buyer_pay_amount", paid},
		field{"invoice_amount", paid},
		field{"point_amount", "0.00"},
		field{"receipt_amount", paid},
		field{"send_pay_date", alipay.FormatTime(t.PaidAt)},
	)
}

// cancel is alipay.trade.cancel: close an unpaid trade, refund a paid one.
// Unlike query it also reaches a trade nobody has scanned, which can no
// longer be paid afterwards. An unknown trade is a success with nothing to
// do, as on Alipay.
func (e *Emulator) cancel(c *call) ([]field, *failure) {
	ref, fail := decodeRef(c)
	if fail != nil {
		return nil, fail
	}
	if e.cancelRetry(ref) {
		return nil, businessFailed(alipay.SubCodeSystemError, "系统错误",
			field{"out_trade_no", ref.OutTradeNo}, field{"retry_flag", "Y"}, field{"trade_no", ref.TradeNo})
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.find(ref.OutTradeNo, ref.TradeNo)
	if t == nil {
		return []field{{"out_trade_no", ref.OutTradeNo}, {"retry_flag", "N"}, {"trade_no", ref.TradeNo}}, nil
	}
	action := e.cancelTrade(t)
	e.log.Info("cancelled", "out_trade_no", t.OutTradeNo, "action", action)
	return []field{
		{"action", action},
		{"out_trade_no", t.OutTradeNo},
		{"retry_flag", "N"},
		{"trade_no", t.TradeNo},
	}, nil
}
