// Package emulator is an Alipay OpenAPI gateway, v2 and v3 on the same
// port, that runs inside the kiosk process (or next to it, with `kiosk
// emulator`), so that the kiosk can be developed, demonstrated and tested
// without Alipay's sandbox.
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
//   - method missing or not one of alipay.trade.precreate, .pay, .query,
//     .cancel, .close, .refund, .fastpay.refund.query and
//     alipay.data.dataservice.bill.downloadurl.query: an unsigned
//     error_response (40001 isv.missing-method, 40002 isv.invalid-method),
//     since without a method there is no response key to sign under;
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
// # OpenAPI v3
//
// /v3/<method with '/' for '.'> (POST /v3/alipay/trade/precreate, …,
// /v3/alipay/trade/fastpay/refund/query) serves the same methods, the same
// trade table and the same notifications: a trade precreated through
// /gateway.do can be queried through /v3/ and the reverse. The business
// fields are the JSON body (notify_url among them); a GET carries them in
// its query instead, as the bill download URL does.
//
// The authorization header, ALIPAY-SHA256withRSA app_id=…,nonce=…,
// timestamp=<ms>,sign=…, is checked in this order, each failure a 401:
// header missing (missing-signature) or malformed (invalid-signature);
// app_id other than Config.AppID (invalid-app-id); timestamp more than
// V3Window from the emulator's clock either way (invalid-timestamp); a
// signature that does not verify with the app public key over
// "authString\nMETHOD\nrequest URI\nbody\n", plus the
// alipay-app-auth-token header and "\n" when it is sent (invalid-signature,
// the message quoting that text); a nonce already used (invalid-nonce).
// The nonces of the last V3Window are remembered, at most 65536; when that
// many arrive sooner, the oldest are forgotten and requests signed no later
// than them are refused too, so a replay is never taken for new.
//
// Answers are signed in alipay-timestamp (milliseconds), alipay-nonce and
// alipay-signature (SHA256withRSA with the Alipay private key over
// "timestamp\nnonce\nbody\n"), failures included, and carry an
// alipay-trace-id. A success is 200 with the fields of the v2 answer but
// code and msg, written as v2's are. A failure is
// {"code":…,"message":…,"links":[…]}: business failures are 400 with the v2
// sub_code and sub_msg (ACQ.TRADE_NOT_EXIST, 交易不存在), parameter errors
// 400 with the isv. prefix dropped (invalid-parameter), the system-error
// fault 503 isp.unknow-error, an unknown path 404 invalid-method. The 401
// codes above, the 503 and the links are the emulator's choices, after the
// way Alipay writes v3 gateway codes (invalid-auth-token where v2 says
// aop.invalid-auth-token). The faults apply to v3 requests as to v2 ones;
// a malformed answer is cut short and signed as cut.
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
// paid trade ACQ.TRADE_HAS_SUCCESS and a closed one (or one whose QR code
// expired) ACQ.TRADE_HAS_CLOSE.
//
// biz_content errors are reported as follows: biz_content missing or not a
// JSON object, a required field missing, too long or of the wrong shape
// (out_trade_no beyond 64 characters of [A-Za-z0-9_], a total_amount that
// alipay.ParseAmount rejects such as "1.234") are 40002 isv.invalid-parameter,
// the gateway's own schema check; an amount that is well formed but below
// 0.01 is 40004 ACQ.INVALID_PARAMETER and one above 100000000 is 40004
// ACQ.TOTAL_FEE_EXCEED, the trade system's answers.
//
// The QR code of a trade nobody has scanned expires after precreate's
// qr_code_timeout_express ("Nm", "Nh", "Nd" up to 15 days, or "1c" for the
// coming midnight in Beijing time; two hours when absent). Then the buyer's
// page says so, Scan and Pay fail with ErrExpired (which also matches
// ErrTradeClosed; HTTP 409 on the buyer endpoints) and query still answers
// ACQ.TRADE_NOT_EXIST. timeout_express, the limit after the scan, is not
// emulated.
//
// # Payment codes (付款码)
//
// alipay.trade.pay with scene bar_code charges the buyer's payment code,
// which the kiosk scanned. The emulator honours only the codes it issued
// itself, IssueBuyerCode(kind) from Go or POST /buyer-code?kind=K over
// HTTP: 18 digits beginning with 25 to 30, each answered as its kind says
// (BuyerCodeKind):
//
//   - pay: 10000 with trade_no, buyer_logon_id, buyer_user_id, the amounts
//     and gmt_payment; the trade is TRADE_SUCCESS and notified at once;
//   - confirm: 10003 "Order success pay inprocess" with the trade's
//     fields and zero amounts (in v3 a 200 without gmt_payment); the
//     trade is WAIT_BUYER_PAY until the buyer confirms
//     (ConfirmBuyerCode, POST /buyer-code/{code}/confirm, the Confirm
//     button of GET /buyer-code/{code}, or the Pay button of the trade's
//     /qr/{token} page), then TRADE_SUCCESS and notified; a cancel before
//     that closes it (action close) and the confirmation fails with
//     ErrTradeClosed;
//   - insufficient, expired, risk: 40004 ACQ.BUYER_BALANCE_NOT_ENOUGH,
//     ACQ.PAYMENT_AUTH_CODE_INVALID, ACQ.PAYMENT_REQUEST_HAS_RISK with
//     out_trade_no and zero amounts; no trade is made, so query answers
//     ACQ.TRADE_NOT_EXIST.
//
// A code is used by the first well-formed pay that presents it, whatever
// the answer, even one a fault keeps from the kiosk (not syserr: then the
// method does not run); presenting it again, or presenting a code
// the emulator did not issue, is 40004 ACQ.PAYMENT_AUTH_CODE_INVALID. A
// pay for an out_trade_no already in the table looks at that trade, never
// at the code: paid is ACQ.TRADE_HAS_SUCCESS, closed ACQ.TRADE_HAS_CLOSE,
// the same code and amount while waiting answer 10003 again, anything
// else ACQ.CONTEXT_INCONSISTENT. scene other than bar_code and a
// product_code other than FACE_TO_FACE_PAYMENT are not emulated (40002
// isv.invalid-parameter); timeout_express is checked for its shape only.
//
// A charged code makes a trade in the same table as precreated ones
// (Trade.Scene is bar_code, Trade.AuthCode the code): query, cancel,
// close, refund, notifications and the bill treat it like a scanned QR
// code. notify_url is taken from the pay request.
//
// alipay.trade.close closes a scanned, unpaid trade. Like Alipay's, it does
// not reach a trade nobody has scanned (ACQ.TRADE_NOT_EXIST, and the code
// can still be paid, which is why the kiosk cancels instead); a paid or
// already closed trade is ACQ.TRADE_STATUS_ERROR.
//
// alipay.trade.refund refunds part or all of a TRADE_SUCCESS trade, by
// out_trade_no or trade_no, refund_amount and out_request_no. The emulator
// requires out_request_no (Alipay defaults it to out_trade_no, which allows
// only one refund). Refunds add up; more than was paid is
// ACQ.REFUND_AMT_NOT_EQUAL_TOTAL. Repeating an out_request_no with the same
// amount refunds nothing and answers success with fund_change N, even once
// the trade is closed, so a retry after a lost answer is safe; the same
// out_request_no with another amount is ACQ.CONTEXT_INCONSISTENT (our
// choice: the request no longer matches the one recorded). A trade that is
// not TRADE_SUCCESS is ACQ.TRADE_STATUS_ERROR. The answer carries
// fund_change, refund_fee (everything refunded so far) and gmt_refund_pay.
// Refunding everything closes the trade (TRADE_CLOSED, Trade.Refunded). A
// cancel after payment refunds what is left, recorded in Trade.Refunds with
// an empty OutRequestNo.
//
// alipay.trade.fastpay.refund.query answers a known out_request_no with
// refund_amount, total_amount and refund_status REFUND_SUCCESS, and, as
// Alipay does, an unknown one with a bare 10000 (no refund_status): only
// REFUND_SUCCESS means refunded.
//
// alipay.data.dataservice.bill.downloadurl.query with bill_type trade and a
// bill_date yyyy-MM-dd or yyyy-MM answers a bill_download_url shaped like
// Alipay's: <base>/downloadBillFile.resource?bizType=trade&userId=<seller id
// and 0156>&fileType=csv.zip&bizDates=<20261122 or 202611>&downloadFileName=
// <userId>_<bizDates>.csv.zip&timestamp=<ms>&token=<HMAC>. The link works
// for 30 seconds, as Alipay's does; later it answers 410 with 下载超时，请重新
// 下载, and a link the emulator did not make (another day, account or time)
// 404. It serves the trade bill as Alipay does: a zip holding
// <userId>_<bizDates>_业务明细.csv and <userId>_<bizDates>_业务明细(汇总).csv,
// names and text in GBK (a character GBK lacks becomes '?'), CRLF line
// ends. The detail opens with #支付宝业务明细查询, #账号：[…], #起始日期：[…]
// 终止日期：[…] and a dashed 业务明细列表 line, names its 25 columns
// (alipay.TradeBillColumns), then has a 交易 row for each payment and a 退款
// row, amounts negative and 退款批次号/请求号 the out_request_no (empty for a
// cancel after payment), for each refund, values padded with a tab where
// Alipay pads them; it ends with the dashed 业务明细列表结束 line,
// #交易合计：N笔，商家实收共X元，商家优惠共0.00元, #退款合计：M笔，商家实收退款共-Y元，
// 商家优惠退款共0.00元 and #导出时间：[…]. A payment is in the bill of the day
// it was paid (完成时间), a refund in that of the day it was made, whatever
// day the trade was created; trades never paid are not in it. The summary
// has a row per store (门店编号) and the 合计 row, its amounts the sums of the
// detail rows, refunds included. Times are Beijing time. There are no
// discounts, fees, store names or operators. Alipay refuses today's and
// this month's bill; the emulator serves them, so that a demonstration can
// reconcile at once. A period not yet begun is 40004 isp.bill_not_exist;
// the signcustomer bill is not emulated.
//
// # Notifications
//
// A precreate may carry the common parameter notify_url. When the trade
// becomes TRADE_SUCCESS, and when a refund (or a cancel after payment)
// returns the whole amount and closes it, the emulator POSTs a
// trade_status_sync notification there as a form: notify_time, notify_type,
// notify_id, charset, version, app_id, auth_app_id, seller_id, trade_no,
// out_trade_no, trade_status, the amounts, buyer_id, buyer_logon_id,
// subject, gmt_create, gmt_payment and fund_bill_list, plus refund_fee,
// gmt_refund (with milliseconds, as Alipay writes it), gmt_close and
// out_biz_no for the refund. Empty values are never sent. It is signed like
// Alipay's (alipay.SignNotification): RSA2 with the Alipay private key over
// every parameter but sign and sign_type, sorted, raw values
// (alipay.NotifySigningString); sign_type RSA2 and sign are then added. The
// notify_url of a trade's first precreate is the one used. Partial refunds
// send nothing (Alipay may send a TRADE_SUCCESS message with refund fields).
//
// Deliveries run in the background, one goroutine per notification, and
// never hold up the gateway. An attempt counts only if the receiver answers
// 2xx with the body "success" (surrounding space ignored); otherwise the
// same message is sent again after 4m, 10m, 10m, 1h, 2h, 6h and 15h, 8
// attempts in all, each delay multiplied by Config.NotifyScale. Every
// attempt is logged and listed by Deliveries. Close (and Server.Close) ends
// the deliveries still pending; they are not kept across restarts.
//
// # Faults
//
// Config.Faults, SetFaults at run time, or a spec read by ParseFaults (for
// a command-line flag) make the gateway misbehave the way the kiosk must
// survive: Latency delays every answer; ResetRate closes the
// connection with a TCP reset; HTTP5xxRate answers 502 with Tengine's HTML
// page; MalformedRate cuts the JSON in half; BadSignatureRate signs other
// bytes; UnsignedRate leaves out sign; SystemErrorRate answers a signed
// 20000 Service Currently Unavailable (isp.unknow-error) without running
// the method. In the other cases the method runs before the answer is
// damaged or delayed, so the client does not know whether its call took
// effect. CancelRetries makes the first N cancels of each trade answer
// ACQ.SYSTEM_ERROR with retry_flag Y without cancelling. Methods limits the
// rates and Latency to some API methods. One number per request, drawn from
// a PCG generator seeded with Seed, picks at most one rate fault, so the
// rates must add up to at most 1 and a sequential test is repeatable. The
// real alipay.Client sees reset and 5xx as alipay.ErrTransport (retryable),
// malformed as alipay.ErrUnexpectedResponse, a bad signature as
// alipay.ErrBadSignature, no signature as alipay.ErrNotSigned, and 20000
// and retry_flag Y as retryable *alipay.Error values.
//
// # State
//
// With Config.StatePath the trade table survives restarts. The file is a
// journal: a header line, then one JSON line per change holding the whole
// trade after it, appended (one write, no fsync) before the answer about
// the change leaves. New loads it (none yet is an empty table; a file it
// cannot read or trust is an error, and the file is left alone), ignoring
// a last line cut short by a crash; a journal grown past twice the number
// of trades (plus 1,024 lines) is compacted to one line per trade, at start
// or after a change, by writing a new file (fsync, rename). A change thus
// costs the same whatever the number of trades. A killed process loses
// nothing it answered; a power cut may lose the last changes, which is
// enough for a demonstration gateway (the kiosk's ledger is fsynced). A
// file of the first format, one JSON document rewritten at every change, is
// migrated at load. Issued buyer codes, used or not, are journalled too.
// A kiosk restarted after a crash thus finds the trades
// its buyers paid. The qr_code of a kept trade takes the host of the new
// precreate request, so it works after a restart on another port.
//
// # The buyer
//
// The qr_code is http(s)://<Host of the precreate request>/qr/<token>, so a
// phone on the same network can open it. GET /qr/{token} is the scan and
// shows a small page with the merchant, the subject, the amount and Pay and
// Decline buttons. POST /qr/{token}/pay pays; POST /qr/{token}/decline
// leaves the trade waiting, like a buyer who walks away. POST
// /emulator/pay?out_trade_no=N pays by order number (see PayRemote and
// `kiosk emulator pay`), and GET / lists recent trades with their refunds
// and the faults in force, and the latest buyer codes with buttons that
// issue new ones. Scan and Pay do the same from Go.
//
// A browser's POST is answered with the page; any other client's with
// JSON: {"result": "paid" or "declined", "out_trade_no", "total_amount",
// "trade_status"} (BuyerAnswer), or a refusal {"error": CODE, "message":
// English for a developer}, CODE one of the Refusal names (no_such_trade
// 404, trade_closed 409, qr_expired 409, no_such_code 404,
// nothing_to_confirm 409), also in the Emulator-Error header. A client
// words the code; it never reads the message.
//
// The buyer's payment codes: POST /buyer-code?kind=K issues one (K is
// pay, confirm, insufficient, expired or risk; pay when absent) and
// answers its digits on one line, or sends a browser to GET
// /buyer-code/{code}, the phone showing the code and, once it was
// charged, the outcome, with a Confirm button while the charge waits.
// POST /buyer-code/{code}/confirm confirms: a BuyerAnswer "paid", or the
// refusal no_such_code, nothing_to_confirm (not charged yet, or refused)
// or trade_closed.
// IssueBuyerCodeRemote and ConfirmBuyerCodeRemote call them from Go.
package emulator
