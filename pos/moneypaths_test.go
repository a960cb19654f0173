package pos

import (
	"context"
	"errors"
	"testing"

	"kiosk/alipay"
	"kiosk/store"
)

// The money paths: how a refund or a payment ends when Alipay's answer is
// lost, forged or late, or arrives while the sale is being cancelled.

func TestUnverifiedRefundAnswerIsUnknownNotFailed(t *testing.T) {
	forged := func(*alipay.RefundRequest) (*alipay.RefundResponse, error) { return nil, alipay.ErrBadSignature }
	f, rf, sale := paidSale(t, 1000, forged)
	ctx := context.Background()
	_, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 300, PIN: "246813"})
	if !errors.Is(err, ErrRefundPending) {
		t.Fatalf("refund answered with a forged signature: %v; want it pending", err)
	}
	s, _ := f.ledger.Get(sale.OutTradeNo)
	if s.Refunds[0].Status != store.RefundUnknown || s.Refundable() != 700 {
		t.Fatalf("refund %+v, refundable %d: the 3.00 may have moved and must stay reserved", s.Refunds[0], s.Refundable())
	}
	rf.answers = []func(*alipay.RefundRequest) (*alipay.RefundResponse, error){refunded}
	if _, err := f.reg.RetryRefunds(ctx); err != nil {
		t.Fatal(err)
	}
	if rf.sent[0].OutRequestNo != rf.sent[len(rf.sent)-1].OutRequestNo {
		t.Error("the resend used a new out_request_no: Alipay could refund twice")
	}
}

func TestSignedRefusalFailsTheRefund(t *testing.T) {
	refused := func(*alipay.RefundRequest) (*alipay.RefundResponse, error) {
		return nil, &alipay.Error{Code: "40004", SubCode: "ACQ.TRADE_STATUS_ERROR"}
	}
	f, _, sale := paidSale(t, 1000, refused)
	if _, err := f.reg.Refund(context.Background(), RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 300, PIN: "246813"}); err == nil {
		t.Fatal("a refused refund reported success")
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.Refunds[0].Status != store.RefundFailed || s.Refundable() != 1000 {
		t.Errorf("refund %+v, refundable %d", s.Refunds[0], s.Refundable())
	}
}

func TestNotificationDuringCancelWhoseAnswerIsLost(t *testing.T) {
	f := newNotifyFixture(t)
	sale := f.start(t, 1234)
	f.gw.QueryFn = status(alipay.WaitBuyerPay, 1234)
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) {
		// The customer pays; the notification lands; Alipay's cancel then
		// refunds the payment, and its answer is lost.
		if err := f.reg.HandleNotification(notification(t, testAlipayKey(t), sale, nil)); err != nil {
			t.Fatal(err)
		}
		return nil, alipay.ErrTransport
	}
	out, err := f.reg.Cancel(context.Background(), sale, "The time to pay ran out")
	if err != nil || out.Status != StatusUnknown {
		t.Fatalf("Cancel = %+v, %v; want unknown, recorded", out, err)
	}
	refundedAndClosed := func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		return status(alipay.TradeClosed, 1234)(r) // with send_pay_date: paid, then refunded
	}
	f.gw.QueryFn = refundedAndClosed
	if _, left, err := f.reg.Reconcile(context.Background()); err != nil || left != 0 {
		t.Fatalf("Reconcile: %d left, %v", left, err)
	}
	if s := f.status(t, sale.OutTradeNo); s != store.StatusRefunded {
		t.Errorf("ledger says %s; Alipay refunded the customer", s)
	}
}

func TestCancelAfterNotifiedPaymentGivesTheReceipt(t *testing.T) {
	f := newNotifyFixture(t)
	sale := f.start(t, 1234)
	if err := f.reg.HandleNotification(notification(t, testAlipayKey(t), sale, nil)); err != nil {
		t.Fatal(err)
	}
	out, err := f.reg.Cancel(context.Background(), sale, "The time to pay ran out")
	if err != nil || out.Status != StatusPaid || out.Receipt.ReceiptNo != 1 {
		t.Errorf("Cancel = %+v, %v; want the receipt, not a refund", out, err)
	}
	if n := f.gw.count("cancel"); n != 0 {
		t.Errorf("a paid sale was cancelled (refunded) %d times", n)
	}
}

func TestStaleNotificationAfterCancelIsCheckedWithAlipay(t *testing.T) {
	f := newNotifyFixture(t)
	sale := f.start(t, 1234)
	f.gw.QueryFn = func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrTransport }
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return nil, alipay.ErrTransport }
	if out, _ := f.reg.Cancel(context.Background(), sale, "The time to pay ran out"); out.Status != StatusUnknown {
		t.Fatalf("setup: %q", out.Status)
	}
	f.gw.QueryFn = status(alipay.TradeClosed, 1234) // refunded by the cancel after all
	if err := f.reg.HandleNotification(notification(t, testAlipayKey(t), sale, nil)); err != nil {
		t.Fatal(err)
	}
	if s := f.status(t, sale.OutTradeNo); s != store.StatusRefunded {
		t.Errorf("a stale TRADE_SUCCESS notification left the sale %s; Alipay says refunded", s)
	}
}

func TestRecoverCarriesOnPastASaleItCannotSettle(t *testing.T) {
	f := newFixture(t)
	bad := f.start(t, 1000)
	good := f.start(t, 2000)
	f.gw.QueryFn = func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		if r.OutTradeNo == bad.OutTradeNo {
			return status(alipay.TradeSuccess, 999)(r) // does not match: not recorded
		}
		return status(alipay.TradeSuccess, 2000)(r)
	}
	outcomes, err := f.reg.Recover(context.Background())
	if !errors.Is(err, ErrMismatch) {
		t.Errorf("Recover error = %v, want the mismatch reported", err)
	}
	if len(outcomes) != 1 || f.status(t, good.OutTradeNo) != store.StatusPaid {
		t.Errorf("the good sale was not recovered: %+v, %s", outcomes, f.status(t, good.OutTradeNo))
	}
}
