package emulator

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kiosk/alipay"
)

func TestPrecreateScanPay(t *testing.T) {
	h := newHarness(t)
	qr := h.precreate("T1", "12.34")
	if !strings.HasPrefix(qr, h.srv.URL+"/qr/") || len(qr) < len(h.srv.URL)+len("/qr/")+22 {
		t.Fatalf("qr_code %q, want %s/qr/<token>", qr, h.srv.URL)
	}

	// Before the scan the trade does not exist for Alipay.
	got := h.query("T1")
	wantCode(t, got, "40004", "ACQ.TRADE_NOT_EXIST")
	if got["sub_msg"] != "交易不存在" || got["out_trade_no"] != "T1" {
		t.Errorf("not-exist answer %v", got)
	}

	h.get(qr, http.StatusOK) // the buyer scans
	got = h.query("T1")
	wantCode(t, got, "10000", "")
	if got["trade_status"] != "WAIT_BUYER_PAY" || got["total_amount"] != "12.34" || got["send_pay_date"] != "" {
		t.Errorf("after scan: %v", got)
	}
	if no := got["trade_no"]; len(no) != 28 || !strings.HasPrefix(no, "2026112222001") {
		t.Errorf("trade_no %q, want 28 characters starting 2026112222001", no)
	}
	if got["buyer_logon_id"] != "159******88" || !strings.HasPrefix(got["buyer_user_id"], "2088") {
		t.Errorf("buyer %q %q", got["buyer_logon_id"], got["buyer_user_id"])
	}
	tradeNo := got["trade_no"]

	text := readBody(t, h.postBuyer(qr+"/pay", "*/*"), http.StatusOK)
	if string(text) != `{"result":"paid","out_trade_no":"T1","total_amount":"12.34","trade_status":"TRADE_SUCCESS"}`+"\n" {
		t.Errorf("pay answered %q", text)
	}
	got = h.query("T1")
	want := map[string]string{
		"code": "10000", "msg": "Success", "trade_status": "TRADE_SUCCESS", "trade_no": tradeNo,
		"total_amount": "12.34", "receipt_amount": "12.34", "buyer_pay_amount": "12.34",
		"send_pay_date": "2026-11-22 10:30:00", "out_trade_no": "T1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("after pay: %s = %q, want %q", k, got[k], v)
		}
	}
	tr, ok := h.e.Trade("T1")
	if !ok || tr.Status != StatusTradeSuccess || tr.TradeNo != tradeNo || !tr.PaidAt.Equal(testNow) || tr.TotalFen != 1234 {
		t.Errorf("Trade(T1) = %+v, %v", tr, ok)
	}
}

func TestQueryByTradeNo(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "1.00")
	if err := h.e.Scan("T1"); err != nil {
		t.Fatal(err)
	}
	tr, _ := h.e.Trade("T1")
	got := h.call(methodQuery, `{"trade_no":"`+tr.TradeNo+`"}`)
	if got["out_trade_no"] != "T1" || got["trade_status"] != "WAIT_BUYER_PAY" {
		t.Errorf("by trade_no: %v", got)
	}
	got = h.call(methodQuery, `{"trade_no":"`+tr.TradeNo+`","out_trade_no":"OTHER"}`)
	wantCode(t, got, "40004", "ACQ.TRADE_NOT_EXIST")
}

func TestCancel(t *testing.T) {
	tests := []struct {
		name       string
		prepare    func(e *Emulator) error
		wantAction string
		wantStatus string // query afterwards; "" means not exist
		refunded   bool
	}{
		{"before scan", func(*Emulator) error { return nil }, "close", "", false},
		{"after scan", func(e *Emulator) error { return e.Scan("T1") }, "close", "TRADE_CLOSED", false},
		{"after pay", func(e *Emulator) error { return e.Pay("T1") }, "refund", "TRADE_CLOSED", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.precreate("T1", "5.00")
			if err := tc.prepare(h.e); err != nil {
				t.Fatal(err)
			}
			for range 2 { // a retried cancel gets the same answer
				got := h.cancel("T1")
				wantCode(t, got, "10000", "")
				if got["action"] != tc.wantAction || got["retry_flag"] != "N" || got["out_trade_no"] != "T1" {
					t.Errorf("cancel: %v", got)
				}
			}
			q := h.query("T1")
			if tc.wantStatus == "" {
				wantCode(t, q, "40004", "ACQ.TRADE_NOT_EXIST")
			} else if q["trade_status"] != tc.wantStatus {
				t.Errorf("query after cancel: %v", q)
			}
			tr, _ := h.e.Trade("T1")
			if tr.Status != StatusTradeClosed || tr.Refunded != tc.refunded {
				t.Errorf("trade %+v", tr)
			}
			if err := h.e.Pay("T1"); !errors.Is(err, ErrTradeClosed) {
				t.Errorf("Pay after cancel: %v, want ErrTradeClosed", err)
			}
		})
	}
}

func TestCancelUnknownTrade(t *testing.T) {
	h := newHarness(t)
	got := h.cancel("NEVER")
	wantCode(t, got, "10000", "")
	if got["retry_flag"] != "N" || got["out_trade_no"] != "NEVER" || got["action"] != "" || got["trade_no"] != "" {
		t.Errorf("cancel of unknown trade: %v", got)
	}
}

func TestRepeatPrecreate(t *testing.T) {
	h := newHarness(t)
	qr := h.precreate("T1", "12.34")
	if again := h.precreate("T1", "12.34"); again != qr {
		t.Errorf("repeat precreate gave %q, want the same %q", again, qr)
	}
	biz := `{"out_trade_no":"T1","total_amount":"99.00","subject":"Coffee"}`
	wantCode(t, h.call(methodPrecreate, biz), "40004", "ACQ.CONTEXT_INCONSISTENT")

	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, h.call(methodPrecreate, `{"out_trade_no":"T1","total_amount":"12.34","subject":"Coffee"}`),
		"40004", "ACQ.TRADE_HAS_SUCCESS")

	h.precreate("T2", "1.00")
	h.cancel("T2")
	wantCode(t, h.call(methodPrecreate, `{"out_trade_no":"T2","total_amount":"1.00","subject":"Coffee"}`),
		"40004", "ACQ.TRADE_HAS_CLOSE")
}

func TestPrecreateValidation(t *testing.T) {
	tests := []struct {
		name, biz, code, subCode string
	}{
		{"three decimals", `{"out_trade_no":"T1","total_amount":"1.234","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"amount sign", `{"out_trade_no":"T1","total_amount":"-1.00","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"amount missing", `{"out_trade_no":"T1","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"zero", `{"out_trade_no":"T1","total_amount":"0.00","subject":"s"}`, "40004", "ACQ.INVALID_PARAMETER"},
		{"too much", `{"out_trade_no":"T1","total_amount":"100000000.01","subject":"s"}`, "40004", "ACQ.TOTAL_FEE_EXCEED"},
		{"out_trade_no dash", `{"out_trade_no":"T-1","total_amount":"1.00","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"out_trade_no long", `{"out_trade_no":"` + strings.Repeat("A", 65) + `","total_amount":"1.00","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"out_trade_no missing", `{"total_amount":"1.00","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"subject missing", `{"out_trade_no":"T1","total_amount":"1.00"}`, "40002", "isv.invalid-parameter"},
		{"not json", `{"out_trade_no":`, "40002", "isv.invalid-parameter"},
		{"wrong type", `{"out_trade_no":7,"total_amount":"1.00","subject":"s"}`, "40002", "isv.invalid-parameter"},
		{"max amount", `{"out_trade_no":"T1","total_amount":"100000000","subject":"s"}`, "10000", ""},
		{"number amount", `{"out_trade_no":"T1","total_amount":0.1,"subject":"s"}`, "10000", ""},
		{"64 chars", `{"out_trade_no":"` + strings.Repeat("a_9", 21) + `Z","total_amount":"0.01","subject":"s"}`, "10000", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			wantCode(t, h.call(methodPrecreate, tc.biz), tc.code, tc.subCode)
		})
	}
}

func TestNumberAmountIsReadLiterally(t *testing.T) {
	h := newHarness(t)
	h.call(methodPrecreate, `{"out_trade_no":"T1","total_amount":0.1,"subject":"s"}`)
	if tr, _ := h.e.Trade("T1"); tr.TotalFen != 10 {
		t.Errorf("0.1 became %d fen", tr.TotalFen)
	}
}

func TestQueryNeedsATradeNumber(t *testing.T) {
	h := newHarness(t)
	wantCode(t, h.call(methodQuery, `{}`), "40002", "isv.invalid-parameter")
	wantCode(t, h.call(methodCancel, `{}`), "40002", "isv.invalid-parameter")
}

func TestWrongSigningKey(t *testing.T) {
	h := newHarness(t)
	p := h.signedRequest(methodPrecreate, `{"out_trade_no":"T1","total_amount":"1.00","subject":"s"}`)
	h.sign(p, h.keys.AlipayPrivate) // the wrong key pair
	raw := h.post(p)
	if !bytes.HasPrefix(raw, []byte(`{"alipay_trade_precreate_response":{`)) {
		t.Fatalf("not under the method key: %s", raw)
	}
	got := h.verified(methodPrecreate, raw) // signed with the Alipay key all the same
	wantCode(t, got, "40002", "isv.invalid-signature")
	if !strings.Contains(got["sub_msg"], alipay.RequestSigningString(p)) {
		t.Errorf("sub_msg does not quote the verified string: %s", got["sub_msg"])
	}
	if _, ok := h.e.Trade("T1"); ok {
		t.Error("a badly signed precreate created a trade")
	}
}

func TestTamperedParameter(t *testing.T) {
	h := newHarness(t)
	p := h.signedRequest(methodPrecreate, `{"out_trade_no":"T1","total_amount":"1.00","subject":"s"}`)
	p.Set("biz_content", `{"out_trade_no":"T1","total_amount":"0.01","subject":"s"}`)
	wantCode(t, h.verified(methodPrecreate, h.post(p)), "40002", "isv.invalid-signature")
}

func TestCommonParameterChecks(t *testing.T) {
	tests := []struct {
		name    string
		change  func(p url.Values)
		code    string
		subCode string
	}{
		{"wrong app_id", func(p url.Values) { p.Set("app_id", "2021999999999999") }, "40002", "isv.invalid-app-id"},
		{"no app_id", func(p url.Values) { p.Del("app_id") }, "40001", "isv.missing-app-id"},
		{"no sign_type", func(p url.Values) { p.Del("sign_type") }, "40001", "isv.missing-signature-type"},
		{"bad sign_type", func(p url.Values) { p.Set("sign_type", "MD5") }, "40002", "isv.invalid-signature-type"},
		{"no timestamp", func(p url.Values) { p.Del("timestamp") }, "40001", "isv.missing-timestamp"},
		{"bad timestamp", func(p url.Values) { p.Set("timestamp", "2026-11-22T10:30:00Z") }, "40002", "isv.invalid-timestamp"},
		{"no version", func(p url.Values) { p.Del("version") }, "40001", "isv.missing-version"},
		{"gbk", func(p url.Values) { p.Set("charset", "GBK") }, "40002", "isv.invalid-charset"},
		{"xml", func(p url.Values) { p.Set("format", "XML") }, "40002", "isv.invalid-format"},
		{"skewed clock", func(p url.Values) { p.Set("timestamp", "2026-11-22 02:30:00") }, "10000", ""},
		{"SDK: no format", func(p url.Values) { p.Del("format") }, "10000", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			p := commonParams(methodPrecreate)
			p.Set("biz_content", `{"out_trade_no":"T1","total_amount":"1.00","subject":"s"}`)
			tc.change(p)
			h.sign(p, h.keys.AppPrivate)
			wantCode(t, h.verified(methodPrecreate, h.post(p)), tc.code, tc.subCode)
		})
	}
}

func TestMissingSignature(t *testing.T) {
	h := newHarness(t)
	p := h.signedRequest(methodQuery, `{"out_trade_no":"T1"}`)
	p.Del("sign")
	wantCode(t, h.verified(methodQuery, h.post(p)), "40001", "isv.missing-signature")
}

func TestUnsignedErrorResponses(t *testing.T) {
	tests := []struct {
		name, method, code, subCode string
	}{
		{"unknown method", "alipay.trade.create", "40002", "isv.invalid-method"},
		{"no method", "", "40001", "isv.missing-method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			p := h.signedRequest(tc.method, `{}`)
			if tc.method == "" {
				p.Del("method")
			}
			raw := h.post(p)
			if !bytes.HasPrefix(raw, []byte(`{"error_response":{"code":"`+tc.code+`"`)) || bytes.Contains(raw, []byte(`"sign"`)) {
				t.Fatalf("want an unsigned error_response, got %s", raw)
			}
			_, err := alipay.VerifyResponse(h.keys.AlipayPublic, alipay.RSA2, "alipay.trade.create", raw)
			var apiErr *alipay.Error
			if !errors.Is(err, alipay.ErrUnsignedError) || !errors.As(err, &apiErr) || apiErr.SubCode != tc.subCode {
				t.Errorf("VerifyResponse: %v", err)
			}
		})
	}
}

func TestResponseEscapesSlashes(t *testing.T) {
	h := newHarness(t)
	raw := h.post(h.signedRequest(methodPrecreate, `{"out_trade_no":"T1","total_amount":"1.00","subject":"a/b"}`))
	if !bytes.Contains(raw, []byte(`"qr_code":"http:\/\/127.0.0.1:`)) || !bytes.Contains(raw, []byte(`\/qr\/`)) {
		t.Errorf("qr_code not written with \\/ escapes: %s", raw)
	}
	if !bytes.HasSuffix(bytes.TrimSpace(raw), []byte(`"}`)) || !bytes.Contains(raw, []byte(`},"sign":"`)) {
		t.Errorf("sign is not the last member: %s", raw)
	}
	got := h.verified(methodPrecreate, raw) // the signature covers the escaped text
	if !strings.HasPrefix(got["qr_code"], h.srv.URL+"/qr/") {
		t.Errorf("decoded qr_code %q", got["qr_code"])
	}
}

func TestResponseFieldOrder(t *testing.T) {
	h := newHarness(t)
	h.precreate("T1", "1.00")
	if err := h.e.Pay("T1"); err != nil {
		t.Fatal(err)
	}
	raw := h.post(h.signedRequest(methodQuery, `{"out_trade_no":"T1"}`))
	keys := []string{`{"alipay_trade_query_response":{"code":`, `"msg":`, `"buyer_logon_id":`, `"buyer_pay_amount":`,
		`"out_trade_no":`, `"send_pay_date":`, `"total_amount":`, `"trade_no":`, `"trade_status":`, `},"sign":`}
	at := 0
	for _, k := range keys {
		i := bytes.Index(raw[at:], []byte(k))
		if i < 0 {
			t.Fatalf("%s missing or out of order in %s", k, raw)
		}
		at += i
	}
}

func TestSignatureOverEmptyValues(t *testing.T) {
	biz := `{"out_trade_no":"T1","total_amount":"1.00","subject":"s"}`
	tests := []struct {
		name    string
		content func(p url.Values) string
	}{
		{"documented rule", alipay.RequestSigningString},
		{"node sdk keeps empty values", signingStringKeepEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			p := commonParams(methodPrecreate)
			p.Set("biz_content", biz)
			p.Set("app_auth_token", "")
			sig, err := alipay.Sign(h.keys.AppPrivate, alipay.RSA2, []byte(tc.content(p)))
			if err != nil {
				t.Fatal(err)
			}
			p.Set("sign", sig)
			wantCode(t, h.verified(methodPrecreate, h.post(p)), "10000", "")
		})
	}
}

func TestSignTypeRSA(t *testing.T) {
	h := newHarness(t)
	p := commonParams(methodQuery)
	p.Set("sign_type", "RSA")
	p.Set("biz_content", `{"out_trade_no":"T1"}`)
	h.sign(p, h.keys.AppPrivate)
	raw := h.post(p)
	if _, err := alipay.VerifyResponse(h.keys.AlipayPublic, alipay.RSA, methodQuery, raw); err != nil {
		t.Errorf("RSA (SHA-1) response does not verify: %v\n%s", err, raw)
	}
}

func TestGatewayGET(t *testing.T) {
	h := newHarness(t)
	p := h.signedRequest(methodPrecreate, `{"out_trade_no":"T1","total_amount":"1.00","subject":"测试 a+b&c=d"}`)
	resp, err := http.Get(h.srv.URL + "/gateway.do?" + p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, h.verified(methodPrecreate, readBody(t, resp, http.StatusOK)), "10000", "")
	if tr, _ := h.e.Trade("T1"); tr.Subject != "测试 a+b&c=d" {
		t.Errorf("subject %q", tr.Subject)
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t)
	body := "biz_content=" + strings.Repeat("x", maxBodyBytes+1)
	resp, err := http.Post(h.srv.URL+"/gateway.do", "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp, http.StatusRequestEntityTooLarge)
}

func TestNewChecksKeys(t *testing.T) {
	k := testKeys(t)
	if _, err := New(Config{AppPublicKey: k.AppPublic}); err == nil {
		t.Error("New without an Alipay private key succeeded")
	}
	if _, err := New(Config{AppPublicKey: k.AppPublic, AlipayPrivateKey: k.AppPrivate}); err == nil {
		t.Error("New with the app key as the Alipay key succeeded")
	}
}
