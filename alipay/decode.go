package alipay

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// decodeMembers sets the fields of *out from the members of an object
// scanned in d as json.Unmarshal would, and reports whether it could. It handles
// what the wire structs are, structs of string fields, and the members a
// gateway sends them, strings and nulls (and, with numbersAsText, numbers,
// taken as their literal text: v3 sends amounts unquoted). Anything else
// (another type, a name that is not simple ASCII, a name that matches a field
// only without regard to case, a value of another kind) makes it report
// false, and the caller decodes with encoding/json instead; the fields it
// may have set by then are ones encoding/json sets to the same values.
func decodeMembers(d []byte, members []member, out any, numbersAsText bool) bool {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return false
	}
	st := flatTypeOf(v.Elem().Type())
	if st == nil {
		return false
	}
	fields := v.Elem()
	for i := range members {
		m := &members[i]
		if !m.nameSimple {
			return false
		}
		name := m.rawName(d)
		name = name[1 : len(name)-1]
		idx, fold := st.field(name)
		switch {
		case fold:
			return false
		case idx < 0:
			continue
		}
		switch v := m.value(d); {
		case m.valueSimple:
			fields.Field(idx).SetString(string(v[1 : len(v)-1]))
		case v[0] == '"':
			fields.Field(idx).SetString(unquote(v))
		case v[0] == 'n': // null leaves a string as it is
		case numbersAsText && (v[0] == '-' || '0' <= v[0] && v[0] <= '9'):
			fields.Field(idx).SetString(string(v))
		default:
			return false
		}
	}
	return true
}

// flatType lists the fields of a struct whose decoded fields are all plain
// strings, with their JSON names.
type flatType struct {
	names []string // JSON names, all ASCII
	index []int    // the field of each name
}

// field finds the field of an ASCII member name: its index, or -1 for
// none; fold reports a name equal to a field's only without regard to
// case, which encoding/json would also decode into that field. A struct
// has a handful of fields, which a loop finds faster than a map.
func (st *flatType) field(name []byte) (idx int, fold bool) {
	for i, n := range st.names {
		if len(n) == len(name) && n == string(name) {
			return st.index[i], false
		}
	}
	for _, n := range st.names {
		if len(n) == len(name) && bytes.EqualFold([]byte(n), name) {
			return -1, true
		}
	}
	return -1, false
}

// flatTypes caches flatTypeOf: a *flatType, or nil for a type that is not
// flat.
var flatTypes sync.Map

// flatTypeOf describes t, or returns nil if decodeMembers cannot decode
// it: it must be a struct whose fields encoding/json decodes are all
// exported, not embedded, of a string kind with no unmarshal method, with
// distinct names and no ",string" option.
func flatTypeOf(t reflect.Type) *flatType {
	if v, ok := flatTypes.Load(t); ok {
		return v.(*flatType)
	}
	st := buildFlatType(t)
	flatTypes.Store(t, st)
	return st
}

// buildFlatType does flatTypeOf's work.
func buildFlatType(t reflect.Type) *flatType {
	st := &flatType{}
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		switch {
		case tag == "-":
			continue
		case f.Anonymous:
			return nil
		case !f.IsExported():
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		lower := strings.ToLower(name)
		if f.Type.Kind() != reflect.String || unmarshals(f.Type) || !isASCII([]byte(name)) ||
			strings.Contains(","+opts+",", ",string,") || seen[lower] || !validTagName(name) {
			return nil
		}
		seen[lower] = true
		st.names, st.index = append(st.names, name), append(st.index, i)
	}
	return st
}

// unmarshals reports whether t decodes itself.
func unmarshals(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(reflect.TypeFor[json.Unmarshaler]()) || p.Implements(reflect.TypeFor[json.Unmarshaler]()) ||
		t.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) || p.Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

// validTagName accepts the tag names this package uses (letters, digits
// and underscores); encoding/json would ignore some others, so they are
// left to it.
func validTagName(name string) bool {
	for _, c := range name {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return name != ""
}

// isASCII reports whether b is all ASCII.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
