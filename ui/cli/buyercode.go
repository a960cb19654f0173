package cli

import (
	"errors"
	"fmt"
	"io"

	"kiosk/pos"
)

// BuyerCode prints a payment code the emulated customer shows: its digits
// on one line and nothing else, so that a script can take it as a
// scanner would type it.
func BuyerCode(w io.Writer, code string) {
	fmt.Fprintln(w, code)
}

// Confirmed says the emulated customer confirmed the charge of code.
func Confirmed(w io.Writer, code string) {
	fmt.Fprintln(w, say.Console.Confirmed.F(code))
}

// checkAuthCode refuses, before anything is sent, a --auth-code that is no
// Alipay payment code.
func checkAuthCode(code string) error {
	if code == "" {
		return UsageText(say.Console.AuthCodeRequired, nil)
	}
	if err := pos.CheckPaymentCode(code); err != nil {
		return UsageText(say.Console.AuthCode.F(authCodeProblem(err)), err)
	}
	return nil
}

// authCodeProblem is what is wrong with a payment code given on the
// command line, in a developer's words rather than the cashier's.
func authCodeProblem(err error) string {
	var pe *pos.PaymentCodeError
	if !errors.As(err, &pe) {
		return say.Explain(err)
	}
	c := &say.Console
	switch pe.Problem {
	case pos.CodeEmpty:
		return c.AuthCodeRequired
	case pos.CodeNotDigits:
		return c.AuthDigits
	case pos.CodeBadLength:
		return c.AuthLength.F(pe.Len, pos.MinPaymentCodeLen, pos.MaxPaymentCodeLen)
	}
	return c.AuthPrefix
}
