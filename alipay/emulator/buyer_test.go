package emulator

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestQRPage(t *testing.T) {
	h := newHarness(t)
	qr := h.precreate("T1", "12.34")
	page := h.get(qr, http.StatusOK)
	token := strings.TrimPrefix(qr, h.srv.URL+"/qr/")
	for _, want := range []string{"Test Shop", "Coffee", "¥12.34", "T1", `action="/qr/` + token + `/pay"`,
		`action="/qr/` + token + `/decline"`, `name="viewport"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Paid") {
		t.Error("unpaid page says Paid")
	}
	h.get(h.srv.URL+"/qr/nosuchtoken", http.StatusNotFound)
}

func TestQRPageEscapes(t *testing.T) {
	h := newHarness(t)
	h.call(methodPrecreate, `{"out_trade_no":"T1","total_amount":"1.00","subject":"<script>alert(1)</script>"}`)
	e := h.e
	e.mu.Lock()
	token := e.trades.byOutTradeNo["T1"].token
	e.mu.Unlock()
	for _, url := range []string{h.srv.URL + "/qr/" + token, h.srv.URL + "/"} {
		page := h.get(url, http.StatusOK)
		if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: subject not escaped:\n%s", url, page)
		}
	}
}

func TestBrowserPayAndDecline(t *testing.T) {
	h := newHarness(t)
	qr := h.precreate("T1", "3.00")
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

	resp := h.postBuyer(qr+"/decline", browser)
	readBody(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/qr/") || !strings.Contains(loc, "declined") {
		t.Errorf("decline redirects to %q", loc)
	}
	if got := h.query("T1"); got["trade_status"] != "WAIT_BUYER_PAY" {
		t.Errorf("after decline: %v", got)
	}
	if page := h.get(qr+"?declined", http.StatusOK); !strings.Contains(page, "You declined") {
		t.Errorf("declined page:\n%s", page)
	}

	resp = h.postBuyer(qr+"/pay", browser)
	readBody(t, resp, http.StatusSeeOther)
	if page := h.get(qr, http.StatusOK); !strings.Contains(page, "Paid") || strings.Contains(page, "<button") {
		t.Errorf("paid page:\n%s", page)
	}
	if got := h.query("T1"); got["trade_status"] != "TRADE_SUCCESS" {
		t.Errorf("after pay: %v", got)
	}
}

func TestCurlDeclineAndClosedPay(t *testing.T) {
	h := newHarness(t)
	qr := h.precreate("T1", "3.00")
	if text := readBody(t, h.postBuyer(qr+"/decline", ""), http.StatusOK); string(text) != `{"result":"declined","out_trade_no":"T1","total_amount":"3.00","trade_status":"WAIT_BUYER_PAY"}`+"\n" {
		t.Errorf("decline answered %q", text)
	}
	h.cancel("T1")
	text := readBody(t, h.postBuyer(qr+"/pay", "*/*"), http.StatusConflict)
	if string(text) != `{"error":"trade_closed","message":"T1: emulator: trade is closed"}`+"\n" {
		t.Errorf("pay of a closed trade answered %q", text)
	}
	if page := h.get(qr, http.StatusOK); !strings.Contains(page, "closed") {
		t.Errorf("closed page:\n%s", page)
	}
	readBody(t, h.postBuyer(h.srv.URL+"/qr/nosuchtoken/pay", ""), http.StatusNotFound)
}

func TestPayByOrder(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "7.50")
	h.precreate("T2", "1.00")
	h.cancel("T2")
	ctx := context.Background()

	a, err := PayRemote(ctx, h.srv.URL, "T1")
	if err != nil {
		t.Fatalf("PayRemote: %v", err)
	}
	if a != (BuyerAnswer{Result: BuyerPaid, OutTradeNo: "T1", TotalAmount: "7.50", TradeStatus: StatusTradeSuccess}) || a.TotalFen() != 750 {
		t.Errorf("PayRemote answered %+v (%d fen)", a, a.TotalFen())
	}
	if tr, _ := h.e.Trade("T1"); tr.Status != StatusTradeSuccess {
		t.Errorf("T1 is %s", tr.Status)
	}
	if _, err := PayRemote(ctx, h.srv.URL+"/", "T1"); err != nil {
		t.Errorf("paying twice: %v", err)
	}
	_, err = PayRemote(ctx, h.srv.URL, "NOPE")
	if r, _ := RefusalOf(err); !errors.Is(err, ErrNoSuchTrade) || r != RefusedNoSuchTrade || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown trade: %v (%q)", err, r)
	}
	_, err = PayRemote(ctx, h.srv.URL, "T2")
	if r, _ := RefusalOf(err); !errors.Is(err, ErrTradeClosed) || r != RefusedTradeClosed {
		t.Errorf("closed trade: %v (%q)", err, r)
	}
	if _, ok := RefusalOf(errors.New("no answer")); ok {
		t.Error("RefusalOf found a refusal in an error of no emulator's")
	}

	resp, err := http.Post(h.srv.URL+"/emulator/pay?out_trade_no=T1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if text := readBody(t, resp, http.StatusOK); string(text) != `{"result":"paid","out_trade_no":"T1","total_amount":"7.50","trade_status":"TRADE_SUCCESS"}`+"\n" {
		t.Errorf("answered %q", text)
	}
	resp, err = http.Post(h.srv.URL+"/emulator/pay", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp, http.StatusBadRequest)
}

func TestIndex(t *testing.T) {
	h := newHarness(t)
	if page := h.get(h.srv.URL+"/", http.StatusOK); !strings.Contains(page, "No trades yet") {
		t.Errorf("empty index:\n%s", page)
	}
	h.precreate("T1", "1.00")
	h.precreate("T2", "2.00")
	page := h.get(h.srv.URL+"/", http.StatusOK)
	for _, want := range []string{"T1", "T2", "2.00", "PRECREATED", h.srv.URL + "/gateway.do", DefaultAppID} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	h.get(h.srv.URL+"/nothing", http.StatusNotFound)
}

func TestScanAndPayErrors(t *testing.T) {
	h := newHarness(t)
	if err := h.e.Scan("NOPE"); !errors.Is(err, ErrNoSuchTrade) {
		t.Errorf("Scan unknown: %v", err)
	}
	if err := h.e.Pay("NOPE"); !errors.Is(err, ErrNoSuchTrade) {
		t.Errorf("Pay unknown: %v", err)
	}
	h.precreate("T1", "1.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	if err := h.e.Pay("T1"); err != nil {
		t.Errorf("second Pay: %v", err)
	}
}

func TestTradesSnapshot(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	for _, no := range []string{"C", "A", "B"} {
		h.precreate(no, "1.00")
		wg.Go(func() {
			if err := h.e.Pay(no); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { h.e.Trades() })
	}
	wg.Wait()
	trades := h.e.Trades()
	if len(trades) != 3 || trades[0].OutTradeNo != "A" || trades[2].OutTradeNo != "C" {
		t.Fatalf("Trades() = %+v", trades)
	}
	trades[0].Status = "MUTATED"
	if tr, _ := h.e.Trade("A"); tr.Status != StatusTradeSuccess {
		t.Errorf("snapshot shares state: %s", tr.Status)
	}
}

func TestMaskLogonID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"15901234588", "159******88"},
		{"abc.buyer@example.com", "abc***@example.com"},
		{"ab@example.com", "ab***@example.com"},
		{"12345", "1***"},
	}
	for _, tc := range tests {
		if got := maskLogonID(tc.in); got != tc.want {
			t.Errorf("maskLogonID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPrefersHTML(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"", false},
		{"*/*", false},
		{"text/plain", false},
		{"text/html,application/xhtml+xml,*/*;q=0.8", true},
		{"text/html;q=0", false},
		{"application/json, TEXT/HTML;q=0.5", true},
	}
	for _, tc := range tests {
		r, _ := http.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("Accept", tc.accept)
		if got := prefersHTML(r); got != tc.want {
			t.Errorf("prefersHTML(%q) = %v", tc.accept, got)
		}
	}
}
