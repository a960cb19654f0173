package pos

import (
	"context"
	"errors"

	"kiosk/alipay"
)

// Kind is what went wrong, as a person is told it. pos sorts every error a
// sale, a refund, the ledger or Alipay gives into a kind with its facts (a
// Problem), and package ui words them, so no sentence is made here and no
// package reads another's message. Kinds are written into the ledger's
// notes: their values never change.
type Kind string

// The kinds of problem, roughly in the order Classify looks for them.
const (
	KindInput         Kind = "input"          // a cashier's typing mistake (Problem.Input)
	KindPaymentCode   Kind = "payment-code"   // a scan that is no Alipay payment code (Problem.PaymentCode)
	KindAlipayBusy    Kind = "alipay-busy"    // Alipay's signed answer asks to try again
	KindAlipayRefused Kind = "alipay-refused" // Alipay's signed refusal, with its codes
	KindNoPIN         Kind = "no-pin"         // no manager PIN is set
	KindPINSet        Kind = "pin-set"        // a PIN is set: a change needs the current one
	KindPIN           Kind = "pin"            // a wrong or locked PIN (Problem.PIN)
	KindRefund        Kind = "refund"         // a refund the ledger refuses (Problem.Refund)
	KindPINShape      Kind = "pin-shape"      // a new PIN that is not 4 to 12 digits (Problem.Shape)
	KindRefundPending Kind = "refund-pending" // a refund Alipay has not confirmed yet
	KindNoReceipt     Kind = "no-receipt"     // a reprint of a sale never paid
	KindDayClosed     Kind = "day-closed"     // a sale on a day already closed (Problem.Closed)
	KindLedgerInUse   Kind = "ledger-in-use"  // another kiosk runs on the ledger
	KindLedgerBusy    Kind = "ledger-busy"    // another program held the ledger file too long
	KindLedgerDamaged Kind = "ledger-damaged" // the ledger file is damaged or missing
	KindLedger        Kind = "ledger"         // the ledger could not be read or written
	KindMismatch      Kind = "mismatch"       // Alipay's record does not match the sale
	KindBadSignature  Kind = "bad-signature"  // an answer without a signature that verifies
	KindUnsigned      Kind = "unsigned"       // an unsigned error answer, not to be trusted
	KindTimeout       Kind = "timeout"        // Alipay did not answer in time
	KindTransport     Kind = "transport"      // Alipay could not be reached, or the answer was cut off
	KindUnexpected    Kind = "unexpected"     // an answer that could not be understood
	KindBadRequest    Kind = "bad-request"    // a request Alipay would refuse, never sent (Problem.Request)
	KindOther         Kind = "other"          // anything else: Detail says what
)

// Problem is an error as a person is told it: its kind and the facts the
// words need. The zero Problem is no problem.
type Problem struct {
	Kind Kind
	// NotStarted marks a sale whose precreate got no answer that proves
	// Alipay has no trade for it (ErrPrecreateUnknown): no QR code was
	// shown, Alipay may have the order, and Kind is what the precreate met.
	NotStarted bool

	// Alipay's codes, when an answer of Alipay's is in the error.
	Code, Msg, SubCode, SubMsg string
	// Detail is the error's own text: what KindOther says, and the
	// diagnostic behind any kind.
	Detail string

	Input  *InputError     // KindInput
	PIN    *PINError       // KindPIN
	Shape  *PINShapeError  // KindPINShape
	Refund *RefundError    // KindRefund
	Closed *DayClosedError // KindDayClosed
	// Request is what in a request Alipay would refuse (KindBadRequest).
	Request string

	PaymentCode *PaymentCodeError // KindPaymentCode
}

// IsZero reports whether p is no problem at all.
func (p Problem) IsZero() bool { return p.Kind == "" }

// HasCodes reports whether Alipay's codes are known.
func (p Problem) HasCodes() bool { return p.Code != "" || p.SubCode != "" }

// AlipayCode is the code a person looks up: the sub code, else the code.
func (p Problem) AlipayCode() string { return firstNonEmpty(p.SubCode, p.Code) }

// AlipayMessage is what Alipay said: its sub message, else its message.
func (p Problem) AlipayMessage() string { return firstNonEmpty(p.SubMsg, p.Msg) }

// Classify sorts err into a Problem for the screens and the command line;
// nil is the zero Problem.
func Classify(err error) Problem {
	if err == nil {
		return Problem{}
	}
	err = fromLedger(err, "")
	p := Problem{Detail: err.Error()}
	var ae *alipay.Error
	if errors.As(err, &ae) {
		p.Code, p.Msg, p.SubCode, p.SubMsg = ae.Code, ae.Msg, ae.SubCode, ae.SubMsg
	}
	var re *PaymentRefusedError
	if errors.As(err, &re) && ae == nil {
		// A refusal made without the gateway's error (by a fake): its facts suffice.
		p.Code, p.Msg, p.SubCode, p.SubMsg, p.Kind = re.Code, re.Msg, re.SubCode, re.SubMsg, KindAlipayRefused
		return p
	}
	switch {
	case errors.As(err, &p.Input):
		p.Kind = KindInput
	case errors.As(err, &p.PaymentCode):
		p.Kind = KindPaymentCode
	case errors.Is(err, ErrPrecreateUnknown):
		p.NotStarted, p.Kind = true, precreateKind(err, ae)
	case ae != nil && ae.Retryable():
		p.Kind = KindAlipayBusy
	case ae != nil:
		p.Kind = KindAlipayRefused
	default:
		p.Kind = protocolKind(err, &p)
	}
	return p
}

// precreateKind is what a precreate without a trustworthy answer met.
func precreateKind(err error, ae *alipay.Error) Kind {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return KindBadSignature
	case errors.Is(err, alipay.ErrUnsignedError):
		return KindUnsigned
	case errors.Is(err, ErrMismatch):
		return KindMismatch
	case errors.Is(err, alipay.ErrTransport):
		return KindTransport
	case errors.Is(err, alipay.ErrUnexpectedResponse):
		return KindUnexpected
	case ae != nil && ae.Retryable():
		return KindAlipayBusy
	case ae != nil:
		return KindAlipayRefused // a signed refusal that leaves a trade: the order number is taken
	}
	return KindOther
}

// protocolKind sorts an error that is neither a typing mistake nor one of
// Alipay's signed answers.
func protocolKind(err error, p *Problem) Kind {
	switch {
	case errors.Is(err, ErrNoPIN):
		return KindNoPIN
	case errors.Is(err, ErrPINSet):
		return KindPINSet
	case errors.As(err, &p.PIN):
		return KindPIN
	case errors.As(err, &p.Refund):
		return KindRefund
	case errors.As(err, &p.Shape):
		return KindPINShape
	case errors.Is(err, ErrRefundPending):
		return KindRefundPending
	case errors.Is(err, ErrNoReceipt):
		return KindNoReceipt
	case errors.As(err, &p.Closed):
		return KindDayClosed
	case errors.As(err, new(*LedgerInUseError)):
		return KindLedgerInUse
	case errors.Is(err, ErrLedgerBusy):
		return KindLedgerBusy
	case errors.As(err, new(*LedgerDamagedError)), errors.As(err, new(*LedgerMissingError)), errors.As(err, new(*LedgerRecordError)):
		return KindLedgerDamaged
	case errors.As(err, new(*LedgerFileError)):
		return ledgerFileKind(err)
	case errors.Is(err, ErrLedger):
		return KindLedger
	case errors.Is(err, ErrMismatch):
		return KindMismatch
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return KindBadSignature
	case errors.Is(err, alipay.ErrUnsignedError):
		return KindUnsigned
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(err, alipay.ErrTransport):
		return KindTransport
	case errors.Is(err, alipay.ErrUnexpectedResponse):
		return KindUnexpected
	}
	if re, ok := errors.AsType[*alipay.RequestError](err); ok {
		p.Request = re.Problem
		return KindBadRequest
	}
	return KindOther
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ledgerFileKind is the kind of bbolt's refusal of the ledger file in
// err: an unsound file is damaged, any other the ledger's trouble.
func ledgerFileKind(err error) Kind {
	fe, _ := errors.AsType[*LedgerFileError](err)
	if fe.Problem.Damaged() {
		return KindLedgerDamaged
	}
	return KindLedger
}
