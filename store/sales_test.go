package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// sameSale compares sales by their stored form: the same instants in the
// same offsets and every other field equal.
func sameSale(a, b Sale) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestCreateGetRoundTrip(t *testing.T) {
	s := mustOpen(t)
	in := newSale("A1", 1234, at(17, 9, 30, 0).UTC()) // any zone in, shop's zone out
	mustCreate(t, s, in)

	got := mustGet(t, s, "A1")
	want := Sale{
		OutTradeNo: "A1", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 1234, Method: PayByQR,
		Status: StatusPending, CreatedAt: at(17, 9, 30, 0), UpdatedAt: at(17, 12, 0, 0),
		History: []Event{{At: at(17, 9, 30, 0), Status: StatusPending, Fact: FactCreated}},
	}
	if !sameSale(got, want) {
		t.Errorf("Get:\n got %+v\nwant %+v", got, want)
	}
	if got.CreatedAt.Location() != shanghai {
		t.Errorf("CreatedAt in %v, want the shop's zone", got.CreatedAt.Location())
	}
}

func TestCreateDefaults(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, Sale{OutTradeNo: "A1", AmountFen: 1})
	got := mustGet(t, s, "A1")
	if got.Status != StatusPending || !got.CreatedAt.Equal(at(17, 12, 0, 0)) {
		t.Errorf("got status %s created %v; want pending, now", got.Status, got.CreatedAt)
	}
}

func TestCreateExists(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A1", 1234, at(17, 9, 0, 0)))
	err := s.Create(newSale("A1", 999, at(17, 10, 0, 0)))
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second Create = %v, want ErrExists", err)
	}
	if got := mustGet(t, s, "A1"); got.AmountFen != 1234 {
		t.Errorf("amount = %d after refused Create, want 1234", got.AmountFen)
	}
	if d, _ := s.Day("2024-05-17"); len(d.Sales) != 1 {
		t.Errorf("day lists %d sales, want 1", len(d.Sales))
	}
}

func TestCreateInvalid(t *testing.T) {
	tests := []struct {
		name string
		sale Sale
	}{
		{"no out_trade_no", Sale{AmountFen: 100}},
		{"zero amount", Sale{OutTradeNo: "A1"}},
		{"negative amount", Sale{OutTradeNo: "A1", AmountFen: -1}},
		{"not pending", Sale{OutTradeNo: "A1", AmountFen: 100, Status: StatusPaid}},
		{"receipt given", Sale{OutTradeNo: "A1", AmountFen: 100, ReceiptNo: 3}},
		{"paid time given", Sale{OutTradeNo: "A1", AmountFen: 100, PaidAt: at(17, 9, 0, 0)}},
	}
	s := mustOpen(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Create(tt.sale); !errors.Is(err, ErrInvalidSale) {
				t.Errorf("Create = %v, want ErrInvalidSale", err)
			}
		})
	}
	if _, err := s.Get("A1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("an invalid sale was stored: %v", err)
	}
}

func TestNotFound(t *testing.T) {
	s := mustOpen(t)
	if _, err := s.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get = %v, want ErrNotFound", err)
	}
	if _, _, err := s.MarkPaid("nope", Payment{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkPaid = %v, want ErrNotFound", err)
	}
	if _, err := s.SetStatus("nope", StatusCancelled, time.Time{}, "", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetStatus = %v, want ErrNotFound", err)
	}
}

func TestMarkPaidReceiptsPerDay(t *testing.T) {
	s := mustOpen(t)
	for i, no := range []string{"A1", "A2", "A3", "A4", "A5"} {
		mustCreate(t, s, newSale(no, 100, at(17, 9, i, 0)))
	}
	// Numbers follow the order of payment, per day of payment.
	pays := []struct {
		no      string
		paidAt  time.Time
		receipt int
	}{
		{"A2", at(17, 9, 10, 0), 1},
		{"A1", at(17, 9, 11, 0), 2},
		{"A3", at(17, 23, 59, 59), 3},
		{"A4", at(18, 0, 0, 0), 1},
		{"A5", at(18, 8, 0, 0), 2},
	}
	for _, p := range pays {
		sale, changed, err := s.MarkPaid(p.no, Payment{TradeNo: "T" + p.no, BuyerLogonID: "b***@x.com", PaidAt: p.paidAt})
		if err != nil || !changed {
			t.Fatalf("MarkPaid(%s) = changed %v, %v", p.no, changed, err)
		}
		if sale.ReceiptNo != p.receipt || sale.Status != StatusPaid || sale.TradeNo != "T"+p.no ||
			sale.BuyerLogonID != "b***@x.com" || !sale.PaidAt.Equal(p.paidAt) {
			t.Errorf("MarkPaid(%s) = %+v, want receipt %d", p.no, sale, p.receipt)
		}
		if got := mustGet(t, s, p.no); !sameSale(got, sale) {
			t.Errorf("stored %+v, returned %+v", got, sale)
		}
	}
}

func TestMarkPaidIsIdempotent(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A1", 100, at(17, 9, 0, 0)), newSale("A2", 100, at(17, 9, 1, 0)))
	first := mustPay(t, s, "A1", at(17, 9, 0, 30))

	again, changed, err := s.MarkPaid("A1", Payment{TradeNo: "other", PaidAt: at(17, 9, 5, 0)})
	if err != nil || changed {
		t.Fatalf("repeat MarkPaid: changed %v, %v; want false, nil", changed, err)
	}
	if !sameSale(again, first) || !sameSale(mustGet(t, s, "A1"), first) {
		t.Errorf("repeat MarkPaid changed the sale:\n got %+v\nwant %+v", again, first)
	}
	if got := mustPay(t, s, "A2", at(17, 9, 6, 0)); got.ReceiptNo != 2 {
		t.Errorf("next receipt = %d, want 2 (no number lost or reused)", got.ReceiptNo)
	}
}

// TestMarkPaidFromEveryStatusWithoutOne: no status refuses a payment. A
// sale whose customer was told nothing was charged (cancelled, failed)
// records it, says so, and stays open until the payment is refunded.
func TestMarkPaidFromEveryStatusWithoutOne(t *testing.T) {
	for _, from := range []Status{StatusPending, StatusUnknown, StatusCancelled, StatusFailed} {
		t.Run(string(from), func(t *testing.T) {
			s := mustOpen(t)
			driveTo(t, s, "A1", from)
			sale, changed, err := s.MarkPaid("A1", Payment{TradeNo: "T1", PaidAt: at(17, 9, 3, 0)})
			if err != nil || !changed || sale.Status != StatusPaid || sale.ReceiptNo != 1 {
				t.Fatalf("MarkPaid = %+v, %v, %v", sale, changed, err)
			}
			want := []Status{StatusPending, from, StatusPaid}
			if from == StatusPending {
				want = want[1:]
			}
			if got := statusesOf(sale.History); !slices.Equal(got, want) {
				t.Errorf("history statuses %v, want %v", got, want)
			}
			toldNothingCharged := from == StatusCancelled || from == StatusFailed
			paid := sale.History[len(sale.History)-1]
			due := map[Status]RefundDue{StatusCancelled: DueAfterCancel, StatusFailed: DueAfterFailure}[from]
			if paid.Fact != FactPaid || paid.ReceiptNo != 1 || paid.RefundDue != due || sale.RefundIfPaid != toldNothingCharged {
				t.Errorf("paid event %+v, refund if paid %v; want refund due %q", paid, sale.RefundIfPaid, due)
			}
			if open, _ := s.Unsettled(); (len(open) == 1) != toldNothingCharged {
				t.Errorf("open after the payment: %v; want open only while a refund is due", open)
			}
			checkLedger(t, s)
			if !toldNothingCharged {
				return
			}
			if _, err := s.SetStatus("A1", StatusRefunded, at(17, 9, 4, 0), "refunded by the cancel", ""); err != nil {
				t.Fatal(err)
			}
			if open, _ := s.Unsettled(); len(open) != 0 {
				t.Errorf("still open once refunded: %v", open)
			}
			checkLedger(t, s)
		})
	}
}

// checkLedger fails the test when the ledger's own check finds a problem.
func checkLedger(t *testing.T, s *Store) {
	t.Helper()
	r, err := s.Verify()
	if err != nil || !r.OK() {
		t.Errorf("ledger check: %v\n%+v", err, r)
	}
}

// TestMarkRefundIfPaid: from any status the sale stays (or becomes) open
// with RefundIfPaid, so that Alipay's word settles it and a payment goes
// back to the customer; a refunded sale needs nothing.
func TestMarkRefundIfPaid(t *testing.T) {
	want := map[Status]Status{
		StatusPending: StatusUnknown, StatusUnknown: StatusUnknown, StatusCancelled: StatusUnknown,
		StatusFailed: StatusUnknown, StatusPaid: StatusPaid, StatusRefunded: StatusRefunded,
	}
	for _, from := range statuses {
		t.Run(string(from), func(t *testing.T) {
			s := mustOpen(t)
			before := driveTo(t, s, "A1", from)
			sale, err := s.MarkRefundIfPaid("A1", at(17, 9, 5, 0), "precreate answer lost")
			if err != nil {
				t.Fatal(err)
			}
			if from == StatusRefunded {
				if !sameSale(sale, before) {
					t.Errorf("a refunded sale changed: %+v", sale)
				}
				return
			}
			last := sale.History[len(sale.History)-1]
			if sale.Status != want[from] || !sale.RefundIfPaid || last.Note != "precreate answer lost" || last.Status != want[from] {
				t.Errorf("MarkRefundIfPaid from %s = %+v", from, sale)
			}
			if stored := mustGet(t, s, "A1"); !sameSale(stored, sale) {
				t.Errorf("stored %+v, returned %+v", stored, sale)
			}
			if open, _ := s.Unsettled(); len(open) != 1 {
				t.Errorf("not open: %v", open)
			}
			checkLedger(t, s)
		})
	}
}

func TestMarkPaidWithoutChange(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("R", 100, at(17, 9, 0, 0)), newSale("A", 100, at(17, 9, 2, 0)))
	mustPay(t, s, "R", at(17, 9, 0, 10))
	refunded, err := s.SetStatus("R", StatusRefunded, at(17, 10, 0, 0), "refund", "")
	if err != nil {
		t.Fatal(err)
	}

	sale, changed, err := s.MarkPaid("R", Payment{PaidAt: at(17, 11, 0, 0)})
	if err != nil || changed || !sameSale(sale, refunded) {
		t.Errorf("MarkPaid(refunded) = %+v, %v, %v; want it unchanged", sale, changed, err)
	}
	if got := mustPay(t, s, "A", at(17, 11, 0, 0)); got.ReceiptNo != 2 {
		t.Errorf("next receipt = %d, want 2", got.ReceiptNo)
	}
}

func TestMarkPaidDefaultsToNow(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A1", 100, at(17, 9, 0, 0)))
	sale, _, err := s.MarkPaid("A1", Payment{})
	if err != nil || !sale.PaidAt.Equal(at(17, 12, 0, 0)) {
		t.Errorf("PaidAt = %v, %v; want the store's now", sale.PaidAt, err)
	}
}

// driveTo creates sale no and moves it to status st by an allowed path.
func driveTo(t *testing.T, s *Store, no string, st Status) Sale {
	t.Helper()
	mustCreate(t, s, newSale(no, 100, at(17, 9, 0, 0)))
	switch st {
	case StatusPending:
	case StatusPaid:
		mustPay(t, s, no, at(17, 9, 0, 30))
	case StatusRefunded:
		mustPay(t, s, no, at(17, 9, 0, 30))
		fallthrough
	default:
		if _, err := s.SetStatus(no, st, at(17, 9, 1, 0), "setup", ""); err != nil {
			t.Fatalf("driving %s to %s: %v", no, st, err)
		}
	}
	return mustGet(t, s, no)
}

func TestSetStatus(t *testing.T) {
	allowed := map[Status][]Status{
		StatusPending:   {StatusCancelled, StatusRefunded, StatusUnknown, StatusFailed},
		StatusUnknown:   {StatusCancelled, StatusRefunded, StatusFailed},
		StatusPaid:      {StatusRefunded, StatusUnknown},
		StatusCancelled: {StatusRefunded, StatusUnknown},
		StatusFailed:    {StatusRefunded, StatusUnknown},
	}
	s := mustOpen(t)
	n := 0
	for _, from := range statuses {
		for _, to := range append(slices.Clone(statuses), "bogus") {
			n++
			no := fmt.Sprintf("S%02d", n)
			t.Run(fmt.Sprintf("%s->%s", from, to), func(t *testing.T) {
				before := driveTo(t, s, no, from)
				switch {
				case from == to:
					checkUnchanged(t, s, no, to, before, nil)
				case slices.Contains(allowed[from], to):
					checkMoved(t, s, no, to, before)
				default:
					checkUnchanged(t, s, no, to, before, ErrTransition)
				}
			})
		}
	}
}

func checkMoved(t *testing.T, s *Store, no string, to Status, before Sale) {
	t.Helper()
	got, err := s.SetStatus(no, to, at(17, 10, 0, 0), "why", "2024TRADE")
	if err != nil {
		t.Fatalf("SetStatus = %v", err)
	}
	last := got.History[len(got.History)-1]
	if got.Status != to || got.TradeNo != "2024TRADE" || len(got.History) != len(before.History)+1 ||
		last != (Event{At: at(17, 10, 0, 0), Status: to, Note: "why"}) {
		t.Errorf("SetStatus = %+v", got)
	}
	if got.ReceiptNo != before.ReceiptNo || !got.PaidAt.Equal(before.PaidAt) {
		t.Errorf("payment details changed: %+v", got)
	}
	if stored := mustGet(t, s, no); !sameSale(stored, got) {
		t.Errorf("stored %+v, returned %+v", stored, got)
	}
}

func checkUnchanged(t *testing.T, s *Store, no string, to Status, before Sale, wantErr error) {
	t.Helper()
	got, err := s.SetStatus(no, to, at(17, 10, 0, 0), "why", "2024TRADE")
	if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
		t.Fatalf("SetStatus = %v, want %v", err, wantErr)
	}
	if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("from %s to %q", before.Status, to)) {
		t.Errorf("error %q does not name both statuses", err)
	}
	if err == nil && !sameSale(got, before) {
		t.Errorf("SetStatus returned %+v, want %+v", got, before)
	}
	if stored := mustGet(t, s, no); !sameSale(stored, before) {
		t.Errorf("stored sale changed:\n got %+v\nwant %+v", stored, before)
	}
}

func TestUnsettled(t *testing.T) {
	s := mustOpen(t)
	driveTo(t, s, "paid", StatusPaid)
	driveTo(t, s, "cancelled", StatusCancelled)
	driveTo(t, s, "failed", StatusFailed)
	driveTo(t, s, "refunded", StatusRefunded)
	mustCreate(t, s, newSale("p2", 100, at(17, 11, 0, 0)), newSale("p1", 100, at(17, 10, 0, 0)))
	mustCreate(t, s, newSale("u1", 100, at(16, 10, 0, 0)))
	if _, err := s.SetStatus("u1", StatusUnknown, time.Time{}, "timeout", ""); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, newSale("u2", 100, at(17, 10, 30, 0)))
	if _, err := s.SetStatus("u2", StatusUnknown, time.Time{}, "timeout", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus("u2", StatusCancelled, time.Time{}, "settled later", ""); err != nil {
		t.Fatal(err)
	}

	open, err := s.Unsettled()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sale := range open {
		got = append(got, sale.OutTradeNo)
	}
	if want := []string{"u1", "p1", "p2"}; !slices.Equal(got, want) {
		t.Errorf("Unsettled = %v, want %v (oldest first)", got, want)
	}
}

func TestConcurrentPayments(t *testing.T) {
	s := mustOpen(t)
	const n = 16
	for i := range n {
		mustCreate(t, s, newSale(fmt.Sprintf("A%02d", i), 100, at(17, 9, i, 0)))
	}
	receipts := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sale, _, err := s.MarkPaid(fmt.Sprintf("A%02d", i), Payment{PaidAt: at(17, 10, 0, 0)})
			if err != nil {
				t.Error(err)
			}
			receipts[i] = sale.ReceiptNo
		})
	}
	wg.Wait()
	slices.Sort(receipts)
	for i, r := range receipts {
		if r != i+1 {
			t.Fatalf("receipts %v, want 1..%d each once", receipts, n)
		}
	}
}

func statusesOf(events []Event) []Status {
	var out []Status
	for _, e := range events {
		out = append(out, e.Status)
	}
	return out
}

func TestPaidThenUnknownThenPaidKeepsTheReceipt(t *testing.T) {
	s := mustOpen(t)
	sale := driveTo(t, s, "U1", StatusPaid)
	if _, err := s.SetStatus("U1", StatusUnknown, at(17, 9, 2, 0), "cancel answer lost", ""); err != nil {
		t.Fatal(err)
	}
	again := mustPay(t, s, "U1", at(17, 9, 3, 0))
	if again.ReceiptNo != sale.ReceiptNo {
		t.Errorf("receipt %d became %d: the customer holds the first", sale.ReceiptNo, again.ReceiptNo)
	}
	driveTo(t, s, "U2", StatusPaid)
	if next := mustGet(t, s, "U2"); next.ReceiptNo != sale.ReceiptNo+1 {
		t.Errorf("the next sale got receipt %d, want %d (no number used twice or skipped)", next.ReceiptNo, sale.ReceiptNo+1)
	}
}
