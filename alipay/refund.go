package alipay

import (
	"context"
	"time"
	"unicode/utf8"
)

// Limits Alipay documents for refunds.
const (
	maxOutRequestNoLen = 64
	maxRefundReasonLen = 256 // characters
)

// RefundSuccess is the refund_status of a refund that has been made.
const RefundSuccess = "REFUND_SUCCESS"

// RefundRequest refunds part or all of a paid trade, named by either number.
type RefundRequest struct {
	OutTradeNo   string
	TradeNo      string
	RefundFen    int64  // this refund; the total of all refunds may not exceed the trade
	OutRequestNo string // required: identifies this refund, ≤ 64 characters
	Reason       string // optional, ≤ 256 characters
	OperatorID   string // optional
	StoreID      string // optional
	TerminalID   string // optional
}

// RefundResponse is the outcome of a refund.
type RefundResponse struct {
	TradeNo      string    `json:"trade_no"`
	OutTradeNo   string    `json:"out_trade_no"`
	BuyerLogonID string    `json:"buyer_logon_id"` // masked
	FundChange   bool      `json:"fund_change"`    // "Y": money moved now; false for a repeat of a refund already made
	RefundFeeFen int64     `json:"refund_fee_fen"` // refund_fee: total refunded on the trade so far, this refund included
	GmtRefundPay time.Time `json:"gmt_refund_pay,omitzero"`
}

// refundBiz is the biz_content of alipay.trade.refund.
type refundBiz struct {
	tradeRef
	RefundAmount string `json:"refund_amount"`
	OutRequestNo string `json:"out_request_no"`
	RefundReason string `json:"refund_reason,omitempty"`
	OperatorID   string `json:"operator_id,omitempty"`
	StoreID      string `json:"store_id,omitempty"`
	TerminalID   string `json:"terminal_id,omitempty"`
}

// refundWire is the alipay.trade.refund result as sent.
type refundWire struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	BuyerLogonID string `json:"buyer_logon_id"`
	FundChange   string `json:"fund_change"`
	RefundFee    string `json:"refund_fee"`
	GmtRefundPay string `json:"gmt_refund_pay"`
}

// Refund refunds RefundFen of a paid trade. OutRequestNo is required here
// although Alipay makes it optional: without it a second partial refund
// looks like a repeat of the first. Retrying with the same OutRequestNo
// (after a timeout, or ACQ.SYSTEM_ERROR) refunds at most once.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.refund
func (c *Client) Refund(ctx context.Context, r *RefundRequest) (*RefundResponse, error) {
	biz, err := r.biz()
	if err != nil {
		return nil, err
	}
	var w refundWire
	if err := c.do(ctx, MethodRefund, biz, &w); err != nil {
		return nil, err
	}
	if err := biz.check(MethodRefund, w.OutTradeNo, w.TradeNo); err != nil {
		return nil, err
	}
	return w.decode()
}

// biz checks r and builds its biz_content.
func (r *RefundRequest) biz() (*refundBiz, error) {
	ref, err := newTradeRef(MethodRefund, r.OutTradeNo, r.TradeNo)
	if err != nil {
		return nil, err
	}
	if err := checkOutRequestNo(MethodRefund, r.OutRequestNo); err != nil {
		return nil, err
	}
	if err := checkAmount(MethodRefund, "refund", r.RefundFen); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(r.Reason) > maxRefundReasonLen {
		return nil, invalid(MethodRefund, "refund reason is longer than %d characters", maxRefundReasonLen)
	}
	return &refundBiz{
		tradeRef:     *ref,
		RefundAmount: FormatAmount(r.RefundFen),
		OutRequestNo: r.OutRequestNo,
		RefundReason: r.Reason,
		OperatorID:   r.OperatorID,
		StoreID:      r.StoreID,
		TerminalID:   r.TerminalID,
	}, nil
}

// checkOutRequestNo insists on a refund number within Alipay's limit.
func checkOutRequestNo(method, no string) error {
	if no == "" {
		return invalid(method, "out_request_no is empty; give every refund its own number")
	}
	if len(no) > maxOutRequestNoLen {
		return invalid(method, "out_request_no is longer than %d characters", maxOutRequestNoLen)
	}
	return nil
}

// decode converts the wire flags, amounts and dates.
func (w *refundWire) decode() (*RefundResponse, error) {
	fee, err := wireAmount(MethodRefund, "refund_fee", w.RefundFee)
	if err != nil {
		return nil, err
	}
	at, err := wireTime(MethodRefund, "gmt_refund_pay", w.GmtRefundPay)
	if err != nil {
		return nil, err
	}
	return &RefundResponse{
		TradeNo:      w.TradeNo,
		OutTradeNo:   w.OutTradeNo,
		BuyerLogonID: w.BuyerLogonID,
		FundChange:   w.FundChange == "Y",
		RefundFeeFen: fee,
		GmtRefundPay: at,
	}, nil
}

// RefundQueryRequest names one refund: the trade by either number and the
// OutRequestNo the refund was sent with.
type RefundQueryRequest struct {
	OutTradeNo   string
	TradeNo      string
	OutRequestNo string
}

// RefundQueryResponse is the state of one refund. RefundStatus is
// RefundSuccess once the refund is made. Empty, with no error, means Alipay
// has no such refund (never received, failed, or still being processed):
// send the Refund again with the same OutRequestNo.
type RefundQueryResponse struct {
	OutTradeNo   string `json:"out_trade_no"`
	TradeNo      string `json:"trade_no"`
	OutRequestNo string `json:"out_request_no"`
	RefundStatus string `json:"refund_status,omitempty"`
	TotalFen     int64  `json:"total_fen"`  // total_amount of the trade
	RefundFen    int64  `json:"refund_fen"` // refund_amount of this refund

	Reason string `json:"refund_reason,omitempty"` // refund_reason, as the refund was asked for
}

// Refunded reports whether the refund has been made.
func (r *RefundQueryResponse) Refunded() bool { return r.RefundStatus == RefundSuccess }

// refundQueryBiz is the biz_content of alipay.trade.fastpay.refund.query.
type refundQueryBiz struct {
	tradeRef
	OutRequestNo string `json:"out_request_no"`
}

// refundQueryWire is the alipay.trade.fastpay.refund.query result as sent.
type refundQueryWire struct {
	TradeNo      string `json:"trade_no"`
	OutTradeNo   string `json:"out_trade_no"`
	OutRequestNo string `json:"out_request_no"`
	RefundStatus string `json:"refund_status"`
	TotalAmount  string `json:"total_amount"`
	RefundAmount string `json:"refund_amount"`
	RefundReason string `json:"refund_reason"`
}

// RefundQuery asks whether one refund has been made.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.fastpay.refund.query
func (c *Client) RefundQuery(ctx context.Context, r *RefundQueryRequest) (*RefundQueryResponse, error) {
	ref, err := newTradeRef(MethodRefundQuery, r.OutTradeNo, r.TradeNo)
	if err != nil {
		return nil, err
	}
	if err := checkOutRequestNo(MethodRefundQuery, r.OutRequestNo); err != nil {
		return nil, err
	}
	var w refundQueryWire
	if err := c.do(ctx, MethodRefundQuery, &refundQueryBiz{tradeRef: *ref, OutRequestNo: r.OutRequestNo}, &w); err != nil {
		return nil, err
	}
	if err := ref.check(MethodRefundQuery, w.OutTradeNo, w.TradeNo); err != nil {
		return nil, err
	}
	if err := mismatch(MethodRefundQuery, "out_request_no", r.OutRequestNo, w.OutRequestNo); err != nil {
		return nil, err
	}
	return w.decode()
}

// decode converts the wire amounts.
func (w *refundQueryWire) decode() (*RefundQueryResponse, error) {
	total, err := wireAmount(MethodRefundQuery, "total_amount", w.TotalAmount)
	if err != nil {
		return nil, err
	}
	refund, err := wireAmount(MethodRefundQuery, "refund_amount", w.RefundAmount)
	if err != nil {
		return nil, err
	}
	return &RefundQueryResponse{
		OutTradeNo:   w.OutTradeNo,
		TradeNo:      w.TradeNo,
		OutRequestNo: w.OutRequestNo,
		RefundStatus: w.RefundStatus,
		TotalFen:     total,
		RefundFen:    refund,
		Reason:       w.RefundReason,
	}, nil
}
