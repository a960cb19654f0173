package mapi

import (
	"crypto/md5" //nolint:gosec // MD5 is what sign_type=MD5 means in this protocol
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Gateways of the legacy mapi protocol.
const (
	Gateway        = "https://mapi.alipay.com/gateway.do"
	SandboxGateway = "https://mapi.alipaydev.com/gateway.do"
)

// SignTypeMD5 is the only sign_type this package signs or accepts.
const SignTypeMD5 = "MD5"

// Errors returned by Verify, DirectPayURL and the checks behind them.
var (
	// ErrBadSignature means sign does not match, is malformed, or the form
	// claims a sign_type other than MD5.
	ErrBadSignature = errors.New("mapi: signature does not verify")
	// ErrNotSigned means the form carries no sign at all.
	ErrNotSigned = errors.New("mapi: form is not signed")
	// ErrInvalidKey means the MD5 key is not the 32 letters and digits
	// Alipay issues; an empty key would make every signature forgeable.
	ErrInvalidKey = errors.New("mapi: the MD5 key must be 32 letters or digits")
)

// keyLen is the length of the security key (安全校验码) Alipay issues.
const keyLen = 32

// Sign returns the MD5 signature of params under key: lowercase hex of
// md5(signing string + key). sign and sign_type are left out, as are empty
// values; only the first value of each key counts.
func Sign(params url.Values, key string) string {
	sum := md5.Sum([]byte(SigningString(params) + key)) //nolint:gosec // protocol-mandated
	return hex.EncodeToString(sum[:])
}

// SigningString is the text a signature covers, without the key: sorted raw
// "k=v" pairs joined by '&', sign, sign_type and empty values left out.
func SigningString(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k, vs := range params {
		if k == "" || k == "sign" || k == "sign_type" || len(vs) == 0 || vs[0] == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
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

// Verify checks the sign of a received form (a notification or a return_url
// redirect) decoded once, as net/http's ParseForm leaves it. It returns
// ErrNotSigned when sign is missing and an error wrapping ErrBadSignature
// when sign_type is not MD5 or sign does not match.
func Verify(params url.Values, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	got := params.Get("sign")
	if got == "" {
		return ErrNotSigned
	}
	// Refusing other types keeps an attacker from choosing the check.
	if st := params.Get("sign_type"); st != SignTypeMD5 {
		return fmt.Errorf("%w: sign_type %q, want %s", ErrBadSignature, st, SignTypeMD5)
	}
	want := Sign(params, key)
	// Constant time, so response timing does not reveal how many leading
	// characters of a forged sign were right.
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) != 1 {
		return ErrBadSignature
	}
	return nil
}

// checkKey rejects keys that cannot be a real security key.
func checkKey(key string) error {
	if len(key) != keyLen {
		return fmt.Errorf("%w (got %d characters)", ErrInvalidKey, len(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return fmt.Errorf("%w (character %d is %q)", ErrInvalidKey, i+1, c)
		}
	}
	return nil
}
