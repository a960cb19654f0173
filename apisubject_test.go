package main

import (
	"testing"

	"kiosk/ui/words"
)

// TestAPIPrecreateTitlesTheOrderAsTheKioskDoes: kiosk api precreate with
// no --subject titles the order (what the buyer sees in Alipay) with the
// kiosk's own word in its language, 门店消费 in Chinese, not English;
// --subject still wins.
func TestAPIPrecreateTitlesTheOrderAsTheKioskDoes(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	cfg, srv, _ := standaloneEmulator(t, nil)
	for _, c := range []struct {
		no   string
		args []string
		want string
	}{
		{"SUBJ_ZH", []string{"--lang", "zh"}, "门店消费"},
		{"SUBJ_EN", []string{"--lang", "en"}, "Counter sale"},
		{"SUBJ_GIVEN", []string{"--lang", "zh", "--subject", "热咖啡"}, "热咖啡"},
	} {
		args := append([]string{"precreate", "--config", cfg, "--amount", "1.00", "--out-trade-no", c.no}, c.args...)
		if _, diag, status := runAPI(args...); status != exitOK {
			t.Fatalf("kiosk api %v: status %d, %s", args, status, diag)
		}
		if trade, ok := srv.Trade(c.no); !ok || trade.Subject != c.want {
			t.Errorf("kiosk api %v: the order's title %q, want %q", args, trade.Subject, c.want)
		}
	}
}
