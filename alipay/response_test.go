package alipay

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestResponseKey(t *testing.T) {
	tests := map[string]string{
		"alipay.trade.query":                "alipay_trade_query_response",
		"alipay.trade.precreate":            "alipay_trade_precreate_response",
		"alipay.trade.fastpay.refund.query": "alipay_trade_fastpay_refund_query_response",
	}
	for method, want := range tests {
		if got := ResponseKey(method); got != want {
			t.Errorf("ResponseKey(%q) = %q, want %q", method, got, want)
		}
	}
}

// signed returns a response for MethodQuery signed with Alipay's test key.
func signed(t *testing.T, body string) []byte {
	t.Helper()
	raw, err := SignResponse(testKeys(t).alipay, RSA2, MethodQuery, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// signOf returns the sign value a signed response carries.
func signOf(t *testing.T, raw []byte) string {
	t.Helper()
	_, after, ok := bytes.Cut(raw, []byte(`,"sign":"`))
	if !ok {
		t.Fatalf("no sign in %s", raw)
	}
	return string(bytes.TrimSuffix(after, []byte(`"}`)))
}

func TestSignResponseLayout(t *testing.T) {
	body := `{"code":"10000","msg":"Success"}`
	raw := signed(t, body)
	prefix := `{"alipay_trade_query_response":` + body + `,"sign":"`
	if !strings.HasPrefix(string(raw), prefix) || !strings.HasSuffix(string(raw), `"}`) {
		t.Fatalf("layout: %s", raw)
	}
	if err := Verify(&testKeys(t).alipay.PublicKey, RSA2, []byte(body), signOf(t, raw)); err != nil {
		t.Fatalf("signature is not over the body bytes: %v", err)
	}
	// Surrounding whitespace is not part of the value a parser returns.
	spaced := signed(t, " \n"+body+"\n")
	if !strings.HasPrefix(string(spaced), prefix) {
		t.Errorf("whitespace not trimmed: %s", spaced)
	}
	for _, bad := range []string{"", "[]", `"x"`, "null", "{", `{"a":1} x`} {
		if _, err := SignResponse(testKeys(t).alipay, RSA2, MethodQuery, []byte(bad)); err == nil {
			t.Errorf("SignResponse(%q) succeeded", bad)
		}
	}
}

func TestVerifyResponseKeepsRawBytes(t *testing.T) {
	pub := &testKeys(t).alipay.PublicKey
	bodies := []string{
		`{"code":"10000","msg":"Success","qr_code":"https:\/\/qr.alipay.com\/bax1"}`,
		`{"code":"10000","msg":"Success","subject":"茶 & <cake>","esc":"\u8336\u0026"}`,
		`{ "code" : "10000",  "msg":"Success" , "n":1.50 }`,
		`{"code":"10000","msg":"Success","nested":{"sign":"inner"}}`,
	}
	for _, body := range bodies {
		got, err := VerifyResponse(pub, RSA2, MethodQuery, signed(t, body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if string(got) != body {
			t.Errorf("bytes changed:\n got %s\nwant %s", got, body)
		}
	}
}

// TestVerifyResponseLayouts covers layouts a substring extractor (as in the
// Node SDK) gets wrong: this package parses JSON, so member order,
// whitespace, a BOM and extra members do not matter.
func TestVerifyResponseLayouts(t *testing.T) {
	pub := &testKeys(t).alipay.PublicKey
	body := `{"code":"10000","msg":"Success","qr_code":"https:\/\/qr.alipay.com\/bax1"}`
	sig := signOf(t, signed(t, body))
	layouts := map[string]string{
		"sign first":     `{"sign":"` + sig + `","alipay_trade_query_response":` + body + `}`,
		"cert sn":        `{"alipay_trade_query_response":` + body + `,"alipay_cert_sn":"abc","sign":"` + sig + `"}`,
		"pretty":         "{\n  \"alipay_trade_query_response\" : " + body + " ,\n  \"sign\" : \"" + sig + "\"\n}\n",
		"BOM":            "\xef\xbb\xbf" + `{"alipay_trade_query_response":` + body + `,"sign":"` + sig + `"}`,
		"leading spaces": "  \r\n" + `{"alipay_trade_query_response":` + body + `,"sign":"` + sig + `"}`,
	}
	for name, raw := range layouts {
		got, err := VerifyResponse(pub, RSA2, MethodQuery, []byte(raw))
		if err != nil || string(got) != body {
			t.Errorf("%s: %s, %v", name, got, err)
		}
	}
}

func TestVerifyResponseRejects(t *testing.T) {
	keys := testKeys(t)
	body := `{"code":"10000","msg":"Success","trade_status":"WAIT_BUYER_PAY"}`
	good := string(signed(t, body))
	sig := signOf(t, []byte(good))
	ownKeyRaw, _ := SignResponse(keys.app, RSA2, MethodQuery, []byte(body))
	// Re-encoding with encoding/json drops the \/ escape: that must fail.
	slashed := string(signed(t, `{"code":"10000","u":"a\/b"}`))
	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"forged body", strings.Replace(good, "WAIT_BUYER_PAY", "TRADE_SUCCESS", 1), ErrBadSignature},
		{"one byte", strings.Replace(good, `"10000"`, `"10001"`, 1), ErrBadSignature},
		{"slash unescaped", strings.Replace(slashed, `a\/b`, `a/b`, 1), ErrBadSignature},
		{"signed by the app's own key", string(ownKeyRaw), ErrBadSignature},
		{"signature of another body", `{"alipay_trade_query_response":{"code":"10000"},"sign":"` + sig + `"}`, ErrBadSignature},
		{"sign not a string", `{"alipay_trade_query_response":` + body + `,"sign":42}`, ErrBadSignature},
		{"sign not base64", `{"alipay_trade_query_response":` + body + `,"sign":"%%%"}`, ErrBadSignature},
		{"missing sign", `{"alipay_trade_query_response":` + body + `}`, ErrNotSigned},
		{"null sign", `{"alipay_trade_query_response":` + body + `,"sign":null}`, ErrNotSigned},
		{"empty sign", `{"alipay_trade_query_response":` + body + `,"sign":""}`, ErrNotSigned},
		{"other method's response", `{"alipay_trade_cancel_response":` + body + `,"sign":"` + sig + `"}`, ErrUnexpectedResponse},
		{"response not an object", `{"alipay_trade_query_response":"x","sign":"` + sig + `"}`, ErrUnexpectedResponse},
		{"response null", `{"alipay_trade_query_response":null,"sign":"` + sig + `"}`, ErrUnexpectedResponse},
		{"HTML 502 page", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", ErrUnexpectedResponse},
		{"empty", "", ErrUnexpectedResponse},
		{"null", "null", ErrUnexpectedResponse},
		{"array", "[]", ErrUnexpectedResponse},
		{"empty object", "{}", ErrUnexpectedResponse},
		{"truncated", good[:len(good)/2], ErrUnexpectedResponse},
		{"trailing garbage", good + "x", ErrUnexpectedResponse},
		{"error_response not an object", `{"error_response":"x"}`, ErrUnexpectedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyResponse(&keys.alipay.PublicKey, RSA2, MethodQuery, []byte(tt.raw))
			if !errors.Is(err, tt.want) || got != nil {
				t.Fatalf("VerifyResponse = %s, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestVerifyResponseHTMLErrorIsReadable: a proxy's page is recognisable
// by its facts (its length, that it begins with '<'), in a short message
// that quotes none of it.
func TestVerifyResponseHTMLErrorIsReadable(t *testing.T) {
	page := "<html><head><title>502 Bad Gateway</title></head>" + strings.Repeat("x", 1000)
	_, err := VerifyResponse(&testKeys(t).alipay.PublicKey, RSA2, MethodQuery, []byte(page))
	msg := err.Error()
	if !strings.Contains(msg, "1049 bytes beginning with '<'") || strings.Contains(msg, "Bad Gateway") || len(msg) > 300 {
		t.Errorf("error message = %q", msg)
	}
}

func TestVerifyResponseUnsignedError(t *testing.T) {
	raw := `{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}`
	got, err := VerifyResponse(&testKeys(t).alipay.PublicKey, RSA2, MethodQuery, []byte(raw))
	if got != nil || !errors.Is(err, ErrUnsignedError) {
		t.Fatalf("VerifyResponse = %s, %v; want ErrUnsignedError", got, err)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("no *Error in %v", err)
	}
	want := Error{Method: MethodQuery, Code: "40002", Msg: "Invalid Arguments", SubCode: "isv.invalid-app-id", SubMsg: "无效的AppID参数"}
	if e.Method != want.Method || e.Code != want.Code || e.Msg != want.Msg || e.SubCode != want.SubCode || e.SubMsg != want.SubMsg {
		t.Errorf("error = %+v, want %+v", *e, want)
	}
	if !strings.HasPrefix(string(e.Raw), `{"code":"40002"`) {
		t.Errorf("Raw = %s", e.Raw)
	}
	if !IsInvalidAppID(err) {
		t.Error("IsInvalidAppID = false")
	}
	for _, part := range []string{"unsigned", "40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("%q missing from %q", part, err)
		}
	}
}

// TestVerifyResponseRefusesRepeatedMembers: a member the rule depends on
// given twice is refused, whichever copy a JSON parser would keep.
func TestVerifyResponseRefusesRepeatedMembers(t *testing.T) {
	pub := &testKeys(t).alipay.PublicKey
	body := `{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS"}`
	good := string(signed(t, body))
	sig := signOf(t, []byte(good))
	key := `"alipay_trade_query_response":`
	tests := map[string]string{
		"response":       `{` + key + body + `,"sign":"` + sig + `",` + key + body + `}`,
		"escaped name":   `{` + key + body + `,"sign":"` + sig + `","alipay_trade_query_respons\u0065":{"code":"10000"}}`,
		"sign":           `{` + key + body + `,"sign":"` + sig + `","sign":"` + sig + `"}`,
		"error_response": `{"error_response":{"code":"1"},"error_response":{"code":"2"}}`,
		"alipay_cert_sn": `{` + key + body + `,"alipay_cert_sn":"a","sign":"` + sig + `","alipay_cert_sn":"a"}`,
	}
	for name, raw := range tests {
		got, err := VerifyResponse(pub, RSA2, MethodQuery, []byte(raw))
		if !errors.Is(err, ErrUnexpectedResponse) || got != nil || !strings.Contains(err.Error(), "twice") {
			t.Errorf("%s given twice: %s, %v", name, got, err)
		}
	}
	if _, err := VerifyResponse(pub, RSA2, MethodQuery, []byte(good)); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyResponseReturnsACopy: the bytes returned stay as verified
// when the caller reuses its buffer.
func TestVerifyResponseReturnsACopy(t *testing.T) {
	body := `{"code":"10000","msg":"Success"}`
	raw := signed(t, body)
	got, err := VerifyResponse(&testKeys(t).alipay.PublicKey, RSA2, MethodQuery, raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = 'x'
	}
	if string(got) != body {
		t.Errorf("returned bytes changed with the input: %s", got)
	}
}

// TestDecodeResultReadsTheCodeAsEncodingJSONDoes: the shortcut for a
// plain "10000" does not take a response that encoding/json would read as
// a failure.
func TestDecodeResultReadsTheCodeAsEncodingJSONDoes(t *testing.T) {
	tests := []struct{ body, code string }{
		{`{"code":"10000","msg":"Success","out_trade_no":"K1","qr_code":"q"}`, ""},
		{`{"code":"10000","CODE":"40004","out_trade_no":"K1","qr_code":"q"}`, "40004"},
		{`{"Code":"10000","out_trade_no":"K1","qr_code":"q"}`, ""},
		{`{"code":"10000","c\u006fde":"40004","out_trade_no":"K1","qr_code":"q"}`, "40004"},
		{`{"code":"1000\u0030","out_trade_no":"K1","qr_code":"q"}`, ""},
		{`{"code":"40004","code":"10000","out_trade_no":"K1","qr_code":"q"}`, ""},
		{`{"code":"10000","code":"40004","out_trade_no":"K1","qr_code":"q"}`, "40004"},
	}
	for _, tt := range tests {
		res, err := scanResult(MethodPrecreate, []byte(tt.body), false, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out PrecreateResponse
		err = decodeResult(MethodPrecreate, &res, &out)
		var e *Error
		switch {
		case tt.code == "" && (err != nil || out.OutTradeNo != "K1" || out.QRCode != "q"):
			t.Errorf("%s: %+v, %v; want success", tt.body, out, err)
		case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code):
			t.Errorf("%s: %v; want code %s", tt.body, err, tt.code)
		}
	}
}

// TestVerifyResponseEscapedSign: a sign written with JSON escapes (\/ for
// the slashes of base64, as some encoders write it) is decoded first.
func TestVerifyResponseEscapedSign(t *testing.T) {
	pub := &testKeys(t).alipay.PublicKey
	for i := 0; ; i++ {
		body := `{"code":"10000","msg":"Success","n":"` + strings.Repeat("x", i) + `"}`
		raw := signed(t, body)
		sig := signOf(t, raw)
		if !strings.Contains(sig, "/") {
			continue // one signature in a few hundred has no slash
		}
		escaped := `{"alipay_trade_query_response":` + body + `,"sign":"` + strings.ReplaceAll(sig, "/", `\/`) + `"}`
		if got, err := VerifyResponse(pub, RSA2, MethodQuery, []byte(escaped)); err != nil || string(got) != body {
			t.Fatalf("escaped sign: %s, %v", got, err)
		}
		return
	}
}
