package pos

import (
	"fmt"
	"time"

	"kiosk/store"
)

// PrintMarks is where the ledger keeps the receipts that did not print,
// until a print of one succeeds. *store.Store implements it.
type PrintMarks interface {
	MarkReceiptUnprinted(outTradeNo string, at time.Time) (store.Sale, error)
	MarkReceiptPrinted(outTradeNo string, at time.Time) (store.Sale, error)
	UnprintedReceipts() ([]store.Sale, error)
}

// WithPrintMarks has the Register keep in the ledger which receipts did
// not print, so that a kiosk started again names them and prints them as
// receipts printed late. Without it a failed print is forgotten when the
// kiosk quits.
func WithPrintMarks(m PrintMarks) Option { return func(r *Register) { r.marks = m } }

// ReceiptNotPrinted records that the receipt of the paid sale did not
// print. Call it when a print fails, never when one succeeds: the ledger
// is written only for the failure.
func (r *Register) ReceiptNotPrinted(outTradeNo string) error {
	if r.marks == nil {
		return nil
	}
	_, err := r.marks.MarkReceiptUnprinted(outTradeNo, r.clock.Now())
	return fromLedger(err, "")
}

// ReceiptPrinted records that a receipt that had not printed (its
// Receipt.Unprinted) has.
func (r *Register) ReceiptPrinted(outTradeNo string) error {
	if r.marks == nil {
		return nil
	}
	_, err := r.marks.MarkReceiptPrinted(outTradeNo, r.clock.Now())
	return fromLedger(err, "")
}

// UnprintedReceipts are the receipts the ledger holds as not printed, in
// the order they were paid, each marked Unprinted and Late: printed now,
// it is the receipt the customer never had, printed late.
func (r *Register) UnprintedReceipts() ([]Receipt, error) {
	if r.marks == nil {
		return nil, nil
	}
	sales, err := r.marks.UnprintedReceipts()
	if err != nil {
		return nil, fromLedger(fmt.Errorf("%w: %w", ErrLedger, err), "")
	}
	out := make([]Receipt, 0, len(sales))
	for _, s := range sales {
		rec := receiptOf(s)
		rec.Late = true
		out = append(out, rec)
	}
	return out, nil
}
