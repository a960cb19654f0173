package store

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"kiosk/internal/jsonplain"
)

// A day of the ledger is read by decoding each of its sales, and with
// encoding/json that is most of the cost of `kiosk ledger` (its reflection,
// and a first pass over the bytes to validate them before a second decodes
// them). decodeSaleFast reads, in one pass, the JSON that put writes: the
// object json.Marshal makes of a Sale. It takes only the plain forms of
// that layout: the keys of the struct tags, each once; strings without
// escapes, in valid UTF-8; integers; true and false. On anything else
// (an escape, a null, an unknown key, an error) it gives up, and decode
// leaves the sale to encoding/json. So whatever it returns is what
// encoding/json would: FuzzSaleDecodingAgreesWithEncodingJSON holds it to
// that.

// decodeSaleFast decodes data into sale, which must be zero, and reports
// whether it could; when it could not, sale holds a part of data.
func decodeSaleFast(data []byte, sale *Sale) bool {
	r := jsonReader{b: data}
	return r.sale(sale) && r.end()
}

// decodeSummaryFast is decodeSaleFast leaving the sale's history out: it
// reads the events, to take the same JSON, but keeps none.
func decodeSummaryFast(data []byte, sale *Sale) bool {
	r := jsonReader{b: data, noHistory: true}
	return r.sale(sale) && r.end()
}

// jsonReader reads JSON values from b, from i on.
type jsonReader struct {
	b         []byte
	i         int
	noHistory bool // a sale's events are read and dropped
}

func (r *jsonReader) sale(sale *Sale) bool {
	var seen uint32
	return r.object(func(key []byte) bool {
		ok, bit := true, uint32(0)
		switch string(key) {
		case "out_trade_no":
			bit = 1 << 0
			sale.OutTradeNo, ok = r.str()
		case "terminal_id":
			bit = 1 << 1
			sale.TerminalID, ok = r.str()
		case "store_id":
			bit = 1 << 2
			sale.StoreID, ok = r.str()
		case "subject":
			bit = 1 << 3
			sale.Subject, ok = r.str()
		case "amount_fen":
			bit = 1 << 4
			sale.AmountFen, ok = r.int64()
		case "status":
			bit = 1 << 5
			var st string
			st, ok = r.word(statusWords)
			sale.Status = Status(st)
		case "trade_no":
			bit = 1 << 6
			sale.TradeNo, ok = r.str()
		case "buyer_logon_id":
			bit = 1 << 7
			sale.BuyerLogonID, ok = r.str()
		case "receipt_no":
			bit = 1 << 8
			sale.ReceiptNo, ok = r.int()
		case "created_at":
			bit = 1 << 9
			sale.CreatedAt, ok = r.time()
		case "updated_at":
			bit = 1 << 10
			sale.UpdatedAt, ok = r.time()
		case "paid_at":
			bit = 1 << 11
			sale.PaidAt, ok = r.time()
		case "history":
			bit = 1 << 12
			if r.noHistory {
				ok = r.array(r.dropEvent)
				break
			}
			sale.History = make([]Event, 0, 2) // created and paid, as most sales
			ok = r.array(func() bool {
				var ev Event
				if !r.event(&ev) {
					return false
				}
				sale.History = append(sale.History, ev)
				return true
			})
		case "refunds":
			bit = 1 << 13
			sale.Refunds = []Refund{}
			ok = r.array(func() bool {
				var rf Refund
				if !r.refund(&rf) {
					return false
				}
				sale.Refunds = append(sale.Refunds, rf)
				return true
			})
		case "refunded_fen":
			bit = 1 << 14
			sale.RefundedFen, ok = r.int64()
		case "refund_if_paid":
			bit = 1 << 15
			sale.RefundIfPaid, ok = r.bool()
		case "method":
			bit = 1 << 16
			var m string
			m, ok = r.word(methodWords)
			sale.Method = PayMethod(m)
		case "receipt_unprinted":
			bit = 1 << 17
			sale.ReceiptUnprinted, ok = r.bool()
		}
		return once(&seen, bit) && ok
	})
}

// dropEvent reads an event of a history and keeps nothing of it.
func (r *jsonReader) dropEvent() bool {
	var ev Event
	return r.event(&ev)
}

func (r *jsonReader) event(ev *Event) bool {
	var seen uint32
	return r.object(func(key []byte) bool {
		ok, bit := true, uint32(0)
		switch string(key) {
		case "at":
			bit = 1 << 0
			ev.At, ok = r.time()
		case "status":
			bit = 1 << 1
			var st string
			st, ok = r.word(statusWords)
			ev.Status = Status(st)
		case "fact":
			bit = 1 << 2
			var f string
			f, ok = r.word(factWords)
			ev.Fact = Fact(f)
		case "receipt_no":
			bit = 1 << 3
			ev.ReceiptNo, ok = r.int()
		case "refund_due":
			bit = 1 << 4
			var d string
			d, ok = r.str()
			ev.RefundDue = RefundDue(d)
		case "out_request_no":
			bit = 1 << 5
			ev.OutRequestNo, ok = r.str()
		case "fen":
			bit = 1 << 6
			ev.Fen, ok = r.int64()
		case "approved_by":
			bit = 1 << 7
			ev.ApprovedBy, ok = r.str()
		case "reason":
			bit = 1 << 8
			ev.Reason, ok = r.str()
		case "refunded_fen":
			bit = 1 << 9
			ev.RefundedFen, ok = r.int64()
		case "amount_fen":
			bit = 1 << 10
			ev.AmountFen, ok = r.int64()
		case "after_failed":
			bit = 1 << 11
			ev.AfterFailed, ok = r.bool()
		case "note":
			bit = 1 << 12
			ev.Note, ok = r.str()
		}
		return once(&seen, bit) && ok
	})
}

func (r *jsonReader) refund(rf *Refund) bool {
	var seen uint32
	return r.object(func(key []byte) bool {
		ok, bit := true, uint32(0)
		switch string(key) {
		case "out_request_no":
			bit = 1 << 0
			rf.OutRequestNo, ok = r.str()
		case "fen":
			bit = 1 << 1
			rf.Fen, ok = r.int64()
		case "at":
			bit = 1 << 2
			rf.At, ok = r.time()
		case "approved_by":
			bit = 1 << 3
			rf.ApprovedBy, ok = r.str()
		case "reason":
			bit = 1 << 4
			rf.Reason, ok = r.str()
		case "status":
			bit = 1 << 5
			var st string
			st, ok = r.word(refundStatusWords)
			rf.Status = RefundStatus(st)
		case "fund_change":
			bit = 1 << 6
			rf.FundChange, ok = r.bool()
		case "done_at":
			bit = 1 << 7
			rf.DoneAt, ok = r.time()
		case "note":
			bit = 1 << 8
			rf.Note, ok = r.str()
		}
		return once(&seen, bit) && ok
	})
}

// once notes the key bit in seen and reports whether it is a known key
// (bit is not 0) met for the first time. encoding/json takes the last of
// keys met twice and matches keys case-insensitively: such objects are
// left to it.
func once(seen *uint32, bit uint32) bool {
	if bit == 0 || *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// space skips JSON's white space.
func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// next consumes c, the next byte after white space, and reports whether
// it was there.
func (r *jsonReader) next(c byte) bool {
	r.space()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// end reports whether nothing but white space is left.
func (r *jsonReader) end() bool {
	r.space()
	return r.i == len(r.b)
}

// object reads an object, handing each key to member, which reads the
// value.
func (r *jsonReader) object(member func(key []byte) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		key, ok := r.rawString()
		if !ok || !r.next(':') || !member(key) {
			return false
		}
		if !r.next(',') {
			return r.next('}')
		}
	}
}

// array reads an array, calling elem to read each element.
func (r *jsonReader) array(elem func() bool) bool {
	if !r.next('[') {
		return false
	}
	if r.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if !r.next(',') {
			return r.next(']')
		}
	}
}

// rawString reads a string without escapes and returns its bytes, which
// are valid UTF-8 with no control character (encoding/json would replace
// invalid bytes; a control character is not JSON).
func (r *jsonReader) rawString() ([]byte, bool) {
	if !r.next('"') {
		return nil, false
	}
	n := bytes.IndexByte(r.b[r.i:], '"')
	if n < 0 {
		return nil, false
	}
	s := r.b[r.i : r.i+n]
	if !jsonplain.Bytes(s) { // most strings are; the rest are looked at byte by byte
		for _, c := range s {
			if c == '\\' || c < 0x20 {
				return nil, false
			}
		}
		if !utf8.Valid(s) {
			return nil, false
		}
	}
	r.i += n + 1
	return s, true
}

func (r *jsonReader) str() (string, bool) {
	s, ok := r.rawString()
	return string(s), ok
}

// word reads a string that is most often one of words (a status, a fact, a
// way to pay) and returns that word when it is one: the thousands of
// statuses of a day's sales are not each a string of their own.
func (r *jsonReader) word(words []string) (string, bool) {
	s, ok := r.rawString()
	for _, w := range words {
		if string(s) == w {
			return w, ok
		}
	}
	return string(s), ok
}

// The values word knows.
var (
	statusWords = []string{string(StatusPending), string(StatusPaid), string(StatusCancelled), string(StatusRefunded), string(StatusUnknown), string(StatusFailed)}
	factWords   = []string{string(FactCreated), string(FactPaid), string(FactRefundRequested), string(FactRefundDone), string(FactRefundFailed), string(FactRefundUnknown),
		string(FactReceiptNotPrinted), string(FactReceiptPrinted)}
	refundStatusWords = []string{string(RefundRequested), string(RefundDone), string(RefundUnknown), string(RefundFailed)}
	methodWords       = []string{string(PayByQR), string(PayByCode)}
)

// int64 reads an integer: digits, without a leading zero, perhaps a minus
// sign before them, and no fraction or exponent.
func (r *jsonReader) int64() (int64, bool) {
	r.space()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	digits := r.i
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
	}
	if n := r.i - digits; n == 0 || n > 1 && r.b[digits] == '0' {
		return 0, false
	}
	if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		return 0, false
	}
	v, err := strconv.ParseInt(string(r.b[start:r.i]), 10, 64)
	return v, err == nil
}

func (r *jsonReader) int() (int, bool) {
	v, ok := r.int64()
	return int(v), ok && int64(int(v)) == v
}

func (r *jsonReader) bool() (bool, bool) {
	r.space()
	for _, lit := range [...]string{"true", "false"} {
		if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
			r.i += len(lit)
			return lit == "true", true
		}
	}
	return false, false
}

// time reads a string as encoding/json reads it into a time.Time: with
// the time's own UnmarshalJSON, unless it is in the layout json.Marshal
// writes, which marshalledTime reads.
func (r *jsonReader) time() (time.Time, bool) {
	r.space()
	start := r.i
	s, ok := r.rawString()
	if !ok {
		return time.Time{}, false
	}
	if t, ok := marshalledTime(s); ok {
		return t, true
	}
	var t time.Time
	if t.UnmarshalJSON(r.b[start:r.i]) != nil {
		return time.Time{}, false
	}
	return t, true
}

// marshalledTime reads s when it is in the layout json.Marshal writes a
// time in (RFC 3339 to the nanosecond: 2024-05-17T09:30:12.345+08:00)
// into the time UnmarshalJSON makes of it, location included, and reports
// whether it could. It takes only that layout's plain forms: fields in
// range, one to nine digits of fraction, Z or an offset; anything else it
// leaves to UnmarshalJSON, which reads it or refuses it as encoding/json
// does. TestMarshalledTimeIsUnmarshalJSONs and FuzzMarshalledTime hold it
// to that. It spares each time of a day's sales time.Date's normalising
// and a second scan of its digits.
func marshalledTime(s []byte) (time.Time, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	century, ok1 := twoDigits(s[0], s[1])
	yy, ok2 := twoDigits(s[2], s[3])
	month, ok3 := twoDigits(s[5], s[6])
	day, ok4 := twoDigits(s[8], s[9])
	hour, ok5 := twoDigits(s[11], s[12])
	minute, ok6 := twoDigits(s[14], s[15])
	sec, ok7 := twoDigits(s[17], s[18])
	year := century*100 + yy
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
			nsec = nsec*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || n > 10 { // no digit, or more than nine
			return time.Time{}, false
		}
		for range 10 - n {
			nsec *= 10
		}
		rest = rest[n:]
	}
	unix := (daysSinceEpoch(year, month, day)*24+int64(hour))*3600 + int64(minute)*60 + int64(sec)
	if len(rest) == 1 && rest[0] == 'Z' {
		return time.Unix(unix, int64(nsec)).UTC(), true
	}
	if len(rest) != len("+08:00") || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' {
		return time.Time{}, false
	}
	zh, ok1 := twoDigits(rest[1], rest[2])
	zm, ok2 := twoDigits(rest[4], rest[5])
	if !ok1 || !ok2 || zh > 23 || zm > 59 {
		return time.Time{}, false
	}
	offset := (zh*60 + zm) * 60
	if rest[0] == '-' {
		offset = -offset
	}
	t := time.Unix(unix-int64(offset), int64(nsec))
	// As UnmarshalJSON does: the host's zone when its offset at that time
	// is the one written, else a zone of that offset.
	if _, local := t.Zone(); local == offset {
		return t, true
	}
	return t.In(time.FixedZone("", offset)), true
}

// twoDigits is the number the decimal digits a and b write.
func twoDigits(a, b byte) (int, bool) {
	a, b = a-'0', b-'0' // a byte below '0' wraps round to above 9
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

// daysIn is the number of days of month in year (proleptic Gregorian).
func daysIn(month, year int) int {
	switch {
	case month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0):
		return 29
	case month == 2:
		return 28
	case month == 4 || month == 6 || month == 9 || month == 11:
		return 30
	}
	return 31
}

// daysSinceEpoch is the number of days from 1970-01-01 to the date (year
// 0 to 9999, proleptic Gregorian), counted in eras of 400 years (146,097
// days), each year of which begins on March 1st so that a leap day ends it.
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yearOfEra := y - era*400
	m := int64(month) + 9 // March is 0
	if month > 2 {
		m = int64(month) - 3
	}
	dayOfYear := (153*m+2)/5 + int64(day) - 1
	dayOfEra := yearOfEra*365 + yearOfEra/4 - yearOfEra/100 + dayOfYear
	return era*146097 + dayOfEra - 719468
}
