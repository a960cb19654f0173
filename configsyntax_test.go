package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/internal/english"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// TestConfigMistakesAreSaidWhereAndWhatInEachLanguage: a config file the
// kiosk cannot read is refused in one line of the shop's language that
// says which line and column and what is wrong there, found in the file
// (a text without quotation marks, a quotation mark not closed, a setting
// set twice or without "=", a value of the wrong kind), never in the TOML
// parser's English; a mistake of another kind quotes the parser, marked
// as its text.
func TestConfigMistakesAreSaidWhereAndWhatInEachLanguage(t *testing.T) {
	const first = "app_id = \"2021000000000001\"\n"
	for _, tt := range []struct {
		name, body string
		facts      configError
		zh, en     string
	}{
		{"unquoted text", first + "gateway = sandbox\n", configError{Line: 2, Col: 11, Problem: configUnquoted, Key: "gateway", Value: "sandbox"},
			`第 2 行第 11 列：文字值须加英文双引号：gateway = "sandbox"`, `line 2 column 11: a text value goes in quotation marks: gateway = "sandbox"`},
		{"unquoted duration", "qr_timeout = 2m\n", configError{Line: 1, Col: 15, Problem: configUnquoted, Key: "qr_timeout", Value: "2m"},
			`第 1 行第 15 列：文字值须加英文双引号：qr_timeout = "2m"`, `qr_timeout = "2m"`},
		{"quotation not closed", first + "shop_name = \"Corner Shop\n", configError{Line: 2, Col: 25, Problem: configUnclosed, Key: "shop_name"},
			"第 2 行第 25 列：此行有一个引号没有闭合", "line 2 column 25: a quotation mark opened on this line is not closed"},
		{"set twice", first + "gateway = \"sandbox\"\napp_id = \"2021000000000002\"\n", configError{Line: 3, Col: 1, Problem: configTwice, Key: "app_id", FirstLine: 1},
			"第 3 行第 1 列：app_id 设置了两次：第 1 行已设置过", "line 3 column 1: app_id is set twice: it was set on line 1 already"},
		{"no equals sign", first + "lang: \"zh\"\n", configError{Line: 2, Col: 5, Problem: configNoEquals, Key: "lang"},
			"第 2 行第 5 列：设置须用等号书写：lang = 值", "line 2 column 5: a setting is written with an equals sign: lang = value"},
		{"a number for text", "gateway = \"sandbox\"\napp_id = 2021000000000001\n", configError{Line: 2, Problem: configType, Key: "app_id", Want: valueText, Has: valueNumber},
			`第 2 行：app_id 应为加英文双引号的文字（app_id = "…"），而不是数字`, `line 2: app_id must be text in quotation marks (app_id = "…"), but it is a number`},
		{"a number for text, its name quoted", "# the gateway\n\n\"gateway\" = \"sandbox\"\n'app_id' = 2021000000000001\n", configError{Line: 4, Problem: configType, Key: "app_id", Want: valueText, Has: valueNumber},
			`第 4 行：app_id 应为加英文双引号的文字`, `line 4: app_id must be text in quotation marks`},
		{"text for true or false", "printer_qr = \"yes\"\n", configError{Line: 1, Problem: configType, Key: "printer_qr", Want: valueBool, Has: valueText},
			"第 1 行：printer_qr 应为`true` 或 `false`（不加引号），而不是文字", "line 1: printer_qr must be true or false, without quotation marks, but it is text"},
		// Of a kind the TOML parser wraps, told by its type, with its facts.
		{"control character", "shop_name = \"a\x01b\"\n", configError{Line: 1, Col: 14, Problem: configControl, Key: "shop_name", Value: "U+0001"},
			"第 1 行第 14 列：配置文件中不能有控制字符（U+0001）：请删除它", "line 1 column 14: a control character (U+0001) cannot be in a config file: delete it"},
		{"not UTF-8", "shop_name = \"\xffb\"\n", configError{Line: 1, Col: 13, Problem: configEncoding, Key: "shop_name", Value: "0xFF"},
			"第 1 行第 13 列：文件不是 UTF-8 文本（此处有字节 0xFF）：请以 UTF-8 编码另存", "line 1 column 13: the file is not UTF-8 text (byte 0xFF here): save it as UTF-8"},
		{"unknown escape", first + "data_dir = \"C:\\kiosk\\data\"\n", configError{Line: 2, Col: 13, Problem: configEscape, Key: "data_dir", Value: `\k`},
			`第 2 行第 13 列：双引号内的 \k 不是有效的转义`, `line 2 column 13: \k is no escape in quotation marks`},
		{"no date", "shop_name = 2026-13-45\n", configError{Line: 1, Col: 13, Problem: configDate, Key: "shop_name", Value: "2026-13-45"},
			`第 1 行第 13 列：2026-13-45 不是有效的日期或时间；如果是文字，请写成 shop_name = "2026-13-45"`, `line 1 column 13: 2026-13-45 is no date or time; if it is text, write shop_name = "2026-13-45"`},
		{"number too large", "qr_timeout = 99999999999999999999\n", configError{Line: 1, Col: 14, Problem: configTooLarge, Key: "qr_timeout", Value: "99999999999999999999"},
			"第 1 行第 14 列：数字 99999999999999999999 太大", "line 1 column 14: 99999999999999999999 is too large a number"},
		{"text run on", "shop_name = 'Corner\nShop'\n", configError{Line: 1, Col: 20, Problem: configUnclosed, Key: "shop_name"},
			"第 1 行第 20 列：此行有一个引号没有闭合", "line 1 column 20: a quotation mark opened on this line is not closed"},
		// Of a kind found in the file at the place the parser points at.
		{"UTF-16", "\xff\xfea\x00=\x001\x00\n", configError{Problem: configUTF16},
			"kiosk.toml：文件含有空字节，像 UTF-16 编码的文本：请以 UTF-8 编码另存", "kiosk.toml: the file holds NUL bytes, as UTF-16 text does: save it as UTF-8"},
		{"short escape", "shop_name = \"\\u12\"\n", configError{Line: 1, Col: 14, Problem: configEscape, Key: "shop_name", Value: `\u`},
			`第 1 行第 14 列：双引号内的 \u 不是有效的转义`, `line 1 column 14: \u is no escape in quotation marks`},
		{"set again as a table", first + "[app_id]\n", configError{Line: 2, Col: 2, Problem: configTwice, Key: "app_id", FirstLine: 1},
			"第 2 行第 2 列：app_id 设置了两次：第 1 行已设置过", "line 2 column 2: app_id is set twice: it was set on line 1 already"},
		{"table header", first + "[section\n", configError{Line: 2, Col: 9, Problem: configTable, Value: "[section"},
			"第 2 行第 9 列：[section 不是有效的表头；收银台的设置不分表，每项写成 名称 = 值", "line 2 column 9: [section is not a table header TOML can read"},
		{"no value", first + "gateway =\n", configError{Line: 2, Col: 10, Problem: configNoValue, Key: "gateway"},
			`第 2 行第 10 列："gateway =" 后面缺少值`, `line 2 column 10: nothing follows "gateway ="`},
		{"no value at the end", first + "gateway =", configError{Line: 2, Col: 9, Problem: configNoValue, Key: "gateway"},
			`第 2 行第 9 列："gateway =" 后面缺少值`, `line 2 column 9: nothing follows "gateway ="`},
		{"no name", first + "= \"sandbox\"\n", configError{Line: 2, Col: 1, Problem: configNoKey},
			`第 2 行第 1 列："=" 前面缺少设置名`, `line 2 column 1: the name of a setting is missing before "="`},
		{"number written wrong", "qr_timeout = 1__2\n", configError{Line: 1, Col: 14, Problem: configNumber, Key: "qr_timeout", Value: "1__2"},
			"第 1 行第 14 列：1__2 不是正确的数字写法", "line 1 column 14: 1__2 is not written as a number is"},
		{"a name alone", first + "gateway\n", configError{Line: 2, Col: 8, Problem: configNoEquals, Key: "gateway"},
			"第 2 行第 8 列：设置须用等号书写：gateway = 值", "line 2 column 8: a setting is written with an equals sign: gateway = value"},
		{"stray character", "gateway = \"sandbox\" production\n", configError{Line: 1, Col: 20, Problem: configStray, Value: `"p"`},
			`第 1 行第 20 列：此处不应有 "p"：每行写一项设置，名称 = 值`, `line 1 column 20: "p" is not expected here: write one setting a line, name = value`},
		{"list not closed", "app_id = [\"1\" \"2\"]\n", configError{Line: 1, Col: 15, Problem: configStray, Key: "app_id", Value: `'"'`},
			`第 1 行第 15 列：此处不应有 '"'：`, `line 1 column 15: '"' is not expected here`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "kiosk.toml", tt.body)
			for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
				err := dispatch([]string{"--config", path, "--data", filepath.Join(t.TempDir(), "data"), "--lang", lang})
				speak(words.English)
				var ce *configError
				if !errors.As(err, &ce) || !errors.As(err, new(cli.UsageError)) {
					t.Fatalf("%s: dispatch = %v; want a usage error holding a *configError", lang, err)
				}
				got := *ce
				got.Path, got.Parser, got.text = "", "", ""
				if got != tt.facts {
					t.Errorf("%s: facts %+v; want %+v", lang, got, tt.facts)
				}
				msg := err.Error()
				if !strings.Contains(msg, path) || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
					t.Errorf("%s: %q; want one line naming the file and saying %q", lang, msg, want)
				}
				if en := english.Words(msg); lang == "zh" && len(en) > 0 {
					t.Errorf("English %q in %q", en, msg)
				}
			}
		})
	}
}

// TestConfigMistakeOfNoKnownKindQuotesTheParser: the last resort, a
// mistake the file does not show and the parser wraps no error of a known
// kind for, says the parser's message as its quotation, marked as its
// words, in both languages.
func TestConfigMistakeOfNoKnownKindQuotesTheParser(t *testing.T) {
	for _, w := range words.All {
		speak(w)
		e := (&configError{Path: "/etc/kiosk.toml", Line: 3, Col: 7, Parser: `a "mistake"`}).worded()
		speak(words.English)
		want := w.Config.Syntax.F("/etc/kiosk.toml", 3, 7, w.Config.SyntaxOther.F("a 'mistake'"))
		if e.Error() != want {
			t.Errorf("%s: %q; want %q", w.Lang.Tag, e.Error(), want)
		}
		if en := english.Words(e.Error()); w == words.Chinese && len(en) > 0 {
			t.Errorf("English %q outside the quotation in %q", en, e.Error())
		}
	}
}
