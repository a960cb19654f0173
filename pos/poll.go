package pos

import (
	"context"
	"errors"
	"fmt"

	"kiosk/alipay"
	"kiosk/store"
)

// Progress is where a sale stands according to the last answer from Alipay.
type Progress int

// The stages of a sale on the QR screen.
const (
	AwaitingScan         Progress = iota // Alipay does not know the trade yet: nobody has scanned
	AwaitingConfirmation                 // scanned, the customer has not confirmed yet
	Paid                                 // Alipay confirmed the payment; see the receipt
	Closed                               // the trade was closed at Alipay without payment
)

// PollResult is what one query found.
type PollResult struct {
	Progress Progress
	Receipt  Receipt // set when Progress is Paid
	// Warning is set when this poll got no usable answer. The sale keeps
	// waiting and the next poll tries again.
	Warning Problem
}

// Poll asks Alipay once how the sale stands and records a payment. A query
// that fails is reported as a Warning, never as the end of the sale: only
// the countdown or the cashier ends it. Poll returns an error only when a
// confirmed payment could not be written to the ledger (the next poll
// retries) or does not match the sale.
func (r *Register) Poll(ctx context.Context, sale Sale) (PollResult, error) {
	resp, err := r.query(awaitingScan(ctx, sale), sale.OutTradeNo)
	switch {
	case alipay.IsTradeNotExist(err):
		return PollResult{Progress: AwaitingScan}, nil
	case err != nil:
		return PollResult{Progress: AwaitingScan, Warning: Classify(err)}, nil
	}
	switch {
	case resp.TradeStatus.Paid():
		rec, err := r.recordPayment(sale, resp)
		if err != nil {
			return PollResult{Progress: AwaitingConfirmation}, err
		}
		return PollResult{Progress: Paid, Receipt: receiptOf(rec)}, nil
	case resp.TradeStatus == alipay.TradeClosed:
		return PollResult{Progress: Closed}, nil
	default:
		return PollResult{Progress: AwaitingConfirmation}, nil
	}
}

// awaitingScan marks ctx, for a QR sale, as the wait for the customer to
// scan: Alipay's "no such trade" is then "not yet", and the call log says
// so rather than logging a refusal. A payment-code sale's trade exists
// once the charge reached Alipay, so its queries are not marked.
func awaitingScan(ctx context.Context, sale Sale) context.Context {
	if sale.Method == PayByCode {
		return ctx
	}
	return alipay.AwaitingScan(ctx)
}

func (r *Register) query(ctx context.Context, outTradeNo string) (*alipay.QueryResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.QueryTimeout)
	defer cancel()
	resp, err := r.gw.Query(ctx, &alipay.QueryRequest{OutTradeNo: outTradeNo})
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", outTradeNo, err)
	}
	return resp, nil
}

// recordPayment writes a verified payment to the ledger once it agrees with
// our record of the sale, and returns the sale as recorded. Recording twice
// is harmless: the ledger keeps the first receipt.
func (r *Register) recordPayment(sale Sale, resp *alipay.QueryResponse) (store.Sale, error) {
	if err := matchPayment(sale, resp); err != nil {
		return store.Sale{}, err
	}
	paidAt := resp.SendPayDate
	if paidAt.IsZero() {
		paidAt = r.clock.Now()
	}
	rec, _, err := r.ledger.MarkPaid(sale.OutTradeNo, store.Payment{
		TradeNo:      resp.TradeNo,
		BuyerLogonID: MaskAccount(resp.BuyerLogonID),
		PaidAt:       paidAt,
	})
	if err != nil {
		return store.Sale{}, fmt.Errorf("record payment of %s: %w: %w", sale.OutTradeNo, ErrLedger, err)
	}
	return rec, nil
}

func matchPayment(sale Sale, resp *alipay.QueryResponse) error {
	switch {
	case resp.OutTradeNo != "" && resp.OutTradeNo != sale.OutTradeNo:
		return fmt.Errorf("payment is for order %s, not %s: %w", resp.OutTradeNo, sale.OutTradeNo, ErrMismatch)
	case resp.TotalFen != sale.AmountFen:
		return fmt.Errorf("payment of %s for order %s that is for %s: %w",
			alipay.FormatAmount(resp.TotalFen), sale.OutTradeNo, alipay.FormatAmount(sale.AmountFen), ErrMismatch)
	}
	return nil
}

// isLedgerError reports whether err came from the ledger.
func isLedgerError(err error) bool { return errors.Is(err, ErrLedger) }
