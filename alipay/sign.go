package alipay

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SHA1withRSA is what sign_type=RSA means
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// SignType is the value of the sign_type parameter.
type SignType string

// The two sign types of OpenAPI v2, both RSA PKCS#1 v1.5. Alipay requires
// RSA2 for new apps; RSA (SHA-1) exists for old ones.
const (
	RSA2 SignType = "RSA2" // SHA256withRSA
	RSA  SignType = "RSA"  // SHA1withRSA
)

// ErrBadSignature means a signature is malformed or does not match.
var ErrBadSignature = errors.New("alipay: signature does not verify")

// ErrUnsupportedSignType means a SignType other than RSA2 or RSA was used.
var ErrUnsupportedSignType = errors.New("alipay: unsupported sign type")

// hash returns the digest algorithm behind t.
func (t SignType) hash() (crypto.Hash, error) {
	switch t {
	case RSA2:
		return crypto.SHA256, nil
	case RSA:
		return crypto.SHA1, nil
	}
	return 0, fmt.Errorf("%w %q (want RSA2 or RSA)", ErrUnsupportedSignType, string(t))
}

// digest hashes content with the algorithm of t.
func digest(t SignType, content []byte) (crypto.Hash, []byte, error) {
	h, err := t.hash()
	if err != nil {
		return 0, nil, err
	}
	if h == crypto.SHA1 {
		sum := sha1.Sum(content)
		return h, sum[:], nil
	}
	sum := sha256.Sum256(content)
	return h, sum[:], nil
}

// RequestSigningString builds the text a request signature covers: every
// parameter except "sign", with empty values left out, sorted by key
// (bytewise), written "k=v" with raw values (no URL-encoding) and joined by
// '&'. sign_type is included. Only the first value of each key counts.
func RequestSigningString(params url.Values) string {
	return signingString(params, "sign")
}

// NotifySigningString is RequestSigningString for async notifications, whose
// rule also leaves out "sign_type".
func NotifySigningString(params url.Values) string {
	return signingString(params, "sign", "sign_type")
}

// signingString implements both rules; exclude lists the keys left out.
func signingString(params url.Values, exclude ...string) string {
	keys := make([]string, 0, len(params))
	size := 0
	for k, vs := range params {
		if k == "" || len(vs) == 0 || vs[0] == "" || contains(exclude, k) {
			continue
		}
		keys = append(keys, k)
		size += len(k) + len(vs[0]) + 2
	}
	sort.Strings(keys)
	var b strings.Builder
	b.Grow(size)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params[k][0])
	}
	return b.String()
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Sign signs content with key using the algorithm of t and returns the
// signature in standard base64, as the sign parameter carries it.
func Sign(key *rsa.PrivateKey, t SignType, content []byte) (string, error) {
	if key == nil {
		return "", errors.New("alipay: sign: no private key")
	}
	h, sum, err := digest(t, content)
	if err != nil {
		return "", err
	}
	// PKCS#1 v1.5 signing is deterministic, so no random source is needed.
	sig, err := rsa.SignPKCS1v15(nil, key, h, sum)
	if err != nil {
		return "", fmt.Errorf("alipay: sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// Verify checks a standard-base64 signature over content. A signature that
// does not decode or does not match yields an error wrapping ErrBadSignature.
func Verify(key *rsa.PublicKey, t SignType, content []byte, sig string) error {
	return verifyContent(key, t, content, []byte(sig))
}

// verifyContent is Verify with the signature as bytes.
func verifyContent(key *rsa.PublicKey, t SignType, content, sig []byte) error {
	h, err := t.hash()
	if err != nil {
		return err
	}
	if h == crypto.SHA1 {
		sum := sha1.Sum(content)
		return verifyDigest(key, h, sum[:], sig)
	}
	sum := sha256.Sum256(content)
	return verifyDigest(key, h, sum[:], sig)
}

// verifyDigest checks a standard-base64 signature of a digest.
func verifyDigest(key *rsa.PublicKey, h crypto.Hash, sum, sig []byte) error {
	if key == nil {
		return errors.New("alipay: verify: no public key")
	}
	var buf [512]byte // a 4096-bit signature; larger ones are allocated
	raw := buf[:]
	if n := base64.StdEncoding.DecodedLen(len(sig)); n > len(buf) {
		raw = make([]byte, n)
	}
	n, err := decodeSignature(raw, sig)
	if err != nil {
		return fmt.Errorf("%w: sign is not base64", ErrBadSignature)
	}
	if err := rsa.VerifyPKCS1v15(key, h, sum, raw[:n]); err != nil {
		return ErrBadSignature
	}
	return nil
}
