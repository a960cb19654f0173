package words

import (
	"fmt"
	"slices"
	"strings"

	"kiosk/pos"
)

// NoteText says a note of a sale's history, a refund or an outcome: the
// words of its code in this language, after the ledger's own words. A
// note that holds no code (the ledger's own, or one written before notes
// had codes) is shown as it was written.
func (w *Words) NoteText(n pos.Note) string {
	if n.Code == "" {
		return n.Text
	}
	return n.Text + w.noteCode(n)
}

// EventText says an event of a sale's history: what the ledger recorded,
// in this language, then its note.
func (w *Words) EventText(e pos.Event) string {
	parts := w.factText(e)
	if !e.Note.IsZero() {
		parts = append(parts, w.NoteText(e.Note))
	}
	return strings.Join(parts, w.Punct.Sentences)
}

// factText is the sentences that say the event's fact; none for an event
// whose note says it all.
func (w *Words) factText(e pos.Event) []string {
	nw, r := &w.Note, e
	no, fen := r.OutRequestNo, Yuan(r.Fen)
	switch e.Fact {
	case "":
		return nil
	case pos.FactCreated:
		return []string{nw.Created}
	case pos.FactPaid:
		due := map[pos.RefundDue]string{pos.DueAfterCancel: nw.DueAfterCancel, pos.DueAfterFailure: nw.DueAfterFailure,
			pos.DueToldNothingCharged: nw.DueToldNothingCharged}[e.RefundDue]
		return nonEmpty(nw.Paid.F(fmt.Sprintf("%04d", e.ReceiptNo)), due)
	case pos.FactRefundRequested:
		s := []string{nw.RefundRequested.F(no, fen)}
		if r.ApprovedBy != "" {
			s = append(s, nw.RefundApprovedBy.F(w.Approver(r.ApprovedBy)))
		}
		if r.Reason != "" {
			s = append(s, nw.RefundBecause.F(r.Reason))
		}
		return s
	case pos.FactRefundDone:
		s := []string{nw.RefundDone.F(no, fen, Yuan(r.RefundedFen), Yuan(r.AmountFen))}
		if r.AfterFailed {
			s = append(s, nw.RefundDoneAfterFailed)
		}
		return s
	case pos.FactRefundFailed:
		return []string{nw.RefundFailed.F(no, fen)}
	case pos.FactRefundUnknown:
		return []string{nw.RefundUnknown.F(no, fen)}
	case pos.FactReceiptNotPrinted:
		return []string{nw.ReceiptNotPrinted.F(fmt.Sprintf("%04d", e.ReceiptNo))}
	case pos.FactReceiptPrinted:
		return []string{nw.ReceiptPrinted.F(fmt.Sprintf("%04d", e.ReceiptNo))}
	}
	return []string{string(e.Fact)} // a fact newer than this kiosk: shown as stored
}

func nonEmpty(s ...string) []string {
	return slices.DeleteFunc(s, func(x string) bool { return x == "" })
}

func (w *Words) noteCode(n pos.Note) string {
	nw := &w.Note
	reason := w.ReasonText(n.Reason)
	switch n.Code {
	case pos.NoteProblem:
		return w.ExplainProblem(n.Cause)
	case pos.NoteNotStarted:
		return w.notStarted(n.Cause)
	case pos.NotePaidJustInTime:
		return nw.PaidJustInTime
	case pos.NoteClosedRefunded:
		return nw.ClosedRefunded
	case pos.NoteClosed:
		return nw.Closed
	case pos.NoteCancelUnconfirmed:
		return nw.CancelUnconfirmed.F(reason, w.ExplainProblem(n.Cause))
	case pos.NoteCancelled:
		return nw.Cancelled.F(reason)
	case pos.NoteRefundedLastSecond:
		return nw.RefundedLastSecond.F(reason)
	case pos.NoteRefundedUnseen:
		return nw.RefundedUnseen.F(reason, w.because(n.Cause))
	case pos.NoteRefundedTold:
		return nw.RefundedTold.F(reason)
	case pos.NoteNotifiedCancelled:
		return nw.NotifiedCancelled.F(w.because(n.Cause))
	case pos.NoteChargeUnconfirmed:
		return nw.ChargeUnconfirmed.F(w.because(n.Cause))
	}
	return string(n.Code) // a code newer than this kiosk: shown as stored
}

// because says what went wrong in p as a clause, without what to do
// about it: for a place inside a sentence that already says what happens
// next (Explain says both).
func (w *Words) because(p pos.Problem) string {
	pw := &w.Problem
	switch p.Kind {
	case pos.KindTimeout:
		return pw.StartTimeout
	case pos.KindBadSignature:
		return pw.StartBadSignature
	case pos.KindUnsigned:
		return pw.StartUnsigned.F(w.detail(p))
	case pos.KindMismatch:
		return pw.StartMismatch
	case pos.KindTransport:
		return pw.Unreachable
	case pos.KindUnexpected:
		return pw.StartUnexpected
	case pos.KindAlipayBusy:
		return pw.StartBusy.F(p.AlipayCode())
	case pos.KindAlipayRefused:
		reason := p.AlipayMessage()
		if advice, ok := pw.Advice[p.SubCode]; ok {
			reason = advice.Reason
		}
		if reason == "" {
			reason = pw.NoReason
		}
		return pw.Codes.F(w.clause(reason), p.AlipayCode())
	}
	return w.clause(w.ExplainProblem(p))
}

// Approver says who approved a refund: the names the kiosk records
// itself (pos.DefaultApprover, pos.ReconcileApprover) in this language,
// a name a manager typed as it is.
func (w *Words) Approver(name string) string {
	switch name {
	case pos.DefaultApprover:
		return w.Note.ApprovedByManager
	case pos.ReconcileApprover:
		return w.Note.ApprovedByReconcile
	}
	return name
}

// ReasonText says why a sale was cancelled; a reason that is none of
// pos's is shown as it is.
func (w *Words) ReasonText(r pos.Reason) string {
	rw := &w.Reason
	if sig := r.Signal(); sig != "" {
		return rw.Stopped.F(sig)
	}
	switch r {
	case pos.ReasonCashier:
		return rw.Cashier
	case pos.ReasonTimeout:
		return rw.Timeout
	case pos.ReasonAlipayClosed:
		return rw.AlipayClosed
	case pos.ReasonKioskClosed:
		return rw.KioskClosed
	case pos.ReasonRecovered:
		return rw.Recovered
	case pos.ReasonRechecked:
		return rw.Rechecked
	case pos.ReasonChargeLost:
		return rw.ChargeLost
	}
	return string(r)
}
