package cli

import (
	"cmp"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"kiosk/internal/jsonplain"
	"kiosk/pos"
)

// The ledger's JSON export written by hand: the bytes writeJSON makes of
// dayOut's and rangeJSON's structs (encoding/json, HTML characters as they
// are, indented by two spaces, a newline at the end), without reflection,
// without the structs and without a second pass to indent. A day of 1,000
// sales is most of `kiosk ledger --format json`'s work; TestExportJSON and
// FuzzExportJSON hold these bytes to encoding/json's.

// exportWriter lays out JSON as it goes, into a buffer written out in
// pieces of about indentChunk: a day's export is never held whole.
type exportWriter struct {
	w     io.Writer
	buf   []byte
	depth int  // objects and arrays open
	empty bool // the innermost one has no member or element yet
	err   error
}

func newExportWriter(w io.Writer) *exportWriter {
	return &exportWriter{w: w, buf: make([]byte, 0, indentChunk+4<<10)}
}

// open starts an object ('{') or an array ('[').
func (j *exportWriter) open(c byte) {
	j.buf = append(j.buf, c)
	j.depth++
	j.empty = true
}

// close ends the innermost object or array with c; an empty one is {} or [].
func (j *exportWriter) close(c byte) {
	j.depth--
	if !j.empty {
		j.newline()
	}
	j.buf = append(j.buf, c)
	j.empty = false
}

// next starts a member or an element: after a comma unless it is the first,
// on a line of its own.
func (j *exportWriter) next() {
	if !j.empty {
		j.buf = append(j.buf, ',')
	}
	j.empty = false
	j.newline()
}

func (j *exportWriter) newline() {
	j.buf = append(j.buf, '\n')
	for range j.depth {
		j.buf = append(j.buf, "  "...)
	}
}

// key starts the member name; names are the export's own, plain ASCII.
func (j *exportWriter) key(name string) {
	j.next()
	j.buf = append(j.buf, '"')
	j.buf = append(j.buf, name...)
	j.buf = append(j.buf, `": `...)
}

func (j *exportWriter) str(name, v string) {
	j.key(name)
	j.buf = appendJSONString(j.buf, v)
}

func (j *exportWriter) int(name string, v int64) {
	j.key(name)
	j.buf = strconv.AppendInt(j.buf, v, 10)
}

// fen writes an amount as yuan, "12.34", as formatFen does.
func (j *exportWriter) fen(name string, fen int64) {
	j.key(name)
	j.buf = append(j.buf, '"')
	j.buf = appendFen(j.buf, fen)
	j.buf = append(j.buf, '"')
}

// time writes t as RFC 3339 (digits, signs, T and Z: nothing to escape).
func (j *exportWriter) time(name string, t time.Time) {
	j.key(name)
	j.buf = append(j.buf, '"')
	j.buf = t.AppendFormat(j.buf, time.RFC3339)
	j.buf = append(j.buf, '"')
}

// flush writes out what is held once it is a chunk, or all of it at the end.
func (j *exportWriter) flush(end bool) {
	if j.err != nil || (!end && len(j.buf) < indentChunk) {
		return
	}
	_, j.err = j.w.Write(j.buf)
	j.buf = j.buf[:0]
}

// finish ends the document with encoding/json's newline and writes it out.
func (j *exportWriter) finish() error {
	j.buf = append(j.buf, '\n')
	j.flush(true)
	return j.err
}

// writeDayJSON writes one day: {"date","sales","totals"}.
func writeDayJSON(w io.Writer, d pos.Day) error {
	j := newExportWriter(w)
	j.day(d)
	return j.finish()
}

// writeRangeJSON writes days: {"from","to","days","totals"}.
func writeRangeJSON(w io.Writer, days []pos.Day) error {
	var from, to string
	if len(days) > 0 {
		from, to = days[0].Date, days[len(days)-1].Date
	}
	j := newExportWriter(w)
	j.open('{')
	j.str("from", from)
	j.str("to", to)
	j.key("days")
	j.open('[')
	for _, d := range days {
		j.next()
		j.day(d)
	}
	j.close(']')
	j.key("totals")
	j.totals(sumTotals(days))
	j.close('}')
	return j.finish()
}

func (j *exportWriter) day(d pos.Day) {
	j.open('{')
	j.str("date", d.Date)
	j.key("sales")
	j.open('[')
	for i := range d.Sales {
		j.next()
		j.sale(&d.Sales[i])
		j.flush(false)
	}
	j.close(']')
	j.key("totals")
	j.totals(d.Totals)
	j.close('}')
}

// sale writes the members of saleJSON, in its order.
func (j *exportWriter) sale(s *pos.SaleRecord) {
	j.open('{')
	j.str("out_trade_no", s.OutTradeNo)
	j.int("receipt_no", int64(s.ReceiptNo))
	j.str("status", string(s.Status))
	if s.Reversed() {
		j.key("reversed")
		j.buf = append(j.buf, "true"...)
	}
	j.fen("amount", s.AmountFen)
	j.int("amount_fen", s.AmountFen)
	j.str("trade_no", s.TradeNo)
	j.time("created_at", s.CreatedAt)
	if !s.PaidAt.IsZero() {
		j.time("paid_at", s.PaidAt)
	}
	j.str("subject", s.Subject)
	j.str("terminal_id", s.TerminalID)
	j.fen("refunded_amount", s.Refunded())
	j.int("refunded_fen", s.Refunded())
	if len(s.Refunds) > 0 {
		j.key("refunds")
		j.open('[')
		for i := range s.Refunds {
			j.next()
			j.refund(&s.Refunds[i])
		}
		j.close(']')
	}
	j.str("method", string(cmp.Or(s.Method, pos.PayByQR))) // a record from before payment codes
	j.close('}')
}

// refund writes the members of refundJSON, in its order.
func (j *exportWriter) refund(r *pos.Refund) {
	j.open('{')
	j.str("out_request_no", r.OutRequestNo)
	j.fen("amount", r.Fen)
	j.int("fen", r.Fen)
	j.str("status", string(r.Status))
	j.time("at", r.At)
	if !r.DoneAt.IsZero() {
		j.time("done_at", r.DoneAt)
	}
	if r.ApprovedBy != "" {
		j.str("approved_by", r.ApprovedBy)
	}
	if r.Reason != "" {
		j.str("reason", r.Reason)
	}
	j.close('}')
}

// totals writes the members of totalsJSON, in its order.
func (j *exportWriter) totals(t pos.Totals) {
	j.open('{')
	j.int("count", int64(t.Count))
	j.int("paid", int64(t.Paid))
	j.fen("paid_amount", t.PaidFen)
	j.int("paid_fen", t.PaidFen)
	j.int("refunded", int64(t.Refunded))
	j.fen("refunded_amount", t.RefundedFen)
	j.int("refunded_fen", t.RefundedFen)
	j.fen("net_amount", t.NetFen)
	j.int("net_fen", t.NetFen)
	j.int("cancelled", int64(t.Cancelled))
	j.int("unknown", int64(t.Unknown))
	j.int("pending", int64(t.Pending))
	j.int("failed", int64(t.Failed))
	j.int("partly_refunded", int64(t.PartlyRefunded))
	// The reversed sales' members are omitempty in totalsJSON.
	if t.Reversed != 0 {
		j.int("reversed", int64(t.Reversed))
	}
	if t.Reversed > 0 {
		j.fen("reversed_amount", t.ReversedFen)
	}
	if t.ReversedFen != 0 {
		j.int("reversed_fen", t.ReversedFen)
	}
	j.close('}')
}

// appendFen appends the amount as formatFen writes it: "12.34", "-0.05".
func appendFen(dst []byte, fen int64) []byte {
	mag := uint64(fen) // as uint64, so that the least int64 does not overflow
	if fen < 0 {
		dst = append(dst, '-')
		mag = -mag
	}
	dst = strconv.AppendUint(dst, mag/100, 10)
	cents := mag % 100
	return append(dst, '.', byte('0'+cents/10), byte('0'+cents%10))
}

// appendJSONString appends s quoted as encoding/json quotes a string with
// HTML escaping off: the quote, the backslash and the control characters
// escaped (\b \f \n \r \t, the others \u00XX), invalid UTF-8 as \ufffd,
// and U+2028 and U+2029 escaped; everything else as it is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	if jsonplain.String(s) { // most are: nothing to escape
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = appendEscapedByte(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == utf8.RuneError && size == 1:
			esc = `\ufffd`
		case r == '\u2028':
			esc = `\u2028`
		case r == '\u2029':
			esc = `\u2029`
		default:
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscapedByte appends the escape of an ASCII byte a JSON string may
// not hold as it is.
func appendEscapedByte(dst []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
}
