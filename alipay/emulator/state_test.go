package emulator

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stateHarness starts an emulator keeping its trades in path.
func stateHarness(t *testing.T, path string, clock *testClock) *harness {
	t.Helper()
	return newHarnessWith(t, func(c *Config) {
		c.StatePath = path
		c.Now = clock.Now
		c.NotifyScale = 1e-4
	})
}

func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "emulator-state.json")
	clock := newTestClock()
	rc := newReceiver(t)

	h := stateHarness(t, path, clock)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("New wrote a state file before any change: %v", err)
	}
	h.precreateNotify("PAID", "10.00", rc)
	if err := h.e.Pay("PAID"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	h.refund("PAID", "2.50", "R1")
	h.callWith(methodPrecreate, `{"out_trade_no":"WAITING","total_amount":"3.00","subject":"Tea","store_id":"S1","terminal_id":"K01"}`,
		url.Values{"notify_url": {rc.srv.URL}})
	if err := h.e.Scan("WAITING"); err != nil {
		t.Fatal(err)
	}
	qr := h.precreate("FRESH", "1.00")
	h.precreate("CLOSED", "1.00")
	h.cancel("CLOSED")
	before := h.e.Trades()
	waitingQuery := h.query("WAITING")
	h.e.Close()

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("state file mode %v, want 0600", perm)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// A restart: a new emulator (and a new address) on the same file.
	h2 := stateHarness(t, path, clock)
	after := h2.e.Trades()
	if len(after) != len(before) {
		t.Fatalf("%d trades after the restart, want %d", len(after), len(before))
	}
	for i := range before {
		if !sameTrade(before[i], after[i]) {
			t.Errorf("trade %d:\nbefore %+v\nafter  %+v", i, before[i], after[i])
		}
	}
	if got := h2.query("WAITING"); !equalMaps(got, waitingQuery) {
		t.Errorf("query after the restart:\n%v\nwant\n%v", got, waitingQuery)
	}
	// The kept QR token still works, under the new address.
	token := strings.TrimPrefix(qr, h.srv.URL)
	if again := h2.precreate("FRESH", "1.00"); again != h2.srv.URL+token {
		t.Errorf("repeat precreate after the restart: %q, want %q", again, h2.srv.URL+token)
	}
	if page := h2.get(h2.srv.URL+token, http.StatusOK); !strings.Contains(page, "FRESH") {
		t.Errorf("QR page after the restart:\n%s", page)
	}
	// notify_url was kept too.
	if err := h2.e.Pay("WAITING"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the notification after the restart", func() bool {
		for _, f := range rc.received() {
			if f.Get("out_trade_no") == "WAITING" {
				return true
			}
		}
		return false
	})
	// Refund idempotency survives the restart.
	if got := h2.refund("PAID", "2.50", "R1"); got["fund_change"] != "N" || got["refund_fee"] != "2.50" {
		t.Errorf("repeat refund after the restart: %v", got)
	}
}

// sameTrade compares snapshots, times by instant (JSON keeps the offset,
// not the *time.Location).
func sameTrade(a, b Trade) bool {
	if len(a.Refunds) != len(b.Refunds) {
		return false
	}
	for i := range a.Refunds {
		ra, rb := a.Refunds[i], b.Refunds[i]
		if ra.OutRequestNo != rb.OutRequestNo || ra.Fen != rb.Fen || !ra.At.Equal(rb.At) {
			return false
		}
	}
	return a.OutTradeNo == b.OutTradeNo && a.TradeNo == b.TradeNo && a.Subject == b.Subject &&
		a.BuyerLogonID == b.BuyerLogonID && a.TotalFen == b.TotalFen && a.Status == b.Status &&
		a.Refunded == b.Refunded && a.CreatedAt.Equal(b.CreatedAt) && a.PaidAt.Equal(b.PaidAt) &&
		a.QRExpiresAt.Equal(b.QRExpiresAt) && a.Scene == b.Scene && a.AuthCode == b.AuthCode
}

// equalMaps compares two decoded responses.
func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestStateRefusesCorruptFile(t *testing.T) {
	valid := `{"version":1,"trades":[{"out_trade_no":"T1","subject":"s","total_fen":100,"status":"PRECREATED",` +
		`"created_at":"2026-11-22T10:30:00+08:00","token":"tok1"}]}`
	tests := []struct {
		name, content, want string
	}{
		{"not json", `{"version":1,"trades":[`, "unexpected EOF"},
		{"garbage", "\x00\x01binary", "invalid character"},
		{"empty", "", "EOF"},
		{"two documents", valid + valid, "data after the JSON document"},
		{"version", `{"version":2,"trades":[]}`, "version 2, want 1"},
		{"unknown field", `{"version":1,"trades":[],"extra":1}`, "unknown field"},
		{"duplicate", strings.Replace(valid, `}]}`, `},`+valid[strings.Index(valid, `{"out_trade_no"`):], 1), "T1 appears twice"},
		{"bad status", strings.Replace(valid, "PRECREATED", "PAID", 1), `unknown status "PAID"`},
		{"status without trade_no", strings.Replace(valid, "PRECREATED", "TRADE_SUCCESS", 1), "status TRADE_SUCCESS with trade_no"},
		{"no token", strings.Replace(valid, `"tok1"`, `""`, 1), "no QR token"},
		{"amount", strings.Replace(valid, `"total_fen":100`, `"total_fen":0`, 1), "total 0 fen"},
		{"over-refunded", strings.Replace(valid, `"token":"tok1"`, `"token":"tok1","refunds":[{"fen":200,"at":"2026-11-22T10:30:00+08:00"}]`, 1),
			"refunds of 200 fen exceed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := testConfig(t)
			cfg.StatePath = path
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) ||
				!strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("New: %v, want an error naming %s and containing %q", err, path, tc.want)
			}
			if data, _ := os.ReadFile(path); string(data) != tc.content {
				t.Error("the corrupt file was changed")
			}
		})
	}
	// The valid base loads.
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.StatePath = path
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tr, ok := e.Trade("T1"); !ok || tr.Status != StatusPrecreated || tr.TotalFen != 100 {
		t.Errorf("loaded %+v, %v", tr, ok)
	}
}

func TestStateUnreadable(t *testing.T) {
	cfg := testConfig(t)
	cfg.StatePath = t.TempDir() // a directory, not a file
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "emulator state") {
		t.Errorf("New with a directory as state file: %v", err)
	}
}

func TestStateSaveFailureKeepsServing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "state.json")
	h := stateHarness(t, path, newTestClock())
	h.precreate("T1", "1.00") // the save fails: logged, not fatal
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	if q := h.query("T1"); q["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("query: %v", q)
	}
}
