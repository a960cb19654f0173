package pos

import (
	"context"
	"testing"

	"kiosk/alipay"
)

// reasonBiller has a bill (or, with bill nil, none yet) and answers refund
// queries for the refunds listed, with the reason each was made for.
type reasonBiller struct {
	*fakeGateway
	bill    *alipay.TradeBill
	refunds map[string]int64 // out_request_no → fen
	reason  string
}

func (b *reasonBiller) TradeBill(context.Context, string) (*alipay.TradeBill, error) {
	if b.bill == nil {
		return nil, &alipay.Error{Code: "40004", Msg: "Business Failed", SubCode: "isp.bill_not_exist"}
	}
	return b.bill, nil
}

func (b *reasonBiller) RefundQuery(_ context.Context, r *alipay.RefundQueryRequest) (*alipay.RefundQueryResponse, error) {
	resp := &alipay.RefundQueryResponse{OutTradeNo: r.OutTradeNo, OutRequestNo: r.OutRequestNo}
	if fen, ok := b.refunds[r.OutRequestNo]; ok {
		resp.RefundStatus, resp.RefundFen, resp.Reason = alipay.RefundSuccess, fen, b.reason
	}
	return resp, nil
}

// TestApplyKeepsTheRefundsReason: a refund made outside the kiosk with a
// reason (kiosk api refund --reason 顾客投诉) is recorded by Apply with
// that reason, whether the reconciliation learnt of it by refund query or
// from the bill (which has no reason: a refund query asks it).
func TestApplyKeepsTheRefundsReason(t *testing.T) {
	for _, fromBill := range []bool{false, true} {
		f, _, sale := paidSale(t, 666, refunded)
		b := &reasonBiller{fakeGateway: f.gw, refunds: map[string]int64{sale.OutTradeNo + "_R1": 100}, reason: "顾客投诉"}
		if fromBill {
			b.bill = &alipay.TradeBill{Entries: []alipay.BillEntry{
				{Kind: alipay.BillTrade, OutTradeNo: sale.OutTradeNo, TotalFen: 666},
				{Kind: alipay.BillRefund, OutTradeNo: sale.OutTradeNo, OutRequestNo: sale.OutTradeNo + "_R1", TotalFen: -100},
			}}
		}
		day, err := f.reg.Day(f.reg.Today())
		if err != nil {
			t.Fatal(err)
		}
		rec := ReconcileDay(context.Background(), b, day)
		if _, err := (&Settings{st: f.ledger}).Apply(rec, "246813"); err != nil {
			t.Fatal(err)
		}
		got, _ := f.ledger.Get(sale.OutTradeNo)
		if len(got.Refunds) != 1 || got.Refunds[0].Reason != "顾客投诉" {
			t.Errorf("from the bill %v: refunds %+v; want the reason 顾客投诉", fromBill, got.Refunds)
		}
	}
}
