package alipay

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// V3AuthScheme is the scheme of an OpenAPI v3 authorization header. v3
// signs with SHA256withRSA only, whatever Config.SignType says.
const V3AuthScheme = "ALIPAY-SHA256withRSA"

// HTTP headers of OpenAPI v3.
const (
	HeaderV3Timestamp    = "alipay-timestamp"      // answer: when it was signed, milliseconds since 1970
	HeaderV3Nonce        = "alipay-nonce"          // answer: a random string, part of the signed text
	HeaderV3Signature    = "alipay-signature"      // answer: base64 SHA256withRSA signature
	HeaderV3SN           = "alipay-sn"             // answer, certificate mode: SN of the signing Alipay certificate
	HeaderV3TraceID      = "alipay-trace-id"       // answer: Alipay's id of the exchange
	HeaderV3RequestID    = "alipay-request-id"     // request: the caller's id of the exchange
	HeaderV3RootCertSN   = "alipay-root-cert-sn"   // request, certificate mode: alipay_root_cert_sn
	HeaderV3AppAuthToken = "alipay-app-auth-token" // request: app_auth_token of a third-party app, signed too
)

// ErrBadAuthorization means a v3 authorization header cannot be read.
var ErrBadAuthorization = errors.New("alipay: malformed v3 authorization")

// V3Auth is a parsed authorization header.
type V3Auth struct {
	// AuthString is everything between the scheme and ",sign=", exactly as
	// sent: the first line of the signed text.
	AuthString string
	AppID      string
	AppCertSN  string    // certificate mode only
	Nonce      string    // unique per request
	Timestamp  time.Time // when the request was signed (milliseconds)
	Sign       string    // base64
}

// V3AuthString writes the authorization fields in the order the Node SDK
// does: app_id=…[,app_cert_sn=…],nonce=…,timestamp=<milliseconds>.
func V3AuthString(appID, appCertSN, nonce string, at time.Time) string {
	var b strings.Builder
	b.WriteString("app_id=" + appID)
	if appCertSN != "" {
		b.WriteString(",app_cert_sn=" + appCertSN)
	}
	b.WriteString(",nonce=" + nonce + ",timestamp=" + strconv.FormatInt(at.UnixMilli(), 10))
	return b.String()
}

// V3SigningString is the text a v3 request signature covers: the auth
// string, the HTTP method, the request URI (path and query, as sent), the
// body (empty for GET) and, when there is one, the app auth token, each
// followed by a newline.
func V3SigningString(authString, httpMethod, requestURI string, body []byte, appAuthToken string) string {
	var b strings.Builder
	b.Grow(len(authString) + len(httpMethod) + len(requestURI) + len(body) + len(appAuthToken) + 5)
	for _, part := range []string{authString, httpMethod, requestURI, string(body)} {
		b.WriteString(part)
		b.WriteByte('\n')
	}
	if appAuthToken != "" {
		b.WriteString(appAuthToken)
		b.WriteByte('\n')
	}
	return b.String()
}

// V3Authorization writes the authorization header value.
func V3Authorization(authString, sign string) string {
	return V3AuthScheme + " " + authString + ",sign=" + sign
}

// ParseV3Authorization reads an authorization header. It requires app_id,
// nonce and a millisecond timestamp, and keeps the auth string verbatim
// (other fields, such as additional auth info, are left in it). The
// signature is not checked here.
func ParseV3Authorization(header string) (*V3Auth, error) {
	rest, ok := strings.CutPrefix(header, V3AuthScheme+" ")
	if !ok {
		return nil, fmt.Errorf("%w: the scheme is not %s", ErrBadAuthorization, V3AuthScheme)
	}
	// base64 has no ',', so the last ",sign=" starts the signature.
	i := strings.LastIndex(rest, ",sign=")
	if i < 0 || i+len(",sign=") == len(rest) {
		return nil, fmt.Errorf("%w: no sign", ErrBadAuthorization)
	}
	a := &V3Auth{AuthString: rest[:i], Sign: rest[i+len(",sign="):]}
	seen := map[string]bool{}
	var ts string
	for item := range strings.SplitSeq(a.AuthString, ",") {
		k, v, ok := strings.Cut(item, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: %q is not key=value", ErrBadAuthorization, item)
		}
		if seen[k] {
			return nil, fmt.Errorf("%w: %s given twice", ErrBadAuthorization, k)
		}
		seen[k] = true
		switch k {
		case "app_id":
			a.AppID = v
		case "app_cert_sn":
			a.AppCertSN = v
		case "nonce":
			a.Nonce = v
		case "timestamp":
			ts = v
		}
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	switch {
	case a.AppID == "":
		return nil, fmt.Errorf("%w: no app_id", ErrBadAuthorization)
	case a.Nonce == "":
		return nil, fmt.Errorf("%w: no nonce", ErrBadAuthorization)
	case err != nil || ms <= 0:
		return nil, fmt.Errorf("%w: timestamp %q is not milliseconds since 1970", ErrBadAuthorization, ts)
	}
	a.Timestamp = time.UnixMilli(ms)
	return a, nil
}

// V3ResponseSigningString is the text a v3 answer's signature covers: the
// alipay-timestamp and alipay-nonce headers and the exact body bytes, each
// followed by a newline. The body is never decoded before verification.
func V3ResponseSigningString(timestamp, nonce string, body []byte) string {
	return timestamp + "\n" + nonce + "\n" + string(body) + "\n"
}

// SignV3Response signs an answer as Alipay does (the emulator uses it).
func SignV3Response(key *rsa.PrivateKey, timestamp, nonce string, body []byte) (string, error) {
	return Sign(key, RSA2, []byte(V3ResponseSigningString(timestamp, nonce, body)))
}

// VerifyV3Response checks the signature headers of an answer against its
// raw body: ErrNotSigned if alipay-timestamp, alipay-nonce or
// alipay-signature is missing, ErrBadSignature if they do not verify.
func VerifyV3Response(key *rsa.PublicKey, h http.Header, body []byte) error {
	ts, nonce, sig := headerValue(h, canonicalTimestamp), headerValue(h, canonicalNonce), headerValue(h, canonicalSignature)
	if ts == "" || nonce == "" || sig == "" {
		return ErrNotSigned
	}
	return verifyDigest(key, crypto.SHA256, v3ResponseDigest(ts, nonce, body), []byte(sig))
}

// v3ResponseDigest is the SHA-256 of V3ResponseSigningString, written on
// the stack for an answer of usual size, in pieces for a larger one.
func v3ResponseDigest(ts, nonce string, body []byte) []byte {
	var sum [sha256.Size]byte
	if n := len(ts) + len(nonce) + len(body) + 3; n <= 2048 {
		var buf [2048]byte
		text := append(append(append(append(append(append(buf[:0], ts...), '\n'), nonce...), '\n'), body...), '\n')
		sum = sha256.Sum256(text)
		return sum[:]
	}
	d := sha256.New()
	for _, part := range [][]byte{[]byte(ts), []byte(nonce), body} {
		d.Write(part)
		d.Write([]byte{'\n'})
	}
	return d.Sum(sum[:0])
}

// The v3 answer headers in canonical form, so that reading them does not
// canonicalize (and allocate) on every answer.
var (
	canonicalTimestamp = textproto.CanonicalMIMEHeaderKey(HeaderV3Timestamp)
	canonicalNonce     = textproto.CanonicalMIMEHeaderKey(HeaderV3Nonce)
	canonicalSignature = textproto.CanonicalMIMEHeaderKey(HeaderV3Signature)
	canonicalSN        = textproto.CanonicalMIMEHeaderKey(HeaderV3SN)
)

// headerValue is h.Get(key) for a key already in canonical form.
func headerValue(h http.Header, canonical string) string {
	if v := h[canonical]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// hasV3Signature reports whether an answer carries any signature header;
// one that does must then verify in full.
func hasV3Signature(h http.Header) bool {
	return headerValue(h, canonicalTimestamp) != "" || headerValue(h, canonicalNonce) != "" || headerValue(h, canonicalSignature) != ""
}

// NewNonce returns a random UUID (version 4), the form of nonce the Node
// SDK sends.
func NewNonce() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newRequestID returns 32 hex digits for alipay-request-id.
func newRequestID() string {
	return strings.ReplaceAll(NewNonce(), "-", "")
}

// V3Path is the REST path of a method: "alipay.trade.query" is
// "/v3/alipay/trade/query".
func V3Path(method string) string {
	return "/v3/" + strings.ReplaceAll(method, ".", "/")
}

// V3Method is the method of a REST path, the inverse of V3Path, or "" for a
// path outside /v3/.
func V3Method(path string) string {
	rest, ok := strings.CutPrefix(path, "/v3/")
	if !ok || rest == "" || strings.Contains(rest, ".") {
		return ""
	}
	return strings.ReplaceAll(rest, "/", ".")
}
