package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/mapi"
	"kiosk/ui/cli"
)

func TestAPIAppPayPrintsASignedOrderString(t *testing.T) {
	cfg, _, keys := standaloneEmulator(t, nil)
	out, diag, status := runAPI("app-pay", "--config", cfg, "--amount", "12.34", "--out-trade-no", "APP_1",
		"--subject", "Tea & cake", "--notify-url", "https://shop.example/notify", "--timeout-express", "90s")
	if status != exitOK || strings.Count(out, "\n") != 1 {
		t.Fatalf("app-pay: status %d, output %q, %s", status, out, diag)
	}
	params, err := url.ParseQuery(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := alipay.Verify(keys.AppPublic, alipay.SignType(params.Get("sign_type")),
		[]byte(alipay.RequestSigningString(params)), params.Get("sign")); err != nil {
		t.Errorf("the order string's sign does not verify with the app's key: %v\n%s", err, out)
	}
	var biz map[string]string
	if err := json.Unmarshal([]byte(params.Get("biz_content")), &biz); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"out_trade_no": "APP_1", "total_amount": "12.34", "subject": "Tea & cake",
		"product_code": alipay.ProductAppPay, "timeout_express": "2m"}
	for k, v := range want {
		if biz[k] != v {
			t.Errorf("biz_content %s = %q, want %q", k, biz[k], v)
		}
	}
	if params.Get("method") != alipay.MethodAppPay || params.Get("notify_url") != "https://shop.example/notify" {
		t.Errorf("method %q, notify_url %q", params.Get("method"), params.Get("notify_url"))
	}
}

func TestAPIPageAndWapPayPrintSignedCashierURLs(t *testing.T) {
	cfg, srv, keys := standaloneEmulator(t, nil)
	for _, tt := range []struct {
		cmd, method, product string
		args                 []string
	}{
		{"page-pay", alipay.MethodPagePay, alipay.ProductPagePay, []string{"--return-url", "https://shop.example/done"}},
		{"wap-pay", alipay.MethodWapPay, alipay.ProductWapPay, []string{"--return-url", "https://shop.example/done", "--quit-url", "https://shop.example/cart"}},
	} {
		t.Run(tt.cmd, func(t *testing.T) {
			out, diag, status := runAPI(append([]string{tt.cmd, "--config", cfg, "--amount", "0.50", "--out-trade-no", "WEB_1"}, tt.args...)...)
			if status != exitOK {
				t.Fatalf("status %d, %q, %s", status, out, diag)
			}
			u, err := url.Parse(strings.TrimSpace(out))
			if err != nil || u.Scheme+"://"+u.Host+u.Path != srv.URL+"/gateway.do" {
				t.Fatalf("%q is not a URL of the gateway %s/gateway.do (%v)", out, srv.URL, err)
			}
			params := u.Query()
			if err := alipay.Verify(keys.AppPublic, alipay.SignType(params.Get("sign_type")),
				[]byte(alipay.RequestSigningString(params)), params.Get("sign")); err != nil {
				t.Errorf("the URL's sign does not verify with the app's key: %v", err)
			}
			var biz map[string]string
			_ = json.Unmarshal([]byte(params.Get("biz_content")), &biz)
			if params.Get("method") != tt.method || biz["product_code"] != tt.product || biz["total_amount"] != "0.50" ||
				params.Get("return_url") != "https://shop.example/done" {
				t.Errorf("method %q, biz %v, return_url %q", params.Get("method"), biz, params.Get("return_url"))
			}
			if tt.cmd == "wap-pay" && biz["quit_url"] != "https://shop.example/cart" {
				t.Errorf("quit_url %q", biz["quit_url"])
			}
		})
	}
}

// TestAPIPayStringRefusesWhatAlipayWould: nothing is printed for an order
// Alipay would refuse, and the command says why with status 2.
func TestAPIPayStringRefusesWhatAlipayWould(t *testing.T) {
	cfg, _, _ := standaloneEmulator(t, nil)
	for _, tt := range []struct {
		name, says string
		args       []string
	}{
		{"no config", "app-pay needs a gateway's settings", []string{"app-pay", "--amount", "1.00"}},
		{"no amount", "--amount is required", []string{"app-pay", "--config", cfg}},
		{"not an amount", "--amount: Use at most two decimals", []string{"page-pay", "--config", cfg, "--amount", "1.234"}},
		{"order number too long", "Alipay would refuse this order", []string{"wap-pay", "--config", cfg, "--amount", "1.00", "--out-trade-no", strings.Repeat("N", 65)}},
		{"timeout too long", "Alipay would refuse this order", []string{"app-pay", "--config", cfg, "--amount", "1.00", "--timeout-express", "400h"}},
	} {
		var out, diag bytes.Buffer
		err := execute(append([]string{"api"}, tt.args...), stdio{in: os.Stdin, out: &out, diag: &diag})
		if exitStatus(err) != exitUsage || out.Len() != 0 || err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: status %d, printed %q, error %v; want status 2, nothing printed, and %q", tt.name, exitStatus(err), out.String(), err, tt.says)
		}
	}
}

// md5Notification is a notification of the legacy MD5 gateway, signed
// with key.
func md5Notification(key string, change func(url.Values)) string {
	form := url.Values{
		"notify_type": {"trade_status_sync"}, "notify_id": {"RqPnCoPT3K9/vwbh3InWeQ"}, "notify_time": {"2026-12-01 10:00:00"},
		"out_trade_no": {"M1"}, "trade_no": {"2026120122001411231234567890"}, "trade_status": {"TRADE_SUCCESS"},
		"total_fee": {"12.34"}, "seller_id": {"2088101122136241"}, "subject": {"Tea"},
	}
	form.Set("sign", mapi.Sign(form, key))
	form.Set("sign_type", mapi.SignTypeMD5)
	if change != nil {
		change(form)
	}
	return form.Encode()
}

func TestAPIVerifyMD5(t *testing.T) {
	const key = "0123456789abcdefghijklmnopqrstuv"
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "md5.key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.key")
	if err := os.WriteFile(short, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	verify := func(body string, args ...string) (string, error) {
		var out bytes.Buffer
		err := execute(append([]string{"api", "verify-md5"}, args...), stdio{in: strings.NewReader(body), out: &out, diag: &bytes.Buffer{}})
		return out.String(), err
	}
	out, err := verify(md5Notification(key, nil), "--key-file", keyFile, "--partner", "2088101122136241", "--amount", "12.34")
	if err != nil || !strings.Contains(out, "verified (MD5 key): TRADE_SUCCESS for M1, total_fee 12.34, seller_id 2088101122136241 (sign, total_fee checked)") {
		t.Errorf("good notification: %v, %q", err, out)
	}
	ask := mapi.NotifyVerifyURL(mapi.Gateway, "2088101122136241", "RqPnCoPT3K9/vwbh3InWeQ")
	if !strings.Contains(out, ask) {
		t.Errorf("the output lacks the notify_verify URL %s:\n%s", ask, out)
	}
	tampered := md5Notification(key, func(f url.Values) { f.Set("total_fee", "99.99") })
	if _, err := verify(tampered, "--key-file", keyFile); !errors.As(err, new(cli.SignatureError)) || !errors.Is(err, mapi.ErrBadSignature) {
		t.Errorf("tampered notification: %v", err)
	}
	if _, err := verify(md5Notification(key, nil), "--key-file", keyFile, "--amount", "1.00"); exitStatus(err) != exitBadSignature {
		t.Errorf("another amount than the sale's: %v (status %d)", err, exitStatus(err))
	}
	for name, args := range map[string][]string{
		"no key file": {"--key-file", filepath.Join(dir, "absent")}, "a key too short": {"--key-file", short},
		"a malformed amount": {"--key-file", keyFile, "--amount", "12.345"},
	} {
		if out, err := verify(md5Notification(key, nil), args...); exitStatus(err) != exitUsage || out != "" {
			t.Errorf("%s: status %d, %q, %v; want status 2", name, exitStatus(err), out, err)
		}
	}
}

// TestHelpNamesThePayStringsAndTheMD5Check: kiosk help shows how to call
// each of the seeds' other products.
func TestHelpNamesThePayStringsAndTheMD5Check(t *testing.T) {
	var out bytes.Buffer
	if err := execute([]string{"help"}, stdio{out: &out}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kiosk api app-pay", "kiosk api page-pay", "[--return-url URL]", "kiosk api wap-pay", "[--quit-url URL]",
		"kiosk api verify-md5", "[--key-file FILE]", "[--partner ID]"} {
		if flat := strings.Join(strings.Fields(out.String()), " "); !strings.Contains(flat, want) {
			t.Errorf("kiosk help lacks %q:\n%s", want, out.String())
		}
	}
}
