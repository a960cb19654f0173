package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
)

// runCmd runs `kiosk args...` and returns what it printed and its exit
// status.
func runCmd(args ...string) (stdout, stderr string, status int) {
	var out, diag bytes.Buffer
	err := execute(args, stdio{in: os.Stdin, out: &out, diag: &diag})
	if err != nil {
		diag.WriteString(err.Error())
	}
	return out.String(), diag.String(), exitStatus(err)
}

// TestEmulatorBuyerCodePrintsOneCode: kiosk emulator buyer-code prints one
// line of digits, a code of the kind its flag asks for; two kinds at once
// are refused and issue nothing.
func TestEmulatorBuyerCodePrintsOneCode(t *testing.T) {
	_, srv, _ := standaloneEmulator(t, nil)
	addr := strings.TrimPrefix(srv.URL, "http://")
	for flag, kind := range map[string]emulator.BuyerCodeKind{
		"": emulator.BuyerCodePay, "--confirm": emulator.BuyerCodeConfirm, "--insufficient": emulator.BuyerCodeInsufficient,
		"--expired": emulator.BuyerCodeExpired, "--risk": emulator.BuyerCodeRisk,
	} {
		args := []string{"emulator", "buyer-code", "--addr", addr}
		if flag != "" {
			args = append(args, flag)
		}
		out, diag, status := runCmd(args...)
		code := strings.TrimSuffix(out, "\n")
		if status != exitOK || strings.Count(out, "\n") != 1 || !alipay.IsPaymentCode(code) {
			t.Errorf("buyer-code %s: status %d, printed %q (%s); want one line of a payment code", flag, status, out, diag)
			continue
		}
		if info, ok := srv.BuyerCodeInfo(code); !ok || info.Kind != kind {
			t.Errorf("buyer-code %s printed a code of kind %q, want %q", flag, info.Kind, kind)
		}
	}
	issued := len(srv.BuyerCodes())
	if _, diag, status := runCmd("emulator", "buyer-code", "--addr", addr, "--confirm", "--expired"); status != exitUsage || !strings.Contains(diag, "give one of them") {
		t.Errorf("two kinds at once: status %d, %s", status, diag)
	}
	if n := len(srv.BuyerCodes()); n != issued {
		t.Errorf("the refused command issued %d codes", n-issued)
	}
}

// TestBuyerCodeAndConfirmOnTheRunningKiosk: with --data, buyer-code and
// confirm reach the embedded emulator of the kiosk running there: the
// cashier charges a --confirm code, it waits, and kiosk emulator confirm
// pays it.
func TestBuyerCodeAndConfirmOnTheRunningKiosk(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	out, diag, status := runCmd("emulator", "buyer-code", "--data", dir, "--confirm")
	if status != exitOK {
		t.Fatalf("buyer-code --data: status %d, %s", status, diag)
	}
	code := strings.TrimSpace(out)
	ctx := t.Context()
	ch, err := c.register.ScanPay(ctx, 2500, "", code)
	if err != nil || ch.Stage != pos.ChargeWaiting {
		t.Fatalf("charging the --confirm code: %+v, %v", ch, err)
	}
	if out, diag, status := runCmd("emulator", "confirm", code, "--data", dir); status != exitOK || out != "confirmed "+code+"\n" {
		t.Fatalf("confirm: status %d, %q, %s", status, out, diag)
	}
	if res, err := c.register.Poll(ctx, ch.Sale); err != nil || res.Progress != pos.Paid {
		t.Errorf("the poll after the customer confirmed: %+v, %v", res, err)
	}
	if _, diag, status := runCmd("emulator", "confirm", "289999999999999999", "--data", dir); status != exitUsage || !strings.Contains(diag, "never issued the payment code 289999999999999999") ||
		strings.Contains(diag, "HTTP 404") {
		t.Errorf("confirming a code never issued: status %d, %s", status, diag)
	}
	fresh, _, _ := runCmd("emulator", "buyer-code", "--data", dir, "--confirm")
	if _, diag, status := runCmd("emulator", "confirm", strings.TrimSpace(fresh), "--data", dir); status != exitError || !strings.Contains(diag, "no charge waiting") {
		t.Errorf("confirming a code not charged: status %d, %s", status, diag)
	}
	if _, diag, status := runCmd("emulator", "confirm", "--data", dir); status != exitUsage || !strings.Contains(diag, "exactly one CODE") {
		t.Errorf("confirm without a code: status %d, %s", status, diag)
	}
	if _, diag, status := runCmd("emulator", "buyer-code", "--data", t.TempDir()); status != exitUsage || !strings.Contains(diag, "no kiosk with an embedded emulator") {
		t.Errorf("buyer-code where no kiosk runs: status %d, %s", status, diag)
	}
}

// TestAPIPay: kiosk api pay charges a payment code and prints Alipay's
// verified answer as sent: paid, waiting for the customer (not an error:
// stderr says to query it), or Alipay's refusal with its codes; a
// malformed code is refused before anything is sent.
func TestAPIPay(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p alipay.Protocol) {
		cfg, srv, _ := standaloneEmulator(t, nil)
		issue := func(kind emulator.BuyerCodeKind) string {
			code, err := srv.IssueBuyerCode(kind)
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		var answer struct {
			Code        string `json:"code"`
			OutTradeNo  string `json:"out_trade_no"`
			TotalAmount string `json:"total_amount"`
			GmtPayment  string `json:"gmt_payment"`
		}
		success, waiting := "10000", "10003" // over v3 the codes are the HTTP status's, not in the body
		if p == alipay.ProtocolV3 {
			success, waiting = "", ""
		}
		out, diag, status := runAPI("pay", "--config", cfg, "--amount", "12.34", "--auth-code", issue(emulator.BuyerCodePay), "--out-trade-no", "PAY_1")
		if status != exitOK || json.Unmarshal([]byte(out), &answer) != nil || answer.Code != success || answer.GmtPayment == "" ||
			answer.OutTradeNo != "PAY_1" || answer.TotalAmount != "12.34" || diag != "" {
			t.Fatalf("pay: status %d, %s %s", status, out, diag)
		}
		if tr, ok := srv.Trade("PAY_1"); !ok || tr.Status != emulator.StatusTradeSuccess {
			t.Errorf("the gateway has %+v", tr)
		}
		answer.GmtPayment = ""
		out, diag, status = runAPI("pay", "--config", cfg, "--amount", "1.00", "--auth-code", issue(emulator.BuyerCodeConfirm))
		if status != exitOK || json.Unmarshal([]byte(out), &answer) != nil || answer.Code != waiting || answer.GmtPayment != "" ||
			!strings.HasPrefix(answer.OutTradeNo, "API_") || !strings.Contains(diag, "the customer must still confirm this charge") {
			t.Errorf("pay of a code to confirm: status %d, %s, stderr %q", status, out, diag)
		}
		out, _, status = runAPI("pay", "--config", cfg, "--amount", "1.00", "--auth-code", issue(emulator.BuyerCodeExpired))
		if status != exitError || !strings.Contains(out, `"sub_code": "ACQ.PAYMENT_AUTH_CODE_INVALID"`) {
			t.Errorf("pay of an expired code: status %d, %s", status, out)
		}
		trades := len(srv.Trades())
		for _, bad := range [][]string{
			{"--amount", "1.00", "--auth-code", "123"},
			{"--amount", "1.00"},
			{"--auth-code", issue(emulator.BuyerCodePay)},
		} {
			if _, diag, status := runAPI(append([]string{"pay", "--config", cfg}, bad...)...); status != exitUsage {
				t.Errorf("pay %v: status %d, want %d (%s)", bad, status, exitUsage, diag)
			}
		}
		if n := len(srv.Trades()); n != trades {
			t.Errorf("refused calls made %d trades", n-trades)
		}
	})
}

// TestEmulatorHelpNamesTheBuyerCommands: kiosk emulator alone says what
// follows it, the buyer-code commands included.
func TestEmulatorHelpNamesTheBuyerCommands(t *testing.T) {
	if _, _, err := parse([]string{"emulator"}, stdio{out: io.Discard, diag: io.Discard}); err == nil ||
		!strings.Contains(err.Error(), "serve, pay, buyer-code or confirm") {
		t.Errorf("kiosk emulator: %v", err)
	}
}

// TestEmulatorFaultsAreRefusedInWords: a --faults spec the emulator
// refuses is said in the kiosk's language from the emulator's typed
// error, with no English left in the Chinese.
func TestEmulatorFaultsAreRefusedInWords(t *testing.T) {
	for _, tt := range []struct{ spec, en, zh string }{
		{"bogus=1", "--faults: unknown key bogus (known: latency, reset, 5xx,", "--faults：没有 bogus 这一项（可用：latency、reset、5xx、"},
		{"reset=2", "--faults: reset=2: a rate must be between 0 and 1 (or 0% and 100%)", "--faults：reset=2：比率应为 0 到 1 之间的数（或 0% 到 100%）"},
		{"latency=x", "--faults: latency=x: a duration is needed", "--faults：latency=x：应为时长"},
	} {
		for lang, want := range map[string]string{"en": tt.en, "zh": tt.zh} {
			_, diag, status := kioskRunIn(t, lang, "emulator", "serve", "--addr", "127.0.0.1:0", "--keys", t.TempDir(), "--faults", tt.spec)
			if status != exitUsage || !strings.Contains(diag, want) {
				t.Errorf("%s: --faults %s: status %d, %q; want %q", lang, tt.spec, status, diag, want)
			}
			if lang == "zh" && strings.Contains(diag, "unknown") {
				t.Errorf("zh: English in %q", diag)
			}
		}
	}
}
