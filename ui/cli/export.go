package cli

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
)

// WriteDay writes a day of the ledger to w in format "table" (aligned
// columns with a totals footer, for people), "json" (indented, with totals)
// or "csv" (a header row and one row per sale, no totals). Any other format
// yields ErrBadFormat. Amounts are written in yuan ("12.34"); times in the
// zone the sales carry, which for a Day from a Store is the shop's.
//
// For table and csv the output is that of WriteRange with the one day and
// no options; json keeps its one-day shape, {"date","sales","totals"}.
func WriteDay(w io.Writer, d pos.Day, format string) error {
	switch format {
	case "table":
		return writeTable(w, d, ExportOptions{})
	case "json":
		return writeDayJSON(w, d)
	case "csv":
		return writeCSV(w, []pos.Day{d})
	}
	return badFormat(format, say.CLI.WantTableJSONCSV)
}

// badFormat refuses an output format other than those a command offers.
func badFormat(format, want string) error {
	return advised{say.CLI.BadFormat.F(format, want), ErrBadFormat}
}

// ExportOptions adjust WriteRange.
type ExportOptions struct {
	// BOM starts CSV output with a UTF-8 byte order mark, so that
	// spreadsheets (Excel above all) read Chinese subjects as UTF-8. It
	// does not apply to table or JSON; JSON must not carry one.
	BOM bool
	// Width is the terminal's columns, which a day's table fits by leaving
	// out columns (fitSales); 0, output that is not a terminal, for every
	// column.
	Width int
	// Whole says, under a table fitted to Width, how to see every column
	// in full; say.CLI.WholeTable when empty.
	Whole string
}

// ErrBadFormat means an output format other than those a command offers.
var ErrBadFormat = errors.New("unknown export format")

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// WriteRange writes days of the ledger, as returned by Range, to w in
// format "table" (one line per day and the totals of the range; a single
// day is written as by WriteDay), "json" ({"from","to","days":[...],
// "totals"}, each day shaped as WriteDay's) or "csv" (a header row and one
// row per sale of every day, cancelled and failed sales included, no
// totals). Any other format yields ErrBadFormat.
func WriteRange(w io.Writer, days []pos.Day, format string, opts ExportOptions) error {
	switch format {
	case "table":
		if len(days) == 1 {
			return writeTable(w, days[0], opts)
		}
		return writeRangeTable(w, days)
	case "json":
		return writeRangeJSON(w, days)
	case "csv":
		if opts.BOM {
			if _, err := io.WriteString(w, bom); err != nil {
				return err
			}
		}
		return writeCSV(w, days)
	}
	return badFormat(format, say.CLI.WantTableJSONCSV)
}

// sumTotals adds up the totals of days.
func sumTotals(days []pos.Day) pos.Totals {
	var t pos.Totals
	for _, d := range days {
		t = t.Add(d.Totals)
	}
	return t
}

// receiptLabel renders a receipt number as on the printed receipt, "0007",
// and no receipt as "".
func receiptLabel(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%04d", n)
}

// saleJSON is a sale as the JSON of head office's ledger (chain.go) shows
// it; `kiosk ledger`'s export writes the same members by hand
// (exportjson.go).
type saleJSON struct {
	OutTradeNo string     `json:"out_trade_no"`
	ReceiptNo  int        `json:"receipt_no"` // 0 when none
	Status     pos.Status `json:"status"`
	Reversed   bool       `json:"reversed,omitempty"` // refunded without a receipt: a reversal
	Amount     string     `json:"amount"`
	AmountFen  int64      `json:"amount_fen"`
	TradeNo    string     `json:"trade_no"`
	CreatedAt  string     `json:"created_at"`
	PaidAt     string     `json:"paid_at,omitempty"`
	Subject    string     `json:"subject"`
	TerminalID string     `json:"terminal_id"`
	// Refunded is the money that went back, "0.00" when none.
	Refunded    string       `json:"refunded_amount"`
	RefundedFen int64        `json:"refunded_fen"`
	Refunds     []refundJSON `json:"refunds,omitempty"`
	// Method is how the customer paid: qr or payment_code.
	Method pos.PayMethod `json:"method"`
}

type refundJSON struct {
	OutRequestNo string           `json:"out_request_no"`
	Amount       string           `json:"amount"`
	Fen          int64            `json:"fen"`
	Status       pos.RefundStatus `json:"status"`
	At           string           `json:"at"`
	DoneAt       string           `json:"done_at,omitempty"`
	ApprovedBy   string           `json:"approved_by,omitempty"`
	Reason       string           `json:"reason,omitempty"`
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
	PartlyRefunded int    `json:"partly_refunded"`
	// Reversed: refunded without a receipt, counted apart (pos.SaleRecord.Reversed).
	Reversed       int    `json:"reversed,omitempty"`
	ReversedAmount string `json:"reversed_amount,omitempty"`
	ReversedFen    int64  `json:"reversed_fen,omitempty"`
}

// writeJSON writes v as JSON indented by two spaces, as json.Encoder does
// with SetIndent("", "  "), its HTML characters as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(indenter{w})
	enc.SetEscapeHTML(false) // subjects like "Tea & cake" stay readable
	return enc.Encode(v)
}

// indenter lays out what a json.Encoder writes, which is one whole value
// a Write.
type indenter struct{ w io.Writer }

func (in indenter) Write(compact []byte) (int, error) {
	if err := writeIndented(in.w, compact); err != nil {
		return 0, err
	}
	return len(compact), nil
}

func saleOut(sale pos.SaleRecord) saleJSON {
	out := saleJSON{
		OutTradeNo:  sale.OutTradeNo,
		ReceiptNo:   sale.ReceiptNo,
		Status:      sale.Status,
		Reversed:    sale.Reversed(),
		Amount:      formatFen(sale.AmountFen),
		AmountFen:   sale.AmountFen,
		TradeNo:     sale.TradeNo,
		CreatedAt:   sale.CreatedAt.Format(time.RFC3339),
		Subject:     sale.Subject,
		TerminalID:  sale.TerminalID,
		Refunded:    formatFen(sale.Refunded()),
		RefundedFen: sale.Refunded(),
		Method:      cmp.Or(sale.Method, pos.PayByQR), // a record from before payment codes
	}
	if !sale.PaidAt.IsZero() {
		out.PaidAt = sale.PaidAt.Format(time.RFC3339)
	}
	for _, r := range sale.Refunds {
		rj := refundJSON{
			OutRequestNo: r.OutRequestNo, Amount: formatFen(r.Fen), Fen: r.Fen, Status: r.Status,
			At: r.At.Format(time.RFC3339), ApprovedBy: r.ApprovedBy, Reason: r.Reason,
		}
		if !r.DoneAt.IsZero() {
			rj.DoneAt = r.DoneAt.Format(time.RFC3339)
		}
		out.Refunds = append(out.Refunds, rj)
	}
	return out
}

func totalsOut(t pos.Totals) totalsJSON {
	out := totalsJSON{
		Count: t.Count, Paid: t.Paid, PaidAmount: formatFen(t.PaidFen), PaidFen: t.PaidFen,
		Refunded: t.Refunded, RefundedAmount: formatFen(t.RefundedFen), RefundedFen: t.RefundedFen,
		NetAmount: formatFen(t.NetFen), NetFen: t.NetFen,
		Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
		PartlyRefunded: t.PartlyRefunded, Reversed: t.Reversed, ReversedFen: t.ReversedFen,
	}
	if t.Reversed > 0 {
		out.ReversedAmount = formatFen(t.ReversedFen)
	}
	return out
}

// csvHeader names the CSV columns, in the language (English's are the
// columns' names scripts read). There is no totals row: spreadsheets sum.
// The columns after subject came later, each at the end, so that sheets
// built on the earlier ones keep working: the two of refunds, then when
// the sale was paid and why its refunds were made; then (after head
// office's store_id, in its CSV) how it was paid, csvMethod.
func csvHeader() []string {
	c := &say.CLI.CSV
	return []string{c.Time, c.ReceiptNo, c.OutTradeNo, c.Status, c.Amount, c.TradeNo, c.TerminalID, c.Subject,
		c.RefundedAmount, c.ApprovedBy, c.PaidAt, c.RefundReason}
}

func writeCSV(w io.Writer, days []pos.Day) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append(csvHeader(), say.CLI.CSV.Method)) // errors stick and are reported by Error
	for _, d := range days {
		for _, sale := range d.Sales {
			_ = cw.Write(append(csvRow(sale), csvMethod(sale)))
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow is a sale's row under csvHeader.
func csvRow(sale pos.SaleRecord) []string {
	return []string{
		sale.CreatedAt.Format(time.DateTime),
		receiptLabel(sale.ReceiptNo),
		sale.OutTradeNo,
		say.SaleStatusName(sale), // English's are the ledger's own, and reversed
		formatFen(sale.AmountFen),
		sale.TradeNo,
		sale.TerminalID,
		sale.Subject,
		formatFen(sale.Refunded()),
		lastApprover(sale),
		paidAt(sale),
		refundReasons(sale),
	}
}

// csvMethod is how the sale was paid, as the CSV's method column says it.
func csvMethod(sale pos.SaleRecord) string {
	if sale.Method == pos.PayByCode {
		return say.CLI.CSV.MethodCode
	}
	return say.CLI.CSV.MethodQR // a record from before payment codes too
}

// paidAt is when the sale was paid, as the time column writes it; "" for a
// sale never paid.
func paidAt(sale pos.SaleRecord) string {
	if sale.PaidAt.IsZero() {
		return ""
	}
	return sale.PaidAt.Format(time.DateTime)
}

// refundReasons are the reasons given for the sale's refunds that were
// made or may have been, oldest first, joined by "; ".
func refundReasons(sale pos.SaleRecord) string {
	var reasons []string
	for _, r := range sale.Refunds {
		if r.Reason != "" && r.Status != pos.RefundFailed {
			reasons = append(reasons, oneLine(r.Reason))
		}
	}
	return strings.Join(reasons, "; ")
}

// lastApprover is who approved the sale's latest refund, "" when none:
// the names the kiosk records itself in the language (店长), except in
// English, whose CSV keeps the ledger's own ("manager"), as its statuses do.
func lastApprover(sale pos.SaleRecord) string {
	if len(sale.Refunds) == 0 {
		return ""
	}
	name := sale.Refunds[len(sale.Refunds)-1].ApprovedBy
	if say == words.English {
		return name
	}
	return say.Approver(name)
}

// writeTable writes the day's table, fitted to opts.Width columns (0:
// every column), and its totals.
func writeTable(w io.Writer, d pos.Day, opts ExportOptions) error {
	width := opts.Width
	var b strings.Builder
	b.WriteString(say.CLI.SalesOn.F(d.Date) + "\n\n")
	if len(d.Sales) == 0 {
		b.WriteString(say.CLI.NoSales + "\n")
	} else {
		t, left := fitSales(saleRows(d.Sales), width)
		b.WriteString(t.String())
		if len(left) > 0 {
			b.WriteString("\n")
			for _, note := range []string{say.CLI.LeftOut.F(strings.Join(left, say.Punct.List)), cmp.Or(opts.Whole, say.CLI.WholeTable)} {
				// broken at spaces only, so that --format stays whole
				b.WriteString(strings.TrimRight(ansi.Wrap(note, width, ""), " ") + "\n")
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(joinFitted(figures.Line(say, d.Totals), say.Punct.Parts, width) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// joinFitted joins parts with sep into lines of at most width cells (0:
// one line), breaking only between two parts.
func joinFitted(parts []string, sep string, width int) string {
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case width > 0 && lipgloss.Width(line+sep+p) > width:
			lines = append(lines, line)
			line = p
		default:
			line += sep + p
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// writeTotals writes the line of totals under a table, in the words and
// counts of the ledger's screen (figures.Line).
func writeTotals(b *strings.Builder, t pos.Totals) {
	b.WriteString(strings.Join(figures.Line(say, t), say.Punct.Parts) + "\n")
}

// saleRows is the column header and a row per sale, amounts on the right.
// A REFUNDED column appears when a sale of the list has money refunded;
// how the sale was paid follows the amounts.
func saleRows(sales []pos.SaleRecord) figures.Table {
	c := &say.CLI
	refunds := slices.ContainsFunc(sales, func(s pos.SaleRecord) bool { return s.Refunded() > 0 })
	header := []string{c.Time, c.ReceiptNo, c.Order, c.Status, c.Amount}
	if refunds {
		header = append(header, c.Refunded)
	}
	rows := [][]string{append(header, c.Method, c.TradeNo, c.Terminal, c.Subject)}
	for _, sale := range sales {
		row := []string{sale.CreatedAt.Format(time.TimeOnly), receiptLabel(sale.ReceiptNo), sale.OutTradeNo,
			say.SaleStatusName(sale), yuan(sale.AmountFen)}
		if refunds {
			refunded := ""
			if sale.Refunded() > 0 {
				refunded = yuan(sale.Refunded())
			}
			row = append(row, refunded)
		}
		rows = append(rows, append(row, tableMethod(sale), sale.TradeNo, sale.TerminalID, oneLine(sale.Subject)))
	}
	right := []int{4}
	if refunds {
		right = append(right, 5)
	}
	return figures.Table{Rows: rows, Right: right}
}

// tableMethod is how the sale was paid, as the table says it: scanned
// (our QR code) or the buyer's payment code.
func tableMethod(sale pos.SaleRecord) string {
	if sale.Method == pos.PayByCode {
		return say.CLI.ByCode
	}
	return say.CLI.ByQR // a record from before payment codes too
}

// narrowestCut is the fewest cells a subject or an order number is cut to
// before it is left out.
const narrowestCut = 8

// fitSales fits a table of saleRows into width columns: it leaves out the
// terminal, then Alipay's trade number, then cuts the subjects and at last
// leaves them out, then cuts the order numbers to their ends (where they
// differ) and at last leaves them out too. The time, receipt number,
// status, amounts and how each sale was paid always stay. It returns the
// headings of the columns left out or cut.
func fitSales(t figures.Table, width int) (figures.Table, []string) {
	c := &say.CLI
	if width <= 0 || widest(t.Lines()) <= width {
		return t, nil
	}
	var left []string
	for _, heading := range []string{c.Terminal, c.TradeNo} {
		t = dropColumn(t, slices.Index(t.Rows[0], heading))
		left = append(left, heading)
		if widest(t.Lines()) <= width {
			return t, left
		}
	}
	for _, cut := range []struct {
		heading string
		cut     func(s string, room int) string
	}{
		{c.Subject, func(s string, room int) string { return ansi.Truncate(s, room, "…") }},
		{c.Order, func(s string, room int) string { return cutStart(s, room) }},
	} {
		var fitted bool
		t, fitted = cutColumn(t, slices.Index(t.Rows[0], cut.heading), width, cut.cut)
		left = append(left, cut.heading)
		if fitted {
			return t, left
		}
	}
	return t, left // narrower than what must stay: the terminal wraps it
}

// dropColumn is t without its column col.
func dropColumn(t figures.Table, col int) figures.Table {
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = slices.Delete(slices.Clone(r), col, col+1)
	}
	out := t
	out.Rows, out.Right = rows, nil
	for _, r := range t.Right {
		switch {
		case r < col:
			out.Right = append(out.Right, r)
		case r > col:
			out.Right = append(out.Right, r-1)
		}
	}
	return out
}

// cutColumn cuts the cells of column col (not its heading) with cut so
// that the table fits width, or leaves the column out when that would
// leave fewer than narrowestCut cells; fitted reports whether the table
// fits then.
func cutColumn(t figures.Table, col, width int, cut func(string, int) string) (_ figures.Table, fitted bool) {
	without := dropColumn(t, col)
	cellWidth := 0
	for _, r := range t.Rows {
		cellWidth = max(cellWidth, lipgloss.Width(r[col]))
	}
	room := cellWidth - (widest(t.Lines()) - width)
	if room < narrowestCut || room < lipgloss.Width(t.Rows[0][col]) {
		return without, widest(without.Lines()) <= width
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = slices.Clone(r)
		if i > 0 {
			rows[i][col] = cut(r[col], room)
		}
	}
	cutTable := t
	cutTable.Rows = rows
	return cutTable, widest(cutTable.Lines()) <= width
}

// cutStart cuts s from its start to room cells, "…" first: an order
// number keeps its end, where one differs from the next.
func cutStart(s string, room int) string {
	w := lipgloss.Width(s)
	if w <= room {
		return s
	}
	return "…" + ansi.TruncateLeft(s, w-room+1, "")
}

// widest is the display width of the widest line.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}

// writeRangeTable writes one line per day and the totals of the range.
func writeRangeTable(w io.Writer, days []pos.Day) error {
	c := &say.CLI
	var b strings.Builder
	if len(days) == 0 {
		b.WriteString(c.NoDays + "\n")
	} else {
		b.WriteString(c.SalesFrom.F(days[0].Date, days[len(days)-1].Date) + "\n\n")
		rows := [][]string{{c.Date, c.Sales, c.Paid, c.PaidAmount, c.Refunded, c.Net, c.Cancelled, c.Unsettled}}
		for _, d := range days {
			t := d.Totals
			rows = append(rows, []string{d.Date, fmt.Sprint(t.Count), fmt.Sprint(t.Paid), yuan(t.PaidFen),
				yuan(t.RefundedFen), yuan(t.NetFen), fmt.Sprint(t.Cancelled), fmt.Sprint(t.Pending + t.Unknown)})
		}
		// The date left, every figure right.
		b.WriteString(figures.Table{Rows: rows, Right: []int{1, 2, 3, 4, 5, 6, 7}}.String())
		b.WriteString("\n" + c.Days.F(len(days)) + say.Punct.Parts)
		writeTotals(&b, sumTotals(days))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// oneLine keeps a subject from breaking the table's rows and columns.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' }), " ")
}
