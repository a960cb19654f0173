package alipay

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Response errors returned by VerifyResponse.
var (
	// ErrNotSigned means the <method>_response member is present but the
	// response carries no sign, so nothing in it can be trusted.
	ErrNotSigned = errors.New("alipay: response is not signed")
	// ErrUnexpectedResponse means the bytes are not a gateway response at
	// all: not a JSON object (an HTML error page from a proxy, say), or
	// neither <method>_response nor error_response is in it.
	ErrUnexpectedResponse = errors.New("alipay: unexpected response")
	// ErrUnsignedError wraps the *Error built from an unsigned
	// error_response. The code in it is useful for diagnosis (isv.* errors
	// arrive this way) but it is not authenticated.
	ErrUnsignedError = errors.New("alipay: unsigned error response")
)

// errorResponseKey is the member the gateway uses for errors it answers
// before dispatching to a method (bad app_id, missing parameters).
const errorResponseKey = "error_response"

// ResponseKey returns the JSON member holding a method's result:
// "alipay.trade.query" -> "alipay_trade_query_response".
func ResponseKey(method string) string {
	return strings.ReplaceAll(method, ".", "_") + "_response"
}

// SignResponse builds a gateway response the way Alipay writes it:
// {"<ResponseKey(method)>":<body>,"sign":"<base64>"}, the response member
// first, sign last, no whitespace, the signature over the exact bytes of
// body. body must be a JSON object; surrounding whitespace is trimmed first
// because a JSON parser does not hand it back as part of the value. The
// emulator and the tests use it.
func SignResponse(key *rsa.PrivateKey, t SignType, method string, body []byte) ([]byte, error) {
	body = bytes.TrimSpace(body)
	if !json.Valid(body) || body[0] != '{' {
		return nil, errors.New("alipay: sign response: body is not a JSON object")
	}
	sig, err := Sign(key, t, body)
	if err != nil {
		return nil, err
	}
	name, err := marshalNoEscape(ResponseKey(method))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(name)+len(body)+len(sig)+16)
	out = append(out, '{')
	out = append(out, name...)
	out = append(out, ':')
	out = append(out, body...)
	out = append(out, `,"sign":"`...)
	out = append(out, sig...) // base64 needs no JSON escaping
	out = append(out, `"}`...)
	return out, nil
}

// VerifyResponse checks a raw gateway response for method and returns the
// exact bytes of its <method>_response value, signature verified with
// Alipay's public key. The bytes are taken from the parsed JSON object as a
// json.RawMessage, never re-encoded, so escapes such as `\/` survive and the
// position of "sign" in the object does not matter.
//
// Results: ErrUnexpectedResponse if raw is not a JSON object holding either
// member; ErrNotSigned if the response member has no sign; ErrBadSignature if
// the signature does not match; for a lone error_response, an *Error wrapped
// so that errors.Is(err, ErrUnsignedError) holds. A verified response with a
// business failure code is returned as bytes: the caller checks code.
func VerifyResponse(key *rsa.PublicKey, t SignType, method string, raw []byte) (json.RawMessage, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: %s: body is not a JSON object: %s", ErrUnexpectedResponse, method, snippet(raw))
	}
	body, ok := members[ResponseKey(method)]
	if !ok {
		return nil, unsignedError(method, members)
	}
	if len(body) == 0 || body[0] != '{' {
		return nil, fmt.Errorf("%w: %s: %s is not an object", ErrUnexpectedResponse, method, ResponseKey(method))
	}
	sig, err := signField(members)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, method)
	}
	if err := Verify(key, t, body, sig); err != nil {
		return nil, fmt.Errorf("%w: %s response", err, method)
	}
	return body, nil
}

// signField returns the sign member as a string: ErrNotSigned when it is
// absent, null or empty; ErrBadSignature when it is not a JSON string.
func signField(members map[string]json.RawMessage) (string, error) {
	raw, ok := members["sign"]
	if !ok || string(raw) == "null" {
		return "", ErrNotSigned
	}
	var sig string
	if err := json.Unmarshal(raw, &sig); err != nil {
		return "", fmt.Errorf("%w: sign is not a string", ErrBadSignature)
	}
	if sig == "" {
		return "", ErrNotSigned
	}
	return sig, nil
}

// unsignedError turns an error_response member into an *Error wrapped with
// ErrUnsignedError, or reports that neither expected member is present.
func unsignedError(method string, members map[string]json.RawMessage) error {
	body, ok := members[errorResponseKey]
	if !ok {
		return fmt.Errorf("%w: %s: neither %s nor %s in response", ErrUnexpectedResponse, method, ResponseKey(method), errorResponseKey)
	}
	e := &Error{Method: method, Raw: body}
	if err := json.Unmarshal(body, e); err != nil {
		return fmt.Errorf("%w: %s: malformed %s: %s", ErrUnexpectedResponse, method, errorResponseKey, snippet(body))
	}
	return fmt.Errorf("%w: %w", ErrUnsignedError, e)
}

// snippet quotes the start of a body for an error message, so that a proxy's
// HTML page is recognisable in a log without flooding it.
func snippet(b []byte) string {
	const max = 120
	if len(b) > max {
		return fmt.Sprintf("%q...", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

// marshalNoEscape encodes v as compact JSON without HTML escaping, so that
// '&', '<' and '>' in subjects reach the gateway (and the signature) as they
// are, like every other Alipay client writes them.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
