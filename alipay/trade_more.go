package alipay

import (
	"context"
	"fmt"
	"time"
)

// CloseRequest names the unpaid trade to close by either number.
type CloseRequest struct {
	OutTradeNo string
	TradeNo    string
	OperatorID string // optional
}

// CloseResponse names the trade that was closed.
type CloseResponse struct {
	OutTradeNo string `json:"out_trade_no"`
	TradeNo    string `json:"trade_no"`
}

// closeBiz is the biz_content of alipay.trade.close.
type closeBiz struct {
	tradeRef
	OperatorID string `json:"operator_id,omitempty"`
}

// Close closes an unpaid trade so that it can no longer be paid. Unlike
// Cancel it never refunds, and it answers ACQ.TRADE_NOT_EXIST for a
// precreated code nobody has scanned yet (Alipay has no trade to close).
// https://opendocs.alipay.com/apis/api_1/alipay.trade.close
func (c *Client) Close(ctx context.Context, r *CloseRequest) (*CloseResponse, error) {
	ref, err := newTradeRef(MethodClose, r.OutTradeNo, r.TradeNo)
	if err != nil {
		return nil, err
	}
	var out CloseResponse
	if err := c.do(ctx, MethodClose, &closeBiz{tradeRef: *ref, OperatorID: r.OperatorID}, &out); err != nil {
		return nil, err
	}
	if err := ref.check(MethodClose, out.OutTradeNo, out.TradeNo); err != nil {
		return nil, err
	}
	return &out, nil
}

// Limits of a payment code (付款码): 16 to 24 digits.
const (
	minAuthCodeLen = 16
	maxAuthCodeLen = 24
)

// PayRequest charges the buyer's payment code (付款码), scanned by the kiosk.
type PayRequest struct {
	OutTradeNo string // our order number, unique per merchant, ≤ 64 characters
	AuthCode   string // the digits of the code shown in the buyer's app
	Subject    string // shown to the buyer, ≤ 256 characters
	StoreID    string // optional
	TerminalID string // optional
	TotalFen   int64  // MinAmountFen..MaxAmountFen
}

// PayResponse describes the trade a payment-code charge created.
type PayResponse struct {
	TradeNo      string    `json:"trade_no"`
	OutTradeNo   string    `json:"out_trade_no"`
	BuyerLogonID string    `json:"buyer_logon_id"`       // masked, e.g. "xud***@126.com"
	TotalFen     int64     `json:"total_fen"`            // from total_amount
	GmtPayment   time.Time `json:"gmt_payment,omitzero"` // zero while the buyer has not confirmed
}

// payBiz is the biz_content of alipay.trade.pay.
type payBiz struct {
	OutTradeNo  string `json:"out_trade_no"`
	Scene       string `json:"scene"`
	AuthCode    string `json:"auth_code"`
	Subject     string `json:"subject"`
	TotalAmount string `json:"total_amount"`
	StoreID     string `json:"store_id,omitempty"`
	TerminalID  string `json:"terminal_id,omitempty"`
}

// payWire is the alipay.trade.pay result as sent.
type payWire struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	BuyerLogonID string `json:"buyer_logon_id"`
	TotalAmount  string `json:"total_amount"`
	GmtPayment   string `json:"gmt_payment"`
}

// Pay charges a payment code (scene bar_code). When the buyer must confirm
// on the phone, Alipay answers code 10003: Pay then returns the response
// AND an *Error with Code "10003" (see IsWaitingForBuyer); poll Query, and
// Cancel when the wait is over. Any other error, a timeout included, leaves
// the outcome unknown: Query before charging again.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.pay
func (c *Client) Pay(ctx context.Context, r *PayRequest) (*PayResponse, error) {
	biz, err := r.biz()
	if err != nil {
		return nil, err
	}
	res, err := c.call(ctx, MethodPay, nil, biz)
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
	if e.Code != CodeSuccess && e.Code != CodeWaitingForBuyer {
		return nil, e
	}
	resp, err := r.result(res)
	if err != nil {
		return nil, err
	}
	if e.Code == CodeWaitingForBuyer {
		return resp, e
	}
	return resp, nil
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
	// A scanner that read something else (a URL, a trailing CR) is caught
	// here rather than as an obscure gateway error.
	if n := len(r.AuthCode); n < minAuthCodeLen || n > maxAuthCodeLen || !isDigits(r.AuthCode) {
		return nil, invalid(MethodPay, "auth_code must be %d to %d digits", minAuthCodeLen, maxAuthCodeLen)
	}
	return &payBiz{
		OutTradeNo:  r.OutTradeNo,
		Scene:       "bar_code",
		AuthCode:    r.AuthCode,
		Subject:     r.Subject,
		TotalAmount: FormatAmount(r.TotalFen),
		StoreID:     r.StoreID,
		TerminalID:  r.TerminalID,
	}, nil
}

// result decodes a 10000 or 10003 answer and checks it is about r.
func (r *PayRequest) result(res *result) (*PayResponse, error) {
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
		TotalFen: total, GmtPayment: paid}, nil
}

// wireAmount reads an optional amount of a verified response; absent is 0.
func wireAmount(method, field, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	fen, err := ParseAmount(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %s: %w", ErrUnexpectedResponse, method, field, err)
	}
	return fen, nil
}

// wireTime reads an optional timestamp of a verified response; absent is
// the zero time.
func wireTime(method, field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s: %s: %v", ErrUnexpectedResponse, method, field, err)
	}
	return t, nil
}
