package emulator

import (
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
)

// Generating 2048-bit keys is by far the slowest step (seconds under -race),
// so the whole test binary shares one set.
var (
	keysOnce   sync.Once
	sharedKeys *Keys
	keysErr    error
)

// testKeys returns the shared keys, generating them on first use.
func testKeys(tb testing.TB) *Keys {
	tb.Helper()
	keysOnce.Do(func() { sharedKeys, keysErr = GenerateKeys() })
	if keysErr != nil {
		tb.Fatalf("generate keys: %v", keysErr)
	}
	return sharedKeys
}

// testNow is the emulator's and the requests' clock in tests.
var testNow = time.Date(2026, 11, 22, 10, 30, 0, 0, alipay.Location())

// testConfig is an emulator configuration with the shared keys.
func testConfig(tb testing.TB) Config {
	k := testKeys(tb)
	return Config{
		MerchantName:     "Test Shop",
		AppPublicKey:     k.AppPublic,
		AlipayPrivateKey: k.AlipayPrivate,
		Now:              func() time.Time { return testNow },
	}
}

// harness is an emulator behind an httptest server.
type harness struct {
	t    *testing.T
	e    *Emulator
	srv  *httptest.Server
	keys *Keys
}

// newHarness starts an emulator for one test.
func newHarness(t *testing.T) *harness {
	t.Helper()
	e, err := New(testConfig(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &harness{t: t, e: e, srv: srv, keys: testKeys(t)}
}

// commonParams are the parameters a client sends besides biz_content and
// sign.
func commonParams(method string) url.Values {
	return url.Values{
		"app_id":    {DefaultAppID},
		"method":    {method},
		"charset":   {"utf-8"},
		"format":    {"JSON"},
		"sign_type": {"RSA2"},
		"timestamp": {alipay.FormatTime(testNow)},
		"version":   {"1.0"},
	}
}

// signedRequest builds the parameters of a correctly signed request, as
// the Node SDK and our client would send them.
func (h *harness) signedRequest(method, biz string) url.Values {
	h.t.Helper()
	p := commonParams(method)
	p.Set("biz_content", biz)
	h.sign(p, h.keys.AppPrivate)
	return p
}

// sign (re)signs p with key over alipay.RequestSigningString.
func (h *harness) sign(p url.Values, key *rsa.PrivateKey) {
	h.t.Helper()
	p.Del("sign")
	st := alipay.SignType(p.Get("sign_type"))
	if st != alipay.RSA {
		st = alipay.RSA2
	}
	sig, err := alipay.Sign(key, st, []byte(alipay.RequestSigningString(p)))
	if err != nil {
		h.t.Fatalf("sign: %v", err)
	}
	p.Set("sign", sig)
}

// post sends p the way the Node SDK does: biz_content in the form body,
// everything else in the URL query. It returns the raw response body.
func (h *harness) post(p url.Values) []byte {
	h.t.Helper()
	query, form := url.Values{}, url.Values{}
	for k, vs := range p {
		if k == "biz_content" {
			form[k] = vs
		} else {
			query[k] = vs
		}
	}
	resp, err := http.Post(h.srv.URL+"/gateway.do?"+query.Encode(),
		"application/x-www-form-urlencoded;charset=utf-8", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	return readBody(h.t, resp, http.StatusOK)
}

// readBody reads and closes resp, insisting on the status.
func readBody(t *testing.T, resp *http.Response, status int) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
	}
	return b
}

// verified checks raw with the Alipay public key and decodes the verified
// response object.
func (h *harness) verified(method string, raw []byte) map[string]string {
	h.t.Helper()
	body, err := alipay.VerifyResponse(h.keys.AlipayPublic, alipay.RSA2, method, raw)
	if err != nil {
		h.t.Fatalf("verify %s response: %v\n%s", method, err, raw)
	}
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil {
		h.t.Fatalf("decode %s response: %v\n%s", method, err, body)
	}
	return m
}

// call sends a correctly signed request and returns the verified answer.
func (h *harness) call(method, biz string) map[string]string {
	h.t.Helper()
	return h.verified(method, h.post(h.signedRequest(method, biz)))
}

// precreate creates a trade of amount for outTradeNo and returns its QR URL.
func (h *harness) precreate(outTradeNo, amount string) string {
	h.t.Helper()
	got := h.call(methodPrecreate, `{"out_trade_no":"`+outTradeNo+`","total_amount":"`+amount+`","subject":"Coffee"}`)
	wantCode(h.t, got, "10000", "")
	return got["qr_code"]
}

// query asks about outTradeNo.
func (h *harness) query(outTradeNo string) map[string]string {
	h.t.Helper()
	return h.call(methodQuery, `{"out_trade_no":"`+outTradeNo+`"}`)
}

// cancel cancels outTradeNo.
func (h *harness) cancel(outTradeNo string) map[string]string {
	h.t.Helper()
	return h.call(methodCancel, `{"out_trade_no":"`+outTradeNo+`"}`)
}

// get fetches a buyer page and returns its body.
func (h *harness) get(url string, status int) string {
	h.t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		h.t.Fatalf("get %s: %v", url, err)
	}
	return string(readBody(h.t, resp, status))
}

// postBuyer posts to a buyer URL with the given Accept header, without
// following redirects.
func (h *harness) postBuyer(url, accept string) *http.Response {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		h.t.Fatalf("post %s: %v", url, err)
	}
	return resp
}

// wantCode checks code and sub_code of a decoded response.
func wantCode(t *testing.T, got map[string]string, code, subCode string) {
	t.Helper()
	if got["code"] != code || got["sub_code"] != subCode {
		t.Fatalf("code %s sub_code %q (%s), want %s %q; response %v", got["code"], got["sub_code"], got["sub_msg"], code, subCode, got)
	}
}

// Method names, short.
const (
	methodPrecreate = alipay.MethodPrecreate
	methodQuery     = alipay.MethodQuery
	methodCancel    = alipay.MethodCancel
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// newTestClock starts at testNow.
func newTestClock() *testClock { return &testClock{now: testNow} }

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// newHarnessWith starts an emulator whose configuration change adjusts,
// and closes it (stopping its notifications) at the end of the test.
func newHarnessWith(t *testing.T, change func(*Config)) *harness {
	t.Helper()
	cfg := testConfig(t)
	change(&cfg)
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		srv.Close()
		e.Close()
	})
	return &harness{t: t, e: e, srv: srv, keys: testKeys(t)}
}

// callWith sends a signed request with extra common parameters (such as
// notify_url) and returns the verified answer.
func (h *harness) callWith(method, biz string, extra url.Values) map[string]string {
	h.t.Helper()
	p := commonParams(method)
	p.Set("biz_content", biz)
	for k, vs := range extra {
		p[k] = vs
	}
	h.sign(p, h.keys.AppPrivate)
	return h.verified(method, h.post(p))
}

// startServer starts a Server with cfg changed by change, closed at the
// end of the test.
func startServer(t *testing.T, change func(*Config)) *Server {
	t.Helper()
	cfg := testConfig(t)
	change(&cfg)
	s, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newClient is the real alipay.Client pointed at s.
func newClient(t *testing.T, s *Server) *alipay.Client {
	t.Helper()
	k := testKeys(t)
	c, err := alipay.NewClient(alipay.Config{
		AppID:           DefaultAppID,
		PrivateKey:      k.AppPrivate,
		AlipayPublicKey: k.AlipayPublic,
		Gateway:         s.GatewayURL(),
	}, alipay.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor polls cond every millisecond until it holds, failing the test
// after thirty seconds: a hang guard, not a time limit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
