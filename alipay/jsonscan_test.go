package alipay

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// scanSamples are inputs on which the scanner must agree with
// encoding/json: valid and invalid, in every corner of the grammar.
var scanSamples = []string{
	`{}`, ` { } `, "\t{\r\n}\n", `{"a":1}`, `{"a":"b","c":[1,2,{"d":null}],"e":true,"f":false}`,
	`{"a":-0}`, `{"a":0.5e-7}`, `{"a":1E+2}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":+1}`,
	`{"a":tru}`, `{"a":truex}`, `{"a":nul}`, `{"a":NaN}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,"a":1}`, `{"a":1 "b":2}`,
	`{"a":1}}`, `{"a":1} x`, `{"a":[}`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":[[[]]]}`, `[]`, `"x"`, `null`, `1`, ``, ` `,
	`{"a\"b":1}`, `{"a\\":1}`, `{"\u0041":1}`, `{"\u00e9":"\u8336"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\ud83d"}`,
	`{"a":"\ude00\ud83d"}`, `{"a":"\ud83d\u0041"}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`, `{"a":"\/\b\f\n\r\t"}`,
	"{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", "{\"a\":\"\xff\xfe\"}", "{\"\xe8\x8c\xb6\":\"\xe8\x8c\"}", `{"a":"` + strings.Repeat("x", 100) + `"}`,
	`{"a":"12345678\"90"}`, `{"a":"1234567\\"}`, `{"code":"10000","CODE":"40004"}`, `{"a":1,"a":2}`,
	strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat(`}`, 10000),
	strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat(`}`, 10001),
	`{"a":` + strings.Repeat(`[`, 9999) + strings.Repeat(`]`, 9999) + `}`,
	`{"a":` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000) + `}`,
}

// checkScanAgrees holds scanObject to encoding/json on data: the same
// verdict, and for an object the same members, last one winning, with the
// same decoded names and string values.
func checkScanAgrees(t *testing.T, data []byte) {
	t.Helper()
	outer, nested, ok := scanObject(data, nil, nil, func(name []byte, simple bool) bool {
		return string(nameText(name, simple)) == "a"
	})
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	want := json.Valid(data) && len(trimmed) > 0 && trimmed[0] == '{'
	if ok != want {
		t.Fatalf("scanObject(%.80q) = %v, encoding/json says %v", data, ok, want)
	}
	if !ok {
		return
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	agreeMembers(t, data, outer, members)
	if inner, isObject := members["a"]; isObject && len(inner) > 0 && inner[0] == '{' {
		var want map[string]json.RawMessage
		if err := json.Unmarshal(inner, &want); err != nil {
			t.Fatal(err)
		}
		agreeMembers(t, data, nested, want)
	} else if len(nested) != 0 {
		t.Fatalf("nested members %v for a value that is not an object", nested)
	}
}

// agreeMembers compares scanned members with encoding/json's map of them.
func agreeMembers(t *testing.T, data []byte, got []member, want map[string]json.RawMessage) {
	t.Helper()
	last := map[string][]byte{}
	for i := range got {
		m := &got[i]
		last[string(m.text(data))] = m.value(data)
		if s, isString := m.str(data); isString {
			var decoded string
			if err := json.Unmarshal(m.value(data), &decoded); err != nil || decoded != string(s) {
				t.Fatalf("string %q decodes to %q, encoding/json %q (%v)", m.value(data), s, decoded, err)
			}
		}
	}
	if len(last) != len(want) {
		t.Fatalf("%d distinct names, encoding/json %d", len(last), len(want))
	}
	for name, v := range want {
		if !bytes.Equal(last[name], v) {
			t.Fatalf("member %q: %q, encoding/json %q", name, last[name], v)
		}
	}
}

func TestScanAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range scanSamples {
		checkScanAgrees(t, []byte(s))
	}
}

// FuzzScanAgreesWithEncodingJSON: on any bytes the scanner gives
// encoding/json's verdict and members, and decodeMembers, when it decodes,
// sets what json.Unmarshal sets.
func FuzzScanAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range scanSamples[:len(scanSamples)-4] { // the deep ones are slow to mutate
		f.Add([]byte(s))
	}
	f.Add([]byte(benchPrecreateBody))
	f.Add([]byte(`{"alipay_trade_precreate_response":` + benchPrecreateBody + `,"sign":"QUJD"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScanAgrees(t, data)
		checkDecodeAgrees(t, data)
	})
}

// decodeSample has the shapes decodeMembers meets, and one of each it
// leaves to encoding/json.
type decodeSample struct {
	Code     string `json:"code"`
	Msg      string `json:"msg"`
	QRCode   string `json:"qr_code"`
	Upper    string `json:"Upper"`
	Untagged string
	Status   TradeStatus `json:"a"`
	Skipped  string      `json:"-"`
	hidden   string
}

// notFlat is a type decodeMembers refuses outright.
type notFlat struct {
	N int    `json:"n"`
	S string `json:"s"`
}

// checkDecodeAgrees decodes data both ways when it is an object.
func checkDecodeAgrees(t *testing.T, data []byte) {
	t.Helper()
	members, _, ok := scanObject(data, nil, nil, nil)
	if !ok {
		return
	}
	for _, numbersAsText := range []bool{false, true} {
		var got, want decodeSample
		got.Skipped, got.hidden, want.Skipped, want.hidden = "keep", "keep", "keep", "keep"
		if !decodeMembers(data, members, &got, numbersAsText) {
			continue
		}
		body := data
		if numbersAsText {
			body = quoteNumbers(data, members, data)
		}
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("decodeMembers decoded %q, which encoding/json refuses: %v", data, err)
		}
		if got != want {
			t.Fatalf("decodeMembers(%q, numbers as text %v) = %+v, encoding/json %+v", data, numbersAsText, got, want)
		}
	}
	var nf notFlat
	if decodeMembers(data, members, &nf, true) {
		t.Fatal("decodeMembers decoded into a struct with an int field")
	}
}

// TestDecodeMembersLeavesTheOddCasesToEncodingJSON checks the cases in
// which decodeMembers must decline, and that decodeBody then gets
// encoding/json's answer.
func TestDecodeMembersLeavesTheOddCasesToEncodingJSON(t *testing.T) {
	tests := []struct {
		name, body string
		want       decodeSample
	}{
		{"a name in another case", `{"CODE":"40004"}`, decodeSample{Code: "40004"}},
		{"an escaped name", `{"c\u006fde":"40004"}`, decodeSample{Code: "40004"}},
		{"the last of two in different cases", `{"code":"10000","Code":"40004"}`, decodeSample{Code: "40004"}},
		{"untagged field by its Go name", `{"untagged":"x"}`, decodeSample{Untagged: "x"}},
		{"escapes", `{"qr_code":"https:\/\/qr.alipay.com\/x\u0026y"}`, decodeSample{QRCode: "https://qr.alipay.com/x&y"}},
		{"null keeps the field", `{"msg":null,"code":"1"}`, decodeSample{Code: "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := scanResult(MethodQuery, []byte(tt.body), false, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got decodeSample
			if err := decodeBody(MethodQuery, &res, &got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("decodeBody = %+v, want %+v", got, tt.want)
			}
		})
	}
	// A number where a string belongs is encoding/json's error, unless v3
	// asks for numbers as text.
	res, _ := scanResult(MethodQuery, []byte(`{"code":10000}`), false, nil)
	var got decodeSample
	if err := decodeBody(MethodQuery, &res, &got); !errors.Is(err, ErrUnexpectedResponse) {
		t.Errorf("number into a string: %v", err)
	}
	res.numbersAsText = true
	if err := decodeBody(MethodQuery, &res, &got); err != nil || got.Code != "10000" {
		t.Errorf("number as text: %+v, %v", got, err)
	}
}

func TestFlatTypes(t *testing.T) {
	for _, typ := range []any{PrecreateResponse{}, queryWire{}, cancelWire{}, Error{}, payWire{}, refundWire{}, refundQueryWire{}} {
		if flatTypeOf(reflect.TypeOf(typ)) == nil {
			t.Errorf("%T is not flat: its answers would all go through encoding/json", typ)
		}
	}
	for _, typ := range []any{notFlat{}, struct{ decodeSample }{}, struct {
		S string `json:"s,string"`
	}{}, struct {
		A string `json:"a"`
		B string `json:"A"`
	}{}} {
		if flatTypeOf(reflect.TypeOf(typ)) != nil {
			t.Errorf("%T taken as flat", typ)
		}
	}
}
