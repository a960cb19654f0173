package pos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/alipay"
	"kiosk/store"
)

// Books is what the manager's screens need from the ledger.
// *store.Store implements it.
type Books interface {
	Day(date string) (store.Day, error)
	DateOf(t time.Time) string
	RequestRefund(outTradeNo string, r store.Refund) (store.Sale, error)
	CompleteRefund(outTradeNo, outRequestNo string, at time.Time, fundChange bool) (store.Sale, error)
	FailRefund(outTradeNo, outRequestNo, note string) (store.Sale, error)
	MarkRefundUnknown(outTradeNo, outRequestNo, note string) (store.Sale, error)
	RefundsInFlight() ([]store.Sale, error)
	CheckManagerPIN(pin string, now time.Time) error
	HasManagerPIN() (bool, error)
	SetManagerPIN(pin string) error
	SetFirstManagerPIN(pin string) error
	ChangeManagerPIN(old, pin string, now time.Time) error
	Report(date string) (store.Report, error)
	ZReport(date string) (store.Report, bool, error)
	CloseDay(date string, at time.Time) (store.Report, bool, error)
}

// Refunder sends refunds to Alipay. *alipay.Client implements it.
type Refunder interface {
	Refund(ctx context.Context, r *alipay.RefundRequest) (*alipay.RefundResponse, error)
}

// WithBackOffice enables the manager's functions: the ledger by day,
// refunds and reports.
func WithBackOffice(b Books, rf Refunder) Option {
	return func(r *Register) { r.books, r.refunder = b, rf }
}

// ErrNoBackOffice is returned by the manager's functions when the
// Register was built without WithBackOffice.
var ErrNoBackOffice = errors.New("the manager's functions are not available on this kiosk")

// Today is the shop's date now, YYYY-MM-DD.
func (r *Register) Today() string {
	if r.books == nil {
		return r.clock.Now().Format("2006-01-02")
	}
	return r.books.DateOf(r.clock.Now())
}

// Day returns one day of the ledger.
func (r *Register) Day(date string) (Day, error) {
	if r.books == nil {
		return Day{}, ErrNoBackOffice
	}
	d, err := r.books.Day(date)
	return dayOf(d), fromLedger(err, "")
}

// Report is the day's figures so far (an X report), or, once the day is
// closed, its Z report as stored, marked as a copy.
func (r *Register) Report(date string) (Report, error) {
	if r.books == nil {
		return Report{}, ErrNoBackOffice
	}
	rep, err := storedOrLive(r.books, date)
	return rep, fromLedger(err, "")
}

// reports is where a day's report comes from. *store.Store implements it.
type reports interface {
	Report(date string) (store.Report, error)
	ZReport(date string) (store.Report, bool, error)
}

// storedOrLive is the stored Z report of a closed day, as a copy, or the X
// report of an open one.
func storedOrLive(b reports, date string) (Report, error) {
	z, closed, err := b.ZReport(date)
	if err != nil {
		return Report{}, err
	}
	if closed {
		rep := reportOf(z)
		rep.Copy, rep.ZNumber = true, z.Number // z_number, as the X report of a closed day had it
		return rep, nil
	}
	x, err := b.Report(date)
	return reportOf(x), err
}

// CloseDay writes the day's Z report once, with the manager's PIN; a second
// close returns the report already written.
func (r *Register) CloseDay(date, pin string) (Report, error) {
	if r.books == nil {
		return Report{}, ErrNoBackOffice
	}
	if err := r.books.CheckManagerPIN(pin, r.clock.Now()); err != nil {
		return Report{}, fromLedger(err, "")
	}
	rep, closedNow, err := r.books.CloseDay(date, r.clock.Now())
	out := reportOf(rep)
	out.Copy = err == nil && !closedNow // the day was closed before: this is its stored report
	return out, fromLedger(err, "")
}

// HasManagerPIN reports whether a manager PIN is set, so that the screens
// say how to set the first one (at the command line) rather than ask for
// a PIN the ledger would refuse.
func (r *Register) HasManagerPIN() (bool, error) {
	if r.books == nil {
		return false, ErrNoBackOffice
	}
	set, err := r.books.HasManagerPIN()
	return set, fromLedger(err, "")
}

// SetManagerPIN changes the manager PIN after checking old; a wrong old
// PIN counts towards the lock as at a refund. A weak new PIN is a
// *PINShapeError. The kiosk never sets the first PIN: with none set it is
// ErrNoPIN and nothing changes, since whoever stands at the till would
// otherwise choose the PIN that approves refunds. The first PIN is set at
// the machine's command line (Settings.SetManagerPIN, kiosk manager
// set-pin). An empty old with a PIN set is ErrPINSet, not a wrong try.
func (r *Register) SetManagerPIN(old, pin string) error {
	if r.books == nil {
		return ErrNoBackOffice
	}
	// A PIN is never unset, so one seen set here is still set when
	// ChangeManagerPIN compares and sets: it changes, never sets the first.
	set, err := r.books.HasManagerPIN()
	switch {
	case err != nil:
		return fromLedger(err, "")
	case !set:
		return ErrNoPIN
	}
	return fromLedger(setOrChangePIN(r.books, old, pin, r.clock.Now()), "")
}

// pinBooks is the part of the ledger that keeps the manager PIN.
type pinBooks interface {
	ChangeManagerPIN(old, pin string, now time.Time) error
}

// setOrChangePIN checks the new PIN's shape, then sets or changes the PIN
// in one compare-and-set of the ledger (store.ChangeManagerPIN): another
// process (kiosk manager set-pin beside the kiosk) may set or change it
// at any moment, so what the PIN was when the caller looked is never
// taken for what it is when the new one is saved.
func setOrChangePIN(b pinBooks, old, pin string, now time.Time) error {
	if err := store.CheckPINShape(pin); err != nil {
		return err // before the old PIN is tried: a weak new one costs no try
	}
	return b.ChangeManagerPIN(old, pin, now)
}

// Reprint is the receipt of a paid sale again, marked as a duplicate.
func (r *Register) Reprint(outTradeNo string) (Receipt, error) {
	s, err := r.ledger.Get(outTradeNo)
	if err != nil {
		return Receipt{}, fromLedger(fmt.Errorf("reprint %s: %w: %w", outTradeNo, ErrLedger, err), "")
	}
	if s.ReceiptNo == 0 {
		return Receipt{}, fmt.Errorf("reprint %s: %w", outTradeNo, ErrNoReceipt)
	}
	rec := receiptOf(s)
	// A receipt that never printed is no copy: it is the receipt, late.
	rec.Duplicate, rec.Late = !rec.Unprinted, rec.Unprinted
	return rec, nil
}

// ErrNoReceipt means a sale that was never paid, so has no receipt to
// print again.
var ErrNoReceipt = errors.New("the sale was never paid, so it has no receipt")

// RefundOrder is a manager's refund of one sale.
type RefundOrder struct {
	OutTradeNo string
	Fen        int64
	PIN        string
	ApprovedBy string // who approved it, recorded with the refund
	Reason     string
}

// DefaultApprover is who a refund was approved by, in the ledger, when no
// name was given: the manager whose PIN it took. The screens word it.
const DefaultApprover = "manager"

// Refund refunds a paid sale in full or in part after checking the
// manager's PIN. The refund is recorded before it is sent, with an
// out_request_no that makes a repeat harmless, so a crash or a lost answer
// can neither lose it nor refund twice: RetryRefunds sends it again.
func (r *Register) Refund(ctx context.Context, o RefundOrder) (SaleRecord, error) {
	s, err := r.refund(ctx, o)
	return recordOf(s), fromLedger(err, "")
}

func (r *Register) refund(ctx context.Context, o RefundOrder) (store.Sale, error) {
	if r.books == nil || r.refunder == nil {
		return store.Sale{}, ErrNoBackOffice
	}
	if err := r.books.CheckManagerPIN(o.PIN, r.clock.Now()); err != nil {
		return store.Sale{}, err
	}
	s, err := r.ledger.Get(o.OutTradeNo)
	if err != nil {
		return store.Sale{}, fmt.Errorf("refund %s: %w: %w", o.OutTradeNo, ErrLedger, err)
	}
	refund := store.Refund{
		OutRequestNo: nextRefundNumber(s),
		Fen:          o.Fen,
		At:           r.clock.Now(),
		ApprovedBy:   firstNonEmpty(o.ApprovedBy, DefaultApprover),
		Reason:       o.Reason,
	}
	if _, err := r.books.RequestRefund(o.OutTradeNo, refund); err != nil {
		return store.Sale{}, err
	}
	return r.sendRefund(ctx, o.OutTradeNo, refund)
}

// nextRefundNumber is the first of the kiosk's refund numbers the sale has
// not used: a refund made outside the kiosk and recorded by a
// reconciliation may have taken one out of turn.
func nextRefundNumber(s store.Sale) string {
	for i := len(s.Refunds) + 1; ; i++ {
		if _, taken := s.Refund(refundNumber(s.OutTradeNo, i)); !taken {
			return refundNumber(s.OutTradeNo, i)
		}
	}
}

// sendRefund asks Alipay for a recorded refund, retrying what is safe to
// retry, and records the answer.
func (r *Register) sendRefund(ctx context.Context, outTradeNo string, rf store.Refund) (store.Sale, error) {
	req := &alipay.RefundRequest{
		OutTradeNo: outTradeNo, RefundFen: rf.Fen, OutRequestNo: rf.OutRequestNo, Reason: rf.Reason,
		StoreID: r.cfg.StoreID, TerminalID: r.cfg.TerminalID,
	}
	resp, err := r.refundWithRetry(ctx, req)
	switch {
	case err == nil:
		return r.books.CompleteRefund(outTradeNo, rf.OutRequestNo, orNow(resp.GmtRefundPay, r.clock.Now()), resp.FundChange)
	case alipay.IsRefused(err): // only Alipay's own, signed refusal proves no money moved
		if s, lerr := r.books.FailRefund(outTradeNo, rf.OutRequestNo, problemNote(NoteProblem, "", err).String()); lerr != nil {
			return s, lerr
		}
		return store.Sale{}, err
	default:
		// No answer, or none we can trust: the money may have moved. Only
		// a resend with the same out_request_no can tell, and it cannot
		// refund twice.
		s, lerr := r.books.MarkRefundUnknown(outTradeNo, rf.OutRequestNo, problemNote(NoteProblem, "", err).String())
		if lerr != nil {
			return s, lerr
		}
		return s, fmt.Errorf("%w: %w", ErrRefundPending, err)
	}
}

// ErrRefundPending means Alipay could not confirm a refund; it is recorded
// and sent again with the same out_request_no until Alipay answers.
var ErrRefundPending = errors.New("the refund is recorded but Alipay has not confirmed it yet")

func (r *Register) refundWithRetry(ctx context.Context, req *alipay.RefundRequest) (*alipay.RefundResponse, error) {
	wait := r.cfg.CancelBackoff
	for attempt := 1; ; attempt++ {
		callCtx, cancel := context.WithTimeout(ctx, r.cfg.RefundTimeout)
		resp, err := r.refunder.Refund(callCtx, req)
		cancel()
		if err == nil || !alipay.IsRetryable(err) || attempt == r.cfg.CancelAttempts {
			return resp, err
		}
		if serr := r.clock.Sleep(ctx, wait); serr != nil {
			return nil, err
		}
		wait *= 2
	}
}

// RetryRefunds sends again every refund recorded but not confirmed, with
// its own out_request_no, so Alipay refunds it at most once.
func (r *Register) RetryRefunds(ctx context.Context) (int, error) {
	settled, _, err := r.retryRefunds(ctx)
	return settled, err
}

// retryRefundsLeft retries the refunds in flight and counts those still
// unconfirmed.
func (r *Register) retryRefundsLeft(ctx context.Context) (int, error) {
	_, left, err := r.retryRefunds(ctx)
	return left, err
}

func (r *Register) retryRefunds(ctx context.Context) (settled, left int, err error) {
	if r.books == nil || r.refunder == nil {
		return 0, 0, nil
	}
	sales, err := r.books.RefundsInFlight()
	if err != nil {
		return 0, 0, fmt.Errorf("list refunds in flight: %w: %w", ErrLedger, err)
	}
	for _, s := range sales {
		for _, rf := range s.Refunds {
			if rf.Status != store.RefundRequested && rf.Status != store.RefundUnknown {
				continue
			}
			if _, err := r.sendRefund(ctx, s.OutTradeNo, rf); err == nil {
				settled++
			} else if errors.Is(err, ErrRefundPending) {
				left++
			}
		}
	}
	return settled, left, nil
}
