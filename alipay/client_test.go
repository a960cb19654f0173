package alipay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fixedNow is 03:04:05 UTC, which is 11:04:05 in Beijing.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const testAppID = "2021000000000001"

// setup starts a test gateway and returns a client pointed at it and the mux
// on which each test registers "/gateway.do".
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux) {
	t.Helper()
	keys := testKeys(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	opts = append([]Option{WithClock(func() time.Time { return fixedNow })}, opts...)
	c, err := NewClient(Config{
		AppID:           testAppID,
		PrivateKey:      keys.app,
		AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway:         srv.URL + "/gateway.do",
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

// gotRequest is a request as the gateway saw it.
type gotRequest struct {
	query, form url.Values
	biz         string
}

// readRequest checks the envelope of a client request (method, content
// type, where each parameter travels, the signature over the union of query
// and body) and returns it.
func readRequest(t *testing.T, r *http.Request, st SignType) gotRequest {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method %s, want POST", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded;charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	query := r.URL.Query()
	want := map[string]string{"app_id": testAppID, "charset": "utf-8", "format": "JSON",
		"sign_type": string(st), "version": "1.0", "timestamp": "2026-01-02 11:04:05"}
	for k, v := range want {
		if got := query.Get(k); got != v {
			t.Errorf("query %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"method", "sign"} {
		if query.Get(k) == "" {
			t.Errorf("query lacks %s", k)
		}
	}
	if len(form) != 1 || form.Get("biz_content") == "" {
		t.Errorf("body params = %v, want only biz_content", form)
	}
	for k, vs := range union(query, form) {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("param %s = %q: empty or repeated", k, vs)
		}
	}
	all := union(query, form)
	content := RequestSigningString(all)
	if err := Verify(&testKeys(t).app.PublicKey, st, []byte(content), query.Get("sign")); err != nil {
		t.Errorf("request signature: %v over %s", err, content)
	}
	return gotRequest{query: query, form: form, biz: form.Get("biz_content")}
}

// reply writes a response for method signed with Alipay's test key.
func reply(t *testing.T, w http.ResponseWriter, method, body string) {
	t.Helper()
	raw, err := SignResponse(testKeys(t).alipay, RSA2, method, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", "text/html;charset=utf-8") // what Alipay sends
	_, _ = w.Write(raw)
}

// gateway registers a handler answering body for every call, after checking
// the envelope, and returns a pointer to the last request seen.
func gateway(t *testing.T, mux *http.ServeMux, method, body string) *gotRequest {
	t.Helper()
	var got gotRequest
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		got = readRequest(t, r, RSA2)
		if m := got.query.Get("method"); m != method {
			t.Errorf("method param %q, want %q", m, method)
		}
		reply(t, w, method, body)
	})
	return &got
}

func TestPrecreate(t *testing.T) {
	c, mux := setup(t)
	got := gateway(t, mux, MethodPrecreate,
		`{"code":"10000","msg":"Success","out_trade_no":"K20260102-1","qr_code":"https:\/\/qr.alipay.com\/bax1"}`)
	resp, err := c.Precreate(context.Background(), &PrecreateRequest{
		OutTradeNo:    "K20260102-1",
		TotalFen:      1234,
		Subject:       "Tea & <cake> 茶",
		StoreID:       "S1",
		TerminalID:    "T1",
		QRCodeTimeout: 4*time.Minute + 30*time.Second,
		NotifyURL:     "https://kiosk.example/notify",
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.QRCode != "https://qr.alipay.com/bax1" || resp.OutTradeNo != "K20260102-1" {
		t.Errorf("response = %+v", resp)
	}
	wantBiz := `{"out_trade_no":"K20260102-1","total_amount":"12.34","subject":"Tea & <cake> 茶","store_id":"S1","terminal_id":"T1","qr_code_timeout_express":"5m"}`
	if got.biz != wantBiz {
		t.Errorf("biz_content\n got %s\nwant %s", got.biz, wantBiz)
	}
	if n := got.query.Get("notify_url"); n != "https://kiosk.example/notify" {
		t.Errorf("notify_url = %q", n)
	}
}

func TestPrecreateMinimal(t *testing.T) {
	c, mux := setup(t)
	got := gateway(t, mux, MethodPrecreate, `{"code":"10000","msg":"Success","out_trade_no":"K1","qr_code":"q"}`)
	if _, err := c.Precreate(context.Background(), &PrecreateRequest{OutTradeNo: "K1", TotalFen: 1, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	if want := `{"out_trade_no":"K1","total_amount":"0.01","subject":"s"}`; got.biz != want {
		t.Errorf("biz_content = %s, want %s", got.biz, want)
	}
	if _, ok := got.query["notify_url"]; ok {
		t.Error("empty notify_url sent")
	}
}

func TestPrecreateRejectsOddSuccess(t *testing.T) {
	tests := map[string]string{
		"no qr_code":         `{"code":"10000","msg":"Success","out_trade_no":"K1"}`,
		"other order":        `{"code":"10000","msg":"Success","out_trade_no":"K0","qr_code":"q"}`,
		"code not string":    `{"code":10000,"msg":"Success","out_trade_no":"K1","qr_code":"q"}`,
		"qr_code not string": `{"code":"10000","msg":"Success","out_trade_no":"K1","qr_code":5}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			gateway(t, mux, MethodPrecreate, body)
			_, err := c.Precreate(context.Background(), &PrecreateRequest{OutTradeNo: "K1", TotalFen: 1, Subject: "s"})
			if !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
			}
		})
	}
}

func TestInvalidRequestsAreNotSent(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/gateway.do", func(http.ResponseWriter, *http.Request) { calls.Add(1) })
	ctx := context.Background()
	ok := PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"}
	with := func(f func(*PrecreateRequest)) *PrecreateRequest { r := ok; f(&r); return &r }
	tests := map[string]func() error{
		"no out_trade_no": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.OutTradeNo = "" }))
			return err
		},
		"long out_trade_no": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.OutTradeNo = strings.Repeat("1", 65) }))
			return err
		},
		"zero amount": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.TotalFen = 0 }))
			return err
		},
		"negative amount": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.TotalFen = -1 }))
			return err
		},
		"over max": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.TotalFen = MaxAmountFen + 1 }))
			return err
		},
		"no subject": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.Subject = "" }))
			return err
		},
		"long subject": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.Subject = strings.Repeat("茶", 257) }))
			return err
		},
		"negative timeout": func() error {
			_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.QRCodeTimeout = -time.Minute }))
			return err
		},
		"query without numbers": func() error { _, err := c.Query(ctx, &QueryRequest{}); return err },
		"query long out_trade_no": func() error {
			_, err := c.Query(ctx, &QueryRequest{OutTradeNo: strings.Repeat("1", 65)})
			return err
		},
		"cancel without numbers": func() error { _, err := c.Cancel(ctx, &CancelRequest{}); return err },
	}
	for name, call := range tests {
		if err := call(); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: err = %v, want ErrInvalidRequest", name, err)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d invalid requests reached the gateway", n)
	}
	_, err := c.Precreate(ctx, with(func(r *PrecreateRequest) { r.TotalFen = 0 }))
	if !errors.Is(err, ErrBadAmount) {
		t.Errorf("amount out of range does not wrap ErrBadAmount: %v", err)
	}
}

func TestQRTimeout(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, ""},
		{time.Second, "1m"},
		{time.Minute, "1m"},
		{time.Minute + time.Nanosecond, "2m"},
		{90 * time.Minute, "90m"},
		{15 * 24 * time.Hour, "21600m"},
	}
	for _, tt := range tests {
		if got, err := qrTimeout(tt.d); err != nil || got != tt.want {
			t.Errorf("qrTimeout(%v) = %q, %v; want %q", tt.d, got, err, tt.want)
		}
	}
	if _, err := qrTimeout(15*24*time.Hour + time.Minute); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("over 15 days: %v", err)
	}
}

func TestQuery(t *testing.T) {
	c, mux := setup(t)
	got := gateway(t, mux, MethodQuery, `{"code":"10000","msg":"Success","trade_no":"2026010222001468450512505578",`+
		`"out_trade_no":"K1","buyer_logon_id":"xud***@126.com","buyer_user_id":"2088102534368455",`+
		`"trade_status":"TRADE_SUCCESS","total_amount":"0.10","send_pay_date":"2026-01-02 11:05:06"}`)
	resp, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if err != nil {
		t.Fatal(err)
	}
	if got.biz != `{"out_trade_no":"K1"}` {
		t.Errorf("biz_content = %s", got.biz)
	}
	want := QueryResponse{
		TradeNo:      "2026010222001468450512505578",
		OutTradeNo:   "K1",
		BuyerLogonID: "xud***@126.com",
		BuyerUserID:  "2088102534368455",
		TradeStatus:  TradeSuccess,
		TotalFen:     10,
		SendPayDate:  time.Date(2026, 1, 2, 3, 5, 6, 0, time.UTC),
	}
	if !resp.SendPayDate.Equal(want.SendPayDate) {
		t.Errorf("SendPayDate = %v, want %v", resp.SendPayDate, want.SendPayDate)
	}
	resp.SendPayDate, want.SendPayDate = time.Time{}, time.Time{}
	if *resp != want {
		t.Errorf("response = %+v\nwant %+v", *resp, want)
	}
	if !resp.TradeStatus.Paid() {
		t.Error("TRADE_SUCCESS not Paid")
	}
}

func TestQueryUnpaid(t *testing.T) {
	c, mux := setup(t)
	got := gateway(t, mux, MethodQuery, `{"code":"10000","msg":"Success","trade_no":"T9","out_trade_no":"K1",`+
		`"trade_status":"WAIT_BUYER_PAY","total_amount":"88.00"}`)
	resp, err := c.Query(context.Background(), &QueryRequest{TradeNo: "T9"})
	if err != nil {
		t.Fatal(err)
	}
	if got.biz != `{"trade_no":"T9"}` {
		t.Errorf("biz_content = %s", got.biz)
	}
	if resp.TradeStatus != WaitBuyerPay || resp.TradeStatus.Paid() || resp.TotalFen != 8800 || !resp.SendPayDate.IsZero() {
		t.Errorf("response = %+v", resp)
	}
}

func TestQueryRejectsOddSuccess(t *testing.T) {
	tests := map[string]string{
		"replayed answer for another order": `{"code":"10000","msg":"Success","out_trade_no":"K0","trade_status":"TRADE_SUCCESS","total_amount":"1.00"}`,
		"bad amount":                        `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_status":"TRADE_SUCCESS","total_amount":"1.001"}`,
		"bad date":                          `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_status":"TRADE_SUCCESS","send_pay_date":"2026/01/02"}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			gateway(t, mux, MethodQuery, body)
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
			}
		})
	}
}

func TestQueryTradeNotExist(t *testing.T) {
	c, mux := setup(t)
	gateway(t, mux, MethodQuery, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在","out_trade_no":"K1"}`)
	resp, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if resp != nil || !IsTradeNotExist(err) {
		t.Fatalf("Query = %+v, %v; want ACQ.TRADE_NOT_EXIST", resp, err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Method != MethodQuery || e.Code != "40004" || !strings.Contains(string(e.Raw), `"out_trade_no":"K1"`) {
		t.Errorf("error = %#v", e)
	}
	if IsRetryable(err) || errors.Is(err, ErrUnsignedError) {
		t.Error("a signed ACQ.TRADE_NOT_EXIST is neither retryable nor unsigned")
	}
	if want := "alipay.trade.query: 40004 Business Failed (ACQ.TRADE_NOT_EXIST: 交易不存在)"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestQueryServiceUnavailable(t *testing.T) {
	c, mux := setup(t)
	gateway(t, mux, MethodQuery, `{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}`)
	_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if !IsRetryable(err) {
		t.Fatalf("20000 not retryable: %v", err)
	}
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name string
		body string
		want CancelResponse
	}{
		{"closed", `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1","retry_flag":"N","action":"close"}`,
			CancelResponse{TradeNo: "T1", OutTradeNo: "K1", Action: "close"}},
		{"refunded", `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1","retry_flag":"N","action":"refund"}`,
			CancelResponse{TradeNo: "T1", OutTradeNo: "K1", Action: "refund"}},
		{"unknown trade", `{"code":"10000","msg":"Success","out_trade_no":"K1","retry_flag":"N"}`,
			CancelResponse{OutTradeNo: "K1"}},
		{"retry", `{"code":"10000","msg":"Success","out_trade_no":"K1","retry_flag":"Y"}`,
			CancelResponse{OutTradeNo: "K1", RetryFlag: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			got := gateway(t, mux, MethodCancel, tt.body)
			resp, err := c.Cancel(context.Background(), &CancelRequest{OutTradeNo: "K1"})
			if err != nil {
				t.Fatal(err)
			}
			if *resp != tt.want {
				t.Errorf("response = %+v, want %+v", *resp, tt.want)
			}
			if got.biz != `{"out_trade_no":"K1"}` {
				t.Errorf("biz_content = %s", got.biz)
			}
		})
	}
}

func TestCancelRetryFlagError(t *testing.T) {
	c, mux := setup(t)
	gateway(t, mux, MethodCancel, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"交易状态不合法","out_trade_no":"K1","retry_flag":"Y"}`)
	_, err := c.Cancel(context.Background(), &CancelRequest{OutTradeNo: "K1"})
	var e *Error
	if !errors.As(err, &e) || e.SubCode != "ACQ.TRADE_STATUS_ERROR" {
		t.Fatalf("err = %v", err)
	}
	if !IsRetryable(err) {
		t.Error("retry_flag Y not retryable")
	}
}

func TestTransportErrors(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		want      string
		retryable bool
	}{
		{"502", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
		}, "HTTP 502", true},
		{"404", http.NotFound, "HTTP 404", false},
		{"connection dropped", func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}, "EOF", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc("/gateway.do", tt.handler)
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if !errors.Is(err, ErrTransport) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrTransport with %q", err, tt.want)
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable = %v", !tt.retryable)
			}
			if strings.Contains(err.Error(), "sign=") {
				t.Errorf("error leaks the request URL: %v", err)
			}
		})
	}
}

func TestGatewayDown(t *testing.T) {
	c := clientToClosedPort(t)
	_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if !errors.Is(err, ErrTransport) || !IsRetryable(err) || !IsNotSent(err) {
		t.Fatalf("err = %v, want retryable ErrTransport that was never sent", err)
	}
}

// hang answers nothing until the client goes away. It reads the body first:
// only then does the server watch the connection and cancel r.Context().
func hang(_ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

func TestContextDeadline(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/gateway.do", hang)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"})
	if !errors.Is(err, ErrTransport) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrTransport wrapping DeadlineExceeded", err)
	}
	if !IsRetryable(err) {
		t.Error("timeout not retryable")
	}
}

func TestContextCanceled(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/gateway.do", func(http.ResponseWriter, *http.Request) { t.Error("request sent") })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"})
	if !errors.Is(err, ErrTransport) || !errors.Is(err, context.Canceled) || IsRetryable(err) {
		t.Fatalf("err = %v, want non-retryable ErrTransport wrapping Canceled", err)
	}
}

func TestHTTPClientTimeout(t *testing.T) {
	c, mux := setup(t, WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}))
	mux.HandleFunc("/gateway.do", hang)
	_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if !errors.Is(err, ErrTransport) || !IsRetryable(err) {
		t.Fatalf("err = %v, want retryable ErrTransport", err)
	}
}

func TestResponseTampering(t *testing.T) {
	body := `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_status":"WAIT_BUYER_PAY","total_amount":"1.00"}`
	tests := []struct {
		name  string
		write func(t *testing.T, w http.ResponseWriter)
		want  error
	}{
		{"forged status", func(t *testing.T, w http.ResponseWriter) {
			raw, _ := SignResponse(testKeys(t).alipay, RSA2, MethodQuery, []byte(body))
			_, _ = w.Write([]byte(strings.Replace(string(raw), "WAIT_BUYER_PAY", "TRADE_SUCCESS", 1)))
		}, ErrBadSignature},
		{"signed with the app's own key", func(t *testing.T, w http.ResponseWriter) {
			raw, _ := SignResponse(testKeys(t).app, RSA2, MethodQuery, []byte(body))
			_, _ = w.Write(raw)
		}, ErrBadSignature},
		{"signed with a stranger's key", func(t *testing.T, w http.ResponseWriter) {
			raw, _ := SignResponse(testKeys(t).other, RSA2, MethodQuery, []byte(body))
			_, _ = w.Write(raw)
		}, ErrBadSignature},
		{"unsigned", func(_ *testing.T, w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"alipay_trade_query_response":` + body + `}`))
		}, ErrNotSigned},
		{"signed answer to another method", func(t *testing.T, w http.ResponseWriter) {
			reply(t, w, MethodCancel, body)
		}, ErrUnexpectedResponse},
		{"HTML with status 200", func(_ *testing.T, w http.ResponseWriter) {
			_, _ = w.Write([]byte("<html><body>Wi-Fi login</body></html>"))
		}, ErrUnexpectedResponse},
		{"too large", func(_ *testing.T, w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"x":"` + strings.Repeat("a", maxResponseBody) + `"}`))
		}, ErrUnexpectedResponse},
		{"unsigned error_response", func(_ *testing.T, w http.ResponseWriter) {
			_, _ = w.Write([]byte(`{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}`))
		}, ErrUnsignedError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, _ *http.Request) { tt.write(t, w) })
			resp, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if resp != nil || !errors.Is(err, tt.want) {
				t.Fatalf("Query = %+v, %v; want %v", resp, err, tt.want)
			}
			if IsRetryable(err) {
				t.Error("tampering reported as retryable")
			}
		})
	}
}

func TestSignTypeRSA(t *testing.T) {
	keys := testKeys(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		readRequest(t, r, RSA)
		raw, _ := SignResponse(keys.alipay, RSA, MethodCancel, []byte(`{"code":"10000","msg":"Success","out_trade_no":"K1","retry_flag":"N"}`))
		_, _ = w.Write(raw)
	})
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		SignType: RSA, Gateway: srv.URL + "/gateway.do"}, WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Cancel(context.Background(), &CancelRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
}

func TestTimestampIsBeijingTime(t *testing.T) {
	tests := []struct {
		now  time.Time
		want string
	}{
		{fixedNow, "2026-01-02 11:04:05"},
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), "2027-01-01 00:00:00"},
		{time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("PDT", -7*3600)), "2026-06-02 03:00:00"},
	}
	for _, tt := range tests {
		c, mux := setup(t, WithClock(func() time.Time { return tt.now }))
		var got string
		mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
			got = r.URL.Query().Get("timestamp")
			reply(t, w, MethodQuery, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"}`)
		})
		_, _ = c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
		if got != tt.want {
			t.Errorf("now %v: timestamp %q, want %q", tt.now, got, tt.want)
		}
	}
}

func TestConcurrentCalls(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		no := strings.TrimSuffix(strings.TrimPrefix(r.PostForm.Get("biz_content"), `{"out_trade_no":"`), `"}`)
		reply(t, w, MethodQuery, `{"code":"10000","msg":"Success","out_trade_no":"`+no+`","trade_status":"WAIT_BUYER_PAY","total_amount":"1.00"}`)
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			no := fmt.Sprintf("K%d", i)
			resp, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: no})
			if err != nil || resp.OutTradeNo != no {
				t.Errorf("%s: %+v, %v", no, resp, err)
			}
		})
	}
	wg.Wait()
}

func TestNewClient(t *testing.T) {
	keys := testKeys(t)
	good := Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey, Gateway: SandboxGateway}
	c, err := NewClient(good)
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.SignType != RSA2 {
		t.Errorf("default sign type %q, want RSA2", c.cfg.SignType)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no app id", func(c *Config) { c.AppID = "" }, "app ID is empty"},
		{"no private key", func(c *Config) { c.PrivateKey = nil }, "private key is missing"},
		{"no Alipay key", func(c *Config) { c.AlipayPublicKey = nil }, "Alipay public key is missing"},
		{"app's own public key", func(c *Config) {
			pub := keys.app.PublicKey // a copy: equal by value, not by pointer
			c.AlipayPublicKey = &pub
		}, "the Alipay public key given is the app's own public key"},
		{"MD5", func(c *Config) { c.SignType = "MD5" }, "unsupported sign type"},
		{"no gateway", func(c *Config) { c.Gateway = "" }, "gateway is empty"},
		{"relative gateway", func(c *Config) { c.Gateway = "/gateway.do" }, "not an http(s) URL"},
		{"ftp gateway", func(c *Config) { c.Gateway = "ftp://openapi.alipay.com/gateway.do" }, "not an http(s) URL"},
		{"gateway with query", func(c *Config) { c.Gateway = ProductionGateway + "?charset=utf-8" }, "must not have a query"},
		{"unparsable gateway", func(c *Config) { c.Gateway = "http://[::1" }, "gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			c, err := NewClient(cfg)
			if c != nil || !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewClient = %v; want ErrInvalidConfig with %q", err, tt.want)
			}
		})
	}
}
