package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

const dateLayout = "2006-01-02"

// Day is one day of the ledger: the sales created that day in the shop's
// time zone.
type Day struct {
	Date   string // YYYY-MM-DD
	Sales  []Sale // in creation order
	Totals Totals
}

// Totals sum up a day. A refunded sale counts as paid as well as refunded,
// because the money arrived before it went back, so NetFen is what the shop
// keeps.
type Totals struct {
	Count       int   // all sales
	Paid        int   // sales whose money arrived: paid or refunded
	PaidFen     int64 // their amount
	Refunded    int   // refunded sales
	RefundedFen int64 // their amount
	NetFen      int64 // PaidFen - RefundedFen
	Cancelled   int
	Unknown     int
	Pending     int
	Failed      int
}

// Day returns the sales created on date ("YYYY-MM-DD", in the shop's time
// zone) with their totals. It reads only that day's part of the index. A
// malformed date yields ErrBadDate.
func (s *Store) Day(date string) (Day, error) {
	if err := checkDate(date); err != nil {
		return Day{}, err
	}
	d := Day{Date: date}
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		d.Sales, err = s.daySales(tx, date)
		return err
	})
	if err != nil {
		return Day{}, fmt.Errorf("read day %s: %w", date, err)
	}
	d.Totals = tally(d.Sales)
	return d, nil
}

func checkDate(date string) error {
	t, err := time.Parse(dateLayout, date)
	if err != nil || t.Format(dateLayout) != date {
		return fmt.Errorf("%w %q: want YYYY-MM-DD, for example 2024-05-17", ErrBadDate, date)
	}
	return nil
}

// dayKey is the day index key of a sale: date, a zero byte, created as
// big-endian Unix nanoseconds, then out_trade_no.
func dayKey(date string, created time.Time, outTradeNo string) []byte {
	k := make([]byte, 0, len(date)+1+8+len(outTradeNo))
	k = append(k, date...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint64(k, uint64(created.UnixNano()))
	return append(k, outTradeNo...)
}

func (s *Store) daySales(tx *bolt.Tx, date string) ([]Sale, error) {
	days := tx.Bucket(bucketDays)
	if days == nil {
		return nil, nil
	}
	prefix := append([]byte(date), 0)
	var sales []Sale
	c := days.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) <= len(prefix)+8 {
			return nil, fmt.Errorf("day index key %q is too short", k)
		}
		sale, err := s.load(tx, string(k[len(prefix)+8:]))
		if err != nil {
			return nil, err
		}
		sales = append(sales, sale)
	}
	return sales, nil
}

// tally computes the totals of a list of sales.
func tally(sales []Sale) Totals {
	var t Totals
	for _, sale := range sales {
		t.Count++
		switch sale.Status {
		case StatusPaid, StatusRefunded:
			t.Paid++
			t.PaidFen += sale.AmountFen
		case StatusCancelled:
			t.Cancelled++
		case StatusUnknown:
			t.Unknown++
		case StatusPending:
			t.Pending++
		case StatusFailed:
			t.Failed++
		}
		if sale.Status == StatusRefunded {
			t.Refunded++
			t.RefundedFen += sale.AmountFen
		}
	}
	t.NetFen = t.PaidFen - t.RefundedFen
	return t
}
