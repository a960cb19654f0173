package emulator

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
)

// The v3 half of the interop test, the emulator's side: Alipay's Node SDK
// (testdata/node/v3curl.mjs driving its curl()) against a running
// emulator, through a proxy that can damage answers. curl() verifies every
// 2xx answer itself; v3curl.mjs checks error answers with the SDK's
// verifySignatureV3 by the same rule. The other half is in
// alipay/interop_v3_test.go.

const interopDir = "../testdata/node"

// interopNode returns the node binary, or skips when node or the SDK is
// missing (see alipay/interop_test.go).
func interopNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found in PATH; install Node.js 18+ and run `npm ci --prefix alipay/testdata/node` to run this test")
	}
	if _, err := os.Stat(filepath.Join(interopDir, "node_modules", "alipay-sdk", "package.json")); err != nil {
		t.Skip("alipay-sdk is not installed; run `npm ci --prefix alipay/testdata/node` from the repository root")
	}
	return node
}

// sdkDriver is a running v3curl.mjs.
type sdkDriver struct {
	t   *testing.T
	in  io.WriteCloser
	out *bufio.Scanner
}

// sdkResult is v3curl.mjs's answer to one call.
type sdkResult struct {
	OK          bool           `json:"ok"`
	Status      int            `json:"status"`
	Data        map[string]any `json:"data"`
	Name        string         `json:"name"`
	Message     string         `json:"message"`
	Code        string         `json:"code"`
	ErrorSigned bool           `json:"errorSigned"`
}

func startSDKDriver(t *testing.T, node, endpoint string, keys *Keys) *sdkDriver {
	t.Helper()
	cmd := exec.Command(node, "v3curl.mjs")
	cmd.Dir = interopDir
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close() // the driver ends with its input
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	d := &sdkDriver{t: t, in: in, out: bufio.NewScanner(out)}
	d.out.Buffer(nil, 1<<20)
	d.send(map[string]string{
		"endpoint":        endpoint,
		"appId":           DefaultAppID,
		"appPrivateKey":   string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys.AppPrivate)})),
		"alipayPublicKey": string(alipay.EncodePublicKeyPEM(keys.AlipayPublic)),
	})
	var ready struct {
		Ready      bool
		SDKVersion string `json:"sdkVersion"`
	}
	d.read(&ready)
	if !ready.Ready || ready.SDKVersion != "4.14.0" {
		t.Fatalf("v3curl.mjs: %+v (want alipay-sdk 4.14.0: run `npm ci --prefix alipay/testdata/node`)", ready)
	}
	return d
}

func (d *sdkDriver) send(v any) {
	d.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		d.t.Fatal(err)
	}
	if _, err := d.in.Write(append(b, '\n')); err != nil {
		d.t.Fatalf("v3curl.mjs: %v", err)
	}
}

func (d *sdkDriver) read(v any) {
	d.t.Helper()
	if !d.out.Scan() {
		d.t.Fatalf("v3curl.mjs ended: %v", d.out.Err())
	}
	if err := json.Unmarshal(d.out.Bytes(), v); err != nil {
		d.t.Fatalf("v3curl.mjs said %q: %v", d.out.Text(), err)
	}
}

// curl has the SDK call curl(method, path, {body, query}).
func (d *sdkDriver) curl(method, path string, body map[string]string, query map[string]string) sdkResult {
	d.t.Helper()
	d.send(map[string]any{"id": path, "method": method, "path": path, "body": body, "query": query})
	var r sdkResult
	d.read(&r)
	return r
}

// exec has the SDK call exec(method, {bizContent, notifyUrl}, {validateSign:
// true}) against <endpoint>/gateway.do: OpenAPI v2.
func (d *sdkDriver) exec(method string, biz map[string]string, notifyURL string) sdkResult {
	d.t.Helper()
	d.send(map[string]any{"id": method, "exec": method, "bizContent": biz, "notifyUrl": notifyURL})
	var r sdkResult
	d.read(&r)
	return r
}

// tamperProxy forwards to the emulator and damages answers as mode says.
type tamperProxy struct {
	mu   sync.Mutex
	mode string
}

func (p *tamperProxy) set(mode string) {
	p.mu.Lock()
	p.mode = mode
	p.mu.Unlock()
}

func (p *tamperProxy) damage(resp *http.Response) error {
	p.mu.Lock()
	mode := p.mode
	p.mu.Unlock()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	resp.Body.Close()
	h := resp.Header
	switch mode {
	case "body":
		body = bytes.Replace(body, []byte("TRADE_"), []byte("TRADX_"), 1)
	case "signature":
		sig := []byte(h.Get(alipay.HeaderV3Signature))
		sig[10] = map[bool]byte{true: 'B', false: 'A'}[sig[10] == 'A'] // still base64, no longer the signature
		h.Set(alipay.HeaderV3Signature, string(sig))
	case "nonce":
		h.Set(alipay.HeaderV3Nonce, alipay.NewNonce())
	case "no headers":
		h.Del(alipay.HeaderV3Signature)
		h.Del(alipay.HeaderV3Nonce)
		h.Del(alipay.HeaderV3Timestamp)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	h.Del("Content-Length")
	return nil
}

func TestInteropV3NodeSDKAgainstEmulator(t *testing.T) {
	node := interopNode(t)
	rc := newReceiver(t)
	s := startServer(t, func(c *Config) {
		c.Now = time.Now // the SDK signs with the real clock
		c.NotifyScale = 1e-4
	})
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	tp := &tamperProxy{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = tp.damage
	proxy := httptest.NewServer(rp)
	t.Cleanup(proxy.Close)
	sdk := startSDKDriver(t, node, proxy.URL, testKeys(t))

	const subject = "咖啡 & <cake> / 茶 100%"
	pre := sdk.curl("POST", "/v3/alipay/trade/precreate", map[string]string{"out_trade_no": "SDK_1", "total_amount": "12.34",
		"subject": subject, "notify_url": rc.srv.URL + "/alipay/notify"}, nil)
	if qr, _ := pre.Data["qr_code"].(string); !pre.OK || pre.Status != 200 || !strings.HasPrefix(qr, proxy.URL+"/qr/") {
		t.Fatalf("precreate through the SDK: %+v", pre)
	}
	if tr, ok := s.Trade("SDK_1"); !ok || tr.Subject != subject || tr.TotalFen != 1234 {
		t.Fatalf("the emulator recorded %+v", tr)
	}

	q := sdk.curl("POST", "/v3/alipay/trade/query", map[string]string{"out_trade_no": "SDK_1"}, nil)
	if q.OK || q.Name != "AlipayRequestError" || q.Code != alipay.SubCodeTradeNotExist || q.Status != 400 || !q.ErrorSigned {
		t.Errorf("query before the payment: %+v", q)
	}
	if err := s.Pay("SDK_1"); err != nil {
		t.Fatal(err)
	}
	q = sdk.curl("POST", "/v3/alipay/trade/query", map[string]string{"out_trade_no": "SDK_1"}, nil)
	if !q.OK || q.Data["trade_status"] != "TRADE_SUCCESS" || q.Data["total_amount"] != "12.34" {
		t.Errorf("query after the payment: %+v", q)
	}
	waitFor(t, "the notification", func() bool { return len(rc.received()) == 1 })
	verifyNotification(t, rc.received()[0])

	rf := sdk.curl("POST", "/v3/alipay/trade/refund", map[string]string{"out_trade_no": "SDK_1", "refund_amount": "2.00", "out_request_no": "R1"}, nil)
	if !rf.OK || rf.Data["fund_change"] != "Y" || rf.Data["refund_fee"] != "2.00" {
		t.Errorf("refund: %+v", rf)
	}
	rq := sdk.curl("POST", "/v3/alipay/trade/fastpay/refund/query", map[string]string{"out_trade_no": "SDK_1", "out_request_no": "R1"}, nil)
	if !rq.OK || rq.Data["refund_status"] != "REFUND_SUCCESS" {
		t.Errorf("refund query: %+v", rq)
	}
	cancel := sdk.curl("POST", "/v3/alipay/trade/cancel", map[string]string{"out_trade_no": "SDK_1"}, nil)
	if !cancel.OK || cancel.Data["action"] != "refund" || cancel.Data["retry_flag"] != "N" {
		t.Errorf("cancel after the payment: %+v", cancel)
	}
	if tr, _ := s.Trade("SDK_1"); !tr.Refunded {
		t.Errorf("after the cancel the trade is %+v", tr)
	}
	sdk.curl("POST", "/v3/alipay/trade/precreate", map[string]string{"out_trade_no": "SDK_2", "total_amount": "1.00", "subject": "s"}, nil)
	if c := sdk.curl("POST", "/v3/alipay/trade/cancel", map[string]string{"out_trade_no": "SDK_2"}, nil); !c.OK || c.Data["action"] != "close" {
		t.Errorf("cancel before the payment: %+v", c)
	}
	bill := sdk.curl("GET", "/v3/alipay/data/dataservice/bill/downloadurl/query", nil, map[string]string{"bill_type": "trade", "bill_date": "2026-11-22"})
	if link, _ := bill.Data["bill_download_url"].(string); !bill.OK || !strings.HasPrefix(link, proxy.URL+billDownloadPath+"?bizType=trade&userId=") {
		t.Errorf("bill (GET with a query): %+v", bill)
	}

	// Damaged answers: the SDK refuses every 2xx one, and its signature rule
	// refuses the error ones too.
	for _, mode := range []string{"body", "signature", "nonce", "no headers"} {
		tp.set(mode)
		q := sdk.curl("POST", "/v3/alipay/trade/query", map[string]string{"out_trade_no": "SDK_1"}, nil)
		if q.OK {
			t.Errorf("%s: the SDK accepted a damaged answer: %+v", mode, q)
		}
		if mode != "no headers" && q.Code != "response-signature-verify-error" {
			t.Errorf("%s: %+v, want response-signature-verify-error", mode, q)
		}
		e := sdk.curl("POST", "/v3/alipay/trade/query", map[string]string{"out_trade_no": "NEVER_MADE"}, nil)
		if e.OK || e.Code == "" || e.ErrorSigned {
			t.Errorf("%s: a damaged error answer passed the SDK's signature rule: %+v", mode, e)
		}
	}
	tp.set("")

	// A request the SDK signs with a key other than the app's is refused
	// with a signed 401 (replays and stale requests: TestV3Refusals).
	other := startSDKDriver(t, node, proxy.URL, &Keys{AppPrivate: testKeys(t).AlipayPrivate, AlipayPublic: testKeys(t).AlipayPublic})
	if r := other.curl("POST", "/v3/alipay/trade/query", map[string]string{"out_trade_no": "SDK_1"}, nil); r.OK || r.Status != 401 ||
		r.Code != alipay.SubCodeV3InvalidSignature || !r.ErrorSigned {
		t.Errorf("a request signed with the wrong key: %+v", r)
	}
}

// TestInteropNodeSDKPaysBuyerCodes: Alipay's Node SDK charges the
// emulator's buyer codes with alipay.trade.pay, through exec() (v2, the
// answers' signatures checked) and curl() (v3), and reads each outcome as
// Alipay's own client would.
func TestInteropNodeSDKPaysBuyerCodes(t *testing.T) {
	node := interopNode(t)
	rc := newReceiver(t)
	s := startServer(t, func(c *Config) {
		c.Now = time.Now // the SDK signs with the real clock
		c.NotifyScale = 1e-4
	})
	sdk := startSDKDriver(t, node, s.URL, testKeys(t))
	biz := func(no, code string) map[string]string {
		return map[string]string{"out_trade_no": no, "scene": "bar_code", "auth_code": code, "subject": "咖啡 & 茶",
			"total_amount": "12.34", "product_code": "FACE_TO_FACE_PAYMENT"}
	}
	newCode := func(kind BuyerCodeKind) string { return issue(t, s.Emulator, kind) }

	// v2: exec() resolves with every code; the caller reads it.
	paid := sdk.exec(alipay.MethodPay, biz("SDK_V2_PAID", newCode(BuyerCodePay)), rc.srv.URL+"/alipay/notify")
	if !paid.OK || paid.Data["code"] != "10000" || paid.Data["gmtPayment"] == nil || paid.Data["totalAmount"] != "12.34" {
		t.Errorf("exec pay: %+v", paid)
	}
	waitFor(t, "the notification", func() bool { return len(rc.received()) == 1 })
	verifyNotification(t, rc.received()[0])
	confirm := newCode(BuyerCodeConfirm)
	waiting := sdk.exec(alipay.MethodPay, biz("SDK_V2_WAIT", confirm), "")
	if !waiting.OK || waiting.Data["code"] != "10003" || waiting.Data["tradeNo"] == nil || waiting.Data["gmtPayment"] != nil {
		t.Errorf("exec pay of a confirm code: %+v", waiting)
	}
	if err := s.ConfirmBuyerCode(confirm); err != nil {
		t.Fatal(err)
	}
	q := sdk.exec(alipay.MethodQuery, map[string]string{"out_trade_no": "SDK_V2_WAIT"}, "")
	if !q.OK || q.Data["tradeStatus"] != "TRADE_SUCCESS" {
		t.Errorf("exec query after the confirmation: %+v", q)
	}
	refused := sdk.exec(alipay.MethodPay, biz("SDK_V2_POOR", newCode(BuyerCodeInsufficient)), "")
	if !refused.OK || refused.Data["code"] != "40004" || refused.Data["subCode"] != alipay.SubCodeBuyerBalanceNotEnough {
		t.Errorf("exec pay of an insufficient code: %+v", refused)
	}

	// v3: curl() verifies every answer, error answers by the same rule.
	code := newCode(BuyerCodeConfirm)
	w := sdk.curl("POST", "/v3/alipay/trade/pay", biz("SDK_V3_WAIT", code), nil)
	if !w.OK || w.Status != 200 || w.Data["trade_no"] == nil || w.Data["gmt_payment"] != nil {
		t.Errorf("curl pay of a confirm code: %+v", w)
	}
	again := sdk.curl("POST", "/v3/alipay/trade/pay", biz("SDK_V3_AGAIN", code), nil)
	if again.OK || again.Status != 400 || again.Code != alipay.SubCodePaymentAuthCodeInvalid || !again.ErrorSigned {
		t.Errorf("curl pay with a used code: %+v", again)
	}
	c := sdk.curl("POST", "/v3/alipay/trade/cancel", map[string]string{"out_trade_no": "SDK_V3_WAIT"}, nil)
	if !c.OK || c.Data["action"] != "close" {
		t.Errorf("curl cancel of the waiting charge: %+v", c)
	}
	if err := s.ConfirmBuyerCode(code); !errors.Is(err, ErrTradeClosed) {
		t.Errorf("confirm after the SDK's cancel: %v", err)
	}
	p := sdk.curl("POST", "/v3/alipay/trade/pay", biz("SDK_V3_PAID", newCode(BuyerCodePay)), nil)
	if !p.OK || p.Data["gmt_payment"] == nil || p.Data["total_amount"] != "12.34" {
		t.Errorf("curl pay: %+v", p)
	}
	risk := sdk.curl("POST", "/v3/alipay/trade/pay", biz("SDK_V3_RISK", newCode(BuyerCodeRisk)), nil)
	if risk.OK || risk.Code != alipay.SubCodePaymentRequestHasRisk || !risk.ErrorSigned {
		t.Errorf("curl pay of a risky code: %+v", risk)
	}
}
