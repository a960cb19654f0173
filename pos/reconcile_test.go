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

// faultyBiller is a gateway in trouble: the bill's answer does not
// verify, and the trade query gets no answer; the bill it would have
// given (bill) lists a refund of the sale.
type faultyBiller struct {
	*fakeGateway
	billErr error
	bill    *alipay.TradeBill
}

func (b *faultyBiller) TradeBill(context.Context, string) (*alipay.TradeBill, error) {
	if b.billErr != nil {
		return nil, b.billErr
	}
	return b.bill, nil
}

func (b *faultyBiller) RefundQuery(context.Context, *alipay.RefundQueryRequest) (*alipay.RefundQueryResponse, error) {
	return nil, alipay.ErrTransport
}

// TestReconcileCountsUnqueriedApart: a sale Alipay could not be asked
// about is neither a difference nor agreement: it is listed apart, the
// reconciliation is not complete, and Apply does not act on it even when
// the bill names a refund of it. A bill whose answer does not verify is a
// failure, not a day without a bill.
func TestReconcileCountsUnqueriedApart(t *testing.T) {
	f, _, sale := paidSale(t, 666, refunded)
	f.gw.QueryFn = func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrTransport }
	day, err := f.reg.Day(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rec := ReconcileDay(ctx, &faultyBiller{fakeGateway: f.gw, billErr: alipay.ErrNotSigned}, day)
	if rec.Bill.Failed == nil || rec.Bill.NoBill != nil || rec.Bill.NotYet {
		t.Errorf("bill %+v: want a failure, not no bill", rec.Bill)
	}
	if rec.Differences == nil || len(rec.Differences) != 0 {
		t.Errorf("differences %#v: want none, not nil", rec.Differences)
	}
	if len(rec.Unqueried) != 1 || rec.Unqueried[0].OutTradeNo != sale.OutTradeNo || rec.Unqueried[0].Cause.IsZero() {
		t.Errorf("unqueried %+v: want the sale, with its cause", rec.Unqueried)
	}
	if rec.Complete() {
		t.Error("a reconciliation that asked about nothing is complete")
	}

	bill := &alipay.TradeBill{Entries: []alipay.BillEntry{
		{Kind: alipay.BillTrade, OutTradeNo: sale.OutTradeNo, TotalFen: 666},
		{Kind: alipay.BillRefund, OutTradeNo: sale.OutTradeNo, OutRequestNo: "desk-1", TotalFen: -100},
	}}
	rec = ReconcileDay(ctx, &faultyBiller{fakeGateway: f.gw, bill: bill}, day)
	if len(rec.Differences) != 0 || len(rec.Unqueried) != 1 {
		t.Fatalf("differences %+v, unqueried %+v", rec.Differences, rec.Unqueried)
	}
	rec.Differences = append(rec.Differences, Difference{OutTradeNo: sale.OutTradeNo, Issue: IssueRefundOnlyAtAlipay,
		Refund: &BillRefund{OutTradeNo: sale.OutTradeNo, OutRequestNo: "desk-1", Fen: 100}})
	s := &Settings{st: f.ledger}
	if a, err := s.Apply(rec, "246813"); err != nil || a.Recorded != 0 {
		t.Errorf("apply: %+v, %v; want nothing recorded of an unqueried sale", a, err)
	}
	if got, _ := f.ledger.Get(sale.OutTradeNo); len(got.Refunds) != 0 {
		t.Errorf("a refund recorded on an unqueried sale: %+v", got.Refunds)
	}
}

// TestReconcileGivesTheUnreadBillsFacts: a bill that cannot be read, or a
// download that gave none, comes with its facts (what, where; the host and
// HTTP status) for the screen to say, not only the reader's error.
func TestReconcileGivesTheUnreadBillsFacts(t *testing.T) {
	f, _, _ := paidSale(t, 666, refunded)
	day, err := f.reg.Day(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		err  error
		want BillFault
	}{
		{&alipay.BillError{File: "b.csv", Line: 7, Column: "订单金额（元）", Problem: alipay.ErrBillField, Detail: `"1,2"`},
			BillFault{Problem: BillField, File: "b.csv", Line: 7, Column: "订单金额（元）"}},
		{&alipay.BillError{Problem: alipay.ErrBillMismatch}, BillFault{Problem: BillTotals}},
		{&alipay.BillDownloadError{Host: "dwbillcenter.alipay.com", Status: 410}, BillFault{Problem: BillNotDownloaded, Host: "dwbillcenter.alipay.com", Status: 410}},
	} {
		rec := ReconcileDay(context.Background(), &faultyBiller{fakeGateway: f.gw, billErr: tt.err}, day)
		if rec.Bill.Unreadable == nil || rec.Bill.Fault != tt.want {
			t.Errorf("%v: bill %+v; want unreadable, %+v", tt.err, rec.Bill, tt.want)
		}
	}
}

// TestADifferenceCarriesTheSalesReceipt: the ledger's side of a difference
// has the sale's receipt number, so a refunded sale without one reads as
// reversed (LedgerSale().Reversed()), as in the ledger.
func TestADifferenceCarriesTheSalesReceipt(t *testing.T) {
	f, _, _ := paidSale(t, 666, refunded)
	f.gw.QueryFn = func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrTransport }
	day, err := f.reg.Day(f.reg.Today())
	if err != nil || len(day.Sales) != 1 || day.Sales[0].ReceiptNo == 0 {
		t.Fatalf("day %+v, %v: want one sale with a receipt", day.Sales, err)
	}
	rec := ReconcileDay(context.Background(), &faultyBiller{fakeGateway: f.gw, billErr: alipay.ErrNotSigned}, day)
	if want := day.Sales[0].ReceiptNo; len(rec.Unqueried) != 1 || rec.Unqueried[0].LedgerReceipt != want || rec.Unqueried[0].LedgerSale().Reversed() {
		t.Errorf("unqueried %+v: want the sale's receipt %d", rec.Unqueried, want)
	}
}
