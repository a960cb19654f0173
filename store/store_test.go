package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	bolt "go.etcd.io/bbolt"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a moment in May 2024, Shanghai time.
func at(day, hour, minute, second int) time.Time {
	return time.Date(2024, time.May, day, hour, minute, second, 0, shanghai)
}

// mustOpen opens a kiosk store on a fresh directory, in Shanghai time, with
// the clock fixed at 2024-05-17 12:00.
func mustOpen(tb testing.TB) *Store {
	tb.Helper()
	return mustOpenDir(tb, tb.TempDir(), Options{})
}

func mustOpenDir(tb testing.TB, dir string, opts Options) *Store {
	tb.Helper()
	if opts.Location == nil {
		opts.Location = shanghai
	}
	s, err := Open(dir, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	s.now = func() time.Time { return at(17, 12, 0, 0) }
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func newSale(no string, fen int64, created time.Time) Sale {
	return Sale{OutTradeNo: no, AmountFen: fen, Subject: "Coffee", TerminalID: "T1", StoreID: "S1", CreatedAt: created}
}

func mustCreate(tb testing.TB, s *Store, sales ...Sale) {
	tb.Helper()
	for _, sale := range sales {
		if err := s.Create(sale); err != nil {
			tb.Fatalf("Create(%s): %v", sale.OutTradeNo, err)
		}
	}
}

func mustGet(tb testing.TB, s *Store, no string) Sale {
	tb.Helper()
	sale, err := s.Get(no)
	if err != nil {
		tb.Fatalf("Get(%s): %v", no, err)
	}
	return sale
}

func mustPay(tb testing.TB, s *Store, no string, paidAt time.Time) Sale {
	tb.Helper()
	sale, _, err := s.MarkPaid(no, Payment{TradeNo: "T" + no, BuyerLogonID: "a***@b.com", PaidAt: paidAt})
	if err != nil {
		tb.Fatalf("MarkPaid(%s): %v", no, err)
	}
	return sale
}

func TestOpenCreatesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	mustOpenDir(t, dir, Options{})
	for _, name := range []string{"ledger.db", "kiosk.lock"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "kiosk.lock"))
	if got := strings.TrimSpace(string(b)); got != strconv.Itoa(os.Getpid()) {
		t.Errorf("kiosk.lock holds %q, want our pid", got)
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustCreate(t, s, newSale("A1", 1234, at(17, 9, 0, 0)), newSale("A2", 500, at(17, 9, 1, 0)))
	want := mustPay(t, s, "A1", at(17, 9, 0, 30))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpenDir(t, dir, Options{})
	if got := mustGet(t, s, "A1"); !sameSale(got, want) {
		t.Errorf("after reopen:\n got %+v\nwant %+v", got, want)
	}
	// The day's receipt counter survived too.
	if got := mustPay(t, s, "A2", at(17, 9, 2, 0)); got.ReceiptNo != 2 {
		t.Errorf("receipt after reopen = %d, want 2", got.ReceiptNo)
	}
}

func TestSecondKioskIsLockedOut(t *testing.T) {
	dir := t.TempDir()
	first := mustOpenDir(t, dir, Options{})

	// first holds the lock throughout: an Open that waited for it rather
	// than refusing would hang the test (no clock read).
	second, err := Open(dir, Options{Location: shanghai})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: store %v, error %v; want ErrLocked", second, err)
	}
	for _, part := range []string{dir, fmt.Sprintf("process %d", os.Getpid())} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %q", err, part)
		}
	}

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	mustOpenDir(t, dir, Options{}) // the lock went with Close
}

func TestReadOnlyWhileKioskRuns(t *testing.T) {
	dir := t.TempDir()
	// A short timeout: had the reader kept ledger.db locked, the kiosk's
	// next write would fail instead of merely waiting.
	kiosk := mustOpenDir(t, dir, Options{Timeout: 200 * time.Millisecond})
	mustCreate(t, kiosk, newSale("A1", 1234, at(17, 9, 0, 0)))

	reader := mustOpenDir(t, dir, Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if got := mustGet(t, reader, "A1"); got.Status != StatusPending {
		t.Errorf("reader sees status %s, want pending", got.Status)
	}

	mustPay(t, kiosk, "A1", at(17, 9, 0, 20))
	mustCreate(t, kiosk, newSale("A2", 100, at(17, 9, 1, 0)))

	d, err := reader.Day("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sales) != 2 || d.Sales[0].Status != StatusPaid || d.Totals.PaidFen != 1234 {
		t.Errorf("reader's day = %+v, want A1 paid and A2", d)
	}
}

// TestHeldReaderBlocksWriter shows why no Store keeps ledger.db open: a
// reader that held bbolt's shared lock would stall the kiosk's writes.
func TestHeldReaderBlocksWriter(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{Timeout: 100 * time.Millisecond})
	db, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = kiosk.Create(newSale("A1", 100, at(17, 9, 0, 0)))
	if !errors.Is(err, bolt.ErrTimeout) || !errors.Is(err, ErrBusy) {
		t.Errorf("Create while a reader holds the file: %v, want bolt.ErrTimeout (ErrBusy)", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, kiosk, newSale("A1", 100, at(17, 9, 0, 0)))
}

func TestReadOnlyEmptyDir(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{ReadOnly: true})

	d, err := s.Day("2024-05-17")
	if err != nil || d.Date != "2024-05-17" || len(d.Sales) != 0 || d.Totals != (Totals{}) {
		t.Errorf("Day = %+v, %v; want an empty day", d, err)
	}
	if open, err := s.Unsettled(); err != nil || len(open) != 0 {
		t.Errorf("Unsettled = %v, %v; want none", open, err)
	}
	if _, err := s.Get("A1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get = %v, want ErrNotFound", err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("read-only store created %v", entries)
	}
}

func TestReadOnlyMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	if _, err := Open(dir, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Open of a missing dir: %v, want an error naming it", err)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	dir := t.TempDir()
	mustCreate(t, mustOpenDir(t, dir, Options{}), newSale("A1", 100, at(17, 9, 0, 0)))
	s := mustOpenDir(t, dir, Options{ReadOnly: true})

	errs := map[string]error{"Create": s.Create(newSale("A2", 100, time.Time{}))}
	_, _, errs["MarkPaid"] = s.MarkPaid("A1", Payment{})
	_, errs["SetStatus"] = s.SetStatus("A1", StatusCancelled, time.Time{}, "", "")
	for op, err := range errs {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s = %v, want ErrReadOnly", op, err)
		}
	}
}

func TestClosedStore(t *testing.T) {
	s := mustOpen(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := s.Create(newSale("A1", 100, time.Time{})); !errors.Is(err, ErrClosed) {
		t.Errorf("Create after Close = %v, want ErrClosed", err)
	}
	if _, err := s.Get("A1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
}

func TestCheckHealthy(t *testing.T) {
	s := mustOpen(t)
	for i := range 50 {
		no := fmt.Sprintf("A%02d", i)
		mustCreate(t, s, newSale(no, int64(100+i), at(17, 9, i, 0)))
		if i%2 == 0 {
			mustPay(t, s, no, at(17, 9, i, 30))
		}
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

func TestDateOf(t *testing.T) {
	s := mustOpen(t)
	// 2024-05-16 16:30 UTC is already the 17th in Shanghai.
	if got := s.DateOf(time.Date(2024, 5, 16, 16, 30, 0, 0, time.UTC)); got != "2024-05-17" {
		t.Errorf("DateOf = %s, want 2024-05-17", got)
	}
}

// BenchmarkMarkPaid measures one write operation as the kiosk performs it:
// open ledger.db, one read-write transaction with fsync, close.
func BenchmarkMarkPaid(b *testing.B) {
	s := mustOpen(b)
	err := s.update(func(tx *bolt.Tx) error {
		for i := range b.N {
			sale := newSale(fmt.Sprintf("B%08d", i), 100, at(17, 9, 0, 0).Add(time.Duration(i)))
			if err := s.prepare(&sale); err != nil {
				return err
			}
			if err := s.insert(tx, sale); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, _, err := s.MarkPaid(fmt.Sprintf("B%08d", i), Payment{TradeNo: "T"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGet measures one read operation: a read-only open, a view, close.
func BenchmarkGet(b *testing.B) {
	s := mustOpen(b)
	mustCreate(b, s, newSale("A1", 100, at(17, 9, 0, 0)))
	for b.Loop() {
		if _, err := s.Get("A1"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRemovedLedgerIsNotRecreated(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	if err := os.Remove(filepath.Join(dir, "ledger.db")); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(newSale("A1", 100, time.Time{})); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrLedgerMissing) {
		t.Errorf("Create after removal = %v, want fs.ErrNotExist and ErrLedgerMissing", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ledger.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ledger.db was recreated: %v", err)
	}
}

func TestForeignDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	err := s.update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketOpen) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create(newSale("A1", 100, time.Time{})); err == nil || !strings.Contains(err.Error(), "not a ledger") {
		t.Errorf("Create on a database without buckets = %v", err)
	}
}

func TestReaderAdoptsTheKiosksZone(t *testing.T) {
	dir := t.TempDir()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	kiosk, err := Open(dir, Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC is already the next day in Shanghai.
	late := time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC)
	if err := kiosk.Create(Sale{OutTradeNo: "Z1", AmountFen: 100, CreatedAt: late}); err != nil {
		t.Fatal(err)
	}
	reader, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	defer kiosk.Close()
	if got := reader.DateOf(late); got != "2026-11-22" {
		t.Errorf("the reader puts the sale on %s; the kiosk wrote it on 2026-11-22", got)
	}
	if day, _ := reader.Day("2026-11-22"); len(day.Sales) != 1 {
		t.Errorf("the reader's 2026-11-22 has %d sales, want 1", len(day.Sales))
	}
}

func TestLedgerKeepsTheZoneItWasStartedIn(t *testing.T) {
	dir := t.TempDir()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	kiosk, err := Open(dir, Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	if err := kiosk.Create(Sale{OutTradeNo: "Z1", AmountFen: 100, CreatedAt: time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	kiosk.Close()
	for _, opts := range []Options{{Location: time.UTC}, {Location: time.UTC, ReadOnly: true}, {Location: time.UTC, Beside: true}} {
		s, err := Open(dir, opts)
		var ze *ZoneError
		if !errors.As(err, &ze) || !errors.Is(err, ErrZoneChanged) {
			if s != nil {
				s.Close()
			}
			t.Fatalf("Open(%+v) of a Shanghai ledger = %v, want a *ZoneError", opts, err)
		}
		if ze.Recorded != "Asia/Shanghai" || ze.Configured != "UTC" || ze.Dir != dir {
			t.Errorf("ZoneError = %+v", ze)
		}
	}
	again, err := Open(dir, Options{Location: shanghai})
	if err != nil {
		t.Fatalf("reopening in the recorded zone: %v", err)
	}
	again.Close()
}

func TestLedgerWithoutAZoneTakesTheConfiguredOne(t *testing.T) {
	dir := t.TempDir()
	old, err := Open(dir, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	// A ledger from before zones were recorded.
	if err := old.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Delete(keyTimeZone) }); err != nil {
		t.Fatal(err)
	}
	old.Close()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	reader, err := Open(dir, Options{Location: tokyo, ReadOnly: true})
	if err != nil {
		t.Fatalf("a reader of a ledger that records no zone: %v", err)
	}
	reader.Close()
	kiosk, err := Open(dir, Options{Location: tokyo})
	if err != nil {
		t.Fatalf("the kiosk on a ledger that records no zone: %v", err)
	}
	kiosk.Close()
	if _, err := Open(dir, Options{Location: time.UTC, ReadOnly: true}); !errors.Is(err, ErrZoneChanged) {
		t.Errorf("after the kiosk's start in Tokyo, a UTC reader = %v, want ErrZoneChanged", err)
	}
}
