package store

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestADayOfManySalesIsReadInOrder: a day long enough to be decoded by
// several goroutines lists every sale once, in the order of the day
// index, each as Get reads it; a sale that does not decode fails the
// read, whichever goroutine met it.
func TestADayOfManySalesIsReadInOrder(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: the day is decoded by one goroutine")
	}
	s := mustOpen(t)
	n := 5 * minSalesPerDecoder
	for i := range n {
		no := fmt.Sprintf("K%04d", i)
		mustCreate(t, s, newSale(no, int64(100+i), at(17, 9, i/60, i%60)))
		if i%3 == 0 {
			if _, _, err := s.MarkPaid(no, Payment{TradeNo: fmt.Sprintf("T%04d", i), PaidAt: at(17, 11, i/60, i%60)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	d, err := s.Day("2024-05-17")
	if err != nil || len(d.Sales) != n {
		t.Fatalf("Day: %d sales, %v; want %d", len(d.Sales), err, n)
	}
	for i, got := range d.Sales {
		want, err := s.Get(fmt.Sprintf("K%04d", i))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("sale %d of the day: %+v\nGet: %+v, %v", i, got, want, err)
		}
	}

	// The last sale, in the last goroutine's share, no longer decodes.
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSales).Put([]byte(fmt.Sprintf("K%04d", n-1)), []byte("{not json"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Day("2024-05-17"); err == nil {
		t.Error("a day with a sale that does not decode was read without an error")
	}
}
