package alipay

import (
	"crypto/rsa"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The vectors under testdata/openssl were made by OpenSSL with a throwaway
// key; see the README there for the commands. They check our key parsing
// and signing against an implementation that shares no code with Go's.

// readOpenSSL returns a file of testdata/openssl.
func readOpenSSL(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "openssl", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openSSLKey loads the PKCS#8 PEM private key, the one openssl signed with.
func openSSLKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, _, err := ParsePrivateKey(readOpenSSL(t, "private.pkcs8"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestOpenSSLPrivateKeyForms(t *testing.T) {
	want := openSSLKey(t)
	tests := []struct{ file, format string }{
		{"private.pkcs8", "PKCS#8 PEM"},
		{"private.pkcs1", "PKCS#1 PEM"},
		{"private.pkcs8.b64", "PKCS#8 base64"},
		{"private.pkcs1.b64", "PKCS#1 base64"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			k, format, err := ParsePrivateKey(readOpenSSL(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if string(format) != tt.format {
				t.Errorf("format %q, want %q", format, tt.format)
			}
			if !k.Equal(want) {
				t.Error("a different key than private.pkcs8")
			}
			if _, _, err := ParsePublicKey(readOpenSSL(t, tt.file)); !errors.Is(err, ErrPrivateKeyGiven) {
				t.Errorf("ParsePublicKey of a private key: %v, want ErrPrivateKeyGiven", err)
			}
		})
	}
}

func TestOpenSSLPublicKeyForms(t *testing.T) {
	want := &openSSLKey(t).PublicKey
	tests := []struct{ file, format string }{
		{"public.spki", "SPKI PEM"},
		{"public.spki.b64", "SPKI base64"},
		{"public.pkcs1", "PKCS#1 public PEM"},
		{"public.x509", "X.509 certificate PEM"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			k, format, err := ParsePublicKey(readOpenSSL(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if string(format) != tt.format {
				t.Errorf("format %q, want %q", format, tt.format)
			}
			if !SameKey(k, want) {
				t.Error("not the public half of private.pkcs8")
			}
			if _, _, err := ParsePrivateKey(readOpenSSL(t, tt.file)); !errors.Is(err, ErrPublicKeyGiven) {
				t.Errorf("ParsePrivateKey of a public key: %v, want ErrPublicKeyGiven", err)
			}
		})
	}
}

// TestOpenSSLContentIsOurSigningString ties the vector to the protocol:
// content.txt is what RequestSigningString writes for those parameters.
func TestOpenSSLContentIsOurSigningString(t *testing.T) {
	params := url.Values{
		"app_id":      {"2021000000000001"},
		"method":      {"alipay.trade.precreate"},
		"format":      {"JSON"},
		"charset":     {"utf-8"},
		"sign_type":   {"RSA2"},
		"timestamp":   {"2026-01-02 11:04:05"},
		"version":     {"1.0"},
		"biz_content": {`{"out_trade_no":"K20260102-000123","total_amount":"12.34","subject":"茶 a+b&c=d"}`},
	}
	if got, want := RequestSigningString(params), string(readOpenSSL(t, "content.txt")); got != want {
		t.Errorf("RequestSigningString = %q\ncontent.txt          = %q", got, want)
	}
}

func TestOpenSSLSignatures(t *testing.T) {
	content := readOpenSSL(t, "content.txt")
	pub, _, err := ParsePublicKey(readOpenSSL(t, "public.spki"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		st   SignType
		file string
	}{{RSA2, "content.rsa2.sig"}, {RSA, "content.rsa.sig"}}
	for _, tt := range tests {
		t.Run(string(tt.st), func(t *testing.T) {
			want := strings.TrimSpace(string(readOpenSSL(t, tt.file)))
			// Every private form must sign identically: PKCS#1 v1.5 is
			// deterministic, so this is a byte-for-byte check.
			for _, form := range []string{"private.pkcs8", "private.pkcs1", "private.pkcs1.b64"} {
				k, _, err := ParsePrivateKey(readOpenSSL(t, form))
				if err != nil {
					t.Fatal(err)
				}
				got, err := Sign(k, tt.st, content)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s: Sign = %s...\nopenssl   = %s...", form, got[:40], want[:40])
				}
			}
			if err := Verify(pub, tt.st, content, want); err != nil {
				t.Errorf("openssl's signature rejected: %v", err)
			}
			assertOpenSSLTamperFails(t, pub, tt.st, content, want)
		})
	}
}

// assertOpenSSLTamperFails changes one byte of the content, one character
// of the signature, and the algorithm, and expects ErrBadSignature each time.
func assertOpenSSLTamperFails(t *testing.T, pub *rsa.PublicKey, st SignType, content []byte, sig string) {
	t.Helper()
	other := RSA
	if st == RSA {
		other = RSA2
	}
	flipped := append([]byte(nil), content...)
	flipped[len(flipped)-1] ^= 1
	sigChars := []byte(sig)
	if sigChars[10] == 'A' {
		sigChars[10] = 'B'
	} else {
		sigChars[10] = 'A'
	}
	tests := []struct {
		name    string
		st      SignType
		content []byte
		sig     string
	}{
		{"content byte", st, flipped, sig},
		{"signature character", st, content, string(sigChars)},
		{"other algorithm", other, content, sig},
	}
	for _, tt := range tests {
		if err := Verify(pub, tt.st, tt.content, tt.sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("tampered %s: Verify = %v, want ErrBadSignature", tt.name, err)
		}
	}
}
