package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// paidSale records sale no of fen, paid at 09:00 on the 17th.
func paidSale(t *testing.T, s *Store, no string, fen int64) Sale {
	t.Helper()
	mustCreate(t, s, newSale(no, fen, at(17, 8, 59, 0)))
	return mustPay(t, s, no, at(17, 9, 0, 0))
}

func refund(no string, fen int64) Refund {
	return Refund{OutRequestNo: no, Fen: fen, ApprovedBy: "Wang", Reason: "cold coffee", At: at(17, 10, 0, 0)}
}

func mustRequest(t *testing.T, s *Store, outTradeNo string, r Refund) Sale {
	t.Helper()
	sale, err := s.RequestRefund(outTradeNo, r)
	if err != nil {
		t.Fatalf("RequestRefund(%s, %s): %v", outTradeNo, r.OutRequestNo, err)
	}
	return sale
}

func mustComplete(t *testing.T, s *Store, outTradeNo, outRequestNo string) Sale {
	t.Helper()
	sale, err := s.CompleteRefund(outTradeNo, outRequestNo, at(17, 10, 1, 0), true)
	if err != nil {
		t.Fatalf("CompleteRefund(%s, %s): %v", outTradeNo, outRequestNo, err)
	}
	return sale
}

func TestRefundPartTwiceThenFull(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)

	steps := []struct {
		req      string
		fen      int64
		status   Status
		refunded int64
	}{
		{"R1", 300, StatusPaid, 300},
		{"R2", 200, StatusPaid, 500},
		{"R3", 500, StatusRefunded, 1000},
	}
	for _, st := range steps {
		sale := mustRequest(t, s, "A1", refund(st.req, st.fen))
		r, ok := sale.Refund(st.req)
		if !ok || r.Status != RefundRequested || r.Fen != st.fen || r.ApprovedBy != "Wang" {
			t.Fatalf("requested refund = %+v, %v", r, ok)
		}
		if sale.RefundedFen != st.refunded-st.fen {
			t.Errorf("RefundedFen before completion = %d, want %d", sale.RefundedFen, st.refunded-st.fen)
		}
		sale = mustComplete(t, s, "A1", st.req)
		r, _ = sale.Refund(st.req)
		if sale.Status != st.status || sale.RefundedFen != st.refunded || r.Status != RefundDone ||
			!r.DoneAt.Equal(at(17, 10, 1, 0)) || !r.FundChange {
			t.Errorf("after %s: status %s refunded %d refund %+v; want %s %d", st.req, sale.Status, sale.RefundedFen, r, st.status, st.refunded)
		}
		if stored := mustGet(t, s, "A1"); !sameSale(stored, sale) {
			t.Errorf("stored %+v\nreturned %+v", stored, sale)
		}
	}
	sale := mustGet(t, s, "A1")
	if len(sale.Refunds) != 3 || sale.ReceiptNo != 1 {
		t.Errorf("sale = %+v", sale)
	}
	// Created, paid, then a request and a completion per refund.
	if n := len(sale.History); n != 2+2*3 {
		t.Errorf("%d history events, want 8: %+v", n, sale.History)
	}
	if last := sale.History[len(sale.History)-1]; last.Status != StatusRefunded || last.Fact != FactRefundDone ||
		last.OutRequestNo != "R3" || last.RefundedFen != 1000 || last.AmountFen != 1000 {
		t.Errorf("last event %+v", last)
	}
	if _, err := s.RequestRefund("A1", refund("R4", 1)); !errors.Is(err, ErrNotRefundable) {
		t.Errorf("refund of a fully refunded sale = %v, want ErrNotRefundable", err)
	}

	d, err := s.Day("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	if d.Totals.Refunded != 1 || d.Totals.RefundedFen != 1000 || d.Totals.NetFen != 0 || d.Totals.PartlyRefunded != 0 {
		t.Errorf("totals %+v", d.Totals)
	}
}

func TestRefundTooLargeRecordsNothing(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	mustRequest(t, s, "A1", refund("R1", 700))
	mustComplete(t, s, "A1", "R1")
	before := mustGet(t, s, "A1")

	for _, fen := range []int64{301, 500, 0, -100} {
		_, err := s.RequestRefund("A1", refund("R2", fen))
		if !errors.Is(err, ErrRefundTooLarge) {
			t.Errorf("refund of %d = %v, want ErrRefundTooLarge", fen, err)
		}
		if err != nil && !strings.Contains(err.Error(), "3.00 still refundable on sale A1") {
			t.Errorf("message %q does not say what is left", err)
		}
	}
	_, err := s.RequestRefund("A1", refund("R2", 500))
	if want := "refund 5.00 exceeds the 3.00 still refundable on sale A1"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
	if after := mustGet(t, s, "A1"); !sameSale(after, before) {
		t.Errorf("refused refunds changed the sale:\n got %+v\nwant %+v", after, before)
	}
	// Exactly what is left is fine.
	if sale := mustRequest(t, s, "A1", refund("R2", 300)); sale.Refundable() != 0 {
		t.Errorf("Refundable = %d, want 0", sale.Refundable())
	}
}

func TestRefundSameRequestTwice(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	first := mustRequest(t, s, "A1", refund("R1", 400))
	again := mustRequest(t, s, "A1", refund("R1", 400))
	if !sameSale(again, first) || len(again.Refunds) != 1 {
		t.Errorf("second request changed the sale: %+v", again)
	}
	if _, err := s.RequestRefund("A1", refund("R1", 500)); !errors.Is(err, ErrInvalidRefund) {
		t.Errorf("same out_request_no, other amount = %v, want ErrInvalidRefund", err)
	}
	// Completed, then asked again (a retry after a lost answer): still one.
	mustComplete(t, s, "A1", "R1")
	done := mustGet(t, s, "A1")
	again = mustRequest(t, s, "A1", refund("R1", 400))
	if !sameSale(again, done) {
		t.Errorf("request after completion changed the sale")
	}
	if sale := mustComplete(t, s, "A1", "R1"); !sameSale(sale, done) || sale.RefundedFen != 400 {
		t.Errorf("second completion changed the sale: refunded %d", sale.RefundedFen)
	}
}

func TestRefundRefusedUnlessPaid(t *testing.T) {
	s := mustOpen(t)
	for _, st := range []Status{StatusPending, StatusCancelled, StatusUnknown, StatusFailed, StatusRefunded} {
		no := "S-" + string(st)
		before := driveTo(t, s, no, st)
		if _, err := s.RequestRefund(no, refund("R1", 10)); !errors.Is(err, ErrNotRefundable) {
			t.Errorf("refund of a %s sale = %v, want ErrNotRefundable", st, err)
		}
		if after := mustGet(t, s, no); !sameSale(after, before) {
			t.Errorf("refused refund changed the %s sale", st)
		}
	}
	if _, err := s.RequestRefund("nope", refund("R1", 10)); !errors.Is(err, ErrNotFound) {
		t.Errorf("refund of a missing sale = %v, want ErrNotFound", err)
	}
	paidSale(t, s, "A1", 100)
	if _, err := s.RequestRefund("A1", refund("", 10)); !errors.Is(err, ErrInvalidRefund) {
		t.Errorf("refund without out_request_no = %v, want ErrInvalidRefund", err)
	}
}

func TestRefundsInFlightCountAgainstAmount(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	mustRequest(t, s, "A1", refund("R1", 600)) // never completed
	if _, err := s.MarkRefundUnknown("A1", "R1", "gateway timeout"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RequestRefund("A1", refund("R2", 500)); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("second refund over an unknown one = %v, want ErrRefundTooLarge", err)
	}
	mustRequest(t, s, "A1", refund("R2", 400))
	if _, err := s.RequestRefund("A1", refund("R3", 1)); !errors.Is(err, ErrRefundTooLarge) {
		t.Errorf("refund beyond requested ones = %v, want ErrRefundTooLarge", err)
	}

	// A failed refund gives its amount back.
	sale, err := s.FailRefund("A1", "R1", "ACQ.REFUND_FAIL")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := sale.Refund("R1"); r.Status != RefundFailed || r.Note != "ACQ.REFUND_FAIL" || sale.Refundable() != 600 {
		t.Errorf("after failure: refund %+v, refundable %d", r, sale.Refundable())
	}
	if _, err := s.CompleteRefund("A1", "R9", time.Time{}, true); !errors.Is(err, ErrRefundNotFound) {
		t.Errorf("CompleteRefund of a missing refund = %v, want ErrRefundNotFound", err)
	}
	mustComplete(t, s, "A1", "R2")
	if _, err := s.FailRefund("A1", "R2", "late"); !errors.Is(err, ErrTransition) {
		t.Errorf("FailRefund of a done refund = %v, want ErrTransition", err)
	}
	d, _ := s.Day("2024-05-17")
	if d.Totals.RefundedFen != 400 || d.Totals.PartlyRefunded != 1 || d.Totals.Refunded != 0 || d.Totals.NetFen != 600 {
		t.Errorf("totals %+v", d.Totals)
	}
}

func TestRefundInFlightIndex(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	paidSale(t, s, "A2", 1000)
	mustRequest(t, s, "A1", refund("R1", 100))
	mustRequest(t, s, "A2", refund("R1", 100))
	mustComplete(t, s, "A2", "R1")
	got, err := s.RefundsInFlight()
	if err != nil || len(got) != 1 || got[0].OutTradeNo != "A1" {
		t.Fatalf("RefundsInFlight = %v, %v; want A1", got, err)
	}
	if _, err := s.FailRefund("A1", "R1", "no"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.RefundsInFlight(); len(got) != 0 {
		t.Errorf("RefundsInFlight after failure = %v", got)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// TestRefundRequestSurvivesCrash: the intent is on disk before Alipay is
// asked, so a kiosk that dies in between finds it on restart.
func TestRefundRequestSurvivesCrash(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	paidSale(t, s, "A1", 1000)
	mustRequest(t, s, "A1", refund("R1", 250))
	_ = s.Close() // the process ends here; nothing else is written

	s = mustOpenDir(t, dir, Options{})
	sale := mustGet(t, s, "A1")
	r, ok := sale.Refund("R1")
	if !ok || r.Status != RefundRequested || r.Fen != 250 || r.Reason != "cold coffee" {
		t.Fatalf("after reopen the refund is %+v, %v", r, ok)
	}
	if open, _ := s.RefundsInFlight(); len(open) != 1 {
		t.Errorf("RefundsInFlight after reopen = %v", open)
	}
	if sale := mustComplete(t, s, "A1", "R1"); sale.RefundedFen != 250 {
		t.Errorf("RefundedFen = %d after completion on restart", sale.RefundedFen)
	}
}

func TestRefundFailedThenDoneByAlipay(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	mustRequest(t, s, "A1", refund("R1", 600))
	if _, err := s.FailRefund("A1", "R1", "timeout taken for a refusal"); err != nil {
		t.Fatal(err)
	}
	mustRequest(t, s, "A1", refund("R2", 1000-600))
	// Alipay says R1 went through after all: it is recorded, as it is money.
	sale := mustComplete(t, s, "A1", "R1")
	if last := sale.History[len(sale.History)-1]; sale.RefundedFen != 600 || last.Fact != FactRefundDone || !last.AfterFailed {
		t.Errorf("sale %+v", sale)
	}
	if _, err := s.RequestRefund("A1", refund("R3", 1)); !errors.Is(err, ErrRefundTooLarge) {
		t.Errorf("R3 = %v, want ErrRefundTooLarge", err)
	}
}

func TestRefundReadOnly(t *testing.T) {
	dir := t.TempDir()
	paidSale(t, mustOpenDir(t, dir, Options{}), "A1", 1000)
	s := mustOpenDir(t, dir, Options{ReadOnly: true})
	errs := map[string]error{}
	_, errs["RequestRefund"] = s.RequestRefund("A1", refund("R1", 1))
	_, errs["CompleteRefund"] = s.CompleteRefund("A1", "R1", time.Time{}, true)
	_, errs["FailRefund"] = s.FailRefund("A1", "R1", "")
	for op, err := range errs {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s = %v, want ErrReadOnly", op, err)
		}
	}
}

// TestRefundErrorsCarryTheirFacts: a refused refund says, as fields, what
// was asked and what was still refundable, or the sale's status.
func TestRefundErrorsCarryTheirFacts(t *testing.T) {
	s := mustOpen(t)
	paidSale(t, s, "A1", 1000)
	mustRequest(t, s, "A1", refund("R1", 700))
	mustComplete(t, s, "A1", "R1")
	var re *RefundError
	_, err := s.RequestRefund("A1", refund("R2", 500))
	if !errors.As(err, &re) || re.Problem != RefundOverRefundable || re.Fen != 500 || re.RefundableFen != 300 || re.OutTradeNo != "A1" {
		t.Errorf("refund over what is left = %#v", re)
	}
	_, err = s.RequestRefund("A1", refund("R2", 0))
	if !errors.As(err, &re) || re.Problem != RefundNotPositive || re.RefundableFen != 300 {
		t.Errorf("refund of nothing = %#v", re)
	}
	mustCreate(t, s, newSale("B1", 500, at(17, 9, 0, 0)))
	_, err = s.RequestRefund("B1", refund("R1", 100))
	if !errors.As(err, &re) || re.Problem != RefundSaleNotPaid || re.Status != StatusPending || !errors.Is(err, ErrNotRefundable) {
		t.Errorf("refund of a pending sale = %#v (%v)", re, err)
	}
}
