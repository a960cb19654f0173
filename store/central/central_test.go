package central

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"github.com/jackc/pgx/v5"

	"kiosk/internal/pgtest"
	"kiosk/store"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

const testDate = "2026-12-01"

func at(hour, minute int) time.Time { return time.Date(2026, 12, 1, hour, minute, 0, 0, shanghai) }

func openLedger(t *testing.T) *store.Store {
	t.Helper()
	return openLedgerIn(t, t.TempDir())
}

func openLedgerIn(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sell records a sale of terminal with the given outcome: "paid",
// "cancelled", "pending", or "refunded-part" (paid, then part of it
// refunded).
func sell(t *testing.T, s *store.Store, terminal, no string, fen int64, created time.Time, outcome string) {
	t.Helper()
	sale := store.Sale{OutTradeNo: no, TerminalID: terminal, StoreID: "S1", Subject: "Tea", AmountFen: fen, CreatedAt: created}
	if err := s.Create(sale); err != nil {
		t.Fatal(err)
	}
	switch outcome {
	case "paid", "refunded-part":
		if _, _, err := s.MarkPaid(no, store.Payment{TradeNo: "2026" + no, PaidAt: created.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	case "cancelled":
		if _, err := s.SetStatus(no, store.StatusCancelled, created.Add(2*time.Minute), "timeout", ""); err != nil {
			t.Fatal(err)
		}
	}
	if outcome == "refunded-part" {
		if _, err := s.RequestRefund(no, store.Refund{OutRequestNo: no + "-R1", Fen: fen / 4, ApprovedBy: "Li"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CompleteRefund(no, no+"-R1", created.Add(3*time.Minute), true); err != nil {
			t.Fatal(err)
		}
	}
}

func newShipper(t *testing.T, ob Outbox, dsn, terminal string) *Shipper {
	t.Helper()
	sh, err := NewShipper(ob, Config{DSN: dsn, TerminalID: terminal, StoreID: "S1", TimeZone: "Asia/Shanghai",
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Interval: 5 * time.Millisecond, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sh.Close)
	return sh
}

func openDB(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func count(t *testing.T, conn *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func mustVerify(t *testing.T, db *DB, l Ledger, terminal string) Verification {
	t.Helper()
	v, err := db.Verify(context.Background(), l, terminal)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateOnceThenOnlyReads(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() { // kiosks starting together migrate once
			defer wg.Done()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer conn.Close(ctx)
			_, errs[i] = Migrate(ctx, conn)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, dsn)
	if n := count(t, conn, "SELECT count(*) FROM schema_version"); n != len(migrations) {
		t.Errorf("%d versions recorded, want %d", n, len(migrations))
	}
	if found, err := Migrate(ctx, conn); err != nil || found != SchemaVersion {
		t.Errorf("Migrate on a current database: %d, %v", found, err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO schema_version VALUES ($1, 'from the future')", SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Migrate(ctx, conn); !errors.Is(err, ErrSchemaNewer) {
		t.Errorf("Migrate on a newer schema: %v", err)
	}
	if _, err := Open(ctx, dsn); !errors.Is(err, ErrSchemaNewer) {
		t.Errorf("Open on a newer schema: %v", err)
	}
}

// TestShippedLedgerIsHeadOfficesLedger: what a shipper sends makes head
// office's sales, refunds, report and export those of the ledger.
func TestShippedLedgerIsHeadOfficesLedger(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	l := openLedger(t)
	sell(t, l, "T1", "A", 1000, at(9, 0), "paid")
	sell(t, l, "T1", "B", 2000, at(9, 30), "refunded-part")
	sell(t, l, "T1", "C", 300, at(10, 0), "cancelled")
	sell(t, l, "T1", "D", 400, at(11, 0), "pending")
	sh := newShipper(t, l, dsn, "T1")
	if err := sh.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := l.OutboxState()
	if st.Acked != st.Head || st.Head == 0 {
		t.Fatalf("after Flush: %+v", st)
	}
	if n, behind := sh.Backlog(); n != 0 || behind {
		t.Errorf("Backlog = %d, %v", n, behind)
	}

	db := openDB(t, dsn)
	rep, err := db.Report(ctx, testDate, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := l.Report(testDate)
	if len(rep.Terminals) != 1 || rep.Terminals[0].Report.Totals != want.Totals || rep.Chain.Totals != want.Totals ||
		rep.Terminals[0].Report.ByHour != want.ByHour || rep.Terminals[0].StoreID != "S1" {
		t.Errorf("head office's report %+v\nthe ledger's totals %+v", rep, want.Totals)
	}
	days, err := db.Days(ctx, testDate, testDate, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := l.Day(testDate)
	if len(days) != 1 || len(days[0].Sales) != 4 || days[0].Totals != mine.Totals {
		t.Fatalf("head office's day %+v", days)
	}
	for i, sale := range days[0].Sales {
		if digest(sale) != digest(mine.Sales[i]) {
			t.Errorf("sale %d at head office %+v\nin the ledger %+v", i, sale, mine.Sales[i])
		}
	}
	conn := connect(t, dsn)
	if n := count(t, conn, "SELECT count(*) FROM refunds WHERE status = 'done' AND fen = 500 AND done_day = $1", testDate); n != 1 {
		t.Errorf("%d done refunds of 5.00 on %s", n, testDate)
	}
	if v := mustVerify(t, db, l, "T1"); !v.OK() || v.Matched != int(st.Head) || v.Unsent != 0 {
		t.Errorf("Verify = %+v", v)
	}
}

func digest(s store.Sale) string {
	body, _ := eventBody(store.OutboxEvent{Kind: store.EventSale, Sale: &s})
	return fmt.Sprintf("%x", canonical(body))
}

// failingAck is a ledger whose record of head office's confirmation fails
// once, as when the kiosk dies between PostgreSQL's commit and its own
// write.
type failingAck struct {
	*store.Store
	failed bool
}

func (f *failingAck) AckOutbox(seq uint64) error {
	if !f.failed {
		f.failed = true
		return errors.New("the kiosk died here")
	}
	return f.Store.AckOutbox(seq)
}

func TestBatchSentTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	l := openLedger(t)
	sell(t, l, "T1", "A", 1000, at(9, 0), "paid")
	sell(t, l, "T1", "B", 2000, at(9, 30), "refunded-part")
	ob := &failingAck{Store: l}
	sh := newShipper(t, ob, dsn, "T1")
	if _, err := sh.ShipOnce(ctx); err == nil {
		t.Fatal("the first batch's confirmation was to fail")
	}
	if n, behind := sh.Backlog(); n == 0 || !behind {
		t.Errorf("after a failed attempt: Backlog = %d, %v; want behind", n, behind)
	}
	conn := connect(t, dsn)
	events := count(t, conn, "SELECT count(*) FROM events")
	var before string
	_ = conn.QueryRow(ctx, "SELECT string_agg(sale::text, ',' ORDER BY out_trade_no) FROM sales").Scan(&before)
	if err := sh.Flush(ctx); err != nil {
		t.Fatalf("the batch sent again: %v", err)
	}
	var after string
	_ = conn.QueryRow(ctx, "SELECT string_agg(sale::text, ',' ORDER BY out_trade_no) FROM sales").Scan(&after)
	if n := count(t, conn, "SELECT count(*) FROM events"); n != events || after != before {
		t.Errorf("sending the batch again: %d events (was %d); sales changed: %v", n, events, after != before)
	}
	if st, _ := l.OutboxState(); st.Acked != st.Head {
		t.Errorf("state %+v", st)
	}
	if v := mustVerify(t, openDB(t, dsn), l, "T1"); !v.OK() {
		t.Errorf("Verify = %+v", v)
	}
}

// TestStateNeverMovesBack: an older event that arrives after a newer one
// (a gap filled late) is kept in the events but does not replace the
// sale's newer state.
func TestStateNeverMovesBack(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	l := openLedger(t)
	sell(t, l, "T1", "A", 1000, at(9, 0), "refunded-part") // created, paid, refund requested, refund done
	st, _ := l.OutboxState()
	events, _ := l.OutboxEvents(0, 10)
	sh := newShipper(t, l, dsn, "T1")
	conn, err := sh.connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range [][]store.OutboxEvent{events[3:], events[:3]} {
		b, err := newBatch(st, part, "T1", "S1", "Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ingest(ctx, conn, b, Hooks{}); err != nil {
			t.Fatal(err)
		}
	}
	var seq int
	var status string
	var refunded int64
	if err := conn.QueryRow(ctx, "SELECT seq, status, refunded_fen FROM sales WHERE out_trade_no = 'A'").Scan(&seq, &status, &refunded); err != nil {
		t.Fatal(err)
	}
	if seq != 4 || status != "paid" || refunded != 250 || count(t, conn, "SELECT count(*) FROM events") != 4 {
		t.Errorf("sale A at head office: event %d, %s, refunded %d", seq, status, refunded)
	}
	if n := count(t, conn, "SELECT count(*) FROM refunds WHERE status = 'done'"); n != 1 {
		t.Errorf("%d done refunds", n)
	}
}

// TestSecondLedgerWithTheSameTerminalIsRefused: two kiosks left at the
// default terminal id are not merged at head office.
func TestSecondLedgerWithTheSameTerminalIsRefused(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	first, second := openLedger(t), openLedger(t)
	sell(t, first, "T1", "A", 1000, at(9, 0), "paid")
	sell(t, second, "T1", "B", 500, at(9, 0), "paid")
	if err := newShipper(t, first, dsn, "T1").Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sh := newShipper(t, second, dsn, "T1")
	if _, err := sh.ShipOnce(ctx); !errors.Is(err, ErrTerminalTaken) {
		t.Fatalf("second ledger as T1: %v", err)
	}
	conn := connect(t, dsn)
	if n := count(t, conn, "SELECT count(*) FROM sales WHERE out_trade_no = 'B'"); n != 0 {
		t.Error("the second ledger's sale was stored")
	}
	if _, behind := sh.Backlog(); !behind {
		t.Error("the cashier of the refused kiosk is not told")
	}
}

// TestLedgerRestoredFromAnOldCopyIsRefused: a ledger put back from a copy
// reuses sequence numbers head office already holds, with other
// contents; head office keeps what it has and says so.
func TestLedgerRestoredFromAnOldCopyIsRefused(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	dir := t.TempDir()
	l := openLedgerIn(t, dir)
	sell(t, l, "T1", "A", 1000, at(9, 0), "paid")
	copyDir := t.TempDir()
	copyFile(t, filepath.Join(dir, "ledger.db"), filepath.Join(copyDir, "ledger.db"))
	sell(t, l, "T1", "B", 500, at(9, 10), "paid")
	if err := newShipper(t, l, dsn, "T1").Flush(ctx); err != nil {
		t.Fatal(err)
	}
	restored := openLedgerIn(t, copyDir)
	sell(t, restored, "T1", "C", 700, at(9, 20), "paid")
	if _, err := newShipper(t, restored, dsn, "T1").ShipOnce(ctx); !errors.Is(err, ErrConflict) {
		t.Fatalf("restored ledger: %v", err)
	}
	if n := count(t, connect(t, dsn), "SELECT count(*) FROM sales WHERE out_trade_no = 'C'"); n != 0 {
		t.Error("the restored ledger's new sale was stored over the old events")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyListsEveryDifference: head office's copy changed, lost or
// added to behind the ledger's back is found event by event; events not
// yet sent are on their way, not differences.
func TestVerifyListsEveryDifference(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	l := openLedger(t)
	sell(t, l, "T1", "A", 1000, at(9, 0), "paid")       // events 1, 2
	sell(t, l, "T1", "B", 2000, at(9, 30), "cancelled") // events 3, 4
	if err := newShipper(t, l, dsn, "T1").Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sell(t, l, "T1", "C", 300, at(10, 0), "paid") // events 5, 6: not sent
	db := openDB(t, dsn)
	if v := mustVerify(t, db, l, "T1"); !v.OK() || v.Matched != 4 || v.Unsent != 2 {
		t.Fatalf("before any tampering: %+v", v)
	}
	conn := connect(t, dsn)
	for _, sql := range []string{
		`UPDATE events SET body = jsonb_set(body, '{amount_fen}', '1') WHERE seq = 2`,
		`DELETE FROM events WHERE seq = 3`,
		`INSERT INTO events (terminal_id, seq, kind, store_id, day, at, out_trade_no, body)
			SELECT terminal_id, 99, kind, store_id, day, at, out_trade_no, body FROM events WHERE seq = 1`,
		`UPDATE sales SET sale = jsonb_set(sale, '{status}', '"paid"') WHERE out_trade_no = 'B'`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	v := mustVerify(t, db, l, "T1")
	var got []string
	for _, d := range v.Differences {
		got = append(got, fmt.Sprintf("%d %s: %s", d.Seq, d.OutTradeNo, d))
	}
	for _, want := range []string{
		"2 A: head office has this event with other contents",
		"3 B: head office confirmed this event but does not have it",
		"99 : head office has this event; the ledger never wrote it",
		"4 B: head office's current state of this sale is not its latest event there (4)",
	} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("Verify did not report %q; it reported:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

// TestShipperWaitsOutAnOutage: with the network to head office cut, the
// shipper keeps failing and the cashier is told; once it is back, every
// change made meanwhile arrives.
func TestShipperWaitsOutAnOutage(t *testing.T) {
	dsn := pgtest.DB(t)
	proxy, via := pgtest.NewProxy(t, dsn)
	l := openLedger(t)
	sell(t, l, "T1", "A", 1000, at(9, 0), "paid")
	sh := newShipper(t, l, via, "T1")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sh.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the first sale shipped", func() bool { st := sh.Status(); return st.Head > 0 && st.Acked == st.Head })

	proxy.Cut()
	sell(t, l, "T1", "B", 500, at(9, 10), "paid")
	// Two events wait: the sale created, and paid.
	waitFor(t, "the cashier to see two changes to send", func() bool { n, behind := sh.Backlog(); return n == 2 && behind })
	proxy.Restore()
	waitFor(t, "the sale made during the outage shipped", func() bool { n, _ := sh.Backlog(); return n == 0 && sh.Status().LastError == nil })
	if v := mustVerify(t, openDB(t, dsn), l, "T1"); !v.OK() || v.Unsent != 0 {
		t.Errorf("Verify = %+v", v)
	}
}

// waitFor polls cond until it holds, for at most a minute on a loaded
// machine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	lo, hi := time.Second, time.Minute
	for _, tt := range []struct {
		n      int
		jitter float64
		want   time.Duration
	}{
		{1, 0.999999, time.Second}, {2, 0.999999, 2 * time.Second}, {3, 0.999999, 4 * time.Second},
		{7, 0.999999, time.Minute}, {50, 0.999999, time.Minute}, {1, 0, 500 * time.Millisecond}, {50, 0, 30 * time.Second},
	} {
		if got := backoff(tt.n, lo, hi, tt.jitter); got.Round(time.Millisecond) != tt.want {
			t.Errorf("backoff(%d, jitter %v) = %v, want %v", tt.n, tt.jitter, got, tt.want)
		}
	}
}

// TestBehindOnlyWhenWorthSaying: events that wait briefly are normal; the
// cashier is told when they have waited BehindAfter, or an attempt failed.
func TestBehindOnlyWhenWorthSaying(t *testing.T) {
	now := at(9, 0)
	sh, err := NewShipper(nil, Config{DSN: "host=/nowhere", BehindAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	sh.now = func() time.Time { return now }
	sh.observe(store.OutboxState{Head: 3, Acked: 1})
	if n, behind := sh.Backlog(); n != 2 || behind {
		t.Errorf("just now: %d, %v", n, behind)
	}
	now = now.Add(59 * time.Second)
	sh.observe(store.OutboxState{Head: 4, Acked: 1})
	if _, behind := sh.Backlog(); behind {
		t.Error("behind before BehindAfter")
	}
	now = now.Add(time.Second)
	if n, behind := sh.Backlog(); n != 3 || !behind {
		t.Errorf("after a minute: %d, %v", n, behind)
	}
	sh.observe(store.OutboxState{Head: 4, Acked: 4})
	sh.observe(store.OutboxState{Head: 5, Acked: 4})
	_ = sh.failed(errors.New("unreachable"))
	if n, behind := sh.Backlog(); n != 1 || !behind {
		t.Errorf("after a failure: %d, %v", n, behind)
	}
}

func TestBadDSNIsRefusedBeforeAnythingStarts(t *testing.T) {
	for _, dsn := range []string{"", "postgres://%zz", "host=h port=notanumber"} {
		if _, err := NewShipper(nil, Config{DSN: dsn}); err == nil {
			t.Errorf("NewShipper accepted %q", dsn)
		}
	}
}

// TestCountStaysTrueThroughABackoff: while the shipper waits out a long
// back-off, the cashier's count still grows with every sale.
func TestCountStaysTrueThroughABackoff(t *testing.T) {
	l := openLedger(t)
	sh, err := NewShipper(l, Config{DSN: "host=/nonexistent-kiosk-test", TerminalID: "T1", Interval: 5 * time.Millisecond,
		MinBackoff: time.Hour, MaxBackoff: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sell(t, l, "T1", "A", 1000, at(9, 0), "pending")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sh.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the first attempt to fail", func() bool { n, behind := sh.Backlog(); return n == 1 && behind })
	sell(t, l, "T1", "B", 500, at(9, 10), "paid")
	waitFor(t, "the count to include the sales made since", func() bool { n, _ := sh.Backlog(); return n == 3 })
}
