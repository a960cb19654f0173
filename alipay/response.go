package alipay

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
// Alipay's public key. The bytes are taken from the JSON as they stand,
// never re-encoded, so escapes such as `\/` survive and the position of
// "sign" in the object does not matter. The answer is read in one pass
// (see jsonscan.go) and must be valid JSON; a member the rule depends on
// (the response, error_response, sign, alipay_cert_sn) given twice is
// refused.
//
// Results: ErrUnexpectedResponse if raw is not a JSON object holding either
// member; ErrNotSigned if the response member has no sign; ErrBadSignature if
// the signature does not match; for a lone error_response, an *Error wrapped
// so that errors.Is(err, ErrUnsignedError) holds. A verified response with a
// business failure code is returned as bytes: the caller checks code.
func VerifyResponse(key *rsa.PublicKey, t SignType, method string, raw []byte) (json.RawMessage, error) {
	var room memberRoom
	r, err := scanResponse(method, raw, &room)
	if err != nil {
		return nil, err
	}
	if err := r.verify(key, t); err != nil {
		return nil, err
	}
	return bytes.Clone(r.result.body), nil
}

// gatewayResponse is a v2 answer read in one pass: the members the
// verification rule uses, as they stand in the bytes.
type gatewayResponse struct {
	method  string
	data    []byte // the answer, the BOM cut off
	result  result // the <method>_response value and its members; body nil if absent
	errBody []byte // the error_response value, nil if absent
	sign    *member
	certSN  *member
}

// memberRoom is room for the members of most answers, so that reading one
// need not allocate for them.
type memberRoom [12]member

// scanResponse reads a v2 answer: a JSON object, after an optional BOM.
// The members go to room while it lasts (nil: to the heap). The result is
// returned by value, not filled in through a pointer, so that room can
// stay on the caller's stack.
func scanResponse(method string, raw []byte, room *memberRoom) (gatewayResponse, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	r := gatewayResponse{method: method, data: raw}
	r.result.data = raw
	var outerRoom, nestedRoom []member
	if room != nil {
		outerRoom, nestedRoom = room[:0:4], room[4:4]
	}
	outer, nested, ok := scanObject(raw, outerRoom, nestedRoom, func(name []byte, simple bool) bool {
		return isResponseKey(nameText(name, simple), method)
	})
	r.result.members = nested
	if !ok {
		return r, malformedAnswer(method, "body is not a JSON object", raw)
	}
	for i := range outer {
		m := &outer[i]
		twice := false
		// Plain assignments, not through pointers to r's fields: escape
		// analysis would then put room on the heap.
		switch name := m.text(raw); {
		case isResponseKey(name, method):
			twice, r.result.body = r.result.body != nil, m.value(raw)
		case string(name) == errorResponseKey:
			twice, r.errBody = r.errBody != nil, m.value(raw)
		case string(name) == "sign":
			twice, r.sign = r.sign != nil, m
		case string(name) == "alipay_cert_sn":
			twice, r.certSN = r.certSN != nil, m
		}
		if twice {
			return r, fmt.Errorf("%w: %s: member %s given twice", ErrUnexpectedResponse, method, m.text(raw))
		}
	}
	return r, nil
}

// isResponseKey reports whether name is ResponseKey(method), without
// building it.
func isResponseKey(name []byte, method string) bool {
	const suffix = "_response"
	if len(name) != len(method)+len(suffix) || string(name[len(method):]) != suffix {
		return false
	}
	for i := range len(method) {
		c := method[i]
		if c == '.' {
			c = '_'
		}
		if name[i] != c {
			return false
		}
	}
	return true
}

// verify applies the rule: the response member must be an object, signed
// over its exact bytes.
func (r *gatewayResponse) verify(key *rsa.PublicKey, t SignType) error {
	// The fields one by one: handing r on whole would make escape analysis
	// put the members' room on the heap, as errors keep some of r.
	return verifySigned(key, t, r.method, r.result.body, r.errBody, r.data, r.sign)
}

// verifySigned is gatewayResponse.verify.
func verifySigned(key *rsa.PublicKey, t SignType, method string, body, errBody, data []byte, sign *member) error {
	if body == nil {
		return unsignedError(method, errBody)
	}
	if body[0] != '{' {
		return fmt.Errorf("%w: %s: %s is not an object", ErrUnexpectedResponse, method, ResponseKey(method))
	}
	sig, err := signValue(data, sign)
	if err != nil {
		return fmt.Errorf("%w: %s", err, method)
	}
	if err := verifyContent(key, t, body, sig); err != nil {
		return fmt.Errorf("%w: %s response", err, method)
	}
	return nil
}

// signValue returns the sign member's string: ErrNotSigned when it is
// absent, null or empty; ErrBadSignature when it is not a JSON string.
func signValue(d []byte, m *member) ([]byte, error) {
	if m == nil || string(m.value(d)) == "null" {
		return nil, ErrNotSigned
	}
	sig, ok := m.str(d)
	if !ok {
		return nil, fmt.Errorf("%w: sign is not a string", ErrBadSignature)
	}
	if len(sig) == 0 {
		return nil, ErrNotSigned
	}
	return sig, nil
}

// unsignedError turns an error_response value into an *Error wrapped with
// ErrUnsignedError, or reports that neither expected member is present.
func unsignedError(method string, body []byte) error {
	if body == nil {
		return fmt.Errorf("%w: %s: neither %s nor %s in response", ErrUnexpectedResponse, method, ResponseKey(method), errorResponseKey)
	}
	e := &Error{Method: method, Raw: body}
	if err := json.Unmarshal(body, e); err != nil {
		return malformedAnswer(method, "malformed "+errorResponseKey, body)
	}
	return fmt.Errorf("%w: %w", ErrUnsignedError, e)
}

// result is a verified result object: its exact bytes and its members,
// found by the same pass that checked the answer.
type result struct {
	body    json.RawMessage
	data    []byte   // the bytes the members' offsets refer to
	members []member // the members of body
	// numbersAsText reads number members as their literal text, so that
	// the string-typed wire structs shared with v2 decode a v3 amount sent
	// unquoted (12.34).
	numbersAsText bool
}

// scanResult reads a verified body that must be a JSON object; its
// members go to room while it lasts (nil: to the heap).
func scanResult(method string, body []byte, numbersAsText bool, room *memberRoom) (result, error) {
	var dst []member
	if room != nil {
		dst = room[:0]
	}
	members, _, ok := scanObject(body, dst, nil, nil)
	if !ok {
		return result{}, malformedAnswer(method, "body is not a JSON object", body)
	}
	return result{body: body, data: body, members: members, numbersAsText: numbersAsText}, nil
}

// decodeResult turns a verified v2 result into out, or into an *Error
// when the code is not 10000.
func decodeResult(method string, res *result, out any) error {
	if !res.succeeded() {
		e, err := envelope(method, res)
		if err != nil {
			return err
		}
		if e.Code != CodeSuccess {
			return e
		}
	}
	return decodeBody(method, res, out)
}

// succeeded reports, without decoding the envelope, a result whose code
// is plainly 10000: the last member named code without regard to case is
// named exactly "code" and holds the string "10000", unescaped. Otherwise
// the envelope decides.
func (res *result) succeeded() bool {
	ok := false
	for i := range res.members {
		m := &res.members[i]
		if !m.nameSimple {
			return false
		}
		name := m.rawName(res.data)
		name = name[1 : len(name)-1]
		if strings.EqualFold(string(name), "code") {
			ok = string(name) == "code" && string(m.value(res.data)) == `"`+CodeSuccess+`"`
		}
	}
	return ok
}

// envelope reads code, msg, sub_code and sub_msg of a verified result.
func envelope(method string, res *result) (*Error, error) {
	e := &Error{Method: method, Raw: res.body}
	if err := decodeBody(method, res, e); err != nil {
		return nil, err
	}
	e.Method, e.Raw = method, res.body
	return e, nil
}

// decodeBody decodes a verified result into out: from its members when
// decodeMembers can, else with encoding/json, to the same effect.
func decodeBody(method string, res *result, out any) error {
	if decodeMembers(res.data, res.members, out, res.numbersAsText) {
		return nil
	}
	body := res.body
	if res.numbersAsText {
		body = quoteNumbers(res.data, res.members, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnexpectedResponse, method, err)
	}
	return nil
}

// quoteNumbers rewrites an object with its number members as strings
// holding their literal text, for encoding/json; body is returned as it is
// when it has none.
func quoteNumbers(d []byte, members []member, body []byte) []byte {
	out := []byte{'{'}
	changed := false
	for i, m := range members {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(append(out, m.rawName(d)...), ':')
		if v := m.value(d); v[0] == '-' || '0' <= v[0] && v[0] <= '9' {
			out = strconv.AppendQuote(out, string(v))
			changed = true
		} else {
			out = append(out, v...)
		}
	}
	if !changed {
		return body
	}
	return append(out, '}')
}

// MalformedError is an answer, or a part of one, that is not what the
// gateway sends, told by its facts and never by its bytes: an answer
// carries the buyer's account (buyer_logon_id) and amounts, and errors
// reach the log and the screen. It wraps ErrUnexpectedResponse.
type MalformedError struct {
	Method string
	What   string // what is wrong: "body is not a JSON object", …
	Length int    // the bytes read
	// Offset is where reading them as JSON failed, a count of bytes from
	// the start; -1 when they are JSON as a whole.
	Offset int
	Starts string // what they begin with: "<" (a proxy's HTML page, say), "{", "nothing", …
}

func (e *MalformedError) Error() string {
	at := "whole JSON"
	if e.Offset >= 0 {
		at = fmt.Sprintf("JSON fails at byte %d", e.Offset)
	}
	return fmt.Sprintf("%v: %s: %s (%d bytes beginning with %s, %s)", ErrUnexpectedResponse, e.Method, e.What, e.Length, e.Starts, at)
}

// Unwrap is ErrUnexpectedResponse.
func (e *MalformedError) Unwrap() error { return ErrUnexpectedResponse }

// malformedAnswer describes b, which is not what method's answer should be.
func malformedAnswer(method, what string, b []byte) *MalformedError {
	e := &MalformedError{Method: method, What: what, Length: len(b), Offset: -1, Starts: "nothing"}
	if trimmed := bytes.TrimLeft(b, " \t\r\n"); len(trimmed) > 0 {
		e.Starts = startsWith(trimmed[0])
	}
	var v any
	var se *json.SyntaxError
	if err := json.Unmarshal(b, &v); errors.As(err, &se) {
		e.Offset = int(se.Offset)
	} else if err != nil {
		e.Offset = 0
	}
	return e
}

// startsWith names the first byte of an answer by its class, so that no
// byte of the buyer's data is quoted: JSON's and markup's punctuation as
// itself, anything else as a letter, a digit or another byte.
func startsWith(c byte) string {
	switch {
	case strings.IndexByte(`{["<`, c) >= 0:
		return fmt.Sprintf("%q", c)
	case c >= '0' && c <= '9', c == '-':
		return "a digit"
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return "a letter"
	}
	return "another byte"
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
