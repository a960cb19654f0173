package pos

import (
	"testing"

	"kiosk/store"
)

// TestReversedSaleIsCountedApart: a charge the kiosk's own cancel gave
// back before any receipt (refunded, no receipt number) is no sale paid
// and refunded: the day and its report count it as reversed, apart from
// the sales paid, whose count matches the receipts issued.
func TestReversedSaleIsCountedApart(t *testing.T) {
	f, _, _ := paidSale(t, 1234, refunded)
	rev := f.start(t, 500)
	if _, err := f.ledger.SetStatus(rev.OutTradeNo, store.StatusRefunded, f.clock.Now(), Note{Code: NoteClosedRefunded}.String(), ""); err != nil {
		t.Fatal(err)
	}
	day, err := f.reg.Day(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.reg.Report(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	want := Totals{Count: 2, Paid: 1, PaidFen: 1234, NetFen: 1234, Reversed: 1, ReversedFen: 500}
	if day.Totals != want || rep.Totals != want {
		t.Errorf("day %+v, report %+v; want %+v", day.Totals, rep.Totals, want)
	}
	if st := rep.ByStatus; st[StatusReversed].Count != 1 || st[StatusRefunded].Count != 0 || rep.ByMethod[PayByQR].Paid != 1 {
		t.Errorf("by status %+v, by method %+v", st, rep.ByMethod)
	}
	for _, s := range day.Sales {
		if s.Reversed() != (s.OutTradeNo == rev.OutTradeNo) {
			t.Errorf("%s (receipt %d, %s): reversed %v", s.OutTradeNo, s.ReceiptNo, s.Status, s.Reversed())
		}
	}
}
