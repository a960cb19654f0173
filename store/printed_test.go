package store

import (
	"errors"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestUnprintedReceiptIsKept: a receipt that did not print is a fact on
// its sale, listed by UnprintedReceipts after the kiosk starts again, until
// a print of it succeeds; marking it costs one commit each way, and marking
// again what is recorded (or a receipt that printed the first time)
// commits nothing.
func TestUnprintedReceiptIsKept(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustCreate(t, s, newSale("K1", 500, at(17, 10, 0, 0)), newSale("K2", 700, at(17, 10, 1, 0)), newSale("K3", 900, at(17, 10, 2, 0)))
	mustPay(t, s, "K1", at(17, 10, 0, 30))
	mustPay(t, s, "K2", at(17, 10, 1, 30))
	steps := []struct {
		name    string
		write   func() error
		commits uint64
	}{
		{"a print that succeeded first time", func() error { _, err := s.MarkReceiptPrinted("K1", at(17, 10, 3, 0)); return err }, 0},
		{"K2 not printed", func() error { _, err := s.MarkReceiptUnprinted("K2", at(17, 10, 4, 0)); return err }, 1},
		{"K2 not printed again", func() error { _, err := s.MarkReceiptUnprinted("K2", at(17, 10, 5, 0)); return err }, 0},
		{"K1 not printed", func() error { _, err := s.MarkReceiptUnprinted("K1", at(17, 10, 6, 0)); return err }, 1},
	}
	for _, step := range steps {
		before := s.Commits()
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := s.Commits() - before; got != step.commits {
			t.Errorf("%s: %d commits, want %d", step.name, got, step.commits)
		}
	}
	if _, err := s.MarkReceiptUnprinted("K3", at(17, 10, 7, 0)); !errors.Is(err, ErrInvalidSale) {
		t.Errorf("marking the receipt of an unpaid sale: %v, want ErrInvalidSale", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := mustOpenDir(t, dir, Options{})
	if got := unprintedNos(t, again); !slices.Equal(got, []string{"K1", "K2"}) {
		t.Errorf("after a restart, unprinted %q, want K1 and K2 in the order paid", got)
	}
	k2 := mustGet(t, again, "K2")
	last := k2.History[len(k2.History)-1]
	if !k2.ReceiptUnprinted || last.Fact != FactReceiptNotPrinted || last.ReceiptNo != 2 || last.Status != StatusPaid || !last.At.Equal(at(17, 10, 4, 0)) {
		t.Errorf("K2: unprinted %v, last event %+v; want the fact of receipt 2 not printed at 10:04", k2.ReceiptUnprinted, last)
	}
	before := again.Commits()
	if _, err := again.MarkReceiptPrinted("K2", at(17, 10, 8, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := again.MarkReceiptPrinted("K2", at(17, 10, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if got := again.Commits() - before; got != 1 {
		t.Errorf("printed at last, then again: %d commits, want 1", got)
	}
	k2 = mustGet(t, again, "K2")
	if k2.ReceiptUnprinted || k2.History[len(k2.History)-1].Fact != FactReceiptPrinted {
		t.Errorf("K2 after its print: unprinted %v, history %+v", k2.ReceiptUnprinted, k2.History)
	}
	if got := unprintedNos(t, again); !slices.Equal(got, []string{"K1"}) {
		t.Errorf("unprinted %q, want K1 only", got)
	}
	if res, err := again.Verify(); err != nil || len(res.Problems) > 0 {
		t.Errorf("check: %+v, %v", res.Problems, err)
	}
}

func unprintedNos(t *testing.T, s *Store) []string {
	t.Helper()
	sales, err := s.UnprintedReceipts()
	if err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, sale := range sales {
		nos = append(nos, sale.OutTradeNo)
	}
	return nos
}

// TestCheckFindsTheUnprintedIndexOutOfStep: kiosk ledger check reports a
// sale the unprinted index lists whose receipt printed, and an entry of
// a sale the ledger does not hold.
func TestCheckFindsTheUnprintedIndexOutOfStep(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("K1", 500, at(17, 10, 0, 0)))
	mustPay(t, s, "K1", at(17, 10, 0, 30))
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnprinted)
		return errors.Join(b.Put([]byte("K1"), empty), b.Put([]byte("GHOST"), empty))
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Verify()
	if err != nil {
		t.Fatal(err)
	}
	var got []CheckProblem
	for _, p := range res.Problems {
		if p.Kind == CheckUnprintedIndex || p.Kind == CheckUnprintedOrphan {
			got = append(got, p)
		}
	}
	want := []CheckProblem{{Kind: CheckUnprintedIndex, Sale: "K1"}, {Kind: CheckUnprintedOrphan, Sale: "GHOST"}}
	if !slices.EqualFunc(got, want, func(a, b CheckProblem) bool { return a.Kind == b.Kind && a.Sale == b.Sale }) {
		t.Errorf("problems %+v, want %+v", res.Problems, want)
	}
}
