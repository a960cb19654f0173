package pos

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/store"
)

type fakeRefunder struct {
	answers []func(*alipay.RefundRequest) (*alipay.RefundResponse, error)
	sent    []alipay.RefundRequest
}

func (f *fakeRefunder) Refund(_ context.Context, r *alipay.RefundRequest) (*alipay.RefundResponse, error) {
	f.sent = append(f.sent, *r)
	next := f.answers[0]
	if len(f.answers) > 1 {
		f.answers = f.answers[1:]
	}
	return next(r)
}

func refunded(r *alipay.RefundRequest) (*alipay.RefundResponse, error) {
	return &alipay.RefundResponse{OutTradeNo: r.OutTradeNo, FundChange: true, RefundFeeFen: r.RefundFen}, nil
}

func unreachable(*alipay.RefundRequest) (*alipay.RefundResponse, error) {
	return nil, alipay.ErrTransport
}

// paidSale sets up a back office with a PIN and one paid sale of fen.
func paidSale(t *testing.T, fen int64, answers ...func(*alipay.RefundRequest) (*alipay.RefundResponse, error)) (*fixture, *fakeRefunder, Sale) {
	t.Helper()
	f := newFixture(t)
	rf := &fakeRefunder{answers: answers}
	var err error
	f.reg, err = New(Config{TerminalID: "T-01", CancelBackoff: 1}, f.gw, f.ledger, WithClock(f.clock), WithBackOffice(f.ledger, rf))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ledger.SetManagerPIN("2468"); err != nil {
		t.Fatal(err)
	}
	f.gw.QueryFn = status(alipay.TradeSuccess, fen)
	sale := f.start(t, fen)
	if res, err := f.reg.Poll(context.Background(), sale); err != nil || res.Progress != Paid {
		t.Fatalf("setup: %+v, %v", res, err)
	}
	return f, rf, sale
}

func TestRefundNeedsThePIN(t *testing.T) {
	f, rf, sale := paidSale(t, 1000, refunded)
	_, err := f.reg.Refund(context.Background(), RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 500, PIN: "0000"})
	if !errors.Is(err, store.ErrWrongPIN) || !strings.Contains(Describe(err), "Wrong manager PIN") {
		t.Fatalf("wrong PIN: %v (%q)", err, Describe(err))
	}
	if len(rf.sent) != 0 {
		t.Errorf("a refund was sent with a wrong PIN")
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); len(s.Refunds) != 0 {
		t.Errorf("a refund was recorded with a wrong PIN: %+v", s.Refunds)
	}
}

func TestPartialThenFullRefund(t *testing.T) {
	f, rf, sale := paidSale(t, 1000, refunded)
	ctx := context.Background()
	s, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 300, PIN: "2468", ApprovedBy: "Li"})
	if err != nil || s.Status != store.StatusPaid || s.RefundedFen != 300 || s.Refunds[0].ApprovedBy != "Li" {
		t.Fatalf("partial refund: %+v, %v", s, err)
	}
	if _, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 800, PIN: "2468"}); !errors.Is(err, store.ErrRefundTooLarge) {
		t.Errorf("refund beyond what is left: %v", err)
	}
	s, err = f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 700, PIN: "2468"})
	if err != nil || s.Status != store.StatusRefunded || s.RefundedFen != 1000 {
		t.Fatalf("the rest: %+v, %v", s, err)
	}
	if len(rf.sent) != 2 || rf.sent[0].OutRequestNo == rf.sent[1].OutRequestNo {
		t.Errorf("two refunds need two out_request_nos: %+v", rf.sent)
	}
}

func TestLostRefundAnswerIsSentAgainWithTheSameRequestNo(t *testing.T) {
	f, rf, sale := paidSale(t, 1000, unreachable)
	ctx := context.Background()
	_, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 400, PIN: "2468"})
	if !errors.Is(err, ErrRefundPending) {
		t.Fatalf("refund with Alipay unreachable: %v", err)
	}
	rf.answers = []func(*alipay.RefundRequest) (*alipay.RefundResponse, error){refunded}
	if n, err := f.reg.RetryRefunds(ctx); err != nil || n != 1 {
		t.Fatalf("RetryRefunds = %d, %v", n, err)
	}
	first, last := rf.sent[0], rf.sent[len(rf.sent)-1]
	if first.OutRequestNo != last.OutRequestNo {
		t.Errorf("the retry used %q, the first try %q: Alipay could refund twice", last.OutRequestNo, first.OutRequestNo)
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.RefundedFen != 400 {
		t.Errorf("refunded %d fen after the retry, want 400", s.RefundedFen)
	}
}

func TestReprintIsMarkedDuplicate(t *testing.T) {
	f, _, sale := paidSale(t, 1000, refunded)
	rec, err := f.reg.Reprint(sale.OutTradeNo)
	if err != nil || !rec.Duplicate || rec.ReceiptNo != 1 {
		t.Errorf("Reprint = %+v, %v", rec, err)
	}
	unpaid := f.start(t, 5)
	if _, err := f.reg.Reprint(unpaid.OutTradeNo); err == nil {
		t.Error("an unpaid sale was reprinted")
	}
}
