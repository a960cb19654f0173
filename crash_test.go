package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store"
)

// The crash test runs this test binary again as a kiosk child: with
// KIOSK_CRASH_CHILD=sell it settles what the last run left and then sells
// in a loop until killed, by QR code and by payment code; with =sell-codes
// it sells by payment codes that pay at once only; with =recover it only
// settles and exits.
func TestMain(m *testing.M) {
	// The tests read what the kiosk says in English, whatever the host's
	// locale; those of another language ask for it.
	os.Setenv("LC_ALL", "C")
	os.Unsetenv("KIOSK_LANG")
	if mode := os.Getenv("KIOSK_CRASH_CHILD"); mode != "" {
		os.Exit(crashChild(mode))
	}
	os.Exit(m.Run())
}

func crashChild(mode string) int {
	keys := os.Getenv("KIOSK_CRASH_KEYS")
	plan, err := planCounter(fileConfig{
		AppID:           emulator.DefaultAppID,
		AppPrivateKey:   filepath.Join(keys, emulator.AppPrivateKeyFile),
		AlipayPublicKey: filepath.Join(keys, emulator.AlipayPublicKeyFile),
		Gateway:         os.Getenv("KIOSK_CRASH_GATEWAY"),
		TerminalID:      "CRASH",
		Protocol:        os.Getenv("KIOSK_PROTOCOL"),
		PollInterval:    duration{100 * time.Millisecond},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	c, err := openCounter(plan, os.Getenv("KIOSK_CRASH_DATA"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer c.close()
	ctx := context.Background()
	if _, err := c.register.Recover(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "recover:", err)
		return 1
	}
	if mode == "recover" {
		return 0
	}
	seed, _ := strconv.ParseUint(os.Getenv("KIOSK_CRASH_CHILD_SEED"), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 2))
	customer := os.Getenv("KIOSK_CRASH_EMULATOR")
	for {
		switch {
		case mode == "sell-codes":
			sellByCode(ctx, c.register, rng, customer, emulator.BuyerCodePay)
		case rng.IntN(3) == 0:
			sellByCode(ctx, c.register, rng, customer, crashCodeKinds[rng.IntN(len(crashCodeKinds))])
		default:
			sellOnce(ctx, c.register, rng)
		}
	}
}

// sellOnce runs one sale the way the screen does: start, a few polls, and
// a cancel unless the buyer paid.
func sellOnce(ctx context.Context, reg *pos.Register, rng *rand.Rand) {
	sale, err := reg.Start(ctx, 1+rng.Int64N(100000), "crash test")
	if err != nil {
		return
	}
	awaitPayment(ctx, reg, rng, sale)
}

// awaitPayment polls a few times, and cancels unless the buyer paid.
func awaitPayment(ctx context.Context, reg *pos.Register, rng *rand.Rand, sale pos.Sale) {
	for range rng.IntN(4) {
		if res, _ := reg.Poll(ctx, sale); res.Progress == pos.Paid {
			return
		}
		time.Sleep(time.Duration(rng.IntN(10)) * time.Millisecond)
	}
	_, _ = reg.Cancel(ctx, sale, "crash test")
}

// crashCodeKinds are the payment codes the child's customers show: most
// pay, at once or once confirmed (the parent's buyer confirms at random
// moments), some are refused.
var crashCodeKinds = []emulator.BuyerCodeKind{emulator.BuyerCodePay, emulator.BuyerCodePay, emulator.BuyerCodeConfirm,
	emulator.BuyerCodeConfirm, emulator.BuyerCodeInsufficient, emulator.BuyerCodeExpired}

// sellByCode runs one payment-code sale the way the screen will: the
// customer opens a code of kind on the emulator at customer, the cashier
// scans it, and a charge waiting for the customer is polled and cancelled
// as a QR sale.
func sellByCode(ctx context.Context, reg *pos.Register, rng *rand.Rand, customer string, kind emulator.BuyerCodeKind) {
	fen := 1 + rng.Int64N(100000)
	code, err := emulator.IssueBuyerCodeRemote(ctx, customer, kind)
	if err != nil {
		return
	}
	ch, err := reg.ScanPay(ctx, fen, "crash test", code)
	if err == nil && ch.Stage == pos.ChargeWaiting {
		awaitPayment(ctx, reg, rng, ch.Sale)
	}
}

// TestKilledAtAnyInstantNothingPaidIsLost kills a selling kiosk with
// SIGKILL at random instants while a buyer pays at random moments, then
// checks the ledger against the gateway's own trade table: every payment is
// in the ledger exactly once, with its own receipt number, and nothing is
// left pending. A third of the sales are by payment code, and a last kill
// lands, for certain, while alipay.trade.pay is in flight: the charge has
// gone through at the gateway and its answer has not come back. KIOSK_CRASH_ROUNDS raises the number of kills for a soak;
// KIOSK_CRASH_SEED replays the kill instants, the buyer's choices and the
// sales of a run it logged (the machine's timing still varies).
func TestKilledAtAnyInstantNothingPaidIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	// The child reads KIOSK_PROTOCOL, so each round of kills runs once per protocol.
	forEachProtocol(t, func(t *testing.T, _ alipay.Protocol) { killAtRandomInstants(t) })
}

func killAtRandomInstants(t *testing.T) {
	rounds := 30
	if n, err := strconv.Atoi(os.Getenv("KIOSK_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	seed := crashSeed(t)
	keysDir, dataDir := t.TempDir(), t.TempDir()
	keys, _, err := emulator.LoadOrCreateKeys(keysDir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start("127.0.0.1:0", emulator.ServerConfig(keys, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	env := append(os.Environ(), "KIOSK_CRASH_KEYS="+keysDir, "KIOSK_CRASH_DATA="+dataDir, "KIOSK_CRASH_GATEWAY="+srv.GatewayURL(),
		"KIOSK_CRASH_EMULATOR="+srv.URL)
	started := time.Now()
	rng := rand.New(rand.NewPCG(seed, 1))
	// Answers lost or untrustworthy now and then, on every method, as on a
	// bad network: a lost precreate answer must not lose its payment either.
	if err := srv.SetFaults(emulator.Faults{ResetRate: 0.02, HTTP5xxRate: 0.02, MalformedRate: 0.02,
		BadSignatureRate: 0.02, UnsignedRate: 0.02, SystemErrorRate: 0.02, Seed: rng.Int64()}); err != nil {
		t.Fatal(err)
	}

	stopBuyer := startBuyer(srv.Emulator, rng.Uint64())
	for i := range rounds {
		childEnv := append(slices.Clip(env), "KIOSK_CRASH_CHILD_SEED="+strconv.FormatUint(rng.Uint64(), 10))
		runAndKill(t, childEnv, time.Duration(30+rng.IntN(700))*time.Millisecond, i)
	}
	stopBuyer()
	inFlight := killWhilePayIsInFlight(t, srv, env)
	if err := srv.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(env, "KIOSK_CRASH_CHILD=recover")
	if out, err := child.CombinedOutput(); err != nil {
		t.Fatalf("recovery run: %v\n%s", err, out)
	}
	sales := checkLedgerAgainstGateway(t, dataDir, srv.Trades(), started)
	if s := sales[inFlight]; s.Status != store.StatusPaid || s.Method != store.PayByCode || s.ReceiptNo == 0 {
		t.Errorf("the charge killed in flight, paid at the gateway, is %s %s with receipt %d in the ledger", s.Status, s.Method, s.ReceiptNo)
	}
}

// killWhilePayIsInFlight holds every answer to alipay.trade.pay, starts a
// child that sells by payment code, and kills it as soon as the gateway
// has charged a code: the kiosk dies waiting for the answer. It returns
// that sale's order number.
func killWhilePayIsInFlight(t *testing.T, srv *emulator.Server, env []string) string {
	t.Helper()
	if err := srv.SetFaults(emulator.Faults{Latency: time.Minute, Methods: []string{alipay.MethodPay}}); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, c := range srv.BuyerCodes() {
		used[c.Code] = c.Used()
	}
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(slices.Clip(env), "KIOSK_CRASH_CHILD=sell-codes")
	var output bytes.Buffer
	child.Stdout, child.Stderr = &output, &output
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	defer func() { _ = child.Process.Kill(); <-exited }()
	// The child first recovers every sale the earlier kills left open, which
	// on a loaded machine can take a while: the bound is only against a hang.
	giveUp := time.After(3 * time.Minute)
	for {
		for _, c := range srv.BuyerCodes() {
			if c.Used() && !used[c.Code] {
				if err := child.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				if tr, ok := srv.Trade(c.OutTradeNo); !ok || tr.Status != emulator.StatusTradeSuccess {
					t.Fatalf("the charge killed in flight is %+v at the gateway, want paid", tr)
				}
				return c.OutTradeNo
			}
		}
		select {
		case err := <-exited:
			exited <- err // for the deferred wait
			t.Fatalf("the child exited before it charged a payment code: %v\n%s", err, output.String())
		case <-giveUp:
			_ = child.Process.Kill()
			exited <- <-exited // its output is whole once Wait has returned
			t.Fatalf("the child never charged a payment code; its output:\n%s", output.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// crashSeed is KIOSK_CRASH_SEED, or a new seed; either way it is logged so
// that a failing run can be replayed.
func crashSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("KIOSK_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("KIOSK_CRASH_SEED=%q is not an unsigned integer", v)
		}
		seed = n
	}
	t.Logf("seed %d (replay with KIOSK_CRASH_SEED=%d)", seed, seed)
	return seed
}

func runAndKill(t *testing.T, env []string, after time.Duration, round int) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(env, "KIOSK_CRASH_CHILD=sell")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(after)
	if err := child.Process.Kill(); err != nil {
		t.Fatalf("round %d: kill: %v", round, err)
	}
	if err := child.Wait(); err == nil {
		t.Fatalf("round %d: the child ended by itself before the kill", round)
	}
}

// startBuyer pays open trades at random moments: before the first poll,
// between polls, or while the kiosk is cancelling.
func startBuyer(emu *emulator.Emulator, seed uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(seed, 7))
		tick := time.NewTicker(3 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			for _, tr := range emu.Trades() {
				open := tr.Status == emulator.StatusPrecreated || tr.Status == emulator.StatusWaitBuyerPay
				if open && rng.Float64() < 0.04 {
					_ = emu.Pay(tr.OutTradeNo) // may lose the race with a cancel: that is the point
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func checkLedgerAgainstGateway(t *testing.T, dir string, trades []emulator.Trade, started time.Time) map[string]store.Sale {
	t.Helper()
	sales := ledgerSales(t, dir, started)
	counts := checkAgreement(t, sales, trades)
	byCode := map[store.Status]int{}
	for _, s := range sales {
		if s.Method == store.PayByCode {
			byCode[s.Status]++
		}
	}
	t.Logf("%d sales across the kills: %v; by payment code: %v", len(sales), counts, byCode)
	if counts[store.StatusPaid] == 0 || counts[store.StatusCancelled] == 0 || byCode[store.StatusPaid] == 0 {
		t.Errorf("the run exercised too little: %v, by payment code %v", counts, byCode)
	}
	return sales
}

// checkAgreement is the rule "the ledger and the gateway agree": nothing
// is left open, every trade at the gateway is in the ledger with the status
// its money calls for, a sale the gateway has no trade for took no money,
// and receipt numbers are unique and gap-free. It returns the ledger's
// sales counted by status.
func checkAgreement(t *testing.T, sales map[string]store.Sale, trades []emulator.Trade) map[store.Status]int {
	t.Helper()
	counts := map[store.Status]int{}
	for _, s := range sales {
		counts[s.Status]++
		if s.Open() {
			t.Errorf("sale %s is still %s (refund due %v) after recovery", s.OutTradeNo, s.Status, s.RefundIfPaid)
		}
	}
	atGateway := map[string]bool{}
	for _, tr := range trades {
		atGateway[tr.OutTradeNo] = true
		s, ok := sales[tr.OutTradeNo]
		if !ok {
			t.Errorf("the gateway has trade %s (%s) that the ledger never recorded", tr.OutTradeNo, tr.Status)
			continue
		}
		if want := expectedStatus(tr); !slices.Contains(want, s.Status) {
			t.Errorf("trade %s is %s (refunded %v) at the gateway but %s in the ledger", tr.OutTradeNo, tr.Status, tr.Refunded, s.Status)
		}
	}
	for no, s := range sales {
		if !atGateway[no] && s.Status != store.StatusFailed && s.Status != store.StatusCancelled {
			t.Errorf("sale %s is %s in the ledger, but the gateway never had its trade", no, s.Status)
		}
	}
	checkReceipts(t, sales)
	return counts
}

func expectedStatus(tr emulator.Trade) []store.Status {
	switch {
	case tr.Refunded:
		return []store.Status{store.StatusRefunded}
	case tr.Status == emulator.StatusTradeSuccess:
		return []store.Status{store.StatusPaid}
	}
	return []store.Status{store.StatusCancelled, store.StatusFailed}
}

// checkReceipts: every sale that was paid has its own receipt number,
// and each day's numbers run 1..n without gaps.
func checkReceipts(t *testing.T, sales map[string]store.Sale) {
	t.Helper()
	byDay := map[string][]int{}
	for _, s := range sales {
		// A payment refunded later (by a manager, or because the customer
		// had been told nothing was charged) keeps the number it was given.
		if s.Status == store.StatusPaid || s.Status == store.StatusRefunded && s.ReceiptNo > 0 {
			day := s.PaidAt.Format("2006-01-02")
			byDay[day] = append(byDay[day], s.ReceiptNo)
		}
	}
	for day, nos := range byDay {
		slices.Sort(nos)
		for i, n := range nos {
			if n != i+1 {
				t.Errorf("receipts on %s are %v, want 1..%d without gaps or repeats", day, nos, len(nos))
				break
			}
		}
	}
}

func ledgerSales(t *testing.T, dir string, started time.Time) map[string]store.Sale {
	t.Helper()
	st, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sales := map[string]store.Sale{}
	for _, date := range []string{st.DateOf(started), st.DateOf(time.Now())} {
		day, err := st.Day(date)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range day.Sales {
			sales[s.OutTradeNo] = s
		}
	}
	return sales
}
