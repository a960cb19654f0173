package alipay

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// IDs of the genuine notification in testdata/alipay-real.
const (
	realAppID    = "2019073166072302"
	realSellerID = "2088531891668739"
	formType     = "application/x-www-form-urlencoded; charset=utf-8"
)

// fen returns a lookup that knows every trade and expects total fen.
func fen(total int64) func(string) (Expected, error) {
	return func(string) (Expected, error) { return Expected{TotalFen: total}, nil }
}

func realVerifier(t *testing.T) *NotifyVerifier {
	t.Helper()
	return &NotifyVerifier{AlipayPublicKey: realKey(t, "notify-alipay-public-key.pub"), AppID: realAppID, SellerID: realSellerID}
}

func parseReal(t *testing.T) url.Values {
	t.Helper()
	form, err := ParseNotification(readReal(t, "notify-trade-status-sync.form"), formType)
	if err != nil {
		t.Fatal(err)
	}
	return form
}

func TestRealNotificationThroughVerifier(t *testing.T) {
	form := parseReal(t)
	var asked string
	n, err := realVerifier(t).Verify(form, func(no string) (Expected, error) {
		asked = no
		return Expected{TotalFen: 10, AppID: realAppID, SellerID: realSellerID}, nil
	})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if asked != "20190815155618536-564-57" {
		t.Errorf("lookup asked for %q", asked)
	}
	want := Notification{
		NotifyID: "2019081500222155624068450559358070", NotifyType: "trade_status_sync",
		AppID: realAppID, SellerID: realSellerID, OutTradeNo: "20190815155618536-564-57",
		TradeNo: "2019081522001468450512505578", BuyerLogonID: "xud***@126.com", BuyerID: "2088102534368455",
		TradeStatus: TradeSuccess, TotalFen: 10, ReceiptFen: 10,
	}
	got := *n
	if !got.GmtPayment.Equal(time.Date(2019, 8, 15, 7, 56, 24, 0, time.UTC)) ||
		!got.NotifyTime.Equal(time.Date(2019, 8, 15, 7, 56, 25, 0, time.UTC)) || !got.GmtRefund.IsZero() {
		t.Errorf("times: payment %v, notify %v, refund %v", got.GmtPayment, got.NotifyTime, got.GmtRefund)
	}
	if got.Form.Get("subject") != "语雀空间 500人规模" {
		t.Errorf("subject = %q", got.Form.Get("subject"))
	}
	got.GmtPayment, got.NotifyTime, got.Form = time.Time{}, time.Time{}, nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notification\n got %+v\nwant %+v", got, want)
	}
	if !n.Paid() {
		t.Error("TRADE_SUCCESS notification not Paid")
	}
}

// TestRealNotificationAnyValueChanged: every single-byte change of any
// signed value must fail the signature; sign and sign_type must fail too.
func TestRealNotificationAnyValueChanged(t *testing.T) {
	v := realVerifier(t)
	form := parseReal(t)
	tried := 0
	for name := range form {
		orig := form.Get(name)
		for i := range len(orig) {
			b := []byte(orig)
			b[i] ^= 0x01
			form.Set(name, string(b))
			_, err := v.Verify(form, fen(10))
			switch {
			case name == "sign_type" && errors.Is(err, ErrNotifyDowngrade):
			case errors.Is(err, ErrNotifyBadSignature) && errors.Is(err, ErrBadSignature):
			default:
				t.Fatalf("%s byte %d changed: err = %v", name, i, err)
			}
			tried++
		}
		form.Set(name, orig)
	}
	if tried < 500 {
		t.Fatalf("only %d changes tried", tried)
	}
	if _, err := v.Verify(form, fen(10)); err != nil {
		t.Fatalf("restored form: %v", err)
	}
}

func TestNotifyRefusals(t *testing.T) {
	unknown := func(no string) (Expected, error) {
		return Expected{}, fmt.Errorf("%w: %s", ErrNotifyUnknownTrade, no)
	}
	errDB := errors.New("ledger unavailable")
	tests := []struct {
		name   string
		change func(v *NotifyVerifier, form url.Values)
		lookup func(string) (Expected, error)
		want   error
		msg    string
	}{
		{"unsigned", func(_ *NotifyVerifier, f url.Values) { f.Del("sign") }, fen(10), ErrNotifyNotSigned, ""},
		{"empty sign", func(_ *NotifyVerifier, f url.Values) { f.Set("sign", "") }, fen(10), ErrNotifyNotSigned, ""},
		{"sign_type RSA", func(_ *NotifyVerifier, f url.Values) { f.Set("sign_type", "RSA") }, fen(10), ErrNotifyDowngrade, "SHA-1"},
		{"sign_type MD5", func(_ *NotifyVerifier, f url.Values) { f.Set("sign_type", "MD5") }, fen(10), ErrUnsupportedSignType, "MD5"},
		{"RSA allowed but signed RSA2", func(v *NotifyVerifier, f url.Values) { v.AllowRSA = true; f.Set("sign_type", "RSA") },
			fen(10), ErrNotifyBadSignature, ""},
		{"other key", func(v *NotifyVerifier, _ url.Values) { v.AlipayPublicKey = &testKeys(t).alipay.PublicKey },
			fen(10), ErrBadSignature, ""},
		{"no sign_type means RSA2", func(_ *NotifyVerifier, f url.Values) { f.Del("sign_type") }, fen(10), nil, ""},
		{"other app", func(v *NotifyVerifier, _ url.Values) { v.AppID = "2021000000000001" }, fen(10), ErrNotifyMismatch,
			`app_id "2019073166072302" does not match the configured "2021000000000001"`},
		{"other seller", func(v *NotifyVerifier, _ url.Values) { v.SellerID = "2088000000000000" }, fen(10), ErrNotifyMismatch, "seller_id"},
		{"no seller configured", func(v *NotifyVerifier, _ url.Values) { v.SellerID = "" }, fen(10), nil, ""},
		{"amount", nil, fen(1234), ErrNotifyMismatch, "total_amount 0.10 does not match the sale's 12.34"},
		{"amount one fen more", nil, fen(11), ErrNotifyMismatch, "total_amount"},
		{"unknown trade", nil, unknown, ErrNotifyUnknownTrade, "20190815155618536-564-57"},
		{"lookup fails", nil, func(string) (Expected, error) { return Expected{}, errDB }, errDB, ""},
		{"sale of another app", nil, func(string) (Expected, error) { return Expected{TotalFen: 10, AppID: "2021"}, nil },
			ErrNotifyMismatch, "the sale's"},
		{"sale of another seller", nil, func(string) (Expected, error) { return Expected{TotalFen: 10, SellerID: "2088"}, nil },
			ErrNotifyMismatch, "seller_id"},
		{"repeated field", func(_ *NotifyVerifier, f url.Values) { f.Add("total_amount", "100.00") }, fen(10), ErrNotifyMalformed, ""},
		{"no key", func(v *NotifyVerifier, _ url.Values) { v.AlipayPublicKey = nil }, fen(10), ErrInvalidConfig, ""},
		{"no app", func(v *NotifyVerifier, _ url.Values) { v.AppID = "" }, fen(10), ErrInvalidConfig, ""},
		{"no lookup", nil, nil, ErrInvalidConfig, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, form := realVerifier(t), parseReal(t)
			if tt.change != nil {
				tt.change(v, form)
			}
			_, err := v.Verify(form, tt.lookup)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(fmt.Sprint(err), tt.msg) {
				t.Fatalf("err = %v, want %v mentioning %q", err, tt.want, tt.msg)
			}
		})
	}
}

// testNotification is a trade notification for our test app, unsigned.
func testNotification() url.Values {
	return url.Values{
		"notify_id": {"N1"}, "notify_type": {"trade_status_sync"}, "notify_time": {"2026-01-02 11:05:07"},
		"charset": {"utf-8"}, "version": {"1.0"}, "app_id": {testAppID}, "seller_id": {"2088000000000001"},
		"out_trade_no": {"K1"}, "trade_no": {"T1"}, "trade_status": {"TRADE_SUCCESS"}, "total_amount": {"12.34"},
		"receipt_amount": {"12.34"}, "gmt_payment": {"2026-01-02 11:05:06"}, "subject": {"语雀空间 500人规模"},
	}
}

func testVerifier(t *testing.T) *NotifyVerifier {
	return &NotifyVerifier{AlipayPublicKey: &testKeys(t).alipay.PublicKey, AppID: testAppID, SellerID: "2088000000000001"}
}

func TestSignNotificationRoundTrip(t *testing.T) {
	keys := testKeys(t)
	form := testNotification()
	form.Set("sign", "stale")
	form.Set("refund_fee", "1.00")
	form.Set("gmt_refund", "2026-01-02 12:00:00.123")
	signed, err := SignNotification(keys.alipay, RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("sign") != "stale" || form.Get("sign_type") != "" {
		t.Error("SignNotification changed its input")
	}
	if signed.Get("sign_type") != "RSA2" || Verify(&keys.alipay.PublicKey, RSA2, []byte(NotifySigningString(signed)), signed.Get("sign")) != nil {
		t.Fatalf("signed form does not verify by hand: %v", signed)
	}
	n, err := testVerifier(t).Verify(parseBody(t, signed.Encode(), formType), fen(1234))
	if err != nil {
		t.Fatal(err)
	}
	refunded := time.Date(2026, 1, 2, 4, 0, 0, 123e6, time.UTC)
	if n.RefundFen != 100 || !n.GmtRefund.Equal(refunded) || n.TotalFen != 1234 || !n.Paid() {
		t.Errorf("notification = %+v", n)
	}
	if _, err := SignNotification(keys.alipay, "MD5", form); !errors.Is(err, ErrUnsupportedSignType) {
		t.Errorf("MD5: %v", err)
	}
	form.Set("charset", "latin1")
	if _, err := SignNotification(keys.alipay, RSA2, form); err == nil {
		t.Error("unknown charset accepted")
	}
}

func parseBody(t *testing.T, body, contentType string) url.Values {
	t.Helper()
	form, err := ParseNotification([]byte(body), contentType)
	if err != nil {
		t.Fatalf("ParseNotification(%.80q): %v", body, err)
	}
	return form
}

func TestNotifyAllowRSA(t *testing.T) {
	signed, err := SignNotification(testKeys(t).alipay, RSA, testNotification())
	if err != nil {
		t.Fatal(err)
	}
	v := testVerifier(t)
	if _, err := v.Verify(signed, fen(1234)); !errors.Is(err, ErrNotifyDowngrade) {
		t.Fatalf("RSA accepted by default: %v", err)
	}
	v.AllowRSA = true
	if _, err := v.Verify(signed, fen(1234)); err != nil {
		t.Fatalf("RSA refused with AllowRSA: %v", err)
	}
	signed.Set("sign_type", "RSA2") // an RSA signature checked as RSA2
	if _, err := v.Verify(signed, fen(1234)); !errors.Is(err, ErrNotifyBadSignature) {
		t.Fatalf("SHA-1 signature passed as RSA2: %v", err)
	}
}

// gbkBody encodes form as a GBK form body, as Alipay posts charset=GBK.
func gbkBody(t *testing.T, form url.Values) string {
	t.Helper()
	enc := simplifiedchinese.GBK.NewEncoder()
	var parts []string
	for k, vs := range form {
		v, err := enc.String(vs[0])
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

func TestNotifyGBK(t *testing.T) {
	keys := testKeys(t)
	form := testNotification()
	form.Set("charset", "GBK")
	// Signed over the UTF-8 text, then posted in GBK.
	sig, err := Sign(keys.alipay, RSA2, []byte(NotifySigningString(form)))
	if err != nil {
		t.Fatal(err)
	}
	utf8Signed := form
	utf8Signed.Set("sign", sig)
	utf8Signed.Set("sign_type", "RSA2")
	// Signed over the GBK bytes, as Alipay's own SDKs check it.
	gbkSigned, err := SignNotification(keys.alipay, RSA2, testNotificationIn("GBK"))
	if err != nil {
		t.Fatal(err)
	}
	for name, signed := range map[string]url.Values{"utf-8 signature": utf8Signed, "gbk signature": gbkSigned} {
		t.Run(name, func(t *testing.T) {
			body := gbkBody(t, signed)
			if !strings.Contains(body, "%D3%EF%C8%B8") { // 语雀 in GBK
				t.Fatalf("body not GBK: %s", body)
			}
			for _, ct := range []string{"application/x-www-form-urlencoded; charset=GBK", "application/x-www-form-urlencoded", ""} {
				got := parseBody(t, body, ct)
				if s := got.Get("subject"); s != "语雀空间 500人规模" {
					t.Fatalf("Content-Type %q: subject = %q", ct, s)
				}
				if _, err := testVerifier(t).Verify(got, fen(1234)); err != nil {
					t.Fatalf("Content-Type %q: %v", ct, err)
				}
			}
		})
	}
	// The header's charset counts when the form has no charset field.
	form = testNotificationIn("")
	form.Del("charset")
	got := parseBody(t, gbkBody(t, form), "application/x-www-form-urlencoded; charset=gb18030")
	if got.Get("subject") != "语雀空间 500人规模" {
		t.Errorf("header charset ignored: %q", got.Get("subject"))
	}
	// Without any charset a GBK body is not UTF-8.
	if _, err := ParseNotification([]byte(gbkBody(t, form)), formType); !errors.Is(err, ErrNotifyMalformed) {
		t.Errorf("GBK read as UTF-8: %v", err)
	}
}

func testNotificationIn(charset string) url.Values {
	f := testNotification()
	f.Set("charset", charset)
	return f
}

// TestNotifyValuesDecodedOnce: percent signs that were meant literally
// survive, because the body is decoded exactly once.
func TestNotifyValuesDecodedOnce(t *testing.T) {
	form := testNotification()
	form.Set("passback_params", "100% off")
	form.Set("body", "a%20b")
	form.Set("subject", "a+b & c=d")
	signed, err := SignNotification(testKeys(t).alipay, RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	body := signed.Encode()
	if !strings.Contains(body, "passback_params=100%25+off") || !strings.Contains(body, "body=a%2520b") {
		t.Fatalf("unexpected encoding: %s", body)
	}
	got := parseBody(t, body, formType)
	for k, want := range map[string]string{"passback_params": "100% off", "body": "a%20b", "subject": "a+b & c=d"} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	if _, err := testVerifier(t).Verify(got, fen(1234)); err != nil {
		t.Fatal(err)
	}
}

func TestNotifyEmptyValuesNotSigned(t *testing.T) {
	form := testNotification()
	form.Set("body", "")
	form.Set("passback_params", "")
	signed, err := SignNotification(testKeys(t).alipay, RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	if s := NotifySigningString(signed); strings.Contains(s, "body=") || strings.Contains(s, "passback_params") {
		t.Fatalf("empty values signed: %s", s)
	}
	body := signed.Encode()
	if !strings.Contains(body, "&body=&") {
		t.Fatalf("empty value not posted: %s", body)
	}
	got := parseBody(t, body, formType)
	if vs, ok := got["body"]; !ok || len(vs) != 1 || vs[0] != "" {
		t.Errorf("body field = %q, %v", vs, ok)
	}
	if _, err := testVerifier(t).Verify(got, fen(1234)); err != nil {
		t.Fatal(err)
	}
	// A sender that signed "body=" as well does not follow Alipay's rule.
	sig, err := Sign(testKeys(t).alipay, RSA2, []byte(signingString(signed, "sign", "sign_type")+"&body="))
	if err != nil {
		t.Fatal(err)
	}
	got.Set("sign", sig)
	if _, err := testVerifier(t).Verify(got, fen(1234)); !errors.Is(err, ErrNotifyBadSignature) {
		t.Errorf("empty value signed: %v", err)
	}
}

func TestParseNotificationRejects(t *testing.T) {
	tests := map[string]struct{ body, ct string }{
		"too large":            {"a=" + strings.Repeat("x", MaxNotifyBody), ""},
		"json":                 {`{"a":"b"}`, "application/json"},
		"bad content type":     {"a=b", "application/x-www-form-urlencoded; charset"},
		"unknown charset":      {"a=b&charset=latin1", ""},
		"unknown header cs":    {"a=b", "application/x-www-form-urlencoded; charset=big5"},
		"bad escape":           {"a=%zz", ""},
		"truncated escape":     {"a=%4", ""},
		"bad key escape":       {"%=b", ""},
		"empty key":            {"=b", ""},
		"conflicting repeat":   {"a=1&b=2&a=3", ""},
		"conflicting charset":  {"charset=utf-8&charset=gbk", ""},
		"invalid utf-8":        {"a=%ff", ""},
		"invalid utf-8 in key": {"%ff=1", ""},
	}
	for name, tt := range tests {
		if form, err := ParseNotification([]byte(tt.body), tt.ct); !errors.Is(err, ErrNotifyMalformed) {
			t.Errorf("%s: %v, %v", name, form, err)
		}
	}
	form, err := ParseNotification([]byte("a=1&&b=&a=1&c"), "")
	if err != nil || len(form) != 3 || form.Get("a") != "1" || len(form["a"]) != 1 || form.Get("c") != "" {
		t.Errorf("lenient cases: %v, %v", form, err)
	}
	if _, err := ParseNotification([]byte("a="+strings.Repeat("x", MaxNotifyBody-2)), formType); err != nil {
		t.Errorf("body of exactly MaxNotifyBody: %v", err)
	}
}

// FuzzParseNotification feeds arbitrary bodies and content types: no panic,
// errors wrap ErrNotifyMalformed, results are single-valued UTF-8, and a
// UTF-8 result survives being encoded and parsed again. Verify must not
// panic on whatever parses.
func FuzzParseNotification(f *testing.F) {
	keys := testKeys(f)
	f.Add(string(mustReadFile(f, "testdata/alipay-real/notify-trade-status-sync.form")), formType)
	f.Add("passback_params=100%25+off&body=a%2520b&charset=utf-8", "")
	f.Add("charset=GBK&subject=%D3%EF%C8%B8", "application/x-www-form-urlencoded; charset=GBK")
	f.Add("charset=gb18030&subject=%81%30%81%30", "")
	f.Add("a=1&a=2", "")
	f.Add("a=%zz&=&&", "text/plain")
	f.Add("sign=&sign_type=RSA&app_id=1&out_trade_no=K1&total_amount=1e3", "")
	v := &NotifyVerifier{AlipayPublicKey: &keys.alipay.PublicKey, AppID: "1"}
	f.Fuzz(func(t *testing.T, body, ct string) {
		form, err := ParseNotification([]byte(body), ct)
		if err != nil {
			if !errors.Is(err, ErrNotifyMalformed) {
				t.Fatalf("undocumented error: %v", err)
			}
			return
		}
		for k, vs := range form {
			if k == "" || len(vs) != 1 || !validUTF8(k, vs[0]) {
				t.Fatalf("bad field %q = %q", k, vs)
			}
		}
		_, _ = v.Verify(form, fen(1))
		if cs := form.Get("charset"); cs != "" || ct != "" {
			return // re-encoding as UTF-8 would not match the declared charset
		}
		again, err := ParseNotification([]byte(form.Encode()), "")
		if len(form.Encode()) <= MaxNotifyBody && (err != nil || again.Encode() != form.Encode()) {
			t.Fatalf("round trip: %v -> %v, %v", form, again, err)
		}
	})
}

func validUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

func mustReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
