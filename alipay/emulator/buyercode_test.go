package emulator

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/alipay"
)

const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// payCode charges code for 12.34 under outTradeNo in v2 and returns the
// verified answer.
func (h *harness) payCode(outTradeNo, code string) map[string]string {
	h.t.Helper()
	return h.call(alipay.MethodPay, `{"out_trade_no":"`+outTradeNo+`","scene":"bar_code","auth_code":"`+code+`","subject":"Tea","total_amount":"12.34"}`)
}

// TestBuyerCodeEndpoints: a code issued over HTTP, charged by the kiosk,
// then confirmed on the buyer's page, as a person at the counter does it.
func TestBuyerCodeEndpoints(t *testing.T) {
	h := newHarness(t)
	code := strings.TrimSpace(string(readBody(t, h.postBuyer(h.srv.URL+"/buyer-code?kind=confirm", ""), http.StatusOK)))
	if bc, ok := h.e.BuyerCodeInfo(code); !ok || bc.Kind != BuyerCodeConfirm {
		t.Fatalf("POST /buyer-code answered %q: %+v", code, bc)
	}
	page := h.get(h.srv.URL+"/buyer-code/"+code, http.StatusOK)
	if !strings.Contains(page, code) || !strings.Contains(page, "Show this code to the cashier") || strings.Contains(page, "<button") {
		t.Errorf("page of an unused code:\n%s", page)
	}
	readBody(t, h.postBuyer(h.srv.URL+"/buyer-code/"+code+"/confirm", ""), http.StatusConflict) // nothing to confirm yet

	wantCode(t, h.payCode("K1", code), "10003", "")
	page = h.get(h.srv.URL+"/buyer-code/"+code, http.StatusOK)
	if !strings.Contains(page, `action="/buyer-code/`+code+`/confirm"`) || !strings.Contains(page, "Confirm ¥12.34") ||
		!strings.Contains(page, "K1") {
		t.Errorf("page of a waiting code:\n%s", page)
	}
	resp := h.postBuyer(h.srv.URL+"/buyer-code/"+code+"/confirm", browser)
	readBody(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/buyer-code/"+code {
		t.Errorf("confirm redirects to %q", loc)
	}
	if got := h.query("K1"); got["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after the confirmation: %v", got)
	}
	if page := h.get(h.srv.URL+"/buyer-code/"+code, http.StatusOK); !strings.Contains(page, "Paid") || strings.Contains(page, "<button") {
		t.Errorf("page of a paid code:\n%s", page)
	}
	if text := readBody(t, h.postBuyer(h.srv.URL+"/buyer-code/"+code+"/confirm", ""), http.StatusOK); string(text) != `{"result":"paid","out_trade_no":"K1","total_amount":"12.34","trade_status":"TRADE_SUCCESS"}`+"\n" {
		t.Errorf("a second confirm answered %q", text)
	}

	// A browser issuing a code lands on its page.
	resp = h.postBuyer(h.srv.URL+"/buyer-code?kind=insufficient", browser)
	readBody(t, resp, http.StatusSeeOther)
	refused := strings.TrimPrefix(resp.Header.Get("Location"), "/buyer-code/")
	wantCode(t, h.payCode("K2", refused), "40004", alipay.SubCodeBuyerBalanceNotEnough)
	if page := h.get(h.srv.URL+"/buyer-code/"+refused, http.StatusOK); !strings.Contains(page, "Refused: 买家余额不足") {
		t.Errorf("page of a refused code:\n%s", page)
	}

	readBody(t, h.postBuyer(h.srv.URL+"/buyer-code?kind=rich", ""), http.StatusBadRequest)
	resp = h.postBuyer(h.srv.URL+"/buyer-code/281234567890123456/confirm", "")
	readBody(t, resp, http.StatusNotFound)
	if resp.Header.Get(errorHeader) != string(RefusedNoSuchCode) {
		t.Errorf("unknown code: %s %q", errorHeader, resp.Header.Get(errorHeader))
	}
	h.get(h.srv.URL+"/buyer-code/281234567890123456", http.StatusNotFound)
	if code := strings.TrimSpace(string(readBody(t, h.postBuyer(h.srv.URL+"/buyer-code", ""), http.StatusOK))); !h.kindIs(code, BuyerCodePay) {
		t.Errorf("POST /buyer-code without a kind issued %q", code)
	}
}

// kindIs reports whether code was issued with kind.
func (h *harness) kindIs(code string, kind BuyerCodeKind) bool {
	bc, ok := h.e.BuyerCodeInfo(code)
	return ok && bc.Kind == kind
}

// TestBuyerCodeRemote: the Go calls a command-line tool makes.
func TestBuyerCodeRemote(t *testing.T) {
	s := startServer(t, func(*Config) {})
	c := newClient(t, s)
	ctx := t.Context()
	for _, kind := range BuyerCodeKinds() {
		code, err := IssueBuyerCodeRemote(ctx, s.URL+"/", kind)
		if err != nil || !alipay.IsPaymentCode(code) {
			t.Fatalf("IssueBuyerCodeRemote(%s) = %q, %v", kind, code, err)
		}
		if bc, _ := s.BuyerCodeInfo(code); bc.Kind != kind {
			t.Errorf("issued %+v, want kind %s", bc, kind)
		}
	}
	code, err := IssueBuyerCodeRemote(ctx, s.URL, BuyerCodeConfirm)
	if err != nil {
		t.Fatal(err)
	}
	if err := ConfirmBuyerCodeRemote(ctx, s.URL, code); !errors.Is(err, ErrNothingToConfirm) || errors.Is(err, ErrTradeClosed) {
		t.Errorf("confirm before the charge: %v", err)
	}
	if _, err := c.Pay(ctx, payRequest("K1", code)); !alipay.IsWaitingForBuyer(err) {
		t.Fatalf("Pay: %v", err)
	}
	if err := ConfirmBuyerCodeRemote(ctx, s.URL, code); err != nil {
		t.Fatalf("ConfirmBuyerCodeRemote: %v", err)
	}
	if q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"}); err != nil || !q.TradeStatus.Paid() {
		t.Errorf("query after the remote confirmation: %+v, %v", q, err)
	}
	err = ConfirmBuyerCodeRemote(ctx, s.URL, "281234567890123456")
	if !errors.Is(err, ErrNoSuchCode) || errors.Is(err, ErrNoSuchTrade) || !strings.Contains(err.Error(), s.URL) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := IssueBuyerCodeRemote(ctx, s.URL, "rich"); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("unknown kind: %v", err)
	}
	// PayRemote still tells an unknown trade apart.
	if _, err := PayRemote(ctx, s.URL, "NOPE"); !errors.Is(err, ErrNoSuchTrade) || errors.Is(err, ErrNoSuchCode) {
		t.Errorf("PayRemote of an unknown trade: %v", err)
	}
}

// TestConfirmThroughTradePage: a waiting barcode trade is linked from
// the index to its buyer page, whose Pay button confirms it too.
func TestConfirmThroughTradePage(t *testing.T) {
	h := newHarness(t)
	code := issue(t, h.e, BuyerCodeConfirm)
	wantCode(t, h.payCode("K1", code), "10003", "")
	index := h.get(h.srv.URL+"/", http.StatusOK)
	if !strings.Contains(index, `<span title="WAIT_BUYER_PAY">waiting for payment</span> · payment code`) || !strings.Contains(index, code) {
		t.Errorf("index:\n%s", index)
	}
	h.e.mu.Lock()
	token := h.e.trades.byOutTradeNo["K1"].token
	h.e.mu.Unlock()
	readBody(t, h.postBuyer(h.srv.URL+"/qr/"+token+"/pay", ""), http.StatusOK)
	if got := h.query("K1"); got["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after paying on the trade page: %v", got)
	}
	for _, kind := range BuyerCodeKinds() {
		if !strings.Contains(index, `action="/buyer-code?kind=`+string(kind)+`"`) {
			t.Errorf("index has no button for %s", kind)
		}
	}
}

// TestBuyerCodesPersist: with a state file, issued codes and what became
// of them survive a restart: an unused code still pays, a used one is
// still refused, a waiting charge can still be confirmed.
func TestBuyerCodesPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clock := newTestClock()
	h := stateHarness(t, path, clock)
	unused := issue(t, h.e, BuyerCodePay)
	used := issue(t, h.e, BuyerCodeInsufficient)
	waiting := issue(t, h.e, BuyerCodeConfirm)
	wantCode(t, h.payCode("REFUSED", used), "40004", alipay.SubCodeBuyerBalanceNotEnough)
	wantCode(t, h.payCode("WAIT", waiting), "10003", "")
	codes, before := h.e.BuyerCodes(), h.e.Trades()
	h.e.Close()

	h = stateHarness(t, path, clock)
	if got := h.e.BuyerCodes(); len(got) != len(codes) {
		t.Fatalf("codes after the restart: %+v, want %+v", got, codes)
	} else {
		for i := range got {
			a, b := got[i], codes[i]
			if a.Code != b.Code || a.Kind != b.Kind || a.OutTradeNo != b.OutTradeNo || !a.IssuedAt.Equal(b.IssuedAt) || !a.UsedAt.Equal(b.UsedAt) {
				t.Errorf("code %d: %+v, was %+v", i, a, b)
			}
		}
	}
	if after := h.e.Trades(); len(after) != 1 || !sameTrade(after[0], before[0]) || after[0].Scene != alipay.SceneBarCode {
		t.Errorf("trades after the restart: %+v, were %+v", after, before)
	}
	wantCode(t, h.payCode("REFUSED2", used), "40004", alipay.SubCodePaymentAuthCodeInvalid)
	if err := h.e.ConfirmBuyerCode(waiting); err != nil {
		t.Errorf("confirm after the restart: %v", err)
	}
	wantCode(t, h.payCode("PAID", unused), "10000", "")
}

func TestStateRefusesBadBuyerCodes(t *testing.T) {
	for name, codes := range map[string]string{
		"not a code":   `[{"code":"12345","kind":"pay","issued_at":"2026-11-22T10:30:00+08:00"}]`,
		"unknown kind": `[{"code":"281234567890123456","kind":"rich","issued_at":"2026-11-22T10:30:00+08:00"}]`,
		"twice": `[{"code":"281234567890123456","kind":"pay","issued_at":"2026-11-22T10:30:00+08:00"},` +
			`{"code":"281234567890123456","kind":"pay","issued_at":"2026-11-22T10:30:00+08:00"}]`,
		"used without a trade": `[{"code":"281234567890123456","kind":"pay","issued_at":"2026-11-22T10:30:00+08:00",` +
			`"used_at":"2026-11-22T10:31:00+08:00"}]`,
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(`{"version":1,"trades":[],"buyer_codes":`+codes+`}`), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := testConfig(t)
		cfg.StatePath = path
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "corrupt") {
			t.Errorf("%s: New = %v", name, err)
		}
	}
}
