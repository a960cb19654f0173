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
		{"text for true or false", "printer_qr = \"yes\"\n", configError{Line: 1, Problem: configType, Key: "printer_qr", Want: valueBool, Has: valueText},
			"第 1 行：printer_qr 应为`true` 或 `false`（不加引号），而不是文字", "line 1: printer_qr must be true or false, without quotation marks, but it is text"},
		{"another mistake", first + "[section\n", configError{Line: 2, Col: 9, Problem: configOther},
			`第 2 行第 9 列：不是收银台能读的 TOML 写法（TOML 解析器原文："`, `line 2 column 9: this is not TOML the kiosk can read (the TOML parser said "`},
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
