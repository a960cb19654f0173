package latency

import (
	"testing"
	"time"
)

func TestPercentileIsTheNearestRank(t *testing.T) {
	var s Samples
	for i := 100; i >= 1; i-- { // added out of order: Percentile sorts a copy
		s.Add(time.Duration(i) * time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := s.Percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if s[0] != 100*time.Millisecond {
		t.Error("Percentile reordered the samples")
	}
	if one := (Samples{7}); one.Percentile(99) != 7 || one.Max() != 7 {
		t.Errorf("one sample: p99 %v, max %v", one.Percentile(99), one.Max())
	}
	if (Samples{}).Percentile(50) != 0 || (Samples{}).Max() != 0 {
		t.Error("no samples should give 0")
	}
}
