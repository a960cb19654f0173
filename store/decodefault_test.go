package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestARecordThatDoesNotDecodeIsATypedFault: a sale of the ledger whose
// JSON is broken, cut short or holds a value of another kind fails its
// read with a *RecordError naming the ledger, the bucket and the key, and
// the fault's facts from encoding/json's typed errors: the byte, the
// field, the kinds; the decoder's error stays in the chain. Verify finds
// the same facts.
func TestARecordThatDoesNotDecodeIsATypedFault(t *testing.T) {
	for _, tt := range []struct {
		name, stored string
		want         DecodeFault
	}{
		{"broken", `{"out_trade_no":"K1",x}`, DecodeFault{Problem: DecodeSyntax, Offset: 22}},
		{"cut short", `{"out_trade_no":"K1","amount_fen":12`, DecodeFault{Problem: DecodeCutShort, Offset: 36}},
		{"text for a number", `{"out_trade_no":"K1","amount_fen":"12"}`,
			DecodeFault{Problem: DecodeType, Offset: 38, Field: "amount_fen", Want: JSONNumber, Has: JSONText}},
		{"a list for an object", `[1]`, DecodeFault{Problem: DecodeType, Offset: 1, Want: JSONObject, Has: JSONList}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			mustCreate(t, s, newSale("K1", 100, at(17, 9, 0, 0)))
			if err := s.update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketSales).Put([]byte("K1"), []byte(tt.stored))
			}); err != nil {
				t.Fatal(err)
			}
			_, err := s.Get("K1")
			re, ok := errors.AsType[*RecordError](err)
			if !ok || re.Path != s.path || re.Bucket != "sales" || re.Key != "K1" || re.Fault != tt.want {
				t.Fatalf("Get: %v (%#v); want a *RecordError of sales K1 in %s with %#v", err, re, s.path, tt.want)
			}
			if !errors.As(err, new(*json.SyntaxError)) && !errors.As(err, new(*json.UnmarshalTypeError)) {
				t.Errorf("the decoder's error is not in the chain of %v", err)
			}
			r, err := s.Verify()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range r.Problems {
				found = found || p.Kind == CheckSaleUndecodable && p.Key == "K1" && p.Decode == tt.want
			}
			if !found {
				t.Errorf("Verify: %+v; want CheckSaleUndecodable of K1 with %+v", r.Problems, tt.want)
			}
		})
	}
}

// TestDecodeFaultOfTellsTheDecodersTypedErrors: a json.Decoder's record
// cut short (io.ErrUnexpectedEOF) is cut short at its end, a number out of
// its field's range a number where one belongs, and an error of no kind
// known (an unknown field) is DecodeOther.
func TestDecodeFaultOfTellsTheDecodersTypedErrors(t *testing.T) {
	var v struct {
		N uint8 `json:"n"`
	}
	err := json.Unmarshal([]byte(`{"n":300}`), &v)
	if got, want := DecodeFaultOf(err, 9), (DecodeFault{Problem: DecodeType, Offset: 8, Field: "n", Want: JSONNumber, Has: JSONNumber}); got != want {
		t.Errorf("out of range: %+v; want %+v", got, want)
	}
	if got := DecodeFaultOf(fmt.Errorf("read: %w", errUnexpectedEOF()), 12); got != (DecodeFault{Problem: DecodeCutShort, Offset: 12}) {
		t.Errorf("io.ErrUnexpectedEOF: %+v", got)
	}
	if got := DecodeFaultOf(errors.New(`json: unknown field "x"`), 7); got != (DecodeFault{}) {
		t.Errorf("unknown field: %+v; want DecodeOther", got)
	}
}

func errUnexpectedEOF() error { // as a json.Decoder reports a record cut short
	dec := json.NewDecoder(strings.NewReader(`{"n":`))
	var v any
	return dec.Decode(&v)
}
