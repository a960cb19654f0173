package main

import (
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
)

// TestEmulatorPaySaysTheEmulatorsAnswerInWords: kiosk emulator pay words
// the emulator's typed answer in the kiosk's language: the amount it paid,
// a closed order, an unknown one; never the emulator's English nor its
// HTTP status.
func TestEmulatorPaySaysTheEmulatorsAnswerInWords(t *testing.T) {
	cfgPath, srv, _ := standaloneEmulator(t, nil)
	addr := strings.TrimPrefix(srv.URL, "http://")
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	client, err := cfg.newClient(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, no := range []string{"PAY_OK", "PAY_CLOSED"} {
		if _, err := client.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: no, TotalFen: 990, Subject: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.Cancel(t.Context(), &alipay.CancelRequest{OutTradeNo: "PAY_CLOSED"}); err != nil {
		t.Fatal(err)
	}
	if tr, _ := srv.Trade("PAY_CLOSED"); tr.Status != emulator.StatusTradeClosed {
		t.Fatalf("the cancelled trade is %s", tr.Status)
	}

	out, diag, status := kioskRunIn(t, "zh", "emulator", "pay", "--addr", addr, "PAY_OK")
	if status != exitOK || out != "已支付 ¥9.90：订单 PAY_OK\n" {
		t.Errorf("paying: status %d, %q, %s", status, out, diag)
	}
	_, diag, status = kioskRunIn(t, "zh", "emulator", "pay", "--addr", addr, "PAY_CLOSED")
	if status != exitError || !strings.Contains(diag, "订单 PAY_CLOSED 已关闭（已撤销或已退款），无法再支付") {
		t.Errorf("paying a closed order: status %d, %s", status, diag)
	}
	_, diag, status = kioskRunIn(t, "zh", "emulator", "pay", "--addr", addr, "PAY_NONE")
	if status != exitUsage || !strings.Contains(diag, "没有订单 PAY_NONE") {
		t.Errorf("paying an unknown order: status %d, %s", status, diag)
	}
	out, diag, _ = kioskRunIn(t, "en", "emulator", "pay", "--addr", addr, "PAY_CLOSED")
	if !strings.Contains(diag, "the order PAY_CLOSED at the emulator at "+srv.URL+" is closed") {
		t.Errorf("paying a closed order in English: %s", diag)
	}
	for _, raw := range []string{"HTTP 409", "trade is closed", "emulator:", "系统原因"} {
		if strings.Contains(out+diag, raw) {
			t.Errorf("emulator pay quotes %q: %s%s", raw, out, diag)
		}
	}
}
