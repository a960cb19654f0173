package alipay

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Trace records the last exchange of a Client, for a developer who must
// see what was signed and what came back: the first thing to look at when
// Alipay answers isv.invalid-signature. Give it to NewClient with
// WithTrace; it is safe for concurrent use, and records the last request.
type Trace struct {
	mu   sync.Mutex
	last Exchange
}

// WithTrace makes the client record each exchange in t, through whatever
// HTTP client it is given.
func WithTrace(t *Trace) Option {
	return func(c *Client) { c.trace = t }
}

// Header is one HTTP header of a traced exchange, its name lower-case as
// Alipay documents it.
type Header struct{ Name, Value string }

// Exchange is a request and its answer as Trace recorded them, in plain
// values.
type Exchange struct {
	Sent     bool     // a request went out
	Protocol Protocol // ProtocolV2 or ProtocolV3

	// OpenAPI v2: the method, its sign_type, the string that was signed
	// and the signature sent.
	Method, SignType, SigningString, Sign string

	// OpenAPI v3: the request line, the text the authorization header
	// signs (AuthError says why it could not be read), and the headers
	// that carry and shape the signature.
	HTTPMethod, URI string
	V3SigningString string
	AuthError       error
	RequestHeaders  []Header

	// The answer: its HTTP status ("" when none came), the raw body, and
	// for v3 the headers its signature travels in and the text it covers.
	Status                string
	Response              []byte
	ResponseHeaders       []Header
	ResponseSigningString string

	// Verified is the answer's object exactly as Alipay sent it (over v2
	// the <method>_response object, over v3 the body), once its signature
	// verified; nil when it did not, or none came.
	Verified []byte
}

// Last returns the last exchange recorded; Sent is false when there was none.
func (t *Trace) Last() Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.last
}

func (t *Trace) record(x Exchange) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last = x
}

// recordVerified notes that the last answer's object verified.
func (t *Trace) recordVerified(object []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last.Verified = bytes.Clone(object)
}

// traced wraps h so that its exchanges go through t.
func traced(h *http.Client, t *Trace) *http.Client {
	copied := *h
	next := copied.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	copied.Transport = &tracer{next: next, trace: t}
	return &copied
}

// tracer is the round-tripper that records the exchange on its way through.
type tracer struct {
	next  http.RoundTripper
	trace *Trace
}

func (tr *tracer) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readAndRestore(&req.Body)
	if err != nil {
		return nil, err
	}
	x := Exchange{Sent: true}
	params := req.URL.Query()
	v3 := strings.HasPrefix(req.Header.Get("Authorization"), V3AuthScheme+" ")
	if v3 {
		x.Protocol, x.HTTPMethod, x.URI = ProtocolV3, req.Method, req.URL.RequestURI()
		auth, err := ParseV3Authorization(req.Header.Get("Authorization"))
		if err != nil {
			x.AuthError = err
		} else {
			x.V3SigningString = V3SigningString(auth.AuthString, req.Method, x.URI, body, req.Header.Get(HeaderV3AppAuthToken))
		}
		x.RequestHeaders = headers(req.Header, "Authorization", HeaderV3RequestID, HeaderV3RootCertSN, HeaderV3AppAuthToken, "Content-Type")
	} else {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				params[k] = v
			}
		}
		x.Protocol, x.Method, x.SignType = ProtocolV2, params.Get("method"), params.Get("sign_type")
		x.SigningString, x.Sign = RequestSigningString(params), params.Get("sign")
	}
	tr.trace.record(x)
	resp, err := tr.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	x.Status = resp.Status
	x.Response, err = readAndRestore(&resp.Body)
	if v3 {
		x.ResponseHeaders = headers(resp.Header, HeaderV3Timestamp, HeaderV3Nonce, HeaderV3Signature, HeaderV3SN, HeaderV3TraceID)
		x.ResponseSigningString = V3ResponseSigningString(resp.Header.Get(HeaderV3Timestamp), resp.Header.Get(HeaderV3Nonce), x.Response)
	}
	tr.trace.record(x)
	return resp, err
}

// headers lists the named headers that are set, names lower-case.
func headers(h http.Header, names ...string) []Header {
	var out []Header
	for _, name := range names {
		if v := h.Get(name); v != "" {
			out = append(out, Header{Name: strings.ToLower(name), Value: v})
		}
	}
	return out
}

// readAndRestore reads a body (up to maxResponseBody) and puts back a
// reader of the same bytes.
func readAndRestore(rc *io.ReadCloser) ([]byte, error) {
	if *rc == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(*rc, maxResponseBody))
	(*rc).Close()
	*rc = io.NopCloser(bytes.NewReader(b))
	return b, err
}
