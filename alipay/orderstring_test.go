package alipay

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// cashierClient returns a client with the fixed clock, for order strings
// and cashier URLs (nothing is sent, so no test server is needed).
func cashierClient(tb testing.TB, st SignType) *Client {
	tb.Helper()
	keys := testKeys(tb)
	c, err := NewClient(Config{
		AppID:           testAppID,
		PrivateKey:      keys.app,
		AlipayPublicKey: &keys.alipay.PublicKey,
		SignType:        st,
		Gateway:         ProductionGateway,
	}, WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// splitOrderString decodes k=v&... strictly: %XX escapes only, so a '+' or
// a raw space (which the phone-side SDK would not decode as we mean) fails.
func splitOrderString(t *testing.T, s string) ([]string, url.Values) {
	t.Helper()
	if strings.ContainsAny(s, " +") {
		t.Errorf("raw space or '+' in %q", s)
	}
	var keys []string
	params := url.Values{}
	for _, pair := range strings.Split(s, "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("pair %q has no '='", pair)
		}
		dk, err1 := url.PathUnescape(k)
		dv, err2 := url.PathUnescape(v)
		if err1 != nil || err2 != nil {
			t.Fatalf("pair %q does not decode", pair)
		}
		if _, dup := params[dk]; dup {
			t.Errorf("%s appears twice", dk)
		}
		keys = append(keys, dk)
		params.Set(dk, dv)
	}
	return keys, params
}

// checkOrderParams checks what every order carries: no empty value, the
// common parameters, and a sign that verifies with the app public key over
// the sorted parameters. It returns the decoded biz_content.
func checkOrderParams(t *testing.T, params url.Values, method string, st SignType) map[string]string {
	t.Helper()
	for k, vs := range params {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("param %s = %q: empty parameters must never be present", k, vs)
		}
	}
	want := map[string]string{"app_id": testAppID, "method": method, "format": "JSON", "charset": "utf-8",
		"sign_type": string(st), "timestamp": "2026-01-02 11:04:05", "version": "1.0"}
	for k, v := range want {
		if got := params.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	unsigned := url.Values{}
	for k, vs := range params {
		if k != "sign" {
			unsigned[k] = vs
		}
	}
	if err := Verify(&testKeys(t).app.PublicKey, st, []byte(RequestSigningString(unsigned)), params.Get("sign")); err != nil {
		t.Errorf("sign does not verify with the app public key: %v", err)
	}
	var biz map[string]string
	if err := json.Unmarshal([]byte(params.Get("biz_content")), &biz); err != nil {
		t.Fatalf("biz_content: %v", err)
	}
	return biz
}

func TestAppPayOrderString(t *testing.T) {
	c := cashierClient(t, RSA2)
	s, err := c.AppPayOrderString(&AppPayRequest{
		OutTradeNo:     "K20260102-000123",
		TotalFen:       1234,
		Subject:        "茶 & cake = 100% <nice>",
		NotifyURL:      "https://kiosk.example.com/notify",
		TimeoutExpress: 29*time.Minute + time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	keys, params := splitOrderString(t, s)
	wantKeys := []string{"method", "app_id", "charset", "version", "sign_type", "timestamp",
		"format", "notify_url", "biz_content", "sign"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("order %v, want %v", keys, wantKeys)
	}
	biz := checkOrderParams(t, params, MethodAppPay, RSA2)
	wantBiz := map[string]string{"out_trade_no": "K20260102-000123", "total_amount": "12.34",
		"subject": "茶 & cake = 100% <nice>", "product_code": ProductAppPay, "timeout_express": "30m"}
	if !reflect.DeepEqual(biz, wantBiz) {
		t.Errorf("biz_content %v, want %v", biz, wantBiz)
	}
	// The subject reaches biz_content unescaped by JSON, then escaped once
	// by the encoder: space %20, '&' %26, '=' %3D, '%' %25, '茶' in UTF-8.
	if want := "%22subject%22%3A%22%E8%8C%B6%20%26%20cake%20%3D%20100%25%20%3Cnice%3E%22"; !strings.Contains(s, want) {
		t.Errorf("subject not encoded as %s in %s", want, s)
	}
	if want := "timestamp=2026-01-02%2011%3A04%3A05"; !strings.Contains(s, want) {
		t.Errorf("timestamp not encoded as %s", want)
	}
}

func TestAppPayOrderStringMinimal(t *testing.T) {
	c := cashierClient(t, RSA)
	s, err := c.AppPayOrderString(&AppPayRequest{OutTradeNo: "K1", TotalFen: 1, Subject: "tea"})
	if err != nil {
		t.Fatal(err)
	}
	keys, params := splitOrderString(t, s)
	if contains(keys, "notify_url") || contains(keys, "return_url") {
		t.Errorf("empty URLs sent: %v", keys)
	}
	biz := checkOrderParams(t, params, MethodAppPay, RSA)
	if _, ok := biz["timeout_express"]; ok || len(biz) != 4 {
		t.Errorf("biz_content %v: empty fields must be left out", biz)
	}
	// PKCS#1 v1.5 is deterministic: the same order gives the same string.
	again, _ := c.AppPayOrderString(&AppPayRequest{OutTradeNo: "K1", TotalFen: 1, Subject: "tea"})
	if again != s {
		t.Error("two order strings for the same order differ")
	}
}

func TestCashierURLs(t *testing.T) {
	c := cashierClient(t, RSA2)
	page, err := c.PagePayURL(&PagePayRequest{OutTradeNo: "P1", TotalFen: 5, Subject: "a b",
		NotifyURL: "https://kiosk.example.com/notify", ReturnURL: "https://kiosk.example.com/done?x=1&y=2"})
	if err != nil {
		t.Fatal(err)
	}
	wap, err := c.WapPayURL(&WapPayRequest{OutTradeNo: "W1", TotalFen: 100000000 * 100, Subject: "b",
		ReturnURL: "https://kiosk.example.com/done", QuitURL: "https://kiosk.example.com/quit",
		TimeoutExpress: 15 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, raw, method string
		biz, extra        map[string]string
	}{
		{"page", page, MethodPagePay,
			map[string]string{"out_trade_no": "P1", "total_amount": "0.05", "subject": "a b", "product_code": ProductPagePay},
			map[string]string{"notify_url": "https://kiosk.example.com/notify", "return_url": "https://kiosk.example.com/done?x=1&y=2"}},
		{"wap", wap, MethodWapPay,
			map[string]string{"out_trade_no": "W1", "total_amount": "100000000.00", "subject": "b", "product_code": ProductWapPay,
				"timeout_express": "21600m", "quit_url": "https://kiosk.example.com/quit"},
			map[string]string{"return_url": "https://kiosk.example.com/done"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, query, ok := strings.Cut(tt.raw, "?")
			if !ok || base != ProductionGateway {
				t.Fatalf("URL %q is not on the gateway", tt.raw)
			}
			_, params := splitOrderString(t, query)
			if biz := checkOrderParams(t, params, tt.method, RSA2); !reflect.DeepEqual(biz, tt.biz) {
				t.Errorf("biz_content %v, want %v", biz, tt.biz)
			}
			for k, v := range tt.extra {
				if params.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, params.Get(k), v)
				}
			}
			if len(params) != 9+len(tt.extra) { // 7 common, biz_content, sign
				t.Errorf("%d params: %v", len(params), params)
			}
			// What a browser and the gateway do with it: the standard decoder
			// must give back the same values.
			u, err := url.Parse(tt.raw)
			if err != nil || !reflect.DeepEqual(u.Query(), params) {
				t.Errorf("url.Parse disagrees: %v", err)
			}
		})
	}
}

func TestCashierRefusesBadOrders(t *testing.T) {
	c := cashierClient(t, RSA2)
	tests := []struct {
		name string
		r    *AppPayRequest
		want error
	}{
		{"nil", nil, ErrInvalidRequest},
		{"no out_trade_no", &AppPayRequest{TotalFen: 1, Subject: "s"}, ErrInvalidRequest},
		{"long out_trade_no", &AppPayRequest{OutTradeNo: strings.Repeat("1", 65), TotalFen: 1, Subject: "s"}, ErrInvalidRequest},
		{"zero amount", &AppPayRequest{OutTradeNo: "K", Subject: "s"}, ErrBadAmount},
		{"huge amount", &AppPayRequest{OutTradeNo: "K", TotalFen: MaxAmountFen + 1, Subject: "s"}, ErrBadAmount},
		{"no subject", &AppPayRequest{OutTradeNo: "K", TotalFen: 1}, ErrInvalidRequest},
		{"negative timeout", &AppPayRequest{OutTradeNo: "K", TotalFen: 1, Subject: "s", TimeoutExpress: -time.Minute}, ErrInvalidRequest},
		{"timeout too long", &AppPayRequest{OutTradeNo: "K", TotalFen: 1, Subject: "s", TimeoutExpress: 16 * 24 * time.Hour}, ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := c.AppPayOrderString(tt.r); !errors.Is(err, tt.want) || s != "" {
				t.Errorf("got %q, %v; want %v", s, err, tt.want)
			}
		})
	}
	if _, err := c.PagePayURL(nil); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("PagePayURL(nil) = %v", err)
	}
	if _, err := c.WapPayURL(&WapPayRequest{}); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("WapPayURL(empty) = %v", err)
	}
}

func TestURIComponent(t *testing.T) {
	// Expected values are what encodeURIComponent returns in any JavaScript
	// engine.
	tests := []struct{ in, want string }{
		{"", ""},
		{"abcXYZ019", "abcXYZ019"},
		{"-_.!~*'()", "-_.!~*'()"},
		{"a b", "a%20b"},
		{"+/=", "%2B%2F%3D"},
		{"&?#:@$,;[]", "%26%3F%23%3A%40%24%2C%3B%5B%5D"},
		{"%", "%25"},
		{"茶", "%E8%8C%B6"},
		{"\n\x00\x7f", "%0A%00%7F"},
	}
	for _, tt := range tests {
		if got := uriComponent(tt.in); got != tt.want {
			t.Errorf("uriComponent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeInOrderUnknownKeys(t *testing.T) {
	p := url.Values{"sign": {"s"}, "biz_content": {"{}"}, "zeta": {"z"}, "alpha": {"a"}, "method": {"m"}, "empty": {""}}
	want := "method=m&alpha=a&zeta=z&biz_content=%7B%7D&sign=s"
	if got := encodeInOrder(p); got != want {
		t.Errorf("encodeInOrder = %q, want %q", got, want)
	}
}

// BenchmarkAppPayOrderString builds, signs and encodes one order string;
// nearly all of it is the RSA signature (compare BenchmarkSignRequest).
func BenchmarkAppPayOrderString(b *testing.B) {
	c := cashierClient(b, RSA2)
	r := &AppPayRequest{OutTradeNo: "K20260102-000123", TotalFen: 1234, Subject: "Kiosk sale 茶",
		NotifyURL: "https://kiosk.example.com/notify", TimeoutExpress: 30 * time.Minute}
	for b.Loop() {
		if _, err := c.AppPayOrderString(r); err != nil {
			b.Fatal(err)
		}
	}
}
