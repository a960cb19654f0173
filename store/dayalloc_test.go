package store

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// TestDayAllocatesLittlePerSale: reading a day allocates the sales and
// their strings, not a copy, a cursor and a string of the key for each
// sale found, nor a string for each status, fact and way to pay. A count
// of allocations, not a time: it is the same on a loaded machine.
func TestDayAllocatesLittlePerSale(t *testing.T) {
	const n = 100
	s := mustOpen(t)
	for i := range n {
		no := fmt.Sprintf("KT1_ALLOC%04d", i)
		created := at(17, 9, 0, 0).Add(time.Duration(i) * time.Second)
		if err := s.Create(Sale{OutTradeNo: no, TerminalID: "T1", AmountFen: 100, Subject: "Tea", CreatedAt: created}); err != nil {
			t.Fatal(err)
		}
		pay := Payment{TradeNo: fmt.Sprintf("2024051722001%05d", i), BuyerLogonID: "138****0000", PaidAt: created.Add(time.Second)}
		if _, _, err := s.MarkPaid(no, pay); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(3, func() {
		d, err := s.Day("2024-05-17")
		if err != nil || len(d.Sales) != n {
			t.Fatalf("%d sales, %v", len(d.Sales), err)
		}
	})
	// A paid sale's own are six: out_trade_no, terminal_id, subject,
	// trade_no, buyer_logon_id and its history of two events; the rest is
	// the transaction's and the listing's, shared by the day. (Before the
	// listing was copied into one buffer through one cursor, and statuses
	// were read as words, a sale took 21.)
	if perSale := allocs / n; perSale > 9 {
		t.Errorf("reading a day of %d sales made %.0f allocations, %.1f a sale; want at most 9 a sale", n, allocs, perSale)
	}
	t.Logf("%.0f allocations, %.2f a sale", allocs, allocs/n)
}

// TestSummariesLeaveHistoryOut: Summaries reads the days Range reads, each
// sale without its history, also a sale the fast decoder leaves to
// encoding/json (a subject with an escape), and allocates less for them.
func TestSummariesLeaveHistoryOut(t *testing.T) {
	s := mustOpen(t)
	for i, subject := range []string{"Tea", "Tea & cake", "茶"} {
		no := fmt.Sprintf("KT1_SUM%d", i)
		created := at(17, 9, i, 0)
		if err := s.Create(Sale{OutTradeNo: no, TerminalID: "T1", AmountFen: 1000, Subject: subject, CreatedAt: created}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.MarkPaid(no, Payment{TradeNo: "T" + no, PaidAt: created.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RequestRefund("KT1_SUM1", Refund{OutRequestNo: "R1", Fen: 100, At: at(17, 10, 0, 0), ApprovedBy: "Li", Reason: "spilt"}); err != nil {
		t.Fatal(err)
	}
	full, err := s.Range("2024-05-16", "2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	summaries, err := s.Summaries("2024-05-16", "2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range full {
		for i := range d.Sales {
			if len(d.Sales[i].History) < 2 {
				t.Fatalf("Range's %s has history %+v", d.Sales[i].OutTradeNo, d.Sales[i].History)
			}
			d.Sales[i].History = nil
		}
	}
	if !reflect.DeepEqual(summaries, full) {
		t.Errorf("Summaries:\n%+v\nwant Range's days without history:\n%+v", summaries, full)
	}
	rangeAllocs := testing.AllocsPerRun(3, func() { _, _ = s.Range("2024-05-17", "2024-05-17") })
	summaryAllocs := testing.AllocsPerRun(3, func() { _, _ = s.Summaries("2024-05-17", "2024-05-17") })
	// One fewer for each of the two sales the fast decoder reads: no list
	// of events. (encoding/json reads the third, history and all.)
	if summaryAllocs > rangeAllocs-2 {
		t.Errorf("Summaries made %.0f allocations, Range %.0f; want one fewer a sale the fast decoder reads", summaryAllocs, rangeAllocs)
	}
}

// TestDayDecodesSalesWhereTheyLie: reading a day decodes each sale from
// the ledger's mapped pages into its place in the day's list: beyond that
// Sale, a sale read costs less memory than its stored JSON (the strings it
// keeps, its place in the listing), where it cost a copy of the JSON and a
// Sale of its own besides (1,145 bytes a sale here). Bytes counted, not a
// time.
func TestDayDecodesSalesWhereTheyLie(t *testing.T) {
	const n = 300 // enough for the decoders to share them out
	s := mustOpen(t)
	for i := range n {
		no := fmt.Sprintf("KT1_WHERE%04d", i)
		created := at(17, 9, 0, 0).Add(time.Duration(i) * time.Second)
		if err := s.Create(Sale{OutTradeNo: no, TerminalID: "T1", AmountFen: 100, Subject: "Tea", CreatedAt: created}); err != nil {
			t.Fatal(err)
		}
		pay := Payment{TradeNo: fmt.Sprintf("2024051722001%05d", i), BuyerLogonID: "138****0000", PaidAt: created.Add(time.Second)}
		if _, _, err := s.MarkPaid(no, pay); err != nil {
			t.Fatal(err)
		}
	}
	stored := 0
	if err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSales).ForEach(func(_, v []byte) error { stored += len(v); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	read := func(date string, sales int) uint64 {
		least := uint64(math.MaxUint64)
		for range 3 { // the least of three: nothing else of the test allocates meanwhile
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			days, err := s.Summaries(date, date)
			runtime.ReadMemStats(&after)
			if err != nil || len(days[0].Sales) != sales {
				t.Fatalf("Summaries(%s): %v, %v", date, days, err)
			}
			least = min(least, after.TotalAlloc-before.TotalAlloc)
		}
		return least
	}
	day, none := read("2024-05-17", n), read("2024-05-18", 0) // the open and the transaction, without sales
	perSale := float64(day-none)/n - float64(unsafe.Sizeof(Sale{}))
	if json := float64(stored) / n; perSale >= json {
		t.Errorf("a sale read cost %.0f bytes besides its Sale; want less than its %.0f bytes of JSON", perSale, json)
	}
	t.Logf("a day of %d sales: %d bytes allocated, an empty day %d: %.0f bytes a sale besides its Sale (%d), %d of JSON", n, day, none, perSale, unsafe.Sizeof(Sale{}), stored/n)
}
