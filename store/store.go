package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket names; see the package documentation for their keys and values.
var (
	bucketSales     = []byte("sales")
	bucketDays      = []byte("days")
	bucketReceipts  = []byte("receipts")
	bucketOpen      = []byte("open")
	bucketRefunds   = []byte("refunds")   // done refunds by the date they were done
	bucketRefunding = []byte("refunding") // sales with a refund in flight
	bucketZReports  = []byte("zreports")
	bucketSettings  = []byte("settings")

	allBuckets = [][]byte{
		bucketSales, bucketDays, bucketReceipts, bucketOpen,
		bucketRefunds, bucketRefunding, bucketZReports, bucketSettings,
		bucketUnprinted,
	}
)

const (
	dbName     = "ledger.db"
	lockName   = "kiosk.lock"
	markerName = "ledger.marker" // written once the ledger exists; see heldLedger
	dbMode     = 0o600           // sales are the shop's business, not the machine's
)

// fullCheckSize is the largest ledger.db a kiosk reads in full when it
// opens it; a bigger one has its skeleton read (see checkAtStart). A
// variable for tests.
var fullCheckSize int64 = 64 << 20

// DefaultTimeout is how long an operation waits for bbolt's file lock when
// Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

var (
	// ErrNotFound means no sale has the given out_trade_no.
	ErrNotFound = errors.New("store: sale not found")
	// ErrExists means Create was given an out_trade_no that is already recorded.
	ErrExists = errors.New("store: sale already exists")
	// ErrLocked means another kiosk has the ledger directory open for writing.
	ErrLocked = errors.New("store: ledger is in use by another kiosk")
	// ErrTransition means a sale may not move from its status to the one asked for.
	ErrTransition = errors.New("store: status change not allowed")
	// ErrInvalidSale means Create was given a sale that cannot be recorded.
	ErrInvalidSale = errors.New("store: invalid sale")
	// ErrBadDate means a date is not of the form YYYY-MM-DD.
	ErrBadDate = errors.New("store: malformed date")
	// ErrReadOnly means a write was attempted on a Store opened read-only.
	ErrReadOnly = errors.New("store: ledger is open read-only")
	// ErrClosed means the Store was used after Close.
	ErrClosed = errors.New("store: ledger is closed")

	// ErrRefundTooLarge means a refund is not positive or exceeds what is
	// still refundable on its sale.
	ErrRefundTooLarge = errors.New("store: refund too large")
	// ErrNotRefundable means the sale is not paid, so nothing can be refunded.
	ErrNotRefundable = errors.New("store: sale cannot be refunded")
	// ErrRefundNotFound means the sale has no refund with the given out_request_no.
	ErrRefundNotFound = errors.New("store: refund not found")
	// ErrInvalidRefund means RequestRefund was given a refund that cannot be recorded.
	ErrInvalidRefund = errors.New("store: invalid refund")
	// ErrBadRange means a date range is reversed or longer than MaxRangeDays.
	ErrBadRange = errors.New("store: bad date range")
	// ErrFutureDay means CloseDay was asked to close a day that has not begun.
	ErrFutureDay = errors.New("store: day has not begun")
	// ErrDayClosed is wrapped by the *DayClosedError of a sale refused
	// because its day has its Z report.
	ErrDayClosed = errors.New("store: day closed")
	// ErrNoPIN means no manager PIN has been set.
	ErrNoPIN = errors.New("store: no manager PIN is set")
	// ErrPINSet means SetFirstManagerPIN found a PIN already set.
	ErrPINSet = errors.New("store: a manager PIN is already set")
	// ErrWeakPIN means SetManagerPIN was given a PIN that is not 6 to 12
	// digits, or is trivial.
	ErrWeakPIN = errors.New("store: manager PIN too weak")
	// ErrWrongPIN means CheckManagerPIN was given a PIN that does not match.
	ErrWrongPIN = errors.New("store: wrong manager PIN")
	// ErrPINLocked means too many wrong PINs were entered in a row and
	// CheckManagerPIN refuses every PIN for a while.
	ErrPINLocked = errors.New("store: manager PIN locked")
)

// Options configure Open.
type Options struct {
	// Location is the shop's time zone. It decides the day a sale belongs to
	// and the day a receipt number is counted in, and times returned by the
	// Store are expressed in it. The ledger records it (see settleZone) and
	// refuses to open in another one with a *ZoneError. Default: the zone
	// the ledger records, else time.Local.
	Location *time.Location
	// ReadOnly opens the ledger for reading alongside a running kiosk: no
	// lock on the directory is taken and nothing is created.
	ReadOnly bool
	// Beside opens an existing ledger for the manager's changes (a PIN, a
	// refund made outside the kiosk) while a kiosk may be running on it: no
	// lock on the directory is taken and nothing is created. It is safe
	// because the ledger keeps no state outside ledger.db: every change,
	// the kiosk's and this one's, is one bbolt transaction on a freshly
	// opened file, serialised by bbolt's own lock on it. A missing ledger
	// is refused (fs.ErrNotExist, or a *MissingError where one was).
	Beside bool
	// Timeout bounds the wait for bbolt's lock on ledger.db in every
	// operation. Default DefaultTimeout.
	Timeout time.Duration
	// TerminalID names the kiosk in the reports it makes (Report.Terminal).
	// When empty, a report names the terminals of the day's sales.
	TerminalID string
	// NewLedger lets a kiosk start an empty ledger in a directory that has
	// held one whose ledger.db is now missing or empty. Without it, Open
	// refuses with ErrLedgerMissing, because a new ledger numbers receipts
	// from 0001 again. It never replaces a ledger.db that has data.
	NewLedger bool
}

// Store is a ledger directory. Create one with Open and release it with
// Close.
type Store struct {
	dir      string
	path     string
	loc      *time.Location
	readOnly bool
	timeout  time.Duration
	terminal string
	now      func() time.Time // replaced in tests

	pinMu sync.Mutex // serialises CheckManagerPIN's read, hash and write

	mu     sync.Mutex
	lock   *fileLock // held by the kiosk; nil when read-only
	ready  bool      // the ledger is initialised; from now on it must exist
	closed bool
	// held is ledger.db kept open by Hold for the operations it spans,
	// holds the number of Holds running; nil and 0 outside them.
	held     *bolt.DB
	heldFile os.FileInfo // ledger.db as it was when held was opened
	holds    int

	commits atomic.Uint64 // read-write transactions committed; see Commits
	opens   atomic.Uint64 // opens of ledger.db; see Opens
}

// Open opens the ledger in dir. Without ReadOnly the caller becomes the
// directory's only writer: dir and ledger.db are created if needed, and if
// another kiosk already has dir open the error wraps ErrLocked. The writer
// checks ledger.db first (see checkAtStart) and refuses a damaged one with
// a *DamageError (ErrDamaged), and a missing or empty one in a directory
// that has held a ledger with a *MissingError (ErrLedgerMissing) unless
// opts.NewLedger is set. With ReadOnly, dir must exist but need not hold a
// ledger yet, and a damaged ledger is reported by the operations that read it.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: no ledger directory given")
	}
	s := newStore(dir, opts)
	var err error
	switch {
	case s.readOnly:
		err = checkDir(dir)
	case opts.Beside:
		err = s.openBeside()
	default:
		err = s.openWriter(opts.NewLedger)
	}
	if err != nil {
		return nil, err
	}
	if err := s.settleZone(opts.Location != nil); err != nil {
		s.Close()
		return nil, err
	}
	if !s.readOnly && !opts.Beside { // in the zone settled, which decides the days
		if err := s.listByPaymentDay(); err != nil {
			s.Close()
			return nil, fmt.Errorf("open ledger in %s: %w", s.dir, err)
		}
	}
	return s, nil
}

func newStore(dir string, opts Options) *Store {
	s := &Store{
		dir:      dir,
		path:     filepath.Join(dir, dbName),
		loc:      opts.Location,
		readOnly: opts.ReadOnly,
		timeout:  opts.Timeout,
		terminal: opts.TerminalID,
		now:      time.Now,
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	return s
}

func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return &DirError{Dir: dir, Err: err}
	}
	if !fi.IsDir() {
		return &DirError{Dir: dir, NotDir: true}
	}
	return nil
}

// DirError is a ledger directory that could not be opened without being
// made: it is missing or cannot be read (Err, the system's error, which
// errors.Is matches with fs.ErrNotExist or fs.ErrPermission), or it is a
// file (NotDir).
type DirError struct {
	Dir    string
	NotDir bool
	Err    error
}

func (e *DirError) Error() string {
	if e.NotDir {
		return fmt.Sprintf("open ledger: %s is not a directory", e.Dir)
	}
	return fmt.Sprintf("open ledger: %v", e.Err)
}

// Unwrap is the system's error.
func (e *DirError) Unwrap() error { return e.Err }

// openBeside opens a ledger that exists for changes beside a kiosk that
// may hold the directory lock; the kiosk has made the buckets.
func (s *Store) openBeside() error {
	if err := checkDir(s.dir); err != nil {
		return err
	}
	ok, err := s.ledgerExists()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("open ledger: %s: %w", s.path, os.ErrNotExist)
	}
	s.ready = true
	return nil
}

// openWriter takes the directory lock, checks the ledger file, and makes
// sure every bucket exists.
func (s *Store) openWriter(newLedger bool) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("open ledger: %w", err)
	}
	evidence := s.heldLedger(true)
	l, err := acquireLock(filepath.Join(s.dir, lockName))
	if err != nil {
		return fmt.Errorf("open ledger in %s: %w", s.dir, err)
	}
	s.lock = l
	if err := s.checkAtStart(evidence, newLedger); err != nil {
		_ = l.release()
		return err
	}
	if err := s.update(createBuckets); err != nil {
		_ = l.release()
		if isLedgerTrouble(err) {
			return err
		}
		return fmt.Errorf("initialise ledger in %s: %w", s.dir, err)
	}
	s.ready = true
	if err := s.writeMarker(); err != nil {
		_ = l.release()
		return fmt.Errorf("mark the ledger directory %s: %w", s.dir, err)
	}
	return nil
}

// heldLedger names the file that shows the directory has held a ledger,
// or returns "" when nothing does. The marker is written once a ledger
// exists. For a kiosk, the lock file counts too, because kiosks before
// the marker left only that; a reader cannot rely on it, because a kiosk
// starting on an empty directory creates the lock just before the ledger.
func (s *Store) heldLedger(lockCounts bool) string {
	names := []string{markerName}
	if lockCounts {
		names = append(names, lockName)
	}
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(s.dir, name)); err == nil {
			return filepath.Join(s.dir, name)
		}
	}
	return ""
}

// checkAtStart checks ledger.db before a kiosk writes to it. A missing or
// empty file is refused when evidence shows a ledger was there, unless
// newLedger. An existing file must pass walkFile: all of it up to
// fullCheckSize, and above that its skeleton, which in the benchmark
// ledger of a million sales (1.5 GB) is 2.5 % of the pages (37 MB; see
// BENCHMARKS.md for how long it takes). A
// damaged page the skeleton does not cover fails the operation that reads
// it with ErrDamaged, and "kiosk ledger check" finds it.
func (s *Store) checkAtStart(evidence string, newLedger bool) error {
	size, err := fileStat(s.path)
	if err != nil {
		return fmt.Errorf("open ledger: %w", err)
	}
	if size <= 0 {
		if evidence != "" && !newLedger {
			return &MissingError{Path: s.path, Empty: size == 0, Evidence: evidence}
		}
		return nil
	}
	depth := walkSkeleton
	if size <= fullCheckSize {
		depth = walkAll
	}
	w, err := runWalk(s.path, depth)
	switch {
	case err != nil:
		return err
	case len(w.problems) > 0:
		return damagedBy(s.path, w.problems[0], len(w.problems)-1+w.omitted, false)
	}
	return nil
}

// writeMarker records, once, that the directory holds a ledger.
func (s *Store) writeMarker() error {
	path := filepath.Join(s.dir, markerName)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	text := fmt.Sprintf("This directory holds an Alipay kiosk ledger (%s), first opened %s.\n"+
		"If %s is ever missing, restore it from a backup: the kiosk will not start a new\n"+
		"ledger here unless it is run with --new-ledger, because receipt numbers would\n"+
		"start again at 0001.\n", dbName, s.now().In(s.loc).Format(time.RFC3339), dbName)
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := f.WriteString(text)
		return err
	}, true)
}

// isLedgerTrouble reports whether err says the ledger file is damaged or
// missing; such errors name the file and need no more context.
func isLedgerTrouble(err error) bool {
	return errors.Is(err, ErrDamaged) || errors.Is(err, ErrLedgerMissing)
}

func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Dir returns the ledger directory.
func (s *Store) Dir() string { return s.dir }

// Location returns the shop's time zone the Store works in.
func (s *Store) Location() *time.Location { return s.loc }

// DateOf returns the ledger date ("YYYY-MM-DD") of t in the shop's time
// zone, the argument Day expects; DateOf(time.Now()) is today.
func (s *Store) DateOf(t time.Time) string { return t.In(s.loc).Format(dateLayout) }

// Close releases the directory lock. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.held != nil { // a Hold still open: its operations get ErrClosed from now on
		_ = s.held.Close()
		s.held = nil
	}
	if s.lock == nil {
		return nil
	}
	if err := s.lock.release(); err != nil {
		return fmt.Errorf("close ledger in %s: %w", s.dir, err)
	}
	return nil
}

// update runs fn in a read-write transaction on a freshly opened database.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.readOnly:
		return ErrReadOnly
	}
	if s.ready {
		fn = withBuckets(fn)
	}
	if s.heldIsTheLedger() {
		return guard(s.path, func() error { return s.commitIfChanged(s.held, fn) })
	}
	db, err := s.openDB(false)
	if err != nil {
		return err
	}
	return closeAfter(db, guard(s.path, func() error { return s.commitIfChanged(db, fn) }))
}

// Hold keeps ledger.db open until release is called, so that the
// operations made on s meanwhile share one open of the file rather than
// each opening and mapping it afresh (see Options.Beside; an open and its
// close cost more than a read of a sale). It is for a few operations that
// belong together, such as a notification's read of its sale and the
// payment it records: a manager's tool beside the kiosk waits for bbolt's
// lock until release, so nothing slow (the network, a person) may come
// between. Holds may overlap and nest; the file is closed at the last
// release. On a read-only Store, or one whose ledger is not initialised
// yet, nothing is held and release does nothing. If the file cannot be
// opened, err says why and release does nothing.
func (s *Store) Hold() (release func(), err error) {
	if err := s.hold(); err != nil {
		return func() {}, err
	}
	var once sync.Once
	return func() { once.Do(s.release) }, nil
}

func (s *Store) hold() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.readOnly || !s.ready:
		s.holds++ // released like any other
		return nil
	case s.held == nil:
		db, err := s.openDB(false)
		if err != nil {
			return err
		}
		info, err := os.Stat(s.path)
		if err != nil {
			_ = db.Close()
			return fileFault(s.path, err)
		}
		s.held, s.heldFile = db, info
	}
	s.holds++
	return nil
}

// heldIsTheLedger reports whether a Hold has the file open and that file
// is still the directory's ledger.db. One removed or replaced meanwhile
// is not used: the operation opens the path afresh, and is refused or
// reads the new file as it would be without the Hold. The caller holds
// s.mu.
func (s *Store) heldIsTheLedger() bool {
	if s.held == nil {
		return false
	}
	now, err := os.Stat(s.path)
	if err != nil {
		return false
	}
	return os.SameFile(now, s.heldFile)
}

func (s *Store) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holds--; s.holds == 0 && s.held != nil {
		_ = s.held.Close() // a read-write close writes nothing: every change was committed
		s.held = nil
	}
}

// commitIfChanged runs fn in a read-write transaction, and commits it only
// if fn changed something: a write that changes nothing (a payment
// recorded again, a status the sale already has, buckets that exist)
// commits nothing. bbolt commits even an empty transaction, writing the
// freelist and the meta page with two fdatasyncs. It saves only the nodes
// a transaction materialised, and every change (Put, Delete, a bucket
// created or deleted, a sequence set) materialises the node it changes,
// so a transaction that materialised none has nothing to save and is
// rolled back. As in bolt's Update, an error or a panic in fn rolls it
// back.
func (s *Store) commitIfChanged(db *bolt.DB, fn func(*bolt.Tx) error) error {
	tx, err := db.Begin(true)
	if err != nil {
		return fileFault(s.path, err)
	}
	defer func() {
		if tx.DB() != nil { // still open: fn failed or panicked, or so did the commit
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if stats := tx.Stats(); stats.GetNodeCount() == 0 {
		return tx.Rollback()
	}
	if err := tx.Commit(); err != nil {
		return fileFault(s.path, err)
	}
	s.commits.Add(1)
	return nil
}

// Commits is the number of read-write transactions this Store has
// committed since Open, each one bbolt commit (two fdatasyncs): one per
// change of the ledger, none for a write that changed nothing.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// Opens is the number of times this Store has opened ledger.db since Open:
// one per operation, or one for all the operations a Hold spans.
func (s *Store) Opens() uint64 { return s.opens.Load() }

// openDB opens ledger.db for one transaction. Before bbolt maps the file,
// its head is checked (readHead), so that bbolt never maps a file shorter
// than its data; and bbolt's open runs under guard. Once the ledger is
// initialised, a writer never creates the file: a missing file means
// someone removed or moved it, and quietly starting an empty ledger would
// reissue receipt numbers.
func (s *Store) openDB(readOnly bool) (*bolt.DB, error) {
	create := !readOnly && !s.ready
	var file *os.File
	opts := &bolt.Options{ReadOnly: readOnly, Timeout: s.timeout}
	opts.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		if !create {
			flag &^= os.O_CREATE
		}
		f, err := os.OpenFile(name, flag, perm)
		if errors.Is(err, os.ErrNotExist) && !readOnly && !create {
			return nil, &MissingError{Path: s.path, Evidence: s.heldLedger(false)}
		}
		if err != nil {
			return nil, err
		}
		if err := s.checkHead(f, create); err != nil {
			_ = f.Close()
			return nil, err
		}
		file = f
		return f, nil
	}
	var db *bolt.DB
	s.opens.Add(1)
	err := guard(s.path, func() (err error) {
		db, err = bolt.Open(s.path, dbMode, opts)
		return err
	})
	switch {
	case err == nil:
		return db, nil
	case db == nil && file != nil && errors.Is(err, ErrDamaged):
		// bolt.Open panicked and left the file open, and with it bbolt's lock.
		_ = file.Close()
	}
	if isLedgerTrouble(err) {
		return nil, err
	}
	return nil, fileFault(s.path, fmt.Errorf("open %s: %w", s.path, err))
}

// checkHead checks the head of the ledger file f just opened: cheap (two
// small reads), and enough to keep bbolt inside the file.
func (s *Store) checkHead(f *os.File, create bool) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		if create {
			return nil // bbolt writes a new ledger's first pages
		}
		return &MissingError{Path: s.path, Empty: true, Evidence: s.heldLedger(false)}
	}
	_, err = readHead(s.path, f, fi.Size())
	return err
}

// withBuckets makes fn fail, instead of panic, on a database that is not a
// ledger.
func withBuckets(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return &NoBucketError{Path: tx.DB().Path(), Bucket: string(name)}
			}
		}
		return fn(tx)
	}
}

// view runs fn in a read-only transaction on a freshly opened database. When
// there is no database yet, fn is not called and view returns nil: an
// absent ledger reads as an empty one, unless the directory has held a
// ledger (*MissingError).
func (s *Store) view(fn func(*bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.heldIsTheLedger() {
		return guard(s.path, func() error { return s.held.View(fn) })
	}
	if exists, err := s.ledgerExists(); !exists {
		return err
	}
	db, err := s.openDB(true)
	if err != nil {
		return err
	}
	return closeAfter(db, guard(s.path, func() error { return db.View(fn) }))
}

// ledgerExists reports whether ledger.db exists and has been initialised;
// an empty file is one a kiosk is creating right now. A ledger that is
// missing or empty in a directory that has held one is a *MissingError.
func (s *Store) ledgerExists() (bool, error) {
	size, err := fileStat(s.path)
	if err != nil || size > 0 {
		return true, nil // let bbolt report any other problem
	}
	if evidence := s.heldLedger(false); evidence != "" {
		return false, &MissingError{Path: s.path, Empty: size == 0, Evidence: evidence}
	}
	return false, nil
}

func closeAfter(db *bolt.DB, err error) error {
	if cerr := db.Close(); cerr != nil && err == nil {
		return fmt.Errorf("close %s: %w", db.Path(), cerr)
	}
	return err
}
