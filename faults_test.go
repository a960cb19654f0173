package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
	"kiosk/ui/words"
)

// faultyConfig gives every call a deadline that a healthy loopback call
// meets with a wide margin on a loaded machine, and that faultLatency
// exceeds.
var faultyConfig = pos.Config{
	PollInterval:     500 * time.Millisecond,
	PrecreateTimeout: time.Second,
	QueryTimeout:     time.Second,
	CancelTimeout:    time.Second,
	PayTimeout:       time.Second,
	CancelBackoff:    5 * time.Millisecond,
}

// faultLatency is the emulator's delay in the latency faults.
const faultLatency = 3 * time.Second

// tempLedger is a kiosk's ledger in a directory of its own.
func tempLedger(t *testing.T) *store.Store {
	t.Helper()
	ledger, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })
	return ledger
}

// faultyCounter is the real client, register and ledger against a
// standalone emulator whose faults the test sets.
func faultyCounter(t *testing.T) (*pos.Register, *emulator.Server, *store.Store) {
	t.Helper()
	cfgPath, srv, _ := standaloneEmulator(t, nil)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		t.Fatal(err)
	}
	client, err := alipay.NewClient(acfg)
	if err != nil {
		t.Fatal(err)
	}
	ledger := tempLedger(t)
	reg, err := pos.New(faultyConfig, client, ledger)
	if err != nil {
		t.Fatal(err)
	}
	return reg, srv, ledger
}

func TestFaultsOnQueryNeverCountAsPaid(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, _ alipay.Protocol) {
		only := []string{alipay.MethodQuery}
		tests := []struct {
			name   string
			faults emulator.Faults
			says   string
		}{
			{"connection reset", emulator.Faults{ResetRate: 1, Methods: only}, "could not be reached"},
			{"HTTP 502", emulator.Faults{HTTP5xxRate: 1, Methods: only}, "could not be reached"},
			{"malformed JSON", emulator.Faults{MalformedRate: 1, Methods: only}, "could not be understood"},
			{"forged signature", emulator.Faults{BadSignatureRate: 1, Methods: only}, "failed its signature check"},
			{"no signature", emulator.Faults{UnsignedRate: 1, Methods: only}, "failed its signature check"},
			{"system busy", emulator.Faults{SystemErrorRate: 1, Methods: only}, "Alipay is busy"},
			{"too slow", emulator.Faults{Latency: faultLatency, Methods: only}, "did not answer in time"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				reg, srv, ledger := faultyCounter(t)
				ctx := context.Background()
				sale, err := reg.Start(ctx, 1234, "")
				if err != nil {
					t.Fatal(err)
				}
				if err := srv.Pay(sale.OutTradeNo); err != nil {
					t.Fatal(err)
				}
				if err := srv.SetFaults(tt.faults); err != nil {
					t.Fatal(err)
				}
				res, err := reg.Poll(ctx, sale)
				if err != nil || res.Progress == pos.Paid || !strings.Contains(words.English.ExplainProblem(res.Warning), tt.says) {
					t.Fatalf("poll under %s: %+v, %v; want a warning saying %q", tt.name, res, err, tt.says)
				}
				if s, _ := ledger.Get(sale.OutTradeNo); s.Status != store.StatusPending {
					t.Fatalf("the ledger says %s on an answer that was not verified", s.Status)
				}
				if err := srv.SetFaults(emulator.Faults{}); err != nil {
					t.Fatal(err)
				}
				if res, err := reg.Poll(ctx, sale); err != nil || res.Progress != pos.Paid {
					t.Errorf("once the fault clears: %+v, %v", res, err)
				}
			})
		}
	})
}

func TestCancelRetriesWhileAlipayAsks(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, _ alipay.Protocol) {
		reg, srv, _ := faultyCounter(t)
		ctx := context.Background()
		sale, err := reg.Start(ctx, 500, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.SetFaults(emulator.Faults{CancelRetries: 2}); err != nil {
			t.Fatal(err)
		}
		out, err := reg.Cancel(ctx, sale, "The time to pay ran out")
		if err != nil || out.Status != pos.StatusCancelled {
			t.Errorf("cancel with two retry answers: %+v, %v", out, err)
		}
		if err := srv.SetFaults(emulator.Faults{CancelRetries: 10}); err != nil {
			t.Fatal(err)
		}
		sale2, _ := reg.Start(ctx, 600, "")
		if out, _ := reg.Cancel(ctx, sale2, "The time to pay ran out"); out.Status != pos.StatusUnknown {
			t.Errorf("cancel that never stops asking for retries: %q, want unknown", out.Status)
		}
	})
}

// TestPrecreateFaultIsExplainedAndSettled: a 502 after the gateway ran
// the precreate leaves a trade at Alipay, so the sale is unknown, not
// failed, until the background retry cancels it.
func TestPrecreateFaultIsExplainedAndSettled(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, _ alipay.Protocol) {
		reg, srv, ledger := faultyCounter(t)
		if err := srv.SetFaults(emulator.Faults{HTTP5xxRate: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := reg.Start(context.Background(), 100, "")
		if msg := words.English.Explain(err); !strings.Contains(msg, "The connection to Alipay failed before its answer arrived, so no QR code was shown") {
			t.Errorf("Describe = %q", msg)
		}
		open, _ := ledger.Unsettled()
		if len(open) != 1 || open[0].Status != store.StatusUnknown {
			t.Fatalf("a sale whose precreate answer was lost: %+v, want it open and unknown", open)
		}
		if tr, ok := srv.Trade(open[0].OutTradeNo); !ok || tr.Status != emulator.StatusPrecreated {
			t.Fatalf("the gateway has %+v", tr)
		}
		if err := srv.SetFaults(emulator.Faults{}); err != nil {
			t.Fatal(err)
		}
		if settled, left, err := reg.Reconcile(context.Background()); err != nil || left != 0 || len(settled) != 1 || settled[0].Status != pos.StatusCancelled {
			t.Fatalf("Reconcile = %+v, %d, %v", settled, left, err)
		}
		if tr, _ := srv.Trade(open[0].OutTradeNo); tr.Status != emulator.StatusTradeClosed {
			t.Errorf("the gateway's trade is %s, want closed", tr.Status)
		}
	})
}

// buyerPlan is what the customer does in one cell of the fault matrix.
type buyerPlan int

const (
	buyerAway     buyerPlan = iota // never pays
	buyerPays                      // pays at once; the kiosk learns it by query
	buyerPaysLoud                  // pays at once; Alipay also notifies the kiosk
	buyerPaysLate                  // pays after the poll, as the countdown ends
)

var buyerPlans = []buyerPlan{buyerAway, buyerPays, buyerPaysLoud, buyerPaysLate}

func (b buyerPlan) String() string {
	return [...]string{"buyer away", "buyer pays", "buyer pays, notified", "buyer pays late"}[b]
}

// matrixMode is one --faults mode of the emulator, applied to methods.
type matrixMode struct {
	name   string
	faults func(methods []string) emulator.Faults
}

var matrixModes = []matrixMode{
	{"latency", func(m []string) emulator.Faults { return emulator.Faults{Latency: faultLatency, Methods: m} }},
	{"reset", func(m []string) emulator.Faults { return emulator.Faults{ResetRate: 1, Methods: m} }},
	{"5xx", func(m []string) emulator.Faults { return emulator.Faults{HTTP5xxRate: 1, Methods: m} }},
	{"malformed", func(m []string) emulator.Faults { return emulator.Faults{MalformedRate: 1, Methods: m} }},
	{"badsig", func(m []string) emulator.Faults { return emulator.Faults{BadSignatureRate: 1, Methods: m} }},
	{"unsigned", func(m []string) emulator.Faults { return emulator.Faults{UnsignedRate: 1, Methods: m} }},
	{"syserr", func(m []string) emulator.Faults { return emulator.Faults{SystemErrorRate: 1, Methods: m} }},
	// Methods does not limit cancel-retries: it is a cancel fault only.
	{"cancel-retries", func([]string) emulator.Faults { return emulator.Faults{CancelRetries: 10} }},
}

// TestFaultMatrix: each fault mode of the emulator on each method the
// kiosk calls, with the customer paying or not, through the real client,
// register and ledger. The sale runs as the screen runs it (start, a poll,
// the cancel when the countdown ends) while the fault lasts; then the
// gateway heals and the kiosk settles what is open, as the background retry
// and the next start do. At the end the ledger and the gateway's trade
// table must agree. Query and cancel failing together is a column of its
// own: only then does a cancel meet a payment the kiosk has not seen.
//
// Payment-code sales (alipay.trade.pay) have rows of their own: the
// cashier scans a code the emulated customer shows (paid at once, to be
// confirmed on the phone or never, refused), with the fault on pay alone
// (the answer to the charge is lost; query and cancel settle it) and on
// pay, query and cancel together (nothing can be asked until the gateway
// heals; a charge that went through is then refunded).
func TestFaultMatrix(t *testing.T) {
	keys, _, err := emulator.LoadOrCreateKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	columns := [][]string{
		{alipay.MethodPrecreate}, {alipay.MethodQuery}, {alipay.MethodCancel}, {alipay.MethodQuery, alipay.MethodCancel},
	}
	for _, protocol := range testProtocols {
		for _, methods := range columns {
			for _, mode := range matrixModes {
				if mode.name == "cancel-retries" && !slices.Contains(methods, alipay.MethodCancel) {
					continue
				}
				for _, buyer := range buyerPlans {
					name := fmt.Sprintf("%s/%s/%s/%s", protocol, strings.Join(methods, "+"), mode.name, buyer)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						runMatrixCell(t, keys, protocol, mode.faults(methods), buyer)
					})
				}
			}
		}
		for _, row := range payRows {
			for _, mode := range matrixModes {
				if mode.name == row.skip || mode.name == "cancel-retries" && !slices.Contains(row.methods, alipay.MethodCancel) {
					continue
				}
				for _, payer := range row.payers {
					name := fmt.Sprintf("%s/%s/%s/%s", protocol, strings.Join(row.methods, "+"), mode.name, payer)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						runPayCell(t, keys, protocol, mode.faults(row.methods), payer)
					})
				}
			}
		}
	}
}

func runMatrixCell(t *testing.T, keys *emulator.Keys, protocol alipay.Protocol, faults emulator.Faults, buyer buyerPlan) {
	rig := newMatrixRig(t, keys, protocol, buyer == buyerPaysLoud)
	ctx := context.Background()
	if err := rig.srv.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	sale, startErr := rig.reg.Start(ctx, 1234, "")
	if buyer == buyerPays || buyer == buyerPaysLoud {
		rig.pay(t) // even a customer told the sale failed may pay a trade Alipay has
	}
	if startErr == nil {
		res, err := rig.reg.Poll(ctx, sale)
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		if buyer == buyerPaysLate {
			rig.pay(t)
		}
		if res.Progress != pos.Paid {
			if _, err := rig.reg.Cancel(ctx, sale, "The time to pay ran out"); err != nil {
				t.Logf("cancel under the fault: %v", err)
			}
		}
	}
	sales := rig.healAndSettle(t)
	checkAgreement(t, sales, rig.srv.Trades())
	if t.Failed() {
		for _, s := range sales {
			t.Logf("start: %v\nledger: %s %v", startErr, s.Status, notesOf(s))
		}
	}
}

// healAndSettle clears the gateway's faults and settles what is open, as
// the background retry and the next start do, and returns the ledger's
// one sale of the day.
func (rig *matrixRig) healAndSettle(t *testing.T) map[string]store.Sale {
	t.Helper()
	ctx := context.Background()
	if err := rig.srv.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := rig.reg.Reconcile(ctx); err != nil {
		t.Errorf("background retry: %v", err)
	}
	if _, err := rig.reg.Recover(ctx); err != nil {
		t.Errorf("recovery at start: %v", err)
	}
	sales := salesOfToday(t, rig.ledger)
	if len(sales) != 1 {
		t.Fatalf("the ledger has %d sales, want the one", len(sales))
	}
	return sales
}

// salesOfToday are the ledger's sales of today, by order number.
func salesOfToday(t *testing.T, ledger *store.Store) map[string]store.Sale {
	t.Helper()
	day, err := ledger.Day(ledger.DateOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	sales := map[string]store.Sale{}
	for _, s := range day.Sales {
		sales[s.OutTradeNo] = s
	}
	return sales
}

func notesOf(s store.Sale) []string {
	var out []string
	for _, ev := range s.History {
		out = append(out, string(ev.Status)+": "+ev.Note)
	}
	return out
}

// matrixRig is one kiosk and its own emulator (faults are per emulator).
type matrixRig struct {
	srv      *emulator.Server
	reg      *pos.Register
	ledger   *store.Store
	notified chan struct{} // one value per notification handled, when notifications are on
}

func newMatrixRig(t *testing.T, keys *emulator.Keys, protocol alipay.Protocol, notifications bool) *matrixRig {
	t.Helper()
	srv, err := emulator.Start("127.0.0.1:0", emulator.ServerConfig(keys, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	client, err := emulatorClient(srv, keys, protocol)
	if err != nil {
		t.Fatal(err)
	}
	ledger := tempLedger(t)
	rig := &matrixRig{srv: srv, ledger: ledger}
	cfg := faultyConfig
	cfg.CancelAttempts = 2
	cfg.SellerID = emulator.DefaultSellerID
	var (
		opts     []pos.Option
		listener *httptest.Server
	)
	if notifications {
		verifier := &alipay.NotifyVerifier{AlipayPublicKey: keys.AlipayPublic, AppID: emulator.DefaultAppID, SellerID: emulator.DefaultSellerID}
		opts = append(opts, pos.WithNotifications(verifier))
		listener = httptest.NewUnstartedServer(nil)
		cfg.NotifyURL = "http://" + listener.Listener.Addr().String() + "/alipay/notify"
	}
	if rig.reg, err = pos.New(cfg, client, ledger, opts...); err != nil {
		t.Fatal(err)
	}
	if listener != nil {
		rig.notified = make(chan struct{}, 16)
		handler := rig.reg.NotifyHandler()
		listener.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			handler.ServeHTTP(w, r)
			rig.notified <- struct{}{}
		})
		listener.Start()
		t.Cleanup(listener.Close)
	}
	return rig
}

// pay plays the customer paying the kiosk's trade, if the gateway has one
// that can still be paid, and waits for Alipay's notification of it to be
// answered when notifications are on.
func (rig *matrixRig) pay(t *testing.T) {
	t.Helper()
	trades := rig.srv.Trades()
	if len(trades) == 0 {
		return // the precreate never ran at the gateway
	}
	if err := rig.srv.Pay(trades[0].OutTradeNo); err != nil {
		return // closed already
	}
	if rig.notified == nil {
		return
	}
	select {
	case <-rig.notified:
	case <-time.After(30 * time.Second):
		t.Fatal("Alipay's notification of the payment never reached the kiosk")
	}
}

// payer is what the customer who shows a payment code does in one cell of
// the fault matrix.
type payer int

const (
	payerPays         payer = iota // a code paid at once
	payerPaysLoud                  // the same; Alipay also notifies the kiosk
	payerAway                      // a code to confirm on the phone, never confirmed
	payerConfirmsLate              // a code to confirm, confirmed after the poll, as the countdown ends
	payerRefused                   // an expired code: Alipay refuses it
)

func (p payer) String() string {
	return [...]string{"code paid", "code paid, notified", "code never confirmed", "code confirmed late", "code expired"}[p]
}

// kind is the emulator's kind of code for p.
func (p payer) kind() emulator.BuyerCodeKind {
	switch p {
	case payerAway, payerConfirmsLate:
		return emulator.BuyerCodeConfirm
	case payerRefused:
		return emulator.BuyerCodeExpired
	}
	return emulator.BuyerCodePay
}

// payRows are the fault columns of payment-code sales, each with the
// customers that tell its paths apart. With every call failing, a code
// confirmed late, notified or refused takes no path of its own: the
// answer is lost, nothing can be asked, and the healed gateway decides.
//
// The second row leaves latency out: there it is every call running out of
// time, which reset shows as well, and each cell would wait five deadlines.
var payRows = []struct {
	methods []string
	payers  []payer
	skip    string // a mode the row leaves out
}{
	{[]string{alipay.MethodPay}, []payer{payerPays, payerPaysLoud, payerAway, payerConfirmsLate, payerRefused}, ""},
	{[]string{alipay.MethodPay, alipay.MethodQuery, alipay.MethodCancel}, []payer{payerPays, payerAway}, "latency"},
}

// runPayCell sells by payment code the way the screen will: the scan, and
// for a charge the customer must confirm a poll and the cancel when the
// countdown ends, while the fault lasts; then the gateway heals, the kiosk
// settles what is open, and the ledger and the gateway must agree.
func runPayCell(t *testing.T, keys *emulator.Keys, protocol alipay.Protocol, faults emulator.Faults, p payer) {
	rig := newMatrixRig(t, keys, protocol, p == payerPaysLoud)
	ctx := context.Background()
	code, err := rig.srv.IssueBuyerCode(p.kind())
	if err != nil {
		t.Fatal(err)
	}
	if err := rig.srv.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	ch, scanErr := rig.reg.ScanPay(ctx, 1234, "", code)
	if p == payerPaysLoud {
		rig.awaitPaymentNotice(t)
	}
	if scanErr == nil && ch.Stage == pos.ChargeWaiting {
		res, err := rig.reg.Poll(ctx, ch.Sale)
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		if p == payerConfirmsLate {
			_ = rig.srv.ConfirmBuyerCode(code) // may find the trade closed already
		}
		if res.Progress != pos.Paid {
			if _, err := rig.reg.Cancel(ctx, ch.Sale, "The customer did not confirm in time"); err != nil {
				t.Logf("cancel under the fault: %v", err)
			}
		}
	}
	sales := rig.healAndSettle(t)
	for _, s := range sales {
		if s.Method != store.PayByCode {
			t.Errorf("sale %s recorded as paid by %s", s.OutTradeNo, s.Method)
		}
	}
	checkAgreement(t, sales, rig.srv.Trades())
	if t.Failed() {
		for _, s := range sales {
			t.Logf("scan: %+v, %v\nledger: %s %v", ch, scanErr, s.Status, notesOf(s))
		}
	}
}

// awaitPaymentNotice waits, when the charge went through at the gateway,
// for Alipay's notification of it to be answered.
func (rig *matrixRig) awaitPaymentNotice(t *testing.T) {
	t.Helper()
	trades := rig.srv.Trades()
	if len(trades) == 0 || trades[0].PaidAt.IsZero() {
		return // the charge never ran, or was refused
	}
	select {
	case <-rig.notified:
	case <-time.After(30 * time.Second):
		t.Fatal("Alipay's notification of the payment never reached the kiosk")
	}
}
