package alipay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Protocol is the wire protocol a Client speaks.
type Protocol string

// The two protocols of Alipay's OpenAPI.
const (
	// ProtocolV2 posts to gateway.do: common parameters in the URL,
	// biz_content in a form body, sign over the sorted parameters, the
	// answer signed inside its JSON.
	ProtocolV2 Protocol = "v2"
	// ProtocolV3 sends JSON to a REST path (/v3/alipay/trade/query), signs
	// the request in the authorization header and the answer in the
	// alipay-signature header, and reports failures as HTTP 4xx.
	ProtocolV3 Protocol = "v3"
)

// ParseProtocol reads "v2" or "v3" in any case; "" is v2.
func ParseProtocol(s string) (Protocol, error) {
	switch p := Protocol(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return ProtocolV2, nil
	case ProtocolV2, ProtocolV3:
		return p, nil
	}
	return "", fmt.Errorf("%w: protocol %q is neither v2 nor v3", ErrInvalidConfig, s)
}

// Protocol returns the protocol the client speaks.
func (c *Client) Protocol() Protocol { return c.cfg.Protocol }

// origin is scheme://host of a validated gateway URL.
func origin(gateway string) string {
	u, err := url.Parse(gateway)
	if err != nil {
		return gateway
	}
	return u.Scheme + "://" + u.Host
}

// v3GET lists the methods v3 reads with GET and a query string; every
// other method is a POST with a JSON body.
var v3GET = map[string]bool{MethodBillDownloadURL: true}

// v3HTTPMethod is the HTTP method the client uses for an API method in v3.
func v3HTTPMethod(method string) string {
	if v3GET[method] {
		return http.MethodGet
	}
	return http.MethodPost
}

// newV3Request builds the signed request: the business fields (and extra
// ones such as notify_url) as a JSON body, or as a query string for a GET.
func (c *Client) newV3Request(ctx context.Context, method string, extra url.Values, biz any) (*http.Request, error) {
	body, err := marshalNoEscape(biz)
	if err != nil {
		return nil, fmt.Errorf("alipay: %s: encode body: %w", method, err)
	}
	if body, err = addMembers(body, extra); err != nil {
		return nil, fmt.Errorf("alipay: %s: encode body: %w", method, err)
	}
	httpMethod, uri := v3HTTPMethod(method), V3Path(method)
	if httpMethod == http.MethodGet {
		q, err := queryOf(body)
		if err != nil {
			return nil, fmt.Errorf("alipay: %s: %w", method, err)
		}
		uri, body = uri+"?"+q.Encode(), nil
	}
	auth := V3AuthString(c.cfg.AppID, c.cfg.AppCertSN, NewNonce(), c.now())
	sig, err := Sign(c.cfg.PrivateKey, RSA2, []byte(V3SigningString(auth, httpMethod, uri, body, "")))
	if err != nil {
		return nil, fmt.Errorf("alipay: %s: %w", method, err)
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, httpMethod, c.endpoint+uri, r)
	if err != nil {
		return nil, fmt.Errorf("alipay: %s: %w", method, err)
	}
	req.Header.Set("Authorization", V3Authorization(auth, sig))
	req.Header.Set("Accept", "application/json")
	req.Header.Set(HeaderV3RequestID, newRequestID())
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.AlipayRootCertSN != "" {
		req.Header.Set(HeaderV3RootCertSN, c.cfg.AlipayRootCertSN)
	}
	return req, nil
}

// addMembers appends the non-empty extra parameters to a JSON object as
// string members, sorted by key.
func addMembers(obj []byte, extra url.Values) ([]byte, error) {
	keys := make([]string, 0, len(extra))
	for k, vs := range extra {
		if len(vs) > 0 && vs[0] != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return obj, nil
	}
	sort.Strings(keys)
	out := bytes.TrimSuffix(obj, []byte("}"))
	for _, k := range keys {
		if len(out) > 1 {
			out = append(out, ',')
		}
		name, err := marshalNoEscape(k)
		if err != nil {
			return nil, err
		}
		value, err := marshalNoEscape(extra[k][0])
		if err != nil {
			return nil, err
		}
		out = append(append(append(out, name...), ':'), value...)
	}
	return append(out, '}'), nil
}

// queryOf turns a flat JSON object of strings into query parameters.
func queryOf(obj []byte) (url.Values, error) {
	var m map[string]string
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, fmt.Errorf("a GET takes only string parameters: %w", err)
	}
	q := url.Values{}
	for k, v := range m {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q, nil
}

// sendV3 performs the exchange and returns the answer with its body,
// whatever its status: v3 reports failures with 4xx.
func (c *Client) sendV3(req *http.Request, method string) (*http.Response, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, &transportError{method: method, err: trimURLError(err, c.endpoint)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, nil, &transportError{method: method, err: fmt.Errorf("read response: %w", err)}
	}
	if len(body) > maxResponseBody {
		return nil, nil, fmt.Errorf("%w: %s: response larger than %d bytes", ErrUnexpectedResponse, method, maxResponseBody)
	}
	return resp, body, nil
}

// checkV3 applies the verification rule to an answer: nothing is believed
// unless its signature headers verify over the raw body, whatever the
// status. A 200 is the result, its members in room while it lasts; a 4xx
// (and a signed 5xx or 429) is an *Error; anything else is a transport
// failure.
func (c *Client) checkV3(method string, status int, h http.Header, body []byte, room *memberRoom) (result, error) {
	// Before the signature, as in v2: after a certificate rotation the
	// signature fails too, and this is the error that says what to do.
	if err := c.checkV3CertSN(method, h); err != nil {
		return result{}, err
	}
	busy := status >= 500 || status == http.StatusTooManyRequests
	switch {
	case status == http.StatusOK:
		if err := VerifyV3Response(c.cfg.AlipayPublicKey, h, body); err != nil {
			return result{}, fmt.Errorf("%w: %s response", err, method)
		}
		return scanResult(method, body, true, room)
	case status >= 400 && !busy, busy && hasV3Signature(h):
		return result{}, c.v3Failure(method, status, h, body)
	}
	// Unsigned 5xx (a proxy's error page), redirects and the like: like
	// v2's non-200 answers, the outcome of the call is unknown.
	return result{}, &transportError{method: method, status: status}
}

// v3ErrorBody is the JSON of a v3 failure.
type v3ErrorBody struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Links   json.RawMessage `json:"links"`
}

// v3Failure turns a failure answer into an *Error: Code and Msg hold the
// HTTP status, SubCode and SubMsg Alipay's code and message, so that the
// same helpers (IsTradeNotExist, Retryable) apply as in v2. Without
// signature headers it is wrapped with ErrUnsignedError, like v2's
// unsigned error_response; with headers that do not verify it is refused.
func (c *Client) v3Failure(method string, status int, h http.Header, body []byte) error {
	signed := hasV3Signature(h)
	if signed {
		if err := VerifyV3Response(c.cfg.AlipayPublicKey, h, body); err != nil {
			return fmt.Errorf("%w: %s error response (HTTP %d)", err, method, status)
		}
	}
	var eb v3ErrorBody
	if err := json.Unmarshal(body, &eb); err != nil || eb.Code == "" {
		if !signed {
			return &transportError{method: method, status: status}
		}
		return malformedAnswer(method, fmt.Sprintf("HTTP %d without an error code", status), body)
	}
	e := &Error{Method: method, Code: strconv.Itoa(status), Msg: http.StatusText(status),
		SubCode: eb.Code, SubMsg: eb.Message, Raw: body, HTTPStatus: status}
	if !signed {
		return fmt.Errorf("%w: %w", ErrUnsignedError, e)
	}
	return e
}

// checkV3CertSN refuses an answer whose alipay-sn names another Alipay
// certificate than the configured one (both must be present, as in the
// Node SDK).
func (c *Client) checkV3CertSN(method string, h http.Header) error {
	want, got := c.cfg.AlipayCertSN, headerValue(h, canonicalSN)
	if want == "" || got == "" || got == want {
		return nil
	}
	return fmt.Errorf("%w: %s: the response was signed with Alipay certificate %s, not the configured %s; "+
		"download the new Alipay public key certificate", ErrCertMismatch, method, printableSN(got), want)
}

// payResultV3 reads a v3 pay answer. v3 has no 10003: a paid charge
// carries gmt_payment, so an answer without it is taken as the buyer still
// confirming on the phone and reported as IsWaitingForBuyer, never as paid.
func (r *PayRequest) payResultV3(res *result) (*PayResponse, error) {
	resp, err := r.result(res, TradeSuccess)
	if err != nil {
		return nil, err
	}
	if resp.GmtPayment.IsZero() {
		resp.TradeStatus = WaitBuyerPay
		return resp, &Error{Method: MethodPay, Code: CodeWaitingForBuyer, Msg: "no gmt_payment: the buyer has not confirmed yet", Raw: res.body}
	}
	return resp, nil
}
