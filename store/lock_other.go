//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package store

import (
	"os"
	"path/filepath"
	"sync"
)

// On systems without flock the lock only keeps a second Store of this
// process off a directory; a second kiosk process is not detected. The
// kiosk targets Linux and macOS.
var (
	heldMu sync.Mutex
	held   = map[string]bool{}
)

// fileLock marks a ledger directory as taken by this process.
type fileLock struct {
	f   *os.File
	key string
}

// acquireLock takes the lock without waiting; the error wraps ErrLocked if
// this process already holds it.
func acquireLock(path string) (*fileLock, error) {
	key, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	heldMu.Lock()
	defer heldMu.Unlock()
	if held[key] {
		return nil, ErrLocked
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	writeHolder(f)
	held[key] = true
	return &fileLock{f: f, key: key}, nil
}

// release gives the lock up.
func (l *fileLock) release() error {
	heldMu.Lock()
	delete(held, l.key)
	heldMu.Unlock()
	return l.f.Close()
}
