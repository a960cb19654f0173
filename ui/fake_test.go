package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
)

var _ Checkout = (*fakeCheckout)(nil)

// fakeCheckout is a point of sale with a stopped clock, answering with
// function fields and recording the calls it got.
type fakeCheckout struct {
	mu          sync.Mutex
	now         time.Time
	cfg         pos.Config
	simulate    bool
	StartFn     func(fen int64, subject string) (pos.Sale, error)
	PollFn      func(pos.Sale) (pos.PollResult, error)
	CancelFn    func(pos.Sale, pos.Reason) (pos.Outcome, error)
	RecoverFn   func() ([]pos.Outcome, error)
	ReconcileFn func() ([]pos.Outcome, int, error)
	today       string
	DayFn       func(date string) (pos.Day, error)
	ReportFn    func(date string) (pos.Report, error)
	CloseDayFn  func(date, pin string) (pos.Report, error)
	ReprintFn   func(outTradeNo string) (pos.Receipt, error)
	RefundFn    func(pos.RefundOrder) (pos.SaleRecord, error)
	ScanPayFn   func(fen int64, subject, code string) (pos.Charge, error)
	BuyerCodeFn func(pos.BuyerCodeKind) (string, error)
	method      pos.PayMethod // the way to pay chosen last; "" is QR
	chooseErr   error         // what ChoosePayMethod answers
	scanned     []string      // the codes ScanPay was given, in order
	HasPINFn    func() (bool, error)
	SetPINFn    func(current, pin string) error
	notified    chan pos.Notice
	headOffice  pos.HeadOfficeStatus
	calls       []string
	timers      []timer // armed by After, fired by the test
	// cancelDeadline is the deadline of the last Cancel's context.
	cancelDeadline time.Time
	// The receipts recorded as not printed or printed (see printMarks),
	// what recording them answers, and the receipts the ledger holds as
	// not printed at start.
	marks     []string
	markErr   error
	unprinted []pos.Receipt
}

// timer is a message Options.After was asked to deliver later.
type timer struct {
	after time.Duration
	msg   tea.Msg
	at    time.Time // the fake clock when it was armed
}

var testTime = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newFakeCheckout() *fakeCheckout {
	return &fakeCheckout{
		now: testTime,
		cfg: pos.Config{Subject: "Corner Shop", QRTimeout: 120 * time.Second, PollInterval: time.Hour, Mode: pos.ModeEmulator},
		StartFn: func(fen int64, subject string) (pos.Sale, error) {
			return testSale(fen, subject), nil
		},
		PollFn: func(pos.Sale) (pos.PollResult, error) { return pos.PollResult{Progress: pos.AwaitingScan}, nil },
		CancelFn: func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
			return pos.Outcome{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}}, nil
		},
		RecoverFn:   func() ([]pos.Outcome, error) { return nil, nil },
		ReconcileFn: func() ([]pos.Outcome, int, error) { return nil, 0, nil },
		today:       "2026-11-22",
		DayFn:       func(date string) (pos.Day, error) { return pos.Day{Date: date}, nil },
		ReportFn: func(date string) (pos.Report, error) {
			return pos.Report{Date: date, Kind: pos.ReportX, ByStatus: map[pos.Status]pos.StatusTotals{}}, nil
		},
		CloseDayFn: func(date, _ string) (pos.Report, error) {
			return pos.Report{Date: date, Kind: pos.ReportZ, Number: 1, ByStatus: map[pos.Status]pos.StatusTotals{}}, nil
		},
		ReprintFn: func(string) (pos.Receipt, error) { return pos.Receipt{}, errors.New("no receipt in this test") },
		ScanPayFn: func(fen int64, subject, _ string) (pos.Charge, error) {
			s := testSale(fen, subject)
			s.QRCode, s.Method = "", pos.PayByCode
			return pos.Charge{Stage: pos.ChargePaid, Sale: s, Receipt: testReceipt(s)}, nil
		},
		BuyerCodeFn: func(kind pos.BuyerCodeKind) (string, error) { return buyerCodes[kind], nil },
		RefundFn: func(pos.RefundOrder) (pos.SaleRecord, error) {
			return pos.SaleRecord{}, errors.New("no refunds in this test")
		},
		HasPINFn: func() (bool, error) { return true, nil },
		SetPINFn: func(string, string) error { return errors.New("no PIN changes in this test") },
	}
}

func testSale(fen int64, subject string) pos.Sale {
	return pos.Sale{
		OutTradeNo: "KT1_20261122180000000_ABCDEF",
		AmountFen:  fen,
		Subject:    subject,
		QRCode:     "http://127.0.0.1:8780/qr/dGhpcyBpcyBhIHRlc3Q",
		StartedAt:  testTime,
		Deadline:   testTime.Add(120 * time.Second),
	}
}

// buyerCodes are the emulated customer's codes in the fake, one of each
// kind.
var buyerCodes = map[pos.BuyerCodeKind]string{
	pos.BuyerCodePay:          "280000000000000001",
	pos.BuyerCodeConfirm:      "280000000000000002",
	pos.BuyerCodeExpired:      "280000000000000003",
	pos.BuyerCodeInsufficient: "280000000000000004",
}

func testReceipt(s pos.Sale) pos.Receipt {
	return pos.Receipt{ReceiptNo: 7, OutTradeNo: s.OutTradeNo, TradeNo: "2026112222001400001234567890", Buyer: "159******88",
		AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: testTime.Add(3 * time.Second), Method: s.Method}
}

func (f *fakeCheckout) ScanPay(_ context.Context, fen int64, subject, code string) (pos.Charge, error) {
	f.record("scanpay")
	f.mu.Lock()
	f.scanned = append(f.scanned, code)
	f.mu.Unlock()
	if subject == "" {
		subject = f.cfg.Subject
	}
	return f.ScanPayFn(fen, subject, code)
}

func (f *fakeCheckout) codesScanned() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.scanned...)
}

func (f *fakeCheckout) SimulateBuyerCode(kind pos.BuyerCodeKind) (string, error) {
	f.record("buyercode")
	return f.BuyerCodeFn(kind)
}

func (f *fakeCheckout) PayMethodChoice() pos.PayMethod {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.method == "" {
		return pos.PayByQR
	}
	return f.method
}

func (f *fakeCheckout) ChoosePayMethod(m pos.PayMethod) error {
	f.record("choose")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.method = m
	return f.chooseErr
}

func (f *fakeCheckout) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeCheckout) called(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (f *fakeCheckout) Start(_ context.Context, fen int64, subject string) (pos.Sale, error) {
	f.record("start")
	if subject == "" {
		subject = f.cfg.Subject
	}
	return f.StartFn(fen, subject)
}

func (f *fakeCheckout) Poll(_ context.Context, s pos.Sale) (pos.PollResult, error) {
	f.record("poll")
	return f.PollFn(s)
}

func (f *fakeCheckout) Cancel(ctx context.Context, s pos.Sale, reason pos.Reason) (pos.Outcome, error) {
	f.record("cancel")
	f.mu.Lock()
	f.cancelDeadline, _ = ctx.Deadline()
	f.mu.Unlock()
	return f.CancelFn(s, reason)
}

func (f *fakeCheckout) Recover(context.Context) ([]pos.Outcome, error) {
	f.record("recover")
	return f.RecoverFn()
}

func (f *fakeCheckout) Reconcile(context.Context) ([]pos.Outcome, int, error) {
	f.record("reconcile")
	return f.ReconcileFn()
}

func (f *fakeCheckout) Config() pos.Config { return f.cfg }

func (f *fakeCheckout) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeCheckout) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// after is the fake's Options.After: running the command arms a timer and
// delivers nothing; the test fires the timers when it decides time passed.
func (f *fakeCheckout) after(d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.timers = append(f.timers, timer{after: d, msg: msg, at: f.now})
		return nil
	}
}

// armed takes the timers armed so far, oldest first, and disarms them.
func (f *fakeCheckout) armed() []timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.timers
	f.timers = nil
	return t
}

func (f *fakeCheckout) CanSimulate() bool { return f.simulate }

func (f *fakeCheckout) Notified() <-chan pos.Notice { return f.notified }

func (f *fakeCheckout) SimulatePayment(pos.Sale) error {
	f.record("simulate")
	return nil
}

func (f *fakeCheckout) Today() string { return f.today }

func (f *fakeCheckout) Day(date string) (pos.Day, error) {
	f.record("day")
	return f.DayFn(date)
}

func (f *fakeCheckout) Report(date string) (pos.Report, error) {
	f.record("report")
	return f.ReportFn(date)
}

func (f *fakeCheckout) HasManagerPIN() (bool, error) {
	f.record("hasPIN")
	return f.HasPINFn()
}

func (f *fakeCheckout) SetManagerPIN(current, pin string) error {
	f.record("setPIN")
	return f.SetPINFn(current, pin)
}

func (f *fakeCheckout) CloseDay(date, pin string) (pos.Report, error) {
	f.record("closeDay")
	return f.CloseDayFn(date, pin)
}

func (f *fakeCheckout) Reprint(outTradeNo string) (pos.Receipt, error) {
	f.record("reprint")
	return f.ReprintFn(outTradeNo)
}

func (f *fakeCheckout) Refund(_ context.Context, o pos.RefundOrder) (pos.SaleRecord, error) {
	f.record("refund")
	return f.RefundFn(o)
}

func (f *fakeCheckout) HeadOffice() pos.HeadOfficeStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.headOffice
}

func (f *fakeCheckout) setHeadOffice(s pos.HeadOfficeStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.headOffice = s
}

// ReceiptNotPrinted and ReceiptPrinted are kept apart from calls, in
// marks, as "not printed K1" and "printed K1".
func (f *fakeCheckout) ReceiptNotPrinted(outTradeNo string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marks = append(f.marks, "not printed "+outTradeNo)
	return f.markErr
}

func (f *fakeCheckout) ReceiptPrinted(outTradeNo string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marks = append(f.marks, "printed "+outTradeNo)
	return f.markErr
}

func (f *fakeCheckout) UnprintedReceipts() ([]pos.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unprinted, nil
}

// printMarks are the marks recorded so far.
func (f *fakeCheckout) printMarks() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.marks...)
}
