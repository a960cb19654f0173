package pos

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"kiosk/alipay"
)

// InputError is a cashier's typing mistake, with what was wrong: the
// screens say it in words.
type InputError struct {
	Problem InputProblem
	Text    string // what was typed, for AmountNotANumber
}

// InputProblem is what is wrong with what the cashier typed.
type InputProblem string

// The mistakes in an amount.
const (
	AmountMissing    InputProblem = "amount-missing"      // nothing typed
	AmountTooLong    InputProblem = "amount-too-long"     // far more than any amount
	AmountDecimals   InputProblem = "amount-decimals"     // more than two decimals
	AmountNotANumber InputProblem = "amount-not-a-number" // not digits with at most two decimals
	AmountTooSmall   InputProblem = "amount-too-small"    // below Alipay's 0.01
	AmountTooLarge   InputProblem = "amount-too-large"    // above Alipay's 100000000.00
)

// Error is a diagnostic; the screens word the Problem.
func (e *InputError) Error() string {
	if e.Text != "" {
		return fmt.Sprintf("amount %q: %s", e.Text, e.Problem)
	}
	return "amount: " + string(e.Problem)
}

// maxAmountInput bounds what is even looked at, so a pasted novel is
// rejected by length rather than echoed back.
const maxAmountInput = 16

// ParseAmount turns what the cashier typed (yuan, such as "12.34") into fen.
// It accepts digits with at most two decimals within Alipay's range
// 0.01–100000000 yuan, and answers anything else with an *InputError.
func ParseAmount(s string) (int64, error) {
	s = normalizeAmount(s)
	switch {
	case s == "":
		return 0, &InputError{Problem: AmountMissing}
	case utf8.RuneCountInString(s) > maxAmountInput:
		return 0, &InputError{Problem: AmountTooLong}
	}
	fen, err := alipay.ParseAmount(s)
	if err != nil {
		return 0, amountSyntax(s)
	}
	return fen, checkRange(fen)
}

// normalizeAmount accepts what Chinese input methods and hurried cashiers
// type: full-width digits (１２．３４), the ideographic full stop as the
// decimal point (12。34; narrowed, it is the half-width ｡), "12." and ".5".
func normalizeAmount(s string) string {
	s = strings.TrimSpace(width.Narrow.String(s))
	s = strings.NewReplacer("。", ".", "｡", ".").Replace(s)
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	return strings.TrimSuffix(s, ".")
}

func amountSyntax(s string) *InputError {
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 && strings.Count(s, ".") == 1 && !strings.ContainsFunc(s, notDigitOrDot) {
		return &InputError{Problem: AmountDecimals}
	}
	return &InputError{Problem: AmountNotANumber, Text: s}
}

func notDigitOrDot(r rune) bool { return r != '.' && (r < '0' || r > '9') }

func checkRange(fen int64) error {
	switch {
	case fen < alipay.MinAmountFen:
		return &InputError{Problem: AmountTooSmall}
	case fen > alipay.MaxAmountFen:
		return &InputError{Problem: AmountTooLarge}
	}
	return nil
}

// FormatAmount writes fen as yuan with two decimals, "12.34", as Alipay
// writes money; the screens' money (package ui/words) is written with it.
func FormatAmount(fen int64) string { return alipay.FormatAmount(fen) }

// IsInputError reports whether err is a cashier's input mistake.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
