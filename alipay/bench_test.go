package alipay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"net/http"
	"net/url"
	"testing"
)

// benchParams is a typical precreate request before signing.
var benchParams = url.Values{
	"app_id":      {"2021000000000001"},
	"method":      {MethodPrecreate},
	"format":      {"JSON"},
	"charset":     {"utf-8"},
	"sign_type":   {"RSA2"},
	"timestamp":   {"2026-01-02 11:04:05"},
	"version":     {"1.0"},
	"biz_content": {`{"out_trade_no":"K20260102-000123","total_amount":"12.34","subject":"Kiosk sale 茶","store_id":"S1","terminal_id":"T1","qr_code_timeout_express":"5m"}`},
}

const benchBody = `{"code":"10000","msg":"Success","trade_no":"2026010222001468450512505578","out_trade_no":"K20260102-000123","buyer_logon_id":"xud***@126.com","trade_status":"TRADE_SUCCESS","total_amount":"12.34","send_pay_date":"2026-01-02 11:05:06"}`

// BenchmarkSignRequest builds the signing string and signs it; compare with
// BenchmarkRSASignPKCS1v15 to see the package's overhead over crypto/rsa.
func BenchmarkSignRequest(b *testing.B) {
	key := testKeys(b).app
	for b.Loop() {
		if _, err := Sign(key, RSA2, []byte(RequestSigningString(benchParams))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSASignPKCS1v15 is the bare SHA-256 + RSA signature of the same
// content.
func BenchmarkRSASignPKCS1v15(b *testing.B) {
	key := testKeys(b).app
	content := []byte(RequestSigningString(benchParams))
	for b.Loop() {
		sum := sha256.Sum256(content)
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyResponse parses and verifies a signed query response.
func BenchmarkVerifyResponse(b *testing.B) {
	keys := testKeys(b)
	raw, err := SignResponse(keys.alipay, RSA2, MethodQuery, []byte(benchBody))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := VerifyResponse(&keys.alipay.PublicKey, RSA2, MethodQuery, raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSAVerifyPKCS1v15 is the bare verification of the same body.
func BenchmarkRSAVerifyPKCS1v15(b *testing.B) {
	keys := testKeys(b)
	sum := sha256.Sum256([]byte(benchBody))
	sig, err := rsa.SignPKCS1v15(nil, keys.alipay, crypto.SHA256, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sum := sha256.Sum256([]byte(benchBody))
		if err := rsa.VerifyPKCS1v15(&keys.alipay.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// benchV3Body is the v3 answer of the same query: no code or msg.
const benchV3Body = `{"trade_no":"2026010222001468450512505578","out_trade_no":"K20260102-000123","buyer_logon_id":"xud***@126.com","trade_status":"TRADE_SUCCESS","total_amount":"12.34","send_pay_date":"2026-01-02 11:05:06"}`

// BenchmarkSignRequestV3 builds a v3 request's auth string and signed
// text and signs it, as newV3Request does; compare with
// BenchmarkSignRequest (v2) and BenchmarkRSASignPKCS1v15.
func BenchmarkSignRequestV3(b *testing.B) {
	key := testKeys(b).app
	body := []byte(benchParams.Get("biz_content"))
	for b.Loop() {
		auth := V3AuthString("2021000000000001", "", NewNonce(), fixedNow)
		if _, err := Sign(key, RSA2, []byte(V3SigningString(auth, "POST", V3Path(MethodPrecreate), body, ""))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyResponseV3 checks a v3 answer's signature headers over
// its raw body and that the body is a JSON object, as checkV3 does for a
// 200; compare with BenchmarkVerifyResponse (v2).
func BenchmarkVerifyResponseV3(b *testing.B) {
	keys := testKeys(b)
	h := http.Header{}
	h.Set(HeaderV3Timestamp, "1767323106000")
	h.Set(HeaderV3Nonce, NewNonce())
	sig, err := SignV3Response(keys.alipay, h.Get(HeaderV3Timestamp), h.Get(HeaderV3Nonce), []byte(benchV3Body))
	if err != nil {
		b.Fatal(err)
	}
	h.Set(HeaderV3Signature, sig)
	for b.Loop() {
		if err := VerifyV3Response(&keys.alipay.PublicKey, h, []byte(benchV3Body)); err != nil {
			b.Fatal(err)
		}
		if _, err := v3Result(MethodQuery, []byte(benchV3Body)); err != nil {
			b.Fatal(err)
		}
	}
}
