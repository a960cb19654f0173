package ui

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/words"
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

// badBreaks lists where lines break as a Chinese counter screen must not:
// a line that begins with closing punctuation, or a number (or a letter
// such as Z) at the end of a line whose next line begins with the Chinese
// word it counts or names.
func badBreaks(text string) []string {
	var bad []string
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if r := []rune(l); len(r) > 0 && strings.ContainsRune("，。、；：？！）」』】”’", r[0]) {
			bad = append(bad, "line begins with "+string(r[0])+": "+l)
		}
		if i == 0 {
			continue
		}
		prev := []rune(strings.TrimSpace(lines[i-1]))
		next := []rune(l)
		if len(prev) > 0 && len(next) > 0 && prev[len(prev)-1] < 0x80 &&
			(unicode.IsDigit(prev[len(prev)-1]) || unicode.IsLetter(prev[len(prev)-1])) && wide(next[0]) {
			bad = append(bad, "broken after "+string(prev)+" / "+l)
		}
	}
	return bad
}

// TestWrapTextBreaksChineseAsACounterScreenMust: at every width, the
// Chinese sentences with a number and its measure word, a Z report's
// number, full stops, brackets and quotes to close, wrap with no line that
// begins with closing punctuation and no number parted from what it
// counts.
func TestWrapTextBreaksChineseAsACounterScreenMust(t *testing.T) {
	zh := words.Chinese
	texts := []string{
		zh.Settle.WaitingBecause.F(1, "支付宝无应答（超时）。", zh.Duration(5*time.Second)),
		zh.Settle.Waiting.F(12, zh.Duration(5*time.Second)),
		zh.Problem.DayClosed.F("2026-11-22", "21:00:00", 1),
		"确认对今天（2026-11-22）进行日结？Z 报表只生成一次；日结后今天不能再收款，零点后才能继续收款。",
		zh.Paper.StillUnprinted.F("0001"), // “补打”: a quote a terminal draws narrow
	}
	for _, text := range texts {
		for width := 16; width <= 100; width++ { // narrower, the date in brackets is wider than a line
			got := wrapText(text, width)
			for _, b := range badBreaks(got) {
				t.Errorf("width %d: %s", width, b)
			}
			if squeeze(got) != squeeze(text) {
				t.Errorf("width %d: text changed:\n%s", width, got)
			}
			for _, line := range strings.Split(got, "\n") {
				if ansi.StringWidth(line) > width {
					t.Errorf("width %d: line %q is %d wide", width, line, ansi.StringWidth(line))
				}
			}
		}
	}
}

// TestChineseBannersWrapAsACounterScreenMust: the waiting banner and the
// closed day's line, on the sale screen at 80 and 100 columns, in Chinese.
func TestChineseBannersWrapAsACounterScreenMust(t *testing.T) {
	for _, w := range []int{80, 100} {
		f := newFakeCheckout()
		closedToday(f)
		f.ReconcileFn = func() ([]pos.Outcome, int, error) {
			return []pos.Outcome{{Status: pos.StatusUnknown, Cause: context.DeadlineExceeded}}, 1, nil
		}
		m := New(f, Options{Location: time.UTC, After: f.after, Words: words.Chinese})
		m = drive(t, m, tea.WindowSizeMsg{Width: w, Height: 24}, recoveredMsg{}, reconcileDueMsg{})
		s := screen(m)
		if !strings.Contains(squeeze(s), "1笔交易或退款在等待支付宝应答") || !strings.Contains(squeeze(s), "Z报表") {
			t.Fatalf("%d columns: the banners are not on screen:\n%s", w, s)
		}
		for _, b := range badBreaks(s) {
			t.Errorf("%d columns: %s\n%s", w, b, s)
		}
	}
}

// TestALongSubjectOnTheQRScreenEndsInAnEllipsis: a subject too long for
// the panel beside the code is cut with "…", so nobody takes the part
// shown for the whole; no line runs off the window.
func TestALongSubjectOnTheQRScreenEndsInAnEllipsis(t *testing.T) {
	subject := strings.Repeat("有机蔬菜礼盒", 10)
	for _, w := range []int{80, 100} {
		f := newFakeCheckout()
		f.cfg.Subject = subject
		m := New(f, Options{Location: time.UTC, After: f.after, Words: words.Chinese})
		m = drive(t, m, seq(msgs(tea.WindowSizeMsg{Width: w, Height: 30}, recoveredMsg{}), startSale)...)
		s := screen(m)
		if !strings.Contains(s, "有机蔬菜礼盒有机蔬菜") || !strings.Contains(s, "…") {
			t.Errorf("%d columns: the subject is not cut with an ellipsis:\n%s", w, s)
		}
		for _, l := range strings.Split(s, "\n") {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("%d columns: a line %d wide: %q", w, lw, l)
			}
		}
	}
}
