package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func datesOf(days []Day) []string {
	var out []string
	for _, d := range days {
		out = append(out, d.Date)
	}
	return out
}

func TestRange(t *testing.T) {
	s := seedDay(t) // sales on the 16th (1), 17th (7) and 18th (1)
	tests := []struct {
		from, to string
		dates    []string
		sales    []int
	}{
		{"2024-05-17", "2024-05-17", []string{"2024-05-17"}, []int{7}},
		{"2024-05-16", "2024-05-18", []string{"2024-05-16", "2024-05-17", "2024-05-18"}, []int{1, 7, 1}},
		{"2024-05-18", "2024-05-19", []string{"2024-05-18", "2024-05-19"}, []int{1, 0}},
		{"2024-04-30", "2024-05-01", []string{"2024-04-30", "2024-05-01"}, []int{0, 0}},
	}
	for _, tt := range tests {
		days, err := s.Range(tt.from, tt.to)
		if err != nil {
			t.Fatalf("Range(%s, %s): %v", tt.from, tt.to, err)
		}
		var counts []int
		for _, d := range days {
			counts = append(counts, len(d.Sales))
			if d.Totals.Count != len(d.Sales) {
				t.Errorf("%s: totals count %d for %d sales", d.Date, d.Totals.Count, len(d.Sales))
			}
		}
		if !slices.Equal(datesOf(days), tt.dates) || !slices.Equal(counts, tt.sales) {
			t.Errorf("Range(%s, %s) = %v %v, want %v %v", tt.from, tt.to, datesOf(days), counts, tt.dates, tt.sales)
		}
	}
	// The 17th read through Range is the 17th read through Day.
	days, _ := s.Range("2024-05-16", "2024-05-18")
	if d, _ := s.Day("2024-05-17"); days[1].Totals != d.Totals || len(days[1].Sales) != len(d.Sales) {
		t.Errorf("Range's day differs from Day's")
	}
}

func TestRangeLimits(t *testing.T) {
	s := mustOpen(t)
	// 2024 is a leap year: its 366 days are the longest range allowed.
	days, err := s.Range("2024-01-01", "2024-12-31")
	if err != nil || len(days) != MaxRangeDays || days[59].Date != "2024-02-29" || days[365].Date != "2024-12-31" {
		t.Fatalf("a leap year: %d days, %v", len(days), err)
	}
	// Across the change of year, and a non-leap February.
	days, err = s.Range("2022-12-31", "2023-03-01")
	if err != nil || len(days) != 61 || days[1].Date != "2023-01-01" || days[59].Date != "2023-02-28" {
		t.Errorf("2022-12-31..2023-03-01: %v, %v", datesOf(days), err)
	}

	bad := []struct {
		from, to string
		want     error
		msg      string
	}{
		{"2024-05-18", "2024-05-17", ErrBadRange, "ends before it starts"},
		{"2024-01-01", "2025-01-01", ErrBadRange, "367 days, at most 366"},
		{"2020-01-01", "2024-12-31", ErrBadRange, "at most 366"},
		{"2024-5-1", "2024-05-17", ErrBadDate, `"2024-5-1": want YYYY-MM-DD`},
		{"2024-05-01", "2024-02-30", ErrBadDate, "2024-02-30"},
		{"", "", ErrBadDate, "want YYYY-MM-DD"},
	}
	for _, tt := range bad {
		_, err := s.Range(tt.from, tt.to)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Range(%q, %q) = %v, want %v saying %q", tt.from, tt.to, err, tt.want, tt.msg)
		}
	}
}
