package alipay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"kiosk/internal/benchpair"
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
		if _, err := scanResult(MethodQuery, []byte(benchV3Body), true, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// The precreate answers of the verification benchmarks, as Alipay writes
// them: v2 escapes the slashes of qr_code, v3 does not.
const (
	benchPrecreateBody   = `{"code":"10000","msg":"Success","out_trade_no":"K20260102-000123","qr_code":"https:\/\/qr.alipay.com\/bax03431ljhokirwl38f00a7"}`
	benchPrecreateV3Body = `{"out_trade_no":"K20260102-000123","qr_code":"https://qr.alipay.com/bax03431ljhokirwl38f00a7"}`
)

// precreateBench is a client and a signed precreate answer in one
// protocol, with the floor's inputs: the bytes the signature covers and
// the decoded signature.
type precreateBench struct {
	client  *Client
	request *PrecreateRequest
	answer  *answer
	signed  []byte // what the signature covers
	sig     []byte // the signature, decoded
}

// newPrecreateBench signs a precreate answer the way the emulator does.
func newPrecreateBench(b *testing.B, protocol Protocol) *precreateBench {
	keys := testKeys(b)
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway: ProductionGateway, Protocol: protocol})
	if err != nil {
		b.Fatal(err)
	}
	pb := &precreateBench{client: c, request: &PrecreateRequest{OutTradeNo: "K20260102-000123"}}
	var sig string
	if protocol == ProtocolV3 {
		h := http.Header{}
		h.Set(HeaderV3Timestamp, "1767323106000")
		h.Set(HeaderV3Nonce, "7c5e1b7e-3f3a-4c8e-9f60-2b1f4c9d0a11")
		pb.signed = []byte(V3ResponseSigningString(h.Get(HeaderV3Timestamp), h.Get(HeaderV3Nonce), []byte(benchPrecreateV3Body)))
		if sig, err = SignV3Response(keys.alipay, h.Get(HeaderV3Timestamp), h.Get(HeaderV3Nonce), []byte(benchPrecreateV3Body)); err != nil {
			b.Fatal(err)
		}
		h.Set(HeaderV3Signature, sig)
		pb.answer = &answer{status: http.StatusOK, header: h, body: []byte(benchPrecreateV3Body)}
	} else {
		raw, err := SignResponse(keys.alipay, RSA2, MethodPrecreate, []byte(benchPrecreateBody))
		if err != nil {
			b.Fatal(err)
		}
		pb.signed = []byte(benchPrecreateBody)
		if sig, err = Sign(keys.alipay, RSA2, pb.signed); err != nil {
			b.Fatal(err)
		}
		pb.answer = &answer{status: http.StatusOK, body: raw}
	}
	if pb.sig, err = base64.StdEncoding.DecodeString(sig); err != nil {
		b.Fatal(err)
	}
	pb.verify(b) // the answer must be one the client believes
	return pb
}

// verify is the client's whole reading of the answer: the verification
// rule, the decoding of the result and the check that it answers the
// request, as Precreate does after the exchange.
func (pb *precreateBench) verify(b *testing.B) {
	var out PrecreateResponse
	room := rooms.Get().(*memberRoom)
	res, err := pb.client.verify(MethodPrecreate, pb.answer, room)
	if err == nil {
		err = pb.client.decode(MethodPrecreate, &res, &out)
	}
	rooms.Put(room)
	if err != nil {
		b.Fatal(err)
	}
	if err := pb.request.check(&out); err != nil {
		b.Fatal(err)
	}
}

// bare is the floor: SHA-256 and rsa.VerifyPKCS1v15 of the same signed
// bytes, the signature already decoded.
func (pb *precreateBench) bare(b *testing.B) {
	sum := sha256.Sum256(pb.signed)
	if err := rsa.VerifyPKCS1v15(pb.client.cfg.AlipayPublicKey, crypto.SHA256, sum[:], pb.sig); err != nil {
		b.Fatal(err)
	}
}

// protocols are the two protocols the verification benchmarks cover.
var protocols = []Protocol{ProtocolV2, ProtocolV3}

// BenchmarkVerifyPrecreate reads a signed precreate answer as the client
// does: verification over the raw bytes, the result decoded, checked
// against the request. Its floor is BenchmarkVerifyBareRSA.
func BenchmarkVerifyPrecreate(b *testing.B) {
	for _, p := range protocols {
		b.Run(string(p), func(b *testing.B) {
			pb := newPrecreateBench(b, p)
			for b.Loop() {
				pb.verify(b)
			}
		})
	}
}

// BenchmarkVerifyBareRSA is SHA-256 and rsa.VerifyPKCS1v15 over the bytes
// the precreate answer's signature covers: in v2 the response member, in
// v3 timestamp, nonce and body.
func BenchmarkVerifyBareRSA(b *testing.B) {
	for _, p := range protocols {
		b.Run(string(p), func(b *testing.B) {
			pb := newPrecreateBench(b, p)
			for b.Loop() {
				pb.bare(b)
			}
		})
	}
}

// BenchmarkVerifyPrecreateVsBare runs the two above interleaved and
// reports verify/rsa, the ratio of their medians (see benchpair).
func BenchmarkVerifyPrecreateVsBare(b *testing.B) {
	for _, p := range protocols {
		b.Run(string(p), func(b *testing.B) {
			pb := newPrecreateBench(b, p)
			benchpair.Compare(b, benchpair.Side{Name: "verify", Run: pb.verify}, benchpair.Side{Name: "rsa", Run: pb.bare})
		})
	}
}

// BenchmarkSignPrecreateVsBare runs BenchmarkSignRequest and
// BenchmarkRSASignPKCS1v15 interleaved and reports sign/rsa.
func BenchmarkSignPrecreateVsBare(b *testing.B) {
	key := testKeys(b).app
	content := []byte(RequestSigningString(benchParams))
	sign := func(b *testing.B) {
		if _, err := Sign(key, RSA2, []byte(RequestSigningString(benchParams))); err != nil {
			b.Fatal(err)
		}
	}
	bare := func(b *testing.B) {
		sum := sha256.Sum256(content)
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:]); err != nil {
			b.Fatal(err)
		}
	}
	benchpair.Compare(b, benchpair.Side{Name: "sign", Run: sign}, benchpair.Side{Name: "rsa", Run: bare})
}
