package emulator

import (
	"encoding/json"

	"kiosk/alipay"
)

// codeWaiting is alipay.trade.pay's "the buyer must confirm on the phone".
const codeWaiting = alipay.CodeWaitingForBuyer

// payBiz is the part of alipay.trade.pay's biz_content the emulator uses;
// other members are accepted and ignored.
type payBiz struct {
	OutTradeNo     string          `json:"out_trade_no"`
	Scene          string          `json:"scene"`
	AuthCode       string          `json:"auth_code"`
	ProductCode    string          `json:"product_code"`
	TotalAmount    json.RawMessage `json:"total_amount"`
	Subject        string          `json:"subject"`
	StoreID        string          `json:"store_id"`
	TerminalID     string          `json:"terminal_id"`
	TimeoutExpress string          `json:"timeout_express"`
}

// waitingForBuyer is the answer of a charge the buyer must confirm. It
// travels as a failure because in v2 it is a code other than 10000, but
// it is not one: v2 writes it as 10003 with the trade's fields, v3 as a
// 200 without gmt_payment.
func waitingForBuyer(fields []field) *failure {
	return &failure{code: codeWaiting, fields: fields}
}

// pay is alipay.trade.pay with scene bar_code: the kiosk scanned the
// buyer's payment code. Only codes from IssueBuyerCode are honoured, each
// once, as its kind says; anything else is ACQ.PAYMENT_AUTH_CODE_INVALID.
// A charge that goes through is a trade in the same table as precreated
// ones, already known to query (there is no scan to wait for).
func (e *Emulator) pay(c *call) ([]field, *failure) {
	var biz payBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	fen, fail := checkPay(&biz)
	if fail != nil {
		return nil, fail
	}
	if _, err := qrExpiry(biz.TimeoutExpress, e.now()); err != nil {
		return nil, badParam("timeout_express: %v", err)
	}
	notifyURL := e.checkNotifyURL(c.params.Get("notify_url"))
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.trades.byOutTradeNo[biz.OutTradeNo]; t != nil {
		return repeatPay(t, &biz, fen)
	}
	code, fail := e.useCode(biz.AuthCode, biz.OutTradeNo)
	if fail == nil {
		fail = code.Kind.refusal()
	}
	if fail != nil {
		e.log.Info("payment code refused", "out_trade_no", biz.OutTradeNo, "sub_code", fail.subCode, "sub_msg", fail.subMsg)
		// Alipay's refusals name the order and report that nothing was paid.
		fail.fields = zeroAmounts(field{"out_trade_no", biz.OutTradeNo})
		return nil, fail
	}
	t := e.newPayTrade(&biz, fen, notifyURL)
	if code.Kind == BuyerCodeConfirm {
		e.log.Info("waiting for the buyer to confirm", "out_trade_no", t.OutTradeNo, "trade_no", t.TradeNo)
		return nil, waitingForBuyer(payFields(t))
	}
	_ = e.payTrade(t) // a trade just made WAIT_BUYER_PAY is always payable
	return payFields(t), nil
}

// checkPay validates pay's fields and returns the amount in fen. The
// auth_code is only required here: what Alipay thinks of it comes later.
func checkPay(biz *payBiz) (int64, *failure) {
	fen, fail := checkOrder(biz.OutTradeNo, biz.Subject, biz.TotalAmount)
	switch {
	case fail != nil:
		return 0, fail
	case biz.Scene == "":
		return 0, badParam("scene is required")
	case biz.Scene != alipay.SceneBarCode:
		return 0, badParam("scene %q: only %s is emulated", biz.Scene, alipay.SceneBarCode)
	case biz.ProductCode != "" && biz.ProductCode != alipay.ProductFaceToFace:
		return 0, badParam("product_code %q: only %s is emulated", biz.ProductCode, alipay.ProductFaceToFace)
	case biz.AuthCode == "":
		return 0, badParam("auth_code is required")
	}
	return fen, nil
}

// useCode spends the buyer code auth on outTradeNo, or says why Alipay
// would not take it. Called with the lock held.
func (e *Emulator) useCode(auth, outTradeNo string) (*BuyerCode, *failure) {
	if !alipay.IsPaymentCode(auth) {
		return nil, authCodeInvalid("付款码无效，请顾客出示支付宝付款码")
	}
	c := e.codes[auth]
	switch {
	case c == nil:
		return nil, authCodeInvalid("付款码无效，请顾客刷新付款码后重新收款")
	case c.Used():
		e.log.Info("payment code used again", "code", auth, "first_out_trade_no", c.OutTradeNo, "out_trade_no", outTradeNo)
		return nil, authCodeInvalid("付款码已使用，请顾客刷新付款码后重新收款")
	}
	c.UsedAt, c.OutTradeNo = e.now(), outTradeNo
	e.saveCodeLocked(c)
	return c, nil
}

// repeatPay answers a pay for an out_trade_no already in the table: the
// same request again (a retry after a lost answer) is told the trade's
// state; a different one is refused.
func repeatPay(t *trade, biz *payBiz, fen int64) ([]field, *failure) {
	switch {
	case t.Status == StatusTradeSuccess:
		return nil, businessFailed(alipay.SubCodeTradeHasSuccess, "交易已被支付")
	case t.Status == StatusTradeClosed:
		return nil, businessFailed(alipay.SubCodeTradeHasClose, "交易已经关闭")
	case t.AuthCode != biz.AuthCode || t.TotalFen != fen:
		return nil, businessFailed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改")
	}
	return nil, waitingForBuyer(payFields(t))
}

// newPayTrade records the trade of a charge that goes through, at once
// WAIT_BUYER_PAY with a trade_no and a buyer. It gets a token too, so that
// the buyer's page /qr/{token} can confirm it. Called with the lock held.
func (e *Emulator) newPayTrade(biz *payBiz, fen int64, notifyURL string) *trade {
	t := e.addTrade(Trade{
		OutTradeNo: biz.OutTradeNo,
		Subject:    biz.Subject,
		TotalFen:   fen,
		Status:     StatusPrecreated,
		CreatedAt:  e.now(),
		Scene:      alipay.SceneBarCode,
		AuthCode:   biz.AuthCode,
	}, biz.StoreID, biz.TerminalID, notifyURL)
	_ = e.scanTrade(t) // a new trade without a QR expiry always scans
	return t
}

// payFields describes a charge as alipay.trade.pay answers it: the
// amounts and gmt_payment once paid, zero amounts while the buyer has not
// confirmed.
func payFields(t *trade) []field {
	fields := []field{
		{"buyer_logon_id", t.BuyerLogonID},
		{"buyer_user_id", t.buyerUserID},
		{"out_trade_no", t.OutTradeNo},
		{"total_amount", alipay.FormatAmount(t.TotalFen)},
		{"trade_no", t.TradeNo},
	}
	if t.PaidAt.IsZero() {
		return zeroAmounts(fields...)
	}
	paid := alipay.FormatAmount(t.TotalFen)
	return append(fields,
		field{"buyer_pay_amount", paid},
		field{"gmt_payment", alipay.FormatTime(t.PaidAt)},
		field{"invoice_amount", paid},
		field{"point_amount", "0.00"},
		field{"receipt_amount", paid},
	)
}
