package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/figures"
	"kiosk/ui/words"
)

// Printout lays out what the receipt printer prints: the receipt of a
// sale (and its duplicate), the slip of a refund, a day's report. Each
// method returns a whole ESC/POS job (package escpos), in the
// catalogue's language, times in the shop's zone. It only makes bytes;
// sending them is a Printer's.
type Printout struct {
	Words    *words.Words
	ShopName string
	Location *time.Location
	Paper    escpos.Paper // 58 or 80 mm; anything else prints as 80 mm
	// OrderQR adds a QR code of our order number under the receipt, for
	// looking the sale up later.
	OrderQR bool
}

func (p Printout) say() *words.Words {
	if p.Words == nil {
		return words.English
	}
	return p.Words
}

func (p Printout) loc() *time.Location {
	if p.Location == nil {
		return time.Local
	}
	return p.Location
}

// head starts a job with the shop's name and the job's title, centred; a
// mark (DUPLICATE, PRINTED LATE) goes under it, in bold.
func (p Printout) head(title, mark string) *escpos.Document {
	doc := escpos.NewDocument(p.Paper)
	doc.Align(escpos.Center)
	if p.ShopName != "" {
		doc.Bold(true)
		doc.Line(p.ShopName)
		doc.Bold(false)
	}
	doc.Line(title)
	if mark != "" {
		doc.Bold(true)
		doc.Line("** " + mark + " **")
		doc.Bold(false)
	}
	doc.Align(escpos.Left)
	doc.Rule()
	return doc
}

// end feeds the paper past the cutter and cuts it.
func end(doc *escpos.Document) []byte {
	doc.Feed(3)
	doc.Cut()
	return doc.Bytes()
}

// bigAmount prints a sum large and centred, its label above it.
func bigAmount(doc *escpos.Document, label string, fen int64) {
	doc.Align(escpos.Center)
	doc.Line(label)
	doc.Big(words.Yuan(fen).String())
	doc.Align(escpos.Left)
}

func (p Printout) time(t time.Time) string { return t.In(p.loc()).Format(timeLayout) }

// Receipt is the customer's receipt of a paid sale; r.Duplicate marks a
// reprint, r.Late a receipt printed after its sale left the screen.
func (p Printout) Receipt(r pos.Receipt) []byte {
	say := p.say()
	rw, pw := &say.Receipt, &say.Paper
	doc := p.head(pw.SaleTitle, receiptMark(rw, r))
	doc.Pair(rw.Receipt, rw.Number.F(r.ReceiptNo))
	doc.Pair(rw.PaidAt, p.time(r.PaidAt))
	doc.Rule()
	bigAmount(doc, rw.Amount, r.AmountFen)
	doc.Rule()
	method := r.Method
	if method == "" { // a sale recorded before the way to pay was
		method = pos.PayByQR
	}
	doc.Pair(pw.PaidBy, pw.Via.F(say.MethodName(method)))
	doc.Pairs([2]string{rw.TradeNo, r.TradeNo}, [2]string{rw.Order, r.OutTradeNo})
	if r.Buyer != "" {
		doc.Pair(rw.Buyer, r.Buyer)
	}
	if r.Subject != "" {
		doc.Pair(rw.Subject, r.Subject)
	}
	doc.Rule()
	doc.Align(escpos.Center)
	if p.OrderQR && doc.QR(r.OutTradeNo, escpos.QR{}) == nil {
		doc.Line(pw.LookUp)
	}
	doc.Line(pw.Thanks)
	return end(doc)
}

// receiptMark is what a receipt says under its title: DUPLICATE for a
// reprint, PRINTED LATE for a receipt printed after its sale left the
// screen, nothing for the receipt of the sale just paid.
func receiptMark(rw *words.ReceiptWords, r pos.Receipt) string {
	switch {
	case r.Duplicate:
		return rw.Duplicate
	case r.Late:
		return rw.Late
	}
	return ""
}

// Refund is the slip of a refund Alipay confirmed, ref, of the sale s as
// the ledger holds it after the refund.
func (p Printout) Refund(s pos.SaleRecord, ref pos.Refund) []byte {
	say := p.say()
	rw, pw := &say.Receipt, &say.Paper
	doc := p.head(pw.RefundTitle, "")
	if s.ReceiptNo > 0 {
		doc.Pair(rw.Receipt, rw.Number.F(s.ReceiptNo))
	}
	done := ref.DoneAt
	if done.IsZero() {
		done = ref.At
	}
	doc.Pair(pw.RefundedAt, p.time(done))
	doc.Rule()
	bigAmount(doc, pw.RefundAmount, ref.Fen)
	doc.Rule()
	doc.Pair(pw.SaleAmount, words.Yuan(s.AmountFen).String())
	doc.Pair(pw.RefundedInAll, words.Yuan(s.RefundedFen).String())
	// On 58 mm the three numbers go under their labels, lined up.
	doc.Pairs([2]string{pw.RequestNo, ref.OutRequestNo}, [2]string{rw.TradeNo, s.TradeNo}, [2]string{rw.Order, s.OutTradeNo})
	if b := pos.MaskAccount(s.BuyerLogonID); b != "" {
		doc.Pair(rw.Buyer, b)
	}
	if ref.Reason != "" {
		doc.Pair(pw.Reason, ref.Reason)
	}
	if ref.ApprovedBy != "" {
		doc.Pair(pw.ApprovedBy, say.Approver(ref.ApprovedBy))
	}
	return end(doc)
}

// Report is a day's X or Z report: its heading, the totals, the figures
// by status and by hour, as the report's screen shows them.
func (p Printout) Report(rep pos.Report) []byte {
	say := p.say()
	rw := &say.Report
	doc := p.head(reportTitle(say, rep), "")
	when := rw.PrintedAt
	if rep.Kind == pos.ReportZ {
		when = rw.ClosedAt
	}
	doc.Pair(rw.Date, rep.Date)
	if rep.Terminal != "" {
		doc.Pair(rw.Terminal, rep.Terminal)
	}
	doc.Pair(when, p.time(rep.CreatedAt))
	doc.Rule()
	section(doc, rw.Totals, figures.Totals(say, rep.Totals))
	if rows := figures.ByStatus(say, rep); len(rows) > 0 {
		section(doc, rw.ByStatus, rows)
	}
	if rep.ByMethod != nil {
		section(doc, rw.ByMethod, methodRows(say, rep))
	}
	if hours := hourLines(rw, rep, doc.Columns()); len(hours) > 0 {
		sectionLines(doc, rw.ByHour, hours)
	}
	if e := rep.EarlierRefunds; e.Count > 0 {
		doc.Line(rw.EarlierRefunds.F(e.Count, words.Yuan(e.Fen)) + say.Punct.FullStop)
	}
	if a := rep.AfterClose; a.Count > 0 {
		doc.Line(rw.AfterClose.F(a.Count, words.Yuan(a.Fen)) + say.Punct.FullStop)
	}
	if l := rep.LaterRefunds; rep.Copy && l.Count > 0 {
		doc.Line(rw.LaterRefunds.F(l.Count, words.Yuan(l.Fen)))
	}
	if u := rep.Unsettled(); u > 0 {
		doc.Line(rw.Unsettled.F(u))
	}
	return end(doc)
}

// methodRows are the report's split by the way to pay, turned on its
// side for paper: a row per figure (sales, paid, amount, refunded, net) and
// a column per way, so that all five fit a 58 mm roll as well as 80 mm and
// the refunds between the amount and the net are on paper too.
func methodRows(say *words.Words, rep pos.Report) [][]string {
	byMethod := figures.ByMethod(say, rep)
	rows := make([][]string, len(byMethod[0]))
	for i := range rows {
		for _, r := range byMethod {
			rows[i] = append(rows[i], r[i])
		}
	}
	return rows
}

// hourLines are the report's hours with sales under their headings, a
// line each. An hour is named by its span, 18:00-19:00, where every line
// fits the paper with it, and as 18-19 where not (58 mm); the figures are
// two spaces apart, or one when two do not fit. Only figures too big for
// a 58 mm line in any form give the span a line of its own. The span's
// dash is ASCII on paper: the en dash that the screens may use is a GBK
// code (A8 43) that prints two columns wide, and GB2312 fonts lack it.
func hourLines(rw *words.ReportWords, rep pos.Report, cols int) []string {
	head := []string{rw.Hour, rw.Sales, rw.Paid, rw.Refunded}
	var layouts [][]string
	for _, form := range []struct {
		span string
		gap  int
	}{{"%02d:00-%02d:00", 2}, {"%02d-%02d", 2}, {"%02d-%02d", 1}} {
		rows := hourRows(rep, form.span)
		if len(rows) == 0 {
			return nil
		}
		lines := columnsGap(append([][]string{head}, rows...), cols, form.gap)
		if len(lines) == len(rows)+1 {
			return lines
		}
		layouts = append(layouts, lines)
	}
	return layouts[1]
}

// hourRows are the hours with sales, each named by its span in layout
// (two %02d: the hour and the next).
func hourRows(rep pos.Report, layout string) [][]string {
	var rows [][]string
	for h, v := range rep.ByHour {
		if v.Count > 0 {
			rows = append(rows, []string{fmt.Sprintf(layout, h, (h+1)%24), strconv.Itoa(v.Count),
				words.Yuan(v.PaidFen).String(), words.Yuan(v.RefundedFen).String()})
		}
	}
	return rows
}

// section prints a heading in bold and rows under it: the first cell of
// each row on the left, the others right-aligned in columns.
func section(doc *escpos.Document, heading string, rows [][]string) {
	sectionLines(doc, heading, columns(rows, doc.Columns()))
}

// sectionLines prints a heading in bold and lines laid out under it.
func sectionLines(doc *escpos.Document, heading string, lines []string) {
	doc.Bold(true)
	doc.Line(heading)
	doc.Bold(false)
	for _, line := range lines {
		doc.Line(line)
	}
	doc.Rule()
}

// columns lays rows out in cols columns as the paper measures them: the
// first cell on the left, the others each right-aligned in its column,
// two spaces apart. A row too wide gives its first cell a line of its own.
func columns(rows [][]string, cols int) []string { return columnsGap(rows, cols, 2) }

// columnsGap is columns with the cells gap spaces apart.
func columnsGap(rows [][]string, cols, gap int) []string {
	sep := strings.Repeat(" ", gap)
	var widths []int
	for _, r := range rows {
		for i, cell := range r[1:] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], escpos.Width(cell))
		}
	}
	var lines []string
	for _, r := range rows {
		var values strings.Builder
		for i, cell := range r[1:] {
			values.WriteString(sep + strings.Repeat(" ", widths[i]-escpos.Width(cell)) + cell)
		}
		v := strings.TrimPrefix(values.String(), sep)
		gap := cols - escpos.Width(r[0]) - escpos.Width(v)
		if gap < 1 {
			lines = append(lines, r[0], strings.Repeat(" ", max(cols-escpos.Width(v), 0))+v)
			continue
		}
		lines = append(lines, r[0]+strings.Repeat(" ", gap)+v)
	}
	return lines
}
