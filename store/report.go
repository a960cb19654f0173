package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReportKind tells an X report from a Z report.
type ReportKind string

const (
	// ReportX is a report of a day's figures at any moment; it is computed
	// when asked for and never stored.
	ReportX ReportKind = "X"
	// ReportZ is a day's closing report: numbered, made once per day and
	// stored in the ledger.
	ReportZ ReportKind = "Z"
)

// Report is a day's figures for the manager: an X report (Report) or a Z
// report (CloseDay, ZReport). It covers the sales of Date, as Day does
// (those paid that day, and those created that day and not paid), so its
// Totals equal the Day's at the moment it was made.
type Report struct {
	Date      string     // YYYY-MM-DD
	Number    int        // the Z report's number, from 1 and gap-free across days; 0 for X
	Kind      ReportKind // X or Z
	Totals    Totals
	ByHour    [24]HourTotals // by the hour of the sale's LedgerTime, in the shop's time zone
	ByStatus  map[Status]StatusTotals
	CreatedAt time.Time // when the report was made; for a Z report, when the day was closed
	Terminal  string    // Options.TerminalID, or else the terminals of the day's sales
	// EarlierRefunds sums the refunds done on Date of sales created on
	// earlier days. They are in their own days' Totals, not in these, and
	// are listed so that the day's report shows all money that went back.
	EarlierRefunds RefundTotals
	// AfterClose sums the refunds done on a day already closed, after its
	// Z report was made: that Z report cannot hold them, so they count in
	// the next Z report made after them (any day's), and until then in
	// every X report. Like EarlierRefunds they are not in Totals.
	AfterClose RefundTotals
	// LaterRefunds is, in a Z report read back from the ledger, what was
	// refunded after the day closed, of its sales or on it: computed when
	// read, never stored, so that a copy can say the day's figures moved
	// on since and where those refunds are counted.
	LaterRefunds RefundTotals
	// ZNumber is, in an X report of a day already closed, the number of
	// its Z report; 0 otherwise.
	ZNumber int
	// ByMethod splits the day by the way each sale was to be paid: every
	// method in PayMethods, those without sales too.
	ByMethod map[PayMethod]MethodTotals
}

// HourTotals sum up the sales created in one hour of a day.
type HourTotals struct {
	Count       int   // all sales
	PaidFen     int64 // the amount of the paid and refunded ones
	RefundedFen int64 // money refunded on them
}

// StatusTotals sum up the sales of a day that have one status.
type StatusTotals struct {
	Count int
	Fen   int64 // their amount
}

// MethodTotals sum up the sales of a day that were to be paid one way.
type MethodTotals struct {
	Count       int   // all sales
	Paid        int   // paid or refunded
	PaidFen     int64 // their amount
	RefundedFen int64 // money refunded on them
}

// RefundTotals sum up refunds.
type RefundTotals struct {
	Count int
	Fen   int64
}

// Unsettled returns how many of the report's sales were pending or unknown
// when it was made: their outcome may still change the day's figures.
func (r Report) Unsettled() int { return r.Totals.Pending + r.Totals.Unknown }

// zCounterKey holds, in the zreports bucket, the number of the last Z
// report. Dates start with a digit, so it never collides with one.
var zCounterKey = []byte("#last")

// Report returns the X report of date ("YYYY-MM-DD"): the day's figures as
// they stand now. A malformed date yields ErrBadDate. It only reads, so it
// works on a read-only Store.
func (s *Store) Report(date string) (Report, error) {
	if err := checkDate(date); err != nil {
		return Report{}, err
	}
	var r Report
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		if r, err = s.makeReport(tx, date, s.now()); err != nil {
			return err
		}
		z, _, err := s.zReport(tx, date)
		r.ZNumber = z.Number
		return err
	})
	if err != nil {
		return Report{}, fmt.Errorf("report %s: %w", date, err)
	}
	if r.ByStatus == nil { // no ledger yet
		r = s.buildReport(date, nil, RefundTotals{})
	}
	r.Kind, r.CreatedAt = ReportX, s.now().In(s.loc)
	return r, nil
}

// CloseDay makes the Z report of date, numbered one above the last Z
// report of any day, stores it, and returns it with changed true. The
// numbers follow the order in which days are closed. A day closes once: if
// it already has its Z report, that is returned unchanged with changed
// false, so a repeated close never takes a second number. at is the
// closing time, zero meaning now; a day that has not begun by then yields
// ErrFutureDay.
//
// The Z report freezes the day's figures as they stood at closing. A sale
// still pending or unknown then, or a sale of that date created or
// refunded after it, changes the day (and its X report) but not its Z
// report.
func (s *Store) CloseDay(date string, at time.Time) (r Report, changed bool, err error) {
	if err := checkDate(date); err != nil {
		return Report{}, false, err
	}
	if at.IsZero() {
		at = s.now()
	}
	if today := s.DateOf(at); date > today {
		return Report{}, false, fmt.Errorf("close day %s: %w: it is %s now", date, ErrFutureDay, at.In(s.loc).Format(time.DateTime))
	}
	err = s.update(func(tx *bolt.Tx) error {
		stored, ok, err := s.zReport(tx, date)
		if err != nil || ok {
			r = stored
			return err
		}
		if r, err = s.makeReport(tx, date, at); err != nil {
			return err
		}
		b := tx.Bucket(bucketZReports)
		var last uint64
		if v := b.Get(zCounterKey); len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		r.Kind, r.Number, r.CreatedAt = ReportZ, int(last+1), at.In(s.loc)
		v, err := json.Marshal(reportOut(r))
		if err != nil {
			return fmt.Errorf("encode Z report: %w", err)
		}
		if err := b.Put([]byte(date), v); err != nil {
			return fmt.Errorf("write Z report: %w", err)
		}
		if err := b.Put(zCounterKey, binary.BigEndian.AppendUint64(nil, last+1)); err != nil {
			return fmt.Errorf("count Z report: %w", err)
		}
		changed = true
		return appendDayClosed(tx, r, s.terminal)
	})
	if err != nil {
		return Report{}, false, fmt.Errorf("close day %s: %w", date, err)
	}
	return r, changed, nil
}

// ZReport returns the Z report of date and true, or false when the day has
// not been closed.
func (s *Store) ZReport(date string) (Report, bool, error) {
	if err := checkDate(date); err != nil {
		return Report{}, false, err
	}
	var (
		r  Report
		ok bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, ok, err = s.zReport(tx, date)
		return err
	})
	if err != nil {
		return Report{}, false, fmt.Errorf("read Z report %s: %w", date, err)
	}
	return r, ok, nil
}

func (s *Store) zReport(tx *bolt.Tx, date string) (Report, bool, error) {
	b := tx.Bucket(bucketZReports)
	if b == nil { // a ledger from before reports
		return Report{}, false, nil
	}
	v := b.Get([]byte(date))
	if v == nil {
		return Report{}, false, nil
	}
	var rj reportJSON
	if err := json.Unmarshal(v, &rj); err != nil {
		return Report{}, false, undecodable(s.path, bucketZReports, date, v, err)
	}
	r, err := reportIn(rj)
	if err != nil {
		return Report{}, false, fmt.Errorf("decode Z report %s: %w", date, err)
	}
	r.CreatedAt = r.CreatedAt.In(s.loc)
	if r.LaterRefunds, err = s.laterRefunds(tx, date, r.CreatedAt); err != nil {
		return Report{}, false, fmt.Errorf("Z report %s: %w", date, err)
	}
	return r, true, nil
}

// makeReport computes the figures of date inside tx, as they stand at at;
// Kind, Number and CreatedAt are the caller's.
func (s *Store) makeReport(tx *bolt.Tx, date string, at time.Time) (Report, error) {
	sales, err := s.daySales(tx, date, true)
	if err != nil {
		return Report{}, err
	}
	earlier, err := s.earlierRefunds(tx, date)
	if err != nil {
		return Report{}, err
	}
	r := s.buildReport(date, sales, earlier)
	r.AfterClose, err = s.afterClose(tx, at)
	return r, err
}

// closings are the days closed so far and when each closed.
func (s *Store) closings(tx *bolt.Tx) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	b := tx.Bucket(bucketZReports)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		if bytes.Equal(k, zCounterKey) {
			return nil
		}
		var head struct {
			CreatedAt time.Time `json:"created_at"`
		}
		if err := json.Unmarshal(v, &head); err != nil {
			return undecodable(s.path, bucketZReports, string(k), v, err)
		}
		out[string(k)] = head.CreatedAt
		return nil
	})
	return out, err
}

// afterClose sums the refunds done on a closed day after it closed that no
// Z report made before at holds: those done after the last Z report made
// before at, and not after at.
func (s *Store) afterClose(tx *bolt.Tx, at time.Time) (RefundTotals, error) {
	closed, err := s.closings(tx)
	if err != nil {
		return RefundTotals{}, err
	}
	var last time.Time // the last Z report made before at
	for _, c := range closed {
		if c.Before(at) && c.After(last) {
			last = c
		}
	}
	var t RefundTotals
	for date, c := range closed {
		if !last.IsZero() && date < s.DateOf(last) {
			continue // its refunds were done before the last Z report
		}
		from := c
		if last.After(from) {
			from = last
		}
		err := s.refundsDone(tx, date, func(done time.Time, _ Sale, r Refund) {
			if m := refundMoment(done, r); m.After(from) && !m.After(at) {
				t.Count++
				t.Fen += r.Fen
			}
		})
		if err != nil {
			return RefundTotals{}, err
		}
	}
	return t, nil
}

// laterRefunds sums the refunds done after closed, the time date closed:
// on date (of any day's sale), or later of date's sales.
func (s *Store) laterRefunds(tx *bolt.Tx, date string, closed time.Time) (RefundTotals, error) {
	var t RefundTotals
	err := s.refundsDone(tx, date, func(done time.Time, _ Sale, r Refund) {
		if refundMoment(done, r).After(closed) {
			t.Count++
			t.Fen += r.Fen
		}
	})
	if err != nil {
		return t, err
	}
	sales, err := s.daySales(tx, date, false) // refunds only: no history
	for _, sale := range sales {
		for _, r := range sale.Refunds {
			if r.Status == RefundDone && s.DateOf(r.DoneAt) > date && refundMoment(r.DoneAt, r).After(closed) {
				t.Count++
				t.Fen += r.Fen
			}
		}
	}
	return t, err
}

// refundMoment is when a done refund is placed against the closes: when it
// was done, or, if later, when it was asked for. Alipay's time of the
// refund has whole seconds, the kiosk's close has not, so a refund asked
// for after the close may be dated by Alipay a moment before it.
func refundMoment(done time.Time, r Refund) time.Time {
	if r.At.After(done) {
		return r.At
	}
	return done
}

// refundsDone calls f with each refund done on date, when, and its sale,
// read from the refunds index.
func (s *Store) refundsDone(tx *bolt.Tx, date string, f func(done time.Time, sale Sale, r Refund)) error {
	b := tx.Bucket(bucketRefunds)
	if b == nil {
		return nil
	}
	prefix := append([]byte(date), 0)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rest := k[len(prefix):]
		if len(rest) < 8+len(v)+1 {
			return fmt.Errorf("refunds index key %q is too short", k)
		}
		outRequestNo := string(rest[8+len(v)+1:])
		sale, err := s.load(tx, string(v))
		if err != nil {
			return fmt.Errorf("refund %s: %w", outRequestNo, err)
		}
		if r, ok := sale.Refund(outRequestNo); ok && r.Status == RefundDone {
			f(time.Unix(0, int64(binary.BigEndian.Uint64(rest[:8]))), sale, r)
		}
	}
	return nil
}

func (s *Store) buildReport(date string, sales []Sale, earlier RefundTotals) Report {
	r := Report{
		Date:           date,
		Totals:         tally(sales),
		ByStatus:       map[Status]StatusTotals{},
		ByMethod:       map[PayMethod]MethodTotals{},
		Terminal:       s.terminal,
		EarlierRefunds: earlier,
	}
	for _, m := range PayMethods {
		r.ByMethod[m] = MethodTotals{}
	}
	var terminals []string
	for _, sale := range sales {
		h := &r.ByHour[sale.LedgerTime().In(s.loc).Hour()]
		h.Count++
		if !sale.Reversed() {
			if sale.Status == StatusPaid || sale.Status == StatusRefunded {
				h.PaidFen += sale.AmountFen
			}
			h.RefundedFen += sale.Refunded()
		}
		st := r.ByStatus[sale.statusInReports()]
		st.Count++
		st.Fen += sale.AmountFen
		r.ByStatus[sale.statusInReports()] = st
		r.ByMethod[sale.Method.orQR()] = r.ByMethod[sale.Method.orQR()].add(sale)
		if sale.TerminalID != "" && !slices.Contains(terminals, sale.TerminalID) {
			terminals = append(terminals, sale.TerminalID)
		}
	}
	if r.Terminal == "" {
		slices.Sort(terminals)
		r.Terminal = strings.Join(terminals, ", ")
	}
	return r
}

// statusInReports is the status a report counts the sale under: its own,
// or StatusReversed.
func (sale Sale) statusInReports() Status {
	if sale.Reversed() {
		return StatusReversed
	}
	return sale.Status
}

// add counts sale in t.
func (t MethodTotals) add(sale Sale) MethodTotals {
	t.Count++
	if sale.Reversed() {
		return t
	}
	if sale.Status == StatusPaid || sale.Status == StatusRefunded {
		t.Paid++
		t.PaidFen += sale.AmountFen
	}
	t.RefundedFen += sale.Refunded()
	return t
}

// earlierRefunds sums the refunds done on date of sales created before it,
// read from the refunds index.
func (s *Store) earlierRefunds(tx *bolt.Tx, date string) (RefundTotals, error) {
	var t RefundTotals
	err := s.refundsDone(tx, date, func(_ time.Time, sale Sale, r Refund) {
		if s.DateOf(sale.LedgerTime()) < date { // else counted with its own day's sales
			t.Count++
			t.Fen += r.Fen
		}
	})
	return t, err
}

// Title is the report's heading: "Z REPORT No. 0007" or "X REPORT (not closed)".
func (r Report) Title() string {
	switch {
	case r.Kind == ReportZ:
		return fmt.Sprintf("Z REPORT No. %04d", r.Number)
	case r.ZNumber > 0:
		return fmt.Sprintf("X REPORT (day closed in Z REPORT No. %04d)", r.ZNumber)
	}
	return "X REPORT (not closed)"
}

// reportJSON is a Report as Z reports are stored (and as ui/cli prints
// one in JSON).
type reportJSON struct {
	Kind           ReportKind            `json:"kind"`
	Number         int                   `json:"number,omitempty"`
	Title          string                `json:"title"`
	Date           string                `json:"date"`
	CreatedAt      time.Time             `json:"created_at"`
	Terminal       string                `json:"terminal,omitempty"`
	ZNumber        int                   `json:"z_number,omitempty"`
	Totals         totalsJSON            `json:"totals"`
	ByStatus       map[Status]statusJSON `json:"by_status"`
	ByHour         []hourJSON            `json:"by_hour"` // 24 entries, index = hour
	EarlierRefunds amountJSON            `json:"earlier_refunds"`
	ByMethod       methodsJSON           `json:"by_method"` // absent from Z reports made before payment codes
	// AfterClose is absent from Z reports made before it was counted.
	AfterClose *amountJSON `json:"after_close_refunds,omitempty"`
}

type statusJSON struct {
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	Fen    int64  `json:"fen"`
}

type methodsJSON map[PayMethod]methodJSON

type methodJSON struct {
	Count          int    `json:"count"`
	Paid           int    `json:"paid"`
	PaidAmount     string `json:"paid_amount"`
	PaidFen        int64  `json:"paid_fen"`
	RefundedAmount string `json:"refunded_amount"`
	RefundedFen    int64  `json:"refunded_fen"`
}

type hourJSON struct {
	Hour           int    `json:"hour"`
	Count          int    `json:"count"`
	PaidAmount     string `json:"paid_amount"`
	PaidFen        int64  `json:"paid_fen"`
	RefundedAmount string `json:"refunded_amount"`
	RefundedFen    int64  `json:"refunded_fen"`
}

type amountJSON struct {
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	Fen    int64  `json:"fen"`
}

func reportOut(r Report) reportJSON {
	out := reportJSON{
		Kind: r.Kind, Number: r.Number, Title: r.Title(), Date: r.Date, CreatedAt: r.CreatedAt,
		Terminal: r.Terminal, ZNumber: r.ZNumber, Totals: totalsOut(r.Totals),
		ByStatus:       map[Status]statusJSON{},
		ByMethod:       methodsJSON{},
		ByHour:         make([]hourJSON, len(r.ByHour)),
		EarlierRefunds: amountJSON{Count: r.EarlierRefunds.Count, Amount: formatFen(r.EarlierRefunds.Fen), Fen: r.EarlierRefunds.Fen},
	}
	if a := r.AfterClose; a.Count > 0 {
		out.AfterClose = &amountJSON{Count: a.Count, Amount: formatFen(a.Fen), Fen: a.Fen}
	}
	for st, v := range r.ByStatus {
		out.ByStatus[st] = statusJSON{Count: v.Count, Amount: formatFen(v.Fen), Fen: v.Fen}
	}
	for m, v := range r.ByMethod {
		out.ByMethod[m] = methodJSON{Count: v.Count, Paid: v.Paid, PaidAmount: formatFen(v.PaidFen), PaidFen: v.PaidFen,
			RefundedAmount: formatFen(v.RefundedFen), RefundedFen: v.RefundedFen}
	}
	for h, v := range r.ByHour {
		out.ByHour[h] = hourJSON{
			Hour: h, Count: v.Count, PaidAmount: formatFen(v.PaidFen), PaidFen: v.PaidFen,
			RefundedAmount: formatFen(v.RefundedFen), RefundedFen: v.RefundedFen,
		}
	}
	return out
}

func reportIn(rj reportJSON) (Report, error) {
	if len(rj.ByHour) != 24 {
		return Report{}, fmt.Errorf("%d hours, want 24", len(rj.ByHour))
	}
	r := Report{
		Date: rj.Date, Number: rj.Number, Kind: rj.Kind, Totals: totalsIn(rj.Totals),
		ByStatus: map[Status]StatusTotals{}, CreatedAt: rj.CreatedAt, Terminal: rj.Terminal, ZNumber: rj.ZNumber,
		EarlierRefunds: RefundTotals{Count: rj.EarlierRefunds.Count, Fen: rj.EarlierRefunds.Fen},
	}
	if a := rj.AfterClose; a != nil {
		r.AfterClose = RefundTotals{Count: a.Count, Fen: a.Fen}
	}
	for st, v := range rj.ByStatus {
		r.ByStatus[st] = StatusTotals{Count: v.Count, Fen: v.Fen}
	}
	r.ByMethod = methodsIn(rj.ByMethod, r.Totals)
	for h, v := range rj.ByHour {
		r.ByHour[h] = HourTotals{Count: v.Count, PaidFen: v.PaidFen, RefundedFen: v.RefundedFen}
	}
	return r, nil
}

// methodsIn reads a Z report's split by way of paying. A Z report made
// before payment codes has none: all its sales were QR sales.
func methodsIn(stored methodsJSON, t Totals) map[PayMethod]MethodTotals {
	out := map[PayMethod]MethodTotals{}
	for _, m := range PayMethods {
		out[m] = MethodTotals{}
	}
	if stored == nil {
		out[PayByQR] = MethodTotals{Count: t.Count, Paid: t.Paid, PaidFen: t.PaidFen, RefundedFen: t.RefundedFen}
		return out
	}
	for m, v := range stored {
		out[m] = MethodTotals{Count: v.Count, Paid: v.Paid, PaidFen: v.PaidFen, RefundedFen: v.RefundedFen}
	}
	return out
}

// formatFen renders fen as yuan with two decimals: 1234 -> "12.34".
func formatFen(fen int64) string {
	sign, u := "", uint64(fen)
	if fen < 0 {
		sign, u = "-", -u // two's complement, so math.MinInt64 works too
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
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
	// Absent from Z reports made before reversals were counted apart.
	Reversed       int    `json:"reversed,omitempty"`
	ReversedAmount string `json:"reversed_amount,omitempty"`
	ReversedFen    int64  `json:"reversed_fen,omitempty"`
}

func totalsOut(t Totals) totalsJSON {
	out := totalsJSON{
		Count: t.Count, Paid: t.Paid, PaidAmount: formatFen(t.PaidFen), PaidFen: t.PaidFen,
		Refunded: t.Refunded, RefundedAmount: formatFen(t.RefundedFen), RefundedFen: t.RefundedFen,
		NetAmount: formatFen(t.NetFen), NetFen: t.NetFen,
		Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
		PartlyRefunded: t.PartlyRefunded,
		Reversed:       t.Reversed, ReversedFen: t.ReversedFen,
	}
	if t.Reversed > 0 {
		out.ReversedAmount = formatFen(t.ReversedFen)
	}
	return out
}

// totalsIn is the inverse of totalsOut.
func totalsIn(t totalsJSON) Totals {
	return Totals{
		Count: t.Count, Paid: t.Paid, PaidFen: t.PaidFen, Refunded: t.Refunded, RefundedFen: t.RefundedFen,
		NetFen: t.NetFen, Cancelled: t.Cancelled, Unknown: t.Unknown, Pending: t.Pending, Failed: t.Failed,
		PartlyRefunded: t.PartlyRefunded, Reversed: t.Reversed, ReversedFen: t.ReversedFen,
	}
}

// DayClosedError is a new sale refused because its day is closed: its Z
// report is stored, and a sale made after it would be in the day's ledger
// but not in its Z report. Sales resume on the next day. It matches
// ErrDayClosed.
type DayClosedError struct {
	Date     string
	ZNumber  int
	ClosedAt time.Time
}

func (e *DayClosedError) Error() string {
	return fmt.Sprintf("%v: %s was closed at %s in Z report No. %04d; sales resume on the next day",
		ErrDayClosed, e.Date, e.ClosedAt.Format(time.TimeOnly), e.ZNumber)
}

// Unwrap makes errors.Is(err, ErrDayClosed) true.
func (e *DayClosedError) Unwrap() error { return ErrDayClosed }
