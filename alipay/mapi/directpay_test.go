package mapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// vectorOrder is the order behind directPayParams and directPaySign.
var vectorOrder = DirectPay{
	OutTradeNo: "HLX2018041115261672853800",
	Subject:    "静谧的温柔 a+b",
	Body:       "静谧的温柔",
	TotalFen:   1,
	NotifyURL:  "http://shop.example.com/alipay/notify",
	ReturnURL:  "http://shop.example.com/alipay/return",
}

// parseURL splits a URL built by this package and checks its gateway.
func parseURL(t *testing.T, raw, gateway string) url.Values {
	t.Helper()
	base, query, ok := strings.Cut(raw, "?")
	if !ok || base != gateway {
		t.Fatalf("URL %q does not start with %s?", raw, gateway)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestDirectPayURL(t *testing.T) {
	raw, err := DirectPayURL(Gateway, vectorOrder, testPartner, testKey)
	if err != nil {
		t.Fatal(err)
	}
	q := parseURL(t, raw, Gateway)
	if got := q.Get("sign"); got != directPaySign {
		t.Errorf("sign = %s, want the independent vector %s", got, directPaySign)
	}
	want := directPayParams()
	want.Set("sign", directPaySign)
	want.Set("sign_type", "MD5")
	if len(q) != len(want) {
		t.Errorf("got %d params %v, want %d", len(q), q, len(want))
	}
	for k := range want {
		if q.Get(k) != want.Get(k) {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want.Get(k))
		}
	}
	if err := Verify(q, testKey); err != nil {
		t.Errorf("the URL's own parameters do not verify: %v", err)
	}
	// A space must not reach the gateway raw; '+' in a value must be escaped.
	if strings.Contains(raw, " ") || !strings.Contains(raw, "a%2Bb") {
		t.Errorf("URL not encoded: %s", raw)
	}
}

func TestDirectPayURLLeavesOutEmptyFields(t *testing.T) {
	p := DirectPay{OutTradeNo: "K1", Subject: "tea", TotalFen: 1234, SellerEmail: "shop@example.com"}
	raw, err := DirectPayURL(SandboxGateway, p, testPartner, testKey)
	if err != nil {
		t.Fatal(err)
	}
	q := parseURL(t, raw, SandboxGateway)
	for _, k := range []string{"body", "notify_url", "return_url", "seller_id"} {
		if _, ok := q[k]; ok {
			t.Errorf("empty %s was sent", k)
		}
	}
	for k, vs := range q {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("param %s = %q", k, vs)
		}
	}
	if q.Get("total_fee") != "12.34" || q.Get("seller_email") != "shop@example.com" {
		t.Errorf("total_fee %q seller_email %q", q.Get("total_fee"), q.Get("seller_email"))
	}
	if err := Verify(q, testKey); err != nil {
		t.Error(err)
	}
}

func TestDirectPayURLRefuses(t *testing.T) {
	good := DirectPay{OutTradeNo: "K1", Subject: "tea", TotalFen: 1}
	tests := []struct {
		name    string
		gateway string
		p       func(DirectPay) DirectPay
		partner string
		key     string
		want    error
	}{
		{"no out_trade_no", Gateway, func(p DirectPay) DirectPay { p.OutTradeNo = ""; return p }, testPartner, testKey, ErrInvalidRequest},
		{"long out_trade_no", Gateway, func(p DirectPay) DirectPay { p.OutTradeNo = strings.Repeat("9", 65); return p }, testPartner, testKey, ErrInvalidRequest},
		{"no subject", Gateway, func(p DirectPay) DirectPay { p.Subject = ""; return p }, testPartner, testKey, ErrInvalidRequest},
		{"long subject", Gateway, func(p DirectPay) DirectPay { p.Subject = strings.Repeat("茶", 257); return p }, testPartner, testKey, ErrInvalidRequest},
		{"zero amount", Gateway, func(p DirectPay) DirectPay { p.TotalFen = 0; return p }, testPartner, testKey, ErrInvalidRequest},
		{"huge amount", Gateway, func(p DirectPay) DirectPay { p.TotalFen = maxFeeFen + 1; return p }, testPartner, testKey, ErrInvalidRequest},
		{"bad partner", Gateway, func(p DirectPay) DirectPay { return p }, "1234567890123456", testKey, ErrInvalidRequest},
		{"short partner", Gateway, func(p DirectPay) DirectPay { return p }, "2088", testKey, ErrInvalidRequest},
		{"empty key", Gateway, func(p DirectPay) DirectPay { return p }, testPartner, "", ErrInvalidKey},
		{"gateway with query", Gateway + "?_input_charset=utf-8", func(p DirectPay) DirectPay { return p }, testPartner, testKey, ErrInvalidRequest},
		{"relative gateway", "/gateway.do", func(p DirectPay) DirectPay { return p }, testPartner, testKey, ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := DirectPayURL(tt.gateway, tt.p(good), tt.partner, tt.key)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v (URL %q)", err, tt.want, raw)
			}
		})
	}
}

func TestFormatFee(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{{1, "0.01"}, {10, "0.10"}, {100, "1.00"}, {1234, "12.34"}, {maxFeeFen, "100000000.00"}}
	for _, tt := range tests {
		if got := formatFee(tt.fen); got != tt.want {
			t.Errorf("formatFee(%d) = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestNotifyVerifyURL(t *testing.T) {
	id := notification().Get("notify_id") // contains '/', as real ones do
	raw := NotifyVerifyURL(Gateway, testPartner, id)
	q := parseURL(t, raw, Gateway)
	want := map[string]string{"service": "notify_verify", "partner": testPartner, "notify_id": id}
	if len(q) != len(want) {
		t.Errorf("params %v", q)
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if strings.Contains(raw, "/vwbh") {
		t.Errorf("notify_id not escaped: %s", raw)
	}
}
