package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
)

// faultyConfig gives every call a deadline that a healthy loopback call
// meets with a wide margin on a loaded machine, and that faultLatency
// exceeds.
var faultyConfig = pos.Config{
	PollInterval:     500 * time.Millisecond,
	PrecreateTimeout: time.Second,
	QueryTimeout:     time.Second,
	CancelTimeout:    time.Second,
	CancelBackoff:    5 * time.Millisecond,
}

// faultLatency is the emulator's delay in the latency faults.
const faultLatency = 3 * time.Second

// faultyCounter is the real client, register and ledger against a
// standalone emulator whose faults the test sets.
func faultyCounter(t *testing.T) (*pos.Register, *emulator.Server, *store.Store) {
	t.Helper()
	cfgPath, srv, _ := standaloneEmulator(t, nil)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		t.Fatal(err)
	}
	client, err := alipay.NewClient(acfg)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })
	reg, err := pos.New(faultyConfig, client, ledger)
	if err != nil {
		t.Fatal(err)
	}
	return reg, srv, ledger
}

func TestFaultsOnQueryNeverCountAsPaid(t *testing.T) {
	only := []string{alipay.MethodQuery}
	tests := []struct {
		name   string
		faults emulator.Faults
		says   string
	}{
		{"connection reset", emulator.Faults{ResetRate: 1, Methods: only}, "could not be reached"},
		{"HTTP 502", emulator.Faults{HTTP5xxRate: 1, Methods: only}, "could not be reached"},
		{"malformed JSON", emulator.Faults{MalformedRate: 1, Methods: only}, "could not be understood"},
		{"forged signature", emulator.Faults{BadSignatureRate: 1, Methods: only}, "failed its signature check"},
		{"no signature", emulator.Faults{UnsignedRate: 1, Methods: only}, "failed its signature check"},
		{"system busy", emulator.Faults{SystemErrorRate: 1, Methods: only}, "Alipay is busy"},
		{"too slow", emulator.Faults{Latency: faultLatency, Methods: only}, "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg, srv, ledger := faultyCounter(t)
			ctx := context.Background()
			sale, err := reg.Start(ctx, 1234, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Pay(sale.OutTradeNo); err != nil {
				t.Fatal(err)
			}
			if err := srv.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			res, err := reg.Poll(ctx, sale)
			if err != nil || res.Progress == pos.Paid || !strings.Contains(res.Warning, tt.says) {
				t.Fatalf("poll under %s: %+v, %v; want a warning saying %q", tt.name, res, err, tt.says)
			}
			if s, _ := ledger.Get(sale.OutTradeNo); s.Status != store.StatusPending {
				t.Fatalf("the ledger says %s on an answer that was not verified", s.Status)
			}
			if err := srv.SetFaults(emulator.Faults{}); err != nil {
				t.Fatal(err)
			}
			if res, err := reg.Poll(ctx, sale); err != nil || res.Progress != pos.Paid {
				t.Errorf("once the fault clears: %+v, %v", res, err)
			}
		})
	}
}

func TestCancelRetriesWhileAlipayAsks(t *testing.T) {
	reg, srv, _ := faultyCounter(t)
	ctx := context.Background()
	sale, err := reg.Start(ctx, 500, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetFaults(emulator.Faults{CancelRetries: 2}); err != nil {
		t.Fatal(err)
	}
	out, err := reg.Cancel(ctx, sale, "The time to pay ran out")
	if err != nil || out.Status != store.StatusCancelled {
		t.Errorf("cancel with two retry answers: %+v, %v", out, err)
	}
	if err := srv.SetFaults(emulator.Faults{CancelRetries: 10}); err != nil {
		t.Fatal(err)
	}
	sale2, _ := reg.Start(ctx, 600, "")
	if out, _ := reg.Cancel(ctx, sale2, "The time to pay ran out"); out.Status != store.StatusUnknown {
		t.Errorf("cancel that never stops asking for retries: %q, want unknown", out.Status)
	}
}

// TestPrecreateFaultIsExplainedAndSettled: a 502 after the gateway ran
// the precreate leaves a trade at Alipay, so the sale is unknown, not
// failed, until the background retry cancels it.
func TestPrecreateFaultIsExplainedAndSettled(t *testing.T) {
	reg, srv, ledger := faultyCounter(t)
	if err := srv.SetFaults(emulator.Faults{HTTP5xxRate: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := reg.Start(context.Background(), 100, "")
	if msg := pos.Describe(err); !strings.Contains(msg, "The connection to Alipay failed before its answer arrived, so no QR code was shown") {
		t.Errorf("Describe = %q", msg)
	}
	open, _ := ledger.Unsettled()
	if len(open) != 1 || open[0].Status != store.StatusUnknown {
		t.Fatalf("a sale whose precreate answer was lost: %+v, want it open and unknown", open)
	}
	if tr, ok := srv.Trade(open[0].OutTradeNo); !ok || tr.Status != emulator.StatusPrecreated {
		t.Fatalf("the gateway has %+v", tr)
	}
	if err := srv.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	if settled, left, err := reg.Reconcile(context.Background()); err != nil || left != 0 || len(settled) != 1 || settled[0].Status != store.StatusCancelled {
		t.Fatalf("Reconcile = %+v, %d, %v", settled, left, err)
	}
	if tr, _ := srv.Trade(open[0].OutTradeNo); tr.Status != emulator.StatusTradeClosed {
		t.Errorf("the gateway's trade is %s, want closed", tr.Status)
	}
}
