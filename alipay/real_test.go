package alipay

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// These tests use messages Alipay itself signed (see testdata/alipay-real).

const realMethod = "alipay.open.file.upload"

func readReal(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "alipay-real", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func realKey(t *testing.T, name string) *rsa.PublicKey {
	t.Helper()
	k, _, err := ParsePublicKey(readReal(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRealResponseVerifies(t *testing.T) {
	key := realKey(t, "response-alipay-public-key.pub")
	raw := readReal(t, "response-open-file-upload.json")
	body, err := VerifyResponse(key, RSA2, realMethod, raw)
	if err != nil {
		t.Fatalf("VerifyResponse: %v", err)
	}
	want := `{"code":"10000","msg":"Success","file_id":"CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr"}`
	if string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
	if _, err := VerifyResponse(key, RSA, realMethod, raw); !errors.Is(err, ErrBadSignature) {
		t.Errorf("checked as RSA (SHA-1): %v", err)
	}
	other := realKey(t, "notify-alipay-public-key.pub")
	if _, err := VerifyResponse(other, RSA2, realMethod, raw); !errors.Is(err, ErrBadSignature) {
		t.Errorf("checked with the notification key: %v", err)
	}
}

// TestRealResponseAnyByteChanged flips every byte of the signed value and of
// the signature. Each change must be refused, either as a bad signature or,
// where the flip breaks the JSON, as an unexpected response.
func TestRealResponseAnyByteChanged(t *testing.T) {
	key := realKey(t, "response-alipay-public-key.pub")
	raw := readReal(t, "response-open-file-upload.json")
	start := bytes.IndexByte(raw[1:], '{') + 1
	end := bytes.Index(raw, []byte(`},"sign":"`)) + 1
	sigStart := end + len(`,"sign":"`)
	sigEnd := len(raw) - len(`"}`)
	positions := 0
	for _, span := range [][2]int{{start, end}, {sigStart, sigEnd}} {
		for i := span[0]; i < span[1]; i++ {
			forged := bytes.Clone(raw)
			forged[i] ^= 0x01
			_, err := VerifyResponse(key, RSA2, realMethod, forged)
			if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("byte %d (%q -> %q) changed: err = %v", i, raw[i], forged[i], err)
			}
			positions++
		}
	}
	if positions < 400 {
		t.Fatalf("only %d positions tried; sample layout not understood", positions)
	}
}

func realNotification(t *testing.T) url.Values {
	t.Helper()
	form, err := url.ParseQuery(string(readReal(t, "notify-trade-status-sync.form")))
	if err != nil {
		t.Fatal(err)
	}
	return form
}

func TestRealNotificationVerifies(t *testing.T) {
	key := realKey(t, "notify-alipay-public-key.pub")
	form := realNotification(t)
	sig := form.Get("sign")
	if err := Verify(key, RSA2, []byte(NotifySigningString(form)), sig); err != nil {
		t.Fatalf("notification does not verify: %v", err)
	}
	// Alipay's trade notifications leave sign_type out of the signed text.
	if err := Verify(key, RSA2, []byte(RequestSigningString(form)), sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("verified with sign_type included: %v", err)
	}

	// The JSON copy holds the same decoded fields.
	var fields map[string]string
	if err := json.Unmarshal(readReal(t, "notify-trade-status-sync.json"), &fields); err != nil {
		t.Fatal(err)
	}
	if len(fields) != len(form) {
		t.Fatalf("json has %d fields, form %d", len(fields), len(form))
	}
	for k, v := range fields {
		if form.Get(k) != v {
			t.Errorf("%s: json %q, form %q", k, v, form.Get(k))
		}
	}
}

// TestRealNotificationAnyCharChanged changes, one at a time, every byte of
// every signed field value; each change must break the signature.
func TestRealNotificationAnyCharChanged(t *testing.T) {
	key := realKey(t, "notify-alipay-public-key.pub")
	form := realNotification(t)
	sig := form.Get("sign")
	for name := range form {
		if name == "sign" || name == "sign_type" {
			continue
		}
		orig := form.Get(name)
		for i := range len(orig) {
			b := []byte(orig)
			b[i] ^= 0x01
			form.Set(name, string(b))
			if err := Verify(key, RSA2, []byte(NotifySigningString(form)), sig); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("%s byte %d changed: err = %v", name, i, err)
			}
		}
		form.Set(name, orig)
	}
	// Dropping a field breaks it too.
	form.Del("point_amount")
	if err := Verify(key, RSA2, []byte(NotifySigningString(form)), sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("field removed: err = %v", err)
	}
}
