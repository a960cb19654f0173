package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"kiosk/pos"
)

func TestWriteReportTable(t *testing.T) {
	x, z := hoursX(), hoursZ()
	for _, tt := range []struct {
		r    pos.Report
		want []string
	}{
		{x, []string{"X REPORT (not closed)\n=====================\nDate          2024-05-17\nTerminal      KIOSK-1\nGenerated at  2024-05-17 12:00:00\n"}},
		{z, []string{"Z REPORT No. 0001\n=================\nDate       2024-05-17\nTerminal   KIOSK-1\nClosed at  2024-05-17 22:30:00\n"}},
	} {
		var buf bytes.Buffer
		if err := WriteReport(&buf, tt.r, "table"); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		want := append(tt.want,
			"\nTOTALS\n  Sales             5\n  Paid              3  ¥35.00\n",
			"  Refunded in full  1\n  Refunded in part  1\n  Refunded             ¥22.00\n  Net                  ¥13.00\n",
			"  Cancelled         1\n  Failed            0\n  Pending           1\n  Unknown           0\n",
			"\nBY STATUS\n  paid       2  ¥15.00\n  refunded   1  ¥20.00\n  cancelled  1   ¥3.00\n  pending    1   ¥1.00\n",
			"\nBY HOUR\n  HOUR         SALES    PAID  REFUNDED\n  09:00–10:00      2  ¥15.00     ¥2.00\n",
			"  21:00–22:00      1  ¥20.00    ¥20.00\n",
			"Refunds made this day of earlier days' sales: 1, ¥3.00\n",
			"Note: 1 sale still pending or unknown",
		)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("report lacks %q:\n%s", w, out)
			}
		}
		if strings.Contains(out, "10:00–11:00") {
			t.Errorf("report lists an hour without sales:\n%s", out)
		}
	}
}

func TestWriteReportJSON(t *testing.T) {
	z := hoursZNoTerminal()
	var buf bytes.Buffer
	if err := WriteReport(&buf, z, "json"); err != nil {
		t.Fatal(err)
	}
	var got reportJSON
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	back, err := reportFromJSON(got)
	back.CreatedAt = back.CreatedAt.In(shanghai)
	if err != nil || !reflect.DeepEqual(back, z) {
		t.Errorf("JSON round trip = %+v, %v\nwant %+v", back, err, z)
	}
	if got.Title != "Z REPORT No. 0001" || got.ByHour[9].PaidAmount != "15.00" || got.ByStatus[pos.StatusPaid].Amount != "15.00" {
		t.Errorf("JSON %s", buf.String())
	}
	if err := WriteReport(&buf, z, "csv"); !errors.Is(err, ErrBadFormat) {
		t.Errorf("WriteReport(csv) = %v, want ErrBadFormat", err)
	}
}

// reportFromJSON reads back what WriteReport's json writes: the test's
// inverse of reportOut, as the ledger reads back the Z reports it stores
// in that shape.
func reportFromJSON(rj reportJSON) (pos.Report, error) {
	if len(rj.ByHour) != 24 {
		return pos.Report{}, fmt.Errorf("%d hours, want 24", len(rj.ByHour))
	}
	t := rj.Totals
	r := pos.Report{
		Date: rj.Date, Number: rj.Number, Kind: rj.Kind, CreatedAt: rj.CreatedAt, Terminal: rj.Terminal, ZNumber: rj.ZNumber,
		Totals: pos.Totals{Count: t.Count, Paid: t.Paid, PaidFen: t.PaidFen, Refunded: t.Refunded, RefundedFen: t.RefundedFen,
			NetFen: t.NetFen, Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
			PartlyRefunded: t.PartlyRefunded},
		ByStatus:       map[pos.Status]pos.StatusTotals{},
		EarlierRefunds: pos.RefundTotals{Count: rj.EarlierRefunds.Count, Fen: rj.EarlierRefunds.Fen},
	}
	for st, v := range rj.ByStatus {
		r.ByStatus[st] = pos.StatusTotals{Count: v.Count, Fen: v.Fen}
	}
	for h, v := range rj.ByHour {
		r.ByHour[h] = pos.HourTotals{Count: v.Count, PaidFen: v.PaidFen, RefundedFen: v.RefundedFen}
	}
	for m, v := range rj.ByMethod {
		if r.ByMethod == nil {
			r.ByMethod = map[pos.PayMethod]pos.MethodTotals{}
		}
		r.ByMethod[m] = pos.MethodTotals{Count: v.Count, Paid: v.Paid, PaidFen: v.PaidFen, RefundedFen: v.RefundedFen}
	}
	return r, nil
}

// TestReportSplitsByPayMethod: the printed report says how much came in
// by QR code and how much by payment code, in the table and in JSON.
func TestReportSplitsByPayMethod(t *testing.T) {
	z := hoursZ()
	z.ByMethod = map[pos.PayMethod]pos.MethodTotals{
		pos.PayByQR:   {Count: 3, Paid: 2, PaidFen: 3000, RefundedFen: 2200},
		pos.PayByCode: {Count: 2, Paid: 1, PaidFen: 500},
	}
	var buf bytes.Buffer
	if err := WriteReport(&buf, z, "table"); err != nil {
		t.Fatal(err)
	}
	want := "\nBY PAYMENT METHOD\n" +
		"                SALES  PAID  AMOUNT  REFUNDED    NET\n" +
		"  QR code           3     2  ¥30.00    ¥22.00  ¥8.00\n" +
		"  Payment code      2     1   ¥5.00     ¥0.00  ¥5.00\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("report lacks\n%s\nin:\n%s", want, buf.String())
	}
	buf.Reset()
	if err := WriteReport(&buf, z, "json"); err != nil {
		t.Fatal(err)
	}
	var got reportJSON
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if c := got.ByMethod[pos.PayByCode]; c.Count != 2 || c.Paid != 1 || c.PaidAmount != "5.00" || c.PaidFen != 500 || c.RefundedAmount != "0.00" {
		t.Errorf("by_method in JSON: %+v", got.ByMethod)
	}
	back, err := reportFromJSON(got)
	if err != nil || !reflect.DeepEqual(back.ByMethod, z.ByMethod) {
		t.Errorf("JSON round trip of the split = %+v, %v", back.ByMethod, err)
	}
}

// TestZCopySaysLaterRefundsExist: a copy of a Z report says refunds were
// made after the day closed (not in it); a report counts those made after
// an earlier close.
func TestZCopySaysLaterRefundsExist(t *testing.T) {
	z := hoursZ()
	z.Copy, z.LaterRefunds, z.AfterClose = true, pos.RefundTotals{Count: 1, Fen: 734}, pos.RefundTotals{Count: 2, Fen: 100}
	var buf bytes.Buffer
	if err := WriteReport(&buf, z, "table"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"refunds made after this day closed: 1, ¥7.34", "Refunds made after an earlier close (counted here): 2, ¥1.00"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %q in:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	_ = WriteReport(&buf, z, "json")
	if !strings.Contains(buf.String(), `"later_refunds"`) || !strings.Contains(buf.String(), `"after_close_refunds"`) {
		t.Errorf("JSON without later or after-close refunds:\n%s", buf.String())
	}
}

// closedRecords is a ledger of one closed day with a refund made after
// its close.
type closedRecords struct{ Records }

func (closedRecords) Dir() string   { return "/nowhere" }
func (closedRecords) Today() string { return "2024-05-17" }
func (closedRecords) Range(from, _ string) ([]pos.Day, error) {
	return []pos.Day{{Date: from}}, nil
}
func (closedRecords) Report(string) (pos.Report, error) {
	z := hoursZ()
	z.Copy, z.LaterRefunds = true, pos.RefundTotals{Count: 1, Fen: 734}
	return z, nil
}

// TestLedgerOfAClosedDaySaysLaterRefunds: `kiosk ledger` of a closed day
// whose figures moved on after its Z report says so under the table, in
// both languages, as a listing: the table counts the refunds, the Z
// report does not; it is no report ("this one", 本报表).
func TestLedgerOfAClosedDaySaysLaterRefunds(t *testing.T) {
	z, _ := closedRecords{}.Report("")
	for _, tt := range []struct {
		lang    string
		speak   func(*testing.T)
		want    string
		notSaid string
	}{
		{"en", func(*testing.T) {}, fmt.Sprintf("\nNote: refunds made after this day closed: 1, ¥7.34. This listing counts them; the day's Z report (No. %04d) does not.\n", z.Number), "this one"},
		{"zh", inChinese, fmt.Sprintf("\n注意：日结后又有退款 1 笔，¥7.34。本列表已计入；当日的第 %04d 号 Z 报表未计入。\n", z.Number), "本报表"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			tt.speak(t)
			var buf bytes.Buffer
			if err := Export(&buf, closedRecords{}, DayQuery{Format: "table"}); err != nil {
				t.Fatal(err)
			}
			if out := buf.String(); !strings.HasSuffix(out, tt.want) || strings.Contains(out, tt.notSaid) {
				t.Errorf("the note of the later refund:\n%s\nwant it to end\n%s", out, tt.want)
			}
		})
	}
}
