package pos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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
	if err := f.ledger.SetManagerPIN("246813"); err != nil {
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
	if !errors.Is(err, store.ErrWrongPIN) || !strings.Contains(describe(err), "Wrong manager PIN") {
		t.Fatalf("wrong PIN: %v (%q)", err, describe(err))
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
	s, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 300, PIN: "246813", ApprovedBy: "Li"})
	if err != nil || s.Status != StatusPaid || s.RefundedFen != 300 || s.Refunds[0].ApprovedBy != "Li" {
		t.Fatalf("partial refund: %+v, %v", s, err)
	}
	if _, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 800, PIN: "246813"}); !errors.Is(err, store.ErrRefundTooLarge) {
		t.Errorf("refund beyond what is left: %v", err)
	}
	s, err = f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 700, PIN: "246813"})
	if err != nil || s.Status != StatusRefunded || s.RefundedFen != 1000 {
		t.Fatalf("the rest: %+v, %v", s, err)
	}
	if len(rf.sent) != 2 || rf.sent[0].OutRequestNo == rf.sent[1].OutRequestNo {
		t.Errorf("two refunds need two out_request_nos: %+v", rf.sent)
	}
}

func TestLostRefundAnswerIsSentAgainWithTheSameRequestNo(t *testing.T) {
	f, rf, sale := paidSale(t, 1000, unreachable)
	ctx := context.Background()
	_, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 400, PIN: "246813"})
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
	if _, err := f.reg.Reprint(unpaid.OutTradeNo); !errors.Is(err, ErrNoReceipt) ||
		describe(err) != "This sale was never paid, so it has no receipt to print again." {
		t.Errorf("an unpaid sale's reprint: %v (%q)", err, describe(err))
	}
}

// TestBackOfficeRefusalsCarryTheirFacts: a wrong PIN says how many tries
// are left, and a refund over what is left says both amounts, as fields of
// pos's own errors, which still wrap the ledger's.
func TestBackOfficeRefusalsCarryTheirFacts(t *testing.T) {
	f, _, sale := paidSale(t, 1000, refunded)
	ctx := context.Background()
	_, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 500, PIN: "0000"})
	var pe *PINError
	if !errors.As(err, &pe) || !pe.Wrong || pe.Locked || pe.TriesLeft != 4 || pe.LockFor != 5*time.Minute || !errors.Is(err, store.ErrWrongPIN) {
		t.Errorf("wrong PIN = %#v (%v), want a PINError with 4 tries left", pe, err)
	}
	if _, err := f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 300, PIN: "246813"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.reg.Refund(ctx, RefundOrder{OutTradeNo: sale.OutTradeNo, Fen: 800, PIN: "246813"})
	var re *RefundError
	if !errors.As(err, &re) || re.Problem != RefundOverRefundable || re.Fen != 800 || re.RefundableFen != 700 ||
		re.OutTradeNo != sale.OutTradeNo || !re.TooLarge() {
		t.Errorf("refund over what is left = %#v (%v)", re, err)
	}
	_, err = f.reg.CloseDay(f.reg.Today(), "0000")
	if !errors.As(err, &pe) || pe.TriesLeft != 4 {
		t.Errorf("closing with a wrong PIN = %#v (%v)", pe, err)
	}
}

// TestDescribeWordsTheFactsNotTheMessage: the sentence comes from the
// error's fields, whatever the ledger's message says.
func TestDescribeWordsTheFactsNotTheMessage(t *testing.T) {
	odd := errors.New("a message nobody should read")
	until := time.Date(2026, 11, 22, 10, 5, 0, 0, time.UTC)
	tests := []struct {
		err  error
		want string
	}{
		{&PINError{Wrong: true, TriesLeft: 2, LockFor: 5 * time.Minute, cause: odd},
			"Wrong manager PIN: 2 tries left before the PIN locks for 5 minutes."},
		{&PINError{Wrong: true, TriesLeft: 1, LockFor: 5 * time.Minute}, "Wrong manager PIN: 1 try left before the PIN locks for 5 minutes."},
		{&PINError{Wrong: true, Locked: true, LockFor: 5 * time.Minute, Until: until, cause: odd},
			"Wrong manager PIN: no tries left; the PIN is locked for 5 minutes, until 10:05:00."},
		{&PINError{Locked: true, Tries: 5, Left: 4*time.Minute + 12*time.Second, Until: until, cause: odd},
			"Manager PIN locked after 5 wrong tries: try again in 4 min 12 s, at 10:05:00."},
		{&RefundError{Problem: RefundOverRefundable, Fen: 500, RefundableFen: 200, OutTradeNo: "K1", cause: odd},
			"Refund too large: refund 5.00 exceeds the 2.00 still refundable on sale K1."},
		{&RefundError{Problem: RefundSaleNotPaid, Status: StatusCancelled, OutTradeNo: "K1", cause: odd},
			"Sale cannot be refunded: sale K1 is cancelled; only paid sales can be refunded."},
		{&PINShapeError{Length: 3, Min: 4, Max: 12, cause: odd},
			"Manager PIN too weak: a manager PIN is 4 to 12 digits; this one has 3."},
	}
	for _, tt := range tests {
		if got := describe(tt.err); got != tt.want {
			t.Errorf("Describe(%#v)\n = %q\nwant %q", tt.err, got, tt.want)
		}
	}
}

// TestLedgerErrorsBecomePosErrors: the ledger's typed errors reach the
// screens as pos's, with the same facts and the same message.
func TestLedgerErrorsBecomePosErrors(t *testing.T) {
	damage := fmt.Errorf("read day: %w", &store.DamageError{Path: "/d/ledger.db", Problem: "it is cut short"})
	var de *LedgerDamagedError
	if err := fromLedger(damage, "/d"); !errors.As(err, &de) || de.Path != "/d/ledger.db" || de.Problem != "it is cut short" ||
		err.Error() != damage.Error() || !errors.Is(err, store.ErrDamaged) {
		t.Errorf("damaged = %#v (%v)", de, err)
	}
	missing := &store.MissingError{Path: "/d/ledger.db", Evidence: "/d/ledger.marker"}
	var me *LedgerMissingError
	if err := fromLedger(missing, "/d"); !errors.As(err, &me) || me.Path != missing.Path || me.Evidence != missing.Evidence {
		t.Errorf("missing = %#v", me)
	}
	var ie *LedgerInUseError
	if err := fromLedger(fmt.Errorf("%w (process 7)", store.ErrLocked), "/d"); !errors.As(err, &ie) || ie.Dir != "/d" {
		t.Errorf("locked = %#v", ie)
	}
	for storeErr, posErr := range map[error]error{store.ErrBadDate: ErrBadDate, store.ErrBadRange: ErrBadRange,
		store.ErrFutureDay: ErrFutureDay, store.ErrNoPIN: ErrNoPIN, store.ErrBusy: ErrLedgerBusy, store.ErrFileExists: ErrFileExists} {
		wrapped := fmt.Errorf("context: %w", storeErr)
		if err := fromLedger(wrapped, ""); !errors.Is(err, posErr) || err.Error() != wrapped.Error() {
			t.Errorf("fromLedger(%v) = %v, want %v with the same message", wrapped, err, posErr)
		}
	}
}

// TestSetManagerPINFirstThenChange: the kiosk never sets the first PIN
// (ErrNoPIN, and none is set: whoever stood at the till would choose it);
// once one is set at the command line, a change needs it, a wrong one is
// refused and counts as a wrong try, and a weak new PIN is refused before
// the current one is tried.
func TestSetManagerPINFirstThenChange(t *testing.T) {
	f := newFixture(t)
	reg, err := New(Config{TerminalID: "T-01"}, f.gw, f.ledger, WithClock(f.clock), WithBackOffice(f.ledger, &fakeRefunder{}))
	if err != nil {
		t.Fatal(err)
	}
	if set, err := reg.HasManagerPIN(); set || err != nil {
		t.Fatalf("HasManagerPIN on a new ledger = %v, %v", set, err)
	}
	for _, old := range []string{"", "135790"} {
		if err := reg.SetManagerPIN(old, "258014"); !errors.Is(err, ErrNoPIN) {
			t.Errorf("the kiosk setting the first PIN (current %q): %v, want ErrNoPIN", old, err)
		}
	}
	if set, err := reg.HasManagerPIN(); set || err != nil {
		t.Fatalf("after the kiosk's tries, HasManagerPIN = %v, %v; want none set", set, err)
	}
	settings, err := OpenSettings(f.ledger.Dir(), shanghai) // kiosk manager set-pin
	if err != nil {
		t.Fatal(err)
	}
	if err := settings.SetManagerPIN("", "258014"); err != nil {
		t.Fatal(err)
	}
	settings.Close()
	if err := reg.SetManagerPIN("", "580246"); !errors.Is(err, ErrPINSet) || Classify(err).Kind != KindPINSet {
		t.Errorf("a change without the current PIN: %v (kind %q), want ErrPINSet of its own kind", err, Classify(err).Kind)
	}
	var pe *PINError
	if err := reg.SetManagerPIN("135790", "580246"); !errors.As(err, &pe) || !pe.Wrong || pe.TriesLeft != 4 {
		t.Errorf("a change with a wrong current PIN: %v", err)
	}
	var se *PINShapeError
	if err := reg.SetManagerPIN("258014", "123456"); !errors.As(err, &se) || !se.Trivial {
		t.Errorf("a trivial new PIN: %v", err)
	}
	if err := reg.SetManagerPIN("258014", "580246"); err != nil {
		t.Fatal(err)
	}
	if err := f.ledger.CheckManagerPIN("580246", f.clock.Now()); err != nil {
		t.Errorf("the new PIN: %v", err)
	}
}
