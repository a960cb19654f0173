// Package benchpair times a piece of code beside its floor inside one
// benchmark, so that the ratio between the two is measured under the same
// machine load.
//
// On a shared machine two benchmarks run one after the other see different
// loads, and their ratio swings with it. Compare runs the subject and the
// floor alternately, one call each per iteration, times every call, and
// reports the median of each and the ratio of the medians: a burst of load
// slows both sides alike, and a preempted call is an outlier the median
// ignores.
package benchpair

import (
	"slices"
	"testing"
	"time"
)

// maxSamples bounds the durations kept of each side.
const maxSamples = 1 << 16

// Side is one of the two pieces of code Compare times: Name becomes the
// unit of its metric ("ns/" + Name), Run is one call.
type Side struct {
	Name string
	Run  func(b *testing.B)
}

// Compare runs subject and floor b.N times each, interleaved, and reports
// "ns/<subject>", "ns/<floor>" (medians of single calls) and
// "<subject>/<floor>", their ratio. ns/op is then the time of one call of
// each together.
func Compare(b *testing.B, subject, floor Side) {
	b.Helper()
	// Quick calls run millions of times: keep every stride-th pair of
	// iterations only, at most maxSamples of each side.
	stride := b.N/maxSamples + 1
	ts, tf := make([]time.Duration, 0, min(b.N, maxSamples)), make([]time.Duration, 0, min(b.N, maxSamples))
	b.ResetTimer()
	for i := range b.N {
		// Alternate which side goes first so that neither always runs on
		// the caches the other warmed.
		first, second, d1, d2 := subject, floor, &ts, &tf
		if i%2 == 1 {
			first, second, d1, d2 = floor, subject, &tf, &ts
		}
		t1, t2 := timed(b, first), timed(b, second)
		if (i/2)%stride == 0 {
			*d1, *d2 = append(*d1, t1), append(*d2, t2)
		}
	}
	b.StopTimer()
	ms, mf := Median(ts), Median(tf)
	b.ReportMetric(float64(ms.Nanoseconds()), "ns/"+subject.Name)
	b.ReportMetric(float64(mf.Nanoseconds()), "ns/"+floor.Name)
	if mf > 0 {
		b.ReportMetric(float64(ms)/float64(mf), subject.Name+"/"+floor.Name)
	}
}

// timed runs one call of s and returns how long it took.
func timed(b *testing.B, s Side) time.Duration {
	start := time.Now()
	s.Run(b)
	return time.Since(start)
}

// Median returns the median of ds (the mean of the middle two for an even
// count), or 0 for none. It sorts ds.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
