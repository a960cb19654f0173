package words

import (
	"reflect"
	"regexp"
	"testing"
)

// TestChineseQuotesSettingsAsTheCatalogueDoes: in Chinese a setting's
// name or value a message quotes goes between “”, as the rest of the
// catalogue quotes what was typed (lang “fr”, 未知命令“x”), never between
// Go's straight quotes (%q). printer keeps %q: its address may hold the
// control characters the message is about, which %q shows escaped.
func TestChineseQuotesSettingsAsTheCatalogueDoes(t *testing.T) {
	quoteVerb := regexp.MustCompile(`%(\[\d+\])?q`)
	check := func(path string, v reflect.Value) {
		var walk func(string, reflect.Value)
		walk = func(path string, v reflect.Value) {
			switch v.Kind() {
			case reflect.String:
				if path != "Config.PrinterAddress" && quoteVerb.MatchString(v.String()) {
					t.Errorf("%s quotes with %%q: %s", path, v.String())
				}
			case reflect.Struct:
				for i := range v.NumField() {
					walk(path+"."+v.Type().Field(i).Name, v.Field(i))
				}
			}
		}
		walk(path, v)
	}
	check("Config", reflect.ValueOf(Chinese.Config))
	for _, s := range []struct{ name, text string }{
		{"Usage.BadDuration", string(Chinese.Usage.BadDuration)},
		{"Usage.NotFlagValue", string(Chinese.Usage.NotFlagValue)},
		{"CLI.BadDate", string(Chinese.CLI.BadDate)},
	} {
		if quoteVerb.MatchString(s.text) {
			t.Errorf("%s quotes with %%q: %s", s.name, s.text)
		}
	}
}
