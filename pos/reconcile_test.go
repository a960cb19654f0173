package pos

import (
	"context"
	"testing"
	"time"

	"kiosk/alipay"
)

// noBillBiller answers queries as gw does, has no bill (as Alipay before
// the next morning), and has made the refunds listed, by number.
type noBillBiller struct {
	*fakeGateway
	refunds map[string]int64 // out_request_no → fen
	asked   []string
}

func (b *noBillBiller) TradeBill(context.Context, string) (*alipay.TradeBill, error) {
	return nil, &alipay.Error{Code: "40004", Msg: "Business Failed", SubCode: "isp.bill_not_exist"}
}

func (b *noBillBiller) RefundQuery(_ context.Context, r *alipay.RefundQueryRequest) (*alipay.RefundQueryResponse, error) {
	b.asked = append(b.asked, r.OutRequestNo)
	resp := &alipay.RefundQueryResponse{OutTradeNo: r.OutTradeNo, OutRequestNo: r.OutRequestNo}
	if fen, ok := b.refunds[r.OutRequestNo]; ok {
		resp.RefundStatus, resp.RefundFen = alipay.RefundSuccess, fen
	}
	return resp, nil
}

// TestReconcileWithoutBillAsksForRefunds: with no bill, the refunds come
// from refund queries by number and the reconciliation says so; one made
// outside the kiosk under one of the kiosk's numbers, out of turn, is
// found, applied once, and the kiosk's next refund takes another number.
func TestReconcileWithoutBillAsksForRefunds(t *testing.T) {
	f, rf, sale := paidSale(t, 666, refunded)
	ctx := context.Background()
	b := &noBillBiller{fakeGateway: f.gw, refunds: map[string]int64{sale.OutTradeNo + "_R2": 100}}
	day, err := f.reg.Day(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	rec := ReconcileDay(ctx, b, day)
	if rec.Refunds != RefundsFromQueries || rec.Bill.NoBill == nil || !rec.Bill.NotYet {
		t.Errorf("refunds from %v, bill %+v; want queries, no bill", rec.Refunds, rec.Bill)
	}
	if len(rec.Differences) != 1 {
		t.Fatalf("differences: %+v (asked %v)", rec.Differences, b.asked)
	}
	d := rec.Differences[0]
	if d.Issue != IssueRefundOnlyAtAlipay || d.Refund == nil || d.Refund.OutRequestNo != sale.OutTradeNo+"_R2" || d.AlipayFen != 100 {
		t.Fatalf("difference: %+v", d)
	}
	s := &Settings{st: f.ledger}
	for range 2 {
		if _, err := s.Apply(rec, "246813"); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := f.ledger.Get(sale.OutTradeNo); len(got.Refunds) != 1 || got.RefundedFen != 100 {
		t.Fatalf("after applying twice: %+v", got.Refunds)
	}
	if day, _ = f.reg.Day(f.reg.Today()); len(ReconcileDay(ctx, b, day).Differences) != 0 {
		t.Errorf("still differs after apply: %+v", ReconcileDay(ctx, b, day).Differences)
	}
	if _, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 200, PIN: "246813"}); err != nil {
		t.Fatal(err)
	}
	if no := rf.sent[len(rf.sent)-1].OutRequestNo; no == sale.OutTradeNo+"_R2" {
		t.Errorf("the kiosk's refund reused %s, the outside refund's number", no)
	}
}

// TestReconcileSeesAPaymentReturnedInFull: Alipay closed the trade after
// payment and no refund number explains it; the ledger says paid. The
// difference is listed, and cannot be applied without a number.
func TestReconcileSeesAPaymentReturnedInFull(t *testing.T) {
	f, _, sale := paidSale(t, 666, refunded)
	f.gw.QueryFn = func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		return &alipay.QueryResponse{OutTradeNo: r.OutTradeNo, TradeStatus: alipay.TradeClosed, TotalFen: 666,
			SendPayDate: time.Date(2026, 12, 1, 10, 0, 0, 0, alipay.Location())}, nil
	}
	b := &noBillBiller{fakeGateway: f.gw}
	day, err := f.reg.Day(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	rec := ReconcileDay(context.Background(), b, day)
	if len(rec.Differences) != 1 || rec.Differences[0].Issue != IssueAlipayRefunded || rec.Differences[0].Refund != nil ||
		rec.Differences[0].AlipayFen != 666 || rec.Differences[0].OutTradeNo != sale.OutTradeNo {
		t.Errorf("differences: %+v", rec.Differences)
	}
}
