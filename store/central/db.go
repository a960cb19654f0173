package central

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/store"
)

// DB is head office's view of the chain, read from PostgreSQL alone.
type DB struct {
	conn *pgx.Conn
	now  func() time.Time
}

// Open connects to head office's database and brings its schema up to
// date (a database that is current is only read).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect to head office: %w", err)
	}
	if _, err := Migrate(ctx, conn); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return &DB{conn: conn, now: time.Now}, nil
}

// Close closes the connection.
func (db *DB) Close() error { return db.conn.Close(context.Background()) }

// Filter narrows head office's questions to one store or one terminal;
// empty fields match all.
type Filter struct {
	Store    string
	Terminal string
}

// Days returns every day from from to to ("YYYY-MM-DD", both included) with
// the sales of every terminal the filter matches, in the order they were
// created, and their totals. Dates and ranges are checked as store.Range
// checks them.
func (db *DB) Days(ctx context.Context, from, to string, f Filter) ([]store.Day, error) {
	dates, err := store.DatesBetween(from, to)
	if err != nil {
		return nil, err
	}
	byDay, err := db.sales(ctx, from, to, f)
	if err != nil {
		return nil, err
	}
	days := make([]store.Day, len(dates))
	for i, date := range dates {
		days[i] = store.Day{Date: date, Sales: byDay[date], Totals: store.TotalsOf(byDay[date])}
	}
	return days, nil
}

const salesSQL = `
SELECT day::text, terminal_id, store_id, sale FROM sales
WHERE day BETWEEN $1 AND $2 AND ($3 = '' OR store_id = $3) AND ($4 = '' OR terminal_id = $4)
ORDER BY day, created_at, terminal_id, out_trade_no`

// sales reads the sales of the days from from to to, by day.
func (db *DB) sales(ctx context.Context, from, to string, f Filter) (map[string][]store.Sale, error) {
	rows, err := db.conn.Query(ctx, salesSQL, from, to, f.Store, f.Terminal)
	if err != nil {
		return nil, fmt.Errorf("read head office's sales: %w", err)
	}
	byDay := map[string][]store.Sale{}
	var day, terminal, storeID string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&day, &terminal, &storeID, &raw}, func() error {
		var sale store.Sale
		if err := json.Unmarshal(raw, &sale); err != nil {
			return fmt.Errorf("decode a sale of %s: %w", day, err)
		}
		// A sale recorded without them was shipped as its kiosk's.
		sale.TerminalID, sale.StoreID = cmp.Or(sale.TerminalID, terminal), cmp.Or(sale.StoreID, storeID)
		byDay[day] = append(byDay[day], sale)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read head office's sales: %w", err)
	}
	return byDay, nil
}

// Report is head office's report of one day: each terminal's X report
// (with the number of its Z report once the terminal closed the day), each
// store's, and the chain's.
type Report struct {
	Date      string
	Terminals []TerminalReport // by store, then terminal
	Stores    []StoreReport    // by store
	Chain     store.Report
}

// TerminalReport is one terminal's day as head office has it.
type TerminalReport struct {
	StoreID    string
	TerminalID string
	Report     store.Report
	// ClosedAt is when the terminal closed the day (its Z report); zero
	// while the day is open there.
	ClosedAt    time.Time
	LastEventAt time.Time // the terminal's last change head office holds
}

// StoreReport is one store's day: all its terminals together.
type StoreReport struct {
	StoreID   string
	Terminals int
	Report    store.Report
}

// terminalRow is what head office knows of a terminal.
type terminalRow struct {
	id, store, zone string
	lastEventAt     time.Time
}

// Report makes the day's report of the terminals the filter matches: every
// terminal that has sales that day or closed it.
func (db *DB) Report(ctx context.Context, date string, f Filter) (Report, error) {
	days, err := db.Days(ctx, date, date, f)
	if err != nil {
		return Report{}, err
	}
	terminals, err := db.terminals(ctx)
	if err != nil {
		return Report{}, err
	}
	closings, err := db.closings(ctx, date)
	if err != nil {
		return Report{}, err
	}
	earlier, err := db.earlierRefunds(ctx, date)
	if err != nil {
		return Report{}, err
	}
	now := db.now()
	after, err := db.afterClose(ctx, date, now)
	if err != nil {
		return Report{}, err
	}
	byTerminal := map[string][]store.Sale{}
	for _, sale := range days[0].Sales {
		byTerminal[sale.TerminalID] = append(byTerminal[sale.TerminalID], sale)
	}
	rep := Report{Date: date}
	for _, t := range terminals {
		z, closed := closings[t.id]
		if !f.matches(t) || (len(byTerminal[t.id]) == 0 && !closed && earlier[t.id].Count == 0 && after[t.id].Count == 0) {
			continue
		}
		r := store.ReportOf(date, byTerminal[t.id], earlier[t.id], t.id, t.location())
		r.CreatedAt, r.ZNumber, r.AfterClose = now.In(t.location()), z.number, after[t.id]
		rep.Terminals = append(rep.Terminals, TerminalReport{
			StoreID: t.store, TerminalID: t.id, Report: r, ClosedAt: z.closedAt, LastEventAt: t.lastEventAt,
		})
	}
	rep.Stores, rep.Chain = summarise(date, rep.Terminals, byTerminal, now)
	return rep, nil
}

func (f Filter) matches(t terminalRow) bool {
	return (f.Store == "" || f.Store == t.store) && (f.Terminal == "" || f.Terminal == t.id)
}

// location is the terminal's zone, or Alipay's when it did not say.
func (t terminalRow) location() *time.Location {
	if loc, err := time.LoadLocation(cmp.Or(t.zone, "Asia/Shanghai")); err == nil {
		return loc
	}
	return time.FixedZone("UTC+8", 8*3600)
}

// summarise adds the terminals' reports up by store and for the chain.
func summarise(date string, terminals []TerminalReport, sales map[string][]store.Sale, now time.Time) ([]StoreReport, store.Report) {
	type group struct {
		sales   []store.Sale
		earlier store.RefundTotals
		after   store.RefundTotals // refunds made after an earlier close
		n       int
		loc     *time.Location
	}
	var order []string
	groups := map[string]*group{}
	all := &group{}
	for _, t := range terminals {
		g := groups[t.StoreID]
		if g == nil {
			g = &group{loc: t.Report.CreatedAt.Location()}
			groups[t.StoreID] = g
			order = append(order, t.StoreID)
		}
		for _, x := range []*group{g, all} {
			x.sales = append(x.sales, sales[t.TerminalID]...)
			x.earlier.Count += t.Report.EarlierRefunds.Count
			x.earlier.Fen += t.Report.EarlierRefunds.Fen
			x.after.Count += t.Report.AfterClose.Count
			x.after.Fen += t.Report.AfterClose.Fen
			x.n++
			x.loc = cmp.Or(x.loc, g.loc)
		}
	}
	stores := make([]StoreReport, 0, len(order))
	for _, id := range order {
		g := groups[id]
		r := store.ReportOf(date, g.sales, g.earlier, "", g.loc)
		r.CreatedAt, r.AfterClose = now.In(g.loc), g.after
		stores = append(stores, StoreReport{StoreID: id, Terminals: g.n, Report: r})
	}
	chain := store.ReportOf(date, all.sales, all.earlier, "", cmp.Or(all.loc, time.UTC))
	chain.CreatedAt, chain.AfterClose = now, all.after
	return stores, chain
}

func (db *DB) terminals(ctx context.Context) ([]terminalRow, error) {
	rows, err := db.conn.Query(ctx, `SELECT terminal_id, store_id, time_zone, coalesce(last_event_at, 'epoch')
		FROM terminals ORDER BY store_id, terminal_id`)
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	var t terminalRow
	var out []terminalRow
	_, err = pgx.ForEachRow(rows, []any{&t.id, &t.store, &t.zone, &t.lastEventAt}, func() error {
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	return out, nil
}

type closing struct {
	number   int
	closedAt time.Time
}

func (db *DB) closings(ctx context.Context, date string) (map[string]closing, error) {
	rows, err := db.conn.Query(ctx, `SELECT terminal_id, z_number, closed_at FROM day_closings WHERE day = $1`, date)
	if err != nil {
		return nil, fmt.Errorf("read head office's closed days: %w", err)
	}
	out := map[string]closing{}
	var id string
	var c closing
	_, err = pgx.ForEachRow(rows, []any{&id, &c.number, &c.closedAt}, func() error {
		out[id] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read head office's closed days: %w", err)
	}
	return out, nil
}

// earlierRefunds sums, per terminal, the refunds done on date of sales
// created before it, as a ledger's report does.
func (db *DB) earlierRefunds(ctx context.Context, date string) (map[string]store.RefundTotals, error) {
	rows, err := db.conn.Query(ctx, `
		SELECT r.terminal_id, count(*), sum(r.fen)::bigint FROM refunds r JOIN sales s USING (terminal_id, out_trade_no)
		WHERE r.status = 'done' AND r.done_day = $1 AND s.day < $1 GROUP BY r.terminal_id`, date)
	return refundsByTerminal(rows, err, "refunds")
}

// refundsByTerminal reads rows of terminal_id, count and sum of refunds
// (the query's answer and err), what naming them in an error.
func refundsByTerminal(rows pgx.Rows, err error, what string) (map[string]store.RefundTotals, error) {
	if err != nil {
		return nil, fmt.Errorf("read head office's %s: %w", what, err)
	}
	out := map[string]store.RefundTotals{}
	var id string
	var t store.RefundTotals
	_, err = pgx.ForEachRow(rows, []any{&id, &t.Count, &t.Fen}, func() error {
		out[id] = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read head office's %s: %w", what, err)
	}
	return out, nil
}

// afterClose sums, per terminal, the refunds that the terminal's report of
// date counts as made after an earlier close, as a ledger's report does
// (store.Report.AfterClose): refunds done on a day the terminal had
// closed, after that close and after the terminal's last Z report before
// the report's moment, and not after that moment. The moment is when the
// terminal closed date, for its Z report, or now for an X report. A refund
// is placed at the later of when it was done and when it was asked for,
// as the ledger places it.
func (db *DB) afterClose(ctx context.Context, date string, now time.Time) (map[string]store.RefundTotals, error) {
	rows, err := db.conn.Query(ctx, `
		WITH moment AS (
			SELECT t.terminal_id, coalesce(c.closed_at, $2) AS at
			FROM terminals t LEFT JOIN day_closings c ON c.terminal_id = t.terminal_id AND c.day = $1
		), since AS (
			SELECT m.terminal_id, m.at, coalesce((SELECT max(d.closed_at) FROM day_closings d
				WHERE d.terminal_id = m.terminal_id AND d.closed_at < m.at), '-infinity') AS last
			FROM moment m
		)
		SELECT r.terminal_id, count(*), sum(r.fen)::bigint
		FROM refunds r
		JOIN day_closings c ON c.terminal_id = r.terminal_id AND c.day = r.done_day
		JOIN since s ON s.terminal_id = r.terminal_id
		WHERE r.status = 'done'
			AND greatest(r.done_at, r.requested_at) > greatest(c.closed_at, s.last)
			AND greatest(r.done_at, r.requested_at) <= s.at
		GROUP BY r.terminal_id`, date, now)
	return refundsByTerminal(rows, err, "refunds after a close")
}

// TerminalStatus is how far head office has a terminal's ledger.
type TerminalStatus struct {
	TerminalID  string
	StoreID     string
	LedgerID    string
	LastSeq     uint64    // the last event head office holds
	LastEventAt time.Time // when that change was made at the counter; zero for none
	// KioskHead is the ledger's last event as the kiosk said at its last
	// contact, and Behind how many of them head office lacked then.
	KioskHead   uint64
	Behind      uint64
	LastContact time.Time
	// Since is how long ago the last contact was, by the database's clock.
	Since time.Duration
}

// Status lists every terminal head office has heard of, by store.
func (db *DB) Status(ctx context.Context) ([]TerminalStatus, error) {
	rows, err := db.conn.Query(ctx, `
		SELECT terminal_id, store_id, ledger_id, last_seq, coalesce(last_event_at, 'epoch'), kiosk_head,
			greatest(kiosk_head - max(last_seq) OVER (PARTITION BY ledger_id), 0), last_contact, now() - last_contact
		FROM terminals ORDER BY store_id, terminal_id`)
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	var out []TerminalStatus
	var t TerminalStatus
	var lastSeq, head, behind int64
	_, err = pgx.ForEachRow(rows, []any{&t.TerminalID, &t.StoreID, &t.LedgerID, &lastSeq, &t.LastEventAt, &head, &behind, &t.LastContact, &t.Since},
		func() error {
			t.LastSeq, t.KioskHead, t.Behind = uint64(lastSeq), uint64(head), uint64(behind)
			if t.LastEventAt.Equal(time.Unix(0, 0)) {
				t.LastEventAt = time.Time{}
			}
			out = append(out, t)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	slices.SortStableFunc(out, func(a, b TerminalStatus) int {
		return cmp.Or(cmp.Compare(a.StoreID, b.StoreID), cmp.Compare(a.TerminalID, b.TerminalID))
	})
	return out, nil
}
