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

// TestOfficeRangeLeavesHistoryOut: the days an export reads carry each
// sale and its refunds but not its history, which no export shows; the
// day the counter reads keeps it.
func TestOfficeRangeLeavesHistoryOut(t *testing.T) {
	dir := t.TempDir()
	ledger, err := store.Open(dir, store.Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai)
	if err := ledger.Create(store.Sale{OutTradeNo: "KT1_H", TerminalID: "T1", AmountFen: 100, Subject: "Tea", CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.MarkPaid("KT1_H", store.Payment{TradeNo: "2024", PaidAt: created}); err != nil {
		t.Fatal(err)
	}
	if err := ledger.Close(); err != nil {
		t.Fatal(err)
	}
	office, err := OpenOffice(dir, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	const today = "2024-05-17"
	days, err := office.Range(today, today)
	if err != nil || len(days) != 1 || len(days[0].Sales) != 1 {
		t.Fatalf("Range: %+v, %v", days, err)
	}
	if s := days[0].Sales[0]; s.History != nil || s.Status != StatusPaid || s.TradeNo != "2024" || s.ReceiptNo != 1 {
		t.Errorf("Range's sale: %+v; want it paid, without history", s)
	}
	day, err := office.Day(today)
	if err != nil || len(day.Sales) != 1 || len(day.Sales[0].History) != 2 {
		t.Errorf("Day: %+v, %v; want the sale with its two events", day, err)
	}
}
