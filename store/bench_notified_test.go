package store

import (
	"fmt"
	"os"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/internal/latency"
)

// notifiedLedger is a ledger that sells and records notified payments as
// the kiosk does, timing the part of each on a notification's path.
type notifiedLedger struct {
	s     *Store
	n     int
	start time.Time
	read  latency.Samples // the sale read for a notification's checks
	pay   latency.Samples // MarkPaid: one commit
}

// sell creates the next sale and, as a notification of its payment does
// (pos.HandleNotification), reads it and marks it paid.
func (l *notifiedLedger) sell(tb testing.TB, timed bool) {
	l.n++
	no := fmt.Sprintf("K%07d", l.n)
	created := l.start.Add(time.Duration(l.n) * time.Second)
	if err := l.s.Create(newSale(no, 100, created)); err != nil {
		tb.Fatal(err)
	}
	t0 := time.Now()
	if _, err := l.s.Get(no); err != nil {
		tb.Fatal(err)
	}
	t1 := time.Now()
	if _, _, err := l.s.MarkPaid(no, Payment{TradeNo: "T" + no, PaidAt: created.Add(time.Millisecond)}); err != nil {
		tb.Fatal(err)
	}
	if timed {
		l.read.Add(t1.Sub(t0))
		l.pay.Since(t1)
	}
}

// BenchmarkNotifiedSaleByDay times the ledger's part of a notified
// payment (the sale read once, then marked paid in one commit) on
// ledgers that already hold a day of 0, 1,000 and 5,000 paid sales (0,
// 100 and 500 with -short), all in the same loop, one sale on each in
// turn, so that the machine's load falls on every size alike. It reports
// each size's p50 and p99 beside those of the empty ledger: a ratio above
// 1 is what the day's sales cost.
//
//	go test -run '^$' -bench NotifiedSaleByDay -benchtime 300x ./store/
func BenchmarkNotifiedSaleByDay(b *testing.B) {
	days := []int{0, 1000, 5000}
	if testing.Short() {
		days = []int{0, 100, 500}
	}
	ledgers := make([]*notifiedLedger, len(days))
	for i, day := range days {
		l := &notifiedLedger{s: mustOpenDir(b, b.TempDir(), Options{Location: shanghai}),
			start: time.Date(2024, time.May, 17, 9, 0, 0, 0, shanghai)}
		for range day {
			l.sell(b, false)
		}
		ledgers[i] = l
	}
	b.ResetTimer()
	for range b.N {
		for _, l := range ledgers {
			l.sell(b, true)
		}
	}
	b.StopTimer()
	empty := ledgers[0]
	empty.read.Report(b, "day=0-read")
	empty.pay.Report(b, "day=0-pay")
	for i, l := range ledgers[1:] {
		name := fmt.Sprintf("day=%d", days[i+1])
		l.read.ReportBeside(b, name+"-read", empty.read, "day=0-read")
		l.pay.ReportBeside(b, name+"-pay", empty.pay, "day=0-pay")
	}
	// The file the reads open afresh, and how deep the sales' tree is.
	for i, l := range ledgers {
		size, depth := ledgerShape(b, l.s)
		b.ReportMetric(float64(size)/(1<<20), fmt.Sprintf("day=%d-file-MB", days[i]))
		b.ReportMetric(float64(depth), fmt.Sprintf("day=%d-sales-depth", days[i]))
	}
}

// ledgerShape is the size of s's file and the depth of its sales' tree.
func ledgerShape(b *testing.B, s *Store) (size int64, depth int) {
	b.Helper()
	fi, err := os.Stat(s.path)
	if err != nil {
		b.Fatal(err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		depth = tx.Bucket(bucketSales).Stats().Depth
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size(), depth
}
