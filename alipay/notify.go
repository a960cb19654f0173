package alipay

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// MaxNotifyBody bounds a notification body. Real ones are 1 to 3 KB; wrap
// the request body in http.MaxBytesReader with this limit too.
const MaxNotifyBody = 64 << 10

// NotifySuccess is the exact body to answer a notification with once it is
// handled. Anything else, or no answer, makes Alipay send it again (8 times
// over about 25 hours), so handlers must accept duplicates.
const NotifySuccess = "success"

// Notification errors. Every error of ParseNotification wraps
// ErrNotifyMalformed; Verify's wrap one of the others, or ErrInvalidConfig.
var (
	// ErrNotifyMalformed means the body is not a form Alipay could have sent.
	ErrNotifyMalformed = errors.New("alipay: malformed notification")
	// ErrNotifyNotSigned means the notification has no sign.
	ErrNotifyNotSigned = errors.New("alipay: notification is not signed")
	// ErrNotifyBadSignature means the signature does not verify with
	// Alipay's public key. It wraps ErrBadSignature.
	ErrNotifyBadSignature error = &wrappedSentinel{"alipay: notification signature does not verify", ErrBadSignature}
	// ErrNotifyDowngrade means sign_type asks for a weaker algorithm than
	// RSA2 (RSA, that is SHA-1, unless NotifyVerifier.AllowRSA) or an
	// unknown one.
	ErrNotifyDowngrade = errors.New("alipay: notification sign type refused")
	// ErrNotifyMismatch means a signed notification disagrees with our own
	// records: app_id, seller_id or total_amount. The message names the field.
	ErrNotifyMismatch = errors.New("alipay: notification does not match the sale")
	// ErrNotifyUnknownTrade means the out_trade_no is not one of ours. A
	// lookup function returns it (possibly wrapped) for an unknown number.
	ErrNotifyUnknownTrade = errors.New("alipay: notification for an unknown trade")
)

// NotifyMismatchError is a signed notification field that disagrees with
// our records: Field (app_id, seller_id, total_amount) says Got where the
// sale (OfSale) or else the verifier's configuration says Want. It is an
// ErrNotifyMismatch.
type NotifyMismatchError struct {
	Field, Got, Want string
	OfSale           bool
}

func (e *NotifyMismatchError) Error() string {
	whose := "the configured"
	if e.OfSale {
		whose = "the sale's"
	}
	if e.Field == "total_amount" {
		return fmt.Sprintf("%v: total_amount %s does not match %s %s", ErrNotifyMismatch, e.Got, whose, e.Want)
	}
	return fmt.Sprintf("%v: %s %q does not match %s %q", ErrNotifyMismatch, e.Field, e.Got, whose, e.Want)
}

// Unwrap makes it an ErrNotifyMismatch.
func (e *NotifyMismatchError) Unwrap() error { return ErrNotifyMismatch }

// NotifySignTypeError is a sign_type refused (RSA without AllowRSA, or one
// we do not know). It is an ErrNotifyDowngrade.
type NotifySignTypeError struct{ SignType string }

func (e *NotifySignTypeError) Error() string {
	if SignType(e.SignType) == RSA {
		return fmt.Sprintf("%v: sign_type RSA (SHA-1) is not accepted; set AllowRSA only for an app still on RSA", ErrNotifyDowngrade)
	}
	return fmt.Sprintf("%v: sign_type %q: %v", ErrNotifyDowngrade, e.SignType, ErrUnsupportedSignType)
}

// Is makes it an ErrNotifyDowngrade, and, for an unknown sign_type, an
// ErrUnsupportedSignType.
func (e *NotifySignTypeError) Is(target error) bool {
	return target == ErrNotifyDowngrade || (target == ErrUnsupportedSignType && SignType(e.SignType) != RSA)
}

// wrappedSentinel is a sentinel that is also another sentinel.
type wrappedSentinel struct {
	msg string
	err error
}

func (s *wrappedSentinel) Error() string { return s.msg }
func (s *wrappedSentinel) Unwrap() error { return s.err }

// ParseNotification decodes the form body of an async notification, once:
// each value is percent-decoded a single time, so a '%' that Alipay encoded
// as %25 stays a '%'. The charset is the form's own charset field, else the
// Content-Type's, else UTF-8; GBK, GB2312 and GB18030 bodies come back as
// UTF-8. A key repeated with another value is refused.
// Alipay doc: 异步通知说明.
func ParseNotification(body []byte, contentType string) (url.Values, error) {
	if len(body) > MaxNotifyBody {
		return nil, fmt.Errorf("%w: body larger than %d bytes", ErrNotifyMalformed, MaxNotifyBody)
	}
	headerCharset, err := formCharset(contentType)
	if err != nil {
		return nil, err
	}
	pairs, err := splitForm(string(body))
	if err != nil {
		return nil, err
	}
	name := headerCharset
	for _, p := range pairs {
		if p[0] == "charset" {
			name = p[1] // the form's field is what Alipay encoded the values in
			break
		}
	}
	enc, err := charsetEncoding(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotifyMalformed, err)
	}
	return collectForm(pairs, enc)
}

// formCharset checks the Content-Type, when given, and returns its charset.
func formCharset(contentType string) (string, error) {
	if contentType == "" {
		return "", nil
	}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("%w: Content-Type %q: %v", ErrNotifyMalformed, contentType, err)
	}
	if media != "application/x-www-form-urlencoded" {
		return "", fmt.Errorf("%w: Content-Type %q is not a form", ErrNotifyMalformed, media)
	}
	return params["charset"], nil
}

// splitForm percent-decodes the pairs of a form body, still in the body's
// charset. Empty segments ("a=1&&b=2") are skipped as browsers do.
func splitForm(body string) ([][2]string, error) {
	var pairs [][2]string
	for seg := range strings.SplitSeq(body, "&") {
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		key, err := url.QueryUnescape(k)
		if err != nil || key == "" { // its bytes are not quoted: the body is the buyer's data
			return nil, fmt.Errorf("%w: pair %d has a bad key (%d bytes)", ErrNotifyMalformed, len(pairs)+1, len(k))
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: a bad %%-escape in its value (%d bytes)", ErrNotifyMalformed, key, len(v))
		}
		pairs = append(pairs, [2]string{key, val})
	}
	return pairs, nil
}

// collectForm converts the pairs to UTF-8 and refuses ambiguous repeats: a
// verifier and a handler reading different copies of a key is how forged
// fields slip past a signature.
func collectForm(pairs [][2]string, enc encoding.Encoding) (url.Values, error) {
	form := make(url.Values, len(pairs))
	for _, p := range pairs {
		key, err := toUTF8(p[0], enc)
		if err != nil {
			return nil, err
		}
		val, err := toUTF8(p[1], enc)
		if err != nil {
			return nil, fmt.Errorf("%w (%s)", err, key)
		}
		if old, ok := form[key]; ok {
			if old[0] != val {
				return nil, fmt.Errorf("%w: %s given twice with different values", ErrNotifyMalformed, key)
			}
			continue
		}
		form[key] = []string{val}
	}
	return form, nil
}

// toUTF8 decodes s from enc; nil enc means s must already be UTF-8.
func toUTF8(s string, enc encoding.Encoding) (string, error) {
	if enc == nil {
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("%w: invalid UTF-8", ErrNotifyMalformed)
		}
		return s, nil
	}
	out, err := enc.NewDecoder().String(s)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotifyMalformed, err)
	}
	return out, nil
}

// charsetEncoding maps a charset name to its encoding; nil means UTF-8.
func charsetEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "gbk", "gb2312", "cp936":
		return simplifiedchinese.GBK, nil
	case "gb18030":
		return simplifiedchinese.GB18030, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", name)
}

// Expected is what our records say about the sale a notification names.
type Expected struct {
	TotalFen int64  // must equal total_amount
	AppID    string // optional: must equal app_id when set
	SellerID string // optional: must equal seller_id when set
}

// NotifyVerifier checks async notifications for one app.
type NotifyVerifier struct {
	AlipayPublicKey *rsa.PublicKey // Alipay's key, as for responses
	AppID           string         // app_id must equal it
	SellerID        string         // seller_id must equal it when set (the merchant's 2088… PID)
	AllowRSA        bool           // accept sign_type=RSA (SHA-1); off, so nobody can downgrade us
}

// Notification is a verified async notification.
type Notification struct {
	NotifyID     string
	NotifyType   string // "trade_status_sync" for trades
	AppID        string
	SellerID     string
	OutTradeNo   string
	TradeNo      string
	BuyerLogonID string // masked
	BuyerID      string
	TradeStatus  TradeStatus
	TotalFen     int64 // total_amount
	ReceiptFen   int64 // receipt_amount: what the merchant receives
	RefundFen    int64 // refund_fee: total refunded so far; 0 when none
	GmtPayment   time.Time
	GmtRefund    time.Time
	NotifyTime   time.Time
	Form         url.Values // every field as received
}

// Paid reports whether the notification says the trade is paid. A partial
// refund is notified with TRADE_SUCCESS too, and RefundFen set.
func (n *Notification) Paid() bool { return n.TradeStatus.Paid() }

// Verify checks a parsed notification: the signature (RSA2 over
// NotifySigningString, in the notification's charset), then app_id and
// seller_id against v, then, through lookup, that out_trade_no is ours and
// total_amount (and Expected's IDs) match the sale. Only a nil error may be
// answered with NotifySuccess.
// Alipay doc: 异步通知说明, 异步返回结果的验签.
func (v *NotifyVerifier) Verify(form url.Values, lookup func(outTradeNo string) (Expected, error)) (*Notification, error) {
	if v.AlipayPublicKey == nil || v.AppID == "" || lookup == nil {
		return nil, fmt.Errorf("%w: notify verifier needs AlipayPublicKey, AppID and a lookup", ErrInvalidConfig)
	}
	if err := singleValued(form); err != nil {
		return nil, err
	}
	if err := v.checkSignature(form); err != nil {
		return nil, err
	}
	if err := v.checkParties(form); err != nil {
		return nil, err
	}
	if err := checkSale(form, lookup); err != nil {
		return nil, err
	}
	return newNotification(form)
}

// singleValued refuses a key given twice with different values, as
// ParseNotification does, for forms parsed some other way.
func singleValued(form url.Values) error {
	for k, vs := range form {
		for _, v := range vs[min(1, len(vs)):] {
			if v != vs[0] {
				return fmt.Errorf("%w: %s given twice with different values", ErrNotifyMalformed, k)
			}
		}
	}
	return nil
}

// checkSignature verifies sign with the algorithm sign_type names, if
// allowed. The signed text is encoded in the form's charset, as Alipay
// signs it; UTF-8 is tried as well for senders that sign before encoding.
func (v *NotifyVerifier) checkSignature(form url.Values) error {
	sig := form.Get("sign")
	if sig == "" {
		return ErrNotifyNotSigned
	}
	t, err := v.signType(form.Get("sign_type"))
	if err != nil {
		return err
	}
	content := NotifySigningString(form)
	if enc, err := charsetEncoding(form.Get("charset")); err == nil && enc != nil {
		if b, err := enc.NewEncoder().String(content); err == nil && Verify(v.AlipayPublicKey, t, []byte(b), sig) == nil {
			return nil
		}
	}
	if err := Verify(v.AlipayPublicKey, t, []byte(content), sig); err != nil {
		return fmt.Errorf("%w (sign_type %s, notify_id %q)", ErrNotifyBadSignature, t, form.Get("notify_id"))
	}
	return nil
}

// signType pins RSA2: the algorithm comes from the message itself, so
// honouring RSA would let anyone choose SHA-1.
func (v *NotifyVerifier) signType(st string) (SignType, error) {
	switch SignType(st) {
	case "", RSA2:
		return RSA2, nil
	case RSA:
		if v.AllowRSA {
			return RSA, nil
		}
	}
	return "", &NotifySignTypeError{SignType: st}
}

// checkParties compares app_id and seller_id with the verifier's. A
// genuine notification for another app of the same merchant verifies too.
func (v *NotifyVerifier) checkParties(form url.Values) error {
	if err := differ("app_id", form.Get("app_id"), false, v.AppID); err != nil {
		return err
	}
	if v.SellerID == "" {
		return nil
	}
	return differ("seller_id", form.Get("seller_id"), false, v.SellerID)
}

// checkSale looks the trade up and compares it with the notification.
func checkSale(form url.Values, lookup func(string) (Expected, error)) error {
	no := form.Get("out_trade_no")
	if no == "" {
		return fmt.Errorf("%w: no out_trade_no", ErrNotifyUnknownTrade)
	}
	exp, err := lookup(no)
	if err != nil {
		return fmt.Errorf("alipay: notification for out_trade_no %q: %w", no, err)
	}
	if err := differ("app_id", form.Get("app_id"), true, exp.AppID); err != nil {
		return err
	}
	if err := differ("seller_id", form.Get("seller_id"), true, exp.SellerID); err != nil {
		return err
	}
	total, err := ParseAmount(form.Get("total_amount"))
	if err != nil {
		return fmt.Errorf("%w: total_amount: %w", ErrNotifyMismatch, err)
	}
	if total != exp.TotalFen {
		return &NotifyMismatchError{Field: "total_amount", Got: FormatAmount(total), Want: FormatAmount(exp.TotalFen), OfSale: true}
	}
	return nil
}

// differ reports a field that is not what we expect (of the sale, or of
// the configuration); an empty want expects nothing.
func differ(field, got string, ofSale bool, want string) error {
	if want == "" || got == want {
		return nil
	}
	return &NotifyMismatchError{Field: field, Got: got, Want: want, OfSale: ofSale}
}

// newNotification converts the fields of a verified form.
func newNotification(form url.Values) (*Notification, error) {
	r := fieldReader{form: form}
	n := &Notification{
		NotifyID:     form.Get("notify_id"),
		NotifyType:   form.Get("notify_type"),
		AppID:        form.Get("app_id"),
		SellerID:     form.Get("seller_id"),
		OutTradeNo:   form.Get("out_trade_no"),
		TradeNo:      form.Get("trade_no"),
		BuyerLogonID: form.Get("buyer_logon_id"),
		BuyerID:      form.Get("buyer_id"),
		TradeStatus:  TradeStatus(form.Get("trade_status")),
		TotalFen:     r.amount("total_amount"),
		ReceiptFen:   r.amount("receipt_amount"),
		RefundFen:    r.amount("refund_fee"),
		GmtPayment:   r.time("gmt_payment"),
		GmtRefund:    r.time("gmt_refund"), // has milliseconds; ParseTime accepts them
		NotifyTime:   r.time("notify_time"),
		Form:         form,
	}
	if r.err != nil {
		return nil, r.err
	}
	return n, nil
}

// fieldReader converts optional fields and keeps the first error.
type fieldReader struct {
	form url.Values
	err  error
}

// amount reads a yuan amount as fen; absent is 0.
func (r *fieldReader) amount(key string) int64 {
	s := r.form.Get(key)
	if s == "" || r.err != nil {
		return 0
	}
	fen, err := ParseAmount(s)
	if err != nil {
		r.err = fmt.Errorf("%w: %s: %w", ErrNotifyMalformed, key, err)
	}
	return fen
}

// time reads a Beijing timestamp; absent is the zero time.
func (r *fieldReader) time(key string) time.Time {
	s := r.form.Get(key)
	if s == "" || r.err != nil {
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil {
		r.err = fmt.Errorf("%w: %s: %v", ErrNotifyMalformed, key, err)
	}
	return t
}

// SignNotification returns a copy of form with sign and sign_type set the
// way Alipay sets them: the signature covers NotifySigningString (sign and
// sign_type left out), encoded in the form's charset field. The emulator
// uses it; the body must then be encoded in that same charset.
// Alipay doc: 异步通知说明.
func SignNotification(key *rsa.PrivateKey, t SignType, form url.Values) (url.Values, error) {
	out := make(url.Values, len(form)+2)
	for k, vs := range form {
		if k != "sign" && k != "sign_type" {
			out[k] = slices.Clone(vs)
		}
	}
	content := NotifySigningString(out)
	enc, err := charsetEncoding(out.Get("charset"))
	if err != nil {
		return nil, fmt.Errorf("alipay: sign notification: %w", err)
	}
	if enc != nil {
		if content, err = enc.NewEncoder().String(content); err != nil {
			return nil, fmt.Errorf("alipay: sign notification: not representable in %s: %w", out.Get("charset"), err)
		}
	}
	sig, err := Sign(key, t, []byte(content))
	if err != nil {
		return nil, err
	}
	out.Set("sign_type", string(t))
	out.Set("sign", sig)
	return out, nil
}
