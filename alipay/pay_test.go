package alipay

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// fullPay is a PayRequest with every optional field set.
func fullPay() *PayRequest {
	return &PayRequest{OutTradeNo: "K1", AuthCode: "281234567890123456", Subject: "茶 & <cake>", TotalFen: 1234,
		StoreID: "S1", TerminalID: "T9", SellerID: "2088000000000001", Timeout: 2*time.Minute + 30*time.Second,
		NotifyURL: "https://kiosk.example/notify"}
}

// TestPayRequestFields: every field of a bar_code charge reaches the
// gateway where Alipay expects it, in v2 (notify_url in the URL query)
// and in v3 (notify_url in the JSON body).
func TestPayRequestFields(t *testing.T) {
	const biz = `{"out_trade_no":"K1","scene":"bar_code","auth_code":"281234567890123456","product_code":"FACE_TO_FACE_PAYMENT",` +
		`"subject":"茶 & <cake>","total_amount":"12.34","store_id":"S1","terminal_id":"T9","seller_id":"2088000000000001","timeout_express":"3m"}`
	t.Run("v2", func(t *testing.T) {
		c, mux := setup(t)
		got := gateway(t, mux, MethodPay, `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1","buyer_user_id":"2088102177846875",`+
			`"total_amount":"12.34","gmt_payment":"2026-01-02 11:04:09"}`)
		resp, err := c.Pay(context.Background(), fullPay())
		if err != nil {
			t.Fatal(err)
		}
		if got.biz != biz {
			t.Errorf("biz_content\n got %s\nwant %s", got.biz, biz)
		}
		if n := got.query.Get("notify_url"); n != "https://kiosk.example/notify" || got.form.Has("notify_url") {
			t.Errorf("notify_url %q in the query, form %v", n, got.form)
		}
		if resp.TradeStatus != TradeSuccess || resp.Waiting() || resp.BuyerUserID != "2088102177846875" {
			t.Errorf("response %+v", resp)
		}
	})
	t.Run("v3", func(t *testing.T) {
		var body string
		c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
			body = readV3Request(t, r).body
			v3Reply(t, w, http.StatusOK, `{"trade_no":"T1","out_trade_no":"K1","total_amount":12.34,"gmt_payment":"2026-01-02 11:04:09"}`)
		})
		resp, err := c.Pay(context.Background(), fullPay())
		if err != nil {
			t.Fatal(err)
		}
		if want := biz[:len(biz)-1] + `,"notify_url":"https://kiosk.example/notify"}`; body != want {
			t.Errorf("body\n got %s\nwant %s", body, want)
		}
		if resp.TradeStatus != TradeSuccess || resp.TotalFen != 1234 {
			t.Errorf("response %+v", resp)
		}
	})
}

// TestPayRefusalIsTyped: a 40004 is a signed *Error carrying Alipay's
// sub_code and sub_msg, final (IsRefused), neither waiting nor retryable;
// a 20000 or ACQ.SYSTEM_ERROR leaves the charge unknown.
func TestPayRefusalIsTyped(t *testing.T) {
	refusals := []string{SubCodePaymentAuthCodeInvalid, SubCodeBuyerBalanceNotEnough, SubCodePaymentRequestHasRisk}
	for _, sub := range refusals {
		c, mux := setup(t)
		gateway(t, mux, MethodPay, `{"code":"40004","msg":"Business Failed","sub_code":"`+sub+`","sub_msg":"支付失败","out_trade_no":"K1",`+
			`"buyer_pay_amount":"0.00","invoice_amount":"0.00","point_amount":"0.00","receipt_amount":"0.00"}`)
		resp, err := c.Pay(context.Background(), okPay())
		var e *Error
		if resp != nil || !errors.As(err, &e) || e.SubCode != sub || e.SubMsg != "支付失败" || !IsRefused(err) ||
			IsWaitingForBuyer(err) || IsRetryable(err) || IsNotSent(err) {
			t.Errorf("%s: Pay = %+v, %v", sub, resp, err)
		}
	}
	for name, body := range map[string]string{
		"20000":        `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}`,
		"system error": `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"}`,
	} {
		c, mux := setup(t)
		gateway(t, mux, MethodPay, body)
		resp, err := c.Pay(context.Background(), okPay())
		if resp != nil || err == nil || IsRefused(err) || IsWaitingForBuyer(err) || IsNotSent(err) || !IsRetryable(err) {
			t.Errorf("%s: Pay = %+v, %v; want an unknown outcome", name, resp, err)
		}
	}
}

// TestPayRefusesBadCodeUnsent: a scan that cannot be a payment code is
// refused before anything is sent, with the reason typed.
func TestPayRefusesBadCodeUnsent(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/gateway.do", func(http.ResponseWriter, *http.Request) { t.Error("a request was sent") })
	r := okPay()
	r.AuthCode = "134567890123456789"
	_, err := c.Pay(context.Background(), r)
	var pe *PaymentCodeError
	if !IsNotSent(err) || !errors.Is(err, ErrBadPaymentCode) || !errors.As(err, &pe) || pe.Problem != PaymentCodeBadPrefix {
		t.Errorf("Pay = %v", err)
	}
}
