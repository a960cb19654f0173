package pos

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"kiosk/alipay"
)

// InputError is a cashier's typing mistake. Its message is a plain sentence
// meant for the screen.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

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
		return 0, &InputError{"Type the amount in yuan, for example 12.34."}
	case utf8.RuneCountInString(s) > maxAmountInput:
		return 0, &InputError{"That amount is far too long. Type the amount in yuan, for example 12.34."}
	}
	fen, err := alipay.ParseAmount(s)
	if err != nil {
		return 0, &InputError{describeAmountSyntax(s)}
	}
	return fen, checkRange(fen)
}

// normalizeAmount accepts what Chinese input methods and hurried cashiers
// type: full-width digits (１２．３４), "12." and ".5".
func normalizeAmount(s string) string {
	s = strings.TrimSpace(width.Narrow.String(s))
	s = strings.ReplaceAll(s, "。", ".")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	return strings.TrimSuffix(s, ".")
}

func describeAmountSyntax(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 && !strings.ContainsFunc(s, notDigitOrDot) {
		return "Use at most two decimals (fen), for example 12.34."
	}
	return fmt.Sprintf("%q is not an amount. Use digits and at most two decimals, for example 12.34.", s)
}

func notDigitOrDot(r rune) bool { return r != '.' && (r < '0' || r > '9') }

func checkRange(fen int64) error {
	switch {
	case fen < alipay.MinAmountFen:
		return &InputError{"The amount must be at least 0.01."}
	case fen > alipay.MaxAmountFen:
		return &InputError{"The amount must be at most 100000000.00 (Alipay's limit for one payment)."}
	}
	return nil
}

// FormatAmount renders fen as yuan with two decimals, for the screen.
func FormatAmount(fen int64) string { return alipay.FormatAmount(fen) }

// IsInputError reports whether err is a cashier's input mistake.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
