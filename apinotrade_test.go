package main

import (
	"io"
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestAPIQueryOfAnOrderNotYetScannedSaysWhatItMeans: kiosk api query of an
// order Alipay has no trade of (ACQ.TRADE_NOT_EXIST, signed) says, for a
// developer, that the buyer has not scanned yet or the number is wrong,
// with no advice for a cashier or a manager; in both languages, and
// Alipay's answer is still printed.
func TestAPIQueryOfAnOrderNotYetScannedSaysWhatItMeans(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	cfg, _, _ := standaloneEmulator(t, nil)
	if _, diag, status := runAPI("precreate", "--config", cfg, "--amount", "1.00", "--out-trade-no", "NOT_SCANNED"); status != exitOK {
		t.Fatalf("precreate: %d %s", status, diag)
	}
	for _, c := range []struct {
		lang      string
		want, not []string
	}{
		{"en", []string{"no trade under this order number yet", "has not scanned", "precreate makes no trade until the scan", "the order number is wrong"}, []string{"manager", "ledger"}},
		{"zh", []string{"尚无这个商户订单号的交易", "顾客还没有扫码", "precreate 在顾客扫码之前不会生成交易", "商户订单号有误"}, []string{"店长", "账本"}},
	} {
		var out strings.Builder
		err := execute([]string{"--lang", c.lang, "api", "query", "--config", cfg, "--out-trade-no", "NOT_SCANNED"},
			stdio{in: strings.NewReader(""), out: &out, diag: io.Discard})
		if err == nil || exitStatus(err) != exitError || !strings.Contains(out.String(), `"sub_code": "ACQ.TRADE_NOT_EXIST"`) {
			t.Fatalf("%s: %v\n%s", c.lang, err, out.String())
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", c.lang, err, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(err.Error(), n) {
				t.Errorf("%s: %q says %q", c.lang, err, n)
			}
		}
	}
}
