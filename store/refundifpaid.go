package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// MarkRefundIfPaid records that the customer was told nothing was charged
// while Alipay may have, or may yet take, a payment for the sale: a
// precreate whose answer was lost, say. The sale gets RefundIfPaid and
// stays open until Alipay's word settles it: a pending, cancelled or failed
// sale becomes unknown, an unknown one stays unknown, a paid one stays paid
// with its refund due. The note goes into the history. A refunded sale
// needs nothing and is returned unchanged. A zero at means now.
func (s *Store) MarkRefundIfPaid(outTradeNo string, at time.Time, note string) (Sale, error) {
	if at.IsZero() {
		at = s.now()
	}
	var sale Sale
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		sale, err = s.markRefundIfPaid(tx, outTradeNo, at, note)
		return err
	})
	if err != nil {
		return Sale{}, fmt.Errorf("mark %s to be refunded if paid: %w", outTradeNo, err)
	}
	return sale, nil
}

func (s *Store) markRefundIfPaid(tx *bolt.Tx, outTradeNo string, at time.Time, note string) (Sale, error) {
	sale, err := s.load(tx, outTradeNo)
	if err != nil || sale.Status == StatusRefunded {
		return sale, err
	}
	if sale.Status != StatusPaid {
		sale.Status = StatusUnknown
	}
	sale.RefundIfPaid = true
	sale.UpdatedAt = s.now().In(s.loc)
	sale.History = append(sale.History, Event{At: at.In(s.loc), Status: sale.Status, Note: note})
	return sale, put(tx, sale)
}
