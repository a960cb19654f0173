// Package alipay is a small client for the Alipay OpenAPI v2 gateway
// (gateway.do), covering the face-to-face (当面付) calls a kiosk needs:
// alipay.trade.precreate (Precreate), alipay.trade.pay (Pay, the buyer's
// payment code), alipay.trade.query (Query), alipay.trade.cancel (Cancel),
// alipay.trade.close (Close), alipay.trade.refund (Refund),
// alipay.trade.fastpay.refund.query (RefundQuery) and
// alipay.data.dataservice.bill.downloadurl.query (BillDownloadURL).
//
// Two answers need care. Pay may return a response together with an *Error
// of code 10003 (IsWaitingForBuyer): the buyer confirms on the phone, so
// poll Query and Cancel when the wait is over. Refund insists on an
// OutRequestNo, which names each partial refund and makes retries safe;
// RefundQuery with the same number says whether it was made.
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
// # Notifications
//
// Alipay posts the outcome of a trade to notify_url as a form.
// ParseNotification decodes the body once (GBK bodies included) and
// NotifyVerifier.Verify checks it: the RSA2 signature over every field but
// sign and sign_type (NotifySigningString; sign_type=RSA is refused unless
// AllowRSA, so a message cannot downgrade itself to SHA-1), then app_id,
// seller_id, out_trade_no and total_amount against our own records. Answer
// NotifySuccess only when Verify returns no error. SignNotification produces
// such messages for the emulator.
//
// # Certificate mode
//
// Apps set up with public-key certificates (公钥证书) instead of bare keys
// load their three certificate files with LoadCertConfig and copy the
// result into Config: requests then carry app_cert_sn and
// alipay_root_cert_sn, and a response naming another Alipay certificate
// fails with ErrCertMismatch, the sign that Alipay has rotated it. CertSN
// and RootCertSN compute the serial numbers the way Alipay's tools do.
package alipay
