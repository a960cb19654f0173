package store

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A receipt that did not come off the printer is a fact on its sale
// (Sale.ReceiptUnprinted, with a FactReceiptNotPrinted event), kept until
// a print of it succeeds (FactReceiptPrinted), so that a kiosk started
// again still names it and prints it as a receipt printed late, not as a
// copy of one the customer never had. The ledger is written only when a
// print fails and when a failed one is made good: a receipt that prints
// the first time costs no commit.
//
//	unprinted  out_trade_no -> empty, for every sale whose receipt has not
//	           printed (Sale.ReceiptUnprinted), so the start reads only them
var bucketUnprinted = []byte("unprinted")

// MarkReceiptUnprinted records that the receipt of the paid sale did not
// print. A sale already marked is left as it is, and nothing is written.
// A zero at means now.
func (s *Store) MarkReceiptUnprinted(outTradeNo string, at time.Time) (Sale, error) {
	sale, err := s.markPrinted(outTradeNo, at, false)
	if err != nil {
		return Sale{}, fmt.Errorf("mark %s receipt not printed: %w", outTradeNo, err)
	}
	return sale, nil
}

// MarkReceiptPrinted records that the receipt of a sale marked unprinted
// has printed at last. For a sale not marked it writes nothing.
func (s *Store) MarkReceiptPrinted(outTradeNo string, at time.Time) (Sale, error) {
	sale, err := s.markPrinted(outTradeNo, at, true)
	if err != nil {
		return Sale{}, fmt.Errorf("mark %s receipt printed: %w", outTradeNo, err)
	}
	return sale, nil
}

func (s *Store) markPrinted(outTradeNo string, at time.Time, printed bool) (Sale, error) {
	if at.IsZero() {
		at = s.now()
	}
	var sale Sale
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if sale, err = s.load(tx, outTradeNo); err != nil {
			return err
		}
		if sale.ReceiptNo == 0 {
			return fmt.Errorf("%w: the sale has no receipt to print", ErrInvalidSale)
		}
		if sale.ReceiptUnprinted == !printed {
			return nil // as recorded already: no write, no commit
		}
		fact := FactReceiptNotPrinted
		if printed {
			fact = FactReceiptPrinted
		}
		sale.ReceiptUnprinted = !printed
		sale.UpdatedAt = s.now().In(s.loc)
		sale.History = append(sale.History, Event{At: at.In(s.loc), Status: sale.Status, Fact: fact, ReceiptNo: sale.ReceiptNo})
		return put(tx, sale)
	})
	return sale, err
}

// UnprintedReceipts returns the sales whose receipt has not printed
// (MarkReceiptUnprinted), in the order they were paid. It reads the
// unprinted index, not the whole ledger.
func (s *Store) UnprintedReceipts() ([]Sale, error) {
	sales, err := s.indexedSales(bucketUnprinted) // none in a ledger from before the index
	if err != nil {
		return nil, fmt.Errorf("list unprinted receipts: %w", err)
	}
	slices.SortFunc(sales, func(a, b Sale) int {
		return cmp.Or(a.PaidAt.Compare(b.PaidAt), cmp.Compare(a.OutTradeNo, b.OutTradeNo))
	})
	return sales, nil
}
