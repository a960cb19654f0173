package alipay

import (
	"context"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"
)

// Method names of the calls this package makes.
const (
	MethodPrecreate = "alipay.trade.precreate"
	MethodQuery     = "alipay.trade.query"
	MethodCancel    = "alipay.trade.cancel"

	MethodClose           = "alipay.trade.close"
	MethodPay             = "alipay.trade.pay"
	MethodRefund          = "alipay.trade.refund"
	MethodRefundQuery     = "alipay.trade.fastpay.refund.query"
	MethodBillDownloadURL = "alipay.data.dataservice.bill.downloadurl.query"
)

// Limits Alipay documents for face-to-face requests.
const (
	maxOutTradeNoLen = 64
	maxSubjectLen    = 256                 // characters
	maxQRCodeTimeout = 15 * 24 * time.Hour // qr_code_timeout_express and timeout_express accept 1m..15d
)

// PrecreateRequest asks for a QR code the buyer scans to pay.
type PrecreateRequest struct {
	OutTradeNo    string        // our order number, unique per merchant, ≤ 64 characters
	TotalFen      int64         // MinAmountFen..MaxAmountFen
	Subject       string        // shown to the buyer, ≤ 256 characters
	StoreID       string        // optional
	TerminalID    string        // optional
	SellerID      string        // optional
	QRCodeTimeout time.Duration // optional; sent as whole minutes, rounded up, at least 1m
	NotifyURL     string        // optional common parameter notify_url
}

// PrecreateResponse holds the QR code content for a precreated trade.
type PrecreateResponse struct {
	OutTradeNo string `json:"out_trade_no"`
	QRCode     string `json:"qr_code"`
}

// precreateBiz is the biz_content of alipay.trade.precreate.
type precreateBiz struct {
	OutTradeNo           string `json:"out_trade_no"`
	TotalAmount          string `json:"total_amount"`
	Subject              string `json:"subject"`
	StoreID              string `json:"store_id,omitempty"`
	TerminalID           string `json:"terminal_id,omitempty"`
	SellerID             string `json:"seller_id,omitempty"`
	QRCodeTimeoutExpress string `json:"qr_code_timeout_express,omitempty"`
}

// Precreate creates a trade and returns the QR code to show the buyer. The
// trade exists at Alipay only once the buyer scans it; until then Query
// answers ACQ.TRADE_NOT_EXIST.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.precreate
func (c *Client) Precreate(ctx context.Context, r *PrecreateRequest) (*PrecreateResponse, error) {
	biz, err := r.biz()
	if err != nil {
		return nil, err
	}
	var extra url.Values
	if r.NotifyURL != "" {
		extra = url.Values{"notify_url": {r.NotifyURL}}
	}
	var out PrecreateResponse
	if err := c.doParams(ctx, MethodPrecreate, extra, biz, &out); err != nil {
		return nil, err
	}
	if err := r.check(&out); err != nil {
		return nil, err
	}
	return &out, nil
}

// check refuses a verified result that is not an answer to r.
func (r *PrecreateRequest) check(out *PrecreateResponse) error {
	if err := mismatch(MethodPrecreate, "out_trade_no", r.OutTradeNo, out.OutTradeNo); err != nil {
		return err
	}
	if out.QRCode == "" {
		return fmt.Errorf("%w: %s: success without qr_code", ErrUnexpectedResponse, MethodPrecreate)
	}
	return nil
}

// biz checks r and builds its biz_content.
func (r *PrecreateRequest) biz() (*precreateBiz, error) {
	if err := checkOutTradeNo(MethodPrecreate, r.OutTradeNo, true); err != nil {
		return nil, err
	}
	if err := checkAmount(MethodPrecreate, "total", r.TotalFen); err != nil {
		return nil, err
	}
	if err := checkSubject(MethodPrecreate, r.Subject); err != nil {
		return nil, err
	}
	expire, err := qrTimeout(r.QRCodeTimeout)
	if err != nil {
		return nil, err
	}
	return &precreateBiz{
		OutTradeNo:           r.OutTradeNo,
		TotalAmount:          FormatAmount(r.TotalFen),
		Subject:              r.Subject,
		StoreID:              r.StoreID,
		TerminalID:           r.TerminalID,
		SellerID:             r.SellerID,
		QRCodeTimeoutExpress: expire,
	}, nil
}

// qrTimeout renders a QR code lifetime as Alipay's "Nm", rounding up so the
// code never expires before the kiosk gives up on it; 0 means "not sent".
func qrTimeout(d time.Duration) (string, error) {
	return minutesExpress(MethodPrecreate, "QR code timeout", d)
}

// minutesExpress renders d as one of Alipay's *_timeout_express values,
// "Nm", in whole minutes rounded up (1m to 15d); 0 means "not sent".
func minutesExpress(method, what string, d time.Duration) (string, error) {
	if d == 0 {
		return "", nil
	}
	if d < 0 || d > maxQRCodeTimeout {
		return "", invalid(method, "%s %v outside (0, 15 days]", what, d)
	}
	minutes := (d + time.Minute - 1) / time.Minute
	return fmt.Sprintf("%dm", minutes), nil
}

// checkOutTradeNo enforces presence (when required) and Alipay's length limit.
func checkOutTradeNo(method, no string, required bool) error {
	if no == "" && required {
		return invalid(method, "out_trade_no is empty")
	}
	if len(no) > maxOutTradeNoLen {
		return invalid(method, "out_trade_no is longer than %d characters", maxOutTradeNoLen)
	}
	return nil
}

// checkAmount keeps an amount within what Alipay accepts; errors wrap both
// ErrInvalidRequest and ErrBadAmount.
func checkAmount(method, what string, fen int64) error {
	if fen < MinAmountFen || fen > MaxAmountFen {
		return fmt.Errorf("%w: %s: %s %s outside [%s, %s]: %w", ErrInvalidRequest, method, what,
			FormatAmount(fen), FormatAmount(MinAmountFen), FormatAmount(MaxAmountFen), ErrBadAmount)
	}
	return nil
}

// checkSubject enforces a non-empty subject within Alipay's length limit.
func checkSubject(method, subject string) error {
	if subject == "" || utf8.RuneCountInString(subject) > maxSubjectLen {
		return invalid(method, "subject must be 1 to %d characters", maxSubjectLen)
	}
	return nil
}

// tradeRef is the biz_content of calls that name a trade by either number.
type tradeRef struct {
	OutTradeNo string `json:"out_trade_no,omitempty"`
	TradeNo    string `json:"trade_no,omitempty"`
}

// newTradeRef checks that at least one number is given.
func newTradeRef(method, outTradeNo, tradeNo string) (*tradeRef, error) {
	if outTradeNo == "" && tradeNo == "" {
		return nil, invalid(method, "give out_trade_no or trade_no")
	}
	if err := checkOutTradeNo(method, outTradeNo, false); err != nil {
		return nil, err
	}
	return &tradeRef{OutTradeNo: outTradeNo, TradeNo: tradeNo}, nil
}

// check rejects a response about another trade than ref names.
func (ref *tradeRef) check(method, outTradeNo, tradeNo string) error {
	if err := mismatch(method, "out_trade_no", ref.OutTradeNo, outTradeNo); err != nil {
		return err
	}
	return mismatch(method, "trade_no", ref.TradeNo, tradeNo)
}

// TradeStatus is the trade_status of a trade.
type TradeStatus string

// Trade statuses. Only TradeSuccess and TradeFinished mean paid.
const (
	WaitBuyerPay  TradeStatus = "WAIT_BUYER_PAY" // scanned, not paid yet
	TradeClosed   TradeStatus = "TRADE_CLOSED"   // closed unpaid, or fully refunded
	TradeSuccess  TradeStatus = "TRADE_SUCCESS"  // paid, refundable
	TradeFinished TradeStatus = "TRADE_FINISHED" // paid, no longer refundable
)

// Paid reports whether the buyer has paid.
func (s TradeStatus) Paid() bool { return s == TradeSuccess || s == TradeFinished }

// QueryRequest names the trade to query by either number.
type QueryRequest struct {
	OutTradeNo string
	TradeNo    string
}

// QueryResponse is the state of a trade.
type QueryResponse struct {
	TradeNo      string      `json:"trade_no"`
	OutTradeNo   string      `json:"out_trade_no"`
	BuyerLogonID string      `json:"buyer_logon_id"` // masked, e.g. "xud***@126.com"
	BuyerUserID  string      `json:"buyer_user_id"`
	TradeStatus  TradeStatus `json:"trade_status"`
	TotalFen     int64       `json:"total_fen"`              // from total_amount
	SendPayDate  time.Time   `json:"send_pay_date,omitzero"` // from send_pay_date (Asia/Shanghai); zero if absent
}

// queryWire is the alipay.trade.query result as sent.
type queryWire struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	BuyerLogonID string `json:"buyer_logon_id"`
	BuyerUserID  string `json:"buyer_user_id"`
	TradeStatus  string `json:"trade_status"`
	TotalAmount  string `json:"total_amount"`
	SendPayDate  string `json:"send_pay_date"`
}

// Query returns the state of a trade. Right after Precreate, before the
// buyer scans, it fails with ACQ.TRADE_NOT_EXIST (see IsTradeNotExist).
// https://opendocs.alipay.com/apis/api_1/alipay.trade.query
func (c *Client) Query(ctx context.Context, r *QueryRequest) (*QueryResponse, error) {
	ref, err := newTradeRef(MethodQuery, r.OutTradeNo, r.TradeNo)
	if err != nil {
		return nil, err
	}
	var w queryWire
	if err := c.do(ctx, MethodQuery, ref, &w); err != nil {
		return nil, err
	}
	if err := ref.check(MethodQuery, w.OutTradeNo, w.TradeNo); err != nil {
		return nil, err
	}
	return w.decode()
}

// decode converts the wire amounts and dates.
func (w *queryWire) decode() (*QueryResponse, error) {
	out := &QueryResponse{
		TradeNo:      w.TradeNo,
		OutTradeNo:   w.OutTradeNo,
		BuyerLogonID: w.BuyerLogonID,
		BuyerUserID:  w.BuyerUserID,
		TradeStatus:  TradeStatus(w.TradeStatus),
	}
	if w.TotalAmount != "" {
		fen, err := ParseAmount(w.TotalAmount)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: total_amount: %w", ErrUnexpectedResponse, MethodQuery, err)
		}
		out.TotalFen = fen
	}
	if w.SendPayDate != "" {
		t, err := ParseTime(w.SendPayDate)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: send_pay_date: %v", ErrUnexpectedResponse, MethodQuery, err)
		}
		out.SendPayDate = t
	}
	return out, nil
}

// CancelRequest names the trade to cancel by either number.
type CancelRequest struct {
	OutTradeNo string
	TradeNo    string
}

// CancelResponse is the outcome of a cancel.
type CancelResponse struct {
	TradeNo    string `json:"trade_no"`
	OutTradeNo string `json:"out_trade_no"`
	RetryFlag  bool   `json:"retry_flag"`       // "Y": Alipay asks for the cancel to be sent again
	Action     string `json:"action,omitempty"` // "close" (unpaid trade closed), "refund" (paid trade refunded) or ""
}

// cancelWire is the alipay.trade.cancel result as sent.
type cancelWire struct {
	TradeNo    string `json:"trade_no"`
	OutTradeNo string `json:"out_trade_no"`
	RetryFlag  string `json:"retry_flag"`
	Action     string `json:"action"`
}

// Cancel closes an unpaid trade or refunds a paid one, so call Query first
// and cancel only when the buyer has not paid. A failure with retry_flag Y
// is Retryable.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.cancel
func (c *Client) Cancel(ctx context.Context, r *CancelRequest) (*CancelResponse, error) {
	ref, err := newTradeRef(MethodCancel, r.OutTradeNo, r.TradeNo)
	if err != nil {
		return nil, err
	}
	var w cancelWire
	if err := c.do(ctx, MethodCancel, ref, &w); err != nil {
		return nil, err
	}
	if err := ref.check(MethodCancel, w.OutTradeNo, w.TradeNo); err != nil {
		return nil, err
	}
	return &CancelResponse{
		TradeNo:    w.TradeNo,
		OutTradeNo: w.OutTradeNo,
		RetryFlag:  w.RetryFlag == "Y",
		Action:     w.Action,
	}, nil
}
