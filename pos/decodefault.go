package pos

import (
	"errors"

	"kiosk/store"
)

// DecodeProblem is why a record of JSON does not decode; its values
// mirror store.DecodeProblem's.
type DecodeProblem int

// The problems of a record that does not decode (store.DecodeProblem).
const (
	DecodeOther    = DecodeProblem(store.DecodeOther)    // none known: only the decoder's text says what
	DecodeSyntax   = DecodeProblem(store.DecodeSyntax)   // Offset: the byte (from 1) where the JSON is broken
	DecodeCutShort = DecodeProblem(store.DecodeCutShort) // Offset: where the record ends, before its JSON does
	DecodeType     = DecodeProblem(store.DecodeType)     // Field holds Has where the record takes Want
)

// JSONKind is a kind of JSON value (store.JSONKind).
type JSONKind int

// The kinds of JSON value.
const (
	JSONUnknown = JSONKind(store.JSONUnknown)
	JSONText    = JSONKind(store.JSONText)
	JSONNumber  = JSONKind(store.JSONNumber)
	JSONBool    = JSONKind(store.JSONBool)
	JSONList    = JSONKind(store.JSONList)
	JSONObject  = JSONKind(store.JSONObject)
	JSONNull    = JSONKind(store.JSONNull)
)

// DecodeFault is why a record of JSON does not decode: Problem and its
// facts (store.DecodeFault).
type DecodeFault struct {
	Problem   DecodeProblem
	Offset    int64    // bytes from the record's start
	Field     string   // DecodeType: the field's path; "" for the record itself
	Want, Has JSONKind // DecodeType: the kind the field takes, the kind it holds
}

func decodeFault(f store.DecodeFault) DecodeFault {
	return DecodeFault{Problem: DecodeProblem(f.Problem), Offset: f.Offset, Field: f.Field, Want: JSONKind(f.Want), Has: JSONKind(f.Has)}
}

// JSONFaultOf is the fault encoding/json reported in err, decoding size
// bytes of JSON the kiosk reads outside its ledger (the emulator's state
// file), told by the decoder's typed errors as the ledger's records are.
func JSONFaultOf(err error, size int) DecodeFault { return decodeFault(store.DecodeFaultOf(err, size)) }

// LedgerRecordError is a record of the ledger file at Path that does not
// decode: of Bucket ("sales", "zreports", …) under Key, for Fault.
type LedgerRecordError struct {
	Path        string
	Bucket, Key string
	Fault       DecodeFault

	cause error
}

func (e *LedgerRecordError) Error() string {
	return causeOr(e.cause, "record "+e.Key+" of "+e.Bucket+" does not decode")
}

// Unwrap returns the ledger's error.
func (e *LedgerRecordError) Unwrap() error { return e.cause }

// ledgerRecord is err's undecodable record as pos's error, if err has one.
func ledgerRecord(err error) (*LedgerRecordError, bool) {
	re, ok := errors.AsType[*store.RecordError](err)
	if !ok {
		return nil, false
	}
	return &LedgerRecordError{Path: re.Path, Bucket: re.Bucket, Key: re.Key, Fault: decodeFault(re.Fault), cause: err}, true
}
