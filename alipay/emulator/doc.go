// Package emulator is an Alipay OpenAPI v2 gateway that runs inside the
// kiosk process (or next to it, with `kiosk emulator`), so that the kiosk can
// be developed, demonstrated and tested without Alipay's sandbox.
//
// It is not a mock of the client: the kiosk's real *alipay.Client talks to it
// over HTTP exactly as it talks to openapi.alipay.com, so request signing,
// response verification, timestamps and amount formatting are exercised on
// every call. Only the buyer's phone is simulated.
//
// # The gateway
//
// /gateway.do accepts POST and GET. Its parameters are the union of the URL
// query and the form body, because Alipay's SDKs put the common parameters in
// the query and biz_content in the body. The checks run in Alipay's order:
//
//   - method missing or not one of alipay.trade.precreate, alipay.trade.query
//     and alipay.trade.cancel: an unsigned error_response (40001
//     isv.missing-method, 40002 isv.invalid-method), since without a method
//     there is no response key to sign under;
//   - app_id, sign, sign_type, timestamp or version missing: 40001
//     isv.missing-app-id, isv.missing-signature, isv.missing-signature-type,
//     isv.missing-timestamp, isv.missing-version;
//   - app_id other than Config.AppID: 40002 isv.invalid-app-id; sign_type
//     other than RSA2 or RSA: 40002 isv.invalid-signature-type; a charset
//     other than utf-8 or a format other than JSON: 40002 isv.invalid-charset,
//     isv.invalid-format; a timestamp that is not "yyyy-MM-dd HH:mm:ss":
//     40002 isv.invalid-timestamp (clock skew is only logged);
//   - a signature that does not verify with the app public key: 40002
//     isv.invalid-signature, whose sub_msg quotes the string the gateway
//     verified, as Alipay's does. The signature is checked over the documented
//     string (empty values left out) and, failing that, over the string the
//     Node SDK signs (empty values kept as "k=").
//
// From the app_id check on, answers are written under the method's
// <method>_response key and signed, like every business answer.
//
// # Responses
//
// Responses are written byte by byte the way Alipay writes them: the
// <method>_response member first and sign last, no whitespace, code and msg
// (then sub_code and sub_msg) first and the other fields in key order, every
// value a string, '/' escaped as `\/` and non-ASCII text left raw. The
// signature (alipay.SignResponse, with the Alipay private key and the
// request's sign_type) covers exactly those bytes, so a client that
// re-encodes the JSON before verifying fails here as it would in production.
//
// # Business rules
//
// A trade follows Alipay's face-to-face life cycle. Precreate only reserves
// the order: the trade is PRECREATED, which query reports as 40004
// ACQ.TRADE_NOT_EXIST until the buyer scans the QR code (GET /qr/{token}).
// Then it is WAIT_BUYER_PAY with a trade_no and a masked buyer_logon_id, and
// paying makes it TRADE_SUCCESS. Cancel closes an unpaid trade (action
// "close") and refunds a paid one (action "refund"); it answers success with
// retry_flag N even for an out_trade_no the gateway has never seen, as
// Alipay does. A cancelled trade that was never scanned stays unknown to
// query. Repeating a precreate with the same out_trade_no and amount returns
// the same qr_code; a different amount is 40004 ACQ.CONTEXT_INCONSISTENT, a
// paid trade ACQ.TRADE_HAS_SUCCESS and a closed one ACQ.TRADE_HAS_CLOSE.
//
// biz_content errors are reported as follows: biz_content missing or not a
// JSON object, a required field missing, too long or of the wrong shape
// (out_trade_no beyond 64 characters of [A-Za-z0-9_], a total_amount that
// alipay.ParseAmount rejects such as "1.234") are 40002 isv.invalid-parameter,
// the gateway's own schema check; an amount that is well formed but below
// 0.01 is 40004 ACQ.INVALID_PARAMETER and one above 100000000 is 40004
// ACQ.TOTAL_FEE_EXCEED, the trade system's answers.
//
// # The buyer
//
// The qr_code is http(s)://<Host of the precreate request>/qr/<token>, so a
// phone on the same network can open it. GET /qr/{token} is the scan and
// shows a small page with the merchant, the subject, the amount and Pay and
// Decline buttons. POST /qr/{token}/pay pays; POST /qr/{token}/decline
// leaves the trade waiting, like a buyer who walks away. POST
// /emulator/pay?out_trade_no=N pays by order number (see PayRemote and
// `kiosk emulator pay`), and GET / lists recent trades. Scan and Pay do the
// same from Go.
//
// Faults (latency, connection resets, HTTP 5xx, bad signatures, 20000
// answers) are deliberately not part of this package yet; the gateway is
// split into parsing, a pure request-to-reply step and writing so that they
// can be added around it.
package emulator
