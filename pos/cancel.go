package pos

import (
	"context"
	"errors"
	"fmt"

	"kiosk/alipay"
	"kiosk/store"
)

// Outcome is how a sale ended after Cancel.
type Outcome struct {
	Status  Status  // paid, cancelled, refunded or unknown
	Receipt Receipt // set when Status is paid
	// Note says what happened, for the screen and the ledger.
	Note       Note
	OutTradeNo string
	AmountFen  int64
	// LateRefund: Alipay reported a payment after the customer had been
	// told that nothing was charged (the sale failed to start, or was
	// cancelled), and the payment was refunded.
	LateRefund bool
	// Cause is Alipay's failure that left the outcome unknown, nil
	// otherwise.
	Cause error
}

// Cancel ends a sale that was not confirmed as paid: the countdown ran out
// or the cashier aborted. It queries once more first, because cancelling a
// paid trade refunds it and a buyer who paid in the last second should get
// a receipt. Then it cancels, retrying while Alipay asks to or cannot be
// reached, and records cancelled, refunded (the buyer paid between the last
// query and the cancel) or unknown (to be reconciled later).
//
// A sale whose customer was told that nothing was charged (its precreate
// failed, or it was cancelled before) is the exception: a payment Alipay
// reports for it is recorded, and then the cancel refunds it.
func (r *Register) Cancel(ctx context.Context, sale Sale, reason Reason) (Outcome, error) {
	// A ledger that cannot be read now shows again when the outcome is
	// recorded; meanwhile the sale counts as one whose customer may pay.
	rec, _ := r.ledger.Get(sale.OutTradeNo)
	if rec.Status == store.StatusPaid && !rec.RefundIfPaid {
		// A notification recorded the payment meanwhile: cancelling now
		// would refund a customer who has paid.
		return outcomeOf(sale, Outcome{Status: StatusPaid, Receipt: receiptOf(rec), Note: Note{Code: NotePaidJustInTime}}), nil
	}
	c := cancelling{sale: sale, reason: reason, refundIfPaid: rec.RefundIfPaid}
	if out, done, err := r.settleByQuery(ctx, &c); done || err != nil {
		return outcomeOf(sale, out), err
	}
	resp, err := r.cancelWithRetry(ctx, sale.OutTradeNo)
	out, err := r.recordCancel(&c, resp, err)
	return outcomeOf(sale, out), err
}

// cancelling is what Cancel knows about the sale it ends.
type cancelling struct {
	sale         Sale
	reason       Reason
	refundIfPaid bool  // the customer was told nothing was charged
	queryErr     error // why the final query got no usable answer, nil if it got one
}

func outcomeOf(sale Sale, out Outcome) Outcome {
	out.OutTradeNo, out.AmountFen = sale.OutTradeNo, sale.AmountFen
	return out
}

// settleByQuery records the sale as paid or closed when the final query
// says so; done is false when a cancel is still needed: to close the trade,
// or to refund a payment the customer was told had not been taken.
func (r *Register) settleByQuery(ctx context.Context, c *cancelling) (Outcome, bool, error) {
	qctx := ctx
	if c.reason != ReasonRecovered && c.reason != ReasonRechecked {
		// The sale on screen ends: nobody scanning is the usual way. A sale
		// settled at start or in the background should exist at Alipay.
		qctx = awaitingScan(ctx, c.sale)
	}
	resp, err := r.query(qctx, c.sale.OutTradeNo)
	if alipay.IsTradeNotExist(err) {
		return Outcome{}, false, nil // nobody scanned: the cancel closes the order
	}
	if err != nil {
		c.queryErr = err
		return Outcome{}, false, nil // cancel anyway: it closes or refunds whatever Alipay has
	}
	switch {
	case resp.TradeStatus.Paid():
		rec, err := r.recordPayment(c.sale, resp)
		if err != nil {
			return Outcome{}, true, err
		}
		if rec.RefundIfPaid {
			c.refundIfPaid = true
			return Outcome{}, false, nil
		}
		return Outcome{Status: StatusPaid, Receipt: receiptOf(rec), Note: Note{Code: NotePaidJustInTime}}, true, nil
	case resp.TradeStatus == alipay.TradeClosed:
		out, err := r.recordClosed(c.sale.OutTradeNo, resp)
		out.LateRefund = c.refundIfPaid && out.Status == StatusRefunded
		return out, true, err
	}
	return Outcome{}, false, nil
}

// recordClosed records a trade Alipay reports closed. A closed trade with a
// payment date was paid and then refunded in full, typically by a cancel
// whose answer this process did not live to record.
func (r *Register) recordClosed(outTradeNo string, resp *alipay.QueryResponse) (Outcome, error) {
	if !resp.SendPayDate.IsZero() {
		return r.record(outTradeNo, store.StatusRefunded, Note{Code: NoteClosedRefunded}, resp.TradeNo)
	}
	return r.record(outTradeNo, store.StatusCancelled, Note{Code: NoteClosed}, resp.TradeNo)
}

// cancelWithRetry calls alipay.trade.cancel until Alipay gives a final
// answer, waiting longer after each retryable failure.
func (r *Register) cancelWithRetry(ctx context.Context, outTradeNo string) (*alipay.CancelResponse, error) {
	wait := r.cfg.CancelBackoff
	var (
		resp *alipay.CancelResponse
		err  error
	)
	for attempt := 1; ; attempt++ {
		resp, err = r.cancelOnce(ctx, outTradeNo)
		if !shouldRetryCancel(resp, err) || attempt == r.cfg.CancelAttempts {
			break
		}
		if serr := r.clock.Sleep(ctx, wait); serr != nil {
			break
		}
		wait *= 2
	}
	if err == nil && resp.RetryFlag {
		err = fmt.Errorf("cancel %s: Alipay still asked to retry after %d attempts: %w",
			outTradeNo, r.cfg.CancelAttempts, alipay.ErrTransport)
	}
	return resp, err
}

func (r *Register) cancelOnce(ctx context.Context, outTradeNo string) (*alipay.CancelResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.CancelTimeout)
	defer cancel()
	resp, err := r.gw.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: outTradeNo})
	if err != nil {
		return nil, fmt.Errorf("cancel %s: %w", outTradeNo, err)
	}
	return resp, nil
}

func shouldRetryCancel(resp *alipay.CancelResponse, err error) bool {
	if err != nil {
		return alipay.IsRetryable(err)
	}
	return resp.RetryFlag
}

func (r *Register) recordCancel(c *cancelling, resp *alipay.CancelResponse, err error) (Outcome, error) {
	no := c.sale.OutTradeNo
	switch {
	case err != nil:
		out, rerr := r.record(no, store.StatusUnknown, problemNote(NoteCancelUnconfirmed, c.reason, err), "")
		out.Cause = err
		return out, rerr
	case resp.Action == "refund":
		out, rerr := r.record(no, store.StatusRefunded, refundedNote(c), resp.TradeNo)
		out.LateRefund = c.refundIfPaid
		return out, rerr
	default:
		return r.record(no, store.StatusCancelled, Note{Code: NoteCancelled, Reason: c.reason}, resp.TradeNo)
	}
}

// refundedNote says why a cancel found a payment to refund.
func refundedNote(c *cancelling) Note {
	switch {
	case c.refundIfPaid:
		return Note{Code: NoteRefundedTold, Reason: c.reason}
	case c.queryErr != nil:
		return problemNote(NoteRefundedUnseen, c.reason, c.queryErr)
	}
	return Note{Code: NoteRefundedLastSecond, Reason: c.reason}
}

func (r *Register) record(outTradeNo string, status store.Status, note Note, tradeNo string) (Outcome, error) {
	if _, err := r.ledger.SetStatus(outTradeNo, status, r.clock.Now(), note.String(), tradeNo); err != nil {
		return Outcome{Status: Status(status), Note: note}, fmt.Errorf("record %s as %s: %w: %w", outTradeNo, status, ErrLedger, err)
	}
	return Outcome{Status: Status(status), Note: note}, nil
}

// settleOpen settles one open sale of the ledger (pending, unknown, or
// paid with its refund due) by asking Alipay, as Cancel does.
func (r *Register) settleOpen(ctx context.Context, s store.Sale, reason Reason) (Outcome, error) {
	sale := Sale{OutTradeNo: s.OutTradeNo, AmountFen: s.AmountFen, Subject: s.Subject, StartedAt: s.CreatedAt, Method: PayMethod(s.Method)}
	return r.Cancel(ctx, sale, reason)
}

// Recover settles every sale an earlier run left open (the process was
// killed, or Alipay was unreachable): paid ones get their receipt, others
// are cancelled, and a payment the customer was told had not been taken is
// refunded. Sales Alipay still cannot be asked about stay unknown.
func (r *Register) Recover(ctx context.Context) ([]Outcome, error) {
	open, err := r.ledger.Unsettled()
	if err != nil {
		return nil, fmt.Errorf("list unsettled sales: %w: %w", ErrLedger, err)
	}
	outcomes := make([]Outcome, 0, len(open))
	var errs []error
	for _, s := range open {
		// One sale that cannot be settled must not hold up the others.
		out, err := r.settleOpen(ctx, s, ReasonRecovered)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outcomes = append(outcomes, out)
	}
	if _, err := r.RetryRefunds(ctx); err != nil {
		errs = append(errs, err)
	}
	return outcomes, errors.Join(errs...)
}

// Reconcile settles the open sales that are not pending: those left
// unknown because Alipay could not be reached or its answer was lost, and
// paid ones whose refund is due. It also sends again the refunds Alipay has
// not confirmed. Unlike Recover it leaves pending sales alone, so it may
// run while a sale is on screen. It returns an outcome for every sale it
// tried (still unknown ones carry their Cause) and how many sales are still
// unknown or still have a refund in flight.
func (r *Register) Reconcile(ctx context.Context) ([]Outcome, int, error) {
	open, err := r.ledger.Unsettled()
	if err != nil {
		return nil, 0, fmt.Errorf("list unsettled sales: %w: %w", ErrLedger, err)
	}
	var (
		tried        []Outcome
		stillUnknown int
		errs         []error
	)
	for _, s := range open {
		if s.Status == store.StatusPending {
			continue
		}
		out, err := r.settleOpen(ctx, s, ReasonRechecked)
		switch {
		case err != nil:
			errs = append(errs, err)
			stillUnknown++
		case out.Status == StatusUnknown:
			stillUnknown++
			tried = append(tried, out)
		default:
			tried = append(tried, out)
		}
	}
	inFlight, err := r.retryRefundsLeft(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	return tried, stillUnknown + inFlight, errors.Join(errs...)
}
