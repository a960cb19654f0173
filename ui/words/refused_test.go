package words

import (
	"strings"
	"testing"
	"unicode"

	latin "kiosk/internal/english"
	"kiosk/pos"
)

// TestAlipaysCommonRefusalsHaveWordsInEachLanguage: each common sub_code
// Alipay refuses with is said from the catalogue, what it means and what
// to do, in the screen's language: a Chinese screen holds no English (not
// Alipay's msg "Business Failed"), an English one no Chinese (not
// Alipay's sub_msg), and neither quotes Alipay's own texts.
func TestAlipaysCommonRefusalsHaveWordsInEachLanguage(t *testing.T) {
	for _, code := range []string{
		"ACQ.TRADE_NOT_EXIST", "ACQ.SYSTEM_ERROR", "ACQ.INVALID_PARAMETER", "ACQ.ACCESS_FORBIDDEN",
		"ACQ.EXIST_FORBIDDEN_WORD", "ACQ.TOTAL_FEE_EXCEED", "ACQ.PAYMENT_AUTH_CODE_INVALID", "ACQ.TRADE_HAS_SUCCESS",
		"ACQ.TRADE_HAS_CLOSE", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "ACQ.REASON_TRADE_BEEN_FREEZEN", "ACQ.CONTEXT_INCONSISTENT",
		"ACQ.TRADE_STATUS_ERROR", "ACQ.BUYER_SELLER_EQUAL", "ACQ.PAYMENT_FAIL", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
		"ACQ.SELLER_BEEN_BLOCKED", "isv.invalid-app-id", "isv.invalid-signature", "aop.invalid-app-auth-token",
	} {
		p := pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", Msg: "Business Failed", SubCode: code, SubMsg: "支付宝的说明"}
		zh, en := Chinese.ExplainProblem(p), English.ExplainProblem(p)
		if found := latin.Words(zh); len(found) > 0 || strings.Contains(zh, p.SubMsg) || !strings.Contains(zh, code) {
			t.Errorf("%s in Chinese: %q (English %q); want the catalogue's words and the code", code, zh, found)
		}
		if strings.IndexFunc(en, isHan) >= 0 || strings.Contains(en, p.Msg) || !strings.Contains(en, code) {
			t.Errorf("%s in English: %q; want the catalogue's words and the code", code, en)
		}
		p.Kind, p.NotStarted = pos.KindUnsigned, false
		if zh := Chinese.ExplainProblem(p); len(latin.Words(zh)) > 0 || strings.Contains(zh, p.Msg) {
			t.Errorf("%s unsigned, in Chinese: %q", code, zh)
		}
	}
}

// TestAlipaysOwnReasonIsMarkedAsItsText: for a sub_code without words,
// Alipay's sub_msg (Chinese) stands as it is on a Chinese screen and is
// marked as Alipay's text on an English one; its msg (English) alone is
// marked as Alipay's text on a Chinese screen.
func TestAlipaysOwnReasonIsMarkedAsItsText(t *testing.T) {
	subMsg := pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", Msg: "Business Failed", SubCode: "ACQ.SOMETHING_NEW", SubMsg: "新的原因。"}
	msgOnly := pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", Msg: "Business Failed"}
	for _, tt := range []struct {
		w    *Words
		p    pos.Problem
		want string
	}{
		{Chinese, subMsg, "支付宝拒绝了请求：新的原因（ACQ.SOMETHING_NEW）。"},
		{English, subMsg, `Alipay rejected the request: "新的原因", in Alipay's words (ACQ.SOMETHING_NEW).`},
		{Chinese, msgOnly, `支付宝拒绝了请求：支付宝原文："Business Failed"（40004）。`},
		{English, msgOnly, `Alipay rejected the request: "Business Failed", in Alipay's words (40004).`},
	} {
		got := tt.w.ExplainProblem(tt.p)
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q; want it to begin %q", tt.w.Lang.Tag, got, tt.want)
		}
		if en := latin.Words(got); tt.w == Chinese && len(en) > 0 {
			t.Errorf("English %q outside Alipay's marked text in %q", en, got)
		}
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
