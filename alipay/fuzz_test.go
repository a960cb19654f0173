package alipay

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzVerifyResponse feeds arbitrary gateway bytes. Nothing may panic, every
// failure must be one of the documented errors, and anything accepted must
// really be a signed object.
func FuzzVerifyResponse(f *testing.F) {
	keys := testKeys(f)
	good, err := SignResponse(keys.alipay, RSA2, MethodQuery, []byte(`{"code":"10000","msg":"Success","qr_code":"https:\/\/qr.alipay.com\/bax1"}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id"}}`))
	f.Add([]byte(`{"alipay_trade_query_response":{"code":"10000"}}`))
	f.Add([]byte(`{"sign":"AAAA","alipay_trade_query_response":{}}`))
	f.Add([]byte("<html>502 Bad Gateway</html>"))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Add([]byte{})
	pub := &keys.alipay.PublicKey
	f.Fuzz(func(t *testing.T, raw []byte) {
		body, err := VerifyResponse(pub, RSA2, MethodQuery, raw)
		if err != nil {
			if body != nil {
				t.Fatal("body returned with an error")
			}
			known := []error{ErrUnexpectedResponse, ErrNotSigned, ErrBadSignature, ErrUnsignedError}
			for _, k := range known {
				if errors.Is(err, k) {
					return
				}
			}
			t.Fatalf("undocumented error: %v", err)
		}
		if len(body) == 0 || body[0] != '{' || !bytes.Contains(raw, body) {
			t.Fatalf("accepted body %q is not an object taken from the input", body)
		}
	})
}

// FuzzParsePrivateKey feeds arbitrary key files: no panic, and every error
// is one of the key errors.
func FuzzParsePrivateKey(f *testing.F) {
	k := testKeys(f).app
	f.Add(EncodePrivateKeyPEM(k))
	f.Add(EncodePublicKeyPEM(&k.PublicKey))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----MIIB-----END RSA PRIVATE KEY-----"))
	f.Add([]byte("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, _, err := ParsePrivateKey(data)
		if err == nil {
			if key == nil {
				t.Fatal("nil key without error")
			}
			return
		}
		for _, k := range []error{ErrMalformedKey, ErrPublicKeyGiven, ErrNotRSAKey, ErrWeakKey} {
			if errors.Is(err, k) {
				return
			}
		}
		t.Fatalf("undocumented error: %v", err)
	})
}

// FuzzParseAmount checks that whatever ParseAmount accepts survives a round
// trip through FormatAmount, and that rejections wrap ErrBadAmount.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"0.01", "12.34", "12.3", "12", "100000000", "1.234", "1e5", "-5", "", " 1", "1.", ".5", "92233720368547758.08"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseAmount(s)
		if err != nil {
			if !errors.Is(err, ErrBadAmount) {
				t.Fatalf("ParseAmount(%q): %v does not wrap ErrBadAmount", s, err)
			}
			return
		}
		if fen < 0 {
			t.Fatalf("ParseAmount(%q) = %d < 0", s, fen)
		}
		back, err := ParseAmount(FormatAmount(fen))
		if err != nil || back != fen {
			t.Fatalf("round trip of %q: %d -> %q -> %d, %v", s, fen, FormatAmount(fen), back, err)
		}
	})
}
