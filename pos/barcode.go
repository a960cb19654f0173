package pos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kiosk/alipay"
	"kiosk/store"
)

// The payment-code sale (条码支付): the cashier scans the code the
// customer's Alipay app shows, and the kiosk charges it with
// alipay.trade.pay. It shares the QR sale's rules where they are the same:
// the sale is written pending before the request leaves, a charge the
// customer must confirm on the phone is polled and, when the wait is over,
// queried once more and cancelled exactly as a QR sale (Poll, Cancel), and
// recovery, the background retry, notifications, refunds and reports know
// no difference. What differs is the start: one call that may pay at once,
// be refused (the customer shows a fresh code and the cashier scans again:
// a new sale with a new out_trade_no), or leave the outcome unknown, which
// ScanPay settles before it returns by asking Alipay and cancelling. A
// request is never sent twice for one out_trade_no.

// Payment codes are MinPaymentCodeLen to MaxPaymentCodeLen digits.
const (
	MinPaymentCodeLen = alipay.MinPaymentCodeLen
	MaxPaymentCodeLen = alipay.MaxPaymentCodeLen
)

// ErrBadPaymentCode is wrapped by every *PaymentCodeError.
var ErrBadPaymentCode = errors.New("not an Alipay payment code")

// PaymentCodeProblem says what is wrong with a scanned payment code.
type PaymentCodeProblem int

// The problems of a scan, in the order they are looked for.
const (
	CodeEmpty     PaymentCodeProblem = iota + 1 // nothing was scanned
	CodeNotDigits                               // something other than digits (a URL, letters, a space inside)
	CodeBadLength                               // digits, but not 16 to 24 of them (a scan cut short, two run together)
	CodeBadPrefix                               // not beginning with 25 to 30: another wallet's code, say
)

// PaymentCodeError is a scan that cannot be an Alipay payment code. It
// does not hold the code: a payment code is a bearer token, kept out of
// logs and the ledger.
type PaymentCodeError struct {
	Problem PaymentCodeProblem
	Len     int // characters scanned, surrounding blanks left out

	cause error
}

func (e *PaymentCodeError) Error() string { return e.cause.Error() }

// Unwrap returns alipay's error, which wraps ErrBadPaymentCode's twin; Is
// makes errors.Is(err, ErrBadPaymentCode) hold.
func (e *PaymentCodeError) Unwrap() error { return e.cause }

// Is reports whether target is ErrBadPaymentCode.
func (e *PaymentCodeError) Is(target error) bool { return target == ErrBadPaymentCode }

// CheckPaymentCode reports whether code, once the blanks a scanner may add
// around it (a carriage return, a tab) are trimmed, has the shape of an
// Alipay payment code: nil, or a *PaymentCodeError. Only Alipay knows
// whether the code is still valid.
func CheckPaymentCode(code string) error {
	_, err := paymentCode(code)
	return err
}

// IsPaymentCode is CheckPaymentCode(code) == nil: what a screen asks of
// a burst of keys to tell a scan from typing.
func IsPaymentCode(code string) bool { return CheckPaymentCode(code) == nil }

// paymentCode is code trimmed and checked.
func paymentCode(code string) (string, error) {
	code = strings.TrimSpace(code)
	err := alipay.CheckPaymentCode(code)
	var pe *alipay.PaymentCodeError
	if !errors.As(err, &pe) {
		return code, err
	}
	problems := map[alipay.PaymentCodeProblem]PaymentCodeProblem{
		alipay.PaymentCodeEmpty: CodeEmpty, alipay.PaymentCodeNotDigits: CodeNotDigits,
		alipay.PaymentCodeBadLength: CodeBadLength, alipay.PaymentCodeBadPrefix: CodeBadPrefix,
	}
	return "", &PaymentCodeError{Problem: problems[pe.Problem], Len: pe.Len, cause: err}
}

// RefusalReason sorts Alipay's refusals of a payment code by what the
// customer can do about them.
type RefusalReason int

// The reasons of a refusal.
const (
	RefusedOther       RefusalReason = iota // any other refusal: Alipay's sub_msg says why
	RefusedCodeInvalid                      // the code expired, was used, or is not a code: show a fresh one
	RefusedBalance                          // the balance is too low: another card or way to pay
	RefusedRisk                             // Alipay's risk control refused it: another way to pay
)

// refusalReasons are the sub codes of alipay.trade.pay a till tells apart.
var refusalReasons = map[string]RefusalReason{
	alipay.SubCodePaymentAuthCodeInvalid: RefusedCodeInvalid,
	alipay.SubCodeBuyerBalanceNotEnough:  RefusedBalance,
	alipay.SubCodePaymentRequestHasRisk:  RefusedRisk,
}

// PaymentRefusedError is Alipay's signed refusal of a payment code
// (40004, or another final business error): nothing was charged, the sale
// is recorded failed, and the customer can show a fresh code or choose
// another way to pay at once; the next ScanPay is a new sale.
type PaymentRefusedError struct {
	Reason          RefusalReason
	Code, Msg       string // Alipay's code, 40004 most often (over v3, the HTTP status)
	SubCode, SubMsg string // what Alipay says went wrong, e.g. ACQ.BUYER_BALANCE_NOT_ENOUGH, 买家余额不足
	OutTradeNo      string // the refused sale
	AmountFen       int64

	cause error
}

func (e *PaymentRefusedError) Error() string {
	if e.cause == nil {
		return fmt.Sprintf("alipay refused the payment of %s: %s (%s)", e.OutTradeNo, firstNonEmpty(e.SubMsg, e.Msg), firstNonEmpty(e.SubCode, e.Code))
	}
	return e.cause.Error()
}

// Unwrap returns the gateway's error.
func (e *PaymentRefusedError) Unwrap() error { return e.cause }

// ErrChargeNotSent marks a charge that never reached Alipay (the request
// could not be built or no connection could be made): nothing was charged,
// the sale is recorded failed, and the cashier may scan again. Classify
// sorts the error by its cause (Alipay unreachable, say).
var ErrChargeNotSent = errors.New("the payment was not sent to Alipay")

// notSentError is a charge that never reached Alipay, and why.
type notSentError struct{ cause error }

func (e *notSentError) Error() string   { return ErrChargeNotSent.Error() + ": " + e.cause.Error() }
func (e *notSentError) Unwrap() []error { return []error{ErrChargeNotSent, e.cause} }

// ChargeStage is where a payment-code charge stands when ScanPay returns.
type ChargeStage int

// The stages of a charge.
const (
	// ChargePaid: Alipay took the money; Receipt is set.
	ChargePaid ChargeStage = iota + 1
	// ChargeWaiting: the customer must confirm on the phone (a PIN, or an
	// amount over the password-free limit). Poll Sale every PollInterval
	// until Sale.Deadline, then Cancel it, as a QR sale whose customer has
	// scanned: a confirmation turns into Paid, a closed trade into Closed.
	ChargeWaiting
	// ChargeSettled: Alipay's answer to the charge was lost (a timeout, a
	// reset, a busy gateway, an answer that does not verify), and the kiosk
	// asked Alipay and cancelled the trade. Outcome says how it ended:
	// cancelled (nothing was charged), refunded (the money went back), or
	// unknown (Alipay could not be asked; the sale is settled later, and a
	// payment found then is refunded). A paid trade ends as ChargePaid.
	ChargeSettled
)

// Charge is what ScanPay did.
type Charge struct {
	Stage   ChargeStage
	Sale    Sale    // the sale; its Deadline set when Stage is ChargeWaiting
	Receipt Receipt // ChargePaid
	Outcome Outcome // ChargeSettled
	// Warning is set on a ChargeWaiting that is not the customer's doing:
	// the payment could not be recorded (the next poll records it), or
	// Alipay's answer was lost (what it met) and the query found the charge
	// waiting.
	Warning Problem
}

// ScanPay charges the payment code the cashier scanned for amountFen. The
// amount (an *InputError) and the code (a *PaymentCodeError) are checked
// before anything is written or sent. Then the sale is recorded pending
// and alipay.trade.pay is sent once, and:
//
//   - paid: Charge{Stage: ChargePaid} with the receipt;
//   - the customer must confirm: Charge{Stage: ChargeWaiting}, to be
//     polled and cancelled as a QR sale;
//   - refused: a *PaymentRefusedError, the sale recorded failed;
//   - not sent: an error wrapping ErrChargeNotSent, the sale recorded failed;
//   - unknown: the trade is queried (paid → ChargePaid, waiting →
//     ChargeWaiting) and otherwise cancelled: Charge{Stage: ChargeSettled};
//   - the sale cannot be recorded: an error wrapping ErrLedger, nothing sent.
//
// Each call is a new sale with a new out_trade_no, so scanning again after
// a refusal can never be answered for the refused one.
func (r *Register) ScanPay(ctx context.Context, amountFen int64, subject, code string) (Charge, error) {
	if err := checkRange(amountFen); err != nil {
		return Charge{}, err
	}
	code, err := paymentCode(code)
	if err != nil {
		return Charge{}, err
	}
	sale, err := r.openSale(amountFen, subject, PayByCode)
	if err != nil {
		return Charge{}, err
	}
	resp, err := r.pay(ctx, sale, code)
	switch {
	case err == nil && resp.TradeStatus == alipay.TradeSuccess:
		return r.charged(sale, resp), nil
	case alipay.IsWaitingForBuyer(err), err == nil && resp.Waiting():
		return r.awaitConfirmation(sale, Problem{}), nil
	case refusedCharge(err):
		return Charge{}, r.recordRefusal(sale, err)
	case alipay.IsNotSent(err):
		_, _ = r.ledger.SetStatus(sale.OutTradeNo, store.StatusFailed, r.clock.Now(), problemNote(NoteProblem, "", err).String(), "")
		return Charge{}, &notSentError{cause: err}
	case err == nil:
		err = fmt.Errorf("pay %s: answer with trade_status %q: %w", sale.OutTradeNo, resp.TradeStatus, alipay.ErrUnexpectedResponse)
	}
	return r.settleLostCharge(ctx, sale, err)
}

func (r *Register) pay(ctx context.Context, sale Sale, code string) (*alipay.PayResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PayTimeout)
	defer cancel()
	resp, err := r.gw.Pay(ctx, &alipay.PayRequest{
		OutTradeNo: sale.OutTradeNo,
		AuthCode:   code,
		Subject:    sale.Subject,
		StoreID:    r.cfg.StoreID,
		TerminalID: r.cfg.TerminalID,
		TotalFen:   sale.AmountFen,
		SellerID:   r.cfg.SellerID,
		// Alipay closes a charge left unconfirmed about when the kiosk
		// would cancel it, should the kiosk be gone by then.
		Timeout:   r.cfg.QRTimeout,
		NotifyURL: r.cfg.NotifyURL,
	})
	if err != nil {
		return resp, fmt.Errorf("pay %s: %w", sale.OutTradeNo, err)
	}
	return resp, nil
}

// refusedCharge reports whether err is Alipay's final, signed refusal of
// the charge. A refusal that says the order number is taken is not one:
// it cannot happen for a fresh number, and would mean Alipay has a trade.
func refusedCharge(err error) bool {
	var ae *alipay.Error
	return alipay.IsRefused(err) && errors.As(err, &ae) && !orderNumberTaken[ae.SubCode]
}

// charged records the payment Alipay's answer reports. If the ledger
// cannot take it now, the sale waits on screen and the next poll, which
// finds the trade paid, records it.
func (r *Register) charged(sale Sale, resp *alipay.PayResponse) Charge {
	rec, err := r.recordCharge(sale, resp)
	if err != nil {
		return r.awaitConfirmation(sale, Classify(err))
	}
	return Charge{Stage: ChargePaid, Sale: sale, Receipt: receiptOf(rec)}
}

// recordCharge writes the payment of a charge that went through. Pay has
// checked that the answer is for this order and, when it says, this amount.
func (r *Register) recordCharge(sale Sale, resp *alipay.PayResponse) (store.Sale, error) {
	rec, _, err := r.ledger.MarkPaid(sale.OutTradeNo, store.Payment{
		TradeNo:      resp.TradeNo,
		BuyerLogonID: MaskAccount(resp.BuyerLogonID),
		PaidAt:       orNow(resp.GmtPayment, r.clock.Now()),
	})
	if err != nil {
		return store.Sale{}, fmt.Errorf("record payment of %s: %w: %w", sale.OutTradeNo, ErrLedger, err)
	}
	return rec, nil
}

// awaitConfirmation gives the sale its countdown: the customer has as
// long to confirm as a QR code is offered.
func (r *Register) awaitConfirmation(sale Sale, warning Problem) Charge {
	sale.Deadline = r.clock.Now().Add(r.cfg.QRTimeout)
	return Charge{Stage: ChargeWaiting, Sale: sale, Warning: warning}
}

// recordRefusal records a refused charge as failed and returns the refusal.
func (r *Register) recordRefusal(sale Sale, err error) error {
	var ae *alipay.Error
	errors.As(err, &ae)
	refusal := &PaymentRefusedError{Reason: refusalReasons[ae.SubCode], Code: ae.Code, Msg: ae.Msg,
		SubCode: ae.SubCode, SubMsg: ae.SubMsg, OutTradeNo: sale.OutTradeNo, AmountFen: sale.AmountFen, cause: err}
	// A failure to record leaves the sale pending: recovery at the next
	// start settles it with Alipay, which has no trade to close.
	_, _ = r.ledger.SetStatus(sale.OutTradeNo, store.StatusFailed, r.clock.Now(), problemNote(NoteProblem, "", err).String(), "")
	return refusal
}

// settleLostCharge settles a charge whose answer proves nothing: it asks
// Alipay how the trade stands, keeps a charge that is paid or waits for the
// customer, and cancels anything else, so that the customer, told the
// payment did not go through, is never charged without a receipt. A sale
// Alipay cannot be asked about stays unknown, its payment to be refunded.
func (r *Register) settleLostCharge(ctx context.Context, sale Sale, cause error) (Charge, error) {
	resp, err := r.query(ctx, sale.OutTradeNo)
	switch {
	case err == nil && resp.TradeStatus == alipay.WaitBuyerPay:
		return r.awaitConfirmation(sale, Classify(cause)), nil
	case err == nil && resp.TradeStatus.Paid():
		// Alipay's verified answer is the receipt; cancelling would ask
		// again, and a lost second answer would refund this payment.
		rec, err := r.recordPayment(sale, resp)
		switch {
		case err == nil:
			return Charge{Stage: ChargePaid, Sale: sale, Receipt: receiptOf(rec)}, nil
		case isLedgerError(err): // the next poll records it
			return r.awaitConfirmation(sale, Classify(err)), nil
		} // a payment that does not match the sale is cancelled
	}
	out, err := r.Cancel(ctx, sale, ReasonChargeLost)
	if err != nil {
		return Charge{Stage: ChargeSettled, Sale: sale, Outcome: out}, err
	}
	switch out.Status {
	case StatusPaid:
		return Charge{Stage: ChargePaid, Sale: sale, Receipt: out.Receipt}, nil
	case StatusUnknown:
		out.Note = problemNote(NoteChargeUnconfirmed, ReasonChargeLost, out.Cause)
		if _, err := r.ledger.MarkRefundIfPaid(sale.OutTradeNo, r.clock.Now(), out.Note.String()); err != nil {
			return Charge{Stage: ChargeSettled, Sale: sale, Outcome: out},
				fmt.Errorf("mark %s to be refunded if paid: %w: %w", sale.OutTradeNo, ErrLedger, err)
		}
	}
	return Charge{Stage: ChargeSettled, Sale: sale, Outcome: out}, nil
}

// BuyerCodeKind is what the emulated customer's payment code does when the
// kiosk charges it (the emulator's kinds, by the same names).
type BuyerCodeKind string

// The kinds of code the emulated customer can show.
const (
	BuyerCodePay          BuyerCodeKind = "pay"          // paid at once
	BuyerCodeConfirm      BuyerCodeKind = "confirm"      // paid once the customer confirms on the phone
	BuyerCodeInsufficient BuyerCodeKind = "insufficient" // refused: balance too low
	BuyerCodeExpired      BuyerCodeKind = "expired"      // refused: the code expired
	BuyerCodeRisk         BuyerCodeKind = "risk"         // refused by risk control
)

// BuyerCodeKinds lists the kinds, BuyerCodePay first.
func BuyerCodeKinds() []BuyerCodeKind {
	return []BuyerCodeKind{BuyerCodePay, BuyerCodeConfirm, BuyerCodeInsufficient, BuyerCodeExpired, BuyerCodeRisk}
}

// SimulateBuyerCode has the emulated customer open a payment code of kind
// and returns its digits, for the screen to charge as if scanned; a code
// can be charged once. ErrNoSimulator on a real gateway. The customer
// confirming a ChargeWaiting on the phone is SimulatePayment.
func (r *Register) SimulateBuyerCode(kind BuyerCodeKind) (string, error) {
	if r.buyer == nil {
		return "", ErrNoSimulator
	}
	return r.buyer.IssueBuyerCode(kind)
}
