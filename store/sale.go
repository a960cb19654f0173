package store

import (
	"fmt"
	"slices"
	"time"
)

// Status is where a sale stands.
type Status string

// The statuses of a sale. A sale starts pending; paid is reached only
// through MarkPaid, the others through SetStatus.
const (
	// StatusPending means the sale is recorded and the buyer has not paid yet.
	StatusPending Status = "pending"
	// StatusPaid means Alipay confirmed the payment and a receipt number was issued.
	StatusPaid Status = "paid"
	// StatusCancelled means the trade was closed without payment.
	StatusCancelled Status = "cancelled"
	// StatusRefunded means the buyer paid and the whole amount went back to them.
	StatusRefunded Status = "refunded"
	// StatusUnknown means Alipay could not tell us how the sale ended; it is
	// checked again at the next start.
	StatusUnknown Status = "unknown"
	// StatusFailed means the sale never reached the buyer (no QR code was issued).
	StatusFailed Status = "failed"
)

// StatusReversed is no sale's status: it is what the reports count the
// reversed sales under (Sale.Reversed), refunded sales without a receipt.
const StatusReversed Status = "reversed"

// statuses lists every valid Status.
var statuses = []Status{StatusPending, StatusPaid, StatusCancelled, StatusRefunded, StatusUnknown, StatusFailed}

// Valid reports whether st is one of the defined statuses.
func (st Status) Valid() bool { return slices.Contains(statuses, st) }

// Settled reports whether the sale has reached an outcome, that is, it is
// neither pending nor unknown. A paid sale whose refund is due is settled
// as a status but still open; see Sale.Open.
func (st Status) Settled() bool { return st != StatusPending && st != StatusUnknown }

// transitions lists, per status, the statuses SetStatus may move a sale to.
// Moving to the status a sale already has is always allowed and changes
// nothing.
var transitions = map[Status][]Status{
	StatusPending: {StatusCancelled, StatusRefunded, StatusUnknown, StatusFailed},
	StatusUnknown: {StatusCancelled, StatusRefunded, StatusFailed},
	// A full refund made later; or unknown, when a cancel (which refunds a
	// paid trade) was sent and its answer lost after the payment was
	// recorded: only Alipay can say which it is now.
	StatusPaid: {StatusRefunded, StatusUnknown},
	// Alipay's word after the customer was told nothing was charged: the
	// trade was paid and then refunded (typically by our own cancel), or
	// its state must be asked again.
	StatusCancelled: {StatusRefunded, StatusUnknown},
	StatusFailed:    {StatusRefunded, StatusUnknown},
}

// payable lists the statuses MarkPaid records a payment from: every status
// that does not hold one yet. A cancelled or failed sale is among them: a
// notification or a late query can prove that the buyer paid after we gave
// up, and that money must be on the books (and goes back to the buyer, see
// Sale.RefundIfPaid).
var payable = []Status{StatusPending, StatusUnknown, StatusCancelled, StatusFailed}

func transitionError(from, to Status) error {
	hint := ""
	switch {
	case to == StatusPaid:
		hint = " (payments are recorded with MarkPaid)"
	case !to.Valid():
		hint = " (not a status)"
	}
	return fmt.Errorf("%w from %s to %q%s", ErrTransition, from, to, hint)
}

// PayMethod is the way a sale was to be paid.
type PayMethod string

// The ways to pay. A sale recorded before the ledger knew them has none
// stored and is read as PayByQR, the only way there was.
const (
	// PayByQR: the customer scanned the kiosk's QR code (alipay.trade.precreate).
	PayByQR PayMethod = "qr"
	// PayByCode: the kiosk scanned the customer's payment code (付款码,
	// alipay.trade.pay).
	PayByCode PayMethod = "payment_code"
)

// PayMethods lists every valid PayMethod, in the order reports show them.
var PayMethods = []PayMethod{PayByQR, PayByCode}

// Valid reports whether m is one of the defined ways to pay.
func (m PayMethod) Valid() bool { return slices.Contains(PayMethods, m) }

// orQR is m, or PayByQR for a sale from before payment codes.
func (m PayMethod) orQR() PayMethod {
	if m == "" {
		return PayByQR
	}
	return m
}

// Sale is one attempt to take a payment, as recorded in the ledger.
type Sale struct {
	OutTradeNo   string    `json:"out_trade_no"` // our order number, unique
	TerminalID   string    `json:"terminal_id,omitempty"`
	StoreID      string    `json:"store_id,omitempty"`
	Subject      string    `json:"subject"`
	AmountFen    int64     `json:"amount_fen"`
	Status       Status    `json:"status"`
	TradeNo      string    `json:"trade_no,omitempty"` // Alipay's trade number, once known
	BuyerLogonID string    `json:"buyer_logon_id,omitempty"`
	ReceiptNo    int       `json:"receipt_no,omitempty"` // number from 1 in the day of PaidAt, set when paid
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	PaidAt       time.Time `json:"paid_at,omitzero"`
	History      []Event   `json:"history,omitempty"` // oldest first
	// Refunds lists every refund asked for, oldest first, whatever became
	// of it; see RequestRefund.
	Refunds []Refund `json:"refunds,omitempty"`
	// RefundedFen is the total of the done refunds. A sale refunded in part
	// stays paid; one refunded in full becomes refunded.
	RefundedFen int64 `json:"refunded_fen,omitempty"`
	// RefundIfPaid means the customer was told that nothing was charged
	// (the sale failed or was cancelled), so a payment Alipay reports for
	// it later is recorded and then refunded, not kept. MarkPaid sets it on
	// a failed or cancelled sale, MarkRefundIfPaid on any other. A paid
	// sale with it set stays open until it is refunded.
	RefundIfPaid bool `json:"refund_if_paid,omitempty"`
	// Method is how the customer was to pay. Create makes none PayByQR;
	// a sale stored without one is read as PayByQR.
	Method PayMethod `json:"method,omitempty"`
	// ReceiptUnprinted means the receipt's print failed and none has
	// succeeded since; see MarkReceiptUnprinted.
	ReceiptUnprinted bool `json:"receipt_unprinted,omitempty"`
}

// Open reports whether the sale still waits for Alipay's word: it is
// pending or unknown, or paid with its refund still due (RefundIfPaid).
// Unsettled lists the open sales.
func (sale Sale) Open() bool {
	return !sale.Status.Settled() || sale.Status == StatusPaid && sale.RefundIfPaid
}

// LedgerTime is the moment that decides the day a sale belongs to: when
// its receipt was issued (PaidAt) for a sale that has a receipt number,
// when it was created otherwise. A sale started at 23:59 and paid at
// 00:00:05 belongs, with its receipt, to the second day; see the package
// documentation.
func (sale Sale) LedgerTime() time.Time {
	if sale.ReceiptNo > 0 && !sale.PaidAt.IsZero() {
		return sale.PaidAt
	}
	return sale.CreatedAt
}

// Event is one entry in a sale's history: a fact the ledger recorded,
// with its figures, or a note of pos's (a code and its facts), or both (a
// refund that failed, and why). A ledger written before facts holds
// English sentences in Note; they are read as facts where they say one
// (see readOldEvent).
type Event struct {
	At     time.Time `json:"at"`
	Status Status    `json:"status"` // the status the sale had after the event
	// Fact is what the ledger recorded; "" for an event whose Note says
	// what happened.
	Fact         Fact      `json:"fact,omitempty"`
	ReceiptNo    int       `json:"receipt_no,omitempty"`     // FactPaid: the receipt issued
	RefundDue    RefundDue `json:"refund_due,omitempty"`     // FactPaid: why the payment goes back
	OutRequestNo string    `json:"out_request_no,omitempty"` // the refund's facts: its number
	Fen          int64     `json:"fen,omitempty"`            // and amount
	ApprovedBy   string    `json:"approved_by,omitempty"`    // FactRefundRequested
	Reason       string    `json:"reason,omitempty"`         // FactRefundRequested
	RefundedFen  int64     `json:"refunded_fen,omitempty"`   // FactRefundDone: the sale's done refunds, this one too
	AmountFen    int64     `json:"amount_fen,omitempty"`     // FactRefundDone: the sale's amount
	AfterFailed  bool      `json:"after_failed,omitempty"`   // FactRefundDone: it had been recorded as failed
	Note         string    `json:"note,omitempty"`           // pos's note, or an old ledger's sentence
}

// Payment is Alipay's confirmation that a sale was paid.
type Payment struct {
	TradeNo      string
	BuyerLogonID string
	PaidAt       time.Time // zero means now
}

// prepare validates a new sale and fills in what Create sets.
func (s *Store) prepare(sale *Sale) error {
	switch {
	case sale.OutTradeNo == "":
		return fmt.Errorf("%w: no out_trade_no", ErrInvalidSale)
	case sale.AmountFen <= 0:
		return fmt.Errorf("%w: amount %d fen is not positive", ErrInvalidSale, sale.AmountFen)
	case sale.Status != "" && sale.Status != StatusPending:
		return fmt.Errorf("%w: a new sale must be pending, not %s", ErrInvalidSale, sale.Status)
	case sale.ReceiptNo != 0 || !sale.PaidAt.IsZero():
		return fmt.Errorf("%w: a new sale has no receipt or payment yet", ErrInvalidSale)
	case !sale.Method.orQR().Valid():
		return fmt.Errorf("%w: no way to pay called %q", ErrInvalidSale, sale.Method)
	}
	sale.Method = sale.Method.orQR()
	now := s.now().In(s.loc)
	if sale.CreatedAt.IsZero() {
		sale.CreatedAt = now
	}
	sale.CreatedAt = sale.CreatedAt.In(s.loc)
	sale.Status = StatusPending
	sale.UpdatedAt = now
	sale.History = append(sale.History, Event{At: sale.CreatedAt, Status: StatusPending, Fact: FactCreated})
	return nil
}

// localize expresses every time of a decoded sale in the shop's zone,
// reads a sale recorded before payment codes as the QR sale it was, and
// the English sentences of an older ledger's history as their facts.
func (s *Store) localize(sale *Sale) {
	sale.Method = sale.Method.orQR()
	sale.CreatedAt = sale.CreatedAt.In(s.loc)
	sale.UpdatedAt = sale.UpdatedAt.In(s.loc)
	if !sale.PaidAt.IsZero() {
		sale.PaidAt = sale.PaidAt.In(s.loc)
	}
	for i := range sale.History {
		sale.History[i] = readOldEvent(*sale, sale.History[i])
		sale.History[i].At = sale.History[i].At.In(s.loc)
	}
	for i := range sale.Refunds {
		r := &sale.Refunds[i]
		r.At = r.At.In(s.loc)
		if !r.DoneAt.IsZero() {
			r.DoneAt = r.DoneAt.In(s.loc)
		}
	}
}

// receiptLabel renders a receipt number as on the printed receipt, "0007",
// and no receipt as "".
func receiptLabel(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%04d", n)
}
