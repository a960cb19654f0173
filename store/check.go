package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CheckResult is what Verify found in a ledger.
type CheckResult struct {
	Path              string
	Size              int64 // bytes of ledger.db; 0 when there is none yet
	Sales             int
	Days              int    // dates with at least one sale
	FirstDay, LastDay string // "" when there are no sales
	Unsettled         int    // sales pending or unknown
	RefundsInFlight   int    // sales with a refund requested or unknown
	ZReports          int
	LastZ             int            // the number of the last Z report
	PINSet            bool           // a manager PIN is set
	Took              time.Duration  // how long the check ran
	Problems          []CheckProblem // empty when the ledger is sound
	// Omitted counts the problems found beyond the first maxProblems.
	Omitted int
	// Damaged means the file itself is damaged or missing: Problems say
	// how, and the ledger's own rules were not checked.
	Damaged bool
	// Notes are findings that are not problems, such as a header page
	// bbolt recovers from on its own.
	Notes []CheckProblem
}

// OK reports whether the check found no problem.
func (r CheckResult) OK() bool { return len(r.Problems) == 0 }

// maxProblems caps the problems a CheckResult lists.
const maxProblems = 100

// checkBatch is how many entries Verify reads per transaction. Each batch
// holds bbolt's shared lock, which stalls the kiosk's next write, for a few
// tens of milliseconds at most. A variable for tests.
var checkBatch = 5000

// Check verifies the ledger as Verify does and returns nil when it is
// sound, or an error listing every problem found. It works on a read-only
// Store, alongside a running kiosk.
func (s *Store) Check() error {
	r, err := s.Verify()
	if err != nil {
		return err
	}
	if !r.OK() {
		return fmt.Errorf("check %s: %d problem(s):\n%w", s.path, len(r.Problems)+r.Omitted,
			errors.New(strings.Join(problemTexts(r.Problems), "\n")))
	}
	return nil
}

// Verify checks the whole file's structure and runs bbolt's consistency
// check, then checks the ledger's own rules: every sale decodes and is
// listed under its day and no other, the indexes agree with the sales,
// refunds add up, each day's receipt numbers run from 1 to its counter,
// each issued and listed once, and Z reports are numbered
// 1, 2, 3... without gaps. Problems go in the result; the error reports a
// failure to check at all. It only reads, so it works on a read-only Store
// alongside a running kiosk: first the structure of the file is checked
// (walkFile) and then bbolt's own check runs, each in one read
// transaction, which in a ledger of a million sales (1.5 GB) lasted 0.5 to
// 2.5 s on the development machine and delays the kiosk's writes as long
// (see the package documentation); the rest runs in short batches. A file
// whose structure is damaged goes no further (CheckResult.Damaged).
func (s *Store) Verify() (CheckResult, error) {
	start := time.Now()
	r := CheckResult{Path: s.path}
	if fi, err := os.Stat(s.path); err == nil {
		r.Size = fi.Size()
	}
	if sound, err := s.verifyPages(&r); err != nil || !sound {
		r.Took = time.Since(start)
		return r, err
	}
	v := verifier{s: s, res: &r, issued: map[string][]bool{}, listed: map[string][]bool{}}
	err := s.view(func(tx *bolt.Tx) error {
		// Drain the channel inside the transaction: the checker reads its pages.
		for p := range tx.Check() {
			v.problem(CheckProblem{Kind: CheckBbolt, Detail: p.Error()})
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				v.problem(CheckProblem{Kind: CheckNoBucket, Bucket: string(name)})
				v.broken = v.broken || slices.ContainsFunc(coreBuckets, func(c []byte) bool { return bytes.Equal(c, name) })
			}
		}
		return nil
	})
	if err == nil && !v.broken {
		err = v.run()
	}
	if err != nil {
		return CheckResult{}, fmt.Errorf("check ledger: %w", err)
	}
	r.Took = time.Since(start)
	return r, nil
}

// verifyPages checks the structure of the whole file (walkFile) in a read
// transaction of its own, so that no kiosk write changes it meanwhile. A
// file that is damaged or missing goes into r as Damaged; sound is true
// when the rest of Verify may read the file through bbolt. bbolt's own
// check runs in a goroutine where a fault on a damaged page would kill the
// process, so it runs only on a file this check passed.
func (s *Store) verifyPages(r *CheckResult) (sound bool, err error) {
	var problems []CheckProblem
	err = s.view(func(*bolt.Tx) error {
		var err error
		problems, r.Notes, err = walkFile(s.path, walkAll)
		return err
	})
	var de *DamageError
	var me *MissingError
	switch {
	case errors.As(err, &de):
		problems = []CheckProblem{de.Check}
	case errors.As(err, &me):
		problems = []CheckProblem{me.problem()}
	case err != nil:
		return false, fmt.Errorf("check ledger: %w", err)
	}
	if len(problems) == 0 {
		return true, nil
	}
	r.Damaged, r.Problems = true, problems
	return false, nil
}

// innermost is the error at the end of err's chain.
func innermost(err error) error {
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(err) {
		err = inner
	}
	return err
}

// problemTexts are the problems in English.
func problemTexts(ps []CheckProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// coreBuckets are those of the first ledgers; without them the ledger's
// own rules are not checked. The later ones are created by the kiosk when
// it starts, and reads treat them as empty until then.
var coreBuckets = [][]byte{bucketSales, bucketDays, bucketReceipts, bucketOpen}

// verifier carries Verify's state across its batches.
type verifier struct {
	s        *Store
	res      *CheckResult
	broken   bool              // a core bucket is missing
	counters map[string]uint64 // date -> receipt counter, as the check began
	issued   map[string][]bool // date of PaidAt -> receipt numbers held by sales
	listed   map[string][]bool // date listed under -> receipt numbers listed
	lastDate string
	zSeen    []int // numbers of the Z reports
}

func (v *verifier) problem(p CheckProblem) {
	if len(v.res.Problems) < maxProblems {
		v.res.Problems = append(v.res.Problems, p)
	} else {
		v.res.Omitted++
	}
}

func (v *verifier) run() error {
	if err := v.readCounters(); err != nil {
		return err
	}
	steps := []struct {
		bucket []byte
		fn     func(tx *bolt.Tx, k, val []byte)
	}{
		{bucketSales, v.sale},
		{bucketDays, v.dayEntry},
		{bucketOpen, v.openEntry},
		{bucketRefunding, v.refundingEntry},
		{bucketUnprinted, v.unprintedEntry},
		{bucketRefunds, v.refundEntry},
		{bucketZReports, v.zEntry},
	}
	for _, st := range steps {
		if err := v.s.scan(st.bucket, checkBatch, st.fn); err != nil {
			return fmt.Errorf("scan %s: %w", st.bucket, err)
		}
	}
	v.zNumbers()
	v.receiptGaps()
	return v.s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketSettings); b != nil {
			v.res.PINSet = b.Get(keyPINHash) != nil
		}
		return nil
	})
}

// readCounters takes the receipt counters of every day, one entry a day,
// before the sales are read. Every number up to a counter read here was
// issued, with its sale's payment, before the check began, so a number no
// sale holds is a gap and not a payment the kiosk records meanwhile.
func (v *verifier) readCounters() error {
	v.counters = map[string]uint64{}
	return v.s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReceipts).ForEach(func(k, val []byte) error {
			if len(val) != 8 {
				v.problem(CheckProblem{Kind: CheckCounterMalformed, Date: string(k)})
				return nil
			}
			v.counters[string(k)] = binary.BigEndian.Uint64(val)
			return nil
		})
	})
}

// scan calls fn for every entry of bucket, batch entries per read
// transaction, resuming after the last key seen. Entries written between
// batches behind the cursor are not visited; the kiosk only adds to the
// ledger, so this misses recent changes but reports nothing false.
func (s *Store) scan(bucket []byte, batch int, fn func(tx *bolt.Tx, k, v []byte)) error {
	var after []byte
	for {
		more := false
		err := s.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucket)
			if b == nil {
				return nil
			}
			c := b.Cursor()
			k, val := c.First()
			if after != nil {
				k, val = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, val = c.Next()
				}
			}
			for n := 0; k != nil; k, val = c.Next() {
				if n == batch {
					more = true
					return nil
				}
				fn(tx, k, val)
				after = append(after[:0], k...)
				n++
			}
			return nil
		})
		if err != nil || !more {
			return err
		}
	}
}

func (v *verifier) sale(tx *bolt.Tx, k, val []byte) {
	r := v.res
	var sale Sale
	if err := json.Unmarshal(val, &sale); err != nil {
		v.problem(CheckProblem{Kind: CheckSaleUndecodable, Key: string(k), Detail: err.Error(), Decode: DecodeFaultOf(err, len(val))})
		return
	}
	v.s.localize(&sale)
	no := sale.OutTradeNo
	r.Sales++
	switch {
	case no != string(k):
		v.problem(CheckProblem{Kind: CheckSaleMisfiled, Key: string(k), Sale: no})
	case !sale.Status.Valid():
		v.problem(CheckProblem{Kind: CheckSaleStatus, Sale: no, Value: string(sale.Status)})
	case !sale.Method.Valid():
		v.problem(CheckProblem{Kind: CheckSaleMethod, Sale: no, Value: string(sale.Method)})
	case sale.AmountFen <= 0:
		v.problem(CheckProblem{Kind: CheckSaleAmount, Sale: no, Fen: sale.AmountFen})
	}
	listedOn := v.listing(tx, sale)
	if open := tx.Bucket(bucketOpen).Get(k) != nil; open != sale.Open() {
		v.problem(CheckProblem{Kind: CheckOpenIndex, Sale: no, Status: sale.Status})
	}
	if sale.Open() {
		r.Unsettled++
	}
	if sale.refundInFlight() {
		r.RefundsInFlight++
	}
	if b := tx.Bucket(bucketRefunding); b != nil && (b.Get(k) != nil) != sale.refundInFlight() {
		v.problem(CheckProblem{Kind: CheckRefundingIndex, Sale: no})
	}
	if b := tx.Bucket(bucketUnprinted); b != nil && (b.Get(k) != nil) != sale.ReceiptUnprinted {
		v.problem(CheckProblem{Kind: CheckUnprintedIndex, Sale: no})
	}
	v.saleRefunds(sale)
	v.saleReceipt(tx, sale, listedOn)
}

// listing checks that the sale is listed under its day, the day of its
// LedgerTime, and nowhere else, and returns the days it is listed under.
// Ledgers written before sales paid after midnight moved to the day of
// their payment list them under the day they were created.
func (v *verifier) listing(tx *bolt.Tx, sale Sale) []string {
	days := tx.Bucket(bucketDays)
	date, created := v.s.DateOf(sale.LedgerTime()), v.s.DateOf(sale.CreatedAt)
	var on []string
	if days.Get(dayKey(date, sale.CreatedAt, sale.OutTradeNo)) != nil {
		on = append(on, date)
	} else {
		v.problem(CheckProblem{Kind: CheckNotInDay, Sale: sale.OutTradeNo, Date: date})
	}
	if created != date && days.Get(dayKey(created, sale.CreatedAt, sale.OutTradeNo)) != nil {
		on = append(on, created)
		v.problem(CheckProblem{Kind: CheckListedOnCreation, Sale: sale.OutTradeNo, Date: date, Receipt: sale.ReceiptNo, OtherDate: created})
	}
	return on
}

func (v *verifier) saleRefunds(sale Sale) {
	var done, counted int64
	seen := map[string]bool{}
	for _, rf := range sale.Refunds {
		if seen[rf.OutRequestNo] {
			v.problem(CheckProblem{Kind: CheckRefundTwice, Sale: sale.OutTradeNo, Refund: rf.OutRequestNo})
		}
		seen[rf.OutRequestNo] = true
		if rf.Status == RefundDone {
			done += rf.Fen
		}
		if rf.Status.Counts() {
			counted += rf.Fen
		}
	}
	switch {
	case done != sale.RefundedFen:
		v.problem(CheckProblem{Kind: CheckRefundedSum, Sale: sale.OutTradeNo, Fen: sale.RefundedFen, OtherFen: done})
	case counted > sale.AmountFen:
		v.problem(CheckProblem{Kind: CheckRefundsExceed, Sale: sale.OutTradeNo, Fen: counted, OtherFen: sale.AmountFen})
	case sale.Status == StatusPaid && len(sale.Refunds) > 0 && done == sale.AmountFen:
		v.problem(CheckProblem{Kind: CheckRefundedButPaid, Sale: sale.OutTradeNo})
	}
}

// saleReceipt checks the sale's receipt number: that a sale that was paid
// has one, that it is within its day's counter, and that no other sale has
// it, neither on the day it was issued nor in the listing of a day.
func (v *verifier) saleReceipt(tx *bolt.Tx, sale Sale, listedOn []string) {
	// A refunded sale may have none: a cancel that refunded a payment
	// made at the last second settles it before a receipt was issued.
	paid := sale.Status == StatusPaid || sale.Status == StatusRefunded
	switch {
	case sale.Status == StatusPaid && (sale.ReceiptNo <= 0 || sale.PaidAt.IsZero()):
		v.problem(CheckProblem{Kind: CheckPaidNoReceipt, Sale: sale.OutTradeNo, Status: sale.Status})
		return
	case sale.ReceiptNo != 0 && sale.PaidAt.IsZero():
		v.problem(CheckProblem{Kind: CheckReceiptNoPaidAt, Sale: sale.OutTradeNo, Receipt: sale.ReceiptNo})
		return
	case sale.ReceiptNo == 0:
		return
	case !paid && sale.Status != StatusUnknown:
		// Unknown keeps the receipt of a payment whose cancel went unanswered.
		v.problem(CheckProblem{Kind: CheckReceiptNotPaid, Sale: sale.OutTradeNo, Status: sale.Status, Receipt: sale.ReceiptNo})
	}
	date := v.s.DateOf(sale.PaidAt)
	var last uint64
	if c := tx.Bucket(bucketReceipts).Get([]byte(date)); len(c) == 8 {
		last = binary.BigEndian.Uint64(c)
	}
	if uint64(sale.ReceiptNo) > last {
		v.problem(CheckProblem{Kind: CheckBeyondCounter, Sale: sale.OutTradeNo, Receipt: sale.ReceiptNo, Date: date, Limit: int(last)})
	}
	twice := mark(v.issued, date, sale.ReceiptNo)
	if twice {
		v.problem(CheckProblem{Kind: CheckReceiptTwice, Receipt: sale.ReceiptNo, Date: date, Sale: sale.OutTradeNo})
	}
	for _, on := range listedOn {
		if mark(v.listed, on, sale.ReceiptNo) && (on != date || !twice) {
			v.problem(CheckProblem{Kind: CheckListedTwice, Date: on, Receipt: sale.ReceiptNo, Sale: sale.OutTradeNo})
		}
	}
}

// mark records number n under date in seen and reports whether it was
// there already.
func mark(seen map[string][]bool, date string, n int) bool {
	s := seen[date]
	if len(s) <= n {
		s = append(s, make([]bool, n+1-len(s))...)
		seen[date] = s
	}
	was := s[n]
	s[n] = true
	return was
}

// receiptGaps reports the numbers up to each day's counter (as the check
// began) that no sale holds: receipts are numbered without gaps.
func (v *verifier) receiptGaps() {
	dates := make([]string, 0, len(v.counters))
	for d := range v.counters {
		dates = append(dates, d)
	}
	slices.Sort(dates)
	for _, date := range dates {
		var missing []int
		seen := v.issued[date]
		for n := 1; uint64(n) <= v.counters[date]; n++ {
			if n >= len(seen) || !seen[n] {
				missing = append(missing, n)
			}
		}
		switch {
		case len(missing) > 5:
			v.problem(CheckProblem{Kind: CheckReceiptGapsMany, Date: date, Count: len(missing), Limit: int(v.counters[date]), Receipts: missing[:5]})
		case len(missing) > 0:
			v.problem(CheckProblem{Kind: CheckReceiptGaps, Date: date, Receipts: missing, Limit: int(v.counters[date])})
		}
	}
}

func (v *verifier) dayEntry(tx *bolt.Tx, k, _ []byte) {
	i := bytes.IndexByte(k, 0)
	if i < 0 || len(k) <= i+1+8 {
		v.problem(CheckProblem{Kind: CheckDayKeyMalformed, Key: string(k)})
		return
	}
	date, no := string(k[:i]), string(k[i+1+8:])
	created := time.Unix(0, int64(binary.BigEndian.Uint64(k[i+1:])))
	if v.s.DateOf(created) != date {
		// Listed under a day other than its creation's: it must have
		// been paid, with a receipt, on that day.
		if sale, err := v.s.load(tx, no); err == nil && v.s.DateOf(sale.LedgerTime()) != date {
			v.problem(CheckProblem{Kind: CheckDayWrongDate, Date: date, Sale: no, OtherDate: v.s.DateOf(sale.LedgerTime())})
		}
	}
	if date != v.lastDate {
		if v.res.Days == 0 {
			v.res.FirstDay = date
		}
		v.res.Days++
		v.res.LastDay, v.lastDate = date, date
	}
	v.entry(tx, CheckProblem{Kind: CheckDayOrphan, Date: date, Sale: no})
}

func (v *verifier) openEntry(tx *bolt.Tx, k, _ []byte) {
	v.entry(tx, CheckProblem{Kind: CheckOpenOrphan, Sale: string(k)})
}

func (v *verifier) refundingEntry(tx *bolt.Tx, k, _ []byte) {
	v.entry(tx, CheckProblem{Kind: CheckRefundingOrphan, Sale: string(k)})
}

func (v *verifier) unprintedEntry(tx *bolt.Tx, k, _ []byte) {
	v.entry(tx, CheckProblem{Kind: CheckUnprintedOrphan, Sale: string(k)})
}

func (v *verifier) refundEntry(tx *bolt.Tx, k, val []byte) {
	no := string(val)
	i := bytes.IndexByte(k, 0)
	rest := k[i+1:]
	if i < 0 || len(rest) < 8+len(no)+1 || string(rest[8:8+len(no)]) != no || rest[8+len(no)] != 0 {
		v.problem(CheckProblem{Kind: CheckRefundKeyMalformed, Key: string(k)})
		return
	}
	reqNo := string(rest[8+len(no)+1:])
	sale, err := v.s.load(tx, no)
	switch {
	case errors.Is(err, ErrNotFound):
		v.problem(CheckProblem{Kind: CheckRefundIndexOrphan, Refund: reqNo, Sale: no})
		return
	case err != nil:
		// The decoder's words; the sale itself is CheckSaleUndecodable.
		var fault DecodeFault
		if re, ok := errors.AsType[*RecordError](err); ok {
			fault = re.Fault
		}
		v.problem(CheckProblem{Kind: CheckRefundIndexUnreadable, Refund: reqNo, Sale: no, Detail: innermost(err).Error(), Decode: fault})
		return
	}
	if rf, ok := sale.Refund(reqNo); !ok || rf.Status != RefundDone {
		v.problem(CheckProblem{Kind: CheckRefundIndexNotDone, Refund: reqNo, Sale: no})
	}
}

// entry checks that an index entry names a sale that exists; orphan is
// the problem when it does not.
func (v *verifier) entry(tx *bolt.Tx, orphan CheckProblem) {
	if tx.Bucket(bucketSales).Get([]byte(orphan.Sale)) == nil {
		v.problem(orphan)
	}
}

func (v *verifier) zEntry(_ *bolt.Tx, k, val []byte) {
	if bytes.Equal(k, zCounterKey) {
		if len(val) == 8 {
			v.res.LastZ = int(binary.BigEndian.Uint64(val))
		} else {
			v.problem(CheckProblem{Kind: CheckZCounterMalformed})
		}
		return
	}
	var rj reportJSON
	if err := json.Unmarshal(val, &rj); err != nil {
		v.problem(CheckProblem{Kind: CheckZUndecodable, Key: string(k), Detail: err.Error(), Decode: DecodeFaultOf(err, len(val))})
		return
	}
	if rj.Date != string(k) || rj.Kind != ReportZ {
		v.problem(CheckProblem{Kind: CheckZMisfiled, Key: string(k), Value: string(rj.Kind), Date: rj.Date})
	}
	v.res.ZReports++
	v.zSeen = append(v.zSeen, rj.Number)
}

// zNumbers checks that the Z reports are numbered 1 to the counter, each once.
func (v *verifier) zNumbers() {
	seen := make(map[int]bool, len(v.zSeen))
	for _, n := range v.zSeen {
		switch {
		case n < 1 || n > v.res.LastZ:
			v.problem(CheckProblem{Kind: CheckZOutside, Number: n, Limit: v.res.LastZ})
		case seen[n]:
			v.problem(CheckProblem{Kind: CheckZTwice, Number: n})
		}
		seen[n] = true
	}
	if missing := v.res.LastZ - len(seen); missing > 0 {
		v.problem(CheckProblem{Kind: CheckZMissing, Count: missing, Limit: v.res.LastZ})
	}
}
