package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/internal/english"
)

// TestAnEmulatorStateFileItCannotUseIsSaidFromItsFacts: kiosk emulator
// serve on a state file it cannot use refuses in one line of the shop's
// language naming the file, the line of its journal and what is wrong,
// the JSON's fault from the decoder's typed errors (the byte where it
// breaks or stops, the field and the kinds), exits 2 and leaves the file
// as it was; never the emulator's or the decoder's English in Chinese.
func TestAnEmulatorStateFileItCannotUseIsSaidFromItsFacts(t *testing.T) {
	const header = `{"version":2}` + "\n"
	for _, tt := range []struct {
		name, state, zh, en string
	}{
		{"cut short", `{"version":1,`, "其 JSON 在第 13 字节处中断，不完整", "its JSON stops after byte 13, before it is complete"},
		{"not JSON", `garbage`, "其 JSON 在第 1 字节处写法有误", "its JSON is broken at byte 1"},
		{"text for a number", `{"version":"1"}`, `其字段 "version" 应为数字，而是文字`, `its field "version" should be a number, but it is text`},
		{"a number for text", `{"version":1,"trades":[{"out_trade_no":5}]}`,
			`其字段 "trades.out_trade_no" 应为文字，而是数字`, `its field "trades.out_trade_no" should be text, but it is a number`},
		{"another version", `{"version":7}`, "其版本为 7，本模拟器只能读取版本 1", "it is of version 7; this emulator reads version 1"},
		{"more after", `{"version":1} {}`, "其 JSON 之后还有多余的内容", "there is more after its JSON"},
		{"a trade against the rules", `{"version":1,"trades":[{"out_trade_no":"KT1_A"}]}`,
			"交易 KT1_A 不符合模拟器对交易的规则", "trade KT1_A breaks the emulator's rules for a trade"},
		{"a journal's line cut short", header + `{"out_trade_no":` + "\n{}\n", "第 2 行：其 JSON 在第 16 字节处中断，不完整", "line 2: its JSON stops after byte 16"},
		{"a journal's line with more", header + `{"out_trade_no":"K"} x` + "\n{}\n", "第 2 行：其 JSON 之后还有多余的内容", "line 2: there is more after its JSON"},
		{"a journal's empty code", header + `{"buyer_code":null}` + "\n{}\n", "第 2 行：这是一行付款码记录，却没有付款码", "line 2: it is a buyer code's line without a code"},
		{"an unknown member", `{"version":1,"zzz":1}`, `其 JSON 中有模拟器不认识的成员 "zzz"`, `its JSON has a member "zzz" that the emulator does not know`},
		{"an unknown member of a trade", header + `{"out_trade_no":"K","colour":"red"}` + "\n{}\n",
			`第 2 行：其 JSON 中有模拟器不认识的成员 "colour"`, `line 2: its JSON has a member "colour" that the emulator does not know`},
		{"an unknown member of a code", `{"version":1,"trades":[],"buyer_codes":[{"code":"1","Colour":1}]}`,
			`其 JSON 中有模拟器不认识的成员 "buyer_codes.Colour"`, `its JSON has a member "buyer_codes.Colour"`},
		{"a code against the rules", header + `{"buyer_code":{"code":"12"}}` + "\n", "付款码 12 不符合模拟器对付款码的规则", "buyer code 12 breaks the emulator's rules for a code"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state := writeFile(t, t.TempDir(), "trades.json", tt.state)
			for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
				_, diag, status := kioskRunIn(t, lang, "emulator", "serve", "--addr", "127.0.0.1:0",
					"--keys", filepath.Join(t.TempDir(), "keys"), "--state", state)
				if status != exitUsage || strings.Count(diag, "\n") != 1 || !strings.Contains(diag, state) || !strings.Contains(diag, want) {
					t.Errorf("%s: status %d, %q; want one line naming %s and saying %q", lang, status, diag, state, want)
				}
				if en := english.Words(diag); lang == "zh" && len(en) > 0 {
					t.Errorf("English %q in %q", en, diag)
				}
			}
			if b, err := os.ReadFile(state); err != nil || string(b) != tt.state {
				t.Errorf("the state file was changed: %q, %v", b, err)
			}
		})
	}
}
