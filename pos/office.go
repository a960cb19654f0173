package pos

import (
	"context"
	"errors"
	"time"

	"kiosk/store"
)

// The ledger as the manager's tools on the command line open it: read-only
// beside a running kiosk (Office), or to change the manager's settings
// while no kiosk runs (Settings); and as the counter opens it
// (OpenLedger). Their errors are pos's typed errors.

// OpenLedger opens the counter's ledger in dir for writing, in the shop's
// zone loc. A ledger another kiosk holds is a *LedgerInUseError; a damaged
// or missing one is refused, before anything else starts, with a
// *LedgerDamagedError or *LedgerMissingError (newLedger lets a missing one
// start afresh).
func OpenLedger(dir string, loc *time.Location, newLedger bool) (*store.Store, error) {
	st, err := store.Open(dir, store.Options{Location: loc, NewLedger: newLedger})
	return st, fromLedger(err, dir)
}

// Office is a ledger opened read-only by a manager's tool: the days, the
// reports, a check of the file and a backup, while the kiosk sells.
type Office struct {
	st *store.Store
}

// OpenOffice opens the ledger in dir read-only, its days in the shop's
// zone loc; a ledger kept in another zone is a *LedgerZoneError.
func OpenOffice(dir string, loc *time.Location) (*Office, error) {
	st, err := store.Open(dir, store.Options{ReadOnly: true, Location: loc})
	if err != nil {
		return nil, fromLedger(err, dir)
	}
	return &Office{st: st}, nil
}

// Close releases the ledger.
func (o *Office) Close() error { return o.st.Close() }

// MaxRangeDays is the most days Range reads at once.
const MaxRangeDays = store.MaxRangeDays

// Dir is the ledger's directory.
func (o *Office) Dir() string { return o.st.Dir() }

// Location is the shop's time zone, as the ledger records it.
func (o *Office) Location() *time.Location { return o.st.Location() }

// Today is the shop's date now, YYYY-MM-DD.
func (o *Office) Today() string { return o.st.DateOf(time.Now()) }

// Day returns one day of the ledger.
func (o *Office) Day(date string) (Day, error) {
	d, err := o.st.Day(date)
	return dayOf(d), fromLedger(err, o.Dir())
}

// Range returns every day from from to to, both included, for an export:
// each sale without its history, which no export shows (the counter's
// detail screen reads it from the Register) and which is most of a
// record's size.
func (o *Office) Range(from, to string) ([]Day, error) {
	days, err := o.st.Summaries(from, to)
	return summariesOf(days), fromLedger(err, o.Dir())
}

// Report is the day's X report, or, once the day is closed, its Z report
// as stored, marked as a copy.
func (o *Office) Report(date string) (Report, error) {
	if today := o.Today(); date > today { // dates are YYYY-MM-DD, so they sort as days do
		return Report{}, &FutureDayError{Date: date, Today: today, Zone: o.Location().String()}
	}
	r, err := storedOrLive(o.st, date)
	return r, fromLedger(err, o.Dir())
}

// Backup copies the ledger to path, safely while the kiosk runs, and
// returns the copy's size. An existing path is refused (ErrFileExists)
// unless replace.
func (o *Office) Backup(path string, replace bool) (int64, error) {
	n, err := o.st.Backup(path, replace)
	return n, fromLedger(err, o.Dir())
}

// CheckResult is what a check of the ledger file found.
type CheckResult struct {
	Path              string
	Size              int64 // bytes of the ledger file; 0 when there is none yet
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
	Omitted           int            // problems found beyond those listed
	// Damaged means the file itself is damaged or missing: Problems say
	// how, and the ledger's own rules were not checked.
	Damaged bool
	Notes   []CheckProblem // findings that are not problems
}

// OK reports whether the check found no problem.
func (r CheckResult) OK() bool { return len(r.Problems) == 0 }

// Check runs bbolt's consistency check and the ledger's own rules.
func (o *Office) Check() (CheckResult, error) {
	r, err := o.st.Verify()
	if err != nil {
		return CheckResult{}, fromLedger(err, o.Dir())
	}
	return CheckResult{Path: r.Path, Size: r.Size, Sales: r.Sales, Days: r.Days, FirstDay: r.FirstDay, LastDay: r.LastDay,
		Unsettled: r.Unsettled, RefundsInFlight: r.RefundsInFlight, ZReports: r.ZReports, LastZ: r.LastZ, PINSet: r.PINSet,
		Took: r.Took, Problems: checkProblems(r.Problems), Omitted: r.Omitted, Damaged: r.Damaged, Notes: checkProblems(r.Notes)}, nil
}

// CheckKind says which rule of the ledger a CheckProblem breaks (store's
// kinds: see there which facts each uses).
type CheckKind int

// The kinds of problem a check finds.
const (
	CheckBbolt                 = CheckKind(store.CheckBbolt)
	CheckNoBucket              = CheckKind(store.CheckNoBucket)
	CheckCounterMalformed      = CheckKind(store.CheckCounterMalformed)
	CheckSaleUndecodable       = CheckKind(store.CheckSaleUndecodable)
	CheckSaleMisfiled          = CheckKind(store.CheckSaleMisfiled)
	CheckSaleStatus            = CheckKind(store.CheckSaleStatus)
	CheckSaleMethod            = CheckKind(store.CheckSaleMethod)
	CheckSaleAmount            = CheckKind(store.CheckSaleAmount)
	CheckOpenIndex             = CheckKind(store.CheckOpenIndex)
	CheckRefundingIndex        = CheckKind(store.CheckRefundingIndex)
	CheckNotInDay              = CheckKind(store.CheckNotInDay)
	CheckListedOnCreation      = CheckKind(store.CheckListedOnCreation)
	CheckRefundTwice           = CheckKind(store.CheckRefundTwice)
	CheckRefundedSum           = CheckKind(store.CheckRefundedSum)
	CheckRefundsExceed         = CheckKind(store.CheckRefundsExceed)
	CheckRefundedButPaid       = CheckKind(store.CheckRefundedButPaid)
	CheckPaidNoReceipt         = CheckKind(store.CheckPaidNoReceipt)
	CheckReceiptNoPaidAt       = CheckKind(store.CheckReceiptNoPaidAt)
	CheckReceiptNotPaid        = CheckKind(store.CheckReceiptNotPaid)
	CheckBeyondCounter         = CheckKind(store.CheckBeyondCounter)
	CheckReceiptTwice          = CheckKind(store.CheckReceiptTwice)
	CheckListedTwice           = CheckKind(store.CheckListedTwice)
	CheckReceiptGapsMany       = CheckKind(store.CheckReceiptGapsMany)
	CheckReceiptGaps           = CheckKind(store.CheckReceiptGaps)
	CheckDayKeyMalformed       = CheckKind(store.CheckDayKeyMalformed)
	CheckDayWrongDate          = CheckKind(store.CheckDayWrongDate)
	CheckDayOrphan             = CheckKind(store.CheckDayOrphan)
	CheckOpenOrphan            = CheckKind(store.CheckOpenOrphan)
	CheckRefundingOrphan       = CheckKind(store.CheckRefundingOrphan)
	CheckRefundKeyMalformed    = CheckKind(store.CheckRefundKeyMalformed)
	CheckRefundIndexUnreadable = CheckKind(store.CheckRefundIndexUnreadable)
	CheckRefundIndexNotDone    = CheckKind(store.CheckRefundIndexNotDone)
	CheckRefundIndexOrphan     = CheckKind(store.CheckRefundIndexOrphan)
	CheckZCounterMalformed     = CheckKind(store.CheckZCounterMalformed)
	CheckZUndecodable          = CheckKind(store.CheckZUndecodable)
	CheckZMisfiled             = CheckKind(store.CheckZMisfiled)
	CheckZOutside              = CheckKind(store.CheckZOutside)
	CheckZTwice                = CheckKind(store.CheckZTwice)
	CheckZMissing              = CheckKind(store.CheckZMissing)
	CheckHeadNone              = CheckKind(store.CheckHeadNone)
	CheckHeadPageSize          = CheckKind(store.CheckHeadPageSize)
	CheckHeadPages             = CheckKind(store.CheckHeadPages)
	CheckHeadCutShort          = CheckKind(store.CheckHeadCutShort)
	CheckHeadRoot              = CheckKind(store.CheckHeadRoot)
	CheckHeadFreelist          = CheckKind(store.CheckHeadFreelist)
	CheckPageOrphan            = CheckKind(store.CheckPageOrphan)
	CheckPageOutside           = CheckKind(store.CheckPageOutside)
	CheckPageUnreadable        = CheckKind(store.CheckPageUnreadable)
	CheckPageWrongID           = CheckKind(store.CheckPageWrongID)
	CheckPageOverflowEnd       = CheckKind(store.CheckPageOverflowEnd)
	CheckPageOverflowHuge      = CheckKind(store.CheckPageOverflowHuge)
	CheckPageTwice             = CheckKind(store.CheckPageTwice)
	CheckPageUsedFree          = CheckKind(store.CheckPageUsedFree)
	CheckFreelistType          = CheckKind(store.CheckFreelistType)
	CheckFreelistOverfull      = CheckKind(store.CheckFreelistOverfull)
	CheckFreelistOutside       = CheckKind(store.CheckFreelistOutside)
	CheckFreelistTwice         = CheckKind(store.CheckFreelistTwice)
	CheckFreelistSelf          = CheckKind(store.CheckFreelistSelf)
	CheckElemShort             = CheckKind(store.CheckElemShort)
	CheckElemType              = CheckKind(store.CheckElemType)
	CheckElemCount             = CheckKind(store.CheckElemCount)
	CheckElemEmptyBranch       = CheckKind(store.CheckElemEmptyBranch)
	CheckElemOutside           = CheckKind(store.CheckElemOutside)
	CheckElemOrder             = CheckKind(store.CheckElemOrder)
	CheckElemBucketShort       = CheckKind(store.CheckElemBucketShort)
	CheckPagesMore             = CheckKind(store.CheckPagesMore)
	CheckHeaderNote            = CheckKind(store.CheckHeaderNote)
	CheckReadFault             = CheckKind(store.CheckReadFault)
	CheckLedgerMissing         = CheckKind(store.CheckLedgerMissing)
	CheckLedgerEmpty           = CheckKind(store.CheckLedgerEmpty)
	CheckHeadVersion           = CheckKind(store.CheckHeadVersion)
	CheckHeadChecksum          = CheckKind(store.CheckHeadChecksum)
	CheckUnprintedIndex        = CheckKind(store.CheckUnprintedIndex)
	CheckUnprintedOrphan       = CheckKind(store.CheckUnprintedOrphan)
)

// LedgerFormatVersion is the database's file format version the ledger
// is written in, and the only one it reads (CheckHeadVersion).
const LedgerFormatVersion = store.FormatVersion

// CheckKinds are every kind of problem, for tests of their words.
func CheckKinds() []CheckKind { return kindsOf[CheckKind](store.CheckKinds()) }

// kindsOf converts the kinds of a lower layer into pos's own, which mirror
// them value for value.
func kindsOf[To, From ~int](kinds []From) []To {
	out := make([]To, len(kinds))
	for i, k := range kinds {
		out[i] = To(k)
	}
	return out
}

// CheckProblem is one problem a check found: its kind and its facts.
type CheckProblem struct {
	Kind              CheckKind
	Sale              string // out_trade_no
	Key               string // a key of the ledger, as stored
	Bucket            string
	Date, OtherDate   string // YYYY-MM-DD
	Receipt           int    // a receipt number
	Receipts          []int
	Status            Status
	Value             string // a value that is not what it should be
	Refund            string // out_request_no
	Fen, OtherFen     int64
	Number            int // a Z report's number
	Count, Limit      int
	Detail            string // words of bbolt or a decoder, not ours
	Page, OtherPage   uint64 // pages of the file
	Txid              uint64 // a transaction
	Type              uint16 // a page's type flags
	Entry             int    // an entry of a page
	Freelist          bool   // where a page is: see store's page kinds
	Inline            bool
	Bytes, OtherBytes int64  // sizes of the file, in bytes
	Path, OtherPath   string // files
	// Decode is why a record does not decode, as facts; Detail keeps the
	// decoder's words.
	Decode DecodeFault
}

// String says the problem in English, for logs.
func (p CheckProblem) String() string { return toStore(p).String() }

func toStore(p CheckProblem) store.CheckProblem {
	return store.CheckProblem{Kind: store.CheckKind(p.Kind), Sale: p.Sale, Key: p.Key, Bucket: p.Bucket, Date: p.Date,
		OtherDate: p.OtherDate, Receipt: p.Receipt, Receipts: p.Receipts, Status: store.Status(p.Status), Value: p.Value,
		Refund: p.Refund, Fen: p.Fen, OtherFen: p.OtherFen, Number: p.Number, Count: p.Count, Limit: p.Limit, Detail: p.Detail,
		Page: p.Page, OtherPage: p.OtherPage, Txid: p.Txid, Type: p.Type, Entry: p.Entry, Freelist: p.Freelist, Inline: p.Inline,
		Bytes: p.Bytes, OtherBytes: p.OtherBytes, Path: p.Path, OtherPath: p.OtherPath}
}

func checkProblems(ps []store.CheckProblem) []CheckProblem {
	out := make([]CheckProblem, len(ps))
	for i, p := range ps {
		out[i] = checkProblem(p)
	}
	return out
}

func checkProblem(p store.CheckProblem) CheckProblem {
	return CheckProblem{Kind: CheckKind(p.Kind), Sale: p.Sale, Key: p.Key, Bucket: p.Bucket, Date: p.Date,
		OtherDate: p.OtherDate, Receipt: p.Receipt, Receipts: p.Receipts, Status: Status(p.Status), Value: p.Value,
		Refund: p.Refund, Fen: p.Fen, OtherFen: p.OtherFen, Number: p.Number, Count: p.Count, Limit: p.Limit, Detail: p.Detail,
		Page: p.Page, OtherPage: p.OtherPage, Txid: p.Txid, Type: p.Type, Entry: p.Entry, Freelist: p.Freelist, Inline: p.Inline,
		Bytes: p.Bytes, OtherBytes: p.OtherBytes, Path: p.Path, OtherPath: p.OtherPath, Decode: decodeFault(p.Decode)}
}

// Settings is a ledger opened for the manager's changes: the PIN, and the
// refunds made outside the kiosk that a reconciliation records. It opens
// while the kiosk runs: the kiosk keeps nothing of the ledger outside its
// file, and each change is one transaction under the file's own lock.
type Settings struct {
	st  *store.Store
	now func() time.Time // nil: time.Now
}

func (s *Settings) clock() time.Time {
	if s.now == nil {
		return time.Now()
	}
	return s.now()
}

// OpenSettings opens the ledger in dir for the manager's changes: as its
// writer when no kiosk runs (creating it if need be), and beside the
// kiosk that holds it otherwise; its days in the shop's zone loc, as
// OpenLedger's.
func OpenSettings(dir string, loc *time.Location) (*Settings, error) {
	st, err := store.Open(dir, store.Options{Location: loc})
	if errors.Is(err, store.ErrLocked) {
		st, err = store.Open(dir, store.Options{Beside: true, Location: loc})
	}
	if err != nil {
		return nil, fromLedger(err, dir)
	}
	return &Settings{st: st}, nil
}

// Close releases the ledger.
func (s *Settings) Close() error { return s.st.Close() }

// Dir is the ledger's directory.
func (s *Settings) Dir() string { return s.st.Dir() }

// Today is the shop's date now, YYYY-MM-DD.
func (s *Settings) Today() string { return s.st.DateOf(time.Now()) }

// HasManagerPIN reports whether a manager PIN is set.
func (s *Settings) HasManagerPIN() (bool, error) {
	set, err := s.st.HasManagerPIN()
	return set, fromLedger(err, s.st.Dir())
}

// SetManagerPIN sets the first manager PIN (old empty), or, once one is
// set, changes it after checking old (a wrong one counts towards the lock,
// as at the kiosk), in one transaction beside a running kiosk.
func (s *Settings) SetManagerPIN(old, pin string) error {
	return fromLedger(setOrChangePIN(s.st, old, pin, time.Now()), s.st.Dir())
}

// ResetManagerPIN replaces the manager PIN without the current one and
// lifts any lock of wrong tries: the way back for a manager who forgot the
// PIN. Only the machine's command line offers it, never the kiosk's
// screen: whoever runs commands there as the ledger's owner could replace
// the ledger file itself, so the PIN protects nothing from them. A weak
// PIN is a *PINShapeError and changes nothing.
func (s *Settings) ResetManagerPIN(pin string) error {
	return fromLedger(s.st.SetManagerPIN(pin), s.st.Dir())
}

// Reconcile compares the day of date with Alipay, as ReconcileDay does,
// and looks up in the ledger the sales of earlier days that the day's
// bill refunds.
func (s *Settings) Reconcile(ctx context.Context, b Biller, date string) (Reconciliation, error) {
	return reconcileLedger(ctx, s.st, b, date)
}

// Reconcile is Settings.Reconcile on a ledger opened read-only.
func (o *Office) Reconcile(ctx context.Context, b Biller, date string) (Reconciliation, error) {
	return reconcileLedger(ctx, o.st, b, date)
}

func reconcileLedger(ctx context.Context, st *store.Store, b Biller, date string) (Reconciliation, error) {
	d, err := st.Day(date)
	if err != nil {
		return Reconciliation{}, fromLedger(err, st.Dir())
	}
	find := func(no string) (SaleRecord, bool) {
		sale, err := st.Get(no)
		return recordOf(sale), err == nil
	}
	return reconcileDay(ctx, b, dayOf(d), find), nil
}

// ReconcileApprover is who a refund recorded by a reconciliation was
// approved by, in the ledger: the manager, at Alipay, outside the kiosk.
const ReconcileApprover = "reconcile"

// Applied is what Apply recorded.
type Applied struct {
	Recorded int // refunds and cancels after payment recorded
	Day      Day // the day afterwards
}

// Apply records in the ledger, with the manager's PIN, the refunds Alipay
// made outside the kiosk that rec found (its differences with a Refund),
// so that the day's net matches Alipay's. Each is recorded once: applying
// a reconciliation again, or one found again, changes nothing.
func (s *Settings) Apply(rec Reconciliation, pin string) (Applied, error) {
	now := s.clock()
	if err := s.st.CheckManagerPIN(pin, now); err != nil {
		return Applied{}, fromLedger(err, s.st.Dir())
	}
	var a Applied
	unqueried := map[string]bool{}
	for _, d := range rec.Unqueried {
		unqueried[d.OutTradeNo] = true
	}
	for _, d := range rec.Differences {
		if d.Refund == nil || unqueried[d.OutTradeNo] { // a sale not wholly compared is never acted on
			continue
		}
		changed, err := recordOutsideRefund(s.st, *d.Refund, now)
		if err != nil {
			return a, fromLedger(err, s.st.Dir())
		}
		if changed {
			a.Recorded++
		}
	}
	day, err := s.st.Day(rec.Date)
	a.Day = dayOf(day)
	return a, fromLedger(err, s.st.Dir())
}

// recordOutsideRefund records one refund Alipay made as done, at the time
// Alipay made it (now when it did not say); a cancel after payment, which
// has no refund number, makes the sale refunded. The refund is recorded as
// asked for now, when the ledger learns of it: a refund Alipay made before
// a day's close but recorded after it is then placed after the close, so
// the next Z report counts it (the closed day's Z cannot, and without this
// no report would). It reports whether the ledger changed.
func recordOutsideRefund(st *store.Store, r BillRefund, now time.Time) (bool, error) {
	at := orNow(r.At, now)
	sale, err := st.Get(r.OutTradeNo)
	if err != nil {
		return false, err
	}
	if r.OutRequestNo == "" {
		if sale.Status == store.StatusRefunded {
			return false, nil
		}
		_, err := st.SetStatus(r.OutTradeNo, store.StatusRefunded, at, Note{Code: NoteClosedRefunded}.String(), "")
		return err == nil, err
	}
	if old, ok := sale.Refund(r.OutRequestNo); ok && old.Status == store.RefundDone {
		return false, nil
	}
	// Recorded, then done: if the second step is lost, the kiosk sends the
	// requested refund again with its number, which Alipay does not repeat.
	refund := store.Refund{OutRequestNo: r.OutRequestNo, Fen: r.Fen, At: now, ApprovedBy: ReconcileApprover, Reason: r.Reason}
	if _, err := st.RequestRefund(r.OutTradeNo, refund); err != nil {
		return false, err
	}
	_, err = st.CompleteRefund(r.OutTradeNo, r.OutRequestNo, at, true)
	return err == nil, err
}

// CheckPINShape reports whether pin could be a manager PIN, with a
// *PINShapeError when it cannot, so a tool can say so before asking for it
// again.
func CheckPINShape(pin string) error { return fromLedger(store.CheckPINShape(pin), "") }
