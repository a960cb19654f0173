package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// TestARecordThatDoesNotDecodeIsSaidFromItsFacts: a sale, a refund's sale
// or a Z report that does not decode is said by kiosk ledger check with
// why from the decoder's typed facts (the byte where its JSON breaks or
// stops, the field and the kinds it takes and holds), in Chinese without
// a word of English and without the decoder's own text.
func TestARecordThatDoesNotDecodeIsSaidFromItsFacts(t *testing.T) {
	const decoder = "json: cannot unmarshal string into Go struct field Sale.amount_fen of type int64"
	typed := pos.DecodeFault{Problem: pos.DecodeType, Offset: 38, Field: "amount_fen", Want: pos.JSONNumber, Has: pos.JSONText}
	for _, tt := range []struct {
		p      pos.CheckProblem
		zh, en string
	}{
		{pos.CheckProblem{Kind: pos.CheckSaleUndecodable, Key: "K1", Detail: decoder, Decode: typed},
			`交易 "K1" 无法解读：其字段 "amount_fen" 应为数字，而是文字`, `sale "K1" does not decode: its field "amount_fen" should be a number, but it is text`},
		{pos.CheckProblem{Kind: pos.CheckZUndecodable, Key: "2024-05-17", Detail: "unexpected end of JSON input",
			Decode: pos.DecodeFault{Problem: pos.DecodeCutShort, Offset: 36}},
			"Z 报表 2024-05-17 无法解读：其 JSON 在第 36 字节处中断，不完整", "Z report 2024-05-17 does not decode: its JSON stops after byte 36, before it is complete"},
		{pos.CheckProblem{Kind: pos.CheckRefundIndexUnreadable, Refund: "K1-R1", Sale: "K1", Detail: "invalid character 'x'",
			Decode: pos.DecodeFault{Problem: pos.DecodeSyntax, Offset: 22}},
			"退款索引列出了交易 K1 的退款 K1-R1，该交易无法解读：其 JSON 在第 22 字节处写法有误", "which does not decode: its JSON is broken at byte 22"},
		{pos.CheckProblem{Kind: pos.CheckSaleUndecodable, Key: "K2", Detail: "json: cannot unmarshal array into Go value of type store.Sale",
			Decode: pos.DecodeFault{Problem: pos.DecodeType, Offset: 1, Want: pos.JSONObject, Has: pos.JSONList}},
			`交易 "K2" 无法解读：其内容应为对象，而是列表`, `sale "K2" does not decode: it should be an object, but it is a list`},
	} {
		zh := checkProblemText(words.Chinese, tt.p)
		if en := latin.Words(zh); len(en) > 0 || zh != tt.zh {
			t.Errorf("kind %d in Chinese: %q, English %q; want %q", tt.p.Kind, zh, en, tt.zh)
		}
		if en := checkProblemText(words.English, tt.p); !strings.Contains(en, tt.en) || strings.Contains(en, tt.p.Detail) {
			t.Errorf("kind %d in English: %q; want %q, not the decoder's words", tt.p.Kind, en, tt.en)
		}
	}
}

// TestAListingThatMeetsARecordThatDoesNotDecodeSaysWhichAndWhy: a
// listing or report that meets a sale that does not decode refuses as a
// damaged ledger, naming the sale and why from the decoder's facts, and
// what to do, with the error in the chain; never the decoder's English.
func TestAListingThatMeetsARecordThatDoesNotDecodeSaysWhichAndWhy(t *testing.T) {
	cause := &pos.LedgerRecordError{Path: "/srv/kiosk/ledger.db", Bucket: "sales", Key: "KT1_A",
		Fault: pos.DecodeFault{Problem: pos.DecodeCutShort, Offset: 41}}
	for _, w := range words.All {
		Speak(w)
		err := LedgerTrouble(fmt.Errorf("read day 2024-05-17: %w", cause), "/srv/kiosk")
		Speak(words.English)
		why := w.System.LedgerRecord.F(w.System.RecordSale.F("KT1_A"), w.System.JSONCutShort.F(41))
		want := w.CLI.DamagedLedger.F("/srv/kiosk/ledger.db", why, w.CLI.RestoreAdvice, "/srv/kiosk")
		if err.Error() != want || !errors.Is(err, cause) {
			t.Errorf("%s: %q; want %q, the cause in the chain", w.Lang.Tag, err, want)
		}
		if en := latin.Words(err.Error(), "ledger", "check"); w == words.Chinese && len(en) > 0 { // the command to run
			t.Errorf("English %q in %q", en, err)
		}
	}
	if zh := words.Chinese.RecordText(cause); zh != "账本中的交易 KT1_A 无法解读：其 JSON 在第 41 字节处中断，不完整" {
		t.Errorf("RecordText: %q", zh)
	}
}
