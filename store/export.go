package store

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// WriteDay writes a day of the ledger to w in format "table" (aligned
// columns with a totals footer, for people), "json" (indented, with totals)
// or "csv" (a header row and one row per sale, no totals). Any other format
// yields ErrBadFormat. Amounts are written in yuan ("12.34"); times in the
// zone the sales carry, which for a Day from a Store is the shop's.
func WriteDay(w io.Writer, d Day, format string) error {
	switch format {
	case "table":
		return writeTable(w, d)
	case "json":
		return writeJSON(w, d)
	case "csv":
		return writeCSV(w, d)
	}
	return fmt.Errorf("%w %q: want table, json or csv", ErrBadFormat, format)
}

// formatFen renders fen as yuan with two decimals: 1234 -> "12.34".
func formatFen(fen int64) string {
	sign, u := "", uint64(fen)
	if fen < 0 {
		sign, u = "-", -u // two's complement, so math.MinInt64 works too
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// receiptLabel renders a receipt number as on the printed receipt, "0007",
// and no receipt as "".
func receiptLabel(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%04d", n)
}

type saleJSON struct {
	OutTradeNo string `json:"out_trade_no"`
	ReceiptNo  int    `json:"receipt_no"` // 0 when none
	Status     Status `json:"status"`
	Amount     string `json:"amount"`
	AmountFen  int64  `json:"amount_fen"`
	TradeNo    string `json:"trade_no"`
	CreatedAt  string `json:"created_at"`
	PaidAt     string `json:"paid_at,omitempty"`
	Subject    string `json:"subject"`
	TerminalID string `json:"terminal_id"`
}

type totalsJSON struct {
	Count          int    `json:"count"`
	Paid           int    `json:"paid"`
	PaidAmount     string `json:"paid_amount"`
	PaidFen        int64  `json:"paid_fen"`
	Refunded       int    `json:"refunded"`
	RefundedAmount string `json:"refunded_amount"`
	RefundedFen    int64  `json:"refunded_fen"`
	NetAmount      string `json:"net_amount"`
	NetFen         int64  `json:"net_fen"`
	Cancelled      int    `json:"cancelled"`
	Unknown        int    `json:"unknown"`
	Pending        int    `json:"pending"`
	Failed         int    `json:"failed"`
}

type dayJSON struct {
	Date   string     `json:"date"`
	Sales  []saleJSON `json:"sales"`
	Totals totalsJSON `json:"totals"`
}

func writeJSON(w io.Writer, d Day) error {
	out := dayJSON{Date: d.Date, Sales: make([]saleJSON, 0, len(d.Sales)), Totals: totalsOut(d.Totals)}
	for _, sale := range d.Sales {
		out.Sales = append(out.Sales, saleOut(sale))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // subjects like "Tea & cake" stay readable
	return enc.Encode(out)
}

func saleOut(sale Sale) saleJSON {
	out := saleJSON{
		OutTradeNo: sale.OutTradeNo,
		ReceiptNo:  sale.ReceiptNo,
		Status:     sale.Status,
		Amount:     formatFen(sale.AmountFen),
		AmountFen:  sale.AmountFen,
		TradeNo:    sale.TradeNo,
		CreatedAt:  sale.CreatedAt.Format(time.RFC3339),
		Subject:    sale.Subject,
		TerminalID: sale.TerminalID,
	}
	if !sale.PaidAt.IsZero() {
		out.PaidAt = sale.PaidAt.Format(time.RFC3339)
	}
	return out
}

func totalsOut(t Totals) totalsJSON {
	return totalsJSON{
		Count: t.Count, Paid: t.Paid, PaidAmount: formatFen(t.PaidFen), PaidFen: t.PaidFen,
		Refunded: t.Refunded, RefundedAmount: formatFen(t.RefundedFen), RefundedFen: t.RefundedFen,
		NetAmount: formatFen(t.NetFen), NetFen: t.NetFen,
		Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
	}
}

// csvHeader names the CSV columns. There is no totals row: spreadsheets sum.
var csvHeader = []string{"time", "receipt_no", "out_trade_no", "status", "amount", "trade_no", "terminal_id", "subject"}

func writeCSV(w io.Writer, d Day) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader) // errors stick and are reported by Error
	for _, sale := range d.Sales {
		_ = cw.Write([]string{
			sale.CreatedAt.Format(time.DateTime),
			receiptLabel(sale.ReceiptNo),
			sale.OutTradeNo,
			string(sale.Status),
			formatFen(sale.AmountFen),
			sale.TradeNo,
			sale.TerminalID,
			sale.Subject,
		})
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(w io.Writer, d Day) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Sales on %s\n\n", d.Date)
	if len(d.Sales) == 0 {
		fmt.Fprintln(tw, "No sales.")
	} else {
		writeRows(tw, d.Sales)
	}
	t := d.Totals
	fmt.Fprintf(tw, "\nSales %d · Paid %d %s · Refunded %d %s · Net %s\n",
		t.Count, t.Paid, yuan(t.PaidFen), t.Refunded, yuan(t.RefundedFen), yuan(t.NetFen))
	fmt.Fprintf(tw, "Cancelled %d · Unknown %d · Pending %d · Failed %d\n",
		t.Cancelled, t.Unknown, t.Pending, t.Failed)
	return tw.Flush() // tabwriter reports the first error of w here
}

// writeRows writes the column header and one line per sale. Amounts are
// padded to a common width so they line up on the right.
func writeRows(tw io.Writer, sales []Sale) {
	width := utf8.RuneCountInString("AMOUNT")
	for _, sale := range sales {
		width = max(width, utf8.RuneCountInString(yuan(sale.AmountFen)))
	}
	fmt.Fprintf(tw, "TIME\tRECEIPT\tORDER\tSTATUS\t%s\tTRADE NO\tTERMINAL\tSUBJECT\n", padLeft("AMOUNT", width))
	for _, sale := range sales {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			sale.CreatedAt.Format(time.TimeOnly), receiptLabel(sale.ReceiptNo), sale.OutTradeNo,
			sale.Status, padLeft(yuan(sale.AmountFen), width), sale.TradeNo, sale.TerminalID, oneLine(sale.Subject))
	}
}

func yuan(fen int64) string { return "¥" + formatFen(fen) }

func padLeft(s string, width int) string {
	return strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s))) + s
}

// oneLine keeps a subject from breaking the table's rows and columns.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }), " ")
}
