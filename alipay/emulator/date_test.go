package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestAnswersCarryTheEmulatorsClock: the Date header of every answer is
// the emulator's own clock, as Alipay's is its own, so that a test can
// play a gateway whose clock differs from the kiosk's (kiosk doctor).
func TestAnswersCarryTheEmulatorsClock(t *testing.T) {
	keys := testKeys(t)
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	e, err := New(Config{AppPublicKey: keys.AppPublic, AlipayPrivateKey: keys.AlipayPrivate, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, path := range []string{"/gateway.do", "/v3/alipay/trade/query", "/"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := rec.Header().Get("Date"); got != "Sun, 22 Nov 2026 10:00:00 GMT" {
			t.Errorf("%s: Date %q", path, got)
		}
	}
}
