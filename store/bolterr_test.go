package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// TestBboltsRefusalsAreFacts: each of bbolt's refusals of the ledger file
// becomes a *FileError whose Problem says which, so that no layer above
// reads bbolt's text; bbolt's sentinel stays in the chain, and an unsound
// file is ErrDamaged.
func TestBboltsRefusalsAreFacts(t *testing.T) {
	for _, f := range boltFaults {
		err := fileFault("/d/ledger.db", fmt.Errorf("open /d/ledger.db: %w", f.err))
		var fe *FileError
		if !errors.As(err, &fe) || fe.Problem != f.problem || fe.Path != "/d/ledger.db" || !errors.Is(err, f.err) {
			t.Errorf("%v: %#v; want a *FileError of problem %d wrapping it", f.err, err, f.problem)
		}
		if errors.Is(err, ErrDamaged) != f.problem.Damaged() {
			t.Errorf("%v: errors.Is(ErrDamaged) = %v", f.err, !f.problem.Damaged())
		}
	}
	if len(boltFaults) != len(FileProblems()) {
		t.Errorf("%d of bbolt's refusals, %d problems", len(boltFaults), len(FileProblems()))
	}
	if other := errors.New("else"); fileFault("/d/ledger.db", other) != other {
		t.Error("another error changed")
	}
}

// TestAFileHeldTooLongIsFileBusy: a write while another program holds
// bbolt's lock on the file longer than the timeout is a *FileError,
// FileBusy, and still ErrBusy.
func TestAFileHeldTooLongIsFileBusy(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{Timeout: 50 * time.Millisecond})
	db, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = kiosk.Create(newSale("A1", 100, at(17, 9, 0, 0)))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Problem != FileBusy || fe.Path != filepath.Join(dir, "ledger.db") || !errors.Is(err, ErrBusy) || !errors.Is(err, berrors.ErrTimeout) {
		t.Errorf("Create while a reader holds the file: %#v; want a *FileError, FileBusy, that is ErrBusy", err)
	}
}
