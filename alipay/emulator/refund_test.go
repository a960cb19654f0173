package emulator

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// refund asks for a refund of amount under outRequestNo.
func (h *harness) refund(outTradeNo, amount, outRequestNo string) map[string]string {
	h.t.Helper()
	return h.call(methodRefund, `{"out_trade_no":"`+outTradeNo+`","refund_amount":"`+amount+
		`","out_request_no":"`+outRequestNo+`","refund_reason":"test"}`)
}

func TestClose(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "5.00")
	// Not scanned: Alipay does not know the trade, and the code stays payable.
	wantCode(t, h.call(methodClose, `{"out_trade_no":"T1"}`), "40004", "ACQ.TRADE_NOT_EXIST")
	if err := h.e.Scan("T1"); err != nil {
		t.Fatal(err)
	}
	tr, _ := h.e.Trade("T1")
	got := h.call(methodClose, `{"out_trade_no":"T1"}`)
	wantCode(t, got, "10000", "")
	if got["out_trade_no"] != "T1" || got["trade_no"] != tr.TradeNo {
		t.Errorf("close answered %v", got)
	}
	if q := h.query("T1"); q["trade_status"] != "TRADE_CLOSED" {
		t.Errorf("after close: %v", q)
	}
	if err := h.e.Pay("T1"); !errors.Is(err, ErrTradeClosed) {
		t.Errorf("Pay after close: %v", err)
	}
	wantCode(t, h.call(methodClose, `{"trade_no":"`+tr.TradeNo+`"}`), "40004", "ACQ.TRADE_STATUS_ERROR")

	h.precreate("T2", "5.00")
	if err := h.e.Pay("T2"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, h.call(methodClose, `{"out_trade_no":"T2"}`), "40004", "ACQ.TRADE_STATUS_ERROR")
	wantCode(t, h.call(methodClose, `{"out_trade_no":"NEVER"}`), "40004", "ACQ.TRADE_NOT_EXIST")
	wantCode(t, h.call(methodClose, `{}`), "40002", "isv.invalid-parameter")
}

func TestRefund(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "10.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	tr, _ := h.e.Trade("T1")

	got := h.refund("T1", "3.00", "R1")
	wantCode(t, got, "10000", "")
	want := map[string]string{"fund_change": "Y", "refund_fee": "3.00", "trade_no": tr.TradeNo, "out_trade_no": "T1",
		"buyer_logon_id": tr.BuyerLogonID, "gmt_refund_pay": "2026-11-22 10:30:00"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("refund R1: %s = %q, want %q", k, got[k], v)
		}
	}

	// The same request again (a retry after a lost answer) refunds nothing.
	got = h.refund("T1", "3.00", "R1")
	wantCode(t, got, "10000", "")
	if got["fund_change"] != "N" || got["refund_fee"] != "3.00" {
		t.Errorf("repeat of R1: %v", got)
	}
	wantCode(t, h.refund("T1", "4.00", "R1"), "40004", "ACQ.CONTEXT_INCONSISTENT")

	// Over-refund: 3.00 + 8.00 > 10.00.
	got = h.refund("T1", "8.00", "R2")
	wantCode(t, got, "40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")
	if got["refund_fee"] != "0.00" {
		t.Errorf("failed refund: %v", got)
	}
	if q := h.query("T1"); q["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after a partial refund: %v", q)
	}

	got = h.refund("T1", "7.00", "R2")
	if got["fund_change"] != "Y" || got["refund_fee"] != "10.00" {
		t.Errorf("refund of the rest: %v", got)
	}
	if q := h.query("T1"); q["trade_status"] != "TRADE_CLOSED" {
		t.Errorf("after a full refund: %v", q)
	}
	// Still idempotent once the trade is closed.
	if got := h.refund("T1", "7.00", "R2"); got["code"] != "10000" || got["fund_change"] != "N" {
		t.Errorf("repeat of R2 after closing: %v", got)
	}
	wantCode(t, h.refund("T1", "0.01", "R3"), "40004", "ACQ.TRADE_STATUS_ERROR")

	tr, _ = h.e.Trade("T1")
	if !tr.Refunded || tr.Status != StatusTradeClosed || tr.RefundedFen() != 1000 || len(tr.Refunds) != 2 ||
		tr.Refunds[0] != (Refund{OutRequestNo: "R1", Fen: 300, At: testNow, Reason: "test"}) || tr.Refunds[1].OutRequestNo != "R2" {
		t.Errorf("trade after refunds: %+v", tr)
	}
}

func TestRefundRefusals(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "10.00")
	wantCode(t, h.refund("T1", "1.00", "R1"), "40004", "ACQ.TRADE_NOT_EXIST") // not scanned
	if err := h.e.Scan("T1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, h.refund("T1", "1.00", "R1"), "40004", "ACQ.TRADE_STATUS_ERROR") // not paid
	wantCode(t, h.refund("NEVER", "1.00", "R1"), "40004", "ACQ.TRADE_NOT_EXIST")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, biz, code, subCode string
	}{
		{"no out_request_no", `{"out_trade_no":"T1","refund_amount":"1.00"}`, "40002", "isv.invalid-parameter"},
		{"long out_request_no", `{"out_trade_no":"T1","refund_amount":"1.00","out_request_no":"` + strings.Repeat("r", 65) + `"}`, "40002", "isv.invalid-parameter"},
		{"no amount", `{"out_trade_no":"T1","out_request_no":"R"}`, "40002", "isv.invalid-parameter"},
		{"three decimals", `{"out_trade_no":"T1","refund_amount":"1.001","out_request_no":"R"}`, "40002", "isv.invalid-parameter"},
		{"zero", `{"out_trade_no":"T1","refund_amount":"0.00","out_request_no":"R"}`, "40004", "ACQ.INVALID_PARAMETER"},
		{"huge", `{"out_trade_no":"T1","refund_amount":"100000000.01","out_request_no":"R"}`, "40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"},
		{"no trade", `{"refund_amount":"1.00","out_request_no":"R"}`, "40002", "isv.invalid-parameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, h.call(methodRefund, tc.biz), tc.code, tc.subCode)
		})
	}
	if tr, _ := h.e.Trade("T1"); len(tr.Refunds) != 0 {
		t.Errorf("refused refunds were recorded: %+v", tr.Refunds)
	}
}

func TestCancelAfterPartialRefund(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "10.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	h.refund("T1", "2.50", "R1")
	if got := h.cancel("T1"); got["action"] != "refund" {
		t.Errorf("cancel: %v", got)
	}
	tr, _ := h.e.Trade("T1")
	if !tr.Refunded || tr.RefundedFen() != 1000 || len(tr.Refunds) != 2 || tr.Refunds[1].OutRequestNo != "" || tr.Refunds[1].Fen != 750 {
		t.Errorf("trade after cancel: %+v", tr)
	}
}

func TestRefundQuery(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "10.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	h.refund("T1", "3.00", "R1")
	tr, _ := h.e.Trade("T1")

	got := h.call(methodRefundQuery, `{"out_trade_no":"T1","out_request_no":"R1"}`)
	want := map[string]string{"code": "10000", "out_request_no": "R1", "out_trade_no": "T1", "trade_no": tr.TradeNo,
		"total_amount": "10.00", "refund_amount": "3.00", "refund_status": "REFUND_SUCCESS", "gmt_refund_pay": "", "refund_reason": "test"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("known request: %s = %q, want %q", k, got[k], v)
		}
	}
	got = h.call(methodRefundQuery, `{"trade_no":"`+tr.TradeNo+`","out_request_no":"R1","query_options":["gmt_refund_pay"]}`)
	if got["gmt_refund_pay"] != "2026-11-22 10:30:00" {
		t.Errorf("with query_options: %v", got)
	}

	// Alipay answers success for a refund it never made; only
	// refund_status says what happened.
	got = h.call(methodRefundQuery, `{"out_trade_no":"T1","out_request_no":"R9"}`)
	wantCode(t, got, "10000", "")
	if _, ok := got["refund_status"]; ok || got["refund_amount"] != "" || got["out_request_no"] != "R9" {
		t.Errorf("unknown request: %v", got)
	}
	wantCode(t, h.call(methodRefundQuery, `{"out_trade_no":"NEVER","out_request_no":"R1"}`), "40004", "ACQ.TRADE_NOT_EXIST")
	wantCode(t, h.call(methodRefundQuery, `{"out_trade_no":"T1"}`), "40002", "isv.invalid-parameter")
}

func TestIndexShowsRefunds(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "10.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	h.refund("T1", "2.50", "R1")
	if page := h.get(h.srv.URL+"/", http.StatusOK); !strings.Contains(page, `<td class="num">2.50</td>`) {
		t.Errorf("index lacks the refund:\n%s", page)
	}
	e := h.e
	e.mu.Lock()
	token := e.trades.byOutTradeNo["T1"].token
	e.mu.Unlock()
	if page := h.get(h.srv.URL+"/qr/"+token, http.StatusOK); !strings.Contains(page, "¥2.50") || !strings.Contains(page, "Paid") {
		t.Errorf("buyer page lacks the refund:\n%s", page)
	}
}
