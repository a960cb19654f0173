package pos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kiosk/alipay"
)

const askManager = "Ask the manager to check the kiosk settings."

// Describe turns an error from a sale into a plain sentence for the cashier:
// what happened and what to do. Alipay's own codes are kept in brackets so
// the manager can look them up.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	err = fromLedger(err, "")
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Message
	}
	if errors.Is(err, ErrPrecreateUnknown) {
		return notStarted(err) + " Start the sale again."
	}
	var ae *alipay.Error
	if errors.As(err, &ae) {
		return describeAlipayError(ae)
	}
	return describeProtocolError(err)
}

// notStarted says what became of a sale whose precreate got no
// trustworthy answer, for the screen and the ledger.
func notStarted(err error) string {
	return whatBecameOfPrecreate(err) + ", so no QR code was shown and the sale did not start. " +
		"Alipay may have the order all the same: the kiosk cancels it with Alipay, and if the customer is charged the money goes back to them."
}

// whatBecameOfPrecreate says in a clause what a precreate without a
// trustworthy answer met.
func whatBecameOfPrecreate(err error) string {
	var ae *alipay.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Alipay did not answer in time"
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return "Alipay's answer failed its signature check"
	case errors.Is(err, alipay.ErrUnsignedError):
		return "Alipay answered with an unsigned error, which cannot be trusted (" + errorDetail(err) + ")"
	case errors.Is(err, ErrMismatch):
		return "Alipay's answer was for another order"
	case errors.Is(err, alipay.ErrTransport):
		return "The connection to Alipay failed before its answer arrived"
	case errors.Is(err, alipay.ErrUnexpectedResponse):
		return "Alipay's answer could not be understood"
	case errors.As(err, &ae) && ae.Retryable():
		return fmt.Sprintf("Alipay said it was busy (%s)", firstNonEmpty(ae.SubCode, ae.Code))
	case errors.As(err, &ae):
		return "Alipay refused the order number as already used (" + errorDetail(err) + ")"
	}
	return "Alipay's answer was lost (" + err.Error() + ")"
}

func describeProtocolError(err error) string {
	var (
		pin   *PINError
		shape *PINShapeError
		rf    *RefundError
	)
	switch {
	case errors.Is(err, ErrNoPIN):
		return "No manager PIN is set yet. Close the kiosk, run \"kiosk manager set-pin\", then try again."
	case errors.As(err, &pin):
		return sentence(pin.text())
	case errors.As(err, &rf):
		return sentence(rf.text())
	case errors.As(err, &shape):
		return sentence(shape.text())
	case errors.Is(err, ErrRefundPending):
		return "Alipay did not confirm the refund yet. It is recorded and is sent again, under the same refund number, until Alipay answers; Alipay pays a refund number out only once."
	case errors.As(err, new(*LedgerInUseError)):
		return "The ledger is in use by another kiosk. Close the other kiosk first."
	case errors.Is(err, ErrLedgerBusy):
		return "The ledger file was held by another program (a manager's \"kiosk ledger\" command or a backup) for too long, so it could not be used just now. Let that program finish; the kiosk tries again."
	case errors.As(err, new(*LedgerDamagedError)), errors.As(err, new(*LedgerMissingError)):
		return "The ledger file is damaged or missing. Ask the manager to restore it from a backup."
	case errors.Is(err, ErrLedger):
		return "The ledger could not be read or written. Check the disk; the kiosk tries again and settles the sale later."
	case errors.Is(err, ErrMismatch):
		return "Alipay's record of this payment does not match the sale, so it was not counted. Ask the manager to check the ledger."
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return "An answer from Alipay failed its signature check and was ignored. If this keeps happening, check the Alipay public key. " + askManager
	case errors.Is(err, alipay.ErrUnsignedError):
		return "Alipay refused the request with an unsigned error: " + errorDetail(err) + ". " + askManager
	case errors.Is(err, context.DeadlineExceeded):
		return "Alipay did not answer in time. Check the network connection."
	case errors.Is(err, alipay.ErrTransport):
		return "Alipay could not be reached. Check the network connection."
	case errors.Is(err, alipay.ErrUnexpectedResponse):
		return "Alipay's answer could not be understood. Try again; if it keeps happening, " + strings.ToLower(askManager[:1]) + askManager[1:]
	}
	return "Something went wrong: " + err.Error() + "."
}

func errorDetail(err error) string {
	var ae *alipay.Error
	if errors.As(err, &ae) {
		return fmt.Sprintf("%s (%s)", firstNonEmpty(ae.SubMsg, ae.Msg), firstNonEmpty(ae.SubCode, ae.Code))
	}
	return err.Error()
}

// alipayAdvice holds the sentences for the sub-codes a cashier is likely to
// meet; any other code is reported with Alipay's own message.
var alipayAdvice = map[string]string{
	"isv.invalid-app-id":               "the app id is invalid. " + askManager,
	"isv.invalid-signature":            "the kiosk's signature was not accepted: the app private key does not match the public key registered with Alipay. " + askManager,
	"isv.invalid-timestamp":            "the kiosk's clock is wrong. Ask the manager to set the date and time.",
	"ACQ.TRADE_HAS_SUCCESS":            "this order number was already paid. Start a new sale.",
	"ACQ.TRADE_HAS_CLOSE":              "this order was already closed. Start a new sale.",
	"ACQ.SELLER_BALANCE_NOT_ENOUGH":    "the shop's Alipay balance is too low for this. " + askManager,
	"ACQ.ACCESS_FORBIDDEN":             "this shop may not use face-to-face payment. " + askManager,
	"isv.insufficient-isv-permissions": "the app lacks the permission for this payment product. " + askManager,
}

func describeAlipayError(e *alipay.Error) string {
	code := firstNonEmpty(e.SubCode, e.Code)
	if e.Retryable() {
		return fmt.Sprintf("Alipay is busy (%s). The kiosk will try again.", code)
	}
	advice, ok := alipayAdvice[e.SubCode]
	if !ok {
		advice = strings.TrimSuffix(firstNonEmpty(e.SubMsg, e.Msg, "no reason given"), ".") + ". Try again; if it happens again, " +
			strings.ToLower(askManager[:1]) + askManager[1:]
	}
	reason, rest, _ := strings.Cut(advice, ". ")
	return fmt.Sprintf("Alipay rejected the request: %s (%s). %s", reason, code, rest)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// MaskAccount hides all but the edges of a buyer's account, so that no full
// account ever reaches the screen, a receipt or the ledger. Alipay usually
// masks buyer_logon_id itself; this is the belt to its braces.
func MaskAccount(account string) string {
	if account == "" || strings.Contains(account, "*") {
		return account
	}
	runes := []rune(account)
	if at := strings.IndexRune(account, '@'); at > 0 {
		name := []rune(account[:at])
		return maskRunes(name, min(3, len(name)/2), 0) + account[at:]
	}
	return maskRunes(runes, min(3, len(runes)/3), min(2, len(runes)/4))
}

func maskRunes(r []rune, keepHead, keepTail int) string {
	return string(r[:keepHead]) + strings.Repeat("*", len(r)-keepHead-keepTail) + string(r[len(r)-keepTail:])
}

// sentence makes a clause a sentence: a capital first, a full stop last.
func sentence(clause string) string {
	if clause == "" {
		return clause
	}
	return strings.ToUpper(clause[:1]) + clause[1:] + "."
}
