package main

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
)

// configProblem is what is wrong at a place in the config file, as a fact
// found in the file itself: the TOML parser says where, and what it
// says is English, so its message is kept only to be quoted
// (configOther).
type configProblem int

const (
	configOther    configProblem = iota // a mistake of a kind not below: the parser's message, quoted
	configUnquoted                      // a text value without quotation marks: gateway = sandbox
	configUnclosed                      // a quotation mark opened on the line and not closed
	configTwice                         // Key set a second time (FirstLine: the first)
	configNoEquals                      // Key without "=": lang: "zh"
	configType                          // Key's value is Has where the kiosk wants Want
)

// valueKind is the kind of a value in the config file.
type valueKind int

const (
	valueText valueKind = iota + 1
	valueNumber
	valueBool
	valueDate
	valueList
	valueTable
)

// configError is a config file the kiosk cannot read, with where and
// what: Line and Col count from 1 (Col 0: the line is known, not the
// column).
type configError struct {
	Path      string
	Line, Col int
	Problem   configProblem
	Key       string    // the setting
	Value     string    // configUnquoted: the value as written
	FirstLine int       // configTwice
	Want, Has valueKind // configType
	Parser    string    // configOther: the TOML parser's own message

	text string // in the language of the moment it was made (worded)
}

func (e *configError) Error() string { return e.text }

// worded words e in the language now spoken, as every message of the
// command line is worded when it is made.
func (e *configError) worded() *configError {
	e.text = e.format()
	return e
}

func (e *configError) format() string {
	what := e.what()
	switch {
	case e.Line == 0:
		return say.Config.Whole.F(e.Path, what)
	case e.Col == 0:
		return say.Config.Line.F(e.Path, e.Line, what)
	}
	return say.Config.Syntax.F(e.Path, e.Line, e.Col, what)
}

// what says the problem, without where.
func (e *configError) what() string {
	c := &say.Config
	switch e.Problem {
	case configUnquoted:
		return c.SyntaxUnquoted.F(e.Key, e.Value)
	case configUnclosed:
		return c.SyntaxUnclosed
	case configTwice:
		return c.SyntaxTwice.F(e.Key, e.FirstLine)
	case configNoEquals:
		return c.SyntaxNoEquals.F(e.Key)
	case configType:
		return c.SettingType.F(e.Key, e.wanted(), valueName(e.Has))
	}
	return c.SyntaxOther.F(strings.ReplaceAll(e.Parser, `"`, "'"))
}

func (e *configError) wanted() string {
	if e.Want == valueBool {
		return say.Config.WantBool
	}
	return say.Config.WantText.F(e.Key)
}

func valueName(k valueKind) string {
	c := &say.Config
	return map[valueKind]string{valueText: c.HasText, valueNumber: c.HasNumber, valueBool: c.HasBool,
		valueDate: c.HasDate, valueList: c.HasList, valueTable: c.HasTable}[k]
}

// checkConfigText reads text, the config file at path, as TOML and checks
// that each setting the kiosk reads as text or as true/false has a value
// of that kind: a mistake is a *configError. The values themselves are
// checked as the settings are decoded.
func checkConfigText(path, text string) error {
	var values map[string]any
	if _, err := toml.Decode(text, &values); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return syntaxError(path, text, perr).worded()
		}
		return (&configError{Path: path, Parser: err.Error()}).worded()
	}
	return checkValueKinds(path, text, values)
}

var (
	bareKey  = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*$`)
	bareLine = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=\s*([^\s"'\[{#][^#]*?)\s*(?:#.*)?$`)
)

// syntaxError is the configError for the parser's perr on text: the kind
// of mistake is found in the line the parser points at, never in its
// message.
func syntaxError(path, text string, perr toml.ParseError) *configError {
	e := &configError{Path: path, Line: perr.Position.Line, Col: perr.Position.Col, Key: perr.LastKey, Parser: perr.Message}
	if start := perr.Position.Start; start >= 0 && start <= len(text) {
		// The line and column of the byte the parser points at: at the end
		// of a line, that line's, not the next one's.
		e.Line = strings.Count(text[:start], "\n") + 1
		e.Col = start - strings.LastIndex(text[:start], "\n")
	}
	lines := strings.Split(text, "\n")
	if e.Line < 1 || e.Line > len(lines) {
		return e
	}
	line := lines[e.Line-1]
	start, end := perr.Position.Start, min(len(text), perr.Position.Start+perr.Position.Len)
	near := ""
	if start >= 0 && start <= end {
		near = text[start:end]
	}
	before := ""
	if e.Col >= 1 && e.Col-1 <= len(line) {
		before = line[:e.Col-1]
	}
	switch m := bareLine.FindStringSubmatch(line); {
	case e.Key != "" && near == e.Key && firstSetting(lines[:e.Line-1], e.Key) > 0:
		e.Problem, e.FirstLine = configTwice, firstSetting(lines[:e.Line-1], e.Key)
	case strings.Count(line, `"`)%2 == 1:
		e.Problem = configUnclosed
	case m != nil && !isLiteral(m[2]):
		e.Problem, e.Key, e.Value = configUnquoted, m[1], m[2]
	case bareKey.MatchString(before) && near != "=":
		e.Problem, e.Key = configNoEquals, strings.TrimSpace(before)
	}
	return e
}

// isLiteral reports whether v is a TOML value written without quotation
// marks that the parser reads: a number, true or false, a date.
func isLiteral(v string) bool {
	if v == "true" || v == "false" {
		return true
	}
	return strings.IndexFunc(v, func(r rune) bool {
		return !unicode.IsDigit(r) && !strings.ContainsRune("+-._:eETZ ", r)
	}) < 0
}

// firstSetting is the line (from 1) of lines that sets key, or 0.
func firstSetting(lines []string, key string) int {
	re := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=`)
	for i, l := range lines {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

// checkValueKinds refuses a setting the kiosk reads as text or as
// true/false whose value is of another kind (app_id = 2021000000000001).
func checkValueKinds(path, text string, values map[string]any) error {
	t := reflect.TypeFor[fileConfig]()
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("toml")
		v, ok := values[key]
		if !ok {
			continue
		}
		want := map[reflect.Kind]valueKind{reflect.String: valueText, reflect.Bool: valueBool}[f.Type.Kind()]
		if has := kindOf(v); want != 0 && has != 0 && has != want {
			e := &configError{Path: path, Line: firstSetting(strings.Split(text, "\n"), key), Problem: configType, Key: key, Want: want, Has: has}
			return e.worded()
		}
	}
	return nil
}

// kindOf is the kind of a value as the TOML package decodes it.
func kindOf(v any) valueKind {
	switch v.(type) {
	case string:
		return valueText
	case int64, float64:
		return valueNumber
	case bool:
		return valueBool
	case time.Time:
		return valueDate
	case []any, []map[string]any:
		return valueList
	case map[string]any:
		return valueTable
	}
	return 0 // a kind this check does not know: decoding says what is wrong
}
