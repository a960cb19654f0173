package pos

import (
	"net/url"
	"strings"
)

// NoteCode says what a note records: how a sale ended or why it stays
// open. Codes are written into the ledger: their values never change.
type NoteCode string

// The notes pos writes.
const (
	// NoteProblem: Cause says what went wrong (a precreate refused, a
	// refund refused or not confirmed).
	NoteProblem NoteCode = "problem"
	// NoteNotStarted: the precreate got no trustworthy answer (Cause), so
	// no QR code was shown; Alipay may have the order, and the kiosk
	// cancels it and refunds a payment.
	NoteNotStarted NoteCode = "not-started"
	// NotePaidJustInTime: the customer paid before the cancel went out.
	NotePaidJustInTime NoteCode = "paid-just-in-time"
	// NoteClosedRefunded: Alipay had refunded the payment and closed the trade.
	NoteClosedRefunded NoteCode = "closed-refunded"
	// NoteClosed: Alipay had closed the trade.
	NoteClosed NoteCode = "closed"
	// NoteCancelUnconfirmed: cancelled for Reason, but Alipay could not
	// confirm it (Cause); the sale is checked again.
	NoteCancelUnconfirmed NoteCode = "cancel-unconfirmed"
	// NoteCancelled: cancelled for Reason; Alipay closed the trade.
	NoteCancelled NoteCode = "cancelled"
	// NoteRefundedLastSecond: cancelled for Reason; the customer had paid
	// at the last second, and the cancel refunded it.
	NoteRefundedLastSecond NoteCode = "refunded-last-second"
	// NoteRefundedUnseen: cancelled for Reason; the last query got no
	// usable answer (Cause), and the cancel refunded a payment.
	NoteRefundedUnseen NoteCode = "refunded-unseen"
	// NoteRefundedTold: cancelled for Reason; the customer paid although
	// told that nothing was charged, and the payment was refunded.
	NoteRefundedTold NoteCode = "refunded-told"
	// NoteNotifiedCancelled: a notification reported a payment for a
	// cancelled sale and Alipay could not be asked (Cause); checked again.
	NoteNotifiedCancelled NoteCode = "notified-cancelled"
	// NoteChargeUnconfirmed: the answer to a payment-code charge was lost
	// and neither the query nor the cancel got an answer (Cause); the
	// cashier was told the payment did not go through, so a payment Alipay
	// reports is refunded.
	NoteChargeUnconfirmed NoteCode = "charge-unconfirmed"
)

// Reason says why a sale is being cancelled: the ledger keeps it, the
// screens word it. A reason that is none of the constants (a test's, say)
// is shown as it is.
type Reason string

// The reasons a sale is cancelled.
const (
	ReasonCashier      Reason = "cashier"       // the cashier cancelled it
	ReasonTimeout      Reason = "timeout"       // the time to pay ran out
	ReasonAlipayClosed Reason = "alipay-closed" // Alipay closed the trade
	ReasonKioskClosed  Reason = "kiosk-closed"  // the kiosk was closed during the sale
	ReasonRecovered    Reason = "recovered"     // settled at start, left open by the last run
	ReasonRechecked    Reason = "rechecked"     // checked again with Alipay in the background
	ReasonChargeLost   Reason = "charge-lost"   // the answer to a payment-code charge was lost
)

// reasonStopped starts the reason of a kiosk stopped by a signal.
const reasonStopped = "stopped:"

// StoppedBy is the reason of a sale cancelled because the process got a
// signal, named like "SIGTERM".
func StoppedBy(signal string) Reason { return Reason(reasonStopped + signal) }

// Signal is the signal that stopped the kiosk, "" unless the reason is
// StoppedBy's.
func (r Reason) Signal() string {
	s, ok := strings.CutPrefix(string(r), reasonStopped)
	if !ok {
		return ""
	}
	return s
}

// Note is what an entry of a sale's history, a refund or an outcome says:
// a code with its facts, for the screens to word in their language. (What
// the ledger records itself is an Event's Fact.) A note from a kiosk older
// than the codes is Text alone, shown as it was written; so are words an
// older ledger put before a note of pos's, which are shown before the
// code's words.
type Note struct {
	Text   string
	Code   NoteCode // "" when the note is Text alone
	Reason Reason   // why the sale was cancelled, for the cancel notes
	Cause  Problem  // what went wrong, for the notes that say
}

// IsZero reports whether n says nothing.
func (n Note) IsZero() bool { return n.Text == "" && n.Code == "" }

// The ledger holds a note as a string: a code and its facts are written
// as "{note:v1?code=...&kind=...}", query-escaped, so that the ledger's
// own words can stand before it and nothing in a fact can end it early.
const (
	notePrefix = "{note:v1?"
	noteSuffix = "}"
)

// String is the note as the ledger stores it.
func (n Note) String() string {
	if n.Code == "" {
		return n.Text
	}
	v := url.Values{"code": {string(n.Code)}}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("reason", string(n.Reason))
	c := n.Cause
	set("kind", string(c.Kind))
	if c.NotStarted {
		v.Set("not_started", "1")
	}
	set("a_code", c.Code)
	set("a_msg", c.Msg)
	set("a_sub_code", c.SubCode)
	set("a_sub_msg", c.SubMsg)
	set("detail", c.Detail)
	return n.Text + notePrefix + v.Encode() + noteSuffix
}

// ParseNote reads a note the ledger stores; a string that holds no code
// is a note of Text alone.
func ParseNote(s string) Note {
	i := strings.LastIndex(s, notePrefix)
	if i < 0 || !strings.HasSuffix(s, noteSuffix) {
		return Note{Text: s}
	}
	v, err := url.ParseQuery(strings.TrimSuffix(s[i+len(notePrefix):], noteSuffix))
	if err != nil || v.Get("code") == "" {
		return Note{Text: s}
	}
	return Note{
		Text:   s[:i],
		Code:   NoteCode(v.Get("code")),
		Reason: Reason(v.Get("reason")),
		Cause: Problem{
			Kind: Kind(v.Get("kind")), NotStarted: v.Get("not_started") == "1",
			Code: v.Get("a_code"), Msg: v.Get("a_msg"), SubCode: v.Get("a_sub_code"), SubMsg: v.Get("a_sub_msg"),
			Detail: v.Get("detail"),
		},
	}
}

// problemNote is the note code writes, with why: the reason and what
// went wrong.
func problemNote(code NoteCode, reason Reason, err error) Note {
	return Note{Code: code, Reason: reason, Cause: storedProblem(Classify(err))}
}

// storedProblem keeps of p what the ledger stores: the kind, Alipay's
// codes, and the error's text only where the words show it. The typed
// errors' facts are not kept; no note needs them.
func storedProblem(p Problem) Problem {
	p.Input, p.PaymentCode, p.PIN, p.Shape, p.Refund = nil, nil, nil, nil, nil
	if p.Kind != KindOther && (p.Kind != KindUnsigned || p.HasCodes()) {
		p.Detail = ""
	}
	return p
}
