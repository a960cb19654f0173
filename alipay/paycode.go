package alipay

import (
	"errors"
	"fmt"
)

// Shape of an Alipay payment code (付款码), the auth_code of
// alipay.trade.pay with scene bar_code: 16 to 24 digits, the first two
// between 25 and 30.
const (
	MinPaymentCodeLen = 16
	MaxPaymentCodeLen = 24
)

// ErrBadPaymentCode is wrapped by every *PaymentCodeError.
var ErrBadPaymentCode = errors.New("alipay: not an Alipay payment code")

// PaymentCodeProblem says what is wrong with a scanned payment code.
type PaymentCodeProblem int

// The problems CheckPaymentCode reports, in the order it looks for them.
const (
	// PaymentCodeEmpty: nothing was scanned.
	PaymentCodeEmpty PaymentCodeProblem = iota + 1
	// PaymentCodeNotDigits: something other than ASCII digits, such as a
	// URL, letters, a space or a carriage return a scanner left behind.
	PaymentCodeNotDigits
	// PaymentCodeBadLength: digits, but fewer than 16 or more than 24
	// (often a scan cut short or two scans run together).
	PaymentCodeBadLength
	// PaymentCodeBadPrefix: the right number of digits not starting with
	// 25 to 30, such as another wallet's payment code (WeChat Pay's begin
	// with 10 to 15).
	PaymentCodeBadPrefix
)

// String names the problem.
func (p PaymentCodeProblem) String() string {
	switch p {
	case PaymentCodeEmpty:
		return "empty"
	case PaymentCodeNotDigits:
		return "not only digits"
	case PaymentCodeBadLength:
		return fmt.Sprintf("not %d to %d digits", MinPaymentCodeLen, MaxPaymentCodeLen)
	case PaymentCodeBadPrefix:
		return "does not begin with 25 to 30"
	}
	return fmt.Sprintf("PaymentCodeProblem(%d)", int(p))
}

// PaymentCodeError is CheckPaymentCode's answer for something that cannot
// be an Alipay payment code. It does not hold the code itself: a payment
// code is a short-lived bearer token and does not belong in logs.
type PaymentCodeError struct {
	Problem PaymentCodeProblem
	Len     int // bytes scanned
}

// Error says what is wrong, e.g. "alipay: not an Alipay payment code: 15
// characters, not 16 to 24 digits".
func (e *PaymentCodeError) Error() string {
	return fmt.Sprintf("%v: %d characters, %v", ErrBadPaymentCode, e.Len, e.Problem)
}

// Unwrap makes errors.Is(err, ErrBadPaymentCode) hold.
func (e *PaymentCodeError) Unwrap() error { return ErrBadPaymentCode }

// CheckPaymentCode reports whether code has the shape of an Alipay
// payment code: 16 to 24 ASCII digits beginning with 25, 26, 27, 28, 29 or
// 30. It returns nil or a *PaymentCodeError. It is a pure function, so a
// till can refuse a bad scan before it writes or sends anything; Pay
// applies it too. Whether the code is still valid only Alipay knows.
func CheckPaymentCode(code string) error {
	problem := paymentCodeProblem(code)
	if problem == 0 {
		return nil
	}
	return &PaymentCodeError{Problem: problem, Len: len(code)}
}

// IsPaymentCode is CheckPaymentCode(code) == nil.
func IsPaymentCode(code string) bool { return paymentCodeProblem(code) == 0 }

// paymentCodeProblem is the first problem of code, 0 for none.
func paymentCodeProblem(code string) PaymentCodeProblem {
	switch {
	case code == "":
		return PaymentCodeEmpty
	case !isDigits(code):
		return PaymentCodeNotDigits
	case len(code) < MinPaymentCodeLen || len(code) > MaxPaymentCodeLen:
		return PaymentCodeBadLength
	}
	if prefix := code[:2]; prefix < "25" || prefix > "30" {
		return PaymentCodeBadPrefix
	}
	return 0
}
