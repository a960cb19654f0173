package store

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// seedDay records a day with every kind of outcome, plus sales on the days
// around it, and returns the store.
func seedDay(t *testing.T) *Store {
	t.Helper()
	s := mustOpen(t)
	// Created out of key order, so the index, not the names, decides the order.
	mustCreate(t, s,
		newSale("z-paid", 1234, at(17, 9, 0, 0)),
		newSale("y-paid", 2468, at(17, 9, 5, 0)),
		newSale("x-refunded", 1000, at(17, 9, 10, 0)),
		newSale("w-cancelled", 500, at(17, 9, 15, 0)),
		newSale("v-unknown", 700, at(17, 9, 20, 0)),
		newSale("u-pending", 300, at(17, 9, 25, 0)),
		newSale("t-failed", 200, at(17, 9, 30, 0)),
		newSale("before", 9999, at(16, 23, 0, 0)),
		newSale("after", 8888, at(18, 1, 0, 0)),
	)
	for _, no := range []string{"z-paid", "y-paid", "x-refunded"} {
		mustPay(t, s, no, at(17, 10, 0, 0))
	}
	// Paid on the days they were created: a sale belongs to the day it
	// was paid (TestPaidAfterMidnight).
	mustPay(t, s, "before", at(16, 23, 0, 30))
	mustPay(t, s, "after", at(18, 1, 0, 30))
	set := map[string]Status{"x-refunded": StatusRefunded, "w-cancelled": StatusCancelled, "v-unknown": StatusUnknown, "t-failed": StatusFailed}
	for no, st := range set {
		if _, err := s.SetStatus(no, st, at(17, 11, 0, 0), "", ""); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestDay(t *testing.T) {
	s := seedDay(t)
	d, err := s.Day("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sale := range d.Sales {
		got = append(got, sale.OutTradeNo)
	}
	want := []string{"z-paid", "y-paid", "x-refunded", "w-cancelled", "v-unknown", "u-pending", "t-failed"}
	if d.Date != "2024-05-17" || !slices.Equal(got, want) {
		t.Errorf("Day = %s %v, want %v", d.Date, got, want)
	}
	wantTotals := Totals{
		Count: 7, Paid: 3, PaidFen: 1234 + 2468 + 1000, Refunded: 1, RefundedFen: 1000,
		NetFen: 1234 + 2468, Cancelled: 1, Unknown: 1, Pending: 1, Failed: 1,
	}
	if d.Totals != wantTotals {
		t.Errorf("Totals = %+v\n      want %+v", d.Totals, wantTotals)
	}
}

func TestDayBoundary(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("late", 100, at(17, 23, 59, 59)), newSale("early", 200, at(18, 0, 0, 0)))
	for date, want := range map[string]string{"2024-05-17": "late", "2024-05-18": "early"} {
		d, err := s.Day(date)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Sales) != 1 || d.Sales[0].OutTradeNo != want {
			t.Errorf("Day(%s) = %+v, want only %s", date, d.Sales, want)
		}
	}
}

func TestDayEmpty(t *testing.T) {
	s := seedDay(t)
	d, err := s.Day("2024-06-01")
	if err != nil || len(d.Sales) != 0 || d.Totals != (Totals{}) {
		t.Errorf("Day = %+v, %v; want empty", d, err)
	}
}

func TestDayBadDate(t *testing.T) {
	s := mustOpen(t)
	for _, date := range []string{"", "2024-5-17", "2024-05-32", "2024-02-30", "17.05.2024", "2024-05-17x", "today"} {
		if _, err := s.Day(date); !errors.Is(err, ErrBadDate) {
			t.Errorf("Day(%q) = %v, want ErrBadDate", date, err)
		}
	}
}

// TestDayFindsEachSaleWhereverItsKeyLies: a day's sales are listed in the
// order they were made, each the sale its out_trade_no names, whether
// their keys follow one another in the sales bucket (a kiosk's own, which
// begin with the time), run backwards, or have other days' sales between
// them.
func TestDayFindsEachSaleWhereverItsKeyLies(t *testing.T) {
	s := mustOpen(t)
	var want []string
	for i, no := range []string{"KT1_a1", "KT1_a2", "KT1_a4", "KT1_z9", "KT1_a6", "KT1_a5", "KT1_a7", "KT1_b1"} {
		mustCreate(t, s, newSale(no, int64(100+i), at(17, 9, i, 0)))
		want = append(want, no)
	}
	mustCreate(t, s, newSale("KT1_a3", 1, at(16, 9, 0, 0)), newSale("KT1_a65", 2, at(18, 9, 0, 0)))
	d, err := s.Day("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, sale := range d.Sales {
		got = append(got, sale.OutTradeNo)
		if stored, err := s.Get(sale.OutTradeNo); err != nil || !reflect.DeepEqual(sale, stored) {
			t.Errorf("sale %d of the day = %+v; the ledger holds %+v (%v)", i, sale, stored, err)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Day lists %v; want %v", got, want)
	}
}
