package pos

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/store"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"12.34", 1234, ""},
		{"0.01", 1, ""},
		{"5", 500, ""},
		{"5.5", 550, ""},
		{" 7.00 ", 700, ""},
		{"１２．３４", 1234, ""},
		{"12。34", 1234, ""}, // the full stop a Chinese input method types
		{"12｡34", 1234, ""},
		{"１２。３", 1230, ""},
		{"1.2.3", 0, "not an amount"}, // not a number, rather than too many decimals
		{"1.2.345", 0, "not an amount"},
		{"12。345", 0, "at most two decimals"},
		{".5", 50, ""},
		{"12.", 1200, ""},
		{"100000000", 10000000000, ""},
		{"100000000.01", 0, "at most 100000000.00"},
		{"0", 0, "at least 0.01"},
		{"0.00", 0, "at least 0.01"},
		{"-5", 0, "not an amount"},
		{"1.234", 0, "at most two decimals"},
		{"1e5", 0, "not an amount"},
		{"abc", 0, "not an amount"},
		{"", 0, "Type the amount"},
		{strings.Repeat("9", 10000), 0, "far too long"},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 20)], func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseAmount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !IsInputError(err) || !strings.Contains(describe(err), tt.wantErr) {
				t.Fatalf("ParseAmount(%q) error = %v; want input error containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestOutTradeNoIsLegalAndUnique(t *testing.T) {
	legal := regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	now := time.Date(2026, 11, 22, 2, 3, 4, 5e6, time.UTC)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		no := newOutTradeNo("Counter #1 (front) — 收银台 and a very long name indeed", now)
		if !legal.MatchString(no) {
			t.Fatalf("out_trade_no %q is not 1–64 chars of [A-Za-z0-9_]", no)
		}
		if seen[no] {
			t.Fatalf("duplicate out_trade_no %q", no)
		}
		seen[no] = true
	}
	if no := newOutTradeNo("T1", now.In(shanghai)); !strings.HasPrefix(no, "KT1_20261122100304005_") {
		t.Errorf("out_trade_no %q should carry the terminal and the shop's time", no)
	}
}

func TestStartRecordsPendingBeforePrecreate(t *testing.T) {
	f := newFixture(t)
	var seenStatus store.Status
	f.gw.PrecreateFn = func(r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
		seenStatus = f.status(t, r.OutTradeNo)
		if r.TotalFen != 1234 || r.Subject != "Test shop" || r.TerminalID != "T-01" {
			t.Errorf("precreate request = %+v", r)
		}
		return &alipay.PrecreateResponse{OutTradeNo: r.OutTradeNo, QRCode: "https://qr.alipay.com/bax01"}, nil
	}
	sale := f.start(t, 1234)
	if seenStatus != store.StatusPending {
		t.Fatalf("ledger status during precreate = %q, want pending", seenStatus)
	}
	if sale.QRCode != "https://qr.alipay.com/bax01" {
		t.Errorf("QRCode = %q", sale.QRCode)
	}
	if want := f.clock.Now().Add(DefaultQRTimeout); !sale.Deadline.Equal(want) {
		t.Errorf("Deadline = %v, want %v", sale.Deadline, want)
	}
}

func TestStartRejectsOutOfRangeWithoutWriting(t *testing.T) {
	f := newFixture(t)
	for _, fen := range []int64{0, -1, alipay.MaxAmountFen + 1} {
		if _, err := f.reg.Start(context.Background(), fen, ""); !IsInputError(err) {
			t.Errorf("Start(%d) error = %v, want an input error", fen, err)
		}
	}
	if n := f.gw.count("precreate"); n != 0 {
		t.Errorf("precreate called %d times for invalid amounts", n)
	}
	if open, _ := f.ledger.Unsettled(); len(open) != 0 {
		t.Errorf("ledger has %d sales after invalid amounts", len(open))
	}
}

func TestStartFailureIsRecordedAsFailed(t *testing.T) {
	f := newFixture(t)
	var no string
	f.gw.PrecreateFn = func(r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
		no = r.OutTradeNo
		return nil, &alipay.Error{Code: "40002", Msg: "Invalid Arguments", SubCode: "isv.invalid-app-id", SubMsg: "无效的AppID参数"}
	}
	_, err := f.reg.Start(context.Background(), 100, "")
	want := "Alipay rejected the request: the app id is invalid (isv.invalid-app-id). Ask the manager to check the kiosk settings."
	if got := describe(err); got != want {
		t.Errorf("Describe = %q\nwant       %q", got, want)
	}
	if s := f.status(t, no); s != store.StatusFailed {
		t.Errorf("ledger status = %q, want failed", s)
	}
}

func TestPoll(t *testing.T) {
	tests := []struct {
		name    string
		query   func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		want    Progress
		warning bool
		ledger  store.Status
	}{
		{"not scanned", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }, AwaitingScan, false, store.StatusPending},
		{"scanned", status(alipay.WaitBuyerPay, 1234), AwaitingConfirmation, false, store.StatusPending},
		{"paid", status(alipay.TradeSuccess, 1234), Paid, false, store.StatusPaid},
		{"finished", status(alipay.TradeFinished, 1234), Paid, false, store.StatusPaid},
		{"closed", status(alipay.TradeClosed, 1234), Closed, false, store.StatusPending},
		{"network down", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) {
			return nil, fmt.Errorf("dial: %w", alipay.ErrTransport)
		}, AwaitingScan, true, store.StatusPending},
		{"forged answer", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrBadSignature }, AwaitingScan, true, store.StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.gw.QueryFn = tt.query
			sale := f.start(t, 1234)
			got, err := f.reg.Poll(context.Background(), sale)
			if err != nil {
				t.Fatalf("Poll: %v", err)
			}
			if got.Progress != tt.want || got.Warning.IsZero() == tt.warning {
				t.Errorf("Poll = %+v, want progress %d, warning %v", got, tt.want, tt.warning)
			}
			if s := f.status(t, sale.OutTradeNo); s != tt.ledger {
				t.Errorf("ledger status = %q, want %q", s, tt.ledger)
			}
		})
	}
}

func TestPollPaidGivesReceiptOnce(t *testing.T) {
	f := newFixture(t)
	f.gw.QueryFn = status(alipay.TradeSuccess, 1234)
	sale := f.start(t, 1234)
	first, err := f.reg.Poll(context.Background(), sale)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.reg.Poll(context.Background(), sale)
	if err != nil {
		t.Fatal(err)
	}
	if first.Receipt.ReceiptNo != 1 || again.Receipt.ReceiptNo != 1 {
		t.Errorf("receipt numbers = %d, %d; want 1 both times", first.Receipt.ReceiptNo, again.Receipt.ReceiptNo)
	}
	if first.Receipt.TradeNo == "" || first.Receipt.Buyer != "159******88" || first.Receipt.AmountFen != 1234 {
		t.Errorf("receipt = %+v", first.Receipt)
	}
	second := f.start(t, 500)
	f.gw.QueryFn = status(alipay.TradeSuccess, 500)
	r2, _ := f.reg.Poll(context.Background(), second)
	if r2.Receipt.ReceiptNo != 2 {
		t.Errorf("second sale's receipt = %d, want 2", r2.Receipt.ReceiptNo)
	}
}

func TestPollRefusesMismatchedPayment(t *testing.T) {
	f := newFixture(t)
	f.gw.QueryFn = status(alipay.TradeSuccess, 1) // one fen paid for a 12.34 sale
	sale := f.start(t, 1234)
	got, err := f.reg.Poll(context.Background(), sale)
	if !errors.Is(err, ErrMismatch) || got.Progress == Paid {
		t.Fatalf("Poll = %+v, %v; want ErrMismatch and not paid", got, err)
	}
	if s := f.status(t, sale.OutTradeNo); s != store.StatusPending {
		t.Errorf("ledger status = %q, want pending", s)
	}
}

func TestCancel(t *testing.T) {
	paidLate := func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }
	tests := []struct {
		name     string
		query    func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		cancel   []func() (*alipay.CancelResponse, error)
		want     store.Status
		cancels  int
		sleeps   []time.Duration
		wantNote string
	}{
		{
			name:    "unscanned is closed",
			query:   paidLate,
			cancel:  []func() (*alipay.CancelResponse, error){cancelAnswer("close", false)},
			want:    store.StatusCancelled,
			cancels: 1,
		},
		{
			name:    "paid between last query and cancel is refunded",
			query:   status(alipay.WaitBuyerPay, 1234),
			cancel:  []func() (*alipay.CancelResponse, error){cancelAnswer("refund", false)},
			want:    store.StatusRefunded,
			cancels: 1, wantNote: "refunded",
		},
		{
			name:    "paid before the final query gets a receipt, no cancel",
			query:   status(alipay.TradeSuccess, 1234),
			want:    store.StatusPaid,
			cancels: 0,
		},
		{
			name: "closed at Alipay needs no cancel",
			query: func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
				resp, _ := status(alipay.TradeClosed, 1234)(r)
				resp.SendPayDate = time.Time{} // never paid
				return resp, nil
			},
			want:    store.StatusCancelled,
			cancels: 0,
		},
		{
			name: "closed after a refund is recorded as refunded",
			query: func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
				resp, _ := status(alipay.TradeClosed, 1234)(r) // carries send_pay_date: it was paid
				return resp, nil
			},
			want: store.StatusRefunded, cancels: 0, wantNote: "refunded",
		},
		{
			name:  "retries while retry_flag is Y, with backoff",
			query: paidLate,
			cancel: []func() (*alipay.CancelResponse, error){
				cancelAnswer("", true), cancelFails(systemError()), cancelAnswer("close", false),
			},
			want: store.StatusCancelled, cancels: 3, sleeps: []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name:  "unreachable gateway leaves the sale unknown",
			query: func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrTransport },
			cancel: []func() (*alipay.CancelResponse, error){
				cancelFails(alipay.ErrTransport), cancelFails(alipay.ErrTransport),
				cancelFails(alipay.ErrTransport), cancelFails(alipay.ErrTransport),
			},
			want: store.StatusUnknown, cancels: 4, sleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			wantNote: "checked again later",
		},
		{
			name:     "a final refusal is not retried",
			query:    paidLate,
			cancel:   []func() (*alipay.CancelResponse, error){cancelFails(&alipay.Error{Code: "40004", SubCode: "ACQ.REASON_TRADE_BEEN_FREEZEN"})},
			want:     store.StatusUnknown,
			cancels:  1,
			wantNote: "ACQ.REASON_TRADE_BEEN_FREEZEN",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.gw.QueryFn = tt.query
			answers := tt.cancel
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) {
				next := answers[0]
				answers = answers[1:]
				return next()
			}
			sale := f.start(t, 1234)
			out, err := f.reg.Cancel(context.Background(), sale, "Time ran out")
			if err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if out.Status != Status(tt.want) {
				t.Errorf("outcome = %q (%s), want %q", out.Status, noteText(out.Note), tt.want)
			}
			if s := f.status(t, sale.OutTradeNo); s != tt.want {
				t.Errorf("ledger status = %q, want %q", s, tt.want)
			}
			if n := f.gw.count("cancel"); n != tt.cancels {
				t.Errorf("cancel called %d times, want %d", n, tt.cancels)
			}
			if fmt.Sprint(f.clock.slept) != fmt.Sprint(tt.sleeps) && !(len(f.clock.slept) == 0 && len(tt.sleeps) == 0) {
				t.Errorf("waited %v between cancels, want %v", f.clock.slept, tt.sleeps)
			}
			if !strings.Contains(noteText(out.Note), tt.wantNote) {
				t.Errorf("note %q does not mention %q", noteText(out.Note), tt.wantNote)
			}
		})
	}
}

func cancelAnswer(action string, retry bool) func() (*alipay.CancelResponse, error) {
	return func() (*alipay.CancelResponse, error) {
		return &alipay.CancelResponse{Action: action, RetryFlag: retry, TradeNo: "2026112222001400001234567890"}, nil
	}
}

func cancelFails(err error) func() (*alipay.CancelResponse, error) {
	return func() (*alipay.CancelResponse, error) { return nil, err }
}

func TestRecoverSettlesLeftoverSales(t *testing.T) {
	f := newFixture(t)
	paid := f.start(t, 1000)
	waiting := f.start(t, 2000)
	f.gw.QueryFn = func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		if r.OutTradeNo == paid.OutTradeNo {
			return status(alipay.TradeSuccess, 1000)(r)
		}
		return status(alipay.WaitBuyerPay, 2000)(r)
	}
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("close", false)() }
	outcomes, err := f.reg.Recover(context.Background())
	if err != nil || len(outcomes) != 2 {
		t.Fatalf("Recover = %v, %v", outcomes, err)
	}
	if s := f.status(t, paid.OutTradeNo); s != store.StatusPaid {
		t.Errorf("paid sale recovered as %q", s)
	}
	if s := f.status(t, waiting.OutTradeNo); s != store.StatusCancelled {
		t.Errorf("waiting sale recovered as %q", s)
	}
	if open, _ := f.ledger.Unsettled(); len(open) != 0 {
		t.Errorf("%d sales still unsettled", len(open))
	}
}

func TestMaskAccount(t *testing.T) {
	tests := map[string]string{
		"":                    "",
		"159******88":         "159******88",
		"13912345678":         "139******78",
		"alice@example.com":   "al***@example.com",
		"zhangsan@alipay.com": "zha*****@alipay.com",
	}
	for in, want := range tests {
		if got := MaskAccount(in); got != want {
			t.Errorf("MaskAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	bad := []struct {
		cfg  Config
		want SettingError
	}{
		{Config{QRTimeout: time.Second}, SettingError{"qr_timeout", time.Second, 10 * time.Second, 2 * time.Hour, DefaultQRTimeout}},
		{Config{PollInterval: 10 * time.Minute}, SettingError{"poll_interval", 10 * time.Minute, 100 * time.Millisecond, DefaultQRTimeout, DefaultPollInterval}},
		{Config{PrecreateTimeout: 50 * time.Millisecond}, SettingError{"precreate_timeout", 50 * time.Millisecond, 100 * time.Millisecond, 2 * time.Minute, 10 * time.Second}},
		{Config{QueryTimeout: -time.Second}, SettingError{"query_timeout", -time.Second, 100 * time.Millisecond, 2 * time.Minute, DefaultQueryTimeout}},
		{Config{CancelTimeout: 3 * time.Minute}, SettingError{"cancel_timeout", 3 * time.Minute, 100 * time.Millisecond, 2 * time.Minute, DefaultCancelTimeout}},
		{Config{RefundTimeout: time.Millisecond}, SettingError{"refund_timeout", time.Millisecond, 100 * time.Millisecond, 2 * time.Minute, DefaultRefundTimeout}},
	}
	for _, tt := range bad {
		_, err := New(tt.cfg, &fakeGateway{}, nil)
		if se, ok := errors.AsType[*SettingError](err); !ok || *se != tt.want {
			t.Errorf("New(%+v) = %v, want the setting error %+v", tt.cfg, err, tt.want)
		}
	}
	// A query may take longer than the poll interval: the next poll waits.
	if _, err := New(Config{PollInterval: 100 * time.Millisecond, QueryTimeout: 30 * time.Second}, &fakeGateway{}, nil); err != nil {
		t.Errorf("a query deadline longer than the poll interval refused: %v", err)
	}
}

// TestEachCallHasItsOwnDeadline: a short poll interval no longer cuts the
// time precreate and cancel get (it gave precreate 80 ms with a 100 ms
// poll, and the answer of a precreate that Alipay carried out was lost).
func TestEachCallHasItsOwnDeadline(t *testing.T) {
	ledger, err := store.Open(t.TempDir(), store.Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	defer ledger.Close()
	gw := &fakeGateway{QueryFn: status(alipay.WaitBuyerPay, 100), CancelFn: func(*alipay.CancelRequest) (*alipay.CancelResponse, error) {
		return cancelAnswer("close", false)()
	}}
	cfg := Config{PollInterval: 100 * time.Millisecond, PrecreateTimeout: 8 * time.Second, QueryTimeout: 3 * time.Second, CancelTimeout: 6 * time.Second}
	reg, err := New(cfg, gw, ledger, WithClock(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sale, err := reg.Start(ctx, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Cancel(ctx, sale, "Time ran out"); err != nil {
		t.Fatal(err)
	}
	for method, want := range map[string]time.Duration{"precreate": cfg.PrecreateTimeout, "query": cfg.QueryTimeout, "cancel": cfg.CancelTimeout} {
		// The call starts at once, so nearly all of its deadline is left.
		if left := gw.timeLeft[method]; left <= want/2 || left > want {
			t.Errorf("%s had %v left of its deadline, want nearly %v", method, left, want)
		}
	}
	def := Config{PollInterval: 100 * time.Millisecond}.withDefaults()
	if def.PrecreateTimeout != DefaultPrecreateTimeout || def.QueryTimeout != DefaultQueryTimeout ||
		def.CancelTimeout != DefaultCancelTimeout || def.RefundTimeout != DefaultRefundTimeout {
		t.Errorf("default deadlines with a 100ms poll: %+v", def)
	}
}

func TestReconcileRetriesUnknownOnlyUntilAlipayAnswers(t *testing.T) {
	f := newFixture(t)
	down := true
	f.gw.QueryFn = func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		if down {
			return nil, alipay.ErrTransport
		}
		return nil, notExist()
	}
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) {
		if down {
			return nil, alipay.ErrTransport
		}
		return cancelAnswer("close", false)()
	}
	lost := f.start(t, 100)
	if out, _ := f.reg.Cancel(context.Background(), lost, "Time ran out"); out.Status != StatusUnknown {
		t.Fatalf("cancel with Alipay down: %q, want unknown", out.Status)
	}
	onScreen := f.start(t, 200) // pending: a sale in progress must not be touched
	tried, left, err := f.reg.Reconcile(context.Background())
	if err != nil || len(tried) != 1 || tried[0].Status != StatusUnknown || left != 1 ||
		!errors.Is(tried[0].Cause, alipay.ErrTransport) || tried[0].OutTradeNo != lost.OutTradeNo {
		t.Fatalf("Reconcile while down = %+v, %d, %v; want the lost sale still unknown, with its cause, 1 left", tried, left, err)
	}
	down = false
	settled, left, err := f.reg.Reconcile(context.Background())
	if err != nil || len(settled) != 1 || left != 0 || settled[0].Status != StatusCancelled {
		t.Fatalf("Reconcile once up = %v, %d, %v", settled, left, err)
	}
	if s := f.status(t, onScreen.OutTradeNo); s != store.StatusPending {
		t.Errorf("the sale on screen became %q", s)
	}
}

func TestLedgerOpenedInAnotherZoneIsRefused(t *testing.T) {
	dir := t.TempDir()
	kiosk, err := OpenLedger(dir, shanghai, false)
	if err != nil {
		t.Fatal(err)
	}
	kiosk.Close()
	utc := time.UTC
	check := func(what string, err error) {
		t.Helper()
		var ze *LedgerZoneError
		if !errors.As(err, &ze) {
			t.Fatalf("%s in UTC of a Shanghai ledger = %v, want a *LedgerZoneError", what, err)
		}
		if ze.Recorded != "Asia/Shanghai" || ze.Configured != "UTC" || ze.Dir != dir {
			t.Errorf("%s: %+v", what, ze)
		}
	}
	_, err = OpenLedger(dir, utc, false)
	check("OpenLedger", err)
	_, err = OpenOffice(dir, utc)
	check("OpenOffice", err)
	_, err = OpenSettings(dir, utc)
	check("OpenSettings", err)
	office, err := OpenOffice(dir, shanghai)
	if err != nil {
		t.Fatalf("OpenOffice in the ledger's zone: %v", err)
	}
	office.Close()
}
