package alipay

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrBadAmount is wrapped by every error ParseAmount returns.
var ErrBadAmount = errors.New("alipay: malformed amount")

// MinAmountFen and MaxAmountFen bound total_amount as Alipay accepts it:
// 0.01 to 100000000.00 yuan.
const (
	MinAmountFen = 1
	MaxAmountFen = 100000000 * 100
)

// maxAmountLen is longer than any amount that fits in int64 fen
// (19 digits plus a point and two decimals); longer inputs are rejected
// before any work is done on them.
const maxAmountLen = 24

// FormatAmount writes fen as yuan with exactly two decimals, the form Alipay
// expects for every amount: 1234 -> "12.34", 5 -> "0.05", -5 -> "-0.05".
func FormatAmount(fen int64) string {
	sign := ""
	// Work on the magnitude as uint64 so that math.MinInt64 does not overflow.
	mag := uint64(fen)
	if fen < 0 {
		sign = "-"
		mag = -mag
	}
	return fmt.Sprintf("%s%d.%02d", sign, mag/100, mag%100)
}

// ParseAmount reads a yuan amount as Alipay writes it ("12.34", "12.3", "12")
// and returns fen. It accepts only ASCII digits with an optional point
// followed by one or two digits: no sign, exponent, spaces, "1." or ".5".
// It does not check the range; compare with MinAmountFen and MaxAmountFen.
// Errors wrap ErrBadAmount.
func ParseAmount(s string) (int64, error) {
	if len(s) > maxAmountLen {
		return 0, fmt.Errorf("%w: %d characters is too long", ErrBadAmount, len(s))
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !isDigits(whole) || (hasPoint && !isDigits(frac)) {
		return 0, fmt.Errorf("%w: %q", ErrBadAmount, s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%w: %q has more than two decimals", ErrBadAmount, s)
	}
	yuan, err := strconv.ParseUint(whole, 10, 63)
	if err != nil || yuan > math.MaxInt64/100 {
		return 0, fmt.Errorf("%w: %q is out of range", ErrBadAmount, s)
	}
	fen := int64(yuan) * 100
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		f, _ := strconv.Atoi(frac) // two checked digits
		if fen > math.MaxInt64-int64(f) {
			return 0, fmt.Errorf("%w: %q is out of range", ErrBadAmount, s)
		}
		fen += int64(f)
	}
	return fen, nil
}

// isDigits reports whether s is non-empty and all ASCII digits. strconv
// alone would let through forms such as "+5" or "1_000" in other bases.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wireAmount reads an optional amount of a verified response; absent is 0.
func wireAmount(method, field, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	fen, err := ParseAmount(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %s: %w", ErrUnexpectedResponse, method, field, err)
	}
	return fen, nil
}
