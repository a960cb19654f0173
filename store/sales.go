package store

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// empty is the value of index entries, whose information is all in the key.
var empty = []byte{}

// Create records a new sale as pending. OutTradeNo must be set and unique
// (ErrExists otherwise) and AmountFen positive. CreatedAt is kept when set
// and is now otherwise; it decides the day the sale is listed under until
// it is paid (see MarkPaid).
func (s *Store) Create(sale Sale) error {
	if err := s.prepare(&sale); err != nil {
		return fmt.Errorf("create %s: %w", sale.OutTradeNo, err)
	}
	if err := s.update(func(tx *bolt.Tx) error { return s.insert(tx, sale) }); err != nil {
		return fmt.Errorf("create %s: %w", sale.OutTradeNo, err)
	}
	return nil
}

// Get returns the sale with the given out_trade_no, or an error wrapping
// ErrNotFound.
func (s *Store) Get(outTradeNo string) (Sale, error) {
	var sale Sale
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		sale, err = s.load(tx, outTradeNo)
		found = err == nil
		return err
	})
	if err == nil && !found { // no ledger yet
		err = ErrNotFound
	}
	if err != nil {
		return Sale{}, fmt.Errorf("get %s: %w", outTradeNo, err)
	}
	return sale, nil
}

// MarkPaid records Alipay's confirmation that a sale was paid and issues its
// receipt number, the next one for the day of p.PaidAt; from then on the
// sale belongs to that day, in the listing and the reports too, even if
// it was created the day before. It accepts a pending, unknown, cancelled
// or failed sale: no status refuses a payment. A cancelled or failed one
// gets a note in its history, because the money arrived after the customer
// was told nothing was charged, and RefundIfPaid: it stays open until the
// payment is refunded. A sale that already had a receipt (paid, then
// unknown) keeps its number and its payment time. changed is true when
// this call recorded the payment; for a sale already paid or refunded it
// is false and nothing is written, so calling MarkPaid again never issues
// a second receipt.
func (s *Store) MarkPaid(outTradeNo string, p Payment) (sale Sale, changed bool, err error) {
	if p.PaidAt.IsZero() {
		p.PaidAt = s.now()
	}
	err = s.update(func(tx *bolt.Tx) error {
		var err error
		sale, changed, err = s.markPaid(tx, outTradeNo, p)
		return err
	})
	if err != nil {
		return Sale{}, false, fmt.Errorf("mark %s paid: %w", outTradeNo, err)
	}
	return sale, changed, nil
}

// SetStatus moves a sale to status to, appending an event with the note to
// its history and recording tradeNo when it is not empty. Allowed moves:
//
//	pending   -> cancelled, refunded, unknown, failed
//	unknown   -> cancelled, refunded, failed
//	paid      -> refunded, unknown
//	cancelled -> refunded, unknown
//	failed    -> refunded, unknown
//
// Asking for the status the sale already has returns it unchanged. Anything
// else fails with ErrTransition and changes nothing. A zero at means now.
func (s *Store) SetStatus(outTradeNo string, to Status, at time.Time, note, tradeNo string) (Sale, error) {
	if at.IsZero() {
		at = s.now()
	}
	var sale Sale
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		sale, err = s.setStatus(tx, outTradeNo, to, Event{At: at.In(s.loc), Status: to, Note: note}, tradeNo)
		return err
	})
	if err != nil {
		return Sale{}, fmt.Errorf("set %s %s: %w", outTradeNo, to, err)
	}
	return sale, nil
}

// Unsettled returns every open sale (pending, unknown, or paid with its
// refund due; see Sale.Open), oldest first: the sales to reconcile with
// Alipay when the kiosk starts. It reads the open index, not the whole
// ledger.
func (s *Store) Unsettled() ([]Sale, error) {
	var sales []Sale
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		sales, err = s.unsettled(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list unsettled sales: %w", err)
	}
	slices.SortFunc(sales, func(a, b Sale) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.OutTradeNo, b.OutTradeNo))
	})
	return sales, nil
}

func (s *Store) insert(tx *bolt.Tx, sale Sale) error {
	key := []byte(sale.OutTradeNo)
	if tx.Bucket(bucketSales).Get(key) != nil {
		return ErrExists
	}
	date := s.DateOf(sale.CreatedAt)
	if z, closed, err := s.zReport(tx, date); err != nil || closed {
		return cmp.Or(err, error(&DayClosedError{Date: date, ZNumber: z.Number, ClosedAt: z.CreatedAt}))
	}
	if err := tx.Bucket(bucketDays).Put(dayKey(s.DateOf(sale.CreatedAt), sale.CreatedAt, sale.OutTradeNo), empty); err != nil {
		return fmt.Errorf("index day: %w", err)
	}
	return put(tx, sale)
}

func (s *Store) markPaid(tx *bolt.Tx, outTradeNo string, p Payment) (Sale, bool, error) {
	sale, err := s.load(tx, outTradeNo)
	if err != nil {
		return Sale{}, false, err
	}
	if sale.Status == StatusPaid || sale.Status == StatusRefunded {
		return sale, false, nil
	}
	if !slices.Contains(payable, sale.Status) {
		return Sale{}, false, transitionError(sale.Status, StatusPaid)
	}
	// A sale that had its receipt before its outcome became unknown keeps
	// it, and the day it was issued on: the number was handed to the
	// customer.
	if sale.ReceiptNo == 0 {
		if err := s.issueReceipt(tx, &sale, p.PaidAt); err != nil {
			return Sale{}, false, err
		}
	}
	paid := Event{At: p.PaidAt.In(s.loc), Status: StatusPaid, Fact: FactPaid, ReceiptNo: sale.ReceiptNo}
	switch {
	case sale.Status == StatusCancelled:
		paid.RefundDue = DueAfterCancel
	case sale.Status == StatusFailed:
		paid.RefundDue = DueAfterFailure
	case sale.RefundIfPaid:
		paid.RefundDue = DueToldNothingCharged
	}
	sale.RefundIfPaid = sale.RefundIfPaid || sale.Status == StatusCancelled || sale.Status == StatusFailed
	sale.Status = StatusPaid
	sale.TradeNo = cmp.Or(p.TradeNo, sale.TradeNo)
	sale.BuyerLogonID = cmp.Or(p.BuyerLogonID, sale.BuyerLogonID)
	sale.UpdatedAt = s.now().In(s.loc)
	sale.History = append(sale.History, paid)
	return sale, true, put(tx, sale)
}

func (s *Store) setStatus(tx *bolt.Tx, outTradeNo string, to Status, ev Event, tradeNo string) (Sale, error) {
	sale, err := s.load(tx, outTradeNo)
	if err != nil {
		return Sale{}, err
	}
	if sale.Status == to {
		return sale, nil
	}
	if !slices.Contains(transitions[sale.Status], to) {
		return Sale{}, transitionError(sale.Status, to)
	}
	sale.Status = to
	sale.TradeNo = cmp.Or(tradeNo, sale.TradeNo)
	sale.UpdatedAt = s.now().In(s.loc)
	sale.History = append(sale.History, ev)
	return sale, put(tx, sale)
}

// issueReceipt gives the sale the next receipt number of the day it was
// paid, and lists it under that day: a sale started before midnight and
// paid after it moves to the next day, so that the day's listing, its
// receipt numbers and its reports cover the same sales.
func (s *Store) issueReceipt(tx *bolt.Tx, sale *Sale, paidAt time.Time) error {
	n, err := s.nextReceipt(tx, paidAt)
	if err != nil {
		return err
	}
	from := s.DateOf(sale.LedgerTime())
	sale.ReceiptNo, sale.PaidAt = n, paidAt.In(s.loc)
	return s.relist(tx, *sale, from)
}

// relist moves the sale's day index entry from date from to the day of
// its LedgerTime, when they differ.
func (s *Store) relist(tx *bolt.Tx, sale Sale, from string) error {
	to := s.DateOf(sale.LedgerTime())
	if to == from {
		return nil
	}
	days := tx.Bucket(bucketDays)
	if err := days.Delete(dayKey(from, sale.CreatedAt, sale.OutTradeNo)); err != nil {
		return fmt.Errorf("unlist %s from %s: %w", sale.OutTradeNo, from, err)
	}
	if err := days.Put(dayKey(to, sale.CreatedAt, sale.OutTradeNo), empty); err != nil {
		return fmt.Errorf("list %s under %s: %w", sale.OutTradeNo, to, err)
	}
	return nil
}

// nextReceipt takes the next receipt number for the day of at.
func (s *Store) nextReceipt(tx *bolt.Tx, at time.Time) (int, error) {
	b := tx.Bucket(bucketReceipts)
	key := []byte(s.DateOf(at))
	var n uint64
	if v := b.Get(key); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	if err := b.Put(key, binary.BigEndian.AppendUint64(nil, n)); err != nil {
		return 0, fmt.Errorf("count receipt: %w", err)
	}
	return int(n), nil
}

func (s *Store) unsettled(tx *bolt.Tx) ([]Sale, error) {
	open := tx.Bucket(bucketOpen)
	if open == nil {
		return nil, nil
	}
	var sales []Sale
	err := open.ForEach(func(k, _ []byte) error {
		sale, err := s.load(tx, string(k))
		sales = append(sales, sale)
		return err
	})
	return sales, err
}

// load reads and decodes one sale inside tx.
func (s *Store) load(tx *bolt.Tx, outTradeNo string) (Sale, error) {
	var v []byte
	if b := tx.Bucket(bucketSales); b != nil {
		v = b.Get([]byte(outTradeNo))
	}
	if v == nil {
		return Sale{}, ErrNotFound
	}
	return s.decode([]byte(outTradeNo), v)
}

// decode decodes the stored sale v of outTradeNo.
func (s *Store) decode(outTradeNo, v []byte) (Sale, error) {
	var sale Sale
	err := s.decodeInto(&sale, outTradeNo, v, true)
	return sale, err
}

// decodeInto decodes the stored sale v of outTradeNo into sale, which must
// be zero, with its history or without; after an error sale holds a part
// of it. A listing decodes each sale into its place in the day's list, not
// into a Sale of its own that is then copied there.
func (s *Store) decodeInto(sale *Sale, outTradeNo, v []byte, history bool) error {
	fast := decodeSaleFast
	if !history {
		fast = decodeSummaryFast
	}
	if !fast(v, sale) { // see salejson.go
		*sale = Sale{}
		if err := json.Unmarshal(v, sale); err != nil {
			return undecodable(s.path, bucketSales, string(outTradeNo), v, err)
		}
	}
	if !history {
		sale.History = nil
	}
	s.localize(sale)
	return nil
}

// put writes a sale, keeps the open, refunding and unprinted indexes in
// step with its status, its refunds and its receipt, and records the change in the outbox. Every write
// of a sale goes through here.
func put(tx *bolt.Tx, sale Sale) error {
	v, err := json.Marshal(sale)
	if err != nil {
		return fmt.Errorf("encode sale: %w", err)
	}
	key := []byte(sale.OutTradeNo)
	if err := tx.Bucket(bucketSales).Put(key, v); err != nil {
		return fmt.Errorf("write sale: %w", err)
	}
	if err := setIndexed(tx.Bucket(bucketOpen), key, sale.Open()); err != nil {
		return fmt.Errorf("index open sale: %w", err)
	}
	if err := setIndexed(tx.Bucket(bucketRefunding), key, sale.refundInFlight()); err != nil {
		return fmt.Errorf("index refund in flight: %w", err)
	}
	if err := setIndexed(tx.Bucket(bucketUnprinted), key, sale.ReceiptUnprinted); err != nil {
		return fmt.Errorf("index unprinted receipt: %w", err)
	}
	return appendSaleEvent(tx, sale) // in the same transaction: see outbox.go
}

// setIndexed adds key to b when in is true and removes it otherwise.
func setIndexed(b *bolt.Bucket, key []byte, in bool) error {
	if in {
		return b.Put(key, empty)
	}
	return b.Delete(key)
}
