package store

import (
	"os"
	"syscall"
	"testing"
)

// dropFromPageCache asks the kernel to forget the cached pages of the file
// at path (posix_fadvise POSIX_FADV_DONTNEED), so that the next read comes
// from the disk, as after a reboot. It touches no other file.
func dropFromPageCache(b *testing.B, path string) {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	const fadvDontNeed = 4
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0); errno != 0 {
		b.Fatal(errno)
	}
}
