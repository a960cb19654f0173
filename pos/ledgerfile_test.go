package pos

import (
	"errors"
	"fmt"
	"testing"

	"kiosk/store"
)

// TestBboltsRefusalsReachTheWordsAsFacts: the ledger's *store.FileError
// becomes a *LedgerFileError with the same problem, its value for value,
// and sorts into the kind its words need: a busy file KindLedgerBusy (and
// ErrLedgerBusy), an unsound one KindLedgerDamaged, any other KindLedger.
func TestBboltsRefusalsReachTheWordsAsFacts(t *testing.T) {
	mirror := map[store.FileProblem]LedgerFileProblem{
		store.FileBusy: LedgerFileBusy, store.FileNotBolt: LedgerFileNotBolt, store.FileVersion: LedgerFileVersion,
		store.FileChecksum: LedgerFileChecksum, store.FileMapping: LedgerFileMapping, store.FileReadOnly: LedgerFileReadOnly,
		store.FileTooLarge: LedgerFileTooLarge,
	}
	if len(mirror) != len(store.FileProblems()) || len(LedgerFileProblems()) != len(store.FileProblems()) {
		t.Fatalf("%d problems mirrored of %d", len(mirror), len(store.FileProblems()))
	}
	for _, p := range store.FileProblems() {
		cause := &store.FileError{Path: "/d/ledger.db", Problem: p, Err: errors.New("bbolt's words")}
		err := fromLedger(fmt.Errorf("record sale: %w", cause), "/d")
		var fe *LedgerFileError
		if !errors.As(err, &fe) || fe.Problem != mirror[p] || fe.Path != "/d/ledger.db" || !errors.Is(err, cause) {
			t.Errorf("problem %d: %#v; want a *LedgerFileError of %d", p, err, mirror[p])
		}
		want := KindLedger
		switch {
		case p == store.FileBusy:
			want = KindLedgerBusy
		case p.Damaged():
			want = KindLedgerDamaged
		}
		if got := Classify(err).Kind; got != want || errors.Is(err, ErrLedgerBusy) != (p == store.FileBusy) {
			t.Errorf("problem %d: kind %q, busy %v; want %q", p, got, errors.Is(err, ErrLedgerBusy), want)
		}
	}
}

// TestALedgerWithoutABucketReachesTheWordsAsAFact: the ledger's
// *store.NoBucketError becomes a *LedgerNoBucketError naming the bucket.
func TestALedgerWithoutABucketReachesTheWordsAsAFact(t *testing.T) {
	cause := &store.NoBucketError{Path: "/d/ledger.db", Bucket: "zreports"}
	err := fromLedger(fmt.Errorf("record sale: %w", cause), "/d")
	var nb *LedgerNoBucketError
	if !errors.As(err, &nb) || nb.Bucket != "zreports" || nb.Path != "/d/ledger.db" || !errors.Is(err, cause) {
		t.Errorf("%#v; want a *LedgerNoBucketError of zreports", err)
	}
}
