package alipay

import "testing"

// TestRefundQueryKeepsTheReason: refund_reason in the refund query's answer
// (the reason the refund was asked for) is kept.
func TestRefundQueryKeepsTheReason(t *testing.T) {
	w := refundQueryWire{OutTradeNo: "K1", OutRequestNo: "K1_R1", RefundStatus: RefundSuccess,
		TotalAmount: "12.34", RefundAmount: "1.00", RefundReason: "顾客投诉"}
	resp, err := w.decode()
	if err != nil || resp.Reason != "顾客投诉" || resp.RefundFen != 100 {
		t.Fatalf("%+v, %v; want the reason 顾客投诉", resp, err)
	}
}
