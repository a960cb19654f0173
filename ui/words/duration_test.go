package words

import (
	"strings"
	"testing"
	"time"
)

// TestTheWaitingBannerSaysItsCadenceInWords: how often the kiosk asks
// Alipay again is said as a person says it, not as Go prints a duration
// ("5s" on a Chinese screen), down to a benchmark's 100 ms.
func TestTheWaitingBannerSaysItsCadenceInWords(t *testing.T) {
	for _, c := range []struct {
		say   *Words
		every time.Duration
		want  string
	}{
		{Chinese, 5 * time.Second, "每 5 秒重试一次"},
		{English, 5 * time.Second, "Retrying every 5 s."},
		{Chinese, 100 * time.Millisecond, "每 100 毫秒重试一次"},
		{English, 90 * time.Second, "Retrying every 1 min 30 s."},
	} {
		got := c.say.Settle.Waiting.F(2, c.say.Duration(c.every))
		if !strings.Contains(got, c.want) {
			t.Errorf("%v: %q, want it to hold %q", c.every, got, c.want)
		}
		because := c.say.Settle.WaitingBecause.F(1, "…", c.say.Duration(c.every))
		if strings.Contains(because, c.every.String()) {
			t.Errorf("%v: %q says Go's %q", c.every, because, c.every.String())
		}
	}
}
