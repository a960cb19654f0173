package cli

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"kiosk/pos"
)

// The reference the hand-written export is held to: the structs it was
// encoded from before, through encoding/json (writeJSON).

type dayJSON struct {
	Date   string     `json:"date"`
	Sales  []saleJSON `json:"sales"`
	Totals totalsJSON `json:"totals"`
}

type rangeJSON struct {
	From   string     `json:"from"`
	To     string     `json:"to"`
	Days   []dayJSON  `json:"days"`
	Totals totalsJSON `json:"totals"`
}

func dayOut(d pos.Day) dayJSON {
	out := dayJSON{Date: d.Date, Sales: make([]saleJSON, 0, len(d.Sales)), Totals: totalsOut(d.Totals)}
	for _, sale := range d.Sales {
		out.Sales = append(out.Sales, saleOut(sale))
	}
	return out
}

func rangeOut(days []pos.Day) rangeJSON {
	out := rangeJSON{Days: make([]dayJSON, 0, len(days)), Totals: totalsOut(sumTotals(days))}
	if len(days) > 0 {
		out.From, out.To = days[0].Date, days[len(days)-1].Date
	}
	for _, d := range days {
		out.Days = append(out.Days, dayOut(d))
	}
	return out
}

// checkExportJSON fails t unless writeDayJSON and writeRangeJSON write
// what encoding/json writes of the reference structs.
func checkExportJSON(t *testing.T, days []pos.Day) {
	t.Helper()
	var got, want bytes.Buffer
	if err := writeRangeJSON(&got, days); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&want, rangeOut(days)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("writeRangeJSON:\n%s\nencoding/json:\n%s", got.Bytes(), want.Bytes())
	}
	for _, d := range days {
		got.Reset()
		want.Reset()
		if err := writeDayJSON(&got, d); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(&want, dayOut(d)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("writeDayJSON:\n%s\nencoding/json:\n%s", got.Bytes(), want.Bytes())
		}
	}
}

// TestExportJSON: the export of the seed ledgers, a day without sales, no
// days at all, strings that need escaping and a day long enough to be
// written in several pieces are encoding/json's bytes.
func TestExportJSON(t *testing.T) {
	odd := seedDay()
	odd.Sales[0].Subject = "Tea & cake <b>\"quoted\" \\ \t\n\r\b\f\x00\x1f\x7f 茶\u2028\u2029 bad:\xff\xc3"
	odd.Sales[0].Method = pos.PayByCode
	odd.Sales[1].Method = ""
	odd.Sales[1].Refunds = []pos.Refund{
		{OutRequestNo: "R1", Fen: -5, Status: pos.RefundRequested, At: odd.Sales[1].CreatedAt},
		{OutRequestNo: "R2\"", Fen: math.MinInt64, Status: pos.RefundFailed, At: odd.Sales[1].CreatedAt.UTC(),
			DoneAt: odd.Sales[1].CreatedAt.Add(time.Hour), ApprovedBy: "王\n", Reason: "<&>"},
	}
	odd.Sales[2].AmountFen = math.MaxInt64
	odd.Totals.NetFen = -1234567
	long := pos.Day{Date: "2024-05-19"}
	for len(long.Sales) < 3000 {
		long.Sales = append(long.Sales, seedDay().Sales...)
	}
	reversed := seedDay()
	reversed.Sales[0].Status, reversed.Sales[0].ReceiptNo = pos.StatusRefunded, 0
	reversed.Totals.Reversed, reversed.Totals.ReversedFen = 1, reversed.Sales[0].AmountFen
	cases := map[string][]pos.Day{
		"reversed":     {reversed},
		"seed day":     {seedDay()},
		"seed refunds": seedRefunds(),
		"no sales":     {{Date: "2024-05-17"}},
		"no days":      nil,
		"escapes":      {odd, seedDay()},
		"long day":     {long},
	}
	for name, days := range cases {
		t.Run(name, func(t *testing.T) { checkExportJSON(t, days) })
	}
}

// TestExportJSONWritesInPieces: a long day reaches the writer in pieces
// of about indentChunk, never whole.
func TestExportJSONWritesInPieces(t *testing.T) {
	long := pos.Day{Date: "2024-05-19"}
	for len(long.Sales) < 3000 {
		long.Sales = append(long.Sales, seedDay().Sales...)
	}
	var w piecesWriter
	if err := writeDayJSON(&w, long); err != nil {
		t.Fatal(err)
	}
	if len(w.sizes) < 10 || w.max > indentChunk+4<<10 {
		t.Errorf("%d writes, the largest %d bytes; want many of at most about %d", len(w.sizes), w.max, indentChunk)
	}
}

type piecesWriter struct {
	sizes []int
	max   int
}

func (p *piecesWriter) Write(b []byte) (int, error) {
	p.sizes = append(p.sizes, len(b))
	p.max = max(p.max, len(b))
	return len(b), nil
}

func TestAppendFenIsFormatFen(t *testing.T) {
	for _, fen := range []int64{0, 1, 9, 10, 99, 100, 101, 1234, -1, -5, -100, -1234, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		if got, want := string(appendFen(nil, fen)), formatFen(fen); got != want {
			t.Errorf("appendFen(%d) = %q, formatFen %q", fen, got, want)
		}
	}
}

// FuzzExportJSON: for any strings, amounts and times in a sale and its
// refund, the hand-written export is encoding/json's bytes.
func FuzzExportJSON(f *testing.F) {
	f.Add("z-paid", "Coffee", "T1", "paid", "R1", "Li", "spilt", int64(1234), int64(468), int64(1715907600), int64(0), 1, "qr")
	f.Add("", "", "", "", "", "", "", int64(0), int64(0), int64(0), int64(0), 0, "")
	f.Add("a\"b\\c", "茶 & 蛋糕 <b>\u2028", "\x00\x1f\x7f", "pending", "\xff", "\t\n", "\xe2\x80", int64(-5), int64(math.MinInt64), int64(-62135596800), int64(253402300799), 9999, "payment_code")
	f.Fuzz(func(t *testing.T, no, subject, terminal, status, request, approver, reason string, fen, refundFen, createdUnix, paidUnix int64, receipt int, method string) {
		created := time.Unix(createdUnix%(1<<36), 0).In(shanghai)
		sale := pos.SaleRecord{
			OutTradeNo: no, Subject: subject, TerminalID: terminal, TradeNo: reason + no, Status: pos.Status(status),
			AmountFen: fen, RefundedFen: refundFen, ReceiptNo: receipt, CreatedAt: created, Method: pos.PayMethod(method),
		}
		if paidUnix != 0 {
			sale.PaidAt = time.Unix(paidUnix%(1<<36), 0).UTC()
		}
		if request != "" {
			sale.Refunds = []pos.Refund{{OutRequestNo: request, Fen: refundFen, Status: pos.RefundStatus(status),
				At: created, DoneAt: sale.PaidAt, ApprovedBy: approver, Reason: reason}}
		}
		day := pos.Day{Date: strings.ToValidUTF8(no, "?"), Sales: []pos.SaleRecord{sale, sale},
			Totals: pos.Totals{Count: receipt, PaidFen: fen, RefundedFen: refundFen, NetFen: fen - refundFen}}
		checkExportJSON(t, []pos.Day{day, {Date: subject}})
	})
}
