// Package mapi implements the legacy MD5 scheme of Alipay's old merchant
// gateway, mapi.alipay.com/gateway.do, for merchants whose contract still
// runs on it (即时到账 create_direct_pay_by_user, with a partner ID and a
// 32-character MD5 security key instead of RSA key pairs).
//
// It is separate from, and unrelated to, the OpenAPI v2 client in the parent
// package: different gateway, different parameter names (service, partner,
// _input_charset, total_fee), and a shared secret instead of signatures.
// Nothing in the kiosk's face-to-face flow uses it, and new integrations
// should not: Alipay stopped opening such contracts years ago. A developer
// checks a notification of such a contract with `kiosk api verify-md5`.
//
// # Signing
//
// A request or notification is signed by taking every parameter except sign
// and sign_type, dropping empty values, sorting by key, joining raw
// (not URL-encoded) "k=v" pairs with '&', appending the key directly (no
// separator) and writing the MD5 of that text as 32 lowercase hex digits.
// Sign computes it; Verify checks a received form with a constant-time
// comparison.
//
// # Notifications
//
// A signature proves only that someone holding the key wrote the form. The
// legacy protocol adds a second check: the receiver asks the gateway whether
// notify_id is genuine (service=notify_verify, answer "true"), which
// NotifyVerifyURL builds. The caller still compares out_trade_no, total_fee
// and seller_id with its own records before acting.
package mapi
