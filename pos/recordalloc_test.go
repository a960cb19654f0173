package pos

import (
	"testing"
	"time"

	"kiosk/store"
)

// TestRecordOfAllocatesOncePerList: a sale's history and refunds are each
// copied into a list made to their size, not grown one entry at a time.
// A count of allocations, not a time.
func TestRecordOfAllocatesOncePerList(t *testing.T) {
	at := time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai)
	sale := store.Sale{
		OutTradeNo: "KT1_A", Status: store.StatusPaid, AmountFen: 100, CreatedAt: at,
		History: []store.Event{
			{At: at, Status: store.StatusPending, Fact: store.FactCreated},
			{At: at, Status: store.StatusPaid, Fact: store.FactPaid, ReceiptNo: 1},
			{At: at, Status: store.StatusPaid, Fact: store.FactRefundRequested, OutRequestNo: "R1", Fen: 10},
		},
		Refunds: []store.Refund{{OutRequestNo: "R1", Fen: 10, At: at, Status: store.RefundRequested}},
	}
	var r SaleRecord
	allocs := testing.AllocsPerRun(20, func() { r = recordOf(sale) })
	if len(r.History) != 3 || len(r.Refunds) != 1 {
		t.Fatalf("record %+v", r)
	}
	if allocs > 2 {
		t.Errorf("recordOf made %.0f allocations for a sale with a history and a refund; want 2, one per list", allocs)
	}
}
