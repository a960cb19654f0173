package alipay

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// Key errors. ParsePrivateKey and ParsePublicKey return a *KeyError that
// wraps exactly one of them, so a caller (or a setup screen) can tell the
// operator which mistake was made, and with the facts of it.
var (
	// ErrPublicKeyGiven means a public key was found where the app private
	// key belongs.
	ErrPublicKeyGiven = errors.New("alipay: a public key was given where a private key is needed")
	// ErrPrivateKeyGiven means a private key was found where a public key
	// (normally the Alipay public key) belongs.
	ErrPrivateKeyGiven = errors.New("alipay: a private key was given where a public key is needed")
	// ErrNotRSAKey means the key parsed but is not RSA (for example EC).
	ErrNotRSAKey = errors.New("alipay: key is not an RSA key")
	// ErrMalformedKey means the data is neither PEM nor base64 DER of a
	// known key structure.
	ErrMalformedKey = errors.New("alipay: malformed key")
	// ErrWeakKey means an RSA key shorter than MinKeyBits.
	ErrWeakKey = errors.New("alipay: RSA key too short")
)

// KeyError is key data refused, with what was found: Err is the one
// sentinel above it stands for (errors.Is matches it), and the other
// fields hold the facts of that mistake, so that a caller can say it in
// its own words.
type KeyError struct {
	Err       error        // ErrPublicKeyGiven, ErrPrivateKeyGiven, ErrNotRSAKey, ErrMalformedKey or ErrWeakKey
	Format    KeyFormat    // what the data holds, "PKCS#8 PEM"; "" when nothing decoded
	Bits      int          // ErrWeakKey: the key's size
	Algorithm string       // ErrNotRSAKey: the key's kind: "EC", "Ed25519", "DSA"
	Malformed Malformation // ErrMalformedKey: how
	Encoding  string       // ErrMalformedKey: what the data was read as, "PEM" or "base64", once known
	Size      int64        // MalformedTooLarge: the data's size in bytes
}

// Malformation says how key data is malformed.
type Malformation string

// The ways key data is malformed.
const (
	MalformedTooLarge     Malformation = "too-large"      // larger than any key (Size)
	MalformedNotEncoded   Malformation = "not-encoded"    // neither PEM nor base64
	MalformedEncrypted    Malformation = "encrypted"      // a PEM key encrypted with a passphrase
	MalformedPEMBlock     Malformation = "pem-block"      // PEM armour around a body that does not decode
	MalformedNoPrivateKey Malformation = "no-private-key" // decodes (Encoding), but holds no PKCS#1 or PKCS#8 private key
	MalformedNoPublicKey  Malformation = "no-public-key"  // decodes (Encoding), but holds no SPKI, PKCS#1 or certificate public key
)

func (e *KeyError) Error() string {
	var what string
	switch e.Err {
	case ErrWeakKey:
		what = fmt.Sprintf("%d bits, and Alipay's RSA2 needs %d", e.Bits, MinKeyBits)
	case ErrNotRSAKey:
		what = fmt.Sprintf("the key in %s is %s, not RSA", e.Format, e.Algorithm)
	case ErrPublicKeyGiven, ErrPrivateKeyGiven:
		what = "found " + string(e.Format)
	case ErrMalformedKey:
		what = malformedWords[e.Malformed]
		switch e.Malformed {
		case MalformedTooLarge:
			what = fmt.Sprintf(what, e.Size)
		case MalformedNoPrivateKey, MalformedNoPublicKey:
			what = fmt.Sprintf(what, e.Encoding)
		}
	}
	if what == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + what
}

// Unwrap is the sentinel.
func (e *KeyError) Unwrap() error { return e.Err }

var malformedWords = map[Malformation]string{
	MalformedTooLarge:     "%d bytes is too large for a key",
	MalformedNotEncoded:   "neither PEM nor base64",
	MalformedEncrypted:    "encrypted keys are not supported; decrypt it with openssl first",
	MalformedPEMBlock:     "PEM armour found but the block does not decode",
	MalformedNoPrivateKey: "%s data is not a PKCS#1 or PKCS#8 private key",
	MalformedNoPublicKey:  "%s data is not an SPKI, PKCS#1 or certificate public key",
}

func malformed(how Malformation) *KeyError { return &KeyError{Err: ErrMalformedKey, Malformed: how} }

// algorithm names the kind of a key that is not RSA.
func algorithm(key any) string {
	switch key.(type) {
	case *ecdsa.PrivateKey, *ecdsa.PublicKey, *ecdh.PrivateKey, *ecdh.PublicKey:
		return "EC"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", key)
}

// MinKeyBits is the shortest RSA key accepted: Alipay's RSA2 keys are
// 2048 bits, and shorter ones no longer count as safe.
const MinKeyBits = 2048

// checkKeySize refuses keys shorter than MinKeyBits.
func checkKeySize(k *rsa.PublicKey) error {
	if n := k.N.BitLen(); n < MinKeyBits {
		return &KeyError{Err: ErrWeakKey, Bits: n}
	}
	return nil
}

// withFormat notes in a *KeyError the format of the data.
func withFormat(err error, format KeyFormat) error {
	if e, ok := err.(*KeyError); ok {
		e.Format = format
	}
	return err
}

// KeyFormat describes, for humans, what kind of key data was found, for
// example "PKCS#1 PEM", "PKCS#8 base64" or "SPKI PEM".
type KeyFormat string

// derKind names the ASN.1 structures a key file may hold.
type derKind string

const (
	kindPKCS1Private derKind = "PKCS#1"
	kindPKCS8Private derKind = "PKCS#8"
	kindSPKI         derKind = "SPKI"
	kindPKCS1Public  derKind = "PKCS#1 public"
	kindCertificate  derKind = "X.509 certificate"
	kindSEC1         derKind = "SEC 1 EC"
)

// maxKeyData bounds the input: a 4096-bit key in PEM is about 3.3 KB, and a
// certificate a few KB, so anything this large is not a key.
const maxKeyData = 64 << 10

// ParsePrivateKey reads an RSA private key in PKCS#1 or PKCS#8 form, either
// as PEM or as bare base64 (on one line or wrapped, LF or CRLF), which are the
// shapes Alipay's key tool and openssl produce. Keys shorter than MinKeyBits
// are refused.
func ParsePrivateKey(data []byte) (*rsa.PrivateKey, KeyFormat, error) {
	der, enc, err := keyDER(data)
	if err != nil {
		return nil, "", err
	}
	kind, key := classifyDER(der)
	format := KeyFormat(string(kind) + " " + enc)
	switch kind {
	case kindPKCS1Private, kindPKCS8Private:
		if k, ok := key.(*rsa.PrivateKey); ok {
			if err := checkKeySize(&k.PublicKey); err != nil {
				return nil, format, withFormat(err, format)
			}
			return k, format, nil
		}
		return nil, format, &KeyError{Err: ErrNotRSAKey, Format: format, Algorithm: algorithm(key)}
	case kindSPKI, kindPKCS1Public, kindCertificate:
		return nil, format, &KeyError{Err: ErrPublicKeyGiven, Format: format}
	case kindSEC1:
		return nil, format, &KeyError{Err: ErrNotRSAKey, Format: format, Algorithm: "EC"}
	}
	return nil, "", &KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPrivateKey, Encoding: enc}
}

// ParsePublicKey reads an RSA public key: SPKI ("PUBLIC KEY", the form Alipay
// publishes) as PEM or bare base64, and also PKCS#1 "RSA PUBLIC KEY" and an
// X.509 certificate, whose key is returned. Keys shorter than MinKeyBits
// are refused.
func ParsePublicKey(data []byte) (*rsa.PublicKey, KeyFormat, error) {
	der, enc, err := keyDER(data)
	if err != nil {
		return nil, "", err
	}
	kind, key := classifyDER(der)
	format := KeyFormat(string(kind) + " " + enc)
	switch kind {
	case kindSPKI, kindPKCS1Public, kindCertificate:
		if k, ok := key.(*rsa.PublicKey); ok {
			if err := checkKeySize(k); err != nil {
				return nil, format, withFormat(err, format)
			}
			return k, format, nil
		}
		return nil, format, &KeyError{Err: ErrNotRSAKey, Format: format, Algorithm: algorithm(key)}
	case kindPKCS1Private, kindPKCS8Private, kindSEC1:
		return nil, format, &KeyError{Err: ErrPrivateKeyGiven, Format: format}
	}
	return nil, "", &KeyError{Err: ErrMalformedKey, Malformed: MalformedNoPublicKey, Encoding: enc}
}

// LoadPrivateKey reads ParsePrivateKey's input from a file. Errors name it.
func LoadPrivateKey(path string) (*rsa.PrivateKey, KeyFormat, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, "", err
	}
	k, f, err := ParsePrivateKey(data)
	if err != nil {
		return nil, f, fmt.Errorf("private key file %s: %w", path, err)
	}
	return k, f, nil
}

// LoadPublicKey reads ParsePublicKey's input from a file. Errors name it.
func LoadPublicKey(path string) (*rsa.PublicKey, KeyFormat, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, "", err
	}
	k, f, err := ParsePublicKey(data)
	if err != nil {
		return nil, f, fmt.Errorf("public key file %s: %w", path, err)
	}
	return k, f, nil
}

// readKeyFile reads a key file, refusing huge files (a wrong path pointing at
// a log or a disk image) before reading them whole.
func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if fi.Size() > maxKeyData {
		e := malformed(MalformedTooLarge)
		e.Size = fi.Size()
		return nil, fmt.Errorf("key file %s: %w", path, e)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return data, nil
}

// EncodePrivateKeyPEM writes k as a PKCS#8 "PRIVATE KEY" PEM block.
func EncodePrivateKeyPEM(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		// Only unsupported key types fail, and k is always RSA.
		panic("alipay: encode private key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// EncodePublicKeyPEM writes k as an SPKI "PUBLIC KEY" PEM block, the form
// Alipay's console shows and accepts.
func EncodePublicKeyPEM(k *rsa.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic("alipay: encode public key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// SameKey reports whether a and b are the same non-nil RSA public key.
// NewClient uses it to catch the most common configuration mistake: the
// app's own public key pasted where Alipay's public key belongs.
func SameKey(a, b *rsa.PublicKey) bool {
	return a != nil && b != nil && a.N != nil && b.N != nil && a.Equal(b)
}

// keyDER extracts DER bytes from PEM or bare base64 and says which it was.
func keyDER(data []byte) (der []byte, enc string, err error) {
	if len(data) > maxKeyData {
		e := malformed(MalformedTooLarge)
		e.Size = int64(len(data))
		return nil, "", e
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // BOM from Windows editors
	if bytes.Contains(data, []byte("-----BEGIN")) {
		der, err := pemDER(data)
		return der, "PEM", err
	}
	der, err = decodeBase64(data)
	if err != nil {
		return nil, "", malformed(MalformedNotEncoded)
	}
	return der, "base64", nil
}

// pemDER returns the bytes of the first key-bearing PEM block. A PEM pasted
// onto a single line (common in environment variables) does not satisfy
// encoding/pem, so that case falls back to stripping the armour by hand.
func pemDER(data []byte) ([]byte, error) {
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "EC PARAMETERS" {
			continue // openssl writes this before an EC key
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
			return nil, malformed(MalformedEncrypted)
		}
		return b.Bytes, nil
	}
	der, err := decodeBase64(stripArmour(data))
	if err != nil {
		return nil, malformed(MalformedPEMBlock)
	}
	return der, nil
}

// stripArmour removes "-----BEGIN ...-----" and "-----END ...-----" markers
// wherever they are, leaving what should be the base64 body.
func stripArmour(data []byte) []byte {
	var out []byte
	for len(data) > 0 {
		i := bytes.Index(data, []byte("-----"))
		if i < 0 {
			return append(out, data...)
		}
		out = append(out, data[:i]...)
		rest := data[i+5:]
		j := bytes.Index(rest, []byte("-----"))
		if j < 0 {
			return out
		}
		data = rest[j+5:]
	}
	return out
}

// decodeBase64 decodes standard base64 with any whitespace removed, padded
// or not.
func decodeBase64(data []byte) ([]byte, error) {
	s := string(bytes.Join(bytes.Fields(data), nil))
	if s == "" {
		return nil, errors.New("empty")
	}
	if der, err := base64.StdEncoding.DecodeString(s); err == nil {
		return der, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// classifyDER tries each structure a key file may contain. The order matters
// only for speed: all parsers are strict, so at most one of them succeeds.
func classifyDER(der []byte) (derKind, any) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return kindPKCS1Private, k
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return kindPKCS8Private, k
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		return kindSPKI, k
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return kindPKCS1Public, k
	}
	if c, err := x509.ParseCertificate(der); err == nil {
		return kindCertificate, c.PublicKey
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return kindSEC1, k
	}
	return "", nil
}
