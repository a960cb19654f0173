package pos

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"kiosk/alipay"
	"kiosk/store"
)

var (
	alipayKeyOnce sync.Once
	alipayKey     *rsa.PrivateKey
)

// testAlipayKey stands in for Alipay's key pair; one per test binary.
func testAlipayKey(t testing.TB) *rsa.PrivateKey {
	alipayKeyOnce.Do(func() {
		var err error
		if alipayKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
	})
	return alipayKey
}

const (
	testAppID    = "2021000000000001"
	testSellerID = "2088000000000001"
)

func newNotifyFixture(t testing.TB) *fixture {
	f := newFixture(t)
	v := &alipay.NotifyVerifier{AlipayPublicKey: &testAlipayKey(t).PublicKey, AppID: testAppID, SellerID: testSellerID}
	var err error
	f.reg, err = New(Config{TerminalID: "T-01", SellerID: testSellerID}, f.gw, f.ledger, WithClock(f.clock), WithNotifications(v))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// notification is what Alipay posts when sale is paid, signed by key.
func notification(t *testing.T, key *rsa.PrivateKey, sale Sale, change func(url.Values)) url.Values {
	t.Helper()
	form := url.Values{
		"notify_time": {"2026-11-22 10:00:31"}, "notify_type": {"trade_status_sync"}, "notify_id": {"n1"},
		"charset": {"utf-8"}, "version": {"1.0"}, "app_id": {testAppID}, "seller_id": {testSellerID},
		"out_trade_no": {sale.OutTradeNo}, "trade_no": {"2026112222001400001234567890"},
		"trade_status": {"TRADE_SUCCESS"}, "total_amount": {alipay.FormatAmount(sale.AmountFen)},
		"buyer_logon_id": {"159******88"}, "gmt_payment": {"2026-11-22 10:00:30"},
	}
	if change != nil {
		change(form)
	}
	signed, err := alipay.SignNotification(key, alipay.RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestNotificationRecordsPaymentOnce: a verified notification is recorded
// in one commit and announced with the receipt the ledger issued, without
// a query; Alipay's resends, and a poll that finds the payment after it,
// change nothing and commit nothing.
func TestNotificationRecordsPaymentOnce(t *testing.T) {
	f := newNotifyFixture(t)
	sale := f.start(t, 1234)
	form := notification(t, testAlipayKey(t), sale, nil)
	commits := f.ledger.Commits()
	for range 3 { // Alipay resends; duplicates are harmless
		if err := f.reg.HandleNotification(form); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.ledger.Commits() - commits; n != 1 {
		t.Errorf("three copies of one notification made %d commits, want 1", n)
	}
	if n := f.gw.count("query"); n != 0 {
		t.Errorf("a verified notification sent %d queries, want none", n)
	}
	s, _ := f.ledger.Get(sale.OutTradeNo)
	if s.Status != store.StatusPaid || s.ReceiptNo != 1 || s.TradeNo != "2026112222001400001234567890" {
		t.Errorf("ledger after notification: %+v", s)
	}
	want := Notice{OutTradeNo: sale.OutTradeNo, Paid: true, Receipt: receiptOf(s)}
	if got := <-f.reg.Notified(); !got.Paid || got.Receipt.ReceiptNo != 1 || !got.Receipt.PaidAt.Equal(s.PaidAt) ||
		got.Receipt.TradeNo != want.Receipt.TradeNo || got.Receipt.AmountFen != 1234 || got.OutTradeNo != want.OutTradeNo {
		t.Errorf("announced %+v, want %+v", got, want)
	}
	select {
	case again := <-f.reg.Notified():
		t.Errorf("a duplicate notification was announced again: %+v", again)
	default:
	}
	// A poll racing with the notification finds the same receipt, and
	// writes nothing.
	f.gw.QueryFn = status(alipay.TradeSuccess, 1234)
	commits = f.ledger.Commits()
	res, err := f.reg.Poll(context.Background(), sale)
	if err != nil || res.Receipt.ReceiptNo != 1 {
		t.Errorf("poll after notification: %+v, %v", res, err)
	}
	if n := f.ledger.Commits() - commits; n != 0 {
		t.Errorf("a poll that found the payment recorded made %d commits, want none", n)
	}
}

func TestForgedOrMismatchedNotificationChangesNothing(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 1024) // a forger's key; small is fine here
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  func(testing.TB) *rsa.PrivateKey
		edit func(url.Values)
		want error
	}{
		{"signed by someone else", func(testing.TB) *rsa.PrivateKey { return other }, nil, alipay.ErrBadSignature},
		{"amount differs", testAlipayKey, func(f url.Values) { f.Set("total_amount", "0.01") }, alipay.ErrNotifyMismatch},
		{"another app", testAlipayKey, func(f url.Values) { f.Set("app_id", "2021999999999999") }, alipay.ErrNotifyMismatch},
		{"another seller", testAlipayKey, func(f url.Values) { f.Set("seller_id", "2088999999999999") }, alipay.ErrNotifyMismatch},
		{"unknown sale", testAlipayKey, func(f url.Values) { f.Set("out_trade_no", "NOT_OURS") }, alipay.ErrNotifyUnknownTrade},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newNotifyFixture(t)
			sale := f.start(t, 1234)
			err := f.reg.HandleNotification(notification(t, tt.key(t), sale, tt.edit))
			if !errors.Is(err, tt.want) {
				t.Errorf("HandleNotification = %v, want %v", err, tt.want)
			}
			if s := f.status(t, sale.OutTradeNo); s != store.StatusPending {
				t.Errorf("ledger status = %q after a refused notification", s)
			}
		})
	}
}

func TestNotifyHandlerAnswers(t *testing.T) {
	f := newNotifyFixture(t)
	sale := f.start(t, 500)
	srv := httptest.NewServer(f.reg.NotifyHandler())
	defer srv.Close()
	good := notification(t, testAlipayKey(t), sale, nil).Encode()
	tests := []struct {
		name, method, body, want string
	}{
		{"verified", http.MethodPost, good, "success"},
		{"duplicate", http.MethodPost, good, "success"},
		{"tampered", http.MethodPost, strings.Replace(good, "total_amount=5.00", "total_amount=0.05", 1), "fail"},
		{"garbage", http.MethodPost, "%%%\x00&&==", "fail"},
		{"huge", http.MethodPost, strings.Repeat("a=b&", 40000), "fail"},
		{"GET", http.MethodGet, "", "fail\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != tt.want {
				t.Errorf("answer %q, want %q", body, tt.want)
			}
		})
	}
	if s := f.status(t, sale.OutTradeNo); s != store.StatusPaid {
		t.Errorf("ledger status = %q", s)
	}
}

// FuzzNotifyHandler feeds the listener arbitrary bodies: it must answer
// without panicking, and never record a payment on an unsigned body.
func FuzzNotifyHandler(f *testing.F) {
	f.Add("a=b")
	f.Add("sign=x&sign_type=RSA2&out_trade_no=K1&total_amount=1.00&trade_status=TRADE_SUCCESS")
	f.Add("%zz=%")
	f.Add("charset=gbk&subject=%D3%EF")
	handler := newNotifyFixture(f).reg.NotifyHandler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/alipay/notify", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Body.String() != "fail" {
			t.Fatalf("an unsigned body was answered %q", rec.Body.String())
		}
	})
}
