package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"kiosk/alipay"
	"kiosk/internal/pgtest"
)

// TestCentralLedgerFitsTheWidth: kiosk central ledger, sent to a pipe,
// fits its day's table to 80 columns as kiosk ledger does, in English and
// in Chinese (a Chinese character two cells): it leaves out the terminal
// and Alipay's trade number, and says so and where to see everything.
func TestCentralLedgerFitsTheWidth(t *testing.T) {
	dsn := pgtest.DB(t)
	_, srv, keys := standaloneEmulator(t, nil)
	client, err := emulatorClient(srv, keys, alipay.ProtocolV2)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := fileConfig{}.location()
	ctx := context.Background()
	r := newChainRegister(t, 0, client, dsn, loc, 1)
	if err := r.sell(ctx, 4, srv.Emulator.Pay); err != nil {
		t.Fatal(err)
	}
	if err := r.shipper.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	r.shipper.Close()
	t.Setenv("KIOSK_CENTRAL_LEDGER", dsn)
	t.Setenv("KIOSK_CONFIG", "")
	t.Setenv("COLUMNS", "")
	date := time.Now().In(loc).Format(time.DateOnly)
	for _, tt := range []struct{ lang, header, whole string }{
		{"en", "PAID BY", "kiosk central ledger --format csv (or json)"},
		{"zh", "付款方式", "kiosk central ledger --format csv（或 json）"},
	} {
		out, diag, status := kioskRunIn(t, tt.lang, "central", "ledger", "--date", date)
		if status != exitOK {
			t.Fatalf("%s: status %d\n%s", tt.lang, status, diag)
		}
		for _, l := range strings.Split(out, "\n") {
			if w := lipgloss.Width(l); w > 80 {
				t.Errorf("%s: a line %d cells wide, more than 80: %q", tt.lang, w, l)
			}
		}
		if !strings.Contains(out, tt.header) || !strings.Contains(out, tt.whole) || strings.Contains(out, r.terminal) {
			t.Errorf("%s: the table kept the terminal or did not say how to see it:\n%s", tt.lang, out)
		}
	}
}
