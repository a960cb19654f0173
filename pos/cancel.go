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
	Status  store.Status // paid, cancelled, refunded or unknown
	Receipt Receipt      // set when Status is paid
	// Note says in a sentence what happened, for the screen and the ledger.
	Note string
}

// Cancel ends a sale that was not confirmed as paid: the countdown ran out
// or the cashier aborted. It queries once more first, because cancelling a
// paid trade refunds it and a buyer who paid in the last second should get
// a receipt. Then it cancels, retrying while Alipay asks to or cannot be
// reached, and records cancelled, refunded (the buyer paid between the last
// query and the cancel) or unknown (to be reconciled later).
func (r *Register) Cancel(ctx context.Context, sale Sale, reason string) (Outcome, error) {
	if rec, err := r.ledger.Get(sale.OutTradeNo); err == nil && rec.Status == store.StatusPaid {
		// A notification recorded the payment meanwhile: cancelling now
		// would refund a customer who has paid.
		return Outcome{Status: store.StatusPaid, Receipt: receiptOf(rec), Note: "The customer paid just in time."}, nil
	}
	if out, done, err := r.settleByQuery(ctx, sale); done || err != nil {
		return out, err
	}
	resp, err := r.cancelWithRetry(ctx, sale.OutTradeNo)
	return r.recordCancel(sale.OutTradeNo, reason, resp, err)
}

// settleByQuery records the sale as paid or closed when the final query
// says so; done is false when a cancel is still needed.
func (r *Register) settleByQuery(ctx context.Context, sale Sale) (Outcome, bool, error) {
	resp, err := r.query(ctx, sale.OutTradeNo)
	if err != nil {
		return Outcome{}, false, nil // cancel anyway: it closes or refunds whatever Alipay has
	}
	switch {
	case resp.TradeStatus.Paid():
		receipt, err := r.recordPayment(sale, resp)
		if err != nil {
			return Outcome{}, true, err
		}
		return Outcome{Status: store.StatusPaid, Receipt: receipt, Note: "The customer paid just in time."}, true, nil
	case resp.TradeStatus == alipay.TradeClosed:
		out, err := r.recordClosed(sale.OutTradeNo, resp)
		return out, true, err
	}
	return Outcome{}, false, nil
}

// recordClosed records a trade Alipay reports closed. A closed trade with a
// payment date was paid and then refunded in full, typically by a cancel
// whose answer this process did not live to record.
func (r *Register) recordClosed(outTradeNo string, resp *alipay.QueryResponse) (Outcome, error) {
	if !resp.SendPayDate.IsZero() {
		return r.record(outTradeNo, store.StatusRefunded,
			"Alipay had already refunded the payment to the customer and closed the trade.", resp.TradeNo)
	}
	return r.record(outTradeNo, store.StatusCancelled, "Alipay had already closed the trade.", resp.TradeNo)
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

func (r *Register) recordCancel(outTradeNo, reason string, resp *alipay.CancelResponse, err error) (Outcome, error) {
	switch {
	case err != nil:
		note := reason + ". Alipay could not confirm the cancellation; the sale will be checked again later. " + Describe(err)
		return r.record(outTradeNo, store.StatusUnknown, note, "")
	case resp.Action == "refund":
		return r.record(outTradeNo, store.StatusRefunded,
			reason+". The customer paid at the last second; the payment was refunded to them.", resp.TradeNo)
	default:
		return r.record(outTradeNo, store.StatusCancelled, reason+"; Alipay closed the trade.", resp.TradeNo)
	}
}

func (r *Register) record(outTradeNo string, status store.Status, note, tradeNo string) (Outcome, error) {
	if _, err := r.ledger.SetStatus(outTradeNo, status, r.clock.Now(), note, tradeNo); err != nil {
		return Outcome{Status: status, Note: note}, fmt.Errorf("record %s as %s: %w: %w", outTradeNo, status, ErrLedger, err)
	}
	return Outcome{Status: status, Note: note}, nil
}

// recover settles one sale found pending or unknown at start.
func (r *Register) recoverSale(ctx context.Context, s store.Sale) (Outcome, error) {
	sale := Sale{OutTradeNo: s.OutTradeNo, AmountFen: s.AmountFen, Subject: s.Subject, StartedAt: s.CreatedAt}
	return r.Cancel(ctx, sale, "Recovered at start")
}

// Recover settles every sale left pending or unknown by an earlier run (the
// process was killed, or Alipay was unreachable): paid ones get their
// receipt, others are cancelled. Sales Alipay still cannot be asked about
// stay unknown.
func (r *Register) Recover(ctx context.Context) ([]Outcome, error) {
	open, err := r.ledger.Unsettled()
	if err != nil {
		return nil, fmt.Errorf("list unsettled sales: %w: %w", ErrLedger, err)
	}
	outcomes := make([]Outcome, 0, len(open))
	var errs []error
	for _, s := range open {
		// One sale that cannot be settled must not hold up the others.
		out, err := r.recoverSale(ctx, s)
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

// Reconcile settles the sales left unknown because Alipay could not be
// reached when they ended, and sends again the refunds Alipay has not
// confirmed. Unlike Recover it leaves pending sales alone, so it may run
// while a sale is on screen. It returns what it settled and how many sales
// are still unknown or still have a refund in flight.
func (r *Register) Reconcile(ctx context.Context) ([]Outcome, int, error) {
	open, err := r.ledger.Unsettled()
	if err != nil {
		return nil, 0, fmt.Errorf("list unsettled sales: %w: %w", ErrLedger, err)
	}
	var (
		settled      []Outcome
		stillUnknown int
		errs         []error
	)
	for _, s := range open {
		if s.Status != store.StatusUnknown {
			continue
		}
		out, err := r.recoverSale(ctx, s)
		switch {
		case err != nil:
			errs = append(errs, err)
			stillUnknown++
		case out.Status == store.StatusUnknown:
			stillUnknown++
		default:
			settled = append(settled, out)
		}
	}
	inFlight, err := r.retryRefundsLeft(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	return settled, stillUnknown + inFlight, errors.Join(errs...)
}
