package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
)

// testProtocols are the protocols the whole-stack tests can run under. A
// test picks one for the kiosk with fileConfig.Protocol, or, for a kiosk
// whose configuration is loaded (loadConfig) in this process or a child,
// with the KIOSK_PROTOCOL environment variable.
var testProtocols = []alipay.Protocol{alipay.ProtocolV2, alipay.ProtocolV3}

// forEachProtocol runs f once per protocol, as a subtest named after it,
// with KIOSK_PROTOCOL set: a kiosk whose configuration goes through
// loadConfig (faultyCounter, kiosk api) speaks that protocol, and so does a
// child process started with os.Environ() whose fileConfig takes Protocol
// from os.Getenv("KIOSK_PROTOCOL"). t.Setenv rules out t.Parallel.
func forEachProtocol(t *testing.T, f func(t *testing.T, p alipay.Protocol)) {
	t.Helper()
	for _, p := range testProtocols {
		t.Run(string(p), func(t *testing.T) {
			t.Setenv("KIOSK_PROTOCOL", string(p))
			f(t, p)
		})
	}
}

// TestKioskProtocolFromTheEnvironment: KIOSK_PROTOCOL alone decides what
// a kiosk whose configuration is loaded speaks.
func TestKioskProtocolFromTheEnvironment(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p alipay.Protocol) {
		cfg, srv, _ := standaloneEmulator(t, nil)
		_, diag, status := runAPI("query", "--config", cfg, "--out-trade-no", "ENV_1", "--verbose")
		want := map[alipay.Protocol]string{alipay.ProtocolV2: "-- string signed (alipay.trade.query", alipay.ProtocolV3: "-- string signed (v3 POST"}[p]
		if status != exitError || !strings.Contains(diag, want) {
			t.Errorf("KIOSK_PROTOCOL=%s: status %d, --verbose:\n%s", p, status, diag)
		}
		if _, ok := srv.Trade("ENV_1"); ok {
			t.Error("a query created a trade")
		}
	})
}

// TestWholeStackOnV3 runs the kiosk with protocol = "v3" on the embedded
// emulator: a sale the customer pays through the screen's QR code, a sale
// the cashier cancels, and a refund, every gateway call in v3.
func TestWholeStackOnV3(t *testing.T) {
	dir := t.TempDir()
	k := startKioskWith(t, dir, fileConfig{ShopName: "Test Shop", PollInterval: duration{200 * time.Millisecond}, Protocol: "v3"})
	qr := k.sell(t, "12.34")
	buyerRequest(t, http.MethodGet, qr)
	k.rec.waitScreen(t, "Scanned, waiting for confirmation")
	buyerRequest(t, http.MethodPost, qr+"/pay")
	if receipt := k.rec.waitScreen(t, "PAID"); !strings.Contains(receipt, "¥12.34") {
		t.Errorf("receipt:\n%s", receipt)
	}

	k.tm.Type(" ") // any key: the next sale
	k.rec.waitScreen(t, "Amount (yuan)")
	k.sell(t, "5.00")
	k.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	k.rec.waitScreen(t, "Cancel this sale?")
	k.tm.Type("y")
	k.rec.waitScreen(t, "Sale cancelled")

	day := readLedger(t, dir)
	var paid, cancelled store.Sale
	for _, s := range day.Sales {
		switch s.Status {
		case store.StatusPaid:
			paid = s
		case store.StatusCancelled:
			cancelled = s
		}
	}
	if paid.AmountFen != 1234 || cancelled.AmountFen != 500 || len(day.Sales) != 2 {
		t.Fatalf("ledger after a sale and a cancel: %+v", day.Sales)
	}
	if err := k.c.ledger.SetManagerPIN("246813"); err != nil {
		t.Fatal(err)
	}
	refunded, err := k.c.register.Refund(context.Background(), pos.RefundOrder{OutTradeNo: paid.OutTradeNo, Fen: 234, PIN: "246813", ApprovedBy: "Wang"})
	if err != nil || refunded.RefundedFen != 234 {
		t.Fatalf("refund: %+v, %v", refunded, err)
	}
	if tr, _ := k.c.server.Trade(paid.OutTradeNo); tr.RefundedFen() != 234 {
		t.Errorf("the emulator refunded %d fen", tr.RefundedFen())
	}
	if tr, _ := k.c.server.Trade(cancelled.OutTradeNo); tr.Status != emulator.StatusTradeClosed {
		t.Errorf("the cancelled sale is %s at the emulator", tr.Status)
	}
	k.quit(t)
	checkGatewayLog(t, filepath.Join(dir, "kiosk.log"), "v3",
		alipay.MethodPrecreate, alipay.MethodQuery, alipay.MethodCancel, alipay.MethodRefund)
}

// checkGatewayLog reads the emulator's records in the kiosk's log: every
// gateway call must have come in protocol, and each method must appear.
func checkGatewayLog(t *testing.T, path, protocol string, methods ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var rec struct{ Msg, Source, Method, Protocol string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("a log line that is not JSON: %s", sc.Text())
		}
		if rec.Msg != "gateway" || rec.Source != "emulator" {
			continue
		}
		if rec.Protocol != protocol {
			t.Errorf("a gateway call not in %s: %s", protocol, sc.Text())
		}
		seen[rec.Method] = true
	}
	for _, m := range methods {
		if !seen[m] {
			t.Errorf("no %s call in the log", m)
		}
	}
}

// TestProtocolSetting: protocol comes from the file or KIOSK_PROTOCOL,
// reaches the client of a configured gateway and of the embedded
// emulator, and a wrong value is one clear line before anything starts.
func TestProtocolSetting(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "kiosk.toml", `app_id = "2021000000000001"
gateway = "sandbox"
app_private_key = "app_private_key.pem"
alipay_public_key = "alipay_public_key.pem"
protocol = "v3"
`)
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if acfg, _, err := cfg.clientConfig(); err != nil || acfg.Protocol != alipay.ProtocolV3 {
		t.Errorf("protocol from the file: %q, %v", acfg.Protocol, err)
	}
	t.Setenv("KIOSK_PROTOCOL", "v2")
	if cfg, err = loadConfig(path); err != nil {
		t.Fatal(err)
	}
	if acfg, _, err := cfg.clientConfig(); err != nil || acfg.Protocol != alipay.ProtocolV2 {
		t.Errorf("KIOSK_PROTOCOL=v2 over the file's v3: %q, %v", acfg.Protocol, err)
	}
	for _, p := range testProtocols {
		if plan := mustPlan(t, fileConfig{Protocol: string(p)}); plan.client != nil || plan.protocol != p {
			t.Errorf("embedded emulator with protocol %s: %+v", p, plan)
		}
	}
	if plan := mustPlan(t, fileConfig{}); plan.protocol != alipay.ProtocolV2 {
		t.Errorf("default protocol %q", plan.protocol)
	}

	t.Setenv("KIOSK_PROTOCOL", "v4")
	data := t.TempDir()
	err = dispatch([]string{"--config", path, "--data", data})
	if err == nil || !strings.Contains(err.Error(), `protocol "v4" is neither v2 nor v3`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("protocol v4: %v", err)
	}
	if entries, _ := os.ReadDir(data); len(entries) > 0 {
		t.Errorf("a bad protocol still wrote %d files", len(entries))
	}
}
