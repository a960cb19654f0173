package store

import (
	"fmt"
	"testing"
	"time"
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
