package alipay

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// keyEncodings is every way the test writes the app key pair.
type keyEncodings struct {
	pkcs1DER, pkcs8DER, spkiDER, pkcs1PubDER, certDER []byte
}

func encodings(t *testing.T) keyEncodings {
	t.Helper()
	k := testKeys(t).app
	pkcs8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "kiosk test"},
		NotBefore:    time.Unix(0, 0),
		NotAfter:     time.Unix(1<<31, 0),
	}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return keyEncodings{
		pkcs1DER:    x509.MarshalPKCS1PrivateKey(k),
		pkcs8DER:    pkcs8,
		spkiDER:     spki,
		pkcs1PubDER: x509.MarshalPKCS1PublicKey(&k.PublicKey),
		certDER:     cert,
	}
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func b64(der []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(der)) }

// wrapped is base64 broken into 64-character lines ending in eol.
func wrapped(der []byte, eol string) []byte {
	s := base64.StdEncoding.EncodeToString(der)
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + eol)
		s = s[64:]
	}
	b.WriteString(s + eol)
	return []byte(b.String())
}

func crlf(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "\n", "\r\n")) }

func TestParsePrivateKey(t *testing.T) {
	e := encodings(t)
	tests := []struct {
		name   string
		data   []byte
		format KeyFormat
	}{
		{"PKCS#1 PEM", pemOf("RSA PRIVATE KEY", e.pkcs1DER), "PKCS#1 PEM"},
		{"PKCS#8 PEM", pemOf("PRIVATE KEY", e.pkcs8DER), "PKCS#8 PEM"},
		{"PKCS#1 PEM CRLF", crlf(pemOf("RSA PRIVATE KEY", e.pkcs1DER)), "PKCS#1 PEM"},
		{"PKCS#8 PEM CRLF", crlf(pemOf("PRIVATE KEY", e.pkcs8DER)), "PKCS#8 PEM"},
		{"PKCS#8 in PKCS#1 armour", pemOf("RSA PRIVATE KEY", e.pkcs8DER), "PKCS#8 PEM"},
		{"PEM after text", append([]byte("Bag Attributes\n  localKeyID: 01\n"), pemOf("PRIVATE KEY", e.pkcs8DER)...), "PKCS#8 PEM"},
		{"PEM on one line", []byte("-----BEGIN PRIVATE KEY-----" + string(b64(e.pkcs8DER)) + "-----END PRIVATE KEY-----"), "PKCS#8 PEM"},
		{"PKCS#1 base64", b64(e.pkcs1DER), "PKCS#1 base64"},
		{"PKCS#8 base64", b64(e.pkcs8DER), "PKCS#8 base64"},
		{"PKCS#1 base64 newline", append(b64(e.pkcs1DER), '\n'), "PKCS#1 base64"},
		{"PKCS#1 base64 wrapped", wrapped(e.pkcs1DER, "\n"), "PKCS#1 base64"},
		{"PKCS#8 base64 wrapped", wrapped(e.pkcs8DER, "\n"), "PKCS#8 base64"},
		{"PKCS#1 base64 wrapped CRLF", wrapped(e.pkcs1DER, "\r\n"), "PKCS#1 base64"},
		{"PKCS#8 base64 wrapped CRLF", wrapped(e.pkcs8DER, "\r\n"), "PKCS#8 base64"},
		{"PKCS#8 base64 unpadded", []byte(base64.RawStdEncoding.EncodeToString(e.pkcs8DER)), "PKCS#8 base64"},
		{"BOM", append([]byte("\xef\xbb\xbf"), pemOf("PRIVATE KEY", e.pkcs8DER)...), "PKCS#8 PEM"},
	}
	want := testKeys(t).app
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, format, err := ParsePrivateKey(tt.data)
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if !k.Equal(want) {
				t.Error("parsed key differs from the encoded one")
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	e := encodings(t)
	tests := []struct {
		name   string
		data   []byte
		format KeyFormat
	}{
		{"SPKI PEM", pemOf("PUBLIC KEY", e.spkiDER), "SPKI PEM"},
		{"SPKI PEM CRLF", crlf(pemOf("PUBLIC KEY", e.spkiDER)), "SPKI PEM"},
		{"SPKI base64", b64(e.spkiDER), "SPKI base64"},
		{"SPKI base64 wrapped CRLF", wrapped(e.spkiDER, "\r\n"), "SPKI base64"},
		{"PKCS#1 public PEM", pemOf("RSA PUBLIC KEY", e.pkcs1PubDER), "PKCS#1 public PEM"},
		{"certificate PEM", pemOf("CERTIFICATE", e.certDER), "X.509 certificate PEM"},
		{"EncodePublicKeyPEM", EncodePublicKeyPEM(&testKeys(t).app.PublicKey), "SPKI PEM"},
	}
	want := &testKeys(t).app.PublicKey
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, format, err := ParsePublicKey(tt.data)
			if err != nil {
				t.Fatalf("ParsePublicKey: %v", err)
			}
			if !SameKey(k, want) {
				t.Error("parsed key differs from the encoded one")
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
		})
	}
}

// TestParseKeyMistakes: each mistake in key data is a *KeyError of its
// sentinel, with the facts a caller words it by.
func TestParseKeyMistakes(t *testing.T) {
	e := encodings(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecSEC1, _ := x509.MarshalECPrivateKey(ec)
	ecPKCS8, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecSPKI, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weakPKCS8, _ := x509.MarshalPKCS8PrivateKey(weak)
	weakSPKI, _ := x509.MarshalPKIXPublicKey(&weak.PublicKey)
	encrypted := pemOf("ENCRYPTED PRIVATE KEY", e.pkcs8DER)
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"}, Bytes: e.pkcs1DER})
	tests := []struct {
		name    string
		private bool // given to ParsePrivateKey, else ParsePublicKey
		data    []byte
		want    KeyError // the facts of the *KeyError
	}{
		{"SPKI PEM as private", true, pemOf("PUBLIC KEY", e.spkiDER), KeyError{Err: ErrPublicKeyGiven, Format: "SPKI PEM"}},
		{"SPKI base64 as private", true, b64(e.spkiDER), KeyError{Err: ErrPublicKeyGiven, Format: "SPKI base64"}},
		{"PKCS#1 public as private", true, pemOf("RSA PUBLIC KEY", e.pkcs1PubDER), KeyError{Err: ErrPublicKeyGiven, Format: "PKCS#1 public PEM"}},
		{"certificate as private", true, pemOf("CERTIFICATE", e.certDER), KeyError{Err: ErrPublicKeyGiven, Format: "X.509 certificate PEM"}},
		{"PKCS#1 PEM as public", false, pemOf("RSA PRIVATE KEY", e.pkcs1DER), KeyError{Err: ErrPrivateKeyGiven, Format: "PKCS#1 PEM"}},
		{"PKCS#8 PEM as public", false, pemOf("PRIVATE KEY", e.pkcs8DER), KeyError{Err: ErrPrivateKeyGiven, Format: "PKCS#8 PEM"}},
		{"PKCS#8 base64 as public", false, b64(e.pkcs8DER), KeyError{Err: ErrPrivateKeyGiven, Format: "PKCS#8 base64"}},
		{"EC SEC1 as private", true, pemOf("EC PRIVATE KEY", ecSEC1), KeyError{Err: ErrNotRSAKey, Format: "SEC 1 EC PEM", Algorithm: "EC"}},
		{"EC SEC1 after parameters", true, append(pemOf("EC PARAMETERS", []byte{6, 8, 42, 134, 72, 206, 61, 3, 1, 7}), pemOf("EC PRIVATE KEY", ecSEC1)...), KeyError{Err: ErrNotRSAKey, Format: "SEC 1 EC PEM", Algorithm: "EC"}},
		{"EC PKCS#8 as private", true, pemOf("PRIVATE KEY", ecPKCS8), KeyError{Err: ErrNotRSAKey, Format: "PKCS#8 PEM", Algorithm: "EC"}},
		{"EC SPKI as public", false, pemOf("PUBLIC KEY", ecSPKI), KeyError{Err: ErrNotRSAKey, Format: "SPKI PEM", Algorithm: "EC"}},
		{"empty private", true, nil, KeyError{Err: ErrMalformedKey, Malformed: MalformedNotEncoded}},
		{"empty public", false, []byte("  \n"), KeyError{Err: ErrMalformedKey, Malformed: MalformedNotEncoded}},
		{"text", true, []byte("my secret key"), KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPrivateKey, Encoding: "base64"}},
		{"base64 of junk", true, []byte("AAAAAAAA"), KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPrivateKey, Encoding: "base64"}},
		{"base64 of junk public", false, []byte("AAAAAAAA"), KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPublicKey, Encoding: "base64"}},
		{"truncated PEM", true, pemOf("PRIVATE KEY", e.pkcs8DER)[:200], KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPrivateKey, Encoding: "PEM"}},
		{"text that is not base64", true, []byte("my secret key!"), KeyError{Err: ErrMalformedKey, Malformed: MalformedNotEncoded}},
		{"PEM with junk body", false, []byte("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n"), KeyError{Err: ErrMalformedKey, Malformed: MalformedPEMBlock}},
		{"encrypted PKCS#8", true, encrypted, KeyError{Err: ErrMalformedKey, Malformed: MalformedEncrypted}},
		{"encrypted PKCS#1", true, legacyEncrypted, KeyError{Err: ErrMalformedKey, Malformed: MalformedEncrypted}},
		{"huge", true, make([]byte, maxKeyData+1), KeyError{Err: ErrMalformedKey, Malformed: MalformedTooLarge, Size: maxKeyData + 1}},
		{"1024-bit PKCS#8", true, pemOf("PRIVATE KEY", weakPKCS8), KeyError{Err: ErrWeakKey, Format: "PKCS#8 PEM", Bits: 1024}},
		{"1024-bit PKCS#1", true, b64(x509.MarshalPKCS1PrivateKey(weak)), KeyError{Err: ErrWeakKey, Format: "PKCS#1 base64", Bits: 1024}},
		{"1024-bit SPKI", false, pemOf("PUBLIC KEY", weakSPKI), KeyError{Err: ErrWeakKey, Format: "SPKI PEM", Bits: 1024}},
		{"1024-bit PKCS#1 public", false, pemOf("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&weak.PublicKey)), KeyError{Err: ErrWeakKey, Format: "PKCS#1 public PEM", Bits: 1024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.private {
				_, _, err = ParsePrivateKey(tt.data)
			} else {
				_, _, err = ParsePublicKey(tt.data)
			}
			if !errors.Is(err, tt.want.Err) {
				t.Fatalf("err = %v, want %v", err, tt.want.Err)
			}
			var ke *KeyError
			if !errors.As(err, &ke) || *ke != tt.want {
				t.Errorf("err = %#v, want the facts %#v", ke, tt.want)
			}
		})
	}
}

func TestEncodeKeysRoundTrip(t *testing.T) {
	k := testKeys(t).app
	priv, format, err := ParsePrivateKey(EncodePrivateKeyPEM(k))
	if err != nil || format != "PKCS#8 PEM" || !priv.Equal(k) {
		t.Fatalf("private round trip: %q, %v", format, err)
	}
	if !strings.HasPrefix(string(EncodePrivateKeyPEM(k)), "-----BEGIN PRIVATE KEY-----\n") {
		t.Error("EncodePrivateKeyPEM does not write a PKCS#8 PRIVATE KEY block")
	}
	if !strings.HasPrefix(string(EncodePublicKeyPEM(&k.PublicKey)), "-----BEGIN PUBLIC KEY-----\n") {
		t.Error("EncodePublicKeyPEM does not write an SPKI PUBLIC KEY block")
	}
}

func TestLoadKeys(t *testing.T) {
	dir := t.TempDir()
	k := testKeys(t).app
	privPath := filepath.Join(dir, "app_private_key.pem")
	pubPath := filepath.Join(dir, "app_public_key.pem")
	writeFile(t, privPath, EncodePrivateKeyPEM(k))
	writeFile(t, pubPath, EncodePublicKeyPEM(&k.PublicKey))

	if priv, _, err := LoadPrivateKey(privPath); err != nil || !priv.Equal(k) {
		t.Fatalf("LoadPrivateKey: %v", err)
	}
	if pub, _, err := LoadPublicKey(pubPath); err != nil || !SameKey(pub, &k.PublicKey) {
		t.Fatalf("LoadPublicKey: %v", err)
	}

	// Swapped files: the error names the file and the mistake.
	_, _, err := LoadPrivateKey(pubPath)
	if !errors.Is(err, ErrPublicKeyGiven) || !strings.Contains(err.Error(), pubPath) {
		t.Errorf("LoadPrivateKey(public file) = %v", err)
	}
	_, _, err = LoadPublicKey(privPath)
	if !errors.Is(err, ErrPrivateKeyGiven) || !strings.Contains(err.Error(), privPath) {
		t.Errorf("LoadPublicKey(private file) = %v", err)
	}
	missing := filepath.Join(dir, "missing.pem")
	_, _, err = LoadPrivateKey(missing)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadPrivateKey(missing) = %v", err)
	}
	huge := filepath.Join(dir, "huge.pem")
	writeFile(t, huge, make([]byte, maxKeyData+1))
	if _, _, err := LoadPrivateKey(huge); !errors.Is(err, ErrMalformedKey) || !strings.Contains(err.Error(), huge) {
		t.Errorf("LoadPrivateKey(huge) = %v", err)
	}
	_, _, err = LoadPublicKey(missing)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadPublicKey(missing) = %v", err)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSameKey(t *testing.T) {
	keys := testKeys(t)
	a := &keys.app.PublicKey
	copyOfA := *a
	switch {
	case !SameKey(a, &copyOfA):
		t.Error("SameKey(a, copy of a) = false")
	case SameKey(a, &keys.alipay.PublicKey):
		t.Error("SameKey(a, b) = true")
	case SameKey(nil, a), SameKey(a, nil), SameKey(nil, nil):
		t.Error("SameKey with nil = true")
	}
}
