package alipay

import "context"

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
