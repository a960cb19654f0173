package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

const dateLayout = "2006-01-02"

// Day is one day of the ledger, in the shop's time zone: the sales whose
// LedgerTime falls in it: those paid that day, with that day's receipt
// numbers, and those created that day that have no receipt.
type Day struct {
	Date   string // YYYY-MM-DD
	Sales  []Sale // in creation order
	Totals Totals
}

// Totals sum up a day. A refunded sale counts as paid as well as refunded,
// because the money arrived before it went back, so NetFen is what the shop
// keeps. Refunds count with the day of their sale, whenever they were done.
type Totals struct {
	Count          int   // all sales
	Paid           int   // sales whose money arrived: paid or refunded
	PaidFen        int64 // their amount
	Refunded       int   // sales refunded in full
	RefundedFen    int64 // money refunded: done refunds, partial ones too
	NetFen         int64 // PaidFen - RefundedFen
	Cancelled      int
	Unknown        int
	Pending        int
	Failed         int
	PartlyRefunded int // paid sales with part of their amount refunded
	// Reversed are the sales whose payment went back by the kiosk's own
	// cancel before any receipt was issued (Sale.Reversed): never a sale
	// paid and refunded, so in none of the figures above but Count.
	Reversed    int
	ReversedFen int64 // their amount, taken and given back
}

// add returns the sum of t and u.
func (t Totals) add(u Totals) Totals {
	return Totals{
		Count: t.Count + u.Count, Paid: t.Paid + u.Paid, PaidFen: t.PaidFen + u.PaidFen,
		Refunded: t.Refunded + u.Refunded, RefundedFen: t.RefundedFen + u.RefundedFen, NetFen: t.NetFen + u.NetFen,
		Cancelled: t.Cancelled + u.Cancelled, Unknown: t.Unknown + u.Unknown, Pending: t.Pending + u.Pending,
		Failed: t.Failed + u.Failed, PartlyRefunded: t.PartlyRefunded + u.PartlyRefunded,
		Reversed: t.Reversed + u.Reversed, ReversedFen: t.ReversedFen + u.ReversedFen,
	}
}

// Day returns the sales of date ("YYYY-MM-DD", in the shop's time zone;
// see the type Day) with their totals. It reads only that day's part of the index.
// A malformed date yields ErrBadDate.
func (s *Store) Day(date string) (Day, error) { return s.day(date, true) }

// day reads the day, its sales with their history or without.
func (s *Store) day(date string, history bool) (Day, error) {
	if err := checkDate(date); err != nil {
		return Day{}, err
	}
	d := Day{Date: date}
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		d.Sales, err = s.daySales(tx, date, history)
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
		return &DateError{Err: ErrBadDate, Date: date}
	}
	return nil
}

// DateError is a date or a range of dates refused, with its facts: Err is
// ErrBadDate (Date is not YYYY-MM-DD) or ErrBadRange (From to To runs
// backwards, or is Days long, more than MaxRangeDays), and errors.Is
// matches it.
type DateError struct {
	Err      error
	Date     string // ErrBadDate
	From, To string // ErrBadRange
	Days     int    // ErrBadRange: how many days From to To spans; < 1 when it runs backwards
}

func (e *DateError) Error() string {
	if e.Err == ErrBadRange {
		if e.Days < 1 {
			return fmt.Sprintf("%v %s to %s: the range ends before it starts", e.Err, e.From, e.To)
		}
		return fmt.Sprintf("%v %s to %s: %d days, at most %d may be read at once", e.Err, e.From, e.To, e.Days, MaxRangeDays)
	}
	return fmt.Sprintf("%v %q: want YYYY-MM-DD, for example 2024-05-17", e.Err, e.Date)
}

// Unwrap is the sentinel.
func (e *DateError) Unwrap() error { return e.Err }

// dayKey is the day index key of a sale: date, a zero byte, created as
// big-endian Unix nanoseconds, then out_trade_no.
func dayKey(date string, created time.Time, outTradeNo string) []byte {
	k := make([]byte, 0, len(date)+1+8+len(outTradeNo))
	k = append(k, date...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint64(k, uint64(created.UnixNano()))
	return append(k, outTradeNo...)
}

func (s *Store) daySales(tx *bolt.Tx, date string, history bool) ([]Sale, error) {
	days, sales := tx.Bucket(bucketDays), tx.Bucket(bucketSales)
	if days == nil {
		return nil, nil
	}
	prefix := append([]byte(date), 0)
	var found []listed
	c, sc := days.Cursor(), sales.Cursor() // one cursor for the lookups: a Get makes one each
	var got, v []byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) <= len(prefix)+8 {
			return nil, fmt.Errorf("day index key %q is too short", k)
		}
		no := k[len(prefix)+8:]
		// A kiosk's out_trade_no begins with the time of the sale, so the
		// day's sales, listed in the order they were made, most often lie
		// one after the other in the sales bucket too: the next one is
		// looked for beside the last before it is sought from the root.
		if got != nil {
			got, v = sc.Next()
		}
		if !bytes.Equal(got, no) {
			got, v = sc.Seek(no)
		}
		if !bytes.Equal(got, no) || v == nil {
			return nil, ErrNotFound
		}
		found = append(found, listed{no: no, v: v})
	}
	return s.decodeSales(found, history)
}

// listed is one sale a listing found: its key and its value, as they lie
// in the pages mapped from the file, valid while the transaction is open.
// They are decoded where they lie, not copied first: a decoder copies what
// it keeps (the strings), and every goroutine that reads them is guarded
// against a fault in reading the mapping (guard).
type listed struct{ no, v []byte }

// minSalesPerDecoder is the fewest sales worth a goroutine of their own;
// the decoders take them decoderBatch at a time.
const minSalesPerDecoder, decoderBatch = 64, 64

// decodeSales decodes the sales of a listing, shared among the processors
// when there are many: the JSON is most of the cost of reading a day. It
// runs inside the listing's transaction. The calling goroutine decodes
// too, and the sales are taken a batch at a time by whichever decoder is
// free: on a busy machine a helper's thread may wait for a core, and then
// the caller decodes what the helper has not begun, rather than waiting
// for it with half of the day.
func (s *Store) decodeSales(found []listed, history bool) ([]Sale, error) {
	n := len(found)
	sales := make([]Sale, n)
	errs := make([]error, n)
	var taken atomic.Int64
	decode := func() error {
		for {
			from := int(taken.Add(decoderBatch)) - decoderBatch
			if from >= n {
				return nil
			}
			for i := from; i < min(from+decoderBatch, n); i++ {
				errs[i] = s.decodeInto(&sales[i], found[i].no, found[i].v, history)
			}
		}
	}
	helpers := max(min(runtime.GOMAXPROCS(0), n/minSalesPerDecoder)-1, 0)
	faults := make([]error, helpers+1)
	var wg sync.WaitGroup
	for h := range helpers {
		wg.Go(func() { faults[h] = guard(s.path, decode) })
	}
	faults[helpers] = guard(s.path, decode) // its own guard: the helpers end before the transaction does
	wg.Wait()
	for _, err := range faults {
		if err != nil {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sales, nil
}

// tally computes the totals of a list of sales.
func tally(sales []Sale) Totals {
	var t Totals
	for _, sale := range sales {
		t.Count++
		if sale.Reversed() {
			t.Reversed++
			t.ReversedFen += sale.AmountFen
			continue
		}
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
		switch {
		case sale.Status == StatusRefunded:
			t.Refunded++
		case sale.Status == StatusPaid && sale.RefundedFen > 0:
			t.PartlyRefunded++
		}
		t.RefundedFen += sale.Refunded()
	}
	t.NetFen = t.PaidFen - t.RefundedFen
	return t
}

// MaxRangeDays is the longest range Range reads: a year, leap day included.
const MaxRangeDays = 366

// Range returns every day from from to to, both included and both
// "YYYY-MM-DD", in order, days without sales too. A malformed date yields
// ErrBadDate; a range that runs backwards or is longer than MaxRangeDays
// yields ErrBadRange. Each day is read in its own transaction, so a long
// range delays the kiosk's writes only as long as the reading of one day.
func (s *Store) Range(from, to string) ([]Day, error) { return s.rangeOf(from, to, true) }

// Summaries is Range with each sale's history left out: what an export
// of the days needs, without the events that are most of a sale's size.
func (s *Store) Summaries(from, to string) ([]Day, error) { return s.rangeOf(from, to, false) }

func (s *Store) rangeOf(from, to string, history bool) ([]Day, error) {
	dates, err := datesBetween(from, to)
	if err != nil {
		return nil, err
	}
	days := make([]Day, 0, len(dates))
	for _, date := range dates {
		d, err := s.day(date, history)
		if err != nil {
			return nil, fmt.Errorf("read %s to %s: %w", from, to, err)
		}
		days = append(days, d)
	}
	return days, nil
}

// CheckDate refuses a date that is not YYYY-MM-DD with a *DateError, as
// Day would.
func CheckDate(date string) error { return checkDate(date) }

// CheckRange refuses the days from to to with a *DateError, as Range
// would: a date that is not YYYY-MM-DD, a range backwards or too long.
func CheckRange(from, to string) error {
	_, err := datesBetween(from, to)
	return err
}

// datesBetween lists the dates from from to to inclusive.
func datesBetween(from, to string) ([]string, error) {
	for _, date := range []string{from, to} {
		if err := checkDate(date); err != nil {
			return nil, err
		}
	}
	first, _ := time.Parse(dateLayout, from)
	last, _ := time.Parse(dateLayout, to)
	// Parsed without a zone, so every day is 24 hours long.
	n := int(last.Sub(first).Hours()/24) + 1
	if n < 1 || n > MaxRangeDays {
		return nil, &DateError{Err: ErrBadRange, From: from, To: to, Days: n}
	}
	dates := make([]string, n)
	for i := range dates {
		dates[i] = first.AddDate(0, 0, i).Format(dateLayout)
	}
	return dates, nil
}
