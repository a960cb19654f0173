package words

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestChineseEndsItsSentencesAsEnglishDoes: where English ends a whole
// sentence with its full stop (or ? or !), Chinese ends it with 。 (？, ！),
// and where English's is a title, a label, a heading, a status line or a
// line of a list or an error (kiosk: …) with no stop, Chinese puts none
// either; but a Chinese message of more than one sentence ends its last
// with 。 too, as it ends the others. A blank at the end ("%s") ends as
// whatever fills it, and is left alone; so is an abbreviation ("Refund
// no.") and a command to type on a line of its own.
func TestChineseEndsItsSentencesAsEnglishDoes(t *testing.T) {
	var bad []string
	var walk func(path string, en, zh reflect.Value)
	walk = func(path string, en, zh reflect.Value) {
		switch en.Kind() {
		case reflect.String:
			if msg := stopsDiffer(en.String(), zh.String()); msg != "" {
				bad = append(bad, path+": "+msg)
			}
		case reflect.Struct:
			for i := range en.NumField() {
				walk(path+"."+en.Type().Field(i).Name, en.Field(i), zh.Field(i))
			}
		case reflect.Map:
			for _, k := range en.MapKeys() {
				if z := zh.MapIndex(k); z.IsValid() {
					walk(path+"["+k.String()+"]", en.MapIndex(k), z)
				}
			}
		case reflect.Array, reflect.Slice:
			for i := range min(en.Len(), zh.Len()) {
				walk(path, en.Index(i), zh.Index(i))
			}
		}
	}
	walk("Words", reflect.ValueOf(English).Elem(), reflect.ValueOf(Chinese).Elem())
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// stopsDiffer says how the two end differently, "" when they agree.
func stopsDiffer(en, zh string) string {
	en = strings.TrimSuffix(strings.TrimRight(en, " \n"), " ←") // a key's hint after the question
	zh = strings.TrimSuffix(strings.TrimRight(zh, " \n"), "←")
	if en == "" || zh == "" || endsInBlank(en) && endsInBlank(zh) || endsInCommand(en) && endsInCommand(zh) {
		return ""
	}
	abbreviated := strings.HasSuffix(strings.ToLower(en), " no.")
	enStops := strings.HasSuffix(en, ".") && !strings.HasSuffix(en, "...") && !abbreviated || strings.HasSuffix(en, "?") || strings.HasSuffix(en, "!")
	zhStops := strings.HasSuffix(zh, "。") || strings.HasSuffix(zh, "？") || strings.HasSuffix(zh, "！")
	body := strings.TrimRight(zh, "。？！")
	sentences := strings.ContainsAny(aside.ReplaceAllString(body, ""), "。？！") // more than one
	switch {
	case sentences && !zhStops && !endsInBlank(zh):
		return "more than one sentence, the last without its 。: " + zh
	case enStops && !zhStops:
		return "no 。 where English has its stop: " + zh
	case !enStops && zhStops && !sentences:
		return "。 where English has none: " + zh
	}
	return ""
}

// endsInCommand reports whether s ends with a command to type, on an
// indented line of its own, which takes no stop.
func endsInCommand(s string) bool {
	i := strings.LastIndex(s, "\n")
	return i >= 0 && strings.HasPrefix(s[i+1:], "    ")
}

// endsInBlank reports whether s ends with a blank ("%s", "%[2]s"), which
// ends as whatever fills it.
func endsInBlank(s string) bool {
	i := strings.LastIndex(s, "%")
	return i >= 0 && !strings.ContainsAny(s[i:], " 。.，,：:；;）)") && strings.HasSuffix(s, "s")
}

// aside is a parenthesis, whose own stops end no sentence of the message.
var aside = regexp.MustCompile(`（[^（）]*）`)
