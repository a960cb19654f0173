package store

import (
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func receiptsOf(d Day) []int {
	var out []int
	for _, sale := range d.Sales {
		if sale.ReceiptNo > 0 {
			out = append(out, sale.ReceiptNo)
		}
	}
	return out
}

// TestPaidAfterMidnight: a sale started at 23:59 and paid at 00:00:05
// belongs to the day it was paid, in the listing, the numbering and the
// reports alike; the first day's Z report, closed before, keeps the sale
// as it was then (pending), so its money is counted once, by the second
// day. The clock is injected and the zone is the shop's, not the host's.
func TestPaidAfterMidnight(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A", 100, at(16, 9, 0, 0)), newSale("M", 500, at(16, 23, 59, 0)))
	mustPay(t, s, "A", at(16, 9, 0, 10))
	z16, _, err := s.CloseDay("2024-05-16", at(16, 23, 59, 30))
	if err != nil {
		t.Fatal(err)
	}
	m := mustPay(t, s, "M", at(17, 0, 0, 5))
	mustCreate(t, s, newSale("N", 700, at(17, 8, 0, 0)))
	n := mustPay(t, s, "N", at(17, 8, 0, 10))
	if m.ReceiptNo != 1 || n.ReceiptNo != 2 || s.DateOf(m.LedgerTime()) != "2024-05-17" {
		t.Errorf("receipts M %d, N %d, M on %s; want 1 and 2 of the 17th", m.ReceiptNo, n.ReceiptNo, s.DateOf(m.LedgerTime()))
	}

	d16, _ := s.Day("2024-05-16")
	d17, _ := s.Day("2024-05-17")
	if len(d16.Sales) != 1 || d16.Sales[0].OutTradeNo != "A" || !slices.Equal(receiptsOf(d16), []int{1}) {
		t.Errorf("the 16th lists %+v, want A alone with receipt 1", d16.Sales)
	}
	if len(d17.Sales) != 2 || d17.Sales[0].OutTradeNo != "M" || !slices.Equal(receiptsOf(d17), []int{1, 2}) {
		t.Errorf("the 17th lists receipts %v of %d sales, want M and N with 1 and 2", receiptsOf(d17), len(d17.Sales))
	}

	x16, _ := s.Report("2024-05-16")
	x17, _ := s.Report("2024-05-17")
	if x16.Totals != d16.Totals || x17.Totals != d17.Totals || x17.Totals.PaidFen != 1200 || x17.ByHour[0].PaidFen != 500 || x17.ByHour[23].Count != 0 {
		t.Errorf("X reports: 16th %+v, 17th %+v by hour 0 %+v", x16.Totals, x17.Totals, x17.ByHour[0])
	}
	// The 16th's Z report stands as it was closed: M pending, no money.
	if got, _, _ := s.ZReport("2024-05-16"); got.Totals != z16.Totals || got.Totals.Pending != 1 || got.Totals.PaidFen != 100 {
		t.Errorf("Z report of the 16th: %+v, closed as %+v", got.Totals, z16.Totals)
	}
	z17, _, err := s.CloseDay("2024-05-17", at(17, 23, 0, 0))
	if err != nil || z17.Totals.PaidFen != 1200 || z17.Totals.Paid != 2 {
		t.Errorf("Z report of the 17th: %+v, %v; want M and N", z17.Totals, err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// TestReceiptKeptAcrossMidnight: a sale paid before midnight whose outcome
// then became unknown keeps its receipt and its day when the payment is
// confirmed again after midnight.
func TestReceiptKeptAcrossMidnight(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("K", 100, at(16, 23, 58, 0)))
	mustPay(t, s, "K", at(16, 23, 59, 0))
	if _, err := s.SetStatus("K", StatusUnknown, at(16, 23, 59, 30), "cancel unanswered", ""); err != nil {
		t.Fatal(err)
	}
	k := mustPay(t, s, "K", at(17, 0, 1, 0))
	if k.ReceiptNo != 1 || s.DateOf(k.LedgerTime()) != "2024-05-16" {
		t.Errorf("K = receipt %d on %s, want 1 of the 16th", k.ReceiptNo, s.DateOf(k.LedgerTime()))
	}
	if d, _ := s.Day("2024-05-16"); len(d.Sales) != 1 {
		t.Errorf("the 16th lists %d sales, want K", len(d.Sales))
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

// oldListing lists sale no under the day it was created again, as kiosks
// before the rule did, and forgets that the ledger follows the rule.
func oldListing(t *testing.T, s *Store, no string) {
	t.Helper()
	err := s.update(func(tx *bolt.Tx) error {
		sale, err := s.load(tx, no)
		if err != nil {
			return err
		}
		days := tx.Bucket(bucketDays)
		if err := days.Delete(dayKey(s.DateOf(sale.PaidAt), sale.CreatedAt, no)); err != nil {
			return err
		}
		if err := days.Put(dayKey(s.DateOf(sale.CreatedAt), sale.CreatedAt, no), empty); err != nil {
			return err
		}
		return tx.Bucket(bucketSettings).Delete(keyReceiptDay)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCheckFindsTheMidnightDuplicate: in a ledger written before the rule,
// the sale paid after midnight is listed under the first day with the
// second day's receipt 0001, so the first day shows 0001 twice. The check
// says so, and a kiosk that opens the ledger moves the sale to its day.
func TestCheckFindsTheMidnightDuplicate(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustCreate(t, s, newSale("A", 100, at(16, 9, 0, 0)), newSale("M", 500, at(16, 23, 59, 0)))
	mustPay(t, s, "A", at(16, 9, 0, 10))
	mustPay(t, s, "M", at(17, 0, 0, 5))
	oldListing(t, s, "M")
	err := s.Check()
	for _, want := range []string{
		"sale M, paid on 2024-05-17 with receipt 0001 of that day, is listed under 2024-05-16",
		"the listing of 2024-05-16 shows receipt 0001 twice",
		"sale M is missing from the day index of 2024-05-17",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check = %v\nwant it to say %q", err, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpenDir(t, dir, Options{}) // the kiosk starts
	if err := s.Check(); err != nil {
		t.Errorf("Check after the kiosk started = %v", err)
	}
	if d, _ := s.Day("2024-05-17"); len(d.Sales) != 1 || d.Sales[0].OutTradeNo != "M" {
		t.Errorf("the 17th lists %+v, want M", d.Sales)
	}
}
