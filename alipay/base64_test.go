package alipay

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// checkDecodeSignature holds decodeSignature to base64.StdEncoding.Decode.
func checkDecodeSignature(t *testing.T, src []byte) {
	t.Helper()
	want := make([]byte, base64.StdEncoding.DecodedLen(len(src)))
	wn, werr := base64.StdEncoding.Decode(want, src)
	got := make([]byte, len(want))
	gn, gerr := decodeSignature(got, src)
	if (gerr == nil) != (werr == nil) || gerr == nil && (gn != wn || !bytes.Equal(got[:gn], want[:wn])) {
		t.Fatalf("decodeSignature(%q) = %q, %v; encoding/base64 %q, %v", src, got[:gn], gerr, want[:wn], werr)
	}
}

func TestDecodeSignature(t *testing.T) {
	sig, err := Sign(testKeys(t).alipay, RSA2, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{sig, "", "QQ==", "QR==", "QUI=", "QUJD", "QUJDRA==", "Q===", "QQ=", "QQ", "Q=Q=", "=QQQ",
		"QQ==QUJD", "QU\nJD", "QUJD\r\n", "QUJ*", "QUJD\x80AAA", "////", "++++", "-_-_"} {
		checkDecodeSignature(t, []byte(s))
	}
}

func FuzzDecodeSignature(f *testing.F) {
	for _, s := range []string{"QQ==", "QUI=", "QUJD", "Q=Q=", "QU\nJD", "-_-_"} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeSignature)
}
