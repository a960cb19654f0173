package pos

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestLogIsJSONAndRotatesBySize: the kiosk's log is JSON lines in the data
// directory, only its owner can read it, and past its size it is renamed
// aside and begun again, so a busy counter never fills its disk.
func TestLogIsJSONAndRotatesBySize(t *testing.T) {
	dir := t.TempDir()
	logger, closer := OpenLog(dir, LogLimits{MaxMB: 1, Backups: 3})
	padding := strings.Repeat("x", 1000)
	for i := range 2500 { // about 2.5 MB
		logger.Info("alipay call", "n", i, "padding", padding)
	}
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(LogPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 1<<20 {
		t.Errorf("kiosk.log is %d bytes, past its 1 MB", fi.Size())
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("kiosk.log has mode %04o, want 0600", fi.Mode().Perm())
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "kiosk-*.log"))
	if len(backups) == 0 {
		t.Fatal("no rotated file beside kiosk.log")
	}
	b, err := os.ReadFile(LogPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	var rec struct {
		Msg string  `json:"msg"`
		N   float64 `json:"n"`
	}
	if err := json.Unmarshal([]byte(first), &rec); err != nil || rec.Msg != "alipay call" || rec.N == 0 {
		t.Errorf("the first line of the new file is %q (%v)", first, err)
	}
}

// chanWriter hands each write to the test.
type chanWriter chan string

func (w chanWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

// TestFollowLogAcrossRotation: kiosk log --follow shows what is there,
// then each record as it is added, and goes on in the new file after a
// rotation without losing the old file's last lines.
func TestFollowLogAcrossRotation(t *testing.T) {
	dir := t.TempDir()
	if err := FollowLog(context.Background(), dir, chanWriter(nil), nil); !errors.Is(err, ErrNoLog) {
		t.Fatalf("no log yet: %v", err)
	}
	path := LogPath(dir)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	write := func(f *os.File, s string) {
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
	}
	write(f, "one\n")
	out, wake := make(chanWriter, 8), make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- FollowLog(ctx, dir, out, wake) }()
	expect := func(want string) {
		t.Helper()
		if got := <-out; got != want {
			t.Fatalf("followed %q, want %q", got, want)
		}
	}
	expect("one\n")
	write(f, "two\n")
	wake <- time.Time{}
	expect("two\n")

	write(f, "three\n") // the last line before the rotation
	f.Close()
	if err := os.Rename(path, filepath.Join(dir, "kiosk-2026-12-01T00-00-00.000.log")); err != nil {
		t.Fatal(err)
	}
	f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write(f, "four\n")
	wake <- time.Time{}
	expect("three\n")
	expect("four\n")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
