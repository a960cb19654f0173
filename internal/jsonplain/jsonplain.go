// Package jsonplain tells the strings that a JSON string holds as they
// are, byte for byte: all ASCII, with no control character, quote or
// backslash. The ledger's decoder (store) and the export's encoder
// (ui/cli) look at every string of a day's sales; most are plain, and
// this finds that out eight bytes at a time rather than byte by byte.
package jsonplain

import "encoding/binary"

const ones, highs = 0x0101010101010101, 0x8080808080808080

// Bytes reports whether every byte of b is ASCII from the space on,
// neither the quote nor the backslash.
func Bytes(b []byte) bool {
	var odd uint64
	for ; len(b) >= 8; b = b[8:] {
		odd |= oddBytes(binary.LittleEndian.Uint64(b))
	}
	for _, c := range b {
		if !plain(c) {
			return false
		}
	}
	return odd&highs == 0
}

// String is Bytes of a string.
func String(s string) bool {
	var odd uint64
	for ; len(s) >= 8; s = s[8:] {
		odd |= oddBytes(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
	}
	for i := range len(s) {
		if !plain(s[i]) {
			return false
		}
	}
	return odd&highs == 0
}

// oddBytes sets the high bit of the bytes of w that are not plain: w
// itself for the bytes from 0x80, w-0x20 for those below the space, and a
// zero byte of w with the quote or the backslash taken out for those. A
// borrow carries into the next byte only from a byte already odd, so that
// it marks none that is not.
func oddBytes(w uint64) uint64 {
	quote, slash := w^ones*'"', w^ones*'\\'
	return w | (w - ones*0x20) | (quote-ones)&^quote | (slash-ones)&^slash
}

func plain(c byte) bool { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' }
