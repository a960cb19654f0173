package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"kiosk/pos"
)

func TestWriteDayJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDay(&buf, seedDay(), "json"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Date  string           `json:"date"`
		Sales []map[string]any `json:"sales"`
		// Totals decoded into the export's own shape.
		Totals totalsJSON `json:"totals"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	first := got.Sales[0]
	want := map[string]any{
		"out_trade_no": "z-paid", "receipt_no": 1.0, "status": "paid", "amount": "12.34", "amount_fen": 1234.0,
		"trade_no": "Tz-paid", "created_at": "2024-05-17T09:00:00+08:00", "paid_at": "2024-05-17T10:00:00+08:00",
		"subject": "Coffee", "terminal_id": "T1", "refunded_amount": "0.00", "refunded_fen": 0.0, "method": "qr",
	}
	if got.Date != "2024-05-17" || len(got.Sales) != 7 || !equalMaps(first, want) {
		t.Errorf("date %s, %d sales, first %v\nwant first %v", got.Date, len(got.Sales), first, want)
	}
	if _, ok := got.Sales[3]["paid_at"]; ok {
		t.Errorf("unpaid sale has paid_at: %v", got.Sales[3])
	}
	wantTotals := totalsJSON{
		Count: 7, Paid: 3, PaidAmount: "47.02", PaidFen: 4702, Refunded: 1, RefundedAmount: "10.00", RefundedFen: 1000,
		NetAmount: "37.02", NetFen: 3702, Cancelled: 1, Unknown: 1, Pending: 1, Failed: 1,
	}
	if got.Totals != wantTotals {
		t.Errorf("totals %+v\n  want %+v", got.Totals, wantTotals)
	}
	if !strings.Contains(buf.String(), "\n  \"sales\": [") {
		t.Errorf("JSON is not indented:\n%s", buf.String())
	}
}

func TestWriteDayJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDay(&buf, pos.Day{Date: "2024-05-17"}, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"sales": []`) {
		t.Errorf("empty day should have an empty sales list:\n%s", buf.String())
	}
}

func TestWriteDayCSV(t *testing.T) {
	d := seedDay()
	d.Sales[1].Subject = "Tea, \"large\"" // needs quoting
	d.Sales[0].Method = pos.PayByCode
	var buf bytes.Buffer
	if err := WriteDay(&buf, d, "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+7 {
		t.Fatalf("%d rows, want header + 7", len(rows))
	}
	// The first eight columns are those of the first release; refunds added
	// two at the end, then the time of payment and the refunds' reasons,
	// then how the sale was paid.
	wantHeader := []string{"time", "receipt_no", "out_trade_no", "status", "amount", "trade_no", "terminal_id", "subject",
		"refunded_amount", "approved_by", "paid_at", "refund_reason", "method"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header %v", rows[0])
	}
	wantRows := map[int][]string{
		1: {"2024-05-17 09:00:00", "0001", "z-paid", "paid", "12.34", "Tz-paid", "T1", "Coffee", "0.00", "", "2024-05-17 10:00:00", "", "payment_code"},
		2: {"2024-05-17 09:05:00", "0002", "y-paid", "paid", "24.68", "Ty-paid", "T1", "Tea, \"large\"", "0.00", "", paidAt(d.Sales[1]), "", "qr"},
		3: {"2024-05-17 09:10:00", "0003", "x-refunded", "refunded", "10.00", "Tx-refunded", "T1", "Coffee", "10.00", "", paidAt(d.Sales[2]), "", "qr"},
		4: {"2024-05-17 09:15:00", "", "w-cancelled", "cancelled", "5.00", "", "T1", "Coffee", "0.00", "", "", "", "qr"},
	}
	for i, want := range wantRows {
		if !slices.Equal(rows[i], want) {
			t.Errorf("row %d = %q\n     want %q", i, rows[i], want)
		}
	}
}

func TestWriteDayTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDay(&buf, seedDay(), "table"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Sales on 2024-05-17",
		"TIME      RECEIPT  ORDER        STATUS     AMOUNT",
		"09:00:00  0001     z-paid       paid       ¥12.34",
		"09:15:00           w-cancelled  cancelled   ¥5.00",
		"Sales 7 · Paid 3 ¥47.02 · Refunded 1 ¥10.00 · Net ¥37.02",
		"Cancelled 1 · Unknown 1 · Pending 1 · Failed 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteDayTableEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDay(&buf, pos.Day{Date: "2024-05-17"}, "table"); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "No sales.") || !strings.Contains(out, "Net ¥0.00") {
		t.Errorf("empty table:\n%s", out)
	}
}

func TestWriteDayBadFormat(t *testing.T) {
	for _, format := range []string{"", "xml", "JSON"} {
		if err := WriteDay(&bytes.Buffer{}, pos.Day{}, format); !errors.Is(err, ErrBadFormat) {
			t.Errorf("WriteDay(%q) = %v, want ErrBadFormat", format, err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteDayReportsWriteErrors(t *testing.T) {
	d := seedDay()
	for _, format := range []string{"table", "json", "csv"} {
		if err := WriteDay(failingWriter{}, d, format); err == nil {
			t.Errorf("WriteDay(%s) to a failing writer = nil", format)
		}
	}
}

func equalMaps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
