package pos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"kiosk/alipay"
)

// Console is the gateway as a developer calls it by hand (`kiosk api`): one
// method at a time, Alipay's verified answer as it was sent, and what went over the
// wire, all in plain values.
type Console struct {
	c       *alipay.Client
	trace   *alipay.Trace
	waiting bool // the last call was a pay the customer must still confirm
}

// NewConsole calls the gateway through c, which records its exchanges in
// trace (nil for none; see alipay.WithTrace).
func NewConsole(c *alipay.Client, trace *alipay.Trace) *Console {
	return &Console{c: c, trace: trace}
}

// APIMethods are the gateway methods a Console calls, by the names `kiosk
// api` gives them.
var APIMethods = []string{"precreate", "pay", "query", "cancel", "close", "refund", "refund-query"}

// APIRequest is one call: its method and the fields it takes.
type APIRequest struct {
	Method       string // one of APIMethods
	AmountFen    int64  // precreate's total, refund's amount
	Subject      string // precreate's order title (default DefaultSubject)
	OutTradeNo   string // generated for precreate when empty
	TradeNo      string
	OutRequestNo string // refund and refund-query
	Reason       string // refund
	AuthCode     string // pay: the customer's payment code
}

// ErrUnknownAPIMethod means a method a Console does not call.
var ErrUnknownAPIMethod = errors.New("unknown api method")

// ErrUnverified means an answer, or a notification, whose signature did
// not verify with Alipay's public key: it is never shown as if it were good.
var ErrUnverified = errors.New("did not verify with the Alipay public key")

// GatewayError is Alipay's signed refusal of a call (code other than
// 10000), with its codes; over v3, Code and Msg are the HTTP status.
type GatewayError struct {
	Code, Msg, SubCode, SubMsg string

	cause error
}

func (e *GatewayError) Error() string { return e.cause.Error() }

// Unwrap returns the gateway's error.
func (e *GatewayError) Unwrap() error { return e.cause }

// NoTrade reports whether Alipay, in a signed answer, has no trade under
// the order number (ACQ.TRADE_NOT_EXIST): not yet scanned, or a wrong
// number.
func (e *GatewayError) NoTrade() bool { return alipay.IsTradeNotExist(e.cause) }

// Call makes one call and returns the verified answer as JSON: with a
// trace, Alipay's response object exactly as it was sent and verified
// (every member, in Alipay's order, its amounts "12.34" and its times
// Beijing wall-clock as Alipay writes them); without one, the kiosk's
// reading of it.
func (k *Console) Call(ctx context.Context, r APIRequest) (json.RawMessage, error) {
	resp, err := k.call(ctx, r)
	var ae *alipay.Error
	switch {
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return nil, &refusal{is: ErrUnverified, cause: err}
	case errors.As(err, &ae):
		return nil, &GatewayError{Code: ae.Code, Msg: ae.Msg, SubCode: ae.SubCode, SubMsg: ae.SubMsg, cause: err}
	case err != nil:
		return nil, err
	}
	if k.trace != nil {
		if object := k.trace.Last().Verified; object != nil {
			return object, nil
		}
	}
	return compactJSON(resp)
}

func (k *Console) call(ctx context.Context, r APIRequest) (any, error) {
	c := k.c
	k.waiting = false
	switch r.Method {
	case "precreate":
		return c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: consoleOutTradeNo(r.OutTradeNo), TotalFen: r.AmountFen, Subject: firstNonEmpty(r.Subject, DefaultSubject)})
	case "pay":
		resp, err := c.Pay(ctx, &alipay.PayRequest{OutTradeNo: consoleOutTradeNo(r.OutTradeNo), AuthCode: strings.TrimSpace(r.AuthCode),
			TotalFen: r.AmountFen, Subject: firstNonEmpty(r.Subject, DefaultSubject)})
		if k.waiting = alipay.IsWaitingForBuyer(err); k.waiting {
			return resp, nil // 10003 (over v3, no gmt_payment): the answer is what a developer needs to see
		}
		return resp, err
	case "query":
		return c.Query(ctx, &alipay.QueryRequest{OutTradeNo: r.OutTradeNo, TradeNo: r.TradeNo})
	case "cancel":
		return c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: r.OutTradeNo, TradeNo: r.TradeNo})
	case "close":
		return c.Close(ctx, &alipay.CloseRequest{OutTradeNo: r.OutTradeNo, TradeNo: r.TradeNo})
	case "refund":
		return c.Refund(ctx, &alipay.RefundRequest{OutTradeNo: r.OutTradeNo, TradeNo: r.TradeNo, RefundFen: r.AmountFen,
			OutRequestNo: r.OutRequestNo, Reason: r.Reason})
	case "refund-query":
		return c.RefundQuery(ctx, &alipay.RefundQueryRequest{OutTradeNo: r.OutTradeNo, TradeNo: r.TradeNo, OutRequestNo: r.OutRequestNo})
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownAPIMethod, r.Method)
}

// consoleOutTradeNo is the order number given, or a new one.
func consoleOutTradeNo(given string) string {
	if given != "" {
		return given
	}
	return consoleOrderNo(time.Now())
}

// consoleOrderNo is an order number for a call by hand, made at now.
func consoleOrderNo(now time.Time) string {
	return strings.NewReplacer("-", "", " ", "").Replace("API_" + alipay.FormatTime(now)[:10] + "_" + fmt.Sprint(now.UnixNano()))
}

// compactJSON encodes v without escaping HTML, so that an answer's "&"
// reads as Alipay sent it.
func compactJSON(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimSpace(b.Bytes())), nil
}

// Exchange is the last request a Console sent and its answer, as
// alipay.Trace recorded them.
type Exchange struct {
	Sent bool // a request went out
	V3   bool // over OpenAPI v3

	// OpenAPI v2: the method, its sign_type, the string signed, the signature.
	Method, SignType, SigningString, Sign string

	// OpenAPI v3: the request line, the text the authorization signs (or
	// why the authorization cannot be read), and the request's headers.
	HTTPMethod, URI, V3SigningString string
	AuthError                        error
	RequestHeaders                   []Header

	// The answer: HTTP status ("" when none came), raw body, and for v3
	// its signature headers and the text they cover.
	Status                string
	Response              []byte
	ResponseHeaders       []Header
	ResponseSigningString string

	// WaitingForBuyer: the answer was a pay the customer must still
	// confirm on the phone (v2's code 10003; v3's answer without
	// gmt_payment).
	WaitingForBuyer bool
}

// Header is one HTTP header, its name lower-case.
type Header struct{ Name, Value string }

// LastExchange is what went over the wire in the last call.
func (k *Console) LastExchange() Exchange {
	if k.trace == nil {
		return Exchange{WaitingForBuyer: k.waiting}
	}
	x := k.trace.Last()
	return Exchange{Sent: x.Sent, V3: x.Protocol == alipay.ProtocolV3,
		Method: x.Method, SignType: x.SignType, SigningString: x.SigningString, Sign: x.Sign,
		HTTPMethod: x.HTTPMethod, URI: x.URI, V3SigningString: x.V3SigningString, AuthError: x.AuthError,
		RequestHeaders: headersOf(x.RequestHeaders), Status: x.Status, Response: x.Response,
		ResponseHeaders: headersOf(x.ResponseHeaders), ResponseSigningString: x.ResponseSigningString,
		WaitingForBuyer: k.waiting}
}

func headersOf(hs []alipay.Header) []Header {
	var out []Header
	for _, h := range hs {
		out = append(out, Header(h))
	}
	return out
}

// NotificationCheck is a notification that verified.
type NotificationCheck struct {
	NotifyType, TradeStatus, OutTradeNo string
	TotalFen                            int64
}

// NotificationError is a notification that could not be read (Readable
// false) or that does not verify, and why (Problem, with its facts).
type NotificationError struct {
	Readable bool
	Problem  NotifyProblem
	// SignType is the refused sign_type (NotifyWrongSignType), or the one
	// whose signature did not verify (NotifyBadSignature).
	SignType string
	// Field, Got and Want are the field that disagrees with our records
	// (NotifyMismatch): app_id, seller_id or total_amount (Got and Want
	// then yuan, "12.34"); OfSale is true when Want is the sale's, false
	// when it is the configuration's.
	Field, Got, Want string
	OfSale           bool
	cause            error
}

// NotifyProblem is why a notification was refused.
type NotifyProblem int

// Why a notification was refused.
const (
	NotifyOther         NotifyProblem = iota // none of below (the cause says)
	NotifyMalformed                          // not a form Alipay could have sent
	NotifyNotSigned                          // no sign
	NotifyBadSignature                       // the signature does not verify with Alipay's key
	NotifyWrongSignType                      // sign_type RSA (SHA-1) or one unknown
	NotifyMismatch                           // a field disagrees with our records
	NotifyUnknownTrade                       // out_trade_no not ours, or none
)

// notificationError classifies the gateway's error by its type.
func notificationError(readable bool, form url.Values, err error) *NotificationError {
	e := &NotificationError{Readable: readable, cause: err}
	var (
		mm *alipay.NotifyMismatchError
		st *alipay.NotifySignTypeError
	)
	switch {
	case errors.Is(err, alipay.ErrNotifyMalformed):
		e.Problem = NotifyMalformed
	case errors.Is(err, alipay.ErrNotifyNotSigned):
		e.Problem = NotifyNotSigned
	case errors.Is(err, alipay.ErrNotifyBadSignature):
		e.Problem, e.SignType = NotifyBadSignature, firstNonEmpty(form.Get("sign_type"), string(alipay.RSA2))
	case errors.As(err, &st):
		e.Problem, e.SignType = NotifyWrongSignType, st.SignType
	case errors.As(err, &mm):
		e.Problem, e.Field, e.Got, e.Want, e.OfSale = NotifyMismatch, mm.Field, mm.Got, mm.Want, mm.OfSale
	case errors.Is(err, alipay.ErrNotifyUnknownTrade):
		e.Problem = NotifyUnknownTrade
	}
	return e
}

func (e *NotificationError) Error() string { return e.cause.Error() }

// Unwrap returns why.
func (e *NotificationError) Unwrap() error { return e.cause }

// VerifyNotification reads a notification body (form-encoded) from body and
// checks it with v: Alipay's signature, the app, the seller if v has one,
// and the amount when amount ("12.34") is given. Without it the amount is
// the notification's own, so only the signature and the app are really
// checked. A malformed amount is an *InputError inside the
// *NotificationError.
func VerifyNotification(v NotifyVerifier, body io.Reader, amount string) (NotificationCheck, error) {
	b, err := io.ReadAll(io.LimitReader(body, alipay.MaxNotifyBody+1))
	if err != nil {
		return NotificationCheck{}, err
	}
	form, err := alipay.ParseNotification(bytes.TrimSpace(b), "application/x-www-form-urlencoded")
	if err != nil {
		return NotificationCheck{}, notificationError(false, nil, err)
	}
	notified := form.Get("total_amount")
	n, err := v.Verify(form, func(string) (alipay.Expected, error) {
		given := firstNonEmpty(amount, notified)
		fen, err := alipay.ParseAmount(given)
		if err != nil {
			return alipay.Expected{}, fmt.Errorf("%w: %w", &InputError{Problem: AmountNotANumber, Text: given}, err)
		}
		return alipay.Expected{TotalFen: fen}, nil
	})
	if err != nil {
		return NotificationCheck{}, notificationError(true, form, err)
	}
	return NotificationCheck{NotifyType: n.NotifyType, TradeStatus: string(n.TradeStatus), OutTradeNo: n.OutTradeNo, TotalFen: n.TotalFen}, nil
}
