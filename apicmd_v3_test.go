package main

import (
	"encoding/json"
	"strings"
	"testing"

	"kiosk/alipay/emulator"
)

func TestAPIOverV3(t *testing.T) {
	cfg, srv, _ := standaloneEmulator(t, nil)
	out, _, status := runAPI("precreate", "--config", cfg, "--protocol", "v3", "--amount", "12.34", "--out-trade-no", "API_V3")
	var pre struct {
		OutTradeNo string `json:"out_trade_no"`
		QRCode     string `json:"qr_code"`
	}
	if status != exitOK || json.Unmarshal([]byte(out), &pre) != nil || pre.OutTradeNo != "API_V3" || !strings.HasPrefix(pre.QRCode, srv.URL+"/qr/") {
		t.Fatalf("precreate over v3: status %d, output %s", status, out)
	}
	out, _, status = runAPI("query", "--config", cfg, "--protocol", "v3", "--out-trade-no", "API_V3")
	if status != exitError || !strings.Contains(out, `"sub_code": "ACQ.TRADE_NOT_EXIST"`) || !strings.Contains(out, `"code": "400"`) {
		t.Errorf("query before the scan over v3: status %d, output %s", status, out)
	}
	if err := srv.Pay("API_V3"); err != nil {
		t.Fatal(err)
	}
	// The same trade through v2: one table behind both protocols.
	if out, _, status = runAPI("query", "--config", cfg, "--out-trade-no", "API_V3"); status != exitOK || !strings.Contains(out, `"trade_status": "TRADE_SUCCESS"`) {
		t.Errorf("v2 query of the v3 trade: status %d, output %s", status, out)
	}
	if _, _, status = runAPI("query", "--config", cfg, "--protocol", "v4", "--out-trade-no", "API_V3"); status != exitUsage {
		t.Errorf("--protocol v4: status %d, want %d", status, exitUsage)
	}
}

func TestAPIVerboseShowsWhatWasSignedV3(t *testing.T) {
	cfg, _, _ := standaloneEmulator(t, nil)
	_, diag, _ := runAPI("query", "--config", cfg, "--protocol", "v3", "--out-trade-no", "NOPE", "--verbose")
	for _, want := range []string{
		"-- string signed (v3 POST /v3/alipay/trade/query, SHA256withRSA",
		"app_id=" + emulator.DefaultAppID + ",nonce=",
		"\nPOST\n/v3/alipay/trade/query\n{\"out_trade_no\":\"NOPE\"}\n-- request headers:\n",
		"authorization: ALIPAY-SHA256withRSA app_id=" + emulator.DefaultAppID + ",nonce=",
		",sign=", "alipay-request-id: ", "content-type: application/json",
		"-- raw response (400 Bad Request):\nalipay-timestamp: ", "alipay-nonce: ", "alipay-signature: ", "alipay-trace-id: ",
		`{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在"`,
		"-- string the answer's signature covers:\n",
	} {
		if !strings.Contains(diag, want) {
			t.Errorf("--verbose output lacks %q:\n%s", want, diag)
		}
	}
}

func TestAPIForgedAnswerIsNeverPrintedV3(t *testing.T) {
	for _, fault := range []emulator.Faults{{BadSignatureRate: 1}, {UnsignedRate: 1}} {
		cfg, _, _ := standaloneEmulator(t, &fault)
		out, _, status := runAPI("precreate", "--config", cfg, "--protocol", "v3", "--amount", "1.00")
		if status != exitBadSignature || out != "" {
			t.Errorf("faults %s over v3: status %d, printed %q; want status 3 and nothing printed", fault.String(), status, out)
		}
	}
}
