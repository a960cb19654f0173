package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"kiosk/alipay"
)

// TestAPIPrintsAlipaysAnswerAsSent: kiosk api prints the response object
// Alipay signed, every member as it came (total_amount "12.34",
// send_pay_date Beijing wall-clock, buyer_pay_amount and the rest), not
// the kiosk's reading of it; over v3 the answer's body.
func TestAPIPrintsAlipaysAnswerAsSent(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p alipay.Protocol) {
		cfg, srv, _ := standaloneEmulator(t, nil)
		if _, diag, status := runAPI("precreate", "--config", cfg, "--amount", "12.34", "--out-trade-no", "RAW_1"); status != exitOK {
			t.Fatalf("precreate: status %d, %s", status, diag)
		}
		if err := srv.Pay("RAW_1"); err != nil {
			t.Fatal(err)
		}
		out, diag, status := runAPI("query", "--config", cfg, "--out-trade-no", "RAW_1", "--verbose")
		if status != exitOK {
			t.Fatalf("query: status %d, %s", status, diag)
		}
		var got bytes.Buffer
		if err := json.Compact(&got, []byte(out)); err != nil {
			t.Fatalf("query printed no JSON: %v\n%s", err, out)
		}
		if sent := sentObject(t, p, diag); got.String() != sent {
			t.Errorf("kiosk api query printed\n%s\nAlipay sent\n%s", got.String(), sent)
		}
		for _, want := range []string{`"total_amount": "12.34"`, `"buyer_pay_amount": "12.34"`, `"trade_status": "TRADE_SUCCESS"`} {
			if !strings.Contains(out, want) {
				t.Errorf("kiosk api query lacks %s:\n%s", want, out)
			}
		}
		for _, derived := range []string{"total_fen", "+08:00"} {
			if strings.Contains(out, derived) {
				t.Errorf("kiosk api query prints the kiosk's %s:\n%s", derived, out)
			}
		}
	})
}

// sentObject is the answer's object as --verbose shows it came over the
// wire: the line after "-- raw response", over v2 its
// alipay_trade_query_response member.
func sentObject(t *testing.T, p alipay.Protocol, verbose string) string {
	t.Helper()
	_, after, ok := strings.Cut(verbose, "-- raw response")
	if !ok {
		t.Fatalf("--verbose shows no raw response:\n%s", verbose)
	}
	lines := strings.Split(after, "\n")
	raw := ""
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "{") {
			raw = l
			break
		}
	}
	if p == alipay.ProtocolV3 {
		return raw
	}
	var envelope map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &envelope); err != nil {
		t.Fatalf("the raw response %q: %v", raw, err)
	}
	return string(envelope["alipay_trade_query_response"])
}

// TestAPIAuthCodeRefusedInADevelopersWords: a malformed --auth-code is
// refused before anything is sent, saying what a payment code looks like
// and where to get one, not the cashier's "Scan the code again".
func TestAPIAuthCodeRefusedInADevelopersWords(t *testing.T) {
	cfg, srv, _ := standaloneEmulator(t, nil)
	for code, says := range map[string]string{
		"123":                  "--auth-code: it has 3 digits, and a payment code has 16 to 24 (kiosk emulator buyer-code prints one)",
		"28abc":                "--auth-code: a payment code is digits only",
		"99999999999999999999": "--auth-code: an Alipay payment code begins with 25 to 30",
	} {
		_, diag, status := kioskRun(t, "api", "pay", "--config", cfg, "--amount", "1.00", "--auth-code", code)
		if status != exitUsage || !strings.Contains(diag, says) || strings.Contains(diag, "Scan") || strings.Contains(diag, "customer's Alipay app") {
			t.Errorf("--auth-code %s: status %d, stderr %q; want %q", code, status, diag, says)
		}
	}
	if n := len(srv.Trades()); n != 0 {
		t.Errorf("refused codes made %d trades", n)
	}
}

// TestAPIHelpNamesTheMethods: kiosk api --help names every method and,
// like every command's help, --lang.
func TestAPIHelpNamesTheMethods(t *testing.T) {
	out, _, status := kioskRun(t, "api", "--help")
	flat := strings.Join(strings.Fields(out), " ")
	if status != exitOK || !strings.Contains(flat, "METHOD is precreate, pay, query, cancel, close, refund, refund-query") || !strings.Contains(out, "\n  --lang en|zh ") {
		t.Errorf("kiosk api --help: status %d\n%s", status, out)
	}
}
