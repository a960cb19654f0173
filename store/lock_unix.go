//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock is an exclusive flock on the directory's lock file. The kernel
// releases it when the file is closed or the process ends, so a kiosk that
// crashed never leaves the ledger locked.
type fileLock struct {
	f *os.File
}

// acquireLock takes the lock without waiting; if another process (or
// another Store in this one) holds it, the error wraps ErrLocked.
func acquireLock(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			err = lockedError(f)
		} else {
			err = fmt.Errorf("lock %s: %w", path, err)
		}
		_ = f.Close()
		return nil, err
	}
	writeHolder(f)
	return &fileLock{f: f}, nil
}

// release gives the lock up by closing the file.
func (l *fileLock) release() error { return l.f.Close() }
