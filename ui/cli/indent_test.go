package cli

import (
	"bytes"
	"encoding/json"
	"testing"
)

// jsonIndented is what writeJSON wrote before indentJSON: encoding/json's
// own indentation.
func jsonIndented(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteJSONIndentsAsEncodingJSON(t *testing.T) {
	values := []any{
		map[string]any{
			"date": "2026-11-22", "sales": []any{}, "totals": map[string]any{},
			"quotes": `say "hi" \ {not: [an, object]}`, "unicode": "茶 & 蛋糕 <b>", "control": "tab\there\nnewline\u2028",
			"nested": []any{map[string]any{"a": []any{1, 2.5, nil, true, false}, "b": map[string]any{"c": []any{[]any{}}}}},
		},
		[]any{},
		bigDocument(),
		"just a string",
		42,
		nil,
	}
	for _, v := range values {
		var got bytes.Buffer
		if err := writeJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if want := jsonIndented(t, v); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("writeJSON(%v):\n%s\nwant:\n%s", v, got.Bytes(), want)
		}
	}
}

// FuzzIndentJSON: for any JSON document encoding/json accepts,
// writeIndented of its compact form is json.Indent's layout of it.
func FuzzIndentJSON(f *testing.F) {
	for _, seed := range []string{`{"a":[1,{"b":"c\"}"}],"d":{}}`, `[]`, `"\\"`, `[[],{},[{}]]`, `{"x":"\u00e9\\\"\n"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(doc)); err != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := writeIndented(&got, compact.Bytes()); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("writeIndented(%s) = %v\n%s\nwant\n%s", compact.Bytes(), err, got.Bytes(), want.Bytes())
		}
	})
}

// bigDocument is several chunks of writeIndented long.
func bigDocument() any {
	sales := make([]any, 0, 2000)
	for i := range cap(sales) {
		sales = append(sales, map[string]any{"no": i, "subject": "Tea, \"cake\" & {more}", "refunds": []any{}})
	}
	return map[string]any{"sales": sales}
}
