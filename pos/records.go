package pos

import (
	"time"

	"kiosk/store"
)

// Status is where a sale stands in the ledger.
type Status string

// The statuses of a sale in the ledger; see package store for how a sale
// moves between them.
const (
	StatusPending   Status = "pending"   // recorded; the buyer has not paid yet
	StatusPaid      Status = "paid"      // Alipay confirmed the payment; a receipt number was issued
	StatusCancelled Status = "cancelled" // the trade was closed without payment
	StatusRefunded  Status = "refunded"  // paid, and the whole amount went back
	StatusUnknown   Status = "unknown"   // Alipay could not tell how the sale ended; checked again later
	StatusFailed    Status = "failed"    // the sale never reached the buyer
)

// StatusReversed is no sale's status in the ledger: it is what reports
// count the reversed sales under (SaleRecord.Reversed).
const StatusReversed Status = "reversed"

// Settled reports whether the sale has reached an outcome: it is neither
// pending nor unknown.
func (st Status) Settled() bool { return st != StatusPending && st != StatusUnknown }

// PayMethod is the way a sale was to be paid.
type PayMethod string

// The ways to pay: the customer scans the kiosk's QR code, or the cashier
// scans the customer's payment code (付款码). A sale recorded before the
// ledger knew them is a QR sale.
const (
	PayByQR   PayMethod = "qr"
	PayByCode PayMethod = "payment_code"
)

// PayMethods lists the ways to pay in the order reports show them.
var PayMethods = []PayMethod{PayByQR, PayByCode}

// SaleRecord is a sale as the ledger holds it, for the manager's screens
// and the command line: its amount, its status and history, its receipt
// and its refunds.
type SaleRecord struct {
	OutTradeNo   string // our order number, unique
	TerminalID   string
	StoreID      string
	Subject      string
	AmountFen    int64
	Status       Status
	TradeNo      string // Alipay's trade number, once known
	BuyerLogonID string // masked
	ReceiptNo    int    // from 1 in the day of PaidAt; 0 when never paid
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PaidAt       time.Time
	History      []Event  // oldest first
	Refunds      []Refund // every refund asked for, oldest first
	// RefundedFen is the total of the done refunds. A sale refunded in part
	// stays paid; one refunded in full becomes refunded.
	RefundedFen int64
	// RefundIfPaid: the customer was told that nothing was charged, so a
	// payment Alipay reports later is refunded, not kept.
	RefundIfPaid bool
	Method       PayMethod // how the customer was to pay
	// ReceiptUnprinted: the receipt's print failed and none has succeeded
	// since.
	ReceiptUnprinted bool
}

// Reversed reports whether the payment went back without a receipt ever
// being issued: the kiosk's cancel of a lost or timed-out charge found it
// paid, and Alipay gave it back (a reversal, 冲正). The customer was never
// told it was paid, so it is no sale paid and refunded: the ledger keeps
// its status refunded, and the reports, the ledger's listing and the
// export say it was reversed and count it apart from the sales paid.
func (s SaleRecord) Reversed() bool { return s.Status == StatusRefunded && s.ReceiptNo == 0 }

// Refundable is how much of the sale may still be refunded: nothing unless
// it is paid, otherwise its amount less every refund done, requested or
// unknown (the ledger's rule, which refuses more).
func (s SaleRecord) Refundable() int64 {
	if s.Status != StatusPaid {
		return 0
	}
	left := s.AmountFen
	for _, r := range s.Refunds {
		if r.Status != RefundFailed {
			left -= r.Fen
		}
	}
	return max(0, left)
}

// Refunded is how much of the sale went back to the buyer. A sale marked
// refunded by a cancel has no refund records and counts in full.
func (s SaleRecord) Refunded() int64 {
	if s.Status == StatusRefunded {
		return s.AmountFen
	}
	return s.RefundedFen
}

// Event is one entry in a sale's history: a fact the ledger recorded
// (Fact, with its figures), a note of pos's, or both (a refund that
// failed, and why).
type Event struct {
	At           time.Time
	Status       Status    // the status the sale had after the event
	Fact         Fact      // "" when the note says what happened
	ReceiptNo    int       // FactPaid: the receipt issued
	RefundDue    RefundDue // FactPaid: why the payment goes back to the customer
	OutRequestNo string    // the refund's facts: its number
	Fen          int64     // and amount
	ApprovedBy   string    // FactRefundRequested
	Reason       string    // FactRefundRequested: the manager's reason, as typed
	RefundedFen  int64     // FactRefundDone: the sale's done refunds, this one too
	AmountFen    int64     // FactRefundDone: the sale's amount
	AfterFailed  bool      // FactRefundDone: it had been recorded as failed
	Note         Note
}

// Fact is what the ledger recorded in an event of a sale's history.
type Fact string

// The facts of a sale's history; see package store.
const (
	FactCreated         Fact = "created"          // the sale was recorded
	FactPaid            Fact = "paid"             // Alipay confirmed the payment; a receipt was issued
	FactRefundRequested Fact = "refund-requested" // a refund was recorded, approved, before Alipay was asked
	FactRefundDone      Fact = "refund-done"      // Alipay confirmed the refund
	FactRefundFailed    Fact = "refund-failed"    // Alipay refused the refund; the note says why
	FactRefundUnknown   Fact = "refund-unknown"   // Alipay gave no answer to the refund
	// FactReceiptNotPrinted: the receipt (ReceiptNo) did not print;
	// FactReceiptPrinted: it did, after that.
	FactReceiptNotPrinted Fact = "receipt-not-printed"
	FactReceiptPrinted    Fact = "receipt-printed"
)

// RefundDue says why a payment goes back to the customer as it arrives;
// "" when the shop keeps it.
type RefundDue string

// The reasons a payment is refunded as it arrives.
const (
	DueAfterCancel        RefundDue = "after-cancel"         // it arrived after the sale had been cancelled
	DueAfterFailure       RefundDue = "after-failure"        // it arrived after the customer was told the sale failed
	DueToldNothingCharged RefundDue = "told-nothing-charged" // the customer had been told nothing was charged
)

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund: requested, then done or failed, or unknown
// when Alipay gave no answer.
const (
	RefundRequested RefundStatus = "requested"
	RefundDone      RefundStatus = "done"
	RefundUnknown   RefundStatus = "unknown"
	RefundFailed    RefundStatus = "failed"
)

// Refund is a manager's refund of all or part of a paid sale.
type Refund struct {
	OutRequestNo string // unique per sale; Alipay's idempotency key
	Fen          int64
	At           time.Time // when it was requested
	ApprovedBy   string
	Reason       string
	Status       RefundStatus
	FundChange   bool      // this call moved money (Alipay's fund_change)
	DoneAt       time.Time // when Alipay confirmed it
	Note         Note      // why it failed or is unknown
}

// Day is one day of the ledger in the shop's time zone: the sales paid that
// day, and those created that day without a receipt.
type Day struct {
	Date   string // YYYY-MM-DD
	Sales  []SaleRecord
	Totals Totals
}

// Totals sum up a day. A refunded sale counts as paid as well as refunded,
// so NetFen is what the shop keeps.
type Totals struct {
	Count          int   // all sales
	Paid           int   // sales whose money arrived: paid or refunded
	PaidFen        int64 // their amount
	Refunded       int   // sales refunded in full
	RefundedFen    int64 // money refunded, partial refunds too
	NetFen         int64 // PaidFen - RefundedFen
	Cancelled      int
	Unknown        int
	Pending        int
	Failed         int
	PartlyRefunded int // paid sales with part of their amount refunded
	// Reversed are the sales whose payment the kiosk's own cancel gave
	// back before any receipt (SaleRecord.Reversed): in none of the
	// figures above but Count.
	Reversed    int
	ReversedFen int64
}

// Add returns the sum of t and u.
func (t Totals) Add(u Totals) Totals {
	return Totals{
		Count: t.Count + u.Count, Paid: t.Paid + u.Paid, PaidFen: t.PaidFen + u.PaidFen,
		Refunded: t.Refunded + u.Refunded, RefundedFen: t.RefundedFen + u.RefundedFen, NetFen: t.NetFen + u.NetFen,
		Cancelled: t.Cancelled + u.Cancelled, Unknown: t.Unknown + u.Unknown, Pending: t.Pending + u.Pending,
		Failed: t.Failed + u.Failed, PartlyRefunded: t.PartlyRefunded + u.PartlyRefunded,
		Reversed: t.Reversed + u.Reversed, ReversedFen: t.ReversedFen + u.ReversedFen,
	}
}

// ReportKind tells an X report from a Z report.
type ReportKind string

// The kinds of report: X at any moment, Z once when the day closes.
const (
	ReportX ReportKind = "X"
	ReportZ ReportKind = "Z"
)

// Report is a day's figures: an X report, or the day's Z report.
type Report struct {
	Date      string // YYYY-MM-DD
	Number    int    // the Z report's number; 0 for X
	Kind      ReportKind
	Totals    Totals
	ByHour    [24]HourTotals // by the hour the sale belongs to, in the shop's zone
	ByStatus  map[Status]StatusTotals
	CreatedAt time.Time // when it was made; for Z, when the day was closed
	Terminal  string
	// EarlierRefunds sums the refunds done on Date of earlier days' sales.
	EarlierRefunds RefundTotals
	// AfterClose sums the refunds done on a day already closed, after it
	// closed: they count here, in the next Z report made after them (and
	// until then in the X reports), as that day's Z report cannot hold
	// them. Not in Totals.
	AfterClose RefundTotals
	// LaterRefunds is, in a copy of a Z report, what was refunded after
	// the day closed (on it, or later of its sales): reckoned when read,
	// not stored, so the copy can say the day moved on since.
	LaterRefunds RefundTotals
	// ZNumber is, in an X report of a closed day, its Z report's number.
	ZNumber int
	// ByMethod splits the day by the way each sale was to be paid: every
	// method of PayMethods, those without sales too.
	ByMethod map[PayMethod]MethodTotals
	// Copy marks a Z report read back from the ledger, to be shown and
	// printed as a copy; false only as the day closes.
	Copy bool
}

// Unsettled is how many of the report's sales were pending or unknown: their
// outcome may still change the figures.
func (r Report) Unsettled() int { return r.Totals.Pending + r.Totals.Unknown }

// HourTotals sum up the sales of one hour.
type HourTotals struct {
	Count       int
	PaidFen     int64 // the amount of the paid and refunded ones
	RefundedFen int64
}

// StatusTotals sum up the sales of a day that have one status.
type StatusTotals struct {
	Count int
	Fen   int64
}

// MethodTotals sum up the sales of a day that were to be paid one way.
type MethodTotals struct {
	Count       int   // all sales
	Paid        int   // paid or refunded
	PaidFen     int64 // their amount
	RefundedFen int64 // money refunded on them
}

// NetFen is what the shop keeps of these sales.
func (t MethodTotals) NetFen() int64 { return t.PaidFen - t.RefundedFen }

// RefundTotals sum up refunds.
type RefundTotals struct {
	Count int
	Fen   int64
}

// recordOf is the ledger's sale as pos shows it.
func recordOf(s store.Sale) SaleRecord {
	r := summaryOf(s)
	if len(s.History) > 0 {
		r.History = make([]Event, 0, len(s.History))
	}
	for _, e := range s.History {
		r.History = append(r.History, eventOf(e))
	}
	return r
}

// summaryOf is the ledger's sale as pos shows it, without its history.
func summaryOf(s store.Sale) SaleRecord {
	r := SaleRecord{
		OutTradeNo: s.OutTradeNo, TerminalID: s.TerminalID, StoreID: s.StoreID, Subject: s.Subject,
		AmountFen: s.AmountFen, Status: Status(s.Status), TradeNo: s.TradeNo, BuyerLogonID: s.BuyerLogonID,
		ReceiptNo: s.ReceiptNo, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, PaidAt: s.PaidAt,
		RefundedFen: s.RefundedFen, RefundIfPaid: s.RefundIfPaid, Method: PayMethod(s.Method),
		ReceiptUnprinted: s.ReceiptUnprinted,
	}
	if len(s.Refunds) > 0 {
		r.Refunds = make([]Refund, 0, len(s.Refunds))
	}
	for _, f := range s.Refunds {
		r.Refunds = append(r.Refunds, Refund{OutRequestNo: f.OutRequestNo, Fen: f.Fen, At: f.At, ApprovedBy: f.ApprovedBy,
			Reason: f.Reason, Status: RefundStatus(f.Status), FundChange: f.FundChange, DoneAt: f.DoneAt, Note: ParseNote(f.Note)})
	}
	return r
}

// eventOf is an event of the ledger's history as pos shows it.
func eventOf(e store.Event) Event {
	return Event{At: e.At, Status: Status(e.Status), Fact: Fact(e.Fact), ReceiptNo: e.ReceiptNo, RefundDue: RefundDue(e.RefundDue),
		OutRequestNo: e.OutRequestNo, Fen: e.Fen, ApprovedBy: e.ApprovedBy, Reason: e.Reason,
		RefundedFen: e.RefundedFen, AmountFen: e.AmountFen, AfterFailed: e.AfterFailed, Note: ParseNote(e.Note)}
}

func recordsOf(sales []store.Sale, record func(store.Sale) SaleRecord) []SaleRecord {
	if sales == nil {
		return nil
	}
	out := make([]SaleRecord, len(sales))
	for i, s := range sales {
		out[i] = record(s)
	}
	return out
}

// dayOf is the ledger's day as pos shows it.
func dayOf(d store.Day) Day {
	return Day{Date: d.Date, Sales: recordsOf(d.Sales, recordOf), Totals: totalsOf(d.Totals)}
}

func daysOf(days []store.Day) []Day {
	out := make([]Day, len(days))
	for i, d := range days {
		out[i] = dayOf(d)
	}
	return out
}

// summariesOf are the ledger's days with their sales without history
// (summaryOf).
func summariesOf(days []store.Day) []Day {
	out := make([]Day, len(days))
	for i, d := range days {
		out[i] = Day{Date: d.Date, Sales: recordsOf(d.Sales, summaryOf), Totals: totalsOf(d.Totals)}
	}
	return out
}

func totalsOf(t store.Totals) Totals {
	return Totals{Count: t.Count, Paid: t.Paid, PaidFen: t.PaidFen, Refunded: t.Refunded, RefundedFen: t.RefundedFen,
		NetFen: t.NetFen, Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
		PartlyRefunded: t.PartlyRefunded, Reversed: t.Reversed, ReversedFen: t.ReversedFen}
}

// reportOf is the ledger's report as pos shows it.
func reportOf(r store.Report) Report {
	out := Report{Date: r.Date, Number: r.Number, Kind: ReportKind(r.Kind), Totals: totalsOf(r.Totals),
		CreatedAt: r.CreatedAt, Terminal: r.Terminal, ZNumber: r.ZNumber,
		EarlierRefunds: RefundTotals(r.EarlierRefunds), AfterClose: RefundTotals(r.AfterClose),
		LaterRefunds: RefundTotals(r.LaterRefunds)}
	for h, v := range r.ByHour {
		out.ByHour[h] = HourTotals(v)
	}
	if r.ByStatus != nil {
		out.ByStatus = make(map[Status]StatusTotals, len(r.ByStatus))
		for st, v := range r.ByStatus {
			out.ByStatus[Status(st)] = StatusTotals(v)
		}
	}
	if r.ByMethod != nil {
		out.ByMethod = make(map[PayMethod]MethodTotals, len(r.ByMethod))
		for m, v := range r.ByMethod {
			out.ByMethod[PayMethod(m)] = MethodTotals(v)
		}
	}
	return out
}
