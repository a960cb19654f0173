package store

import (
	"testing"
)

// TestOneCommitPerChange: every change of the ledger is one bbolt commit,
// and a write that changes nothing (the payment recorded again, a status
// the sale has, a day closed again, an old acknowledgement, the start of
// a kiosk on an existing ledger) commits nothing; what was committed is
// there when the ledger is opened again.
func TestOneCommitPerChange(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	steps := []struct {
		name    string
		write   func() error
		commits uint64
	}{
		{"create", func() error { return s.Create(newSale("K1", 500, at(17, 10, 0, 0))) }, 1},
		{"pay", func() error {
			_, _, err := s.MarkPaid("K1", Payment{TradeNo: "T1", PaidAt: at(17, 10, 1, 0)})
			return err
		}, 1},
		{"pay again", func() error {
			_, _, err := s.MarkPaid("K1", Payment{TradeNo: "T1", PaidAt: at(17, 10, 1, 0)})
			return err
		}, 0},
		{"the status it has", func() error { _, err := s.SetStatus("K1", StatusPaid, at(17, 10, 2, 0), "", ""); return err }, 0},
		{"close the day", func() error { _, _, err := s.CloseDay("2024-05-17", at(17, 11, 0, 0)); return err }, 1},
		{"close it again", func() error { _, _, err := s.CloseDay("2024-05-17", at(17, 11, 5, 0)); return err }, 0},
		{"acknowledge nothing new", func() error { return s.AckOutbox(0) }, 0},
		{"acknowledge an event", func() error { return s.AckOutbox(1) }, 1},
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := mustOpenDir(t, dir, Options{})
	if n := again.Commits(); n != 0 {
		t.Errorf("opening an existing ledger committed %d times, want none", n)
	}
	sale, err := again.Get("K1")
	if err != nil || sale.Status != StatusPaid || sale.ReceiptNo != 1 || len(sale.History) != 2 {
		t.Errorf("after reopening: %+v, %v; want K1 paid once with receipt 1", sale, err)
	}
	if st, err := again.OutboxState(); err != nil || st.Acked != 1 {
		t.Errorf("outbox %+v, %v; want acked 1", st, err)
	}
}
