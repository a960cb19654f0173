package store

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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

// seedRefunds adds to seedDay's ledger a partial refund of y-paid approved
// by Li, and returns the range 16th..18th.
func seedRefunds(t *testing.T) []Day {
	t.Helper()
	s := seedDay(t)
	mustRequest(t, s, "y-paid", Refund{OutRequestNo: "R1", Fen: 468, ApprovedBy: "Li", Reason: "spilt"})
	mustComplete(t, s, "y-paid", "R1")
	days, err := s.Range("2024-05-16", "2024-05-18")
	if err != nil {
		t.Fatal(err)
	}
	return days
}

func TestWriteRangeCSVWithBOM(t *testing.T) {
	days := seedRefunds(t)
	var buf bytes.Buffer
	if err := WriteRange(&buf, days, "csv", ExportOptions{BOM: true}); err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF})
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 BOM: % x", buf.Bytes()[:8])
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+9 || rows[0][0] != "time" {
		t.Fatalf("%d rows, header %v; want header + 9 sales", len(rows), rows[0])
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	byNo := map[string][]string{}
	for _, row := range rows[1:] {
		byNo[row[col["out_trade_no"]]] = row
	}
	want := map[string]struct{ status, amount, refunded, approver string }{
		"before":      {"paid", "99.99", "0.00", ""},
		"y-paid":      {"paid", "24.68", "4.68", "Li"},
		"x-refunded":  {"refunded", "10.00", "10.00", ""},
		"w-cancelled": {"cancelled", "5.00", "0.00", ""}, // cancelled rows are kept
		"t-failed":    {"failed", "2.00", "0.00", ""},
		"after":       {"paid", "88.88", "0.00", ""},
	}
	for no, w := range want {
		row := byNo[no]
		if row == nil {
			t.Errorf("no row for %s", no)
			continue
		}
		got := [4]string{row[col["status"]], row[col["amount"]], row[col["refunded_amount"]], row[col["approved_by"]]}
		if got != [4]string{w.status, w.amount, w.refunded, w.approver} {
			t.Errorf("%s: %v, want %v", no, got, w)
		}
	}
	if rows[1][col["out_trade_no"]] != "before" || rows[9][col["out_trade_no"]] != "after" {
		t.Errorf("rows not in day order: first %v last %v", rows[1], rows[9])
	}
}

func TestWriteDayIsWriteRangeOfOneDay(t *testing.T) {
	d := mustDay(t)
	for _, format := range []string{"csv", "table"} {
		var day, rng bytes.Buffer
		if err := WriteDay(&day, d, format); err != nil {
			t.Fatal(err)
		}
		if err := WriteRange(&rng, []Day{d}, format, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		if day.String() != rng.String() {
			t.Errorf("%s: WriteDay\n%s\nWriteRange\n%s", format, day.String(), rng.String())
		}
	}
}

func TestWriteRangeJSON(t *testing.T) {
	days := seedRefunds(t)
	var buf bytes.Buffer
	// A BOM is for spreadsheets; JSON must not start with one.
	if err := WriteRange(&buf, days, "json", ExportOptions{BOM: true}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		From, To string
		Days     []struct {
			Date  string           `json:"date"`
			Sales []map[string]any `json:"sales"`
		} `json:"days"`
		Totals totalsJSON `json:"totals"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got.From != "2024-05-16" || got.To != "2024-05-18" || len(got.Days) != 3 || len(got.Days[1].Sales) != 7 {
		t.Errorf("from %s to %s, %d days", got.From, got.To, len(got.Days))
	}
	want := totalsJSON{
		Count: 9, Paid: 5, PaidAmount: "235.89", PaidFen: 23589, Refunded: 1, RefundedAmount: "14.68", RefundedFen: 1468,
		NetAmount: "221.21", NetFen: 22121, Cancelled: 1, Unknown: 1, Pending: 1, Failed: 1, PartlyRefunded: 1,
	}
	if got.Totals != want {
		t.Errorf("totals %+v\n  want %+v", got.Totals, want)
	}
	y := got.Days[1].Sales[1]
	refunds, _ := y["refunds"].([]any)
	if y["out_trade_no"] != "y-paid" || y["refunded_amount"] != "4.68" || len(refunds) != 1 {
		t.Errorf("y-paid in JSON: %v", y)
	}
}

func TestWriteRangeTable(t *testing.T) {
	days := seedRefunds(t)
	var buf bytes.Buffer
	if err := WriteRange(&buf, days, "table", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Sales from 2024-05-16 to 2024-05-18",
		"DATE        SALES  PAID  PAID AMOUNT  REFUNDED     NET  CANCELLED  UNSETTLED\n",
		"2024-05-17      7     3       ¥47.02    ¥14.68  ¥32.34          1          2\n",
		"3 days · Sales 9 · Paid 5 ¥235.89 · Refunded 1 (+1 in part) ¥14.68 · Net ¥221.21",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("range table lacks %q:\n%s", want, out)
		}
	}
	if err := WriteRange(&bytes.Buffer{}, days, "xml", ExportOptions{}); !errors.Is(err, ErrBadFormat) {
		t.Errorf("WriteRange(xml) = %v, want ErrBadFormat", err)
	}
	for _, format := range []string{"table", "json", "csv"} {
		if err := WriteRange(failingWriter{}, days, format, ExportOptions{BOM: true}); err == nil {
			t.Errorf("WriteRange(%s) to a failing writer = nil", format)
		}
	}
}

func TestWriteDayTableWithRefunds(t *testing.T) {
	days := seedRefunds(t)
	var buf bytes.Buffer
	if err := WriteDay(&buf, days[1], "table"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"STATUS     AMOUNT  REFUNDED  TRADE NO",
		"y-paid       paid       ¥24.68     ¥4.68  Ty-paid",
		"x-refunded   refunded   ¥10.00    ¥10.00  Tx-refunded",
		"Refunded 1 (+1 in part) ¥14.68",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
