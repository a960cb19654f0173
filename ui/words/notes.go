package words

import "kiosk/pos"

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
		return nw.RefundedUnseen.F(reason, w.clause(w.ExplainProblem(n.Cause)))
	case pos.NoteRefundedTold:
		return nw.RefundedTold.F(reason)
	case pos.NoteNotifiedCancelled:
		return nw.NotifiedCancelled.F(w.clause(w.ExplainProblem(n.Cause)))
	case pos.NoteChargeUnconfirmed:
		return nw.ChargeUnconfirmed.F(w.clause(w.ExplainProblem(n.Cause)))
	}
	return string(n.Code) // a code newer than this kiosk: shown as stored
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
