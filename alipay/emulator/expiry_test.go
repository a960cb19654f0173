package emulator

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
)

func TestQRExpiry(t *testing.T) {
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, alipay.Location())
	tests := []struct {
		express string
		want    time.Time
	}{
		{"", testNow.Add(2 * time.Hour)},
		{"5m", testNow.Add(5 * time.Minute)},
		{"90m", testNow.Add(90 * time.Minute)},
		{"2h", testNow.Add(2 * time.Hour)},
		{"1d", testNow.Add(24 * time.Hour)},
		{"15d", testNow.Add(15 * 24 * time.Hour)},
		{"360h", testNow.Add(360 * time.Hour)},
		{"1c", midnight},
	}
	for _, tc := range tests {
		got, err := qrExpiry(tc.express, testNow)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("qrExpiry(%q) = %v, %v; want %v", tc.express, got, err, tc.want)
		}
	}
	// "1c" just before midnight UTC+8 still means that day's end.
	late := time.Date(2026, 11, 22, 23, 59, 0, 0, alipay.Location())
	if got, _ := qrExpiry("1c", late.UTC()); !got.Equal(midnight) {
		t.Errorf("1c at %v = %v", late, got)
	}
	for _, bad := range []string{"0m", "16d", "361h", "21601m", "5s", "m", "1x", "2c", "-5m", "+5m", "1.5h", "5 m"} {
		if _, err := qrExpiry(bad, testNow); err == nil {
			t.Errorf("qrExpiry(%q) accepted", bad)
		}
	}
}

func TestExpiredQRCode(t *testing.T) {
	clock := newTestClock()
	h := newHarnessWith(t, func(c *Config) { c.Now = clock.Now })
	biz := func(no, express string) string {
		return `{"out_trade_no":"` + no + `","total_amount":"1.00","subject":"s","qr_code_timeout_express":"` + express + `"}`
	}
	wantCode(t, h.call(methodPrecreate, biz("T1", "5m")), "10000", "")
	qr := h.call(methodPrecreate, biz("T1", "5m"))["qr_code"]
	wantCode(t, h.call(methodPrecreate, biz("T2", "5m")), "10000", "")
	wantCode(t, h.call(methodPrecreate, biz("T3", "5m")), "10000", "")
	if err := h.e.Scan("T3"); err != nil { // scanned in time: no longer subject to the QR timeout
		t.Fatal(err)
	}
	wantCode(t, h.call(methodPrecreate, biz("BAD", "5s")), "40002", "isv.invalid-parameter")

	clock.Advance(5*time.Minute - time.Second)
	if err := h.e.Scan("T2"); err != nil {
		t.Fatalf("Scan a second before expiry: %v", err)
	}
	if tr, _ := h.e.Trade("T1"); !tr.QRExpiresAt.Equal(testNow.Add(5 * time.Minute)) {
		t.Errorf("QRExpiresAt %v", tr.QRExpiresAt)
	}
	clock.Advance(time.Second)

	err := h.e.Pay("T1")
	if !errors.Is(err, ErrExpired) || !errors.Is(err, ErrTradeClosed) {
		t.Errorf("Pay after expiry: %v", err)
	}
	if page := h.get(qr, http.StatusOK); !strings.Contains(page, "expired") || strings.Contains(page, "<button") {
		t.Errorf("buyer page after expiry:\n%s", page)
	}
	resp := h.postBuyer(qr+"/pay", "*/*")
	if resp.Header.Get(errorHeader) != string(RefusedQRExpired) {
		t.Errorf("%s: %q", errorHeader, resp.Header.Get(errorHeader))
	}
	readBody(t, resp, http.StatusConflict)
	if _, err := PayRemote(t.Context(), h.srv.URL, "T1"); !errors.Is(err, ErrExpired) || !errors.Is(err, ErrTradeClosed) {
		t.Errorf("PayRemote after expiry: %v", err)
	} else if r, _ := RefusalOf(err); r != RefusedQRExpired {
		t.Errorf("PayRemote after expiry: refusal %q", r)
	}
	wantCode(t, h.query("T1"), "40004", "ACQ.TRADE_NOT_EXIST")
	wantCode(t, h.call(methodPrecreate, biz("T1", "5m")), "40004", "ACQ.TRADE_HAS_CLOSE")
	if page := h.get(h.srv.URL+"/", http.StatusOK); !strings.Contains(page, "(QR expired)") {
		t.Errorf("index does not mark the expired code:\n%s", page)
	}

	// Scanned trades can still be paid.
	for _, no := range []string{"T2", "T3"} {
		if err := h.e.Pay(no); err != nil {
			t.Errorf("Pay %s: %v", no, err)
		}
	}
	// A cancel closes the expired trade for good.
	if got := h.cancel("T1"); got["action"] != "close" {
		t.Errorf("cancel: %v", got)
	}
	if _, err := PayRemote(t.Context(), h.srv.URL, "T1"); errors.Is(err, ErrExpired) || !errors.Is(err, ErrTradeClosed) {
		t.Errorf("PayRemote after cancel: %v", err)
	}
}

func TestDefaultQRTimeout(t *testing.T) {
	clock := newTestClock()
	h := newHarnessWith(t, func(c *Config) { c.Now = clock.Now })
	h.precreate("T1", "1.00")
	clock.Advance(2 * time.Hour)
	if err := h.e.Scan("T1"); !errors.Is(err, ErrExpired) {
		t.Errorf("Scan after two hours: %v", err)
	}
}
