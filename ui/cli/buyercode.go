package cli

import (
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
		return UsageText(say.Console.AuthCode.F(say.Explain(err)), err)
	}
	return nil
}
