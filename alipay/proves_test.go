package alipay

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestWhatAFailedCallProves runs precreate into every way a call can fail
// and checks what each failure proves: IsNotSent only when the request
// never left, IsRefused only for Alipay's own signed, final refusal.
// Everything else leaves the outcome open, because the gateway may have
// acted on the request before its answer was lost.
func TestWhatAFailedCallProves(t *testing.T) {
	signed := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { reply(t, w, MethodPrecreate, body) }
	}
	raw := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }
	}
	tests := []struct {
		name            string
		handler         http.HandlerFunc // nil: nothing listens on the gateway's port
		req             *PrecreateRequest
		notSent, refuse bool
	}{
		{"signed business refusal", signed(`{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TOTAL_FEE_EXCEED","sub_msg":"订单金额超过限额"}`), nil, false, true},
		{"signed invalid signature", signed(`{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}`), nil, false, true},
		{"signed system error", signed(`{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}`), nil, false, false},
		{"signed ACQ.SYSTEM_ERROR", signed(`{"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"}`), nil, false, false},
		{"unsigned error_response", raw(`{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}`), nil, false, false},
		{"refusal without sign", raw(`{"alipay_trade_precreate_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TOTAL_FEE_EXCEED"}}`), nil, false, false},
		{"refusal with a forged sign", raw(`{"alipay_trade_precreate_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TOTAL_FEE_EXCEED"},"sign":"bm90IGEgc2lnbmF0dXJl"}`), nil, false, false},
		{"half a response", raw(`{"alipay_trade_precreate_response":{"code":"10000","ms`), nil, false, false},
		{"HTTP 502", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) }, nil, false, false},
		{"connection reset after the request", func(w http.ResponseWriter, _ *http.Request) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		}, nil, false, false},
		{"no answer in time", hang, nil, false, false},
		{"nothing listens", nil, nil, true, false},
		{"refused before sending", raw(`{}`), &PrecreateRequest{OutTradeNo: "K1", TotalFen: 0, Subject: "x"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			if tt.handler != nil {
				mux.HandleFunc("/gateway.do", tt.handler)
			} else {
				c = clientToClosedPort(t)
			}
			req := tt.req
			if req == nil {
				req = &PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "x"}
			}
			// Only the hanging gateway needs the deadline to end the call; the
			// others answer, however loaded the machine.
			wait := 30 * time.Second
			if tt.name == "no answer in time" {
				wait = 200 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			_, err := c.Precreate(ctx, req)
			if err == nil {
				t.Fatal("precreate succeeded")
			}
			if got := IsNotSent(err); got != tt.notSent {
				t.Errorf("IsNotSent(%v) = %v", err, got)
			}
			if got := IsRefused(err); got != tt.refuse {
				t.Errorf("IsRefused(%v) = %v", err, got)
			}
		})
	}
}

// clientToClosedPort is a client whose gateway port has nothing listening.
func clientToClosedPort(t *testing.T) *Client {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	gw := srv.URL + "/gateway.do"
	srv.Close()
	keys := testKeys(t)
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey, Gateway: gw})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWaitingForBuyerIsNotARefusal(t *testing.T) {
	err := &Error{Method: MethodPay, Code: CodeWaitingForBuyer, Msg: "order success pay inprocess"}
	if IsRefused(err) || IsNotSent(err) {
		t.Errorf("10003 counted as refused (%v) or not sent (%v)", IsRefused(err), IsNotSent(err))
	}
	if !IsNotSent(&transportError{method: MethodQuery, notSent: true, err: errors.New("dial tcp: connection refused")}) {
		t.Error("a dial failure is not reported as not sent")
	}
}
