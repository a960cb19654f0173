package store

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestCheckReadOnlyWhileKioskRuns: managers check the ledger while the
// kiosk has it open, and the kiosk keeps writing meanwhile.
func TestCheckReadOnlyWhileKioskRuns(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{Timeout: 500 * time.Millisecond})
	seedHours(t, kiosk)
	mustRequest(t, kiosk, "A", refund("A-R1", 100)) // in flight
	mustSetPIN(t, kiosk, "258014")
	if _, _, err := kiosk.CloseDay("2024-05-16", at(16, 22, 0, 0)); err != nil {
		t.Fatal(err)
	}

	reader := mustOpenDir(t, dir, Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if err := reader.Check(); err != nil {
		t.Fatalf("Check read-only = %v", err)
	}
	r, err := reader.Verify()
	if err != nil {
		t.Fatal(err)
	}
	want := CheckResult{
		Path: r.Path, Size: r.Size, Sales: 6, Days: 2, FirstDay: "2024-05-16", LastDay: "2024-05-17",
		Unsettled: 1, RefundsInFlight: 1, ZReports: 1, LastZ: 1, PINSet: true, Took: r.Took,
	}
	if r.Size == 0 || !equalResults(r, want) {
		t.Errorf("Verify = %+v\n  want %+v", r, want)
	}
	// The kiosk can still write: the check held no lock after it returned.
	mustCreate(t, kiosk, newSale("after-check", 100, at(17, 23, 0, 0)))
}

func equalResults(a, b CheckResult) bool {
	return a.Path == b.Path && a.Size == b.Size && a.Sales == b.Sales && a.Days == b.Days &&
		a.FirstDay == b.FirstDay && a.LastDay == b.LastDay && a.Unsettled == b.Unsettled &&
		a.RefundsInFlight == b.RefundsInFlight && a.ZReports == b.ZReports && a.LastZ == b.LastZ &&
		a.PINSet == b.PINSet && len(a.Problems) == len(b.Problems) && a.Omitted == b.Omitted
}

func TestCheckFindsProblems(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx) error
		want   string
	}{
		{"day index entry lost", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketDays).Delete(dayKey("2024-05-17", at(17, 9, 10, 0), "A"))
		}, "sale A is missing from the day index of 2024-05-17"},
		{"index names a lost sale", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSales).Delete([]byte("D"))
		}, "day index of 2024-05-17 lists D, which is not in the ledger"},
		{"open index out of step", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketOpen).Delete([]byte("D"))
		}, "sale D is pending but the open index says otherwise"},
		{"receipt counter behind", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketReceipts).Put([]byte("2024-05-17"), binary.BigEndian.AppendUint64(nil, 1))
		}, "beyond the day's counter 1"},
		{"receipt issued twice", func(tx *bolt.Tx) error {
			return setReceipt(tx, "B", 1)
		}, "receipt 0001 of 2024-05-17 was issued twice"},
		{"receipt number skipped", func(tx *bolt.Tx) error {
			return setReceipt(tx, "B", 1)
		}, "receipts of 2024-05-17: 0002 of 1 to 3 belong to no sale"},
		{"receipt counter ahead", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketReceipts).Put([]byte("2024-05-17"), binary.BigEndian.AppendUint64(nil, 4))
		}, "receipts of 2024-05-17: 0004 of 1 to 4 belong to no sale"},
		{"Z number skipped", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketZReports).Put(zCounterKey, binary.BigEndian.AppendUint64(nil, 2))
		}, "1 Z report number(s) between 1 and 2 are missing"},
		{"refund total wrong", func(tx *bolt.Tx) error {
			s := &Store{loc: shanghai}
			sale, err := s.load(tx, "B")
			if err != nil {
				return err
			}
			sale.RefundedFen = 999
			return put(tx, sale)
		}, "sale B: refunded 9.99 recorded, but its done refunds add up to 2.00"},
		{"refund of a lost sale", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSales).Delete([]byte("B"))
		}, "of sale B, which is not in the ledger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			seedHours(t, s)
			if _, _, err := s.CloseDay("2024-05-16", at(16, 22, 0, 0)); err != nil {
				t.Fatal(err)
			}
			if err := s.Check(); err != nil {
				t.Fatalf("Check before = %v", err)
			}
			if err := s.update(tt.damage); err != nil {
				t.Fatal(err)
			}
			err := s.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "problem(s)") {
				t.Errorf("Check = %v, want it to say %q", err, tt.want)
			}
			r, _ := s.Verify()
			if r.OK() || !strings.Contains(findings(r), tt.want) {
				t.Errorf("summary:\n%+v", r)
			}
		})
	}
}

// TestCheckInBatches runs the ledger checks with batches smaller than the
// ledger, as they are on a big one.
func TestCheckInBatches(t *testing.T) {
	checkBatch = 4
	t.Cleanup(func() { checkBatch = 5000 })
	s := mustOpen(t)
	for i := range 23 {
		no := string(rune('a'+i)) + "-sale"
		mustCreate(t, s, newSale(no, 100, at(10+i%5, 9, i, 0)))
		if i%3 == 0 {
			mustPay(t, s, no, at(10+i%5, 9, i, 30))
		}
	}
	var seen []string
	err := s.scan(bucketSales, 5, func(_ *bolt.Tx, k, _ []byte) { seen = append(seen, string(k)) })
	if err != nil || len(seen) != 23 || seen[0] != "a-sale" || seen[22] != "w-sale" {
		t.Errorf("scan saw %d: %v, %v", len(seen), seen, err)
	}
	r, err := s.Verify()
	if err != nil || !r.OK() || r.Sales != 23 || r.Days != 5 {
		t.Errorf("Verify = %+v, %v", r, err)
	}
}

// setReceipt gives sale no another receipt number, as a bug might.
func setReceipt(tx *bolt.Tx, no string, n int) error {
	s := &Store{loc: shanghai}
	sale, err := s.load(tx, no)
	if err != nil {
		return err
	}
	sale.ReceiptNo = n
	return put(tx, sale)
}

// TestCheckAcceptsARefundWithoutReceipt: a cancel that refunds a payment
// made at the last second leaves the sale refunded without a receipt, as
// the register records it; that is no problem.
func TestCheckAcceptsARefundWithoutReceipt(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("R", 100, at(17, 9, 0, 0)))
	if _, err := s.SetStatus("R", StatusRefunded, at(17, 9, 2, 0), "paid at the last second; refunded", "T1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// findings are the problems and notes of a check, in one string.
func findings(r CheckResult) string {
	return strings.Join(append(problemTexts(r.Problems), problemTexts(r.Notes)...), "\n")
}
