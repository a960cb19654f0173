package store

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// writeHolder records our process ID in the lock file, so that the error a
// second kiosk gets can say which process holds the ledger. Best effort:
// the lock itself is what counts.
func writeHolder(f *os.File) {
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}

// lockedError is ErrLocked, naming the holder's process ID when the lock
// file records one.
func lockedError(f *os.File) error {
	b, _ := io.ReadAll(io.LimitReader(f, 32))
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
		return fmt.Errorf("%w (process %d)", ErrLocked, pid)
	}
	return ErrLocked
}
