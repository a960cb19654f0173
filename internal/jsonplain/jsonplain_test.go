package jsonplain

import (
	"bytes"
	"testing"
)

// TestByteByByte: Bytes and String, which look at eight bytes at a time,
// say what a look at each byte says, for every byte at every place of
// strings of 0 to 17 bytes, among plain bytes and the bytes at the edges
// of the plain ones (a borrow from one byte to the next must neither hide
// one nor invent one).
func TestByteByByte(t *testing.T) {
	for _, filler := range []byte{'a', ' ', '!', '#', 0x7f, '[', ']'} {
		for n := 0; n <= 17; n++ {
			if s := bytes.Repeat([]byte{filler}, n); !Bytes(s) || !String(string(s)) {
				t.Fatalf("%d × %q: not plain", n, filler)
			}
			for at := range n {
				for c := range 256 {
					s := bytes.Repeat([]byte{filler}, n)
					s[at] = byte(c)
					want := c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
					if Bytes(s) != want || String(string(s)) != want {
						t.Fatalf("Bytes(%q) = %v, String %v; want %v", s, Bytes(s), String(string(s)), want)
					}
				}
			}
		}
	}
}
