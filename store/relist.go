package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyReceiptDay, in the settings bucket, records that the ledger lists a
// sale paid on another day than it was created under the day of its
// payment, as MarkPaid has done since. Ledgers written before list it
// under the day it was created, with a receipt number of the next day.
var keyReceiptDay = []byte("receipt_day")

// listByPaymentDay moves, once per ledger, each sale that an older kiosk
// listed under the day it was created although it was paid, and numbered,
// on a later day, so that the ledger follows one rule throughout. It
// reads every sale once, in batches, on the first start of a kiosk that
// knows the rule; afterwards it reads one setting.
func (s *Store) listByPaymentDay() error {
	done := false
	err := s.view(func(tx *bolt.Tx) error {
		done = tx.Bucket(bucketSettings).Get(keyReceiptDay) != nil
		return nil
	})
	if err != nil || done {
		return err
	}
	var moves []Sale
	err = s.scan(bucketSales, checkBatch, func(tx *bolt.Tx, _, v []byte) {
		var sale struct {
			OutTradeNo string    `json:"out_trade_no"`
			ReceiptNo  int       `json:"receipt_no"`
			CreatedAt  time.Time `json:"created_at"`
			PaidAt     time.Time `json:"paid_at"`
		}
		if json.Unmarshal(v, &sale) != nil {
			return // Verify reports it
		}
		m := Sale{OutTradeNo: sale.OutTradeNo, ReceiptNo: sale.ReceiptNo, CreatedAt: sale.CreatedAt, PaidAt: sale.PaidAt}
		created := s.DateOf(m.CreatedAt)
		if created != s.DateOf(m.LedgerTime()) && tx.Bucket(bucketDays).Get(dayKey(created, m.CreatedAt, m.OutTradeNo)) != nil {
			moves = append(moves, m)
		}
	})
	if err != nil {
		return fmt.Errorf("list sales by the day they were paid: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		for _, m := range moves {
			if err := s.relist(tx, m, s.DateOf(m.CreatedAt)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketSettings).Put(keyReceiptDay, []byte("paid"))
	})
}
