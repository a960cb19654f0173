package alipay

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// The interop test checks this package against Alipay's official Node.js
// SDK (npm alipay-sdk, pinned to interopSDKVersion by
// testdata/node/package-lock.json). testdata/node/check.mjs runs a batch of
// jobs in one node process; this file builds the jobs and judges the
// results. Install the SDK with `npm ci --prefix alipay/testdata/node`.

const (
	interopDir        = "testdata/node"
	interopSDKVersion = "4.14.0"
)

// interopJob is one unit of work for check.mjs; which fields matter depends
// on Kind (see the handlers there).
type interopJob struct {
	ID            string            `json:"id"`
	Kind          string            `json:"kind"`
	SignType      SignType          `json:"signType"`
	Params        [][2]string       `json:"params,omitempty"` // ordered: sdkExecute keeps insertion order
	SigningString string            `json:"signingString,omitempty"`
	ResponseKey   string            `json:"responseKey,omitempty"`
	Body          string            `json:"body,omitempty"`
	Raw           string            `json:"raw,omitempty"`
	Form          map[string]string `json:"form,omitempty"`
}

// interopResult is what check.mjs answers for one job.
type interopResult struct {
	ID            string            `json:"id"`
	Error         string            `json:"error"`
	Sign          string            `json:"sign"`
	Params        map[string]string `json:"params"`
	CryptoVerify  bool              `json:"cryptoVerify"`
	OrderString   string            `json:"orderString"`
	Raw           string            `json:"raw"`
	OK            bool              `json:"ok"`
	Reason        string            `json:"reason"`
	SigningString string            `json:"signingString"`
}

// interopBatch collects jobs so that node starts only once.
type interopBatch struct {
	AppID            string       `json:"appId"`
	AppPrivateKey    string       `json:"appPrivateKey"`
	AppPublicKey     string       `json:"appPublicKey"`
	AlipayPrivateKey string       `json:"alipayPrivateKey"`
	AlipayPublicKey  string       `json:"alipayPublicKey"`
	Jobs             []interopJob `json:"jobs"`
}

// add queues a job and returns its ID.
func (b *interopBatch) add(j interopJob) string {
	j.ID = j.Kind + "/" + j.ID
	b.Jobs = append(b.Jobs, j)
	return j.ID
}

// interopNode returns the node binary, or skips when node or the SDK is not
// installed: the rest of the suite must run without them.
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

// runInterop runs check.mjs on the batch and indexes the results by job ID.
func runInterop(t *testing.T, node string, b *interopBatch) map[string]interopResult {
	t.Helper()
	in, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.mjs")
	cmd.Dir = interopDir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s", err, stderr.String())
	}
	var got struct {
		SDKVersion string          `json:"sdkVersion"`
		Results    []interopResult `json:"results"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check.mjs output: %v\n%s", err, out)
	}
	if got.SDKVersion != interopSDKVersion {
		t.Errorf("alipay-sdk %s installed, want %s: run `npm ci --prefix alipay/testdata/node`", got.SDKVersion, interopSDKVersion)
	}
	byID := make(map[string]interopResult, len(got.Results))
	for _, r := range got.Results {
		byID[r.ID] = r
	}
	return byID
}

// interopGet returns the result of job id, failing on a job that threw.
func interopGet(t *testing.T, results map[string]interopResult, id string) interopResult {
	t.Helper()
	r, ok := results[id]
	if !ok {
		t.Fatalf("no result for %s", id)
	}
	if r.Error != "" {
		t.Fatalf("%s threw in node: %s", id, r.Error)
	}
	return r
}

func TestInteropNodeSDK(t *testing.T) {
	node := interopNode(t)
	keys := testKeys(t)
	b := &interopBatch{
		AppID:            testAppID,
		AppPrivateKey:    string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys.app)})),
		AppPublicKey:     string(EncodePublicKeyPEM(&keys.app.PublicKey)),
		AlipayPrivateKey: string(EncodePrivateKeyPEM(keys.alipay)),
		AlipayPublicKey:  string(EncodePublicKeyPEM(&keys.alipay.PublicKey)),
	}
	checks := []func(*testing.T, map[string]interopResult){
		interopRequests(t, b),
		interopOrders(t, b),
		interopResponses(t, b),
		interopNotifications(t, b),
	}
	results := runInterop(t, node, b)
	for i, name := range []string{"requests", "orders", "responses", "notifications"} {
		t.Run(name, func(t *testing.T) { checks[i](t, results) })
	}
}

// interopRequests (a): requests our Client sends, captured at a test
// gateway, must get the very same signature from the SDK's signer, and our
// signature must pass node:crypto over our signing string.
func interopRequests(t *testing.T, b *interopBatch) func(*testing.T, map[string]interopResult) {
	reqs := []struct {
		name string
		st   SignType
		r    *PrecreateRequest
	}{
		{"precreate-rsa2", RSA2, &PrecreateRequest{OutTradeNo: "K20260102-000123", TotalFen: 1234,
			Subject: "茶 a+b&c=d 100% <b>", StoreID: "S1", QRCodeTimeout: 5 * time.Minute,
			NotifyURL: "https://kiosk.example.com/notify?a=1&b=2"}},
		{"precreate-rsa", RSA, &PrecreateRequest{OutTradeNo: "K2", TotalFen: 1, Subject: "tea"}},
	}
	var ids []string
	var captured []url.Values
	for _, rq := range reqs {
		params := interopCapture(t, rq.st, rq.r)
		captured = append(captured, params)
		ids = append(ids, b.add(interopJob{ID: rq.name, Kind: "sdkSign", SignType: rq.st,
			Params: interopSortedPairs(params), SigningString: RequestSigningString(interopWithoutSign(params))}))
	}
	return func(t *testing.T, results map[string]interopResult) {
		for i, id := range ids {
			interopCheckSign(t, interopGet(t, results, id), captured[i])
		}
	}
}

// interopCheckSign compares the SDK's signed parameters with ours.
func interopCheckSign(t *testing.T, r interopResult, ours url.Values) {
	t.Helper()
	if r.Sign != ours.Get("sign") {
		t.Errorf("%s: the SDK signs the same parameters differently:\nSDK  %s\nours %s\nour signing string: %s",
			r.ID, r.Sign, ours.Get("sign"), RequestSigningString(interopWithoutSign(ours)))
	}
	if want := interopFlatten(ours); !reflect.DeepEqual(r.Params, want) {
		t.Errorf("%s: the SDK's parameter set differs:\nSDK  %v\nours %v", r.ID, r.Params, want)
	}
	if !r.CryptoVerify {
		t.Errorf("%s: node:crypto rejects our sign over our signing string", r.ID)
	}
}

// interopOrders: the App-pay order string must equal the SDK's sdkExecute
// output byte for byte, and page/WAP pay URLs must carry the signature the
// SDK's signer computes for their parameters.
func interopOrders(t *testing.T, b *interopBatch) func(*testing.T, map[string]interopResult) {
	c := cashierClient(t, RSA2)
	app, err := c.AppPayOrderString(&AppPayRequest{OutTradeNo: "A20260102-1", TotalFen: 990,
		Subject: "茶 & cake = 100% (nice) it's ~*!", NotifyURL: "https://kiosk.example.com/notify",
		TimeoutExpress: 30 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.PagePayURL(&PagePayRequest{OutTradeNo: "P1", TotalFen: 5, Subject: "a b",
		ReturnURL: "https://kiosk.example.com/done?x=1&y=2"})
	if err != nil {
		t.Fatal(err)
	}
	wap, err := c.WapPayURL(&WapPayRequest{OutTradeNo: "W1", TotalFen: 5, Subject: "茶",
		NotifyURL: "https://kiosk.example.com/notify", QuitURL: "https://kiosk.example.com/quit"})
	if err != nil {
		t.Fatal(err)
	}
	appPairs := interopOrderPairs(t, app)
	execID := b.add(interopJob{ID: "app", Kind: "sdkExecute", SignType: RSA2, Params: appPairs})
	sets := map[string]url.Values{"app": interopPairValues(appPairs)}
	for name, raw := range map[string]string{"page": page, "wap": wap} {
		_, query, _ := strings.Cut(raw, "?")
		sets[name] = interopPairValues(interopOrderPairs(t, query))
	}
	ids := map[string]string{}
	for name, params := range sets {
		ids[name] = b.add(interopJob{ID: name, Kind: "sdkSign", SignType: RSA2,
			Params: interopSortedPairs(params), SigningString: RequestSigningString(interopWithoutSign(params))})
	}
	return func(t *testing.T, results map[string]interopResult) {
		if got := interopGet(t, results, execID).OrderString; got != app {
			t.Errorf("sdkExecute and AppPayOrderString differ:\nSDK  %s\nours %s", got, app)
		}
		for name, id := range ids {
			interopCheckSign(t, interopGet(t, results, id), sets[name])
		}
	}
}

// interopResponseBody has what makes responses hard: `\/` escapes, '&',
// '<' and non-ASCII text, none of which may be re-encoded.
const interopResponseBody = `{"code":"10000","msg":"Success","trade_no":"2026010222001468450512505578",` +
	`"out_trade_no":"K20260102-000123","buyer_logon_id":"xud***@126.com","trade_status":"TRADE_SUCCESS",` +
	`"total_amount":"12.34","subject":"茶 & <b>","url":"https:\/\/qr.alipay.com\/bax1"}`

// interopResponses (b): a response node signs as Alipay verifies with
// VerifyResponse; one SignResponse writes passes the SDK's
// checkResponseSign; a one-byte change fails either way.
func interopResponses(t *testing.T, b *interopBatch) func(*testing.T, map[string]interopResult) {
	keys := testKeys(t)
	key := ResponseKey(MethodQuery)
	nodeID := b.add(interopJob{ID: "query", Kind: "signResponse", SignType: RSA2, ResponseKey: key, Body: interopResponseBody})
	ours, err := SignResponse(keys.alipay, RSA2, MethodQuery, []byte(interopResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	oursRSA, err := SignResponse(keys.alipay, RSA, MethodQuery, []byte(interopResponseBody))
	if err != nil {
		t.Fatal(err)
	}
	goodID := b.add(interopJob{ID: "ours", Kind: "checkResponse", SignType: RSA2, ResponseKey: key, Raw: string(ours)})
	rsaID := b.add(interopJob{ID: "ours-rsa", Kind: "checkResponse", SignType: RSA, ResponseKey: key, Raw: string(oursRSA)})
	badID := b.add(interopJob{ID: "ours-tampered", Kind: "checkResponse", SignType: RSA2, ResponseKey: key,
		Raw: string(interopOneByteChanged(t, ours, "12.34"))})
	return func(t *testing.T, results map[string]interopResult) {
		raw := []byte(interopGet(t, results, nodeID).Raw)
		body, err := VerifyResponse(&keys.alipay.PublicKey, RSA2, MethodQuery, raw)
		if err != nil {
			t.Errorf("VerifyResponse rejects the node-signed response: %v\n%s", err, raw)
		} else if string(body) != interopResponseBody {
			t.Errorf("verified bytes %s, want %s", body, interopResponseBody)
		}
		if _, err := VerifyResponse(&keys.alipay.PublicKey, RSA2, MethodQuery, interopOneByteChanged(t, raw, "12.34")); !errors.Is(err, ErrBadSignature) {
			t.Errorf("tampered node-signed response: %v, want ErrBadSignature", err)
		}
		for _, id := range []string{goodID, rsaID} {
			if r := interopGet(t, results, id); !r.OK {
				t.Errorf("%s: the SDK rejects our signed response: %s", id, r.Reason)
			}
		}
		if r := interopGet(t, results, badID); r.OK {
			t.Errorf("the SDK accepts a tampered response")
		}
	}
}

// interopNotification is a trade notification as a receiver decodes it,
// with values that break naive handling: '+', '&', '=', a literal "%20",
// a JSON list and Chinese text.
func interopNotification() url.Values {
	return url.Values{
		"notify_type":     {"trade_status_sync"},
		"notify_id":       {"2026010200222110506000509213370000"},
		"notify_time":     {"2026-01-02 11:05:07"},
		"app_id":          {testAppID},
		"charset":         {"utf-8"},
		"version":         {"1.0"},
		"sign_type":       {"RSA2"},
		"trade_no":        {"2026010222001468450512505578"},
		"out_trade_no":    {"K20260102-000123"},
		"trade_status":    {"TRADE_SUCCESS"},
		"total_amount":    {"12.34"},
		"seller_id":       {"2088102177846880"},
		"subject":         {"茶 a+b&c=d 100% off"},
		"passback_params": {"x%20y"},
		"fund_bill_list":  {`[{"amount":"12.34","fundChannel":"ALIPAYACCOUNT"}]`},
		"gmt_payment":     {"2026-01-02 11:05:06"},
	}
}

// interopNotifications (c): node signs a notification by Alipay's rule and
// our NotifySigningString + Verify accept it; the SDK's checkNotifySignV2
// accepts one we sign; a changed amount fails both.
func interopNotifications(t *testing.T, b *interopBatch) func(*testing.T, map[string]interopResult) {
	keys := testKeys(t)
	form := interopNotification()
	nodeID := b.add(interopJob{ID: "trade", Kind: "signNotify", SignType: RSA2, Form: interopFlatten(form)})
	ours := interopNotification()
	sig, err := Sign(keys.alipay, RSA2, []byte(NotifySigningString(ours)))
	if err != nil {
		t.Fatal(err)
	}
	ours.Set("sign", sig)
	tampered := interopFlatten(ours)
	tampered["total_amount"] = "0.01"
	goodID := b.add(interopJob{ID: "ours", Kind: "checkNotify", SignType: RSA2, Form: interopFlatten(ours)})
	badID := b.add(interopJob{ID: "ours-tampered", Kind: "checkNotify", SignType: RSA2, Form: tampered})
	return func(t *testing.T, results map[string]interopResult) {
		r := interopGet(t, results, nodeID)
		if r.SigningString != NotifySigningString(form) {
			t.Errorf("signing strings differ:\nnode %s\nours %s", r.SigningString, NotifySigningString(form))
		}
		form.Set("sign", r.Sign)
		pub := &keys.alipay.PublicKey
		if err := Verify(pub, RSA2, []byte(NotifySigningString(form)), form.Get("sign")); err != nil {
			t.Errorf("Verify rejects the node-signed notification: %v", err)
		}
		form.Set("total_amount", "0.01")
		if err := Verify(pub, RSA2, []byte(NotifySigningString(form)), form.Get("sign")); !errors.Is(err, ErrBadSignature) {
			t.Errorf("tampered node-signed notification: %v, want ErrBadSignature", err)
		}
		if !interopGet(t, results, goodID).OK {
			t.Error("the SDK's checkNotifySignV2 rejects our signed notification")
		}
		if interopGet(t, results, badID).OK {
			t.Error("the SDK's checkNotifySignV2 accepts a tampered notification")
		}
	}
}

// interopCapture sends r through a real Client to a test gateway and
// returns every parameter it received, query and body together.
func interopCapture(t *testing.T, st SignType, r *PrecreateRequest) url.Values {
	t.Helper()
	keys := testKeys(t)
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Errorf("body: %v", err)
		}
		got = union(req.URL.Query(), form)
		raw, err := SignResponse(keys.alipay, st, MethodPrecreate, []byte(
			`{"code":"10000","msg":"Success","out_trade_no":"`+r.OutTradeNo+`","qr_code":"https:\/\/qr.alipay.com\/bax1"}`))
		if err != nil {
			t.Error(err)
		}
		_, _ = w.Write(raw)
	}))
	defer srv.Close()
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		SignType: st, Gateway: srv.URL + "/gateway.do"}, WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Precreate(context.Background(), r); err != nil {
		t.Fatalf("precreate through the test gateway: %v", err)
	}
	return got
}

// interopOrderPairs decodes an encoded order (AppPayOrderString, or a cashier
// URL's query) into pairs, keeping their order.
func interopOrderPairs(t *testing.T, s string) [][2]string {
	t.Helper()
	keys, params := splitOrderString(t, s)
	pairs := make([][2]string, len(keys))
	for i, k := range keys {
		pairs[i] = [2]string{k, params.Get(k)}
	}
	return pairs
}

// interopSortedPairs lists the first value of each parameter, sorted by key.
func interopSortedPairs(v url.Values) [][2]string {
	pairs := make([][2]string, 0, len(v))
	for k := range v {
		pairs = append(pairs, [2]string{k, v.Get(k)})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	return pairs
}

// interopPairValues turns pairs back into url.Values.
func interopPairValues(pairs [][2]string) url.Values {
	v := url.Values{}
	for _, p := range pairs {
		v.Set(p[0], p[1])
	}
	return v
}

// interopFlatten keeps the first value of each parameter.
func interopFlatten(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k := range v {
		m[k] = v.Get(k)
	}
	return m
}

// interopWithoutSign copies v without its sign.
func interopWithoutSign(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != "sign" {
			out[k] = vs
		}
	}
	return out
}

// interopOneByteChanged returns raw with the last digit of the first occurrence
// of marker changed, a one-byte edit inside the signed text.
func interopOneByteChanged(t *testing.T, raw []byte, marker string) []byte {
	t.Helper()
	i := bytes.Index(raw, []byte(marker))
	if i < 0 {
		t.Fatalf("%q not in %s", marker, raw)
	}
	out := bytes.Clone(raw)
	out[i+len(marker)-1]++
	return out
}
