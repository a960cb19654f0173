package alipay

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{5, "0.05"},
		{10, "0.10"},
		{100, "1.00"},
		{1234, "12.34"},
		{-5, "-0.05"},
		{-1234, "-12.34"},
		{MaxAmountFen, "100000000.00"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.fen); got != tt.want {
			t.Errorf("FormatAmount(%d) = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"0.01", 1},
		{"0.05", 5},
		{"0.10", 10},
		{"0.1", 10},
		{"12.34", 1234},
		{"12.3", 1230},
		{"12", 1200},
		{"0", 0},
		{"0.00", 0},
		{"007.50", 750},
		{"100000000", MaxAmountFen},
		{"100000000.00", MaxAmountFen},
		{"92233720368547758.07", math.MaxInt64},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"three decimals", "1.234"},
		{"exponent", "1e5"},
		{"negative", "-5"},
		{"plus", "+5"},
		{"leading space", " 1"},
		{"trailing space", "1 "},
		{"trailing point", "1."},
		{"leading point", ".5"},
		{"point only", "."},
		{"two points", "1.2.3"},
		{"comma", "1,00"},
		{"underscore", "1_000"},
		{"hex", "0x10"},
		{"full-width digit", "１"},
		{"NaN", "NaN"},
		{"one past max", "92233720368547758.08"},
		{"huge", "99999999999999999999"},
		{"10000 digits", strings.Repeat("9", 10000)},
		{"10000 zeros", strings.Repeat("0", 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if !errors.Is(err, ErrBadAmount) {
				t.Fatalf("ParseAmount(%.20q) = %d, %v; want ErrBadAmount", tt.in, got, err)
			}
		})
	}
}

func TestAmountRoundTrip(t *testing.T) {
	for _, fen := range []int64{0, 1, 9, 10, 99, 100, 101, 1234, MaxAmountFen, math.MaxInt64} {
		got, err := ParseAmount(FormatAmount(fen))
		if err != nil || got != fen {
			t.Errorf("ParseAmount(FormatAmount(%d)) = %d, %v", fen, got, err)
		}
	}
}
