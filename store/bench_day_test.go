package store

// Benchmarks of reading one day out of a big ledger.
//
// They share one ledger of benchSales sales (a tenth with -short),
// benchPerDay a day over benchDays days, built by bulkLoad straight through bolt (50,000 sales per
// transaction, NoSync during the load; about a minute). The built ledger is
// kept in os.TempDir()/kiosk-bench-ledger-v2 and reused by later runs as
// long as its "complete" marker is there; delete the directory to rebuild
// it, and change the name's version when the layout of the ledger changes.
// The benchmarks open it read-only, as the managers' tools do, and never
// write to it.
//
//	go test -run '^$' -bench 'Day|FullScan' -benchmem -benchtime 20x ./store/

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

const (
	benchPerDay = 2_000
	benchPerTx  = 50_000
)

// The ledger's size, and benchDate, the day the benchmarks read, in the
// middle of it. With -short (CI runs every benchmark once, so that none
// rots) the ledger is a tenth of the size, and kept apart.
var (
	benchSales     = 1_000_000
	benchDays      = benchSales / benchPerDay
	benchCacheName = "kiosk-bench-ledger-v2"
	benchFirstDay  = time.Date(2023, time.January, 1, 0, 0, 0, 0, shanghai)
	benchDate      = benchFirstDay.AddDate(0, 0, benchDays/2).Format(dateLayout)
)

func shortBenchLedger() {
	benchSales /= 10
	benchDays = benchSales / benchPerDay
	benchCacheName += "-short"
	benchDate = benchFirstDay.AddDate(0, 0, benchDays/2).Format(dateLayout)
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchLedger returns the directory of the big ledger, building it on the
// first call of the process unless a complete one is cached.
func benchLedger(b *testing.B) *Store {
	b.Helper()
	benchOnce.Do(func() {
		if testing.Short() {
			shortBenchLedger()
		}
		start := time.Now()
		var built bool
		benchDir, built, benchErr = cachedBenchLedger()
		if built {
			b.Logf("built the ledger of %d sales in %v", benchSales, time.Since(start).Round(time.Second))
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	s, err := Open(benchDir, Options{ReadOnly: true, Location: shanghai})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

func cachedBenchLedger() (dir string, built bool, err error) {
	dir = filepath.Join(os.TempDir(), benchCacheName)
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir, false, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), benchCacheName+"-building-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(tmp) // gone after the rename, unless it failed
	if err := bulkLoad(filepath.Join(tmp, dbName)); err != nil {
		return "", false, fmt.Errorf("build the benchmark ledger: %w", err)
	}
	marker := fmt.Sprintf("%d sales, %d a day from %s\n", benchSales, benchPerDay, benchFirstDay.Format(dateLayout))
	if err := os.WriteFile(filepath.Join(tmp, "complete"), []byte(marker), 0o600); err != nil {
		return "", false, err
	}
	if err := os.RemoveAll(dir); err != nil { // an incomplete earlier attempt
		return "", false, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", false, err
	}
	return dir, true, nil
}

// bulkLoad writes the benchmark ledger at path directly with bolt: the
// same buckets, keys and JSON as the Store writes, benchPerTx sales per
// transaction, unsynced until the end. Sales are spread over 08:00-22:00
// of each day; most are paid, some cancelled or failed, a few refunded in
// part or in full, so their records have the sizes of real ones.
func bulkLoad(path string) error {
	db, err := bolt.Open(path, dbMode, &bolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	if err := db.Update(createBuckets); err != nil {
		return closeAfter(db, err)
	}
	step := 14 * time.Hour / benchPerDay
	for first := 0; first < benchSales; first += benchPerTx {
		err := db.Update(func(tx *bolt.Tx) error {
			for i := first; i < first+benchPerTx; i++ {
				day := benchFirstDay.AddDate(0, 0, i/benchPerDay)
				created := day.Add(8*time.Hour + time.Duration(i%benchPerDay)*step)
				sale := benchSale(i, created)
				if err := tx.Bucket(bucketDays).Put(dayKey(day.Format(dateLayout), created, sale.OutTradeNo), empty); err != nil {
					return err
				}
				if sale.ReceiptNo > 0 {
					err := tx.Bucket(bucketReceipts).Put([]byte(day.Format(dateLayout)), binary.BigEndian.AppendUint64(nil, uint64(sale.ReceiptNo)))
					if err != nil {
						return err
					}
				}
				for _, r := range sale.Refunds {
					k := refundKey(r.DoneAt.Format(dateLayout), r.DoneAt, sale.OutTradeNo, r.OutRequestNo)
					if err := tx.Bucket(bucketRefunds).Put(k, []byte(sale.OutTradeNo)); err != nil {
						return err
					}
				}
				if err := put(tx, sale); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return closeAfter(db, err)
		}
	}
	return closeAfter(db, db.Sync())
}

// benchSale is sale number i of the benchmark ledger. Receipt numbers count
// the paid sales of the day, so the ledger passes Verify.
func benchSale(i int, created time.Time) Sale {
	n := i % benchPerDay
	sale := Sale{
		OutTradeNo: fmt.Sprintf("KKIOSK1_%s_%06d", created.Format("20060102150405.000"), i%1_000_000),
		TerminalID: "KIOSK1", StoreID: "S1", Subject: "Coffee and cake", AmountFen: int64(500 + i%4000),
		Status: StatusPaid, CreatedAt: created, UpdatedAt: created.Add(20 * time.Second),
		History: []Event{{At: created, Status: StatusPending, Note: "created"}},
	}
	switch {
	case n%25 == 7:
		sale.Status = StatusCancelled
		sale.History = append(sale.History, Event{At: created.Add(2 * time.Minute), Status: StatusCancelled,
			Note: "The QR code expired. The sale was cancelled; nothing was charged."})
		return sale
	case n%50 == 11:
		sale.Status = StatusFailed
		sale.History = append(sale.History, Event{At: created.Add(time.Second), Status: StatusFailed, Note: "Alipay is busy"})
		return sale
	}
	// Paid sales before n in the day: n minus the cancelled and failed ones.
	sale.ReceiptNo = n - (n+25-7-1)/25 - (n+50-11-1)/50 + 1
	sale.PaidAt = created.Add(20 * time.Second)
	sale.TradeNo = fmt.Sprintf("2023%016d", i)
	sale.BuyerLogonID = "a***@b.com"
	sale.History = append(sale.History, Event{At: sale.PaidAt, Status: StatusPaid, Note: fmt.Sprintf("paid, receipt %04d", sale.ReceiptNo)})
	if n%40 == 3 {
		r := Refund{OutRequestNo: sale.OutTradeNo + "_R1", Fen: sale.AmountFen / 2, At: created.Add(time.Hour),
			ApprovedBy: "Wang", Reason: "wrong order", Status: RefundDone, FundChange: true, DoneAt: created.Add(time.Hour + time.Second)}
		sale.Refunds, sale.RefundedFen = []Refund{r}, r.Fen
	}
	return sale
}

// BenchmarkDayView reads one day of benchPerDay sales through the day
// index, as "kiosk ledger" does: open read-only, one view, close.
func BenchmarkDayView(b *testing.B) {
	s := benchLedger(b)
	for b.Loop() {
		d, err := s.Day(benchDate)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Sales) != benchPerDay {
			b.Fatalf("%d sales on %s, want %d", len(d.Sales), benchDate, benchPerDay)
		}
	}
}

// BenchmarkDayReport computes the X report of the same day.
func BenchmarkDayReport(b *testing.B) {
	s := benchLedger(b)
	for b.Loop() {
		r, err := s.Report(benchDate)
		if err != nil {
			b.Fatal(err)
		}
		if r.Totals.Count != benchPerDay {
			b.Fatalf("report of %d sales, want %d", r.Totals.Count, benchPerDay)
		}
	}
}

// BenchmarkFullScan finds the same day without the index: every sale is
// read, and only its created_at decoded, which is the cheapest a scan can
// be; it still loads no sale in full.
func BenchmarkFullScan(b *testing.B) {
	s := benchLedger(b)
	var created struct {
		CreatedAt time.Time `json:"created_at"`
	}
	for b.Loop() {
		n := 0
		err := s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSales).ForEach(func(_, v []byte) error {
				if err := json.Unmarshal(v, &created); err != nil {
					return err
				}
				if s.DateOf(created.CreatedAt) == benchDate {
					n++
				}
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
		if n != benchPerDay {
			b.Fatalf("counted %d sales on %s, want %d", n, benchDate, benchPerDay)
		}
	}
}

// BenchmarkBigLedgerGet is BenchmarkGet on the big ledger: the cost of
// opening per operation does not grow with the ledger.
func BenchmarkBigLedgerGet(b *testing.B) {
	s := benchLedger(b)
	d, err := s.Day(benchDate)
	if err != nil {
		b.Fatal(err)
	}
	no := d.Sales[len(d.Sales)/2].OutTradeNo
	for b.Loop() {
		if _, err := s.Get(no); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBigLedgerVerify runs Verify over the big ledger and reports, as
// check-tx-ms, how long bbolt's check alone holds its read transaction,
// and as walk-tx-ms how long the structure check (walkFile) that comes
// before it holds its own: the longest a running kiosk's write waits while
// a manager checks. Run it with -benchtime 1x.
func BenchmarkBigLedgerVerify(b *testing.B) {
	s := benchLedger(b)
	for b.Loop() {
		start := time.Now()
		var problem error
		err := s.view(func(tx *bolt.Tx) error {
			for p := range tx.Check() { // drained inside the transaction
				problem = cmp.Or(problem, p)
			}
			return problem
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "check-tx-ms")
		start = time.Now()
		err = s.view(func(*bolt.Tx) error {
			problems, _, err := walkFile(s.path, walkAll)
			if err == nil && len(problems) > 0 {
				err = fmt.Errorf("%v", problems)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "walk-tx-ms")
		r, err := s.Verify()
		if err != nil || !r.OK() {
			b.Fatalf("Verify = %v, %v", r, err)
		}
	}
}

// BenchmarkCheckManagerPIN checks the right PIN with the real argon2id
// parameters.
func BenchmarkCheckManagerPIN(b *testing.B) {
	pinParams = defaultPINParams
	b.Cleanup(func() { pinParams = argonParams{Time: 1, Memory: 64, Threads: 1, KeyLen: 32} })
	s := mustOpen(b)
	if err := s.SetManagerPIN("258014"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.CheckManagerPIN("258014", time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBigLedgerCreate records sales as the kiosk does (open
// read-write, one transaction with its fsync, close) on a copy of the big
// ledger, to show that a write costs no more in a big ledger than in a
// small one (BenchmarkMarkPaid).
func BenchmarkBigLedgerCreate(b *testing.B) {
	src := benchLedger(b)
	dir := b.TempDir()
	// Not tx.CopyFile: it opens the copy through the Store's OpenFile,
	// which never creates the ledger file.
	f, err := os.OpenFile(filepath.Join(dir, dbName), os.O_CREATE|os.O_WRONLY|os.O_EXCL, dbMode)
	if err != nil {
		b.Fatal(err)
	}
	err = src.view(func(tx *bolt.Tx) error { _, err := tx.WriteTo(f); return err })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	s := mustOpenDir(b, dir, Options{})
	created := benchFirstDay.AddDate(0, 0, benchDays).Add(9 * time.Hour)
	i := 0
	for b.Loop() {
		i++
		if err := s.Create(newSale(fmt.Sprintf("NEW%08d", i), 100, created.Add(time.Duration(i)*time.Millisecond))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBigLedgerStartCheck is the check a kiosk makes of the big
// ledger when it starts (checkAtStart: the skeleton, the ledger being over
// fullCheckSize), with the file in the page cache and, in /cold, read
// from the disk after the kernel was told to drop it. pages-read is how
// much of the file it reads. /all is the whole-file walk Verify makes,
// for comparison (and for what a ledger under fullCheckSize costs per MB).
func BenchmarkBigLedgerStartCheck(b *testing.B) {
	s := benchLedger(b)
	for _, bm := range []struct {
		name  string
		depth walkDepth
		cold  bool
	}{{"skeleton", walkSkeleton, false}, {"skeleton/cold", walkSkeleton, true}, {"all", walkAll, false}, {"all/cold", walkAll, true}} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if bm.cold {
					b.StopTimer()
					dropFromPageCache(b, s.path)
					b.StartTimer()
				}
				w, err := runWalk(s.path, bm.depth)
				if err != nil || len(w.problems) > 0 {
					b.Fatal(err, w.problems)
				}
				b.ReportMetric(float64(w.read), "pages-read")
			}
		})
	}
}

// BenchmarkBigLedgerBackup backs up the big ledger as "kiosk ledger
// backup" does and reports, as copy-tx-ms, how long the copy held its
// read transaction: how long a kiosk write waits for a backup.
func BenchmarkBigLedgerBackup(b *testing.B) {
	s := benchLedger(b)
	dir := b.TempDir()
	var start time.Time
	for b.Loop() {
		var held time.Duration
		afterCopy = func() { held = time.Since(start) }
		start = time.Now()
		if _, err := s.Backup(filepath.Join(dir, "backup.db"), true); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(held.Milliseconds()), "copy-tx-ms")
	}
	afterCopy = func() {}
}
