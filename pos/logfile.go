package pos

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// LogFile is the kiosk's log in its data directory: JSON lines, one record
// each, never on the cashier's screen. Rotated files sit beside it as
// kiosk-<UTC time>.log.
const LogFile = "kiosk.log"

// LogLimits bound the log on disk: the current file grows to MaxMB
// megabytes, then it is renamed aside and a new one begun; the oldest of
// more than Backups renamed files is removed.
type LogLimits struct {
	MaxMB   int
	Backups int
}

// DefaultLogLimits keep at most 60 MB: the file and five before it, weeks
// of a busy counter's calls.
var DefaultLogLimits = LogLimits{MaxMB: 10, Backups: 5}

// LogPath is the log's path in the data directory dir.
func LogPath(dir string) string { return filepath.Join(dir, LogFile) }

// OpenLog returns the logger of the kiosk on dir (which must exist),
// writing JSON records to its log file, and what closes the file. The file
// is made on the first record, mode 0600.
func OpenLog(dir string, lim LogLimits) (*slog.Logger, io.Closer) {
	w := &lumberjack.Logger{Filename: LogPath(dir), MaxSize: lim.MaxMB, MaxBackups: lim.Backups}
	return slog.New(slog.NewJSONHandler(w, nil)), w
}

// ErrNoLog means the data directory has no log yet: no kiosk has run there.
var ErrNoLog = errors.New("no log yet")

// FollowLog copies the log of dir to w and, with wake not nil, keeps
// copying what is added until ctx ends, looking again each time wake
// fires: when the file has been rotated, it reads the old file to its end
// and goes on with the new one from its start.
func FollowLog(ctx context.Context, dir string, w io.Writer, wake <-chan time.Time) error {
	path := LogPath(dir)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNoLog
	}
	if err != nil {
		return err
	}
	defer func() { f.Close() }()
	for {
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
		if wake == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		}
		if next := rotated(f, path); next != nil {
			if _, err := io.Copy(w, f); err != nil { // what was written before the rotation
				next.Close()
				return err
			}
			f.Close()
			f = next
		}
	}
}

// rotated returns the file now at path when it is not f, nil while f is
// still the log (or no new file is there yet).
func rotated(f *os.File, path string) *os.File {
	cur, err1 := f.Stat()
	now, err2 := os.Stat(path)
	if err1 != nil || err2 != nil || os.SameFile(cur, now) {
		return nil
	}
	next, err := os.Open(path)
	if err != nil {
		return nil
	}
	return next
}
