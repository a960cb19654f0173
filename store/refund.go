package store

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund. A refund starts requested; from there it
// becomes done or failed, or unknown when Alipay gave no answer.
const (
	// RefundRequested means the refund is recorded and Alipay has not
	// confirmed it yet; it may be sent (again) with the same out_request_no.
	RefundRequested RefundStatus = "requested"
	// RefundDone means Alipay confirmed that the money went back.
	RefundDone RefundStatus = "done"
	// RefundUnknown means the request reached Alipay, or may have, and no
	// answer came back; asking again with the same out_request_no settles it.
	RefundUnknown RefundStatus = "unknown"
	// RefundFailed means Alipay refused the refund; no money moved.
	RefundFailed RefundStatus = "failed"
)

// Counts reports whether the refund's money is, or may be, on its way back:
// every status but failed. RequestRefund keeps the total of such refunds
// within the sale's amount.
func (st RefundStatus) Counts() bool { return st != RefundFailed }

// refundMoves lists, per refund status, the statuses it may move to.
var refundMoves = map[RefundStatus][]RefundStatus{
	RefundRequested: {RefundDone, RefundUnknown, RefundFailed},
	RefundUnknown:   {RefundDone, RefundFailed},
	// Alipay is the authority on money: a refund we gave up on that it
	// reports as done is recorded as done.
	RefundFailed: {RefundDone},
}

// maxOutRequestNo is Alipay's limit on out_request_no.
const maxOutRequestNo = 64

// Refund is a manager's refund of all or part of a paid sale, recorded with
// the sale before Alipay is asked, so a crash never loses it.
type Refund struct {
	OutRequestNo string       `json:"out_request_no"` // unique per sale; Alipay's idempotency key
	Fen          int64        `json:"fen"`
	At           time.Time    `json:"at"` // when it was requested
	ApprovedBy   string       `json:"approved_by,omitempty"`
	Reason       string       `json:"reason,omitempty"`
	Status       RefundStatus `json:"status"`
	// FundChange is Alipay's fund_change: "Y" (true) when this call moved
	// money, "N" when an earlier call with the same out_request_no had.
	FundChange bool      `json:"fund_change,omitempty"`
	DoneAt     time.Time `json:"done_at,omitzero"` // when Alipay confirmed it
	Note       string    `json:"note,omitempty"`   // why it failed or is unknown
}

// Refund returns the sale's refund with the given out_request_no.
func (sale Sale) Refund(outRequestNo string) (Refund, bool) {
	i := sale.refundIndex(outRequestNo)
	if i < 0 {
		return Refund{}, false
	}
	return sale.Refunds[i], true
}

func (sale Sale) refundIndex(outRequestNo string) int {
	return slices.IndexFunc(sale.Refunds, func(r Refund) bool { return r.OutRequestNo == outRequestNo })
}

// Refundable returns how much of the sale may still be refunded: nothing
// unless it is paid, otherwise its amount less every refund that is done,
// requested or unknown.
func (sale Sale) Refundable() int64 {
	if sale.Status != StatusPaid {
		return 0
	}
	left := sale.AmountFen
	for _, r := range sale.Refunds {
		if r.Status.Counts() {
			left -= r.Fen
		}
	}
	return max(0, left)
}

// Reversed reports whether the sale's payment went back without a receipt
// ever being issued: the kiosk's cancel of a lost or timed-out charge found
// it paid and Alipay refunded it (a reversal, 冲正). The customer was never
// told it was paid, so it is no sale paid and refunded, and the reports
// count it apart. Its status stays refunded in the ledger.
func (sale Sale) Reversed() bool { return sale.Status == StatusRefunded && sale.ReceiptNo == 0 }

// Refunded returns how much of the sale went back to the buyer. A sale
// marked refunded through SetStatus (a trade cancelled after payment) has
// no Refund records and counts in full.
func (sale Sale) Refunded() int64 {
	if sale.Status == StatusRefunded {
		return sale.AmountFen
	}
	return sale.RefundedFen
}

// refundInFlight reports whether a refund of the sale awaits Alipay's answer.
func (sale Sale) refundInFlight() bool {
	return slices.ContainsFunc(sale.Refunds, func(r Refund) bool {
		return r.Status == RefundRequested || r.Status == RefundUnknown
	})
}

// RequestRefund records a manager's refund of r.Fen on a paid sale, as
// requested, before Alipay is asked for it. A sale refunded in part stays
// paid and may be refunded again; the refunds that are done, requested or
// unknown may not add up to more than the sale's amount (ErrRefundTooLarge,
// which is also the answer to a Fen that is not positive). A sale that is
// not paid yields ErrNotRefundable. Both are a *RefundError, which holds
// the figures. r.At zero means now; r.Status is set.
//
// Asking again with the same OutRequestNo and Fen returns the sale
// unchanged, so a retry never records a refund twice; the same
// OutRequestNo with another amount yields ErrInvalidRefund.
func (s *Store) RequestRefund(outTradeNo string, r Refund) (Sale, error) {
	if r.At.IsZero() {
		r.At = s.now()
	}
	var sale Sale
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		sale, err = s.requestRefund(tx, outTradeNo, r)
		return err
	})
	if err != nil {
		return Sale{}, fmt.Errorf("refund %s: %w", outTradeNo, err)
	}
	return sale, nil
}

// CompleteRefund records Alipay's confirmation that the refund went
// through: the refund becomes done, the sale's RefundedFen grows by its
// amount, and a sale refunded in full becomes refunded. A refund that is
// already done is returned unchanged. at zero means now.
func (s *Store) CompleteRefund(outTradeNo, outRequestNo string, at time.Time, fundChange bool) (Sale, error) {
	if at.IsZero() {
		at = s.now()
	}
	return s.moveRefund(outTradeNo, outRequestNo, RefundDone, func(sale *Sale, r *Refund) error {
		if over := sale.RefundedFen + r.Fen - sale.AmountFen; over > 0 {
			return &RefundError{Problem: RefundBeyondAmount, OutTradeNo: sale.OutTradeNo, OutRequestNo: r.OutRequestNo,
				Fen: r.Fen, RefundedFen: sale.RefundedFen, AmountFen: sale.AmountFen}
		}
		was := r.Status
		r.Status, r.DoneAt, r.FundChange, r.Note = RefundDone, at.In(s.loc), fundChange, ""
		sale.RefundedFen += r.Fen
		if sale.Status == StatusPaid && sale.RefundedFen == sale.AmountFen {
			sale.Status = StatusRefunded
		}
		sale.History = append(sale.History, Event{At: r.DoneAt, Status: sale.Status, Fact: FactRefundDone,
			OutRequestNo: r.OutRequestNo, Fen: r.Fen, RefundedFen: sale.RefundedFen, AmountFen: sale.AmountFen,
			AfterFailed: was == RefundFailed})
		return nil
	})
}

// FailRefund records that Alipay refused the refund, with the reason in
// note; its amount becomes refundable again. A refund that already failed
// is returned unchanged; a done one yields ErrTransition.
func (s *Store) FailRefund(outTradeNo, outRequestNo, note string) (Sale, error) {
	return s.settleRefund(outTradeNo, outRequestNo, RefundFailed, note)
}

// MarkRefundUnknown records that Alipay gave no answer to the refund, with
// the circumstances in note. The refund still counts against the sale's
// amount until CompleteRefund or FailRefund settles it. An unknown refund is
// returned unchanged; a done or failed one yields ErrTransition.
func (s *Store) MarkRefundUnknown(outTradeNo, outRequestNo, note string) (Sale, error) {
	return s.settleRefund(outTradeNo, outRequestNo, RefundUnknown, note)
}

// RefundsInFlight returns the sales with a refund that is requested or
// unknown, oldest first: the refunds to ask Alipay about again. It reads
// the refunding index, not the whole ledger.
func (s *Store) RefundsInFlight() ([]Sale, error) {
	sales, err := s.indexedSales(bucketRefunding) // none in a ledger from before refunds
	if err != nil {
		return nil, fmt.Errorf("list refunds in flight: %w", err)
	}
	slices.SortFunc(sales, func(a, b Sale) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.OutTradeNo, b.OutTradeNo))
	})
	return sales, nil
}

// indexedSales loads the sales an index bucket names by their order
// numbers; none when the ledger has no such bucket yet.
func (s *Store) indexedSales(index []byte) ([]Sale, error) {
	var sales []Sale
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(index)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			sale, err := s.load(tx, string(k))
			sales = append(sales, sale)
			return err
		})
	})
	return sales, err
}

func (s *Store) settleRefund(outTradeNo, outRequestNo string, to RefundStatus, note string) (Sale, error) {
	at := s.now().In(s.loc)
	return s.moveRefund(outTradeNo, outRequestNo, to, func(sale *Sale, r *Refund) error {
		r.Status, r.Note = to, note
		sale.History = append(sale.History, Event{At: at, Status: sale.Status, Fact: refundFact(to),
			OutRequestNo: r.OutRequestNo, Fen: r.Fen, Note: note})
		return nil
	})
}

// moveRefund loads the sale, checks that its refund may move to status to
// and lets apply change the sale and the refund, then writes the sale.
func (s *Store) moveRefund(outTradeNo, outRequestNo string, to RefundStatus, apply func(*Sale, *Refund) error) (Sale, error) {
	var sale Sale
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if sale, err = s.load(tx, outTradeNo); err != nil {
			return err
		}
		i := sale.refundIndex(outRequestNo)
		if i < 0 {
			return fmt.Errorf("%w: sale %s has no refund %q", ErrRefundNotFound, outTradeNo, outRequestNo)
		}
		r := &sale.Refunds[i]
		if r.Status == to {
			return nil
		}
		if !slices.Contains(refundMoves[r.Status], to) {
			return fmt.Errorf("%w: refund %s from %s to %s", ErrTransition, outRequestNo, r.Status, to)
		}
		if err := apply(&sale, r); err != nil {
			return err
		}
		sale.UpdatedAt = s.now().In(s.loc)
		if to == RefundDone {
			if err := s.indexRefund(tx, sale.OutTradeNo, *r); err != nil {
				return err
			}
		}
		return put(tx, sale)
	})
	if err != nil {
		return Sale{}, fmt.Errorf("refund %s %s %s: %w", outTradeNo, outRequestNo, to, err)
	}
	return sale, nil
}

func (s *Store) requestRefund(tx *bolt.Tx, outTradeNo string, r Refund) (Sale, error) {
	switch {
	case r.OutRequestNo == "":
		return Sale{}, fmt.Errorf("%w: no out_request_no", ErrInvalidRefund)
	case len(r.OutRequestNo) > maxOutRequestNo:
		return Sale{}, fmt.Errorf("%w: out_request_no is longer than %d characters", ErrInvalidRefund, maxOutRequestNo)
	}
	sale, err := s.load(tx, outTradeNo)
	if err != nil {
		return Sale{}, err
	}
	if old, ok := sale.Refund(r.OutRequestNo); ok {
		if old.Fen != r.Fen {
			return Sale{}, fmt.Errorf("%w: refund %s is already recorded for %s, not %s",
				ErrInvalidRefund, r.OutRequestNo, formatFen(old.Fen), formatFen(r.Fen))
		}
		return sale, nil
	}
	refused := &RefundError{OutTradeNo: outTradeNo, OutRequestNo: r.OutRequestNo, Fen: r.Fen, Status: sale.Status,
		RefundableFen: sale.Refundable(), RefundedFen: sale.RefundedFen, AmountFen: sale.AmountFen}
	switch {
	case sale.Status == StatusRefunded:
		refused.Problem = RefundSaleRefunded
	case sale.Status != StatusPaid:
		refused.Problem = RefundSaleNotPaid
	case r.Fen <= 0:
		refused.Problem = RefundNotPositive
	case r.Fen > refused.RefundableFen:
		refused.Problem = RefundOverRefundable
	default:
		refused = nil
	}
	if refused != nil {
		return Sale{}, refused
	}
	r.Status, r.At, r.DoneAt, r.FundChange, r.Note = RefundRequested, r.At.In(s.loc), time.Time{}, false, ""
	sale.Refunds = append(sale.Refunds, r)
	sale.UpdatedAt = s.now().In(s.loc)
	sale.History = append(sale.History, Event{At: r.At, Status: sale.Status, Fact: FactRefundRequested,
		OutRequestNo: r.OutRequestNo, Fen: r.Fen, ApprovedBy: r.ApprovedBy, Reason: r.Reason})
	return sale, put(tx, sale)
}

// refundKey is the refunds index key of a done refund: the date it was
// done, a zero byte, the time as big-endian Unix nanoseconds, out_trade_no,
// a zero byte and out_request_no. The value is out_trade_no.
func refundKey(date string, done time.Time, outTradeNo, outRequestNo string) []byte {
	k := make([]byte, 0, len(date)+1+8+len(outTradeNo)+1+len(outRequestNo))
	k = append(k, date...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint64(k, uint64(done.UnixNano()))
	k = append(k, outTradeNo...)
	k = append(k, 0)
	return append(k, outRequestNo...)
}

func (s *Store) indexRefund(tx *bolt.Tx, outTradeNo string, r Refund) error {
	k := refundKey(s.DateOf(r.DoneAt), r.DoneAt, outTradeNo, r.OutRequestNo)
	if err := tx.Bucket(bucketRefunds).Put(k, []byte(outTradeNo)); err != nil {
		return fmt.Errorf("index refund: %w", err)
	}
	return nil
}

// RefundProblem says why the ledger refuses a refund.
type RefundProblem int

// The refunds the ledger refuses.
const (
	RefundSaleNotPaid    RefundProblem = iota + 1 // the sale is not paid (ErrNotRefundable)
	RefundSaleRefunded                            // the sale is refunded in full already (ErrNotRefundable)
	RefundNotPositive                             // the amount is zero or less (ErrRefundTooLarge)
	RefundOverRefundable                          // more than is still refundable (ErrRefundTooLarge)
	RefundBeyondAmount                            // Alipay confirmed refunds beyond the sale's amount (ErrRefundTooLarge)
)

// RefundError is a refund the ledger refuses, with the figures that
// refuse it. It matches ErrNotRefundable or ErrRefundTooLarge.
type RefundError struct {
	Problem       RefundProblem
	OutTradeNo    string
	OutRequestNo  string
	Fen           int64  // the refund asked for
	RefundableFen int64  // what was still refundable
	RefundedFen   int64  // what was refunded already
	AmountFen     int64  // the sale's amount
	Status        Status // the sale's status
}

func (e *RefundError) Error() string {
	switch e.Problem {
	case RefundSaleRefunded:
		return fmt.Sprintf("%v: sale %s is already refunded in full", ErrNotRefundable, e.OutTradeNo)
	case RefundSaleNotPaid:
		return fmt.Sprintf("%v: sale %s is %s; only paid sales can be refunded", ErrNotRefundable, e.OutTradeNo, e.Status)
	case RefundNotPositive:
		return fmt.Sprintf("%v: refund %s is not a positive amount (%s still refundable on sale %s)",
			ErrRefundTooLarge, formatFen(e.Fen), formatFen(e.RefundableFen), e.OutTradeNo)
	case RefundBeyondAmount:
		return fmt.Sprintf("%v: refund %s of %s on sale %s would bring the refunds to %s, more than its %s",
			ErrRefundTooLarge, e.OutRequestNo, formatFen(e.Fen), e.OutTradeNo, formatFen(e.RefundedFen+e.Fen), formatFen(e.AmountFen))
	}
	return fmt.Sprintf("%v: refund %s exceeds the %s still refundable on sale %s",
		ErrRefundTooLarge, formatFen(e.Fen), formatFen(e.RefundableFen), e.OutTradeNo)
}

// Unwrap makes errors.Is find ErrNotRefundable or ErrRefundTooLarge.
func (e *RefundError) Unwrap() error {
	if e.Problem == RefundSaleNotPaid || e.Problem == RefundSaleRefunded {
		return ErrNotRefundable
	}
	return ErrRefundTooLarge
}
