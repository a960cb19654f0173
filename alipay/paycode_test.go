package alipay

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPaymentCode(t *testing.T) {
	good := []string{
		"2500000000000000",         // 16 digits, lowest prefix
		"281234567890123456",       // the usual 18
		"300000000000000000000000", // 24 digits, highest prefix
		"2999999999999999",
	}
	for _, code := range good {
		if err := CheckPaymentCode(code); err != nil || !IsPaymentCode(code) {
			t.Errorf("CheckPaymentCode(%q) = %v, want nil", code, err)
		}
	}
	bad := map[string]PaymentCodeProblem{
		"":                           PaymentCodeEmpty,
		"28123456789012345\r":        PaymentCodeNotDigits,
		" 281234567890123456":        PaymentCodeNotDigits,
		"2812345678901234５6":         PaymentCodeNotDigits, // a full-width digit
		"https://qr.alipay.com/bax1": PaymentCodeNotDigits,
		"28123456789012a456":         PaymentCodeNotDigits,
		"281234567890123":            PaymentCodeBadLength, // 15
		strings.Repeat("2", 25):      PaymentCodeBadLength,
		"6901234567892":              PaymentCodeBadLength, // EAN-13 product barcode
		"134567890123456789":         PaymentCodeBadPrefix, // a WeChat Pay code
		"241234567890123456":         PaymentCodeBadPrefix,
		"311234567890123456":         PaymentCodeBadPrefix,
		"0281234567890123":           PaymentCodeBadPrefix,
	}
	for code, want := range bad {
		err := CheckPaymentCode(code)
		var pe *PaymentCodeError
		if !errors.As(err, &pe) || pe.Problem != want || pe.Len != len(code) || !errors.Is(err, ErrBadPaymentCode) || IsPaymentCode(code) {
			t.Errorf("CheckPaymentCode(%q) = %v, want problem %v", code, err, want)
			continue
		}
		if code != "" && strings.Contains(err.Error(), code) {
			t.Errorf("the error %q repeats the code", err)
		}
	}
}
