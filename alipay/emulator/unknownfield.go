package emulator

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// unknownField is the path of a member of the JSON in data that no field
// of v's type takes ("trades.colour"), as encoding/json names a field, and
// whether there is one: the fact behind DisallowUnknownFields' refusal,
// which encoding/json gives only as text. It is found by walking the
// decoded JSON beside the type, never by reading that text.
func unknownField(data []byte, v any) (string, bool) {
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return "", false
	}
	return unknownIn(doc, reflect.TypeOf(v), "")
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func unknownIn(doc any, t reflect.Type, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "", false // decodes itself (a time)
	}
	switch d := doc.(type) {
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", false
		}
		for _, e := range d {
			if p, ok := unknownIn(e, t.Elem(), path); ok {
				return p, true
			}
		}
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return "", false
		}
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			f, ok := jsonField(t, k)
			if !ok {
				return p, true
			}
			if p, ok := unknownIn(d[k], f.Type, p); ok {
				return p, true
			}
		}
	}
	return "", false
}

// jsonField is the field of struct type t that encoding/json decodes the
// member key into: by its tag's name or its own, case folded as
// encoding/json matches them.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
