package mapi

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// testKey is a made-up security key of the right shape.
const testKey = "kioskTESTkey0123456789abcdefghij"

const testPartner = "2088101122136241"

// directPayParams is a create_direct_pay_by_user request before signing.
func directPayParams() url.Values {
	return url.Values{
		"service":        {"create_direct_pay_by_user"},
		"partner":        {testPartner},
		"_input_charset": {"utf-8"},
		"payment_type":   {"1"},
		"out_trade_no":   {"HLX2018041115261672853800"},
		"subject":        {"静谧的温柔 a+b"},
		"body":           {"静谧的温柔"},
		"total_fee":      {"0.01"},
		"seller_id":      {testPartner},
		"notify_url":     {"http://shop.example.com/alipay/notify"},
		"return_url":     {"http://shop.example.com/alipay/return"},
	}
}

// directPaySign was computed outside Go:
//
//	printf '%s' '_input_charset=utf-8&body=静谧的温柔&notify_url=http://shop.example.com/alipay/notify&out_trade_no=HLX2018041115261672853800&partner=2088101122136241&payment_type=1&return_url=http://shop.example.com/alipay/return&seller_id=2088101122136241&service=create_direct_pay_by_user&subject=静谧的温柔 a+b&total_fee=0.01kioskTESTkey0123456789abcdefghij' | md5sum
const directPaySign = "b5c86b3f9be5321e2c9c5814d7c9f112"

// notification is a trade_status_sync form as a receiver decodes it, shaped
// like the one in our seed notes, with its sign computed outside Go:
//
//	printf '%s' 'is_success=T&notify_id=RqPnCoPT3K9/vwbh3Ih0GLLmTmcDmeGJS2GnyLvnPvVIDDHe/8sAvJWNQeyAttzyqhNK&notify_time=2018-04-11 15:34:33&notify_type=trade_status_sync&out_trade_no=HLX2018041115261672853800&payment_type=1&seller_id=2088221683618865&service=alipay.wap.create.direct.pay.by.user&subject=静谧的温柔&total_fee=0.01&trade_no=2018041121001004680531623312&trade_status=TRADE_SUCCESSkioskTESTkey0123456789abcdefghij' | md5sum
func notification() url.Values {
	return url.Values{
		"is_success":   {"T"},
		"notify_id":    {"RqPnCoPT3K9/vwbh3Ih0GLLmTmcDmeGJS2GnyLvnPvVIDDHe/8sAvJWNQeyAttzyqhNK"},
		"notify_time":  {"2018-04-11 15:34:33"},
		"notify_type":  {"trade_status_sync"},
		"out_trade_no": {"HLX2018041115261672853800"},
		"payment_type": {"1"},
		"seller_id":    {"2088221683618865"},
		"service":      {"alipay.wap.create.direct.pay.by.user"},
		"subject":      {"静谧的温柔"},
		"total_fee":    {"0.01"},
		"trade_no":     {"2018041121001004680531623312"},
		"trade_status": {"TRADE_SUCCESS"},
		"sign":         {"0a42f3f94e919ff27ef4206412774a10"},
		"sign_type":    {"MD5"},
	}
}

func TestSignVectors(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"direct pay request", directPayParams(), directPaySign},
		{"notification", notification(), "0a42f3f94e919ff27ef4206412774a10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.params, testKey); got != tt.want {
				t.Errorf("Sign = %s, want %s\nsigning string: %s", got, tt.want, SigningString(tt.params))
			}
		})
	}
}

func TestSigningStringDropsEmptyAndSignFields(t *testing.T) {
	p := url.Values{
		"b":         {"2"},
		"a":         {"1", "ignored second value"},
		"empty":     {""},
		"none":      {},
		"":          {"no key"},
		"sign":      {"abc"},
		"sign_type": {"MD5"},
		"_x":        {"sorted before letters"},
		"c":         {"raw & = 100% 茶"},
	}
	want := "_x=sorted before letters&a=1&b=2&c=raw & = 100% 茶"
	if got := SigningString(p); got != want {
		t.Errorf("SigningString = %q, want %q", got, want)
	}
	// An empty parameter added in transit must not change the signature.
	q := directPayParams()
	q.Set("extra_common_param", "")
	if got := Sign(q, testKey); got != directPaySign {
		t.Errorf("empty value changed the signature: %s", got)
	}
}

func TestVerify(t *testing.T) {
	if err := Verify(notification(), testKey); err != nil {
		t.Fatalf("genuine notification: %v", err)
	}
	upper := notification()
	upper.Set("sign", strings.ToUpper(upper.Get("sign")))
	if err := Verify(upper, testKey); err != nil {
		t.Errorf("upper-case hex sign: %v", err)
	}
}

func TestVerifyTampered(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		want   error
	}{
		{"amount changed", func(p url.Values) { p.Set("total_fee", "100.00") }, ErrBadSignature},
		{"status changed", func(p url.Values) { p.Set("trade_status", "TRADE_FINISHED") }, ErrBadSignature},
		{"parameter added", func(p url.Values) { p.Set("buyer_email", "x@example.com") }, ErrBadSignature},
		{"parameter removed", func(p url.Values) { p.Del("notify_time") }, ErrBadSignature},
		{"one sign digit changed", func(p url.Values) { p.Set("sign", "1"+p.Get("sign")[1:]) }, ErrBadSignature},
		{"sign truncated", func(p url.Values) { p.Set("sign", p.Get("sign")[:31]) }, ErrBadSignature},
		{"sign_type RSA", func(p url.Values) { p.Set("sign_type", "RSA") }, ErrBadSignature},
		{"sign_type missing", func(p url.Values) { p.Del("sign_type") }, ErrBadSignature},
		{"sign missing", func(p url.Values) { p.Del("sign") }, ErrNotSigned},
		{"sign empty", func(p url.Values) { p.Set("sign", "") }, ErrNotSigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := notification()
			tt.change(p)
			if err := Verify(p, testKey); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want error
	}{
		{"other key", "kioskTESTkey0123456789abcdefghiX", ErrBadSignature},
		{"empty key", "", ErrInvalidKey},
		{"short key", testKey[:31], ErrInvalidKey},
		{"key with space", testKey[:31] + " ", ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Verify(notification(), tt.key); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignThenVerify(t *testing.T) {
	p := url.Values{"out_trade_no": {"A1"}, "subject": {"a&b=c d+e%"}, "empty": {""}}
	p.Set("sign", Sign(p, testKey))
	p.Set("sign_type", SignTypeMD5)
	if err := Verify(p, testKey); err != nil {
		t.Fatal(err)
	}
	// Through the wire and back: URL-encoding must not affect the check.
	back, err := url.ParseQuery(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(back, testKey); err != nil {
		t.Errorf("after encode/decode: %v", err)
	}
}

// BenchmarkVerify checks a typical notification: MD5 over ~400 bytes plus
// the sort and the string building.
func BenchmarkVerify(b *testing.B) {
	p := notification()
	for b.Loop() {
		if err := Verify(p, testKey); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDirectPayURL builds and signs one create_direct_pay_by_user URL.
func BenchmarkDirectPayURL(b *testing.B) {
	for b.Loop() {
		if _, err := DirectPayURL(Gateway, vectorOrder, testPartner, testKey); err != nil {
			b.Fatal(err)
		}
	}
}
