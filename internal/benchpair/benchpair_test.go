package benchpair

import (
	"flag"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{1, 1000, 3, 2}, 2}, // (2+3)/2, integer division
		{[]time.Duration{4, 4, 4, 1 << 40}, 4},
	}
	for _, tt := range tests {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestCompareRunsBothSidesEqually checks the bookkeeping: each side runs
// b.N times and in alternating order, and the three metrics are reported.
func TestCompareRunsBothSidesEqually(t *testing.T) {
	// A fixed count: the default second would run the empty sides
	// millions of times.
	benchtime := flag.Lookup("test.benchtime")
	old := benchtime.Value.String()
	if err := benchtime.Value.Set("300000x"); err != nil {
		t.Fatal(err)
	}
	defer benchtime.Value.Set(old)
	var order []string
	var calls [2]int
	res := testing.Benchmark(func(b *testing.B) {
		order, calls = order[:0], [2]int{}
		Compare(b,
			Side{"subject", func(*testing.B) { calls[0]++; order = append(order, "s") }},
			Side{"floor", func(*testing.B) { calls[1]++; order = append(order, "f") }})
	})
	if calls[0] != res.N || calls[1] != res.N {
		t.Fatalf("calls %v for b.N = %d", calls, res.N)
	}
	if res.N != 300000 {
		t.Fatalf("b.N = %d, want 300000", res.N)
	}
	if len(order) >= 4 && (order[0] != "s" || order[1] != "f" || order[2] != "f" || order[3] != "s") {
		t.Errorf("order starts %v, want s f f s", order[:4])
	}
	for _, unit := range []string{"ns/subject", "ns/floor", "subject/floor"} {
		if _, ok := res.Extra[unit]; !ok {
			t.Errorf("metric %q not reported: %v", unit, res.Extra)
		}
	}
}
