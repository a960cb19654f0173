package alipay

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Gateways of OpenAPI v2.
const (
	SandboxGateway    = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
	ProductionGateway = "https://openapi.alipay.com/gateway.do"
)

// ErrInvalidConfig is wrapped by NewClient's errors.
var ErrInvalidConfig = errors.New("alipay: invalid config")

// ErrInvalidRequest is wrapped when a request is refused before it is sent
// (missing out_trade_no, amount out of range, ...).
var ErrInvalidRequest = errors.New("alipay: invalid request")

// maxResponseBody bounds how much of a response is read. Real responses are
// a few KB; a larger body is not a gateway answer.
const maxResponseBody = 1 << 20

// defaultTimeout bounds a whole exchange when the caller's context does not.
const defaultTimeout = 15 * time.Second

// Config is what an app needs to call the gateway.
type Config struct {
	AppID           string
	PrivateKey      *rsa.PrivateKey // app private key (signs requests)
	AlipayPublicKey *rsa.PublicKey  // verifies responses (NOT the app public key)
	SignType        SignType        // default RSA2; v3 always signs RSA2
	Gateway         string          // full URL of gateway.do, e.g. ProductionGateway

	// Protocol is ProtocolV2 (the default) or ProtocolV3. With v3 every
	// call goes to the REST path under the origin of Gateway
	// (https://openapi.alipay.com for ProductionGateway) instead of
	// gateway.do; results and errors are the same types either way.
	Protocol Protocol

	// Public-key-certificate mode (公钥证书模式), see LoadCertConfig. With
	// AppCertSN and AlipayRootCertSN set, every request carries app_cert_sn
	// and alipay_root_cert_sn; with AlipayCertSN set, a response naming
	// another Alipay certificate is refused with ErrCertMismatch.
	AppCertSN        string
	AlipayRootCertSN string
	AlipayCertSN     string
}

// Client calls the Alipay OpenAPI gateway, v2 or v3 as Config.Protocol
// says. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string // scheme://host of Gateway, the base of v3 paths
	http     *http.Client
	now      func() time.Time
	trace    *Trace       // nil unless WithTrace
	log      *slog.Logger // nil unless WithLogger
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client. The default is an http.Client with a
// 15-second timeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithClock sets the clock used for the timestamp parameter (tests).
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// NewClient checks cfg and returns a Client. It refuses an Alipay public key
// equal to the app's own public key, the classic mistake that makes every
// response fail verification.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if cfg.SignType == "" {
		cfg.SignType = RSA2
	}
	if cfg.Protocol == "" {
		cfg.Protocol = ProtocolV2
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, endpoint: origin(cfg.Gateway), http: &http.Client{Timeout: defaultTimeout}, now: time.Now}
	for _, opt := range opts {
		opt(c)
	}
	if c.trace != nil {
		c.http = traced(c.http, c.trace)
	}
	return c, nil
}

// validate reports the first problem in cfg.
func (cfg *Config) validate() error {
	switch {
	case cfg.AppID == "":
		return fmt.Errorf("%w: app ID is empty", ErrInvalidConfig)
	case cfg.PrivateKey == nil:
		return fmt.Errorf("%w: app private key is missing", ErrInvalidConfig)
	case cfg.AlipayPublicKey == nil:
		return fmt.Errorf("%w: Alipay public key is missing", ErrInvalidConfig)
	case SameKey(&cfg.PrivateKey.PublicKey, cfg.AlipayPublicKey):
		return fmt.Errorf("%w: the Alipay public key given is the app's own public key; "+
			"use the Alipay public key (支付宝公钥) shown next to it in the Alipay console", ErrInvalidConfig)
	}
	if _, err := cfg.SignType.hash(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if cfg.Protocol != ProtocolV2 && cfg.Protocol != ProtocolV3 {
		return fmt.Errorf("%w: protocol %q is neither %q nor %q", ErrInvalidConfig, string(cfg.Protocol), ProtocolV2, ProtocolV3)
	}
	if (cfg.AppCertSN == "") != (cfg.AlipayRootCertSN == "") {
		// The gateway rejects a request carrying only one of the two.
		return fmt.Errorf("%w: certificate mode needs both AppCertSN and AlipayRootCertSN", ErrInvalidConfig)
	}
	return validateGateway(cfg.Gateway)
}

// validateGateway insists on an absolute http(s) URL without a query: query
// parameters baked into the URL would not be covered by the signature.
func validateGateway(gw string) error {
	if gw == "" {
		return fmt.Errorf("%w: gateway is empty (use ProductionGateway or SandboxGateway)", ErrInvalidConfig)
	}
	u, err := url.Parse(gw)
	if err != nil {
		return fmt.Errorf("%w: gateway: %w", ErrInvalidConfig, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: gateway %q is not an http(s) URL", ErrInvalidConfig, gw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%w: gateway %q must not have a query; the client adds its own parameters", ErrInvalidConfig, gw)
	}
	return nil
}

// do calls method with biz as biz_content and decodes a successful result
// into out. Every API method is a thin wrapper around it.
func (c *Client) do(ctx context.Context, method string, biz, out any) error {
	return c.doParams(ctx, method, nil, biz, out)
}

// doParams is do with extra common parameters (notify_url) for the query.
func (c *Client) doParams(ctx context.Context, method string, extra url.Values, biz, out any) error {
	room := rooms.Get().(*memberRoom)
	defer rooms.Put(room)
	res, err := c.roundTrip(ctx, method, extra, biz, room)
	if err != nil {
		return err
	}
	return c.decode(method, &res, out)
}

// roundTrip sends one request, verifies its answer, and logs the call
// with what the verified answer (or the failure) says. The result's
// members are in room while it lasts (nil: on the heap).
func (c *Client) roundTrip(ctx context.Context, method string, extra url.Values, biz any, room *memberRoom) (result, error) {
	start := time.Now()
	res, err := c.exchangeAndVerify(ctx, method, extra, biz, room)
	c.logCall(ctx, callRecord{method: method, biz: biz, start: start, answer: res.body, err: err})
	return res, err
}

func (c *Client) exchangeAndVerify(ctx context.Context, method string, extra url.Values, biz any, room *memberRoom) (result, error) {
	a, err := c.exchange(ctx, method, extra, biz)
	if err != nil {
		return result{}, err
	}
	return c.verify(method, a, room)
}

// answer is what the gateway sent back: in v2 the body of an HTTP 200
// (other statuses are transport errors); in v3 any status with its
// headers and body.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// exchange sends one signed request and returns the answer, not yet
// verified.
func (c *Client) exchange(ctx context.Context, method string, extra url.Values, biz any) (*answer, error) {
	if c.cfg.Protocol == ProtocolV3 {
		req, err := c.newV3Request(ctx, method, extra, biz)
		if err != nil {
			return nil, err
		}
		resp, body, err := c.sendV3(req, method)
		if err != nil {
			return nil, err
		}
		return &answer{status: resp.StatusCode, header: resp.Header, body: body}, nil
	}
	req, err := c.newRequest(ctx, method, extra, biz)
	if err != nil {
		return nil, err
	}
	body, err := c.send(req, method)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, body: body}, nil
}

// call sends one request and returns the verified result: in v2 the
// <method>_response object, whatever its code (Pay needs it undecided: its
// 10003 is not a plain failure); in v3 the body of a 200 answer, any other
// answer being an error.
func (c *Client) call(ctx context.Context, method string, extra url.Values, biz any) (*result, error) {
	res, err := c.roundTrip(ctx, method, extra, biz, nil)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// verify applies the verification rule of the client's protocol to an
// answer and returns the verified result, its members in room while it
// lasts (nil: on the heap).
func (c *Client) verify(method string, a *answer, room *memberRoom) (result, error) {
	if c.cfg.Protocol == ProtocolV3 {
		return c.checkV3(method, a.status, a.header, a.body, room)
	}
	r, err := scanResponse(method, a.body, room)
	if err != nil {
		return result{}, err
	}
	// Before the signature: after a certificate rotation the signature
	// fails too, and the certificate error is the one that says what to do.
	if err := c.checkCertSN(method, &r); err != nil {
		return result{}, err
	}
	if err := r.verify(c.cfg.AlipayPublicKey, c.cfg.SignType); err != nil {
		return result{}, err
	}
	return r.result, nil
}

// rooms recycles the room for an answer's members: decode is done with it
// when it returns (the result's strings are copies, an *Error keeps the
// answer's bytes, not the members).
var rooms = sync.Pool{New: func() any { return new(memberRoom) }}

// decode decodes a verified, successful result into out.
func (c *Client) decode(method string, res *result, out any) error {
	if c.cfg.Protocol == ProtocolV3 {
		return decodeBody(method, res, out) // a v3 failure is already an *Error
	}
	return decodeResult(method, res, out)
}

// newRequest builds the signed POST: common parameters and sign in the URL
// query, biz_content in the form body, the signature over both.
func (c *Client) newRequest(ctx context.Context, method string, extra url.Values, biz any) (*http.Request, error) {
	bizJSON, err := marshalNoEscape(biz)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: encode biz_content: %w", ErrNotSent, method, err)
	}
	query := c.commonParams(method)
	for k, vs := range extra {
		if len(vs) > 0 && vs[0] != "" {
			query.Set(k, vs[0])
		}
	}
	form := url.Values{"biz_content": {string(bizJSON)}}
	sig, err := Sign(c.cfg.PrivateKey, c.cfg.SignType, []byte(RequestSigningString(union(query, form))))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotSent, method, err)
	}
	query.Set("sign", sig)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Gateway+"?"+query.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotSent, method, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// commonParams returns the parameters every call carries in the URL.
func (c *Client) commonParams(method string) url.Values {
	p := url.Values{
		"app_id":    {c.cfg.AppID},
		"method":    {method},
		"format":    {"JSON"},
		"charset":   {"utf-8"},
		"sign_type": {string(c.cfg.SignType)},
		"timestamp": {FormatTime(c.now())},
		"version":   {"1.0"},
	}
	if c.cfg.AppCertSN != "" {
		p.Set("app_cert_sn", c.cfg.AppCertSN)
		p.Set("alipay_root_cert_sn", c.cfg.AlipayRootCertSN)
	}
	return p
}

// union merges parameter sets for signing; the sets never share a key.
func union(sets ...url.Values) url.Values {
	all := url.Values{}
	for _, s := range sets {
		for k, vs := range s {
			all[k] = vs
		}
	}
	return all
}

// send performs the exchange and returns the body of an HTTP 200 answer.
func (c *Client) send(req *http.Request, method string) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, newTransportError(method, trimURLError(err, c.cfg.Gateway))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, &transportError{method: method, status: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, &transportError{method: method, err: fmt.Errorf("read response: %w", err)}
	}
	if len(body) > maxResponseBody {
		return nil, fmt.Errorf("%w: %s: response larger than %d bytes", ErrUnexpectedResponse, method, maxResponseBody)
	}
	return body, nil
}

// trimURLError drops the request URL from a *url.Error: it holds every
// parameter and the 344-character signature, which only clutters logs.
func trimURLError(err error, gateway string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, gateway, ue.Err)
	}
	return err
}

// mismatch reports a verified response that answers a different trade than
// the one asked about. Responses carry no nonce, so this is what stops an
// old signed answer (say, TRADE_SUCCESS for another sale) from being
// replayed for the current one.
func mismatch(method, field, asked, got string) error {
	if asked == "" || got == "" || asked == got {
		return nil
	}
	return fmt.Errorf("%w: %s: response is for %s %q, asked about %q", ErrUnexpectedResponse, method, field, got, asked)
}

// RequestError is a request refused before it was sent: Problem says what
// in it Alipay would refuse. It matches ErrInvalidRequest.
type RequestError struct {
	Method  string
	Problem string // "out_trade_no is empty"
}

func (e *RequestError) Error() string {
	return ErrInvalidRequest.Error() + ": " + e.Method + ": " + e.Problem
}

// Is reports that e is an ErrInvalidRequest.
func (e *RequestError) Is(target error) bool { return target == ErrInvalidRequest }

// invalid builds a *RequestError.
func invalid(method, format string, args ...any) error {
	return &RequestError{Method: method, Problem: fmt.Sprintf(format, args...)}
}
