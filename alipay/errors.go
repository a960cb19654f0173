package alipay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Sub codes the kiosk branches on.
const (
	SubCodeTradeNotExist    = "ACQ.TRADE_NOT_EXIST"
	SubCodeSystemError      = "ACQ.SYSTEM_ERROR"
	SubCodeInvalidSignature = "isv.invalid-signature"
	SubCodeInvalidAppID     = "isv.invalid-app-id"

	// Refusals of alipay.trade.pay (40004) a till puts into words; the
	// buyer can pay again at once with a fresh code or another method.
	SubCodePaymentAuthCodeInvalid = "ACQ.PAYMENT_AUTH_CODE_INVALID" // the code expired, was used, or is not a code: refresh it
	SubCodeBuyerBalanceNotEnough  = "ACQ.BUYER_BALANCE_NOT_ENOUGH"  // not enough balance: another card or method
	SubCodePaymentRequestHasRisk  = "ACQ.PAYMENT_REQUEST_HAS_RISK"  // Alipay's risk control refused it: another method
	SubCodeTradeHasSuccess        = "ACQ.TRADE_HAS_SUCCESS"         // this out_trade_no is already paid
	SubCodeTradeHasClose          = "ACQ.TRADE_HAS_CLOSE"           // this out_trade_no is closed

	// OpenAPI v3 writes gateway codes without the isv./aop. prefix (Alipay
	// answers invalid-auth-token where v2 says aop.invalid-auth-token);
	// these are the v3 spellings the emulator uses and the helpers accept.
	SubCodeV3InvalidSignature = "invalid-signature"
	SubCodeV3InvalidAppID     = "invalid-app-id"
)

// Codes of the response envelope.
const (
	CodeSuccess            = "10000"
	CodeWaitingForBuyer    = "10003" // alipay.trade.pay: the buyer must confirm on the phone
	CodeServiceUnavailable = "20000"
)

// ErrTransport is wrapped by every failure to get an HTTP 200 answer from
// the gateway: network errors, timeouts and other HTTP statuses. Whether the
// request reached Alipay is unknown, so the outcome of the call is unknown.
var ErrTransport = errors.New("alipay: gateway unreachable")

// ErrNotSent is wrapped by the failures that stopped a request before any
// of it left the kiosk: the request could not be built or signed, or no
// connection to the gateway could be made. The gateway never saw the
// request, so it did nothing. See IsNotSent.
var ErrNotSent = errors.New("alipay: request not sent")

// Error is a business result with a code other than "10000", taken from a
// verified response (or, wrapped with ErrUnsignedError, from an unsigned
// error_response).
//
// In OpenAPI v3 a failure is an HTTP status with {"code","message"}: Code
// and Msg then hold the status ("400", "Bad Request"), SubCode and SubMsg
// Alipay's code and message ("ACQ.TRADE_NOT_EXIST", "交易不存在"), and
// HTTPStatus the status; it is 0 in v2.
type Error struct {
	Method     string          `json:"-"`
	Code       string          `json:"code"`
	Msg        string          `json:"msg"`
	SubCode    string          `json:"sub_code"`
	SubMsg     string          `json:"sub_msg"`
	Raw        json.RawMessage `json:"-"` // the verified *_response bytes (e.g. cancel's retry_flag lives here); in v3 the answer's body
	HTTPStatus int             `json:"-"`
}

// Error prints everything the gateway said, sub code and sub message
// included: "alipay.trade.query: 40004 Business Failed (ACQ.TRADE_NOT_EXIST: 交易不存在)".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method + ": ")
	}
	b.WriteString(e.Code)
	if e.Msg != "" {
		b.WriteString(" " + e.Msg)
	}
	switch {
	case e.SubCode != "" && e.SubMsg != "":
		fmt.Fprintf(&b, " (%s: %s)", e.SubCode, e.SubMsg)
	case e.SubCode != "" || e.SubMsg != "":
		fmt.Fprintf(&b, " (%s%s)", e.SubCode, e.SubMsg)
	}
	return b.String()
}

// Retryable reports whether Alipay asks for the same request to be sent
// again: code 20000 (service unavailable), a system-error sub code, or
// "retry_flag":"Y" in the response (alipay.trade.cancel).
func (e *Error) Retryable() bool {
	switch {
	case e.Code == CodeServiceUnavailable, e.SubCode == SubCodeSystemError:
		return true
	case e.HTTPStatus >= 500, e.HTTPStatus == http.StatusTooManyRequests:
		return true // v3: Alipay-side fault or rate limit
	case strings.HasPrefix(e.SubCode, "isp."):
		return true // isp.* are Alipay-side faults (isp.unknow-error)
	case strings.HasPrefix(e.SubCode, "aop.") && isSystemBusy(e.SubCode):
		return true
	}
	var flag struct {
		RetryFlag string `json:"retry_flag"`
	}
	return json.Unmarshal(e.Raw, &flag) == nil && flag.RetryFlag == "Y"
}

// isSystemBusy matches the aop.* spellings of "system error / busy".
func isSystemBusy(subCode string) bool {
	s := strings.ToUpper(subCode)
	return strings.Contains(s, "SYSTEM_ERROR") || strings.Contains(s, "SYSTEM-ERROR") ||
		strings.Contains(s, "BUSY")
}

// IsTradeNotExist reports whether err is a signed *Error with sub code
// ACQ.TRADE_NOT_EXIST. After a precreate this means the buyer has not
// scanned yet: keep polling. An unsigned error_response saying so is not
// believed, since reconciliation acts on "not found".
func IsTradeNotExist(err error) bool {
	return hasSubCode(err, SubCodeTradeNotExist) && !errors.Is(err, ErrUnsignedError)
}

// IsWaitingForBuyer reports whether err is an *Error with code 10003: Pay
// went through but the buyer still has to confirm on the phone (a PIN, or an
// amount over the password-free limit). Poll Query until the trade is paid
// or the wait is over, then Cancel.
func IsWaitingForBuyer(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeWaitingForBuyer
}

// IsInvalidSignature reports whether the gateway rejected our request
// signature (isv.invalid-signature): the app private key does not match the
// app public key uploaded to Alipay.
func IsInvalidSignature(err error) bool {
	return hasSubCode(err, SubCodeInvalidSignature) || hasSubCode(err, SubCodeV3InvalidSignature)
}

// IsInvalidAppID reports whether the gateway does not know our app_id
// (isv.invalid-app-id), often a sandbox app sent to production or the
// reverse.
func IsInvalidAppID(err error) bool {
	return hasSubCode(err, SubCodeInvalidAppID) || hasSubCode(err, SubCodeV3InvalidAppID)
}

// hasSubCode reports whether err holds an *Error with the given sub code.
func hasSubCode(err error, subCode string) bool {
	var e *Error
	return errors.As(err, &e) && e.SubCode == subCode
}

// IsNotSent reports whether err proves that the request never reached the
// gateway: it was refused before it was sent (ErrInvalidRequest), could not
// be built (ErrNotSent), or no connection could be made. Every other
// failure to get an answer (a timeout, a reset, an HTTP error) leaves open
// whether Alipay acted on the request.
func IsNotSent(err error) bool {
	return errors.Is(err, ErrNotSent) || errors.Is(err, ErrInvalidRequest)
}

// IsRefused reports whether err is Alipay's own final refusal: a signed,
// verified business error that does not ask for a retry. Only then did the
// gateway answer and decline to do what was asked. An unsigned or
// unverifiable answer, a retryable one, and no answer at all prove nothing
// about what happened at Alipay.
func IsRefused(err error) bool {
	var e *Error
	if !errors.As(err, &e) || errors.Is(err, ErrUnsignedError) {
		return false
	}
	return e.Code != CodeSuccess && e.Code != CodeWaitingForBuyer && !e.Retryable()
}

// IsRetryable reports whether sending the same request again is the right
// reaction to err: an *Error whose Retryable says so, or a transport failure
// that may be temporary (network error, timeout, HTTP 5xx or 429). A
// cancelled context is not retryable: the caller gave up. Signature and
// format errors are not retryable either.
func IsRetryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Retryable()
	}
	var te *transportError
	if !errors.As(err, &te) {
		// ErrTransport on its own (as a fake gateway returns it) still means
		// the gateway could not be reached.
		return errors.Is(err, ErrTransport) && !errors.Is(err, context.Canceled)
	}
	if te.status != 0 {
		return te.status >= 500 || te.status == http.StatusTooManyRequests
	}
	return !errors.Is(te.err, context.Canceled)
}

// transportError is a failed exchange with the gateway. status is the HTTP
// status when one was received, 0 for network errors and timeouts.
// notSent is true when no connection could be made, so nothing was sent.
type transportError struct {
	method  string
	status  int
	err     error
	notSent bool
}

// newTransportError wraps a failure of the HTTP exchange itself.
func newTransportError(method string, err error) *transportError {
	return &transportError{method: method, err: err, notSent: isDialError(err)}
}

// isDialError reports whether err happened while connecting (DNS, refused,
// unreachable, a timeout while dialling): before any byte of the request
// was written. net/http retries a request on a fresh connection only when
// nothing was written on the old one, so a dial failure on that retry still
// means nothing was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Error says what happened, e.g.
// "alipay: gateway unreachable: alipay.trade.query: HTTP 502 Bad Gateway".
func (e *transportError) Error() string {
	if e.status != 0 {
		return fmt.Sprintf("%v: %s: HTTP %d %s", ErrTransport, e.method, e.status, http.StatusText(e.status))
	}
	return fmt.Sprintf("%v: %s: %v", ErrTransport, e.method, e.err)
}

// Unwrap exposes both ErrTransport and the underlying error, so that
// errors.Is(err, context.DeadlineExceeded) works as well.
func (e *transportError) Unwrap() []error {
	errs := []error{ErrTransport}
	if e.notSent {
		errs = append(errs, ErrNotSent)
	}
	if e.err != nil {
		errs = append(errs, e.err)
	}
	return errs
}
