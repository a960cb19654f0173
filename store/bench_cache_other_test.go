//go:build !linux

package store

import "testing"

func dropFromPageCache(b *testing.B, _ string) {
	b.Skip("dropping a file from the page cache needs Linux")
}
