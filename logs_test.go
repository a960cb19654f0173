package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
)

// closedPort is a loopback address nothing listens on: connecting to it is
// refused at once, as for a gateway whose host is up and port closed.
// It is port 1: a port freed after listening may be taken by another test
// or process before the kiosk dials it.
func closedPort(t *testing.T) string { return "127.0.0.1:1" }

// TestUnreachableGatewayIsInTheLog is the complaint of issue 12: a sale
// against a real gateway that cannot be reached told the cashier "Alipay
// could not be reached" and left kiosk.log empty. The log must say which
// call failed, for which order, and why.
func TestUnreachableGatewayIsInTheLog(t *testing.T) {
	keys := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(keys); err != nil {
		t.Fatal(err)
	}
	cfgPath := writeFile(t, keys, "kiosk.toml", "app_id = \"2021000000000001\"\n"+
		"app_private_key = \"app_private_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n"+
		"gateway = \"http://"+closedPort(t)+"/gateway.do\"\n")
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, cfg), dir)
	if err != nil {
		t.Fatal(err)
	}
	if sale, err := c.register.Start(context.Background(), 1234, ""); err == nil {
		t.Fatalf("a sale started against a closed port: %+v", sale)
	}
	c.close()
	day := readLedger(t, dir)
	if len(day.Sales) != 1 {
		t.Fatalf("ledger: %+v", day.Sales)
	}
	logged, err := os.ReadFile(filepath.Join(dir, "kiosk.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"method":"alipay.trade.precreate"`, `"out_trade_no":"` + day.Sales[0].OutTradeNo + `"`,
		`"outcome":"failed"`, `"cause":"connection_refused"`, `"level":"WARN"`} {
		if !strings.Contains(string(logged), want) {
			t.Errorf("kiosk.log lacks %s; it holds %d bytes:\n%s", want, len(logged), logged)
		}
	}
}

// emulatorBuyers are the emulator's buyers' logon ids unmasked (its
// buyers.go); Alipay, and the emulator, send them masked.
var emulatorBuyers = []string{"15901234588", "abc.buyer@example.com", "13800138042"}

// base64Run is what a signature or key looks like: no order number, trade
// number or word is that long.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/]{64,}`)

// checkSaleLog reads the log of a kiosk that sold outTradeNo: every call of
// the sale is there with its outcome, and no key, signature or unmasked
// buyer account is.
func checkSaleLog(t *testing.T, path, outTradeNo string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	// The data directory's path is a long run of letters and slashes too.
	scrubbed := strings.ReplaceAll(text, filepath.Dir(path), "DIR")
	if strings.Contains(text, "PRIVATE KEY") || base64Run.MatchString(scrubbed) {
		t.Errorf("the log holds a key or a signature: %q", base64Run.FindString(scrubbed))
	}
	for _, buyer := range emulatorBuyers {
		if strings.Contains(text, buyer) {
			t.Errorf("the log holds the buyer account %s unmasked", buyer)
		}
	}
	calls := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var rec struct {
			Msg, Method, Outcome, Protocol string
			OutTradeNo                     string `json:"out_trade_no"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not JSON: %s", sc.Text())
		}
		if rec.Msg == "alipay call" && rec.OutTradeNo == outTradeNo && rec.Outcome != "" && rec.Protocol != "" {
			calls[rec.Method] = true
		}
	}
	for _, m := range []string{alipay.MethodPrecreate, alipay.MethodQuery} {
		if !calls[m] {
			t.Errorf("no %s of %s in the log:\n%s", m, outTradeNo, text)
		}
	}
}

// TestTheWaitForTheScanIsLoggedNotYet: on the embedded emulator, the
// polls of a sale nobody has scanned yet, and the query before its
// cancel, are in kiosk.log as outcome not_yet, not as Alipay's refusal;
// the query of the same order once the sale is settled at the next start
// (a sale that should exist) stays refused.
func TestTheWaitForTheScanIsLoggedNotYet(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sale, err := c.register.Start(ctx, 1234, "")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.register.Poll(ctx, sale); err != nil || res.Progress != pos.AwaitingScan {
		t.Fatalf("the poll before the scan: %+v, %v", res, err)
	}
	left, err := c.register.Start(ctx, 500, "")
	if err != nil {
		t.Fatal(err)
	}
	c.close()
	c, err = openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.register.Recover(ctx); err != nil { // as at start: left, pending, is settled
		t.Fatal(err)
	}
	c.close()
	b, err := os.ReadFile(filepath.Join(dir, "kiosk.log"))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string][]any{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("kiosk.log's line %q: %v", line, err)
		}
		if rec["msg"] == "alipay call" && rec["method"] == alipay.MethodQuery && rec["source"] == nil {
			no, _ := rec["out_trade_no"].(string)
			outcomes[no] = append(outcomes[no], rec["outcome"])
			if rec["outcome"] == alipay.OutcomeNotYet && (rec["level"] != "INFO" || rec["sub_code"] != alipay.SubCodeTradeNotExist) {
				t.Errorf("a not_yet record: %v", rec)
			}
		}
	}
	if got := outcomes[sale.OutTradeNo]; len(got) == 0 || got[0] != alipay.OutcomeNotYet {
		t.Errorf("the queries of %s, nobody scanned: %v\n%s", sale.OutTradeNo, got, b)
	}
	if got := outcomes[left.OutTradeNo]; len(got) == 0 || got[len(got)-1] != alipay.OutcomeRefused {
		t.Errorf("the query of %s, settled at the next start: %v\n%s", left.OutTradeNo, got, b)
	}
}
