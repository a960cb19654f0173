package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// seedLedger writes a ledger of a few hundred sales over a week, enough
// for branch pages in the big buckets, closes it and returns its directory.
func seedLedger(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	s := mustOpenDir(tb, dir, Options{})
	// One transaction, through the code Create and MarkPaid use: one fsync.
	err := s.update(func(tx *bolt.Tx) error {
		for i := range 300 {
			sale := newSale(fmt.Sprintf("KT1_%05d", i), int64(100+i), at(10+i%7, 9, i%60, i%60))
			if err := s.prepare(&sale); err != nil {
				return err
			}
			if err := s.insert(tx, sale); err != nil {
				return err
			}
			if i%3 == 2 {
				continue
			}
			if _, _, err := s.markPaid(tx, sale.OutTradeNo, Payment{TradeNo: "T", PaidAt: sale.CreatedAt.Add(time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// copyLedger copies a seeded ledger directory for one damage.
func copyLedger(tb testing.TB, from string) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{dbName, markerName, lockName} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// dataEnd is where the data of the ledger file ends: its meta's page count
// times its page size.
func dataEnd(tb testing.TB, path string) (end, pageSize int64) {
	tb.Helper()
	head, err := inspectFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	ps := int64(head.meta.pageSize)
	return int64(head.meta.pgid) * ps, ps
}

// usedPages lists the pages of the file that hold the freelist or a branch
// or leaf of a bucket, as bbolt itself reports them.
func usedPages(tb testing.TB, path string) []int {
	tb.Helper()
	db, err := bolt.Open(path, dbMode, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var ids []int
	err = db.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if p == nil || err != nil {
				return err
			}
			if p.Type == "branch" || p.Type == "leaf" || p.Type == "freelist" {
				ids = append(ids, id)
			}
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// readEverything calls every read a kiosk or a manager's tool makes and
// returns the errors. A damaged file must make them fail, never panic.
func readEverything(s *Store) []error {
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	_, err := s.Day("2024-05-12")
	add(err)
	_, err = s.Range("2024-05-09", "2024-05-17")
	add(err)
	_, err = s.Report("2024-05-13")
	add(err)
	_, err = s.Get("KT1_00150")
	add(err)
	_, err = s.Unsettled()
	add(err)
	_, err = s.RefundsInFlight()
	add(err)
	_, _, err = s.ZReport("2024-05-10")
	add(err)
	_, err = s.Verify()
	add(err)
	return errs
}

func wantDamaged(t *testing.T, op string, err error, path, want string) {
	t.Helper()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s = %v; want ErrDamaged naming %s and saying %q", op, err, path, want)
	}
	// What is wrong is a fact, for the kiosk to say in its language.
	if de, ok := errors.AsType[*DamageError](err); ok && (de.Check.Kind == 0 || de.Check.String() == "" || !strings.Contains(de.Problem, de.Check.String())) {
		t.Errorf("%s = %v: its problem is not a fact (%+v)", op, err, de.Check)
	}
}

// TestCutShortLedgerIsRefused cuts ledger.db at several places: the kiosk
// refuses to start on it, and every read fails with ErrDamaged instead of
// dying of SIGBUS in bbolt's memory map.
func TestCutShortLedgerIsRefused(t *testing.T) {
	seed := seedLedger(t)
	end, ps := dataEnd(t, filepath.Join(seed, dbName))
	for _, size := range []int64{100, ps, 2 * ps, 3 * ps, end / 2, end - ps, end - 1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			dir := copyLedger(t, seed)
			path := filepath.Join(dir, dbName)
			if err := os.Truncate(path, size); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, Options{Location: shanghai})
			wantDamaged(t, "Open", err, path, "cut short")

			r := mustOpenDir(t, dir, Options{ReadOnly: true})
			errs := readEverything(r)
			for i, err := range errs[:len(errs)-1] {
				wantDamaged(t, fmt.Sprintf("read %d", i), err, path, "cut short")
			}
			res, err := r.Verify()
			if err != nil || !res.Damaged || !strings.Contains(findings(res), "cut short") {
				t.Errorf("Verify = %v, %v; want the damage reported", res, err)
			}
		})
	}
}

// TestLedgerCutShortWhileTheKioskRuns: the kiosk opens ledger.db for each
// operation, so a file cut short under a running kiosk fails its next
// operations with ErrDamaged.
func TestLedgerCutShortWhileTheKioskRuns(t *testing.T) {
	dir := copyLedger(t, seedLedger(t))
	s := mustOpenDir(t, dir, Options{})
	path := filepath.Join(dir, dbName)
	if err := os.Truncate(path, 3*4096); err != nil {
		t.Fatal(err)
	}
	wantDamaged(t, "Create", s.Create(newSale("NEW", 100, at(17, 10, 0, 0))), path, "cut short")
	_, err := s.Get("KT1_00001")
	wantDamaged(t, "Get", err, path, "cut short")
}

// TestGuardTurnsAFaultIntoAnError maps a ledger with bbolt itself, then
// cuts the file short under the mapping: reading the lost pages is a
// SIGBUS, which guard turns into an error instead of a dead process.
func TestGuardTurnsAFaultIntoAnError(t *testing.T) {
	dir := copyLedger(t, seedLedger(t))
	path := filepath.Join(dir, dbName)
	db, err := bolt.Open(path, dbMode, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Truncate(path, 2*4096); err != nil {
		t.Fatal(err)
	}
	err = guard(path, func() error {
		return db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSales).ForEach(func(_, _ []byte) error { return nil })
		})
	})
	wantDamaged(t, "reading a file cut short under bbolt", err, path, "reading it failed")
}

// TestScribbledPagesAreRefused overwrites, one page at a time, the entry
// table or the header of every page bbolt uses (the freelist, and the
// branches and leaves of every bucket): the kiosk refuses to start, and
// no read panics.
func TestScribbledPagesAreRefused(t *testing.T) {
	seed := seedLedger(t)
	_, ps := dataEnd(t, filepath.Join(seed, dbName))
	pages := usedPages(t, filepath.Join(seed, dbName))
	if len(pages) < 20 {
		t.Fatalf("the seed ledger uses only %d pages", len(pages))
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for _, id := range pages {
		for _, at := range []int64{0, 16} { // the header, the first entries
			t.Run(fmt.Sprintf("page%d+%d", id, at), func(t *testing.T) {
				dir := copyLedger(t, seed)
				path := filepath.Join(dir, dbName)
				junk := make([]byte, 32)
				for i := range junk {
					junk[i] = byte(rng.Uint32())
				}
				scribble(t, path, int64(id)*ps+at, junk)

				_, err := Open(dir, Options{Location: shanghai})
				wantDamaged(t, "Open", err, path, fmt.Sprintf("page %d", id))
				r := mustOpenDir(t, dir, Options{ReadOnly: true})
				readEverything(r) // must not panic; which reads fail depends on the page
				if res, err := r.Verify(); err != nil || !res.Damaged {
					t.Errorf("Verify = %v, %v; want the damage found", res, err)
				}
			})
		}
	}
}

func scribble(tb testing.TB, path string, off int64, junk []byte) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(junk, off); err != nil {
		tb.Fatal(err)
	}
}

// TestScribbledHeaderPages: one bad meta page is what a power cut during a
// commit leaves, and bbolt falls back to the other, so the ledger opens
// and the check notes it; with both bad, the file is refused.
func TestScribbledHeaderPages(t *testing.T) {
	seed := seedLedger(t)
	junk := []byte("scribbled over the header page..")

	dir := copyLedger(t, seed)
	scribble(t, filepath.Join(dir, dbName), 4096+20, junk)
	r := mustOpenDir(t, dir, Options{ReadOnly: true})
	res, err := r.Verify()
	if err != nil || !res.OK() || len(res.Notes) != 1 || !strings.Contains(findings(res), "header page 1 does not verify") {
		t.Errorf("Verify with meta page 1 scribbled = %+v, %v; want OK with a note", res, err)
	}
	mustOpenDir(t, dir, Options{}) // the kiosk starts

	dir = copyLedger(t, seed)
	path := filepath.Join(dir, dbName)
	scribble(t, path, 20, junk)
	scribble(t, path, 4096+20, junk)
	_, err = Open(dir, Options{Location: shanghai})
	wantDamaged(t, "Open with both header pages scribbled", err, path, "neither of its two header pages")
}

// TestSkeletonCheckOfABigLedger: above fullCheckSize the kiosk reads only
// the skeleton at start. It still finds a damaged branch page of the sales
// and any damaged page of the small buckets; a damaged leaf of the sales
// is found by the read that needs it (ErrDamaged) and by Verify.
func TestSkeletonCheckOfABigLedger(t *testing.T) {
	seed := seedLedger(t)
	saved := fullCheckSize
	fullCheckSize = 0 // every ledger is big
	t.Cleanup(func() { fullCheckSize = saved })
	path := filepath.Join(seed, dbName)
	_, ps := dataEnd(t, path)
	branch, leaf := bucketPages(t, path, bucketSales)

	dir := copyLedger(t, seed)
	scribble(t, filepath.Join(dir, dbName), int64(branch)*ps+16, []byte("not a branch element, not at all"))
	_, err := Open(dir, Options{Location: shanghai})
	wantDamaged(t, "Open with a sales branch page scribbled", err, filepath.Join(dir, dbName), fmt.Sprintf("page %d", branch))

	dir = copyLedger(t, seed)
	scribble(t, filepath.Join(dir, dbName), int64(leaf)*ps+16, []byte("not a leaf element, not at all.."))
	s := mustOpenDir(t, dir, Options{}) // the skeleton does not read the sales' leaves
	var failed int
	for _, err := range readEverything(s) {
		if errors.Is(err, ErrDamaged) {
			failed++
		}
	}
	if res, err := s.Verify(); err != nil || !res.Damaged || failed == 0 {
		t.Errorf("Verify = %+v, %v, %d reads failed; want the damaged leaf found", res, err, failed)
	}
}

// bucketPages returns the root page of the bucket, which must be a
// branch, and the last leaf under it, read from the root's last entry.
func bucketPages(tb testing.TB, path string, bucket []byte) (branch, leaf int) {
	tb.Helper()
	db, err := bolt.Open(path, dbMode, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		branch = int(tx.Bucket(bucket).Root())
		p, err := tx.Page(branch)
		if err != nil || p.Type != "branch" {
			return fmt.Errorf("the root of %s is %+v, %v; want a branch", bucket, p, err)
		}
		// The last entry: the skeleton check reads the first leaf of a
		// big bucket to learn how deep its leaves are.
		entry := make([]byte, elementSize)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		last := int64(pageHeaderSize + (p.Count-1)*elementSize)
		if _, err := f.ReadAt(entry, int64(branch)*int64(db.Info().PageSize)+last); err != nil {
			return err
		}
		leaf = int(ne.Uint64(entry[8:]))
		if p, err := tx.Page(leaf); err != nil || p.Type != "leaf" {
			return fmt.Errorf("page %d under the root of %s is %+v, %v; want a leaf", leaf, bucket, p, err)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return branch, leaf
}

// TestMissingLedgerIsRefused: a directory that has held a ledger does not
// silently get an empty one, which would number receipts from 0001 again.
func TestMissingLedgerIsRefused(t *testing.T) {
	seed := seedLedger(t)
	for _, tt := range []struct {
		name   string
		damage func(dir string) error
		want   string
	}{
		{"deleted", func(dir string) error { return os.Remove(filepath.Join(dir, dbName)) }, "is missing"},
		{"emptied", func(dir string) error { return os.Truncate(filepath.Join(dir, dbName), 0) }, "is empty"},
		{"deleted with its marker, lock left", func(dir string) error {
			// A directory from before the marker has only the lock to show.
			return errors.Join(os.Remove(filepath.Join(dir, dbName)), os.Remove(filepath.Join(dir, markerName)))
		}, "kiosk.lock shows"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyLedger(t, seed)
			if err := tt.damage(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, Options{Location: shanghai})
			if !errors.Is(err, ErrLedgerMissing) || !strings.Contains(err.Error(), filepath.Join(dir, dbName)) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open = %v; want ErrLedgerMissing naming the file and saying %q", err, tt.want)
			}
			if size, _ := fileStat(filepath.Join(dir, dbName)); size > 0 {
				t.Errorf("the refused Open wrote a ledger of %d bytes", size)
			}
			// The manager says so: a new ledger, numbered from 1.
			s := mustOpenDir(t, dir, Options{NewLedger: true})
			mustCreate(t, s, newSale("N1", 100, at(17, 9, 0, 0)))
			if sale := mustPay(t, s, "N1", at(17, 9, 0, 5)); sale.ReceiptNo != 1 {
				t.Errorf("receipt in the new ledger = %d, want 1", sale.ReceiptNo)
			}
		})
	}
}

// TestLedgerGoneUnderTheKiosk: a ledger removed with its marker while the
// kiosk runs is refused at the next write, with the running kiosk as what
// shows it was there (Evidence ""), not a new empty ledger.
func TestLedgerGoneUnderTheKiosk(t *testing.T) {
	dir := copyLedger(t, seedLedger(t))
	s := mustOpenDir(t, dir, Options{})
	if err := errors.Join(os.Remove(filepath.Join(dir, dbName)), os.Remove(filepath.Join(dir, markerName))); err != nil {
		t.Fatal(err)
	}
	err := s.Create(newSale("GONE", 100, at(17, 10, 0, 0)))
	me, ok := errors.AsType[*MissingError](err)
	if !ok || me.Evidence != "" || !strings.Contains(err.Error(), "but the running kiosk shows") {
		t.Errorf("Create on a ledger gone = %v (%+v); want a MissingError without a file as evidence", err, me)
	}
}

// TestReaderOfAMissingLedger: the managers' tools say the ledger is
// missing rather than show an empty day.
func TestReaderOfAMissingLedger(t *testing.T) {
	dir := copyLedger(t, seedLedger(t))
	if err := os.Remove(filepath.Join(dir, dbName)); err != nil {
		t.Fatal(err)
	}
	r := mustOpenDir(t, dir, Options{ReadOnly: true})
	if _, err := r.Day("2024-05-12"); !errors.Is(err, ErrLedgerMissing) {
		t.Errorf("Day = %v, want ErrLedgerMissing", err)
	}
	if res, err := r.Verify(); err != nil || !res.Damaged || !strings.Contains(findings(res), "is missing") {
		t.Errorf("Verify = %v, %v; want the missing file reported", res, err)
	}
}

// TestNewLedgerNeverReplacesData: --new-ledger starts a ledger only where
// there is none; an existing one is used as it is.
func TestNewLedgerNeverReplacesData(t *testing.T) {
	dir := copyLedger(t, seedLedger(t))
	s := mustOpenDir(t, dir, Options{NewLedger: true})
	if got := mustGet(t, s, "KT1_00000"); got.ReceiptNo == 0 {
		t.Errorf("the existing ledger lost its sale: %+v", got)
	}
}

// TestMarkerWrittenOnce: the first kiosk on a directory marks it.
func TestMarkerWrittenOnce(t *testing.T) {
	dir := t.TempDir()
	mustOpenDir(t, dir, Options{}).Close()
	b, err := os.ReadFile(filepath.Join(dir, markerName))
	if err != nil || !strings.Contains(string(b), "--new-ledger") {
		t.Fatalf("marker: %q, %v", b, err)
	}
	if err := os.Remove(filepath.Join(dir, dbName)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{Location: shanghai}); !errors.Is(err, ErrLedgerMissing) {
		t.Errorf("Open after removing the ledger = %v, want ErrLedgerMissing", err)
	}
}

// FuzzDamagedLedger writes bytes anywhere into a ledger: the checks, the
// kiosk's start and every read must report what they find, never panic or
// fault.
func FuzzDamagedLedger(f *testing.F) {
	seed := seedLedger(f)
	template, err := os.ReadFile(filepath.Join(seed, dbName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint32(2*4096+16), []byte("\xff\xff\xff\xff\x00\x00\x00\x10"))
	f.Add(uint32(40), []byte{0xff, 0xff, 0xff, 0xff})
	f.Add(uint32(5*4096+8), []byte{0x01, 0x00, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, off uint32, junk []byte) {
		data := append([]byte(nil), template...)
		copy(data[int(off)%len(data):], junk)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, dbName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, depth := range []walkDepth{walkAll, walkSkeleton} {
			_, _, _ = walkFile(filepath.Join(dir, dbName), depth)
		}
		readEverything(mustOpenDir(t, dir, Options{ReadOnly: true}))
		if s, err := Open(dir, Options{Location: shanghai}); err == nil {
			_ = s.Create(newSale("FUZZ", 100, at(17, 9, 0, 0)))
			_, _, _ = s.MarkPaid("KT1_00001", Payment{TradeNo: "T"})
			readEverything(s)
			_ = s.Close()
		}
	})
}

// TestHeaderPagesOfAnotherVersionOrChecksum: a ledger whose two header
// pages are in bbolt's format but give another file format version, or
// whose checksums do not match, is refused as damaged with that fact (the
// version it gives), not as a file with no valid header at all.
func TestHeaderPagesOfAnotherVersionOrChecksum(t *testing.T) {
	seed := seedLedger(t)
	for _, tt := range []struct {
		name string
		at   int64 // offset in each header page
		junk []byte
		want CheckProblem
		says string
	}{
		{"another version", metaOffset + 4, ne.AppendUint32(nil, 3), CheckProblem{Kind: CheckHeadVersion, Count: 3}, "file format version 3"},
		{"checksums", metaOffset + 56, []byte{0xde, 0xad}, CheckProblem{Kind: CheckHeadChecksum}, "checksums of both its header pages"},
	} {
		dir := copyLedger(t, seed)
		path := filepath.Join(dir, dbName)
		scribble(t, path, tt.at, tt.junk)
		scribble(t, path, 4096+tt.at, tt.junk)
		_, err := Open(dir, Options{Location: shanghai})
		var de *DamageError
		if !errors.As(err, &de) || de.Check.Kind != tt.want.Kind || de.Check.Count != tt.want.Count {
			t.Errorf("%s: Open = %v; want a *DamageError of %+v", tt.name, err, tt.want)
		}
		wantDamaged(t, tt.name, err, path, tt.says)
	}
}
