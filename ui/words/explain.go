package words

import (
	"slices"
	"strings"
	"time"

	"kiosk/pos"
)

// Explain says what went wrong in err, and what to do, in a sentence or
// two for the cashier; Alipay's codes stay in brackets, for the manager to
// look up. nil says nothing.
func (w *Words) Explain(err error) string {
	if err == nil {
		return ""
	}
	p := pos.Classify(err)
	if p.Kind == pos.KindOther { // what the system said, from its typed errors
		return w.other(p, w.SystemReason(err))
	}
	return w.ExplainProblem(p)
}

// other says a problem of no kind pos knows, for the reason given: the
// error's text marked as the system's, where only the text is left (a
// note read back from the ledger).
func (w *Words) other(p pos.Problem, reason string) string {
	pw := &w.Problem
	if p.NotStarted {
		return pw.NotStarted.F(pw.StartLost.F(reason)) + w.Punct.Sentences + pw.StartAgain
	}
	return pw.Other.F(reason)
}

// ExplainProblem says p in words, as Explain does.
func (w *Words) ExplainProblem(p pos.Problem) string {
	pw := &w.Problem
	switch {
	case p.IsZero():
		return ""
	case p.Kind == pos.KindInput && p.Input != nil:
		return w.input(p.Input)
	case p.Kind == pos.KindPaymentCode && p.PaymentCode != nil:
		return w.paymentCode(p.PaymentCode)
	case p.NotStarted:
		return w.notStarted(p) + w.Punct.Sentences + pw.StartAgain
	case p.Kind == pos.KindAlipayBusy:
		return pw.AlipayBusy.F(p.AlipayCode())
	case p.Kind == pos.KindAlipayRefused:
		return w.refused(p)
	}
	return w.protocol(p)
}

// notStarted says what became of a sale whose precreate got no
// trustworthy answer, as the screen and the ledger's note say it.
func (w *Words) notStarted(p pos.Problem) string {
	pw := &w.Problem
	var what string
	switch p.Kind {
	case pos.KindTimeout:
		what = pw.StartTimeout
	case pos.KindBadSignature:
		what = pw.StartBadSignature
	case pos.KindUnsigned:
		what = pw.StartUnsigned.F(w.detail(p))
	case pos.KindMismatch:
		what = pw.StartMismatch
	case pos.KindTransport:
		what = pw.StartTransport
	case pos.KindUnexpected:
		what = pw.StartUnexpected
	case pos.KindAlipayBusy:
		what = pw.StartBusy.F(p.AlipayCode())
	case pos.KindAlipayRefused:
		what = pw.StartTaken.F(w.detail(p))
	default:
		what = pw.StartLost.F(w.quoted(p.Detail))
	}
	return pw.NotStarted.F(what)
}

// detail is what Alipay's codes mean and the code when it gave them,
// else the error's own text.
func (w *Words) detail(p pos.Problem) string {
	if p.HasCodes() {
		return w.Problem.Codes.F(w.advice(p).Reason, p.AlipayCode())
	}
	return p.Detail
}

// refused says Alipay's refusal: what it means and what to do, from the
// advice for its sub code, else from Alipay's own message.
func (w *Words) refused(p pos.Problem) string {
	advice := w.advice(p)
	return w.Problem.Refused.F(advice.Reason, p.AlipayCode(), advice.Then)
}

// ExplainCharge says what went wrong in the charge of a customer's
// payment code, as Explain does, except that a refusal of Alipay's says
// the payment failed, as a till says it.
func (w *Words) ExplainCharge(err error) string {
	if p := pos.Classify(err); p.Kind == pos.KindAlipayRefused && !p.NotStarted {
		advice := w.advice(p)
		return w.Problem.ChargeRefused.F(advice.Reason, p.AlipayCode(), advice.Then)
	}
	return w.Explain(err)
}

// advice is what Alipay's refusal p means and what to do: the catalogue's
// words for its sub code, else Alipay's own reason (alipaySaid).
func (w *Words) advice(p pos.Problem) Advice {
	pw := &w.Problem
	if advice, ok := pw.Advice[p.SubCode]; ok {
		return advice
	}
	return Advice{Reason: w.alipaySaid(p), Then: pw.TryAgain}
}

// alipaySaid is Alipay's own reason for a code the catalogue has no words
// for: its sub_msg, else its msg, each marked as Alipay's text where the
// language is not Alipay's (SubMsgSaid, MsgSaid).
func (w *Words) alipaySaid(p pos.Problem) string {
	pw := &w.Problem
	switch {
	case p.SubMsg != "":
		return pw.SubMsgSaid.F(strings.TrimRight(p.SubMsg, ".。"))
	case p.Msg != "":
		return pw.MsgSaid.F(p.Msg)
	}
	return pw.NoReason
}

func (w *Words) protocol(p pos.Problem) string {
	pw := &w.Problem
	switch p.Kind {
	case pos.KindNoPIN:
		return pw.NoPIN
	case pos.KindPINSet:
		return pw.PINSet
	case pos.KindPIN:
		return w.pin(p.PIN)
	case pos.KindRefund:
		return w.refund(p.Refund)
	case pos.KindPINShape:
		return w.pinShape(p.Shape)
	case pos.KindRefundPending:
		return pw.RefundPending
	case pos.KindNoReceipt:
		return pw.NoReceipt
	case pos.KindDayClosed:
		return pw.DayClosed.F(p.Closed.Date, p.Closed.ClosedAt.Format(time.TimeOnly), p.Closed.ZNumber)
	case pos.KindLedgerInUse:
		return pw.LedgerInUse
	case pos.KindLedgerBusy:
		return pw.LedgerBusy
	case pos.KindLedgerDamaged:
		return pw.LedgerDamaged
	case pos.KindLedger:
		return pw.Ledger
	case pos.KindMismatch:
		return pw.Mismatch
	case pos.KindBadSignature:
		return pw.BadSignature
	case pos.KindUnsigned:
		return pw.Unsigned.F(w.detail(p))
	case pos.KindTimeout:
		return pw.Timeout
	case pos.KindTransport:
		return pw.Transport
	case pos.KindUnexpected:
		return pw.Unexpected
	case pos.KindBadRequest:
		return pw.BadRequest.F(p.Request)
	}
	return w.other(p, w.quoted(p.Detail))
}

func (w *Words) pin(e *pos.PINError) string {
	pw := &w.Problem
	until := e.Until.Format(time.TimeOnly)
	switch {
	case e.Wrong && e.Locked:
		return pw.WrongPINLocked.F(w.Duration(e.LockFor), until)
	case e.Locked:
		return pw.PINLocked.F(e.Tries, w.Duration(e.Left), until)
	}
	return pw.WrongPIN.F(e.TriesLeft, w.Duration(e.LockFor))
}

func (w *Words) pinShape(e *pos.PINShapeError) string {
	if e.Trivial {
		return w.Problem.PINTrivial
	}
	if e.NotDigits {
		return w.Problem.PINNotDigits.F(e.Min, e.Max)
	}
	return w.Problem.PINTooShort.F(e.Min, e.Max, e.Length)
}

func (w *Words) refund(e *pos.RefundError) string {
	pw := &w.Problem
	switch e.Problem {
	case pos.RefundSaleRefunded:
		return pw.RefundSaleRefunded.F(e.OutTradeNo)
	case pos.RefundSaleNotPaid:
		return pw.RefundNotPaid.F(e.OutTradeNo, w.StatusName(e.Status))
	case pos.RefundNotPositive:
		return pw.RefundNotPositive.F(Fen(e.Fen), Fen(e.RefundableFen), e.OutTradeNo)
	case pos.RefundBeyondAmount:
		return pw.RefundBeyond.F(e.OutRequestNo, Fen(e.Fen), e.OutTradeNo, Fen(e.RefundedFen+e.Fen), Fen(e.AmountFen))
	}
	return pw.RefundTooLarge.F(Fen(e.Fen), Fen(e.RefundableFen), e.OutTradeNo)
}

func (w *Words) input(e *pos.InputError) string {
	iw := &w.Input
	switch e.Problem {
	case pos.AmountMissing:
		return iw.Missing
	case pos.AmountTooLong:
		return iw.TooLong
	case pos.AmountDecimals:
		return iw.Decimals
	case pos.AmountTooSmall:
		return iw.TooSmall
	case pos.AmountTooLarge:
		return iw.TooLarge
	}
	return iw.NotANumber.F(e.Text)
}

func (w *Words) paymentCode(e *pos.PaymentCodeError) string {
	pw := &w.Problem
	switch e.Problem {
	case pos.CodeEmpty:
		return pw.PaymentCodeEmpty
	case pos.CodeNotDigits:
		return pw.PaymentCodeNotDigits
	case pos.CodeBadLength:
		return pw.PaymentCodeLength.F(e.Len, pos.MinPaymentCodeLen, pos.MaxPaymentCodeLen)
	}
	return pw.PaymentCodePrefix
}

// clause makes a sentence a clause, for a place inside another: without
// its full stop.
func (w *Words) clause(sentence string) string {
	return strings.TrimSuffix(sentence, w.Punct.FullStop)
}

// Duration says how long d is, the way a person says it: "5 minutes",
// "4 min 12 s", "40 s".
func (w *Words) Duration(d time.Duration) string {
	if d > 0 && d < time.Second { // a test's or a benchmark's poll interval
		return w.Time.Milliseconds.F(int(d / time.Millisecond))
	}
	d = d.Round(time.Second)
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case m == 0:
		return w.Time.Seconds.F(s)
	case s == 0:
		return w.Time.Minutes.F(m)
	}
	return w.Time.MinutesSeconds.F(m, s)
}

// Weekday names the day of the week.
func (w *Words) Weekday(d time.Weekday) string { return w.Time.Weekdays[d] }

// StatusName names a sale's status as the screens and printed tables show
// it.
// SaleStatusName names a sale's status as the ledger and the reports
// show it: a sale reversed before its receipt is 撤销（已冲正）, not refunded.
func (w *Words) SaleStatusName(s pos.SaleRecord) string {
	if s.Reversed() {
		return w.Status.Reversed
	}
	if s.Status == pos.StatusCancelled && cancelReason(s) == pos.ReasonTimeout {
		return w.Status.TimedOut
	}
	return w.StatusName(s.Status)
}

// cancelReason is why a cancelled sale was cancelled, as the note of the
// event that cancelled it keeps it; "" when none says.
func cancelReason(s pos.SaleRecord) pos.Reason {
	for _, e := range slices.Backward(s.History) {
		if e.Status == pos.StatusCancelled && e.Note.Reason != "" {
			return e.Note.Reason
		}
	}
	return ""
}

// EventStatusName is the status an event of sale s left it in, as its
// history says it: the event that refunded a reversed sale (its cancel
// gave the payment back, no receipt was issued) is its reversal, not a
// refund.
func (w *Words) EventStatusName(s pos.SaleRecord, e pos.Event) string {
	if s.Reversed() && e.Status == pos.StatusRefunded {
		return w.Status.Reversed
	}
	return w.StatusName(e.Status)
}

func (w *Words) StatusName(st pos.Status) string {
	sw := &w.Status
	switch st {
	case pos.StatusPending:
		return sw.Pending
	case pos.StatusPaid:
		return sw.Paid
	case pos.StatusCancelled:
		return sw.Cancelled
	case pos.StatusRefunded:
		return sw.Refunded
	case pos.StatusUnknown:
		return sw.Unknown
	case pos.StatusFailed:
		return sw.Failed
	case pos.StatusReversed:
		return sw.Reversed
	}
	return string(st)
}

// MethodName names the way a sale was paid.
func (w *Words) MethodName(m pos.PayMethod) string {
	switch m {
	case pos.PayByQR:
		return w.Figures.ByQR
	case pos.PayByCode:
		return w.Figures.ByCode
	}
	return string(m)
}

// RefundStatusName names a refund's status.
func (w *Words) RefundStatusName(st pos.RefundStatus) string {
	sw := &w.Status
	switch st {
	case pos.RefundRequested:
		return sw.RefundRequested
	case pos.RefundDone:
		return sw.RefundDone
	case pos.RefundUnknown:
		return sw.RefundUnknown
	case pos.RefundFailed:
		return sw.RefundFailed
	}
	return string(st)
}
