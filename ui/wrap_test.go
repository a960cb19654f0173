package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapTextKeepsCodesWhole: a code or a number is never split, whatever
// the width; Chinese text breaks between characters, English between
// words; no line is wider than the width unless one word is.
func TestWrapTextKeepsCodesWhole(t *testing.T) {
	tests := []struct {
		text  string
		whole []string
	}{
		{"支付宝拒绝了请求：顾客余额不足（ACQ.BUYER_BALANCE_NOT_ENOUGH），请顾客换一种付款方式后重新收款。", []string{"（ACQ.BUYER_BALANCE_NOT_ENOUGH），"}},
		{"Alipay refused the payment: the customer's balance is too low (ACQ.BUYER_BALANCE_NOT_ENOUGH). Ask for another way to pay.", []string{"(ACQ.BUYER_BALANCE_NOT_ENOUGH)."}},
		{"退款单号 KT1_20261202001835318_C5AKV_R1 已完成", []string{"KT1_20261202001835318_C5AKV_R1"}},
	}
	for _, tt := range tests {
		for width := 34; width <= 60; width++ {
			got := wrapText(tt.text, width)
			for _, line := range strings.Split(got, "\n") {
				if ansi.StringWidth(line) > width {
					t.Errorf("width %d: line %q is %d wide", width, line, ansi.StringWidth(line))
				}
				if strings.HasPrefix(line, "，") || strings.HasPrefix(line, "）") || strings.HasPrefix(line, " ") {
					t.Errorf("width %d: line %q begins with punctuation or a space", width, line)
				}
			}
			for _, w := range tt.whole {
				if !strings.Contains(got, w) {
					t.Errorf("width %d: %q broken:\n%s", width, w, got)
				}
			}
			if squeeze(got) != squeeze(tt.text) {
				t.Errorf("width %d: text changed:\n%s", width, got)
			}
		}
	}
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
