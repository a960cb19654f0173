package main

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// configProblem is what is wrong at a place in the config file, as a fact
// found in the file itself or in the kind of error the TOML parser wraps:
// the parser says where, and what it says is English, so its message is
// kept only to be quoted (configOther), for a mistake of no kind here.
type configProblem int

const (
	configOther    configProblem = iota // a mistake of a kind not below: the parser's message, quoted
	configUnquoted                      // a text value without quotation marks: gateway = sandbox
	configUnclosed                      // a quotation mark opened on the line and not closed
	configTwice                         // Key set a second time (FirstLine: the first)
	configNoEquals                      // Key without "=": lang: "zh"
	configType                          // Key's value is Has where the kiosk wants Want
	configControl                       // a control character, Value its code (U+0001)
	configEncoding                      // a byte that is not UTF-8, Value the byte (0xFF)
	configUTF16                         // NUL bytes at the start, as UTF-16 text has
	configEscape                        // Value, an escape TOML does not know inside "…" (\p)
	configDate                          // Key's Value, a date or time that is none
	configTooLarge                      // Value, a number too large for the parser
	configNumber                        // Value, not written as a number is (1.e5)
	configNoValue                       // Key with nothing after "="
	configCutOff                        // a setting not finished where the line or the file ends
	configTable                         // Value, a table header the parser cannot read
	configNoKey                         // "=" (or ".") with no setting's name before it
	configStray                         // Value, a character the parser did not expect there, quoted: "p"
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
	if say, ok := e.whatMore(); ok {
		return say
	}
	return c.SyntaxOther.F(strings.ReplaceAll(e.Parser, `"`, "'"))
}

// whatMore says the problems of a kind read from the error the TOML
// parser wraps, or from the file at the place it points at.
func (e *configError) whatMore() (string, bool) {
	c := &say.Config
	say, ok := map[configProblem]string{
		configControl: c.SyntaxControl.F(e.Value), configEncoding: c.SyntaxEncoding.F(e.Value),
		configUTF16: c.SyntaxUTF16, configEscape: c.SyntaxEscape.F(e.Value), configDate: c.SyntaxDate.F(e.Key, e.Value),
		configTooLarge: c.SyntaxTooLarge.F(e.Value), configNumber: c.SyntaxBadNumber.F(e.Value),
		configNoValue: c.SyntaxNoValue.F(e.Key),
		configCutOff:  c.SyntaxCutOff, configTable: c.SyntaxTable.F(e.Value), configNoKey: c.SyntaxNoKey,
		configStray: c.SyntaxUnexpected.F(e.Value),
	}[e.Problem]
	return say, ok
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
// of mistake is the kind of error perr wraps (wrappedKind), else found in
// the line the parser points at, never in its message.
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
	if wrappedKind(e, perr, near) {
		return e
	}
	switch m := bareLine.FindStringSubmatch(line); {
	case strings.IndexByte(text[:min(len(text), 6)], 0) >= 0:
		// The parser looks for NUL bytes only there; the file as a whole is
		// not text it can read, at no place in particular.
		e.Problem, e.Line, e.Col = configUTF16, 0, 0
	case e.Key != "" && near == e.Key && firstSetting(lines[:e.Line-1], e.Key) > 0:
		e.Problem, e.FirstLine = configTwice, firstSetting(lines[:e.Line-1], e.Key)
	case bareKey.MatchString(near) && firstDefinition(lines[:e.Line-1], near) > 0:
		// a.b after a = 1, [a] or [[a]] after a = …: a set again as a table
		e.Problem, e.Key, e.FirstLine = configTwice, near, firstDefinition(lines[:e.Line-1], near)
	case strings.Contains(near, `\`):
		at := strings.Index(near, `\`)
		e.Problem, e.Value = configEscape, near[at:min(len(near), at+2)]
	case strings.Count(line, `"`)%2 == 1:
		e.Problem = configUnclosed
	case tableLine.MatchString(line):
		e.Problem, e.Value = configTable, strings.TrimSpace(line)
	case noValue.MatchString(line):
		e.Problem, e.Key = configNoValue, noValue.FindStringSubmatch(line)[1]
	case m != nil && !isLiteral(m[2]):
		e.Problem, e.Key, e.Value = configUnquoted, m[1], m[2]
	case m != nil && m[2] != "true" && m[2] != "false":
		e.Problem, e.Key, e.Value = configNumber, m[1], m[2]
	case bareKey.MatchString(before) && near != "=":
		e.Problem, e.Key = configNoEquals, strings.TrimSpace(before)
	case bareKey.MatchString(line):
		e.Problem, e.Key = configNoEquals, strings.TrimSpace(line)
	case strings.TrimSpace(before) == "" && (near == "=" || near == "."):
		e.Problem = configNoKey
	default:
		unexpected(e, text, start)
	}
	return e
}

var (
	tableLine = regexp.MustCompile(`^\s*\[`)
	noValue   = regexp.MustCompile(`^\s*([A-Za-z0-9_.-]+)\s*=\s*(?:#.*)?$`)
)

// unexpected makes e the character the parser did not expect at start in
// text, as written; with no character left on the line there, the
// setting is cut off.
func unexpected(e *configError, text string, start int) {
	if start < 0 || start > len(text) {
		return // nowhere to look: the parser's message stays, quoted
	}
	rest := strings.TrimLeft(text[start:], " \t")
	r, _ := utf8.DecodeRuneInString(rest)
	if rest == "" || r == '\n' || r == '\r' {
		e.Problem = configCutOff
		return
	}
	e.Problem, e.Value = configStray, `"`+string(r)+`"` // as it is written: "p"
	if r == '"' {
		e.Value = `'"'`
	}
}

// wrappedKind makes e the kind of the error the TOML parser wrapped in
// perr, when it wrapped one of the kinds below, and reports whether it
// did. ParseError keeps that error unexported and has no Unwrap, so it is
// told by its type (read with reflect), as errors.As would tell it, never
// by its message; the facts are the error's (a character's code, a byte)
// or the file's at the place (a number, a date, as written).
func wrappedKind(e *configError, perr toml.ParseError, near string) bool {
	v := reflect.ValueOf(perr).FieldByName("err")
	if !v.IsValid() || v.Kind() != reflect.Interface || v.IsNil() {
		return false
	}
	w := v.Elem()
	if w.Type().PkgPath() != reflect.TypeFor[toml.ParseError]().PkgPath() || w.Kind() != reflect.Struct {
		return false
	}
	field := func(i int) reflect.Value {
		if i < w.NumField() {
			return w.Field(i)
		}
		return reflect.Value{}
	}
	switch f := field(0); w.Type().Name() {
	case "errLexControl":
		e.Problem, e.Value = configControl, fmt.Sprintf("U+%04X", f.Int())
	case "errLexUTF8":
		e.Problem, e.Value = configEncoding, fmt.Sprintf("0x%02X", f.Uint())
	case "errLexEscape":
		e.Problem, e.Value = configEscape, `\`+string(rune(f.Int()))
	case "errParseDate":
		e.Problem, e.Value = configDate, f.String()
	case "errParseRange", "errUnsafeFloat":
		e.Problem, e.Value = configTooLarge, strings.TrimSpace(near)
	case "errLexStringNL": // a text in quotation marks run on to the next line
		e.Problem = configUnclosed
	default:
		return false
	}
	return true
}

// firstDefinition is the line (from 1) of lines that sets key or a key
// under it (key = …, key.x = …), or opens it as a table ([key], [[key]],
// [key.x]); 0 if none does.
func firstDefinition(lines []string, key string) int {
	k := regexp.QuoteMeta(key)
	re := regexp.MustCompile(`^\s*(?:` + k + `\s*[=.]|\[\[?\s*` + k + `\s*[].])`)
	for i, l := range lines {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
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
	for _, f := range settingFields() {
		key := f.Tag.Get("toml")
		v, ok := values[key]
		if !ok {
			continue
		}
		want := map[reflect.Kind]valueKind{reflect.String: valueText, reflect.Bool: valueBool}[f.Type.Kind()]
		if has := kindOf(v); want != 0 && has != 0 && has != want {
			e := &configError{Path: path, Line: settingLines(text)[key], Problem: configType, Key: key, Want: want, Has: has}
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

// settingLines is the line (from 1) of text, a config file the TOML
// parser reads, on which each setting at its top is set, by its name as
// the parser reads it (a quoted "time_zone" too). The kiosk's settings
// are in no table; a key under a table is refused as unknown before this.
//
// The parser keeps where each value starts, but toml's MetaData has no
// accessor for it (v1.6.0: its keyInfo is unexported); it says it in the
// Position of a ParseError made while decoding the value. So each value
// is kept undecoded (Primitive) and then decoded into lineProbe, which
// refuses it: the refusal is the parser's own record of the line, not a
// search of the text, which a multi-line text value could mislead.
func settingLines(text string) map[string]int {
	var values map[string]toml.Primitive
	md, err := toml.Decode(text, &values)
	if err != nil {
		return nil
	}
	lines := make(map[string]int, len(values))
	for key, v := range values {
		perr, ok := errors.AsType[toml.ParseError](md.PrimitiveDecode(v, &lineProbe{}))
		switch start := perr.Position.Start; {
		case !ok: // no line to say
		case start > 0 && start <= len(text):
			// The line the value starts on: the parser's Line is where it
			// ends, for a text of several lines.
			lines[key] = strings.Count(text[:start], "\n") + 1
		case perr.Position.Line > 0:
			lines[key] = perr.Position.Line
		}
	}
	return lines
}

// lineProbe refuses any value, so that decoding one says its line.
type lineProbe struct{}

var errLineProbe = errors.New("where is this value")

func (*lineProbe) UnmarshalTOML(any) error { return errLineProbe }
