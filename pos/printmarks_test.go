package pos

import (
	"testing"
)

// TestUnprintedReceiptIsPrintedLate: a receipt whose print failed is
// listed by UnprintedReceipts, marked late, and its reprint is the
// receipt printed late (补打), not a duplicate; once a print of it
// succeeds, it is neither listed nor late, and a reprint is a duplicate
// again. The sale's record says it too.
func TestUnprintedReceiptIsPrintedLate(t *testing.T) {
	f, _, sale := paidSale(t, 1000, refunded)
	reg, err := New(Config{TerminalID: "T-01"}, f.gw, f.ledger, WithClock(f.clock), WithBackOffice(f.ledger, nil), WithPrintMarks(f.ledger))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.ReceiptNotPrinted(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	list, err := reg.UnprintedReceipts()
	if err != nil || len(list) != 1 || list[0].OutTradeNo != sale.OutTradeNo || list[0].ReceiptNo != 1 || !list[0].Late || !list[0].Unprinted || list[0].Duplicate {
		t.Fatalf("UnprintedReceipts = %+v, %v; want receipt 1, late", list, err)
	}
	rec, err := reg.Reprint(sale.OutTradeNo)
	if err != nil || rec.Duplicate || !rec.Late {
		t.Errorf("the reprint of a receipt never printed: %+v, %v; want late, not duplicate", rec, err)
	}
	day, err := reg.Day(reg.Today())
	if err != nil || len(day.Sales) != 1 || !day.Sales[0].ReceiptUnprinted {
		t.Errorf("the day's record: %+v, %v; want the sale marked unprinted", day.Sales, err)
	}
	if err := reg.ReceiptPrinted(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	if list, err := reg.UnprintedReceipts(); err != nil || len(list) != 0 {
		t.Errorf("after the print: %+v, %v; want none", list, err)
	}
	if rec, err := reg.Reprint(sale.OutTradeNo); err != nil || !rec.Duplicate || rec.Late {
		t.Errorf("the reprint after it printed: %+v, %v; want a duplicate", rec, err)
	}
	s, _ := f.ledger.Get(sale.OutTradeNo)
	var facts []string
	for _, e := range s.History {
		facts = append(facts, string(e.Fact))
	}
	if n := len(facts); n < 2 || facts[n-2] != string(FactReceiptNotPrinted) || facts[n-1] != string(FactReceiptPrinted) {
		t.Errorf("history facts %q", facts)
	}
}

// TestNoPrintMarksRecordsNothing: a Register without WithPrintMarks
// accepts the calls and records nothing.
func TestNoPrintMarksRecordsNothing(t *testing.T) {
	f, _, sale := paidSale(t, 1000, refunded)
	if err := f.reg.ReceiptNotPrinted(sale.OutTradeNo); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.ReceiptUnprinted {
		t.Error("recorded without WithPrintMarks")
	}
}
