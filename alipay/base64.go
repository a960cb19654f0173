package alipay

import (
	"encoding/base64"
	"encoding/binary"
)

// decodeSignature decodes a standard-base64 signature into dst (which must
// hold base64.StdEncoding.DecodedLen(len(src)) bytes) exactly as
// base64.StdEncoding.Decode does. A signature in the usual form (a
// multiple of four characters of the alphabet, padded) is decoded here
// with four table lookups per group, about three times faster; any other
// form is left to encoding/base64, so the two accept and produce the same
// (FuzzDecodeSignature).
func decodeSignature(dst, src []byte) (int, error) {
	if n, ok := decodeCanonical(dst, src); ok {
		return n, nil
	}
	return base64.StdEncoding.Decode(dst, src)
}

// badGroup is set in a decoded group by a character outside the alphabet.
const badGroup = 1 << 24

// base64Tables holds, for each position in a group of four characters, the
// character's six bits already shifted into place, or badGroup.
var base64Tables = func() (t [4][256]uint32) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for pos := range t {
		for c := range t[pos] {
			t[pos][c] = badGroup
		}
		for v, c := range []byte(alphabet) {
			t[pos][c] = uint32(v) << (18 - 6*pos)
		}
	}
	return t
}()

// decodeCanonical decodes src if it is in the usual form, reporting false
// (and dst in an unspecified state) otherwise.
func decodeCanonical(dst, src []byte) (int, bool) {
	if len(src) == 0 || len(src)%4 != 0 {
		return 0, false
	}
	// The last group may end in padding: decode it on its own.
	body, last := src[:len(src)-4], src[len(src)-4:]
	if len(dst) < len(body)/4*3+3 {
		return 0, false
	}
	t := &base64Tables
	n := 0
	for i := 0; i < len(body); i += 4 {
		c := body[i : i+4 : i+4]
		g := t[0][c[0]] | t[1][c[1]] | t[2][c[2]] | t[3][c[3]]
		if g&badGroup != 0 {
			return 0, false
		}
		// Four bytes written, three kept: the next group or the last
		// one overwrites the fourth.
		binary.BigEndian.PutUint32(dst[n:n+4], g<<8)
		n += 3
	}
	switch {
	case last[2] == '=' && last[3] == '=':
		g := t[0][last[0]] | t[1][last[1]]
		if g&badGroup != 0 {
			return 0, false
		}
		dst[n] = byte(g >> 16)
		return n + 1, true
	case last[3] == '=':
		g := t[0][last[0]] | t[1][last[1]] | t[2][last[2]]
		if g&badGroup != 0 {
			return 0, false
		}
		dst[n], dst[n+1] = byte(g>>16), byte(g>>8)
		return n + 2, true
	}
	g := t[0][last[0]] | t[1][last[1]] | t[2][last[2]] | t[3][last[3]]
	if g&badGroup != 0 {
		return 0, false
	}
	dst[n], dst[n+1], dst[n+2] = byte(g>>16), byte(g>>8), byte(g)
	return n + 3, true
}
