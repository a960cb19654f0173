package emulator

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
)

// protocols are the two ways the real client talks to a Server.
var protocols = []struct {
	name   string
	client func(*testing.T, *Server) *alipay.Client
}{
	{"v2", newClient},
	{"v3", newV3Client},
}

// payRequest charges code for 12.34 under outTradeNo.
func payRequest(outTradeNo, code string) *alipay.PayRequest {
	return &alipay.PayRequest{OutTradeNo: outTradeNo, AuthCode: code, Subject: "Tea", TotalFen: 1234,
		StoreID: "S1", TerminalID: "K01", SellerID: DefaultSellerID, Timeout: time.Minute}
}

// issue is IssueBuyerCode that fails the test on error.
func issue(t *testing.T, e *Emulator, kind BuyerCodeKind) string {
	t.Helper()
	code, err := e.IssueBuyerCode(kind)
	if err != nil {
		t.Fatalf("IssueBuyerCode(%s): %v", kind, err)
	}
	return code
}

func TestBuyerCodesLookReal(t *testing.T) {
	e, err := New(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	prefixes := map[string]bool{}
	for i := 0; i < 200; i++ {
		for _, kind := range BuyerCodeKinds() {
			code := issue(t, e, kind)
			if err := alipay.CheckPaymentCode(code); err != nil || len(code) != 18 || seen[code] {
				t.Fatalf("code %q of kind %s: %v (seen before: %v)", code, kind, err, seen[code])
			}
			seen[code] = true
			prefixes[code[:2]] = true
			if c, ok := e.BuyerCodeInfo(code); !ok || c.Kind != kind || c.Used() || !c.IssuedAt.Equal(testNow) {
				t.Errorf("BuyerCodeInfo(%s) = %+v, %v", code, c, ok)
			}
		}
	}
	if len(prefixes) != 6 {
		t.Errorf("prefixes drawn: %v, want all of 25 to 30", prefixes)
	}
	if _, err := e.IssueBuyerCode("free"); err == nil {
		t.Error("IssueBuyerCode of an unknown kind succeeded")
	}
	if k, err := ParseBuyerCodeKind(""); err != nil || k != BuyerCodePay {
		t.Errorf(`ParseBuyerCodeKind("") = %q, %v`, k, err)
	}
}

// TestPayRoundTrip charges a code of every kind through the real client,
// in both protocols, and checks what the kiosk and the trade table see.
func TestPayRoundTrip(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			s := startServer(t, func(*Config) {})
			c := p.client(t, s)
			ctx := t.Context()

			// Paid at once.
			code := issue(t, s.Emulator, BuyerCodePay)
			resp, err := c.Pay(ctx, payRequest("PAID", code))
			if err != nil {
				t.Fatalf("pay: %v", err)
			}
			if resp.TradeStatus != alipay.TradeSuccess || resp.Waiting() || !resp.GmtPayment.Equal(testNow) ||
				resp.TotalFen != 1234 || len(resp.TradeNo) != 28 || resp.BuyerLogonID == "" || !strings.HasPrefix(resp.BuyerUserID, "2088") {
				t.Errorf("pay: %+v", resp)
			}
			q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "PAID"})
			if err != nil || q.TradeStatus != alipay.TradeSuccess || q.TradeNo != resp.TradeNo || !q.SendPayDate.Equal(testNow) {
				t.Errorf("query of the paid trade: %+v, %v", q, err)
			}
			tr, _ := s.Trade("PAID")
			if tr.Scene != alipay.SceneBarCode || tr.AuthCode != code || tr.Status != StatusTradeSuccess {
				t.Errorf("trade %+v", tr)
			}
			if bc, _ := s.BuyerCodeInfo(code); !bc.Used() || bc.OutTradeNo != "PAID" || !bc.UsedAt.Equal(testNow) {
				t.Errorf("code after use: %+v", bc)
			}
			rf, err := c.Refund(ctx, &alipay.RefundRequest{OutTradeNo: "PAID", RefundFen: 234, OutRequestNo: "R1"})
			if err != nil || !rf.FundChange || rf.RefundFeeFen != 234 {
				t.Errorf("refund of a barcode trade: %+v, %v", rf, err)
			}

			// Paid once the buyer confirms.
			code = issue(t, s.Emulator, BuyerCodeConfirm)
			resp, err = c.Pay(ctx, payRequest("CONFIRM", code))
			if !alipay.IsWaitingForBuyer(err) || alipay.IsRefused(err) || resp == nil || !resp.Waiting() ||
				resp.TradeStatus.Paid() || !resp.GmtPayment.IsZero() || resp.TradeNo == "" || resp.TotalFen != 1234 {
				t.Fatalf("pay with a confirm code: %+v, %v", resp, err)
			}
			q, err = c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "CONFIRM"})
			if err != nil || q.TradeStatus != alipay.WaitBuyerPay || q.TradeNo != resp.TradeNo {
				t.Errorf("query before the confirmation: %+v, %v", q, err)
			}
			if err := s.ConfirmBuyerCode(code); err != nil {
				t.Fatalf("ConfirmBuyerCode: %v", err)
			}
			q, err = c.Query(ctx, &alipay.QueryRequest{TradeNo: resp.TradeNo})
			if err != nil || q.TradeStatus != alipay.TradeSuccess {
				t.Errorf("query after the confirmation: %+v, %v", q, err)
			}
			if err := s.ConfirmBuyerCode(code); err != nil {
				t.Errorf("a second confirmation: %v", err)
			}

			// Refused.
			for kind, sub := range map[BuyerCodeKind]string{
				BuyerCodeInsufficient: alipay.SubCodeBuyerBalanceNotEnough,
				BuyerCodeExpired:      alipay.SubCodePaymentAuthCodeInvalid,
				BuyerCodeRisk:         alipay.SubCodePaymentRequestHasRisk,
			} {
				code := issue(t, s.Emulator, kind)
				no := "REFUSED_" + string(kind)
				resp, err := c.Pay(ctx, payRequest(no, code))
				var e *alipay.Error
				if resp != nil || !errors.As(err, &e) || e.SubCode != sub || e.SubMsg == "" || !alipay.IsRefused(err) ||
					alipay.IsWaitingForBuyer(err) || alipay.IsRetryable(err) {
					t.Errorf("%s: Pay = %+v, %v", kind, resp, err)
				}
				if _, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: no}); !alipay.IsTradeNotExist(err) {
					t.Errorf("%s: query of a refused charge: %v", kind, err)
				}
				if _, ok := s.Trade(no); ok {
					t.Errorf("%s: a refused charge left a trade", kind)
				}
				if err := s.ConfirmBuyerCode(code); !errors.Is(err, ErrNothingToConfirm) {
					t.Errorf("%s: confirming a refused code: %v", kind, err)
				}
			}
		})
	}
}

func TestBuyerCodeUsedOnce(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			s := startServer(t, func(*Config) {})
			c := p.client(t, s)
			for _, kind := range BuyerCodeKinds() {
				code := issue(t, s.Emulator, kind)
				_, first := c.Pay(t.Context(), payRequest("FIRST_"+string(kind), code))
				if first != nil && !alipay.IsWaitingForBuyer(first) && !alipay.IsRefused(first) {
					t.Fatalf("%s: first use: %v", kind, first)
				}
				_, err := c.Pay(t.Context(), payRequest("SECOND_"+string(kind), code))
				var e *alipay.Error
				if !errors.As(err, &e) || e.SubCode != alipay.SubCodePaymentAuthCodeInvalid || !alipay.IsRefused(err) {
					t.Errorf("%s: second use: %v", kind, err)
				}
				if _, ok := s.Trade("SECOND_" + string(kind)); ok {
					t.Errorf("%s: the second use made a trade", kind)
				}
				if bc, _ := s.BuyerCodeInfo(code); bc.OutTradeNo != "FIRST_"+string(kind) {
					t.Errorf("%s: the code records %q", kind, bc.OutTradeNo)
				}
			}
		})
	}
}

// TestPayCodesNotIssued: codes the emulator never issued are refused as
// Alipay refuses a code it does not know, malformed ones included (the
// real client would not send those).
func TestPayCodesNotIssued(t *testing.T) {
	h := newHarness(t)
	for _, code := range []string{"281234567890123456", "12345", "abc", "134567890123456789"} {
		got := h.call(alipay.MethodPay, `{"out_trade_no":"K1","scene":"bar_code","auth_code":"`+code+`","subject":"Tea","total_amount":"1.00"}`)
		wantCode(t, got, "40004", alipay.SubCodePaymentAuthCodeInvalid)
		if got["out_trade_no"] != "K1" || got["receipt_amount"] != "0.00" {
			t.Errorf("refusal %v", got)
		}
	}
}

// TestPayValidation: the schema of alipay.trade.pay, checked before the
// code is looked at (so a code survives a malformed request).
func TestPayValidation(t *testing.T) {
	h := newHarness(t)
	code := issue(t, h.e, BuyerCodePay)
	base := map[string]string{"out_trade_no": `"K1"`, "scene": `"bar_code"`, "auth_code": `"` + code + `"`,
		"subject": `"Tea"`, "total_amount": `"1.00"`}
	tests := []struct {
		name, key, value, code, subCode string
	}{
		{"no scene", "scene", "", "40002", "isv.invalid-parameter"},
		{"sound waves", "scene", `"wave_code"`, "40002", "isv.invalid-parameter"},
		{"no auth code", "auth_code", "", "40002", "isv.invalid-parameter"},
		{"other product", "product_code", `"PRE_AUTH_ONLINE"`, "40002", "isv.invalid-parameter"},
		{"bad timeout", "timeout_express", `"5s"`, "40002", "isv.invalid-parameter"},
		{"no subject", "subject", "", "40002", "isv.invalid-parameter"},
		{"three decimals", "total_amount", `"1.001"`, "40002", "isv.invalid-parameter"},
		{"zero", "total_amount", `"0.00"`, "40004", "ACQ.INVALID_PARAMETER"},
		{"bad out_trade_no", "out_trade_no", `"K-1"`, "40002", "isv.invalid-parameter"},
	}
	for _, tc := range tests {
		fields := map[string]string{}
		for k, v := range base {
			fields[k] = v
		}
		if tc.value == "" {
			delete(fields, tc.key)
		} else {
			fields[tc.key] = tc.value
		}
		var parts []string
		for k, v := range fields {
			parts = append(parts, `"`+k+`":`+v)
		}
		got := h.call(alipay.MethodPay, "{"+strings.Join(parts, ",")+"}")
		if got["code"] != tc.code || got["sub_code"] != tc.subCode {
			t.Errorf("%s: %v, want %s %s", tc.name, got, tc.code, tc.subCode)
		}
	}
	if bc, _ := h.e.BuyerCodeInfo(code); bc.Used() {
		t.Errorf("a malformed request used the code: %+v", bc)
	}
	got := h.call(alipay.MethodPay, `{"out_trade_no":"K1","scene":"bar_code","auth_code":"`+code+`","product_code":"FACE_TO_FACE_PAYMENT",`+
		`"subject":"Tea","total_amount":1.00,"timeout_express":"1c"}`)
	wantCode(t, got, "10000", "")
}

// TestRepeatPay: a pay for an out_trade_no already in the table never
// spends the new code; the same request again is told where the trade is.
func TestRepeatPay(t *testing.T) {
	h := newHarness(t)
	pay := func(no, code, amount string) map[string]string {
		return h.call(alipay.MethodPay, `{"out_trade_no":"`+no+`","scene":"bar_code","auth_code":"`+code+`","subject":"Tea","total_amount":"`+amount+`"}`)
	}
	paid, waiting := issue(t, h.e, BuyerCodePay), issue(t, h.e, BuyerCodeConfirm)
	wantCode(t, pay("PAID", paid, "1.00"), "10000", "")
	first := pay("WAIT", waiting, "1.00")
	wantCode(t, first, "10003", "")
	h.precreate("QR", "1.00")
	fresh := issue(t, h.e, BuyerCodePay)
	wantCode(t, pay("PAID", fresh, "1.00"), "40004", alipay.SubCodeTradeHasSuccess)
	wantCode(t, pay("WAIT", fresh, "1.00"), "40004", "ACQ.CONTEXT_INCONSISTENT")
	wantCode(t, pay("WAIT", waiting, "2.00"), "40004", "ACQ.CONTEXT_INCONSISTENT")
	wantCode(t, pay("QR", fresh, "1.00"), "40004", "ACQ.CONTEXT_INCONSISTENT")
	again := pay("WAIT", waiting, "1.00")
	wantCode(t, again, "10003", "")
	if again["trade_no"] != first["trade_no"] || again["trade_no"] == "" {
		t.Errorf("the repeat answered trade %q, the first %q", again["trade_no"], first["trade_no"])
	}
	h.cancel("WAIT")
	wantCode(t, pay("WAIT", waiting, "1.00"), "40004", alipay.SubCodeTradeHasClose)
	if bc, _ := h.e.BuyerCodeInfo(fresh); bc.Used() {
		t.Errorf("a repeat spent the new code: %+v", bc)
	}
	wantCode(t, pay("NEW", fresh, "1.00"), "10000", "")
}

// TestCancelWaitingBarcodeTrade: the kiosk gives up on a buyer who does
// not confirm: the cancel closes the trade, and a late confirmation fails
// whichever way it comes.
func TestCancelWaitingBarcodeTrade(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			s := startServer(t, func(*Config) {})
			c := p.client(t, s)
			code := issue(t, s.Emulator, BuyerCodeConfirm)
			if _, err := c.Pay(t.Context(), payRequest("K1", code)); !alipay.IsWaitingForBuyer(err) {
				t.Fatalf("Pay: %v", err)
			}
			cr, err := c.Cancel(t.Context(), &alipay.CancelRequest{OutTradeNo: "K1"})
			if err != nil || cr.Action != "close" || cr.RetryFlag || cr.TradeNo == "" {
				t.Fatalf("Cancel = %+v, %v", cr, err)
			}
			q, err := c.Query(t.Context(), &alipay.QueryRequest{OutTradeNo: "K1"})
			if err != nil || q.TradeStatus != alipay.TradeClosed || q.TradeStatus.Paid() {
				t.Errorf("query after the cancel: %+v, %v", q, err)
			}
			if err := s.ConfirmBuyerCode(code); !errors.Is(err, ErrTradeClosed) || errors.Is(err, ErrNothingToConfirm) {
				t.Errorf("ConfirmBuyerCode after the cancel: %v", err)
			}
			if err := ConfirmBuyerCodeRemote(t.Context(), s.URL, code); !errors.Is(err, ErrTradeClosed) || errors.Is(err, ErrNothingToConfirm) {
				t.Errorf("ConfirmBuyerCodeRemote after the cancel: %v", err)
			}
			if tr, _ := s.Trade("K1"); tr.Status != StatusTradeClosed || !tr.PaidAt.IsZero() || tr.Refunded {
				t.Errorf("trade %+v", tr)
			}
		})
	}
}

// TestPayFaults: the faults apply to alipay.trade.pay as to every other
// method, and the client sees each as it does elsewhere. Where the method
// ran before the answer was damaged, the code is spent and the buyer
// charged, so only a query tells the kiosk.
func TestPayFaults(t *testing.T) {
	tests := []struct {
		faults Faults
		check  func(error) bool
		ran    bool
	}{
		{Faults{ResetRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrTransport) }, true},
		{Faults{HTTP5xxRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrTransport) }, true},
		{Faults{MalformedRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrUnexpectedResponse) }, true},
		{Faults{BadSignatureRate: 1}, func(err error) bool { return errors.Is(err, alipay.ErrBadSignature) }, true},
		{Faults{UnsignedRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrNotSigned) || errors.Is(err, alipay.ErrUnsignedError) // v3: an unsigned 200
		}, true},
		{Faults{SystemErrorRate: 1}, func(err error) bool { return alipay.IsRetryable(err) }, false},
	}
	for _, p := range protocols {
		for _, tc := range tests {
			tc.faults.Methods = []string{alipay.MethodPay}
			t.Run(p.name+"/"+tc.faults.String(), func(t *testing.T) {
				s := startServer(t, func(c *Config) { c.Faults = &tc.faults })
				c := p.client(t, s)
				code := issue(t, s.Emulator, BuyerCodePay)
				resp, err := c.Pay(t.Context(), payRequest("K1", code))
				if resp != nil || !tc.check(err) || alipay.IsRefused(err) || alipay.IsWaitingForBuyer(err) || alipay.IsNotSent(err) {
					t.Fatalf("Pay = %+v, %v", resp, err)
				}
				// The fault is limited to pay: the query gets through.
				q, qerr := c.Query(t.Context(), &alipay.QueryRequest{OutTradeNo: "K1"})
				if tc.ran && (qerr != nil || q.TradeStatus != alipay.TradeSuccess) {
					t.Errorf("query after the fault: %+v, %v; want the charge made", q, qerr)
				}
				if !tc.ran && !alipay.IsTradeNotExist(qerr) {
					t.Errorf("query after the fault: %+v, %v; want no trade", q, qerr)
				}
				if bc, _ := s.BuyerCodeInfo(code); bc.Used() != tc.ran {
					t.Errorf("code used: %v, want %v", bc.Used(), tc.ran)
				}
				if !tc.ran {
					if err := s.SetFaults(Faults{}); err != nil {
						t.Fatal(err)
					}
					if _, err := c.Pay(t.Context(), payRequest("K1", code)); err != nil {
						t.Errorf("Pay once the gateway is back: %v", err)
					}
				}
			})
		}
	}
	if f, err := ParseFaults("syserr=1,methods=alipay.trade.pay+alipay.trade.query"); err != nil || f.Methods[0] != alipay.MethodPay {
		t.Errorf("ParseFaults with pay: %+v, %v", f, err)
	}
}

// TestPayNotifications: a charge of a payment code is notified like a QR
// payment, once paid: at once for a code that pays, at the confirmation
// for one that waits.
func TestPayNotifications(t *testing.T) {
	rc := newReceiver(t)
	clock := newTestClock()
	s := startServer(t, func(c *Config) { c.NotifyScale = 1e-4; c.Now = clock.Now })
	c := newClient(t, s)
	notifyURL := rc.srv.URL + "/alipay/notify"

	waiting := payRequest("CONFIRM", issue(t, s.Emulator, BuyerCodeConfirm))
	waiting.NotifyURL = notifyURL
	if _, err := c.Pay(t.Context(), waiting); !alipay.IsWaitingForBuyer(err) {
		t.Fatalf("Pay: %v", err)
	}
	paid := payRequest("PAID", issue(t, s.Emulator, BuyerCodePay))
	paid.NotifyURL = notifyURL
	if _, err := c.Pay(t.Context(), paid); err != nil {
		t.Fatalf("Pay: %v", err)
	}
	waitFor(t, "the payment's notification", func() bool { return len(rc.received()) >= 1 })
	if got := rc.received(); len(got) != 1 || got[0].Get("out_trade_no") != "PAID" {
		t.Fatalf("notifications before the confirmation: %v", got)
	}
	clock.Advance(20 * time.Second)
	if err := s.ConfirmBuyerCode(waiting.AuthCode); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the confirmation's notification", func() bool { return len(rc.received()) == 2 })
	s.Close()
	forms := rc.received()
	tr, _ := s.Trade("CONFIRM")
	want := map[string]string{"out_trade_no": "CONFIRM", "trade_no": tr.TradeNo, "trade_status": "TRADE_SUCCESS",
		"total_amount": "12.34", "receipt_amount": "12.34", "seller_id": DefaultSellerID, "app_id": DefaultAppID,
		"gmt_create": "2026-11-22 10:30:00", "gmt_payment": "2026-11-22 10:30:20"}
	for k, v := range want {
		if forms[1].Get(k) != v {
			t.Errorf("%s = %q, want %q", k, forms[1].Get(k), v)
		}
	}
	v := alipay.NotifyVerifier{AlipayPublicKey: testKeys(t).AlipayPublic, AppID: DefaultAppID, SellerID: DefaultSellerID}
	expect := func(string) (alipay.Expected, error) { return alipay.Expected{TotalFen: 1234}, nil }
	for _, f := range forms {
		form, err := alipay.ParseNotification([]byte(f.Encode()), "application/x-www-form-urlencoded; charset=utf-8")
		if err != nil {
			t.Fatal(err)
		}
		n, err := v.Verify(form, expect)
		if err != nil || !n.TradeStatus.Paid() || n.OutTradeNo != f.Get("out_trade_no") {
			t.Errorf("the kiosk's verifier on %s: %+v, %v", f.Get("out_trade_no"), n, err)
		}
	}
	if n := len(rc.received()); n != 2 {
		t.Errorf("%d notifications, want 2", n)
	}
}

// TestV3WaitingAnswer: in v3 a code that waits is a signed 200 with the
// trade's fields and no gmt_payment, as the client expects.
func TestV3WaitingAnswer(t *testing.T) {
	h := newHarness(t)
	code := issue(t, h.e, BuyerCodeConfirm)
	resp, body := h.send(h.newV3Request(alipay.MethodPay,
		`{"out_trade_no":"K1","scene":"bar_code","auth_code":"`+code+`","subject":"Tea","total_amount":"1.00"}`))
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "gmt_payment") || strings.Contains(string(body), `"code"`) ||
		!strings.Contains(string(body), `"trade_no":"`) {
		t.Errorf("HTTP %d %s", resp.StatusCode, body)
	}
	if err := alipay.VerifyV3Response(testKeys(t).AlipayPublic, resp.Header, body); err != nil {
		t.Errorf("answer does not verify: %v", err)
	}
}
