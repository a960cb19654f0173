package emulator

import (
	"encoding/json"
	"slices"
	"strings"

	"kiosk/alipay"
)

// Method names of the calls beyond the face-to-face three.
const (
	methodClose       = "alipay.trade.close"
	methodRefund      = "alipay.trade.refund"
	methodRefundQuery = "alipay.trade.fastpay.refund.query"
	methodBillURL     = "alipay.data.dataservice.bill.downloadurl.query"
)

// maxOutRequestNoLen is Alipay's limit on out_request_no.
const maxOutRequestNoLen = 64

// tradeNotExist is query's answer for a trade Alipay does not know.
func tradeNotExist(fields ...field) *failure {
	return businessFailed(alipay.SubCodeTradeNotExist, "交易不存在", fields...)
}

// tradeStatusError is the answer to an operation the trade's status does
// not allow.
func tradeStatusError(fields ...field) *failure {
	return businessFailed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法", fields...)
}

// closeTrade is alipay.trade.close: close a trade the buyer scanned but has
// not paid. Unlike cancel it does not reach a trade nobody has scanned
// (ACQ.TRADE_NOT_EXIST, and the code stays payable), nor a paid one
// (ACQ.TRADE_STATUS_ERROR); closing a closed trade is also
// ACQ.TRADE_STATUS_ERROR, so a retry after a lost answer must query.
func (e *Emulator) closeTrade(c *call) ([]field, *failure) {
	ref, fail := decodeRef(c)
	if fail != nil {
		return nil, fail
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.find(ref.OutTradeNo, ref.TradeNo)
	switch {
	case t == nil || !t.scanned():
		return nil, tradeNotExist(field{"out_trade_no", ref.OutTradeNo}, field{"trade_no", ref.TradeNo})
	case t.Status != StatusWaitBuyerPay:
		return nil, tradeStatusError(field{"out_trade_no", t.OutTradeNo}, field{"trade_no", t.TradeNo})
	}
	t.Status = StatusTradeClosed
	e.saveLocked(t)
	e.log.Info("closed", "out_trade_no", t.OutTradeNo, "trade_no", t.TradeNo)
	return []field{{"out_trade_no", t.OutTradeNo}, {"trade_no", t.TradeNo}}, nil
}

// refundBiz is the part of alipay.trade.refund's biz_content the emulator
// uses.
type refundBiz struct {
	tradeRef
	RefundAmount json.RawMessage `json:"refund_amount"`
	OutRequestNo string          `json:"out_request_no"`
	RefundReason string          `json:"refund_reason"`
}

// refund is alipay.trade.refund. out_request_no is required here (Alipay
// defaults it to out_trade_no) and makes a repeat idempotent: the same
// out_request_no with the same amount answers fund_change N without
// refunding again, with another amount ACQ.CONTEXT_INCONSISTENT. Refunds
// add up; beyond the paid amount is ACQ.REFUND_AMT_NOT_EQUAL_TOTAL. A
// refund of everything closes the trade.
func (e *Emulator) refund(c *call) ([]field, *failure) {
	var biz refundBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	fen, fail := checkRefund(&biz)
	if fail != nil {
		return nil, fail
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.find(biz.OutTradeNo, biz.TradeNo)
	noMoney := []field{{"out_trade_no", biz.OutTradeNo}, {"trade_no", biz.TradeNo}, {"refund_fee", "0.00"}, {"send_back_fee", "0.00"}}
	if t == nil || !t.scanned() {
		return nil, tradeNotExist(noMoney...)
	}
	if prev := t.refund(biz.OutRequestNo); prev != nil {
		if prev.Fen != fen {
			return nil, businessFailed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改: out_request_no "+biz.OutRequestNo+
				" was a refund of "+alipay.FormatAmount(prev.Fen), noMoney...)
		}
		return refundFields(t, prev, "N"), nil
	}
	switch {
	case t.Status != StatusTradeSuccess:
		return nil, tradeStatusError(noMoney...)
	case t.RefundedFen()+fen > t.TotalFen:
		return nil, businessFailed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限", noMoney...)
	}
	t.Refunds = append(t.Refunds, Refund{OutRequestNo: biz.OutRequestNo, Fen: fen, At: e.now(), Reason: biz.RefundReason})
	r := &t.Refunds[len(t.Refunds)-1]
	full := t.RefundedFen() == t.TotalFen
	if full {
		t.Status = StatusTradeClosed
		t.Refunded = true
	}
	e.saveLocked(t)
	e.log.Info("refunded", "out_trade_no", t.OutTradeNo, "out_request_no", r.OutRequestNo,
		"refund_amount", alipay.FormatAmount(fen), "refund_fee", alipay.FormatAmount(t.RefundedFen()),
		"reason", biz.RefundReason, "trade_status", t.Status)
	if full {
		e.notifyLocked(t, r)
	}
	return refundFields(t, r, "Y"), nil
}

// checkRefund validates refund's fields and returns refund_amount in fen.
func checkRefund(biz *refundBiz) (int64, *failure) {
	if biz.OutTradeNo == "" && biz.TradeNo == "" {
		return 0, badParam("out_trade_no or trade_no is required")
	}
	if fail := checkOutRequestNo(biz.OutRequestNo); fail != nil {
		return 0, fail
	}
	fen, fail := checkAmount("refund_amount", biz.RefundAmount)
	if fail != nil && fail.subCode == "ACQ.TOTAL_FEE_EXCEED" {
		fail = businessFailed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
	}
	return fen, fail
}

// checkOutRequestNo insists on an out_request_no within Alipay's limit.
func checkOutRequestNo(no string) *failure {
	switch {
	case no == "":
		return badParam("out_request_no is required (the emulator does not default it to out_trade_no)")
	case len(no) > maxOutRequestNoLen:
		return badParam("out_request_no is longer than %d characters", maxOutRequestNoLen)
	}
	return nil
}

// refundFields is refund's success answer; refund_fee is the total
// refunded so far.
func refundFields(t *trade, r *Refund, fundChange string) []field {
	return []field{
		{"buyer_logon_id", t.BuyerLogonID},
		{"buyer_user_id", t.buyerUserID},
		{"fund_change", fundChange},
		{"gmt_refund_pay", alipay.FormatTime(r.At)},
		{"out_trade_no", t.OutTradeNo},
		{"refund_fee", alipay.FormatAmount(t.RefundedFen())},
		{"trade_no", t.TradeNo},
	}
}

// refundQueryBiz is the biz_content of alipay.trade.fastpay.refund.query.
type refundQueryBiz struct {
	tradeRef
	OutRequestNo string   `json:"out_request_no"`
	QueryOptions []string `json:"query_options"`
}

// refundQuery is alipay.trade.fastpay.refund.query. A refund request the
// trade does not have is still a success, without refund_status and
// refund_amount, as on Alipay: the caller must look for REFUND_SUCCESS.
// gmt_refund_pay is sent when query_options asks for it.
func (e *Emulator) refundQuery(c *call) ([]field, *failure) {
	var biz refundQueryBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	if biz.OutTradeNo == "" && biz.TradeNo == "" {
		return nil, badParam("out_trade_no or trade_no is required")
	}
	if fail := checkOutRequestNo(biz.OutRequestNo); fail != nil {
		return nil, fail
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.find(biz.OutTradeNo, biz.TradeNo)
	if t == nil || !t.scanned() {
		return nil, tradeNotExist(field{"out_trade_no", biz.OutTradeNo}, field{"trade_no", biz.TradeNo})
	}
	fields := []field{{"out_request_no", biz.OutRequestNo}, {"out_trade_no", t.OutTradeNo}, {"trade_no", t.TradeNo}}
	r := t.refund(biz.OutRequestNo)
	if r == nil {
		return fields, nil
	}
	fields = append(fields, field{"refund_amount", alipay.FormatAmount(r.Fen)})
	if r.Reason != "" {
		fields = append(fields, field{"refund_reason", r.Reason})
	}
	fields = append(fields,
		field{"refund_status", "REFUND_SUCCESS"},
		field{"total_amount", alipay.FormatAmount(t.TotalFen)},
	)
	if slices.ContainsFunc(biz.QueryOptions, func(o string) bool { return strings.TrimSpace(o) == "gmt_refund_pay" }) {
		fields = append(fields, field{"gmt_refund_pay", alipay.FormatTime(r.At)})
	}
	return fields, nil
}
