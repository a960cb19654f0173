package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"kiosk/pos"
)

func TestWriteRangeCSVWithBOM(t *testing.T) {
	days := seedRefunds()
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
	if r := byNo["y-paid"]; r[col["refund_reason"]] != "spilt" || r[col["paid_at"]] == "" {
		t.Errorf("y-paid: refund_reason %q, paid_at %q; want the refund's reason and the time it was paid", r[col["refund_reason"]], r[col["paid_at"]])
	}
	if r := byNo["w-cancelled"]; r[col["paid_at"]] != "" {
		t.Errorf("a cancelled sale has paid_at %q", r[col["paid_at"]])
	}
	if rows[1][col["out_trade_no"]] != "before" || rows[9][col["out_trade_no"]] != "after" {
		t.Errorf("rows not in day order: first %v last %v", rows[1], rows[9])
	}
}

func TestWriteDayIsWriteRangeOfOneDay(t *testing.T) {
	d := seedDay()
	for _, format := range []string{"csv", "table"} {
		var day, rng bytes.Buffer
		if err := WriteDay(&day, d, format); err != nil {
			t.Fatal(err)
		}
		if err := WriteRange(&rng, []pos.Day{d}, format, ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		if day.String() != rng.String() {
			t.Errorf("%s: WriteDay\n%s\nWriteRange\n%s", format, day.String(), rng.String())
		}
	}
}

func TestWriteRangeJSON(t *testing.T) {
	days := seedRefunds()
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
	days := seedRefunds()
	var buf bytes.Buffer
	if err := WriteRange(&buf, days, "table", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Sales from 2024-05-16 to 2024-05-18",
		"DATE        SALES  PAID  PAID AMOUNT  REFUNDED     NET  CANCELLED  UNSETTLED\n",
		"2024-05-17      7     3       ¥47.02    ¥14.68  ¥32.34          1          2\n",
		"3 days · Sales 9 · Paid 5 ¥235.89 · Refunded 2 (1 in part) ¥14.68 · Net ¥221.21",
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
	days := seedRefunds()
	var buf bytes.Buffer
	if err := WriteDay(&buf, days[1], "table"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"STATUS     AMOUNT  REFUNDED  PAID BY  TRADE NO",
		"y-paid       paid       ¥24.68     ¥4.68  QR scan  Ty-paid",
		"x-refunded   refunded   ¥10.00    ¥10.00  QR scan  Tx-refunded",
		"Refunded 2 (1 in part) ¥14.68",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestWriteChainKeepsTheLedgersJSONShape: the chain's JSON is the
// ledger's, each sale with its store_id too.
func TestWriteChainKeepsTheLedgersJSONShape(t *testing.T) {
	day := seedDay()
	var kiosk, chain bytes.Buffer
	if err := WriteDay(&kiosk, day, "json"); err != nil {
		t.Fatal(err)
	}
	if err := WriteChain(&chain, []pos.Day{day}, "json", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	var k, c map[string]any
	if err := json.Unmarshal(kiosk.Bytes(), &k); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(chain.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	for _, sale := range c["sales"].([]any) {
		m := sale.(map[string]any)
		if m["store_id"] != "S1" || m["terminal_id"] != "T1" {
			t.Errorf("chain sale without its store and terminal: %v", m)
		}
		delete(m, "store_id")
	}
	kj, _ := json.Marshal(k)
	cj, _ := json.Marshal(c)
	if string(kj) != string(cj) {
		t.Errorf("chain JSON less store_id differs from the ledger's:\n%s\n%s", cj, kj)
	}
	var csvOut bytes.Buffer
	if err := WriteChain(&csvOut, []pos.Day{day}, "csv", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(csvOut.String(), "\n"); !strings.HasSuffix(first, ",refund_reason,store_id,method") {
		t.Errorf("CSV header %q", first)
	}
}
