package alipay

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// Fixed values of a payment-code charge.
const (
	// SceneBarCode is the scene of a payment code scanned by the till
	// (条码支付); Alipay also knows wave_code (sound waves), which a
	// counter kiosk does not use.
	SceneBarCode = "bar_code"
	// ProductFaceToFace is the product_code of face-to-face payment
	// (当面付). Alipay assumes it when product_code is absent; Pay sends it
	// anyway, so the request says what it is.
	ProductFaceToFace = "FACE_TO_FACE_PAYMENT"
)

// PayRequest charges the buyer's payment code (付款码), scanned by the kiosk.
type PayRequest struct {
	OutTradeNo string // our order number, unique per merchant, ≤ 64 characters; a new one for every scan
	AuthCode   string // the digits of the code shown in the buyer's app (see CheckPaymentCode)
	Subject    string // shown to the buyer, ≤ 256 characters
	StoreID    string // optional
	TerminalID string // optional
	TotalFen   int64  // MinAmountFen..MaxAmountFen
	SellerID   string // optional: the 2088… partner id that must receive the money
	// Timeout is optional: timeout_express, how long the buyer may take to
	// confirm on the phone before Alipay closes the trade; sent as whole
	// minutes, rounded up, 1m to 15d.
	Timeout   time.Duration
	NotifyURL string // optional common parameter notify_url
}

// PayResponse describes the trade a payment-code charge created.
type PayResponse struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	BuyerLogonID string `json:"buyer_logon_id"` // masked, e.g. "xud***@126.com"
	BuyerUserID  string `json:"buyer_user_id"`  // 2088…, "" when Alipay leaves it out
	TotalFen     int64  `json:"total_fen"`      // from total_amount
	// TradeStatus is TradeSuccess when the charge went through and
	// WaitBuyerPay while the buyer still has to confirm on the phone (then
	// Pay's error is IsWaitingForBuyer too).
	TradeStatus TradeStatus `json:"trade_status"`
	GmtPayment  time.Time   `json:"gmt_payment,omitzero"` // zero while the buyer has not confirmed
}

// Waiting reports whether the buyer still has to confirm the charge on the
// phone: poll Query, and Cancel when the wait is over.
func (r *PayResponse) Waiting() bool { return r.TradeStatus == WaitBuyerPay }

// payBiz is the biz_content of alipay.trade.pay.
type payBiz struct {
	OutTradeNo     string `json:"out_trade_no"`
	Scene          string `json:"scene"`
	AuthCode       string `json:"auth_code"`
	ProductCode    string `json:"product_code"`
	Subject        string `json:"subject"`
	TotalAmount    string `json:"total_amount"`
	StoreID        string `json:"store_id,omitempty"`
	TerminalID     string `json:"terminal_id,omitempty"`
	SellerID       string `json:"seller_id,omitempty"`
	TimeoutExpress string `json:"timeout_express,omitempty"`
}

// payWire is the alipay.trade.pay result as sent.
type payWire struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	BuyerLogonID string `json:"buyer_logon_id"`
	BuyerUserID  string `json:"buyer_user_id"`
	TotalAmount  string `json:"total_amount"`
	GmtPayment   string `json:"gmt_payment"`
}

// Pay charges a payment code (scene bar_code). The outcomes, and how to
// tell them apart:
//
//   - paid: a response with TradeStatus TradeSuccess and a nil error;
//   - the buyer must confirm on the phone (code 10003; in v3 an answer
//     without gmt_payment): a response with TradeStatus WaitBuyerPay AND
//     an *Error with Code "10003", so IsWaitingForBuyer(err) holds; poll
//     Query, and Cancel when the wait is over;
//   - refused (40004: the code expired or was used, the balance is short,
//     risk control …): a signed *Error, IsRefused(err), its SubCode and
//     SubMsg saying why (SubCodePaymentAuthCodeInvalid and the others);
//     nothing was charged, and the next scan needs a new OutTradeNo;
//   - not sent: IsNotSent(err), the request was refused here (a bad
//     code, see CheckPaymentCode) or never reached the gateway;
//   - unknown: everything else (20000 or ACQ.SYSTEM_ERROR, a timeout, a
//     reset, an answer that does not verify): the buyer may have been
//     charged. Query, and Cancel unless it is paid; never send Pay again
//     for the same OutTradeNo (a paid one answers ACQ.TRADE_HAS_SUCCESS,
//     which IsRefused cannot tell from a refusal).
//
// https://opendocs.alipay.com/apis/api_1/alipay.trade.pay
func (c *Client) Pay(ctx context.Context, r *PayRequest) (*PayResponse, error) {
	biz, err := r.biz()
	if err != nil {
		return nil, err
	}
	var extra url.Values
	if r.NotifyURL != "" {
		extra = url.Values{"notify_url": {r.NotifyURL}}
	}
	res, err := c.call(ctx, MethodPay, extra, biz)
	if err != nil {
		return nil, err
	}
	if c.cfg.Protocol == ProtocolV3 {
		return r.payResultV3(res)
	}
	e, err := envelope(MethodPay, res)
	if err != nil {
		return nil, err
	}
	switch e.Code {
	case CodeSuccess:
		return r.result(res, TradeSuccess)
	case CodeWaitingForBuyer:
		resp, err := r.result(res, WaitBuyerPay)
		if err != nil {
			return nil, err
		}
		return resp, e
	}
	return nil, e
}

// biz checks r and builds its biz_content.
func (r *PayRequest) biz() (*payBiz, error) {
	if err := checkOutTradeNo(MethodPay, r.OutTradeNo, true); err != nil {
		return nil, err
	}
	if err := checkAmount(MethodPay, "total", r.TotalFen); err != nil {
		return nil, err
	}
	if err := checkSubject(MethodPay, r.Subject); err != nil {
		return nil, err
	}
	// A scanner that read something else (a URL, a trailing CR, another
	// wallet's code) is caught here rather than as an obscure gateway error.
	if err := CheckPaymentCode(r.AuthCode); err != nil {
		return nil, fmt.Errorf("%w: %s: auth_code: %w", ErrInvalidRequest, MethodPay, err)
	}
	timeout, err := minutesExpress(MethodPay, "timeout", r.Timeout)
	if err != nil {
		return nil, err
	}
	return &payBiz{
		OutTradeNo:     r.OutTradeNo,
		Scene:          SceneBarCode,
		AuthCode:       r.AuthCode,
		ProductCode:    ProductFaceToFace,
		Subject:        r.Subject,
		TotalAmount:    FormatAmount(r.TotalFen),
		StoreID:        r.StoreID,
		TerminalID:     r.TerminalID,
		SellerID:       r.SellerID,
		TimeoutExpress: timeout,
	}, nil
}

// result decodes a 10000 or 10003 answer, whose status the caller knows
// from its code, and checks it is about r.
func (r *PayRequest) result(res *result, status TradeStatus) (*PayResponse, error) {
	var w payWire
	if err := decodeBody(MethodPay, res, &w); err != nil {
		return nil, err
	}
	if err := mismatch(MethodPay, "out_trade_no", r.OutTradeNo, w.OutTradeNo); err != nil {
		return nil, err
	}
	total, err := wireAmount(MethodPay, "total_amount", w.TotalAmount)
	if err != nil {
		return nil, err
	}
	if total != 0 && total != r.TotalFen {
		return nil, fmt.Errorf("%w: %s: total_amount %s, asked for %s", ErrUnexpectedResponse, MethodPay,
			FormatAmount(total), FormatAmount(r.TotalFen))
	}
	paid, err := wireTime(MethodPay, "gmt_payment", w.GmtPayment)
	if err != nil {
		return nil, err
	}
	return &PayResponse{TradeNo: w.TradeNo, OutTradeNo: w.OutTradeNo, BuyerLogonID: w.BuyerLogonID,
		BuyerUserID: w.BuyerUserID, TotalFen: total, TradeStatus: status, GmtPayment: paid}, nil
}
