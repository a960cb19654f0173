package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
)

// receiver is a merchant's notify_url: it records every form it gets and
// answers from a script, then "success".
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	forms   []url.Values
	answers []string
}

// newReceiver starts a receiver that answers the given bodies in turn,
// then "success".
func newReceiver(t *testing.T, answers ...string) *receiver {
	rc := &receiver{answers: answers}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			t.Errorf("notification: %s %q: %v", r.Method, r.Header.Get("Content-Type"), err)
		}
		rc.mu.Lock()
		rc.forms = append(rc.forms, r.PostForm)
		answer := "success"
		if len(rc.answers) > 0 {
			answer, rc.answers = rc.answers[0], rc.answers[1:]
		}
		rc.mu.Unlock()
		w.Write([]byte(answer + "\n"))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// received returns the forms received so far.
func (rc *receiver) received() []url.Values {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]url.Values(nil), rc.forms...)
}

// precreateNotify precreates a trade whose notifications go to rc.
func (h *harness) precreateNotify(outTradeNo, amount string, rc *receiver) {
	h.t.Helper()
	got := h.callWith(methodPrecreate, `{"out_trade_no":"`+outTradeNo+`","total_amount":"`+amount+`","subject":"咖啡 a+b"}`,
		url.Values{"notify_url": {rc.srv.URL + "/alipay/notify"}})
	wantCode(h.t, got, "10000", "")
}

// verifyNotification checks form's signature as a merchant does, with the
// Alipay public key over everything but sign and sign_type.
func verifyNotification(t *testing.T, form url.Values) {
	t.Helper()
	if form.Get("sign_type") != "RSA2" {
		t.Errorf("sign_type %q", form.Get("sign_type"))
	}
	content := alipay.NotifySigningString(form)
	if err := alipay.Verify(testKeys(t).AlipayPublic, alipay.RSA2, []byte(content), form.Get("sign")); err != nil {
		t.Errorf("notification does not verify: %v\n%s", err, content)
	}
}

func TestNotificationOnPayment(t *testing.T) {
	rc := newReceiver(t)
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 1e-4 })
	h.precreateNotify("T1", "12.34", rc)
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the notification", func() bool { return len(h.e.Deliveries()) == 1 })
	forms := rc.received()
	if len(forms) != 1 {
		t.Fatalf("received %d notifications", len(forms))
	}
	form := forms[0]
	verifyNotification(t, form)
	tr, _ := h.e.Trade("T1")
	want := map[string]string{
		"notify_type": "trade_status_sync", "charset": "utf-8", "version": "1.0",
		"app_id": DefaultAppID, "auth_app_id": DefaultAppID, "seller_id": DefaultSellerID,
		"trade_no": tr.TradeNo, "out_trade_no": "T1", "trade_status": "TRADE_SUCCESS",
		"total_amount": "12.34", "receipt_amount": "12.34", "buyer_pay_amount": "12.34", "invoice_amount": "12.34",
		"point_amount": "0.00", "buyer_logon_id": tr.BuyerLogonID, "subject": "咖啡 a+b",
		"gmt_create": "2026-11-22 10:30:00", "gmt_payment": "2026-11-22 10:30:00", "notify_time": "2026-11-22 10:30:00",
		"fund_bill_list": `[{"amount":"12.34","fundChannel":"ALIPAYACCOUNT"}]`,
	}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
	if !strings.HasPrefix(form.Get("buyer_id"), "2088") || len(form.Get("notify_id")) < 16 {
		t.Errorf("buyer_id %q notify_id %q", form.Get("buyer_id"), form.Get("notify_id"))
	}
	for k, vs := range form {
		if len(vs) != 1 || vs[0] == "" {
			t.Errorf("parameter %s = %q", k, vs)
		}
		if strings.HasPrefix(k, "refund") || k == "gmt_refund" {
			t.Errorf("payment notification carries %s", k)
		}
	}
	d := h.e.Deliveries()[0]
	if d.OutTradeNo != "T1" || d.URL != rc.srv.URL+"/alipay/notify" || d.Attempt != 1 || d.Answer != "success" || d.Err != "" {
		t.Errorf("delivery %+v", d)
	}

	// Paying again changes nothing and sends nothing.
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	h.e.Close()
	if n := len(rc.received()); n != 1 {
		t.Errorf("received %d notifications after a second Pay", n)
	}
}

func TestNotificationOnFullRefund(t *testing.T) {
	rc := newReceiver(t)
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 1e-4 })
	h.precreateNotify("T1", "10.00", rc)
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payment notification", func() bool { return len(rc.received()) == 1 })
	h.refund("T1", "4.00", "R1") // partial: no notification
	h.refund("T1", "6.00", "R2")
	waitFor(t, "the refund notification", func() bool { return len(rc.received()) == 2 })
	h.e.Close()
	if n := len(rc.received()); n != 2 {
		t.Fatalf("received %d notifications", n)
	}
	form := rc.received()[1]
	verifyNotification(t, form)
	want := map[string]string{"trade_status": "TRADE_CLOSED", "refund_fee": "10.00", "out_biz_no": "R2",
		"gmt_refund": "2026-11-22 10:30:00.000", "gmt_close": "2026-11-22 10:30:00", "total_amount": "10.00"}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
}

func TestNotificationOnCancelAfterPayment(t *testing.T) {
	rc := newReceiver(t)
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 1e-4 })
	h.precreateNotify("T1", "10.00", rc)
	h.precreateNotify("T2", "10.00", rc)
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	h.cancel("T1")
	h.cancel("T2") // unpaid: no notification
	waitFor(t, "two notifications", func() bool { return len(rc.received()) == 2 })
	h.e.Close()
	statuses := map[string]string{}
	for _, f := range rc.received() {
		verifyNotification(t, f)
		statuses[f.Get("trade_status")] = f.Get("refund_fee") + "|" + f.Get("out_biz_no")
	}
	if len(statuses) != 2 || statuses["TRADE_CLOSED"] != "10.00|" || statuses["TRADE_SUCCESS"] != "|" {
		t.Errorf("notifications: %v", statuses)
	}
}

func TestNotificationResendSchedule(t *testing.T) {
	const scale = 1e-4
	rc := newReceiver(t, "fail", "FAIL")
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = scale })
	h.precreateNotify("T1", "1.00", rc)
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a successful delivery", func() bool {
		d := h.e.Deliveries()
		return len(d) > 0 && d[len(d)-1].Err == ""
	})
	h.e.Close() // waits for the delivery goroutine: no attempt can follow
	d := h.e.Deliveries()
	if len(d) != 3 || len(rc.received()) != 3 {
		t.Fatalf("%d attempts recorded, %d received, want 3: %+v", len(d), len(rc.received()), d)
	}
	for i, want := range []string{"fail", "FAIL", "success"} {
		if d[i].Attempt != i+1 || d[i].Answer != want || (d[i].Err == "") != (want == "success") {
			t.Errorf("attempt %d: %+v", i+1, d[i])
		}
	}
	gap1, gap2 := d[1].At.Sub(d[0].At), d[2].At.Sub(d[1].At)
	if min := time.Duration(4 * float64(time.Minute) * scale); gap1 < min {
		t.Errorf("first resend after %v, want at least %v", gap1, min)
	}
	// Only lower bounds: a timer never fires early, but on a loaded machine
	// any wait can run long, so the first gap may outlast the second.
	if min := time.Duration(10 * float64(time.Minute) * scale); gap2 < min {
		t.Errorf("second resend after %v, want at least %v", gap2, min)
	}
	// Every attempt is the same message.
	forms := rc.received()
	if forms[0].Encode() != forms[2].Encode() {
		t.Error("a resend differs from the first attempt")
	}
}

func TestCloseStopsResends(t *testing.T) {
	rc := newReceiver(t, "fail", "fail", "fail", "fail")
	// The first resend waits 400 minutes: a Close that waited for it, or
	// left its goroutine behind (Close waits for them all), would hang the
	// test until go test's timeout, so no clock is read here.
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 100 })
	h.precreateNotify("T1", "1.00", rc)
	h.precreateNotify("T2", "1.00", rc)
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first attempt", func() bool { return len(h.e.Deliveries()) == 1 })
	h.e.Close()
	if err := h.e.Pay("T2"); err != nil { // the gateway and buyer still work
		t.Fatal(err)
	}
	h.e.Close() // a second Close is harmless
	if d, n := h.e.Deliveries(), len(rc.received()); len(d) != 1 || n != 1 {
		t.Errorf("after Close: %d deliveries, %d received: %+v", len(d), n, d)
	}
}

func TestServerCloseStopsResends(t *testing.T) {
	rc := newReceiver(t, "fail", "fail", "fail")
	s := startServer(t, func(c *Config) { c.NotifyScale = 1e-3 })
	c := newClient(t, s)
	ctx := t.Context()
	if _, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s",
		NotifyURL: rc.srv.URL}); err != nil {
		t.Fatal(err)
	}
	if err := s.Pay("K1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first attempt", func() bool { return len(s.Deliveries()) == 1 })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Deliveries()); n != 1 {
		t.Errorf("%d attempts after Close", n)
	}
}

func TestNotificationFailures(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 1e-6 })
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	status := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "success", http.StatusInternalServerError)
	}))
	defer status.Close()
	for no, u := range map[string]string{"DOWN": down.URL, "STATUS": status.URL, "BADURL": "ftp://example.com/n"} {
		got := h.callWith(methodPrecreate, `{"out_trade_no":"`+no+`","total_amount":"1.00","subject":"s"}`, url.Values{"notify_url": {u}})
		wantCode(t, got, "10000", "")
		if err := h.e.Pay(no); err != nil {
			t.Fatal(err)
		}
	}
	// Eight attempts each for the two usable URLs, none for the ftp one.
	waitFor(t, "16 attempts", func() bool { return len(h.e.Deliveries()) == 16 })
	h.e.Close()
	for _, d := range h.e.Deliveries() {
		switch {
		case d.Err == "":
			t.Errorf("attempt counted as delivered: %+v", d)
		case d.OutTradeNo == "STATUS" && d.Err != "HTTP 500":
			t.Errorf("non-2xx answer: %+v", d)
		case d.OutTradeNo == "BADURL":
			t.Errorf("notification to an ftp URL: %+v", d)
		}
	}
}

func TestNewRejectsNegativeNotifyScale(t *testing.T) {
	cfg := testConfig(t)
	cfg.NotifyScale = -1
	if _, err := New(cfg); err == nil {
		t.Error("New accepted NotifyScale -1")
	}
}

// TestDeliveriesOfOneTrade: DeliveriesOf returns the attempts of the trade
// named, and none of another's.
func TestDeliveriesOfOneTrade(t *testing.T) {
	rc := newReceiver(t)
	h := newHarnessWith(t, func(c *Config) { c.NotifyScale = 1e-4 })
	for _, no := range []string{"T1", "T2"} {
		h.precreateNotify(no, "1.00", rc)
		if err := h.e.Pay(no); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "both notifications", func() bool { return len(h.e.Deliveries()) == 2 })
	for _, no := range []string{"T1", "T2"} {
		if d := h.e.DeliveriesOf(no); len(d) != 1 || d[0].OutTradeNo != no || d[0].Err != "" {
			t.Errorf("DeliveriesOf(%s) = %+v, want its one delivery", no, d)
		}
	}
	if d := h.e.DeliveriesOf("T3"); len(d) != 0 {
		t.Errorf("DeliveriesOf a trade never notified = %+v, want none", d)
	}
}
