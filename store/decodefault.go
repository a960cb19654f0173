package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// DecodeProblem is why a record of JSON does not decode, as a fact for
// the words of package ui, never encoding/json's text.
type DecodeProblem int

// The problems DecodeFaultOf tells apart, each from a typed error of
// encoding/json (errors.As), never from its message.
const (
	DecodeOther    DecodeProblem = iota // none of the kinds below: only the decoder's text says what
	DecodeSyntax                        // Offset: the byte (from 1) where the JSON is broken (*json.SyntaxError)
	DecodeCutShort                      // Offset: where the record ends, before its JSON does
	DecodeType                          // Field holds Has where the record takes Want, at Offset (*json.UnmarshalTypeError)
)

// JSONKind is a kind of JSON value: what a field holds, or takes.
type JSONKind int

// The kinds of JSON value.
const (
	JSONUnknown JSONKind = iota
	JSONText
	JSONNumber
	JSONBool
	JSONList
	JSONObject
	JSONNull
)

// DecodeFault is why a record of JSON does not decode: Problem and its
// facts. The zero DecodeFault is DecodeOther.
type DecodeFault struct {
	Problem   DecodeProblem
	Offset    int64    // bytes from the record's start
	Field     string   // DecodeType: the field's path, "refunds.fen"; "" for the record itself
	Want, Has JSONKind // DecodeType: the kind the field takes, the kind it holds
}

// DecodeFaultOf is the fault encoding/json reported in err, decoding a
// record of size bytes: a syntax error (a record that ends before its
// JSON does is cut short), a value of the wrong kind, or DecodeOther.
func DecodeFaultOf(err error, size int) DecodeFault {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		if se.Offset >= int64(size) {
			return DecodeFault{Problem: DecodeCutShort, Offset: se.Offset}
		}
		return DecodeFault{Problem: DecodeSyntax, Offset: se.Offset}
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return DecodeFault{Problem: DecodeType, Offset: te.Offset, Field: te.Field, Want: kindOfType(te.Type), Has: kindOfValue(te.Value)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) { // a json.Decoder's record cut short
		return DecodeFault{Problem: DecodeCutShort, Offset: int64(size)}
	}
	return DecodeFault{}
}

// kindOfType is the kind of JSON value that decodes into a Go type.
func kindOfType(t reflect.Type) JSONKind {
	if t == nil {
		return JSONUnknown
	}
	switch t.Kind() {
	case reflect.String:
		return JSONText
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return JSONNumber
	case reflect.Bool:
		return JSONBool
	case reflect.Slice, reflect.Array:
		return JSONList
	case reflect.Struct, reflect.Map:
		return JSONObject
	case reflect.Pointer:
		return kindOfType(t.Elem())
	}
	return JSONUnknown
}

// kindOfValue is the kind of the JSON value json.UnmarshalTypeError's
// Value field names: "string", "number" (or "number -5", a number out of
// its type's range), "bool", "array", "object", "null".
func kindOfValue(v string) JSONKind {
	word, _, _ := strings.Cut(v, " ")
	return map[string]JSONKind{"string": JSONText, "number": JSONNumber, "bool": JSONBool,
		"array": JSONList, "object": JSONObject, "null": JSONNull}[word]
}

// String says the fault in English, for logs.
func (f DecodeFault) String() string {
	switch f.Problem {
	case DecodeSyntax:
		return fmt.Sprintf("the JSON is broken at byte %d", f.Offset)
	case DecodeCutShort:
		return fmt.Sprintf("the JSON stops at byte %d before it is complete", f.Offset)
	case DecodeType:
		return fmt.Sprintf("field %q holds a JSON value of kind %d where kind %d belongs", f.Field, f.Has, f.Want)
	}
	return "the JSON does not decode"
}

// RecordError is a record of the ledger file at Path that does not
// decode: of Bucket under Key, for Fault. It wraps the decoder's error.
type RecordError struct {
	Path        string
	Bucket, Key string
	Fault       DecodeFault
	Err         error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("decode %s record %s: %v", e.Bucket, e.Key, e.Err)
}

// Unwrap returns the decoder's error.
func (e *RecordError) Unwrap() error { return e.Err }

// undecodable is the *RecordError for err, which decoding the record v
// of bucket under key, in the ledger file at path, gave.
func undecodable(path string, bucket []byte, key string, v []byte, err error) error {
	return &RecordError{Path: path, Bucket: string(bucket), Key: key, Fault: DecodeFaultOf(err, len(v)), Err: err}
}
