package store

import (
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestAFileWithoutALedgersBucketSaysWhichIsMissing: a database that lost
// one of the ledger's buckets under the kiosk is refused with the fact of
// which bucket is missing (*NoBucketError), for the words to say, not
// only a sentence.
func TestAFileWithoutALedgersBucketSaysWhichIsMissing(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("K1", 100, at(17, 9, 0, 0)))
	db, err := bolt.Open(s.path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketZReports) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	err = s.Create(newSale("K2", 100, at(17, 9, 1, 0)))
	var nb *NoBucketError
	if !errors.As(err, &nb) || nb.Bucket != string(bucketZReports) || nb.Path != s.path {
		t.Fatalf("Create on a file without %s: %v (%#v); want a *NoBucketError naming it", bucketZReports, err, nb)
	}
}
