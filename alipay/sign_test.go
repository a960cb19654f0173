package alipay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"
)

func TestRequestSigningString(t *testing.T) {
	tests := []struct {
		name   string
		params url.Values
		want   string
	}{
		{
			name:   "sorted bytewise",
			params: url.Values{"b": {"2"}, "a": {"1"}, "B": {"3"}, "a_b": {"4"}, "ab": {"5"}},
			want:   "B=3&a=1&a_b=4&ab=5&b=2",
		},
		{
			name:   "sign excluded, sign_type kept",
			params: url.Values{"sign": {"xyz"}, "sign_type": {"RSA2"}, "app_id": {"1"}},
			want:   "app_id=1&sign_type=RSA2",
		},
		{
			name:   "empty values skipped",
			params: url.Values{"a": {""}, "b": {"x"}, "c": {}, "": {"orphan"}},
			want:   "b=x",
		},
		{
			name:   "first value only",
			params: url.Values{"a": {"1", "2"}},
			want:   "a=1",
		},
		{
			name:   "raw values, not URL-encoded",
			params: url.Values{"subject": {"测试 a+b&c=d%20"}, "notify_url": {"http://example.com/n?a=1&b=2"}},
			want:   "notify_url=http://example.com/n?a=1&b=2&subject=测试 a+b&c=d%20",
		},
		{name: "nothing", params: url.Values{}, want: ""},
		{
			// The Node SDK's captured request (protocol digest §2.2) without
			// its empty parameter, which we never send.
			name: "SDK capture",
			params: url.Values{
				"app_auth_token": {"tok"},
				"app_id":         {"2021000000000001"},
				"biz_content":    {`{"out_trade_no":"T1","total_amount":"0.01","subject":"测试 a+b&c=d","extend_params":{"sys_service_provider_id":"2088"}}`},
				"charset":        {"utf-8"},
				"empty_one":      {""},
				"method":         {"alipay.trade.precreate"},
				"notify_url":     {"http://example.com/notify?a=1&b=2"},
				"sign_type":      {"RSA2"},
				"timestamp":      {"2026-11-21 23:56:37"},
				"version":        {"1.0"},
			},
			want: `app_auth_token=tok&app_id=2021000000000001&biz_content={"out_trade_no":"T1","total_amount":"0.01","subject":"测试 a+b&c=d","extend_params":{"sys_service_provider_id":"2088"}}&charset=utf-8&method=alipay.trade.precreate&notify_url=http://example.com/notify?a=1&b=2&sign_type=RSA2&timestamp=2026-11-21 23:56:37&version=1.0`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RequestSigningString(tt.params); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestNotifySigningString(t *testing.T) {
	params := url.Values{
		"sign": {"s"}, "sign_type": {"RSA2"}, "trade_status": {"TRADE_SUCCESS"},
		"app_id": {"1"}, "passback_params": {"100% off"}, "empty": {""},
	}
	want := "app_id=1&passback_params=100% off&trade_status=TRADE_SUCCESS"
	if got := NotifySigningString(params); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSignVerify(t *testing.T) {
	keys := testKeys(t)
	content := []byte("a=1&b=测试")
	for _, st := range []SignType{RSA2, RSA} {
		t.Run(string(st), func(t *testing.T) {
			sig, err := Sign(keys.app, st, content)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(&keys.app.PublicKey, st, content, sig); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if err := Verify(&keys.alipay.PublicKey, st, content, sig); !errors.Is(err, ErrBadSignature) {
				t.Errorf("Verify with another key = %v", err)
			}
			if err := Verify(&keys.app.PublicKey, st, []byte("a=1&b=测试 "), sig); !errors.Is(err, ErrBadSignature) {
				t.Errorf("Verify of changed content = %v", err)
			}
		})
	}
}

// TestSignAlgorithms pins RSA2 to SHA256withRSA and RSA to SHA1withRSA, both
// PKCS#1 v1.5 in standard base64, by checking against crypto/rsa directly.
func TestSignAlgorithms(t *testing.T) {
	k := testKeys(t).app
	content := []byte("x=1")
	s256 := sha256.Sum256(content)
	s1 := sha1.Sum(content)
	tests := []struct {
		st     SignType
		hash   crypto.Hash
		digest []byte
	}{
		{RSA2, crypto.SHA256, s256[:]},
		{RSA, crypto.SHA1, s1[:]},
	}
	for _, tt := range tests {
		sig, err := Sign(k, tt.st, content)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			t.Fatalf("%s: not standard base64: %v", tt.st, err)
		}
		if err := rsa.VerifyPKCS1v15(&k.PublicKey, tt.hash, tt.digest, raw); err != nil {
			t.Errorf("%s: not %v PKCS#1 v1.5: %v", tt.st, tt.hash, err)
		}
	}
}

func TestSignVerifyErrors(t *testing.T) {
	k := testKeys(t).app
	sig, _ := Sign(k, RSA2, []byte("x"))
	if err := Verify(&k.PublicKey, RSA, []byte("x"), sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("RSA2 signature checked as RSA = %v", err)
	}
	for _, bad := range []string{"", "not base64!", sig[:len(sig)-4], "AAAA"} {
		if err := Verify(&k.PublicKey, RSA2, []byte("x"), bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify(sig %q) = %v", bad, err)
		}
	}
	if _, err := Sign(k, "MD5", []byte("x")); !errors.Is(err, ErrUnsupportedSignType) {
		t.Errorf("Sign MD5 = %v", err)
	}
	if err := Verify(&k.PublicKey, "", []byte("x"), sig); !errors.Is(err, ErrUnsupportedSignType) {
		t.Errorf("Verify empty sign type = %v", err)
	}
	if _, err := Sign(nil, RSA2, nil); err == nil {
		t.Error("Sign with nil key succeeded")
	}
	if err := Verify(nil, RSA2, nil, sig); err == nil {
		t.Error("Verify with nil key succeeded")
	}
}
