// Package alipay is a small client for the Alipay OpenAPI gateway
// (gateway.do in v2, REST paths in v3), covering the face-to-face (当面付)
// calls a kiosk needs:
// alipay.trade.precreate (Precreate), alipay.trade.pay (Pay, the buyer's
// payment code), alipay.trade.query (Query), alipay.trade.cancel (Cancel),
// alipay.trade.close (Close), alipay.trade.refund (Refund),
// alipay.trade.fastpay.refund.query (RefundQuery) and
// alipay.data.dataservice.bill.downloadurl.query (BillDownloadURL, with
// DownloadBill and ParseBill reading the bill it points to).
//
// It is the wire and nothing else: it imports no other package of the
// kiosk and prints nothing. Sub-package emulator is a gateway that speaks
// this wire (embedded in the kiosk, or standalone); mapi and orderstring.go
// are the seeds' other schemes (the legacy MD5 gateway, the App/page/WAP
// pay strings), which `kiosk api verify-md5` and `kiosk api app-pay`,
// `page-pay` and `wap-pay` put in a developer's hands.
//
// Two answers need care. Pay may return a response together with an *Error
// of code 10003 (IsWaitingForBuyer; the response's TradeStatus is then
// WaitBuyerPay): the buyer confirms on the phone, so poll Query and Cancel
// when the wait is over. CheckPaymentCode tells a scanned payment code
// (16 to 24 digits beginning with 25 to 30) from anything else before it
// is sent. Refund insists on an
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
// VerifyResponse therefore takes that value as it stands in the answer and
// checks the signature over those bytes; nothing is ever decoded and
// re-encoded before verification, because encoding/json would not reproduce
// them. The answer is read once: one pass checks that it is JSON (the same
// grammar and nesting limit as encoding/json), notes where the response
// member, sign and alipay_cert_sn stand, and notes the members of the
// response object; after the signature check the typed result is decoded
// from those members. A member the rule depends on given twice is refused.
// Only verified bytes are decoded into the typed responses.
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
// # OpenAPI v3
//
// With Config.Protocol set to ProtocolV3 every call goes instead to
// V3Path(method) under the origin of Config.Gateway (POST
// https://openapi.alipay.com/v3/alipay/trade/query for ProductionGateway),
// with the business fields, notify_url included, as a compact JSON body;
// the bill download URL is a GET with a query string. The request is
// signed in the authorization header, "ALIPAY-SHA256withRSA
// app_id=…[,app_cert_sn=…],nonce=<UUID>,timestamp=<ms>,sign=…", the
// signature (always SHA256withRSA) covering "authString\nMETHOD\nrequest
// URI\nbody\n" (V3SigningString); certificate mode adds app_cert_sn and
// the alipay-root-cert-sn header. This is what Alipay's Node SDK curl()
// sends.
//
// An answer is believed only if its alipay-signature header verifies over
// "alipay-timestamp\nalipay-nonce\nbody\n", the body's exact bytes,
// whatever the HTTP status (VerifyV3Response); in certificate mode an
// alipay-sn naming another certificate is ErrCertMismatch, checked first.
// A verified 200 decodes into the same types as in v2. A failure is a 4xx
// with {"code","message","links"} and becomes an *Error whose SubCode and
// SubMsg are Alipay's code and message and whose Code and Msg are the HTTP
// status, so IsTradeNotExist, IsRetryable and the rest work unchanged; an
// unsigned one is wrapped with ErrUnsignedError, a 5xx or 429 without
// signature headers is ErrTransport. v3 has no code 10003: a Pay answer
// without gmt_payment is reported as IsWaitingForBuyer.
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
// # Tracing
//
// WithTrace(t) makes a Client record its last exchange in t: for v2 the
// string signed and the signature, for v3 the text the authorization signs
// and the headers, and the raw answer with, for v3, the text its signature
// covers. It is what `kiosk api --verbose` shows a developer when Alipay
// answers isv.invalid-signature.
//
// # Bills
//
// BillDownloadURL's link works for about 30 seconds and serves a zip of
// GBK CSV files; TradeBill asks for it, downloads it at once (DownloadBill:
// a deadline, a size limit, redirects only to http(s)) and reads it
// (ParseTradeBill). A trade bill is a detail file, a 交易 row per payment
// and a 退款 row per refund with negative amounts, and a summary by store;
// a *BillError says which file, line and column could not be read, and a
// bill whose rows disagree with its own footer totals is refused.
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
