// Package alipay is a small client for the Alipay OpenAPI v2 gateway
// (gateway.do), covering the face-to-face (当面付) calls a kiosk needs:
// alipay.trade.precreate, alipay.trade.query and alipay.trade.cancel.
//
// # Requests
//
// Every call is a POST to the gateway. The common parameters (app_id,
// method, format, charset, sign_type, timestamp, version and, when set,
// notify_url) travel in the URL query; the business parameters travel as one
// compact JSON document, biz_content, in an application/x-www-form-urlencoded
// body. Amounts are int64 fen inside the program and strings such as "12.34"
// on the wire (see FormatAmount and ParseAmount). Timestamps are written as
// Asia/Shanghai wall-clock time whatever the host's zone is, because that is
// how the gateway reads them.
//
// The request signature covers the union of query and body parameters:
// sorted by key, "sign" left out, empty values left out, "sign_type" kept,
// each written as k=v with the raw (not URL-encoded) value and joined by '&'
// (see RequestSigningString). RSA2 is SHA256withRSA and RSA is SHA1withRSA,
// both PKCS#1 v1.5, standard base64.
//
// # Responses
//
// The gateway answers {"<method>_response":{...},"sign":"..."} and signs the
// exact bytes of the <method>_response value, escapes such as `\/` included.
// VerifyResponse therefore keeps that value as a json.RawMessage and checks
// the signature over those bytes; nothing is ever decoded and re-encoded
// before verification, because encoding/json would not reproduce them. Only
// verified bytes are decoded into the typed responses.
//
// # Errors
//
// A verified response whose code is not "10000" is a business result and
// comes back as *Error, carrying code, msg, sub_code and sub_msg (the sub
// fields are what says what really went wrong, so Error() prints them all).
// Protocol failures are sentinels tested with errors.Is: ErrBadSignature,
// ErrNotSigned, ErrUnexpectedResponse, ErrUnsignedError (an error_response
// without a signature: still an *Error, but untrusted) and ErrTransport
// (network failures, timeouts and HTTP statuses other than 200). The helpers
// IsTradeNotExist, IsRetryable, IsInvalidSignature and IsInvalidAppID answer
// the questions a caller actually has to branch on.
//
// Async notifications are not received by the kiosk, but NotifySigningString
// and Verify implement Alipay's rule for them (sign and sign_type excluded).
package alipay
