package pos

import (
	"context"
	"testing"
	"time"
)

// TestRefundAfterTheCloseCountsInTheNextZ: the day is closed (Z 0001), then
// a refund is made on it with the PIN. The stored Z report is unchanged,
// and its copy says later refunds exist; the next day's X and Z reports
// count the refund (AfterClose), and the Z report after that does not
// count it again.
func TestRefundAfterTheCloseCountsInTheNextZ(t *testing.T) {
	f, _, sale := paidSale(t, 2282, refunded)
	ctx := context.Background()
	day := f.reg.Today()
	z, err := f.reg.CloseDay(day, "246813")
	if err != nil || z.Number != 1 || z.Totals.NetFen != 2282 {
		t.Fatalf("close: %+v, %v", z, err)
	}
	_ = f.clock.Sleep(ctx, 10*time.Minute) // after the close, the same day
	if _, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 734, PIN: "246813"}); err != nil {
		t.Fatal(err)
	}
	copyZ, err := f.reg.Report(day)
	if err != nil || !copyZ.Copy || copyZ.Totals.NetFen != 2282 {
		t.Fatalf("the Z copy: %+v, %v; want the stored report, net 22.82", copyZ, err)
	}
	if copyZ.LaterRefunds != (RefundTotals{Count: 1, Fen: 734}) {
		t.Errorf("the Z copy's later refunds: %+v, want 1 of 7.34", copyZ.LaterRefunds)
	}

	_ = f.clock.Sleep(ctx, 24*time.Hour) // the next day
	next := f.reg.Today()
	if next == day {
		t.Fatal("the clock did not reach the next day")
	}
	x, err := f.reg.Report(next)
	if err != nil || x.AfterClose != (RefundTotals{Count: 1, Fen: 734}) {
		t.Errorf("the next day's X report: after close %+v, %v; want 1 of 7.34", x.AfterClose, err)
	}
	z2, err := f.reg.CloseDay(next, "246813")
	if err != nil || z2.Number != 2 || z2.AfterClose != (RefundTotals{Count: 1, Fen: 734}) {
		t.Errorf("the next Z report: %+v, %v; want it to count the refund made after Z 0001", z2.AfterClose, err)
	}
	if again, _ := f.reg.Report(next); again.AfterClose != z2.AfterClose {
		t.Errorf("the stored next Z report lost the refund: %+v", again.AfterClose)
	}

	_ = f.clock.Sleep(ctx, 24*time.Hour)
	third := f.reg.Today()
	if z3, err := f.reg.CloseDay(third, "246813"); err != nil || z3.AfterClose.Count != 0 {
		t.Errorf("the Z report after: %+v, %v; the refund counted twice", z3.AfterClose, err)
	}
}

// TestAnOutsideRefundAppliedAfterTheCloseCountsInTheNextZ: Alipay refunded
// part of a sale before the day closed, outside the kiosk, and a
// reconciliation applies it the next day. The closed day's Z report cannot
// hold it, so the next Z report counts it. Before, it was recorded as asked
// for at Alipay's time, before the close, and no report counted it.
func TestAnOutsideRefundAppliedAfterTheCloseCountsInTheNextZ(t *testing.T) {
	f, _, sale := paidSale(t, 2282, refunded)
	ctx := context.Background()
	day := f.reg.Today()
	atAlipay := f.clock.Now().Add(time.Minute)
	_ = f.clock.Sleep(ctx, 10*time.Minute)
	if _, err := f.reg.CloseDay(day, "246813"); err != nil {
		t.Fatal(err)
	}
	_ = f.clock.Sleep(ctx, 24*time.Hour)
	next := f.reg.Today()
	rec := Reconciliation{Date: day, Differences: []Difference{{OutTradeNo: sale.OutTradeNo, Issue: IssueRefundOnlyAtAlipay,
		Refund: &BillRefund{OutTradeNo: sale.OutTradeNo, OutRequestNo: sale.OutTradeNo + "_R1", Fen: 500, At: atAlipay}}}}
	s := &Settings{st: f.ledger, now: f.clock.Now}
	if a, err := s.Apply(rec, "246813"); err != nil || a.Recorded != 1 {
		t.Fatalf("apply: %+v, %v", a, err)
	}
	got, _ := f.ledger.Get(sale.OutTradeNo)
	if len(got.Refunds) != 1 || !got.Refunds[0].DoneAt.Equal(atAlipay) {
		t.Fatalf("recorded %+v; want one refund done at Alipay's time %v", got.Refunds, atAlipay)
	}
	z, err := f.reg.CloseDay(next, "246813")
	if err != nil || z.AfterClose != (RefundTotals{Count: 1, Fen: 500}) {
		t.Errorf("the next Z report: after close %+v, %v; want the applied refund, 1 of 5.00", z.AfterClose, err)
	}
	if copyZ, _ := f.reg.Report(day); copyZ.LaterRefunds != (RefundTotals{Count: 1, Fen: 500}) {
		t.Errorf("the closed day's Z copy: later refunds %+v; want the applied refund", copyZ.LaterRefunds)
	}
}
