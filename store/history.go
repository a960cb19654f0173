package store

import (
	"fmt"
	"strconv"
	"strings"
)

// Fact says what a history event the ledger writes itself records; its
// figures are in the event's other fields, and the screens word it in
// their language. Facts are stored: their values never change.
type Fact string

// The facts the ledger records.
const (
	// FactCreated: the sale was recorded, pending.
	FactCreated Fact = "created"
	// FactPaid: Alipay confirmed the payment; ReceiptNo is the receipt
	// issued, RefundDue why the payment goes back to the customer.
	FactPaid Fact = "paid"
	// FactRefundRequested: a refund (OutRequestNo, Fen) was recorded, with
	// who approved it and why.
	FactRefundRequested Fact = "refund-requested"
	// FactRefundDone: Alipay confirmed the refund; RefundedFen is what the
	// sale's done refunds add up to now, AfterFailed that it had been
	// recorded as failed.
	FactRefundDone Fact = "refund-done"
	// FactRefundFailed: Alipay refused the refund; Note says why.
	FactRefundFailed Fact = "refund-failed"
	// FactRefundUnknown: Alipay gave no answer to the refund; Note says
	// the circumstances.
	FactRefundUnknown Fact = "refund-unknown"
	// FactReceiptNotPrinted: the receipt (ReceiptNo) did not print.
	FactReceiptNotPrinted Fact = "receipt-not-printed"
	// FactReceiptPrinted: the receipt that had not printed did.
	FactReceiptPrinted Fact = "receipt-printed"
)

// RefundDue says why a payment recorded by MarkPaid goes back to the
// customer (Sale.RefundIfPaid); "" when the shop keeps it.
type RefundDue string

// The reasons a payment is refunded as it arrives.
const (
	// DueAfterCancel: the payment arrived after the sale had been cancelled.
	DueAfterCancel RefundDue = "after-cancel"
	// DueAfterFailure: the payment arrived after the customer was told the
	// sale had failed.
	DueAfterFailure RefundDue = "after-failure"
	// DueToldNothingCharged: the customer had been told nothing was charged.
	DueToldNothingCharged RefundDue = "told-nothing-charged"
)

// refundFact is the fact of a refund moving to status to.
func refundFact(to RefundStatus) Fact {
	switch to {
	case RefundDone:
		return FactRefundDone
	case RefundFailed:
		return FactRefundFailed
	case RefundUnknown:
		return FactRefundUnknown
	}
	return FactRefundRequested
}

// A ledger written before facts holds the ledger's events as English
// sentences in Note. readOldEvent recognises them and reads them as the
// facts they said: it takes a sentence apart, says the facts again the
// old way (oldWords), and keeps the facts only when that gives back the
// very sentence, so no note is ever misread; any other note stays as it is.
func readOldEvent(sale Sale, e Event) Event {
	if e.Fact != "" || e.Note == "" {
		return e
	}
	if f, ok := parseOldEvent(sale, e); ok && oldWords(f) == e.Note {
		return f
	}
	return e
}

// oldWords is the sentence a ledger written before facts held for the
// event's fact.
func oldWords(e Event) string {
	switch e.Fact {
	case FactCreated:
		return "created"
	case FactPaid:
		return "paid, receipt " + receiptLabel(e.ReceiptNo) + oldDue[e.RefundDue]
	case FactRefundRequested:
		s := fmt.Sprintf("refund %s of %s requested", e.OutRequestNo, formatFen(e.Fen))
		if e.ApprovedBy != "" {
			s += ", approved by " + e.ApprovedBy
		}
		if e.Reason != "" {
			s += ": " + e.Reason
		}
		return s
	case FactRefundDone:
		s := fmt.Sprintf("refund %s of %s done; %s of %s refunded",
			e.OutRequestNo, formatFen(e.Fen), formatFen(e.RefundedFen), formatFen(e.AmountFen))
		if e.AfterFailed {
			s += "; Alipay reported it done after it had been recorded as failed"
		}
		return s
	case FactRefundFailed, FactRefundUnknown:
		s := fmt.Sprintf("refund %s of %s %s", e.OutRequestNo, formatFen(e.Fen), oldRefundStatus[e.Fact])
		if e.Note != "" {
			s += ": " + e.Note
		}
		return s
	}
	return e.Note
}

var (
	oldDue = map[RefundDue]string{
		DueAfterCancel:        "; the payment arrived after the sale had been cancelled, so it is refunded",
		DueAfterFailure:       "; the payment arrived after the customer was told the sale had failed, so it is refunded",
		DueToldNothingCharged: "; the customer had been told nothing was charged, so it is refunded",
	}
	oldRefundStatus = map[Fact]RefundStatus{FactRefundFailed: RefundFailed, FactRefundUnknown: RefundUnknown}
)

// parseOldEvent proposes the facts an old sentence may say; readOldEvent
// checks them. A refund's approver and reason are its record's.
func parseOldEvent(sale Sale, e Event) (Event, bool) {
	f := e
	f.Note = ""
	if e.Note == "created" {
		f.Fact = FactCreated
		return f, true
	}
	if rest, ok := strings.CutPrefix(e.Note, "paid, receipt "); ok {
		label, due, _ := strings.Cut(rest, ";")
		n, err := strconv.Atoi(label)
		if err != nil {
			return e, false
		}
		f.Fact, f.ReceiptNo = FactPaid, n
		if due != "" {
			for d, words := range oldDue {
				if words == ";"+due {
					f.RefundDue = d
				}
			}
		}
		return f, true
	}
	rest, ok := strings.CutPrefix(e.Note, "refund ")
	if !ok {
		return e, false
	}
	for _, r := range sale.Refunds {
		tail, ok := strings.CutPrefix(rest, r.OutRequestNo+" of "+formatFen(r.Fen)+" ")
		if !ok {
			continue
		}
		f.OutRequestNo, f.Fen = r.OutRequestNo, r.Fen
		switch verb, after, _ := strings.Cut(tail, ":"); {
		case strings.HasPrefix(tail, "requested"):
			f.Fact, f.ApprovedBy, f.Reason = FactRefundRequested, r.ApprovedBy, r.Reason
		case strings.HasPrefix(tail, "done; "):
			f.Fact, f.AmountFen = FactRefundDone, sale.AmountFen
			f.AfterFailed = strings.HasSuffix(tail, "recorded as failed")
			sofar, _, _ := strings.Cut(strings.TrimPrefix(tail, "done; "), " ")
			f.RefundedFen, ok = parseFen(sofar)
		case verb == string(RefundFailed) || verb == string(RefundUnknown):
			f.Fact = FactRefundFailed
			if verb == string(RefundUnknown) {
				f.Fact = FactRefundUnknown
			}
			f.Note = strings.TrimPrefix(after, " ")
		default:
			ok = false
		}
		return f, ok
	}
	return e, false
}

// parseFen reads an amount as formatFen writes it, "12.34".
func parseFen(s string) (int64, bool) {
	yuan, fen, ok := strings.Cut(s, ".")
	y, err1 := strconv.ParseInt(yuan, 10, 64)
	f, err2 := strconv.ParseInt(fen, 10, 64)
	if !ok || err1 != nil || err2 != nil || len(fen) != 2 || y < 0 || f < 0 {
		return 0, false
	}
	return y*100 + f, true
}
