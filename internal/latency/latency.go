// Package latency collects the durations a benchmark measures one by one
// (a sale's receipt, a process's first frame) and reports their
// percentiles beside those of a floor measured in the same run, so that a
// figure is read as a ratio under the machine's load of the moment rather
// than as a lone time.
package latency

import (
	"slices"
	"testing"
	"time"
)

// Samples is a set of measured durations.
type Samples []time.Duration

// Add records one duration.
func (s *Samples) Add(d time.Duration) { *s = append(*s, d) }

// Since records the time elapsed since start.
func (s *Samples) Since(start time.Time) { s.Add(time.Since(start)) }

// Percentile returns the p-th percentile (0 < p ≤ 100) by the nearest-rank
// method: the smallest sample that at least p % of the samples do not
// exceed. It is 0 for no samples.
func (s Samples) Percentile(p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	rank := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// Max returns the largest sample, 0 for none.
func (s Samples) Max() time.Duration {
	if len(s) == 0 {
		return 0
	}
	return slices.Max(s)
}

// ms is d in milliseconds, the unit every figure here is read in.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Report reports the p50 and p99 of s as "<name>-p50-ms" and
// "<name>-p99-ms".
func (s Samples) Report(b *testing.B, name string) {
	b.Helper()
	b.ReportMetric(ms(s.Percentile(50)), name+"-p50-ms")
	b.ReportMetric(ms(s.Percentile(99)), name+"-p99-ms")
}

// ReportBeside reports s and floor (Report) and the ratios of their p50s
// and p99s, "<name>/<floorName>-p50" and "-p99".
func (s Samples) ReportBeside(b *testing.B, name string, floor Samples, floorName string) {
	b.Helper()
	s.Report(b, name)
	floor.Report(b, floorName)
	for _, p := range []float64{50, 99} {
		if f := floor.Percentile(p); f > 0 {
			suffix := "-p50"
			if p == 99 {
				suffix = "-p99"
			}
			b.ReportMetric(float64(s.Percentile(p))/float64(f), name+"/"+floorName+suffix)
		}
	}
}
