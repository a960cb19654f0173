package alipay

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"
)

// WithLogger makes the client write one record to l for every call it
// makes: the method, the protocol, the order it concerns (out_trade_no,
// and out_request_no for refunds), how long it took, its outcome and, when
// it failed, the cause as ClassifyFailure names it with Alipay's code and
// sub_code. Successful calls and Alipay's signed refusals are logged at
// Info, calls without a trustworthy answer at Warn. A query under
// AwaitingScan that Alipay answers ACQ.TRADE_NOT_EXIST is the wait for
// the customer to scan, logged at Info as not_yet.
//
// Nothing secret is logged: no key, no signature, no request or response
// body (which is where a buyer's account travels), and error texts have any
// long base64 run (a signature or key pasted into a message) cut out.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) { c.log = l }
}

// Outcomes of a logged call.
const (
	OutcomeOK      = "ok"      // code 10000 (v3: HTTP 200), verified
	OutcomeRefused = "refused" // a verified answer with another code: Alipay's word
	OutcomeFailed  = "failed"  // no answer that could be trusted
	// OutcomeNotYet is a signed ACQ.TRADE_NOT_EXIST to a query made
	// under AwaitingScan: nobody has scanned the QR code yet, the normal
	// wait, not a refusal.
	OutcomeNotYet = "not_yet"
)

// awaitingScanKey marks a context of AwaitingScan.
type awaitingScanKey struct{}

// AwaitingScan marks the calls made under ctx as queries of a sale whose
// QR code the customer may not have scanned yet, where Alipay's signed
// ACQ.TRADE_NOT_EXIST means "not yet". The call log then records that
// answer with OutcomeNotYet. A query of a sale that should exist (a
// recovery, reconciliation, kiosk api) is not so marked, and the same
// answer stays a refusal.
func AwaitingScan(ctx context.Context) context.Context {
	return context.WithValue(ctx, awaitingScanKey{}, true)
}

// IsAwaitingScan reports whether ctx was marked by AwaitingScan.
func IsAwaitingScan(ctx context.Context) bool {
	marked, _ := ctx.Value(awaitingScanKey{}).(bool)
	return marked
}

// FailureKind names why a call failed, in words an operator can act on.
type FailureKind string

// The kinds ClassifyFailure tells apart.
const (
	FailureNone              FailureKind = ""
	FailureDNS               FailureKind = "dns"                // the gateway's name does not resolve
	FailureConnectionRefused FailureKind = "connection_refused" // the host answered, nothing listens on the port
	FailureConnectionReset   FailureKind = "connection_reset"   // the connection was dropped midway
	FailureConnectionClosed  FailureKind = "connection_closed"  // closed before a whole answer came
	FailureUnreachable       FailureKind = "unreachable"        // no route to the host or network
	FailureTimeout           FailureKind = "timeout"            // no answer within the deadline
	FailureCanceled          FailureKind = "canceled"           // the caller gave up
	FailureTLSCertificate    FailureKind = "tls_certificate"    // the gateway's certificate is not trusted
	FailureTLS               FailureKind = "tls"                // the TLS handshake failed (not TLS, alert)
	FailureHTTPStatus        FailureKind = "http_status"        // an HTTP status other than 200 (v3: an unsigned one)
	FailureMalformed         FailureKind = "malformed_response" // not a gateway answer (a proxy's page)
	FailureUnsigned          FailureKind = "unsigned"           // an answer without a signature
	FailureSignature         FailureKind = "signature"          // the answer's signature does not verify
	FailureCertificateSN     FailureKind = "certificate_sn"     // signed under another Alipay certificate
	FailureAlipay            FailureKind = "alipay"             // Alipay's signed refusal: Code and SubCode say why
	FailureAlipayUnsigned    FailureKind = "alipay_unsigned"    // an unsigned error_response (isv.invalid-app-id arrives so)
	FailureNotSent           FailureKind = "not_sent"           // refused or failed before it was sent
	FailureNetwork           FailureKind = "network"            // another network failure
	FailureOther             FailureKind = "other"
)

// Failure is a failed call taken apart: its kind and, when Alipay answered,
// the codes it gave.
type Failure struct {
	Kind                  FailureKind
	Code, SubCode, SubMsg string
	HTTPStatus            int
}

// ClassifyFailure says why err, returned by a Client method, happened. The
// network causes are found with errors.As on the standard library's own
// types (*net.DNSError, *tls.CertificateVerificationError, syscall errors,
// net.Error's Timeout), never from the text.
func ClassifyFailure(err error) Failure {
	if err == nil {
		return Failure{}
	}
	var ae *Error
	if errors.As(err, &ae) {
		f := Failure{Kind: FailureAlipay, Code: ae.Code, SubCode: ae.SubCode, SubMsg: ae.SubMsg, HTTPStatus: ae.HTTPStatus}
		if errors.Is(err, ErrUnsignedError) {
			f.Kind = FailureAlipayUnsigned
		}
		return f
	}
	for _, k := range []struct {
		target error
		kind   FailureKind
	}{
		{ErrInvalidRequest, FailureNotSent},
		{ErrCertMismatch, FailureCertificateSN},
		{ErrBadSignature, FailureSignature},
		{ErrNotSigned, FailureUnsigned},
		{ErrUnexpectedResponse, FailureMalformed},
	} {
		if errors.Is(err, k.target) {
			return Failure{Kind: k.kind}
		}
	}
	var te *transportError
	if errors.As(err, &te) && te.status != 0 {
		return Failure{Kind: FailureHTTPStatus, HTTPStatus: te.status}
	}
	if k := networkFailure(err); k != FailureNone {
		return Failure{Kind: k}
	}
	switch {
	case errors.Is(err, ErrNotSent):
		return Failure{Kind: FailureNotSent}
	case errors.Is(err, ErrTransport):
		return Failure{Kind: FailureNetwork}
	}
	return Failure{Kind: FailureOther}
}

// networkFailure classifies what the network, the resolver or TLS said.
func networkFailure(err error) FailureKind {
	var (
		dnsErr   *net.DNSError
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &dnsErr):
		return FailureDNS
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostname), errors.As(err, &invalid):
		return FailureTLSCertificate
	case errors.As(err, &record), errors.As(err, &alert):
		return FailureTLS
	case errors.Is(err, context.Canceled):
		return FailureCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return FailureTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return FailureConnectionRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return FailureConnectionReset
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return FailureUnreachable
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return FailureConnectionClosed
	}
	return FailureNone
}

// callRecord is what the client knows of one call when it ends.
type callRecord struct {
	method string
	biz    any
	start  time.Time
	answer json.RawMessage // the verified answer, whatever its code
	err    error
}

// orderRefs are the fields of a request or an answer that name the order
// and its state, the only parts of either that are logged.
type orderRefs struct {
	OutTradeNo   string `json:"out_trade_no"`
	OutRequestNo string `json:"out_request_no"`
	Code         string `json:"code"`
	SubCode      string `json:"sub_code"`
	SubMsg       string `json:"sub_msg"`
	TradeStatus  string `json:"trade_status"`
	Action       string `json:"action"`
	RetryFlag    string `json:"retry_flag"`
	BuyerLogonID string `json:"buyer_logon_id"`
}

// logCall writes r to the client's logger, if it has one.
func (c *Client) logCall(ctx context.Context, r callRecord) {
	if c.log == nil {
		return
	}
	var req, ans orderRefs
	if b, err := marshalNoEscape(r.biz); err == nil {
		_ = json.Unmarshal(b, &req)
	}
	_ = json.Unmarshal(r.answer, &ans)
	attrs := []slog.Attr{
		slog.String("method", r.method),
		slog.String("protocol", string(c.cfg.Protocol)),
	}
	attrs = appendSet(attrs, "out_trade_no", req.OutTradeNo)
	attrs = appendSet(attrs, "out_request_no", req.OutRequestNo)
	attrs = append(attrs, slog.Int64("duration_ms", time.Since(r.start).Milliseconds()))
	switch {
	case r.err != nil && IsTradeNotExist(r.err) && IsAwaitingScan(ctx):
		attrs = append(attrs, notYetAttrs(ClassifyFailure(r.err))...)
	case r.err == nil && ans.SubCode == SubCodeTradeNotExist && IsAwaitingScan(ctx):
		attrs = append(attrs, notYetAttrs(Failure{Code: ans.Code, SubCode: ans.SubCode})...)
	case r.err != nil:
		attrs = append(attrs, failureAttrs(r.err)...)
	case ans.Code != "" && ans.Code != CodeSuccess:
		attrs = append(attrs, slog.String("outcome", OutcomeRefused), slog.String("cause", string(FailureAlipay)),
			slog.String("code", ans.Code))
		attrs = appendSet(attrs, "sub_code", ans.SubCode)
		attrs = appendSet(attrs, "sub_msg", Redact(ans.SubMsg))
	default:
		attrs = append(attrs, slog.String("outcome", OutcomeOK))
		attrs = appendSet(attrs, "trade_status", ans.TradeStatus)
		attrs = appendSet(attrs, "action", ans.Action)
		attrs = appendSet(attrs, "retry_flag", ans.RetryFlag)
		attrs = appendSet(attrs, "buyer", maskedLogonID(ans.BuyerLogonID))
	}
	level := slog.LevelInfo
	if r.err != nil && ClassifyFailure(r.err).Kind != FailureAlipay {
		level = slog.LevelWarn
	}
	c.log.LogAttrs(ctx, level, "alipay call", attrs...)
}

// notYetAttrs describe a query of a trade nobody has scanned yet: outcome
// not_yet, with Alipay's codes.
func notYetAttrs(f Failure) []slog.Attr {
	attrs := []slog.Attr{slog.String("outcome", OutcomeNotYet), slog.String("code", f.Code)}
	return appendSet(attrs, "sub_code", f.SubCode)
}

// failureAttrs describe a failed call: outcome refused for Alipay's signed
// word, failed otherwise, with the cause and what the gateway said.
func failureAttrs(err error) []slog.Attr {
	f := ClassifyFailure(err)
	outcome := OutcomeFailed
	if f.Kind == FailureAlipay {
		outcome = OutcomeRefused
	}
	attrs := []slog.Attr{slog.String("outcome", outcome), slog.String("cause", string(f.Kind))}
	attrs = appendSet(attrs, "code", f.Code)
	attrs = appendSet(attrs, "sub_code", f.SubCode)
	attrs = appendSet(attrs, "sub_msg", Redact(f.SubMsg))
	if f.HTTPStatus != 0 {
		attrs = append(attrs, slog.Int("http_status", f.HTTPStatus))
	}
	return append(attrs, slog.String("error", Redact(err.Error())))
}

func appendSet(attrs []slog.Attr, key, value string) []slog.Attr {
	if value == "" {
		return attrs
	}
	return append(attrs, slog.String(key, value))
}

// longBase64 matches what a signature or a key looks like in a text: a run
// of base64 far longer than any order number, trade number or word.
var longBase64 = lazyRegexp(`[A-Za-z0-9+/]{64,}={0,2}`)

// email matches an e-mail address, a buyer's logon id.
var email = lazyRegexp(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// digitRun matches a run of digits, to be judged whole.
var digitRun = lazyRegexp(`[0-9]+`)

// Redact makes a free text (an error, Alipay's sub_msg) fit for a log: it
// cuts out long base64 runs (signatures, keys) and masks what looks like a
// buyer's account (a mobile number, an e-mail address) or a payment code.
// Order numbers and Alipay's 28-digit trade numbers pass.
func Redact(s string) string {
	s = longBase64().ReplaceAllString(s, "[redacted]")
	s = email().ReplaceAllStringFunc(s, MaskLogonID)
	return digitRun().ReplaceAllStringFunc(s, func(run string) string {
		if isMobileNumber(run) || IsPaymentCode(run) {
			return MaskLogonID(run)
		}
		return run
	})
}

// isMobileNumber reports whether a digit run is a mainland mobile number.
func isMobileNumber(run string) bool {
	return len(run) == 11 && run[0] == '1' && run[1] >= '3'
}

// maskedLogonID is id masked, unless Alipay masked it already.
func maskedLogonID(id string) string {
	if id == "" || strings.Contains(id, "*") {
		return id
	}
	return MaskLogonID(id)
}

// MaskLogonID hides the middle of a buyer's logon id as Alipay's answers
// do: 138******78, abc***@example.com.
func MaskLogonID(id string) string {
	if local, domain, ok := strings.Cut(id, "@"); ok {
		return local[:min(3, len(local)/2)] + "***@" + domain
	}
	keep := min(3, len(id)/3)
	tail := min(2, len(id)/4)
	return id[:keep] + strings.Repeat("*", len(id)-keep-tail) + id[len(id)-tail:]
}
