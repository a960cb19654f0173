package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/internal/english"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// standaloneEmulator runs `kiosk emulator serve` in-process and returns the
// kiosk.toml it wrote.
func standaloneEmulator(t *testing.T, faults *emulator.Faults) (cfgPath string, srv *emulator.Server, keys *emulator.Keys) {
	t.Helper()
	dir := t.TempDir()
	keys, _, err := emulator.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := emulator.ServerConfig(keys, nil)
	cfg.Faults = faults
	if srv, err = emulator.Start("127.0.0.1:0", cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if cfgPath, err = emulator.WriteKioskConfig(dir, srv.URL); err != nil {
		t.Fatal(err)
	}
	return cfgPath, srv, keys
}

func runAPI(args ...string) (stdout, stderr string, status int) {
	var out, diag bytes.Buffer
	err := execute(append([]string{"api"}, args...), stdio{in: os.Stdin, out: &out, diag: &diag})
	return out.String(), diag.String(), exitStatus(err)
}

func TestAPIPrecreateQueryRefund(t *testing.T) {
	cfg, srv, _ := standaloneEmulator(t, nil)
	out, _, status := runAPI("precreate", "--config", cfg, "--amount", "12.34", "--out-trade-no", "API_1")
	var pre struct {
		OutTradeNo string `json:"out_trade_no"`
		QRCode     string `json:"qr_code"`
	}
	if status != exitOK || json.Unmarshal([]byte(out), &pre) != nil || pre.QRCode == "" || pre.OutTradeNo != "API_1" {
		t.Fatalf("precreate: status %d, output %s", status, out)
	}
	out, _, status = runAPI("query", "--config", cfg, "--out-trade-no", "API_1")
	if status != exitError || !strings.Contains(out, `"sub_code": "ACQ.TRADE_NOT_EXIST"`) {
		t.Errorf("query before the scan: status %d, output %s", status, out)
	}
	if err := srv.Pay("API_1"); err != nil {
		t.Fatal(err)
	}
	_, _, status = runAPI("refund", "--config", cfg, "--out-trade-no", "API_1", "--amount", "2.00")
	if status != exitUsage {
		t.Errorf("refund without --out-request-no: status %d, want %d", status, exitUsage)
	}
	for range 2 { // the same out_request_no twice refunds once
		out, _, status = runAPI("refund", "--config", cfg, "--out-trade-no", "API_1", "--amount", "2.00", "--out-request-no", "R1")
		if status != exitOK {
			t.Fatalf("refund: status %d, output %s", status, out)
		}
	}
	tr, _ := srv.Trade("API_1")
	if tr.RefundedFen() != 200 {
		t.Errorf("refunded %d fen, want 200", tr.RefundedFen())
	}
}

func TestAPIVerboseShowsWhatWasSigned(t *testing.T) {
	cfg, _, _ := standaloneEmulator(t, nil)
	_, diag, _ := runAPI("query", "--config", cfg, "--out-trade-no", "NOPE", "--verbose")
	for _, want := range []string{"-- app private key", "PKCS#8 PEM", "-- Alipay public key", "-- string signed (alipay.trade.query", `biz_content={"out_trade_no":"NOPE"}`, "-- raw response (200 OK)", `"alipay_trade_query_response"`} {
		if !strings.Contains(diag, want) {
			t.Errorf("--verbose output lacks %q:\n%s", want, diag)
		}
	}
}

func TestAPIForgedAnswerIsNeverPrinted(t *testing.T) {
	for _, fault := range []emulator.Faults{{BadSignatureRate: 1}, {UnsignedRate: 1}} {
		cfg, _, _ := standaloneEmulator(t, &fault)
		out, _, status := runAPI("precreate", "--config", cfg, "--amount", "1.00")
		if status != exitBadSignature || out != "" {
			t.Errorf("faults %s: status %d, printed %q; want status 3 and nothing printed", fault.String(), status, out)
		}
		err := execute([]string{"api", "precreate", "--config", cfg, "--amount", "1.00"}, stdio{in: os.Stdin, out: io.Discard, diag: io.Discard})
		if msg := fmt.Sprint(err); !strings.HasPrefix(msg, "the answer did not verify with the Alipay public key and was discarded: check that alipay_public_key") || strings.Contains(msg, "alipay:") {
			t.Errorf("faults %s: the complaint %q; want what to check, without the alipay: prefix", fault.String(), msg)
		}
	}
}

func TestAPIVerifyNotify(t *testing.T) {
	cfg, _, keys := standaloneEmulator(t, nil)
	form := url.Values{
		"notify_type": {"trade_status_sync"}, "app_id": {emulator.DefaultAppID}, "seller_id": {emulator.DefaultSellerID},
		"out_trade_no": {"K1"}, "trade_no": {"2026112222001400001234567890"}, "trade_status": {"TRADE_SUCCESS"},
		"total_amount": {"12.34"}, "charset": {"utf-8"},
	}
	signed, err := alipay.SignNotification(keys.AlipayPrivate, alipay.RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(body string, args ...string) (string, error) {
		var out bytes.Buffer
		err := execute(append([]string{"api", "verify-notify", "--config", cfg}, args...), stdio{in: strings.NewReader(body), out: &out, diag: io.Discard})
		return out.String(), err
	}
	if out, err := verify(signed.Encode()); err != nil || !strings.Contains(out, "verified: trade_status_sync TRADE_SUCCESS for K1, amount 12.34") {
		t.Errorf("good notification: %v, %q", err, out)
	}
	if _, err := verify(signed.Encode(), "--amount", "1.00"); !errors.As(err, new(cli.SignatureError)) || !errors.Is(err, alipay.ErrNotifyMismatch) {
		t.Errorf("wrong amount: %v", err)
	}
	tampered := strings.Replace(signed.Encode(), "total_amount=12.34", "total_amount=99.99", 1)
	if _, err := verify(tampered); !errors.Is(err, alipay.ErrBadSignature) {
		t.Errorf("tampered notification: %v", err)
	}
}

// TestAPIWithTheEnvironmentAlone: kiosk api needs no --config when the
// KIOSK_* variables name the gateway and its keys; with neither, it says
// both ways.
func TestAPIWithTheEnvironmentAlone(t *testing.T) {
	inLocale(t, "C", "", "")
	cfgPath, srv, _ := standaloneEmulator(t, nil)
	dir := filepath.Dir(cfgPath)
	unsetenv(t, "KIOSK_CONFIG")
	for _, name := range []string{"KIOSK_APP_ID", "KIOSK_APP_PRIVATE_KEY", "KIOSK_ALIPAY_PUBLIC_KEY", "KIOSK_GATEWAY", "KIOSK_APP_CERT"} {
		unsetenv(t, name)
	}
	for _, args := range [][]string{{"query", "--out-trade-no", "ENV_1"}, {"verify-notify"}, {"app-pay", "--amount", "1.00"}} {
		err := execute(append([]string{"api"}, args...), stdio{in: strings.NewReader(""), out: io.Discard, diag: io.Discard})
		if exitStatus(err) != exitUsage || !strings.Contains(fmt.Sprint(err), "needs a gateway's settings: --config FILE, or KIOSK_APP_ID") &&
			!strings.Contains(fmt.Sprint(err), "--config FILE (the file the counter uses), or KIOSK_APP_ID, KIOSK_APP_PRIVATE_KEY, KIOSK_ALIPAY_PUBLIC_KEY and KIOSK_GATEWAY") &&
			!strings.Contains(fmt.Sprint(err), "the app's keys sign the order: --config FILE, or KIOSK_APP_ID") {
			t.Errorf("kiosk api %s with no settings: %v; want status 2 naming --config and KIOSK_*", strings.Join(args, " "), err)
		}
	}
	t.Setenv("KIOSK_APP_ID", emulator.DefaultAppID)
	t.Setenv("KIOSK_SELLER_ID", emulator.DefaultSellerID)
	t.Setenv("KIOSK_APP_PRIVATE_KEY", filepath.Join(dir, emulator.AppPrivateKeyFile))
	t.Setenv("KIOSK_ALIPAY_PUBLIC_KEY", filepath.Join(dir, emulator.AlipayPublicKeyFile))
	t.Setenv("KIOSK_GATEWAY", srv.GatewayURL())
	out2, diag, status := runAPI("precreate", "--amount", "6.66", "--out-trade-no", "ENV_1")
	if status != exitOK || !strings.Contains(out2, `"out_trade_no": "ENV_1"`) {
		t.Fatalf("kiosk api precreate on KIOSK_* alone: status %d\n%s%s", status, out2, diag)
	}
	if err := srv.Pay("ENV_1"); err != nil {
		t.Fatal(err)
	}
	if out2, diag, status = runAPI("query", "--out-trade-no", "ENV_1"); status != exitOK || !strings.Contains(out2, `"trade_status": "TRADE_SUCCESS"`) {
		t.Errorf("kiosk api query on KIOSK_* alone: status %d\n%s%s", status, out2, diag)
	}
}

// TestAPIVerifyNotifySaysWhyInTheLanguage: a refused notification is said
// from its kind and facts (not signed, a signature that does not verify,
// a sign_type refused, an amount unlike the sale's), in Chinese with no
// English of alipay's, and in English without the alipay: prefix.
func TestAPIVerifyNotifySaysWhyInTheLanguage(t *testing.T) {
	cfg, _, keys := standaloneEmulator(t, nil)
	form := url.Values{
		"notify_type": {"trade_status_sync"}, "app_id": {emulator.DefaultAppID}, "seller_id": {emulator.DefaultSellerID},
		"out_trade_no": {"K1"}, "trade_no": {"2026112222001400001234567890"}, "trade_status": {"TRADE_SUCCESS"},
		"total_amount": {"12.34"}, "charset": {"utf-8"},
	}
	signed, err := alipay.SignNotification(keys.AlipayPrivate, alipay.RSA2, form)
	if err != nil {
		t.Fatal(err)
	}
	rsa1, err := alipay.SignNotification(keys.AlipayPrivate, alipay.RSA, form)
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(signed.Encode(), "total_amount=12.34", "total_amount=99.99", 1)
	for _, tt := range []struct {
		body   string
		args   []string
		zh, en string
	}{
		{form.Encode(), nil, "通知未通过验证：通知没有签名", "the notification does not verify: it is not signed"},
		{tampered, nil, "签名（sign_type RSA2）用支付宝公钥验签失败", "its signature (sign_type RSA2) does not verify"},
		{rsa1.Encode(), nil, "不接受 sign_type “RSA”", `sign_type "RSA" is refused`},
		{signed.Encode(), []string{"--amount", "1.00"}, "total_amount “12.34”与该笔收款的“1.00”不符", `its total_amount "12.34" is not the sale's "1.00"`},
		{"%zz=1", nil, "无法读取通知：不是支付宝可能发出的表单", "the notification cannot be read: it is not a form Alipay could have sent"},
	} {
		for _, lang := range []string{"zh", "en"} {
			args := append([]string{"--lang", lang, "api", "verify-notify", "--config", cfg}, tt.args...)
			err := execute(args, stdio{in: strings.NewReader(tt.body), out: io.Discard, diag: io.Discard})
			speak(words.English)
			msg := fmt.Sprint(err)
			want := map[string]string{"zh": tt.zh, "en": tt.en}[lang]
			if !strings.Contains(msg, want) || strings.Contains(msg, "alipay:") {
				t.Errorf("%s %.20q: %q; want it to say %q", lang, tt.body, msg, want)
			}
			if en := english.Words(msg); lang == "zh" && len(en) > 0 {
				t.Errorf("English %q in %q", en, msg)
			}
		}
	}
}
