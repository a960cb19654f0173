package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"kiosk/alipay"
)

// TestEachCallIsLoggedWithItsOrderAndAnswer: the gateway's line per call
// names the method, the order it is about and the answer: Alipay's code,
// the trade's status where the answer has one, the sub_code of a refusal.
func TestEachCallIsLoggedWithItsOrderAndAnswer(t *testing.T) {
	var logged bytes.Buffer
	s := startServer(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logged, nil)) })
	c, ctx := newClient(t, s), context.Background()
	if _, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 99, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"}) // not scanned yet: ACQ.TRADE_NOT_EXIST
	if err := s.Pay("K1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
	var calls []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(logged.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if rec["msg"] != "gateway" {
			continue
		}
		call := map[string]string{}
		for _, k := range []string{"method", "out_trade_no", "code", "sub_code", "trade_status"} {
			call[k], _ = rec[k].(string)
		}
		calls = append(calls, call)
	}
	want := []map[string]string{
		{"method": "alipay.trade.precreate", "out_trade_no": "K1", "code": "10000", "sub_code": "", "trade_status": ""},
		{"method": "alipay.trade.query", "out_trade_no": "K1", "code": "40004", "sub_code": "ACQ.TRADE_NOT_EXIST", "trade_status": ""},
		{"method": "alipay.trade.query", "out_trade_no": "K1", "code": "10000", "sub_code": "", "trade_status": "TRADE_SUCCESS"},
	}
	if len(calls) != len(want) {
		t.Fatalf("calls logged %v, want %v", calls, want)
	}
	for i := range want {
		for k, v := range want[i] {
			if calls[i][k] != v {
				t.Errorf("call %d: %s = %q, want %q (%v)", i, k, calls[i][k], v, calls[i])
			}
		}
	}
}
