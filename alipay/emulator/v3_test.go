package emulator

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
)

// newV3Client is the real alipay.Client speaking v3 to s.
func newV3Client(t *testing.T, s *Server) *alipay.Client {
	t.Helper()
	k := testKeys(t)
	c, err := alipay.NewClient(alipay.Config{
		AppID: DefaultAppID, PrivateKey: k.AppPrivate, AlipayPublicKey: k.AlipayPublic,
		Gateway: s.GatewayURL(), Protocol: alipay.ProtocolV3,
	}, alipay.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// v3Request is a raw v3 request a test builds and may spoil before it is
// signed or sent.
type v3Request struct {
	httpMethod, uri, body string
	appID, nonce          string
	at                    time.Time
	key                   *rsa.PrivateKey
	token                 string // alipay-app-auth-token, signed
	header                http.Header
	sign                  func(content string) string // nil: sign content with key
}

// newV3Request is a correct POST of body to method's path, signed now.
func (h *harness) newV3Request(method, body string) *v3Request {
	return &v3Request{httpMethod: http.MethodPost, uri: alipay.V3Path(method), body: body, appID: DefaultAppID,
		nonce: alipay.NewNonce(), at: testNow, key: h.keys.AppPrivate, header: http.Header{}}
}

// send signs and sends rq and returns the answer, its body read.
func (h *harness) send(rq *v3Request) (*http.Response, []byte) {
	h.t.Helper()
	auth := alipay.V3AuthString(rq.appID, "", rq.nonce, rq.at)
	content := alipay.V3SigningString(auth, rq.httpMethod, rq.uri, []byte(rq.body), rq.token)
	var sig string
	if rq.sign != nil {
		sig = rq.sign(content)
	} else {
		var err error
		if sig, err = alipay.Sign(rq.key, alipay.RSA2, []byte(content)); err != nil {
			h.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(rq.httpMethod, h.srv.URL+rq.uri, strings.NewReader(rq.body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", alipay.V3Authorization(auth, sig))
	req.Header.Set("Content-Type", "application/json")
	if rq.token != "" {
		req.Header.Set(alipay.HeaderV3AppAuthToken, rq.token)
	}
	for k, vs := range rq.header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp, b
}

// v3Answer checks that an answer is signed by Alipay's key over its raw
// bytes and has the status, and decodes it.
func (h *harness) v3Answer(resp *http.Response, body []byte, status int) map[string]any {
	h.t.Helper()
	if err := alipay.VerifyV3Response(h.keys.AlipayPublic, resp.Header, body); err != nil {
		h.t.Fatalf("answer does not verify: %v\n%s", err, body)
	}
	if resp.StatusCode != status {
		h.t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return m
}

// TestV3ClientRoundTrip runs the real client in v3 through a whole sale:
// precreate, query before the scan, payment, query, partial refund,
// refund query, cancel after payment.
func TestV3ClientRoundTrip(t *testing.T) {
	s := startServer(t, func(*Config) {})
	c := newV3Client(t, s)
	ctx := context.Background()
	pre, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 1234, Subject: "咖啡 / coffee & <cake>"})
	if err != nil {
		t.Fatalf("Precreate: %v", err)
	}
	if !strings.HasPrefix(pre.QRCode, s.URL+"/qr/") {
		t.Errorf("Precreate = %+v", pre)
	}
	if _, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"}); !alipay.IsTradeNotExist(err) {
		t.Fatalf("Query before the scan: %v", err)
	}
	if err := s.Pay("K1"); err != nil {
		t.Fatal(err)
	}
	q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"})
	if err != nil || !q.TradeStatus.Paid() || q.TotalFen != 1234 || !q.SendPayDate.Equal(testNow) || len(q.TradeNo) != 28 {
		t.Fatalf("Query = %+v, %v", q, err)
	}
	rf, err := c.Refund(ctx, &alipay.RefundRequest{OutTradeNo: "K1", RefundFen: 234, OutRequestNo: "R1"})
	if err != nil || !rf.FundChange || rf.RefundFeeFen != 234 || rf.TradeNo != q.TradeNo {
		t.Fatalf("Refund = %+v, %v", rf, err)
	}
	rq, err := c.RefundQuery(ctx, &alipay.RefundQueryRequest{OutTradeNo: "K1", OutRequestNo: "R1"})
	if err != nil || !rq.Refunded() || rq.RefundFen != 234 || rq.TotalFen != 1234 {
		t.Fatalf("RefundQuery = %+v, %v", rq, err)
	}
	cr, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K1"})
	if err != nil || cr.Action != "refund" || cr.RetryFlag {
		t.Fatalf("Cancel = %+v, %v", cr, err)
	}
	if tr, _ := s.Trade("K1"); !tr.Refunded || tr.RefundedFen() != 1234 {
		t.Errorf("trade %+v", tr)
	}
	if _, err := c.Close(ctx, &alipay.CloseRequest{OutTradeNo: "K1"}); !hasSubCode(err, "ACQ.TRADE_STATUS_ERROR") {
		t.Errorf("Close of a refunded trade: %v", err)
	}
	if b, err := c.BillDownloadURL(ctx, &alipay.BillRequest{BillType: alipay.BillTypeTrade, BillDate: "2026-11-22"}); err != nil ||
		!strings.HasPrefix(b.BillDownloadURL, s.URL+billDownloadPath+"?bizType=trade&userId=") {
		t.Errorf("BillDownloadURL = %+v, %v", b, err)
	}
}

func hasSubCode(err error, code string) bool {
	var e *alipay.Error
	return errors.As(err, &e) && e.SubCode == code && e.HTTPStatus == http.StatusBadRequest
}

// TestV3AndV2ShareTrades: both protocols on one port, one trade table.
func TestV3AndV2ShareTrades(t *testing.T) {
	s := startServer(t, func(*Config) {})
	v2, v3 := newClient(t, s), newV3Client(t, s)
	ctx := context.Background()
	if _, err := v2.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "BY_V2", TotalFen: 100, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v3.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "BY_V3", TotalFen: 200, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	for _, no := range []string{"BY_V2", "BY_V3"} {
		if err := s.Pay(no); err != nil {
			t.Fatal(err)
		}
	}
	for name, c := range map[string]*alipay.Client{"v2": v2, "v3": v3} {
		for no, fen := range map[string]int64{"BY_V2": 100, "BY_V3": 200} {
			if q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: no}); err != nil || !q.TradeStatus.Paid() || q.TotalFen != fen {
				t.Errorf("%s query of %s: %+v, %v", name, no, q, err)
			}
		}
	}
	if _, err := v3.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "BY_V2"}); err != nil {
		t.Fatal(err)
	}
	if q, err := v2.Query(ctx, &alipay.QueryRequest{OutTradeNo: "BY_V2"}); err != nil || q.TradeStatus != alipay.TradeClosed {
		t.Errorf("v2 query after a v3 cancel: %+v, %v", q, err)
	}
}

// TestV3Refusals: a request is refused, with a signed 401 and nothing
// done, when its authorization is missing, malformed, for another app,
// stale, does not verify over what was sent, or repeats a nonce.
func TestV3Refusals(t *testing.T) {
	const body = `{"out_trade_no":"R1","total_amount":"1.00","subject":"s"}`
	tests := []struct {
		name, code string
		spoil      func(h *harness, rq *v3Request)
	}{
		{"no authorization", "missing-signature", func(h *harness, rq *v3Request) {
			rq.header.Set("Authorization", "")
		}},
		{"another scheme", alipay.SubCodeV3InvalidSignature, func(h *harness, rq *v3Request) {
			rq.header.Set("Authorization", "Bearer abc")
		}},
		{"another app", alipay.SubCodeV3InvalidAppID, func(h *harness, rq *v3Request) { rq.appID = "2021999999999999" }},
		{"signed six minutes ago", "invalid-timestamp", func(h *harness, rq *v3Request) { rq.at = testNow.Add(-6 * time.Minute) }},
		{"signed six minutes ahead", "invalid-timestamp", func(h *harness, rq *v3Request) { rq.at = testNow.Add(6 * time.Minute) }},
		{"signed by another key", alipay.SubCodeV3InvalidSignature, func(h *harness, rq *v3Request) { rq.key = h.keys.AlipayPrivate }},
		{"body changed after signing", alipay.SubCodeV3InvalidSignature, func(h *harness, rq *v3Request) {
			rq.sign = func(string) string {
				return sign(h, alipay.V3SigningString(alipay.V3AuthString(rq.appID, "", rq.nonce, rq.at), rq.httpMethod, rq.uri,
					[]byte(strings.Replace(rq.body, "1.00", "9.00", 1)), ""))
			}
		}},
		{"GET signed as POST", alipay.SubCodeV3InvalidSignature, func(h *harness, rq *v3Request) {
			rq.sign = func(content string) string { return sign(h, strings.Replace(content, "\nPOST\n", "\nGET\n", 1)) }
		}},
		{"app auth token sent but not signed", alipay.SubCodeV3InvalidSignature, func(h *harness, rq *v3Request) {
			rq.header.Set(alipay.HeaderV3AppAuthToken, "tok")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			rq := h.newV3Request(methodPrecreate, body)
			tt.spoil(h, rq)
			resp, b := h.send(rq)
			got := h.v3Answer(resp, b, http.StatusUnauthorized)
			if got["code"] != tt.code || got["message"] == "" {
				t.Errorf("answer %s, want code %s", b, tt.code)
			}
			if _, ok := h.e.Trade("R1"); ok {
				t.Error("a refused precreate created the trade")
			}
		})
	}
}

func sign(h *harness, content string) string {
	h.t.Helper()
	sig, err := alipay.Sign(h.keys.AppPrivate, alipay.RSA2, []byte(content))
	if err != nil {
		h.t.Fatal(err)
	}
	return sig
}

// TestV3ReplayedNonce: the same signed request twice is taken once.
func TestV3ReplayedNonce(t *testing.T) {
	h := newHarness(t)
	rq := h.newV3Request(methodPrecreate, `{"out_trade_no":"N1","total_amount":"1.00","subject":"s"}`)
	resp, b := h.send(rq)
	h.v3Answer(resp, b, http.StatusOK)
	resp, b = h.send(rq)
	if got := h.v3Answer(resp, b, http.StatusUnauthorized); got["code"] != "invalid-nonce" {
		t.Errorf("replay answered %s", b)
	}
	rq.nonce = alipay.NewNonce()
	resp, b = h.send(rq)
	h.v3Answer(resp, b, http.StatusOK)
}

// TestV3AppAuthToken: a request signed with its app auth token passes.
func TestV3AppAuthToken(t *testing.T) {
	h := newHarness(t)
	rq := h.newV3Request(methodQuery, `{"out_trade_no":"NONE"}`)
	rq.token = "202601BB1234"
	resp, b := h.send(rq)
	if got := h.v3Answer(resp, b, http.StatusBadRequest); got["code"] != alipay.SubCodeTradeNotExist {
		t.Errorf("answer %s", b)
	}
}

// TestNonceMemoryIsBounded: the cache never holds more than its limit; a
// forgotten nonce's request is refused through the floor, not accepted.
func TestNonceMemoryIsBounded(t *testing.T) {
	c := &nonceCache{max: 3}
	at := func(s int) time.Time { return testNow.Add(time.Duration(s) * time.Second) }
	for i, n := range []string{"a", "b", "c", "d"} {
		if why := c.use(n, at(i), testNow); why != "" {
			t.Fatalf("%s refused: %s", n, why)
		}
		if c.len() > 3 {
			t.Fatalf("%d nonces kept, limit 3", c.len())
		}
	}
	if why := c.use("a", at(0), testNow); why == "" {
		t.Error("the forgotten nonce a was accepted again")
	}
	if why := c.use("d", at(3), testNow); why == "" {
		t.Error("the remembered nonce d was accepted again")
	}
	if why := c.use("e", at(4), testNow); why != "" {
		t.Errorf("a new nonce refused: %s", why)
	}
	// Nonces older than the window are dropped: their requests are stale.
	if why := c.use("f", at(400), testNow.Add(V3Window+time.Minute)); why != "" || c.len() != 1 {
		t.Errorf("after the window: %q, %d kept", why, c.len())
	}
}

// TestV3Answers: how the v3 gateway words its answers.
func TestV3Answers(t *testing.T) {
	h := newHarness(t)
	resp, b := h.send(h.newV3Request(methodPrecreate, `{"out_trade_no":"A1","total_amount":"12.34","subject":"s"}`))
	got := h.v3Answer(resp, b, http.StatusOK)
	if got["out_trade_no"] != "A1" || !strings.Contains(string(b), `"qr_code":"http:\/\/`) || got["code"] != nil {
		t.Errorf("precreate answer %s", b)
	}
	if resp.Header.Get(alipay.HeaderV3TraceID) == "" {
		t.Error("no alipay-trace-id")
	}
	resp, b = h.send(h.newV3Request(methodQuery, `{"out_trade_no":"A1"}`))
	got = h.v3Answer(resp, b, http.StatusBadRequest)
	if got["code"] != alipay.SubCodeTradeNotExist || got["message"] != "交易不存在" || got["links"] == nil {
		t.Errorf("query before the scan: %s", b)
	}
	rq := h.newV3Request(methodQuery, "")
	rq.httpMethod, rq.uri = http.MethodGet, alipay.V3Path(methodQuery)+"?out_trade_no=A1"
	resp, b = h.send(rq)
	if got := h.v3Answer(resp, b, http.StatusBadRequest); got["code"] != alipay.SubCodeTradeNotExist {
		t.Errorf("GET query: %s", b)
	}
	resp, b = h.send(h.newV3Request(methodPrecreate, `not json`))
	if got := h.v3Answer(resp, b, http.StatusBadRequest); got["code"] != "invalid-parameter" {
		t.Errorf("bad body: %s", b)
	}
	resp, b = h.send(h.newV3Request("alipay.trade.nonsense", `{}`))
	if got := h.v3Answer(resp, b, http.StatusNotFound); got["code"] != "invalid-method" {
		t.Errorf("unknown path: %s", b)
	}
	if page := h.get(h.srv.URL+"/", http.StatusOK); !strings.Contains(page, "<code>"+h.srv.URL+"/v3/…</code> (OpenAPI v3)") {
		t.Errorf("the index page does not name the v3 base:\n%s", page)
	}
}

// TestV3FaultsSeenByClient: the faults apply to v3 requests, and the v3
// client sees them as the v2 client does.
func TestV3FaultsSeenByClient(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		check  func(error) bool
		ran    bool
	}{
		{"reset", Faults{ResetRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrTransport) && alipay.IsRetryable(err)
		}, true},
		{"5xx", Faults{HTTP5xxRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrTransport) && alipay.IsRetryable(err) && strings.Contains(err.Error(), "502")
		}, true},
		{"malformed", Faults{MalformedRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrUnexpectedResponse) }, true},
		{"badsig", Faults{BadSignatureRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrBadSignature) }, true},
		{"unsigned", Faults{UnsignedRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrNotSigned) }, true},
		{"syserr", Faults{SystemErrorRate: 1}, func(err error) bool {
			var e *alipay.Error
			return alipay.IsRetryable(err) && errors.As(err, &e) && e.HTTPStatus == http.StatusServiceUnavailable &&
				e.SubCode == "isp.unknow-error"
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, func(c *Config) { c.Faults = &tc.faults })
			c := newV3Client(t, s)
			_, err := c.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"})
			if err == nil || !tc.check(err) {
				t.Errorf("Precreate: %v", err)
			}
			if _, ok := s.Trade("K1"); ok != tc.ran {
				t.Errorf("trade exists: %v, want %v", ok, tc.ran)
			}
			if err := s.SetFaults(Faults{}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"}); err != nil {
				t.Errorf("Precreate without faults: %v", err)
			}
		})
	}
}

// TestV3CancelRetries: cancel-retries answers v3 cancels with a retryable
// ACQ.SYSTEM_ERROR until the count is used up.
func TestV3CancelRetries(t *testing.T) {
	s := startServer(t, func(c *Config) { c.Faults = &Faults{CancelRetries: 2} })
	c := newV3Client(t, s)
	ctx := context.Background()
	for i := range 3 {
		_, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "C1"})
		if retry := i < 2; retry != (err != nil && alipay.IsRetryable(err) && hasSubCode(err, alipay.SubCodeSystemError)) {
			t.Errorf("cancel %d: %v", i+1, err)
		}
	}
}

// TestV3Notification: a trade precreated in v3 with notify_url gets the
// same signed notification when paid.
func TestV3Notification(t *testing.T) {
	rc := newReceiver(t)
	s := startServer(t, func(c *Config) { c.NotifyScale = 1e-4 })
	c := newV3Client(t, s)
	if _, err := c.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "V3N", TotalFen: 888, Subject: "s",
		NotifyURL: rc.srv.URL + "/alipay/notify"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Pay("V3N"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the notification", func() bool { return len(s.Deliveries()) == 1 })
	forms := rc.received()
	if len(forms) != 1 || forms[0].Get("out_trade_no") != "V3N" || forms[0].Get("total_amount") != "8.88" {
		t.Fatalf("notifications %v", forms)
	}
	verifyNotification(t, forms[0])
}
