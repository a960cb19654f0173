package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrFileExists means a file that was to be written is already there and
// was not to be replaced.
var ErrFileExists = errors.New("store: file already exists")

// writeFileAtomic writes the file at path so that it is either absent or
// complete, even if the power fails: write fills a temporary file in the
// same directory, which is synced and then renamed to path, and the
// directory is synced. Unless replace, an existing path is left alone and
// the error wraps ErrFileExists.
func writeFileAtomic(path string, write func(*os.File) error, replace bool) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := place(tmp.Name(), path, replace); err != nil {
		return err
	}
	return syncDir(dir)
}

// place moves the finished temporary file to path. Without replace it
// links rather than renames, so that a file that appeared meanwhile is
// never overwritten; where the file system has no hard links (FAT on a
// USB stick), it checks and renames.
func place(tmp, path string, replace bool) error {
	if replace {
		return os.Rename(tmp, path)
	}
	err := os.Link(tmp, path)
	switch {
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, ErrFileExists)
	case err == nil:
		return os.Remove(tmp)
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("%s: %w", path, ErrFileExists)
	}
	return os.Rename(tmp, path)
}

// syncDir makes a rename in dir durable. Some systems cannot sync a
// directory; there the rename is as durable as the system makes it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
