package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/internal/pgtest"
	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
	"kiosk/ui/cli"
)

// The chain test runs this test binary again as a kiosk child (init runs
// before any test): with KIOSK_CENTRAL_CHILD=sell it sells in a loop with
// its shipper running until it is killed, and with =finish it settles,
// sells a little and exits once head office has everything.
func init() {
	if mode := os.Getenv("KIOSK_CENTRAL_CHILD"); mode != "" {
		os.Exit(centralChild(mode))
	}
}

func centralChild(mode string) int {
	cfgPath := os.Getenv("KIOSK_CENTRAL_CONFIG")
	cfg, err := loadConfig(cfgPath) // KIOSK_TERMINAL_ID, KIOSK_CENTRAL_LEDGER... from the environment
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg.PollInterval = duration{10 * time.Second} // the loop polls by itself; this sets the call deadline
	plan, err := planCounter(cfg)
	if err != nil || plan.central == nil {
		fmt.Fprintln(os.Stderr, "plan:", err)
		return 2
	}
	plan.central.BatchSize, plan.central.Interval = 4, 10*time.Millisecond
	plan.central.MinBackoff, plan.central.MaxBackoff = 10*time.Millisecond, 100*time.Millisecond
	stopAt(plan.central, os.Getenv("KIOSK_CENTRAL_STOP"))
	c, err := openCounter(plan, os.Getenv("KIOSK_CENTRAL_DATA"))
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
	base := strings.TrimSuffix(cfg.Gateway, "/gateway.do")
	pay := func(no string) error { _, err := emulator.PayRemote(ctx, base, no); return err }
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	if mode == "sell" {
		for {
			chainSale(ctx, c.register, pay, rng)
		}
	}
	for range 3 {
		chainSale(ctx, c.register, pay, rng)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := c.ledger.OutboxState()
		if err == nil && st.Head > 0 && st.Acked == st.Head {
			return 0
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "head office never caught up: %+v, %v; shipper %+v\n", st, err, c.shipper.Status())
			return 1
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stopAt makes the shipper stop for good at its third batch, inside the
// transaction ("transaction") or after the commit and before the ledger
// records it ("commit"), and say so on standard output, for the parent to
// kill it there.
func stopAt(cfg *central.Config, where string) {
	var batches atomic.Int32
	hook := func() {
		if batches.Add(1) == 3 {
			fmt.Println("STOPPED", where)
			select {} // the batch stays where it is until the kill
		}
	}
	switch where {
	case "transaction":
		cfg.Hooks.InTransaction = hook
	case "commit":
		cfg.Hooks.Committed = hook
	}
}

// chainSale runs one sale as a cashier and customer would: two in three
// are paid, the rest cancelled.
func chainSale(ctx context.Context, reg *pos.Register, pay func(string) error, rng *rand.Rand) (store.Status, string) {
	sale, err := reg.Start(ctx, 1+rng.Int64N(50000), "chain test")
	if err != nil {
		return store.StatusFailed, ""
	}
	if rng.IntN(3) < 2 && pay(sale.OutTradeNo) == nil {
		for range 5 {
			if res, err := reg.Poll(ctx, sale); err == nil && res.Progress == pos.Paid {
				return store.StatusPaid, sale.OutTradeNo
			}
		}
	}
	out, _ := reg.Cancel(ctx, sale, "the customer left")
	return store.Status(out.Status), sale.OutTradeNo
}

// anyPIN stands in for the manager at every register: the PIN is not what
// this test is about, and checking it costs 64 MiB of argon2 each time.
type anyPIN struct{ *store.Store }

func (anyPIN) CheckManagerPIN(string, time.Time) error { return nil }

// chainRegister is one counter of the chain, in this process.
type chainRegister struct {
	terminal string
	dir      string
	ledger   *store.Store
	reg      *pos.Register
	shipper  *central.Shipper
	rng      *rand.Rand
	paid     []string // paid sales, for refunds
}

func newChainRegister(t *testing.T, i int, client *alipay.Client, dsn string, loc *time.Location, seed uint64) *chainRegister {
	t.Helper()
	r := &chainRegister{terminal: fmt.Sprintf("T%02d", i+1), dir: t.TempDir(), rng: rand.New(rand.NewPCG(seed, uint64(i)))}
	storeID := fmt.Sprintf("S%d", i%4+1)
	var err error
	if r.ledger, err = store.Open(r.dir, store.Options{Location: loc}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.ledger.Close() })
	r.shipper, err = central.NewShipper(r.ledger, central.Config{
		DSN: dsn, TerminalID: r.terminal, StoreID: storeID, TimeZone: loc.String(), BatchSize: 8,
		Interval: 20 * time.Millisecond, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.reg, err = pos.New(pos.Config{TerminalID: r.terminal, StoreID: storeID, PollInterval: 10 * time.Second,
		CancelBackoff: 5 * time.Millisecond, Location: loc},
		client, r.ledger, pos.WithBackOffice(anyPIN{r.ledger}, client), pos.WithHeadOffice(r.shipper))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sell makes n sales, and refunds one paid sale in part or in full now and
// then.
func (r *chainRegister) sell(ctx context.Context, n int, pay func(string) error) error {
	for range n {
		if st, no := chainSale(ctx, r.reg, pay, r.rng); st == store.StatusPaid {
			r.paid = append(r.paid, no)
		}
		if len(r.paid) > 0 && r.rng.IntN(4) == 0 {
			no := r.paid[0]
			r.paid = r.paid[1:]
			sale, err := r.ledger.Get(no)
			if err != nil {
				return err
			}
			fen := sale.AmountFen
			if r.rng.IntN(2) == 0 && fen > 1 {
				fen /= 2
			}
			_, err = r.reg.Refund(ctx, pos.RefundOrder{OutTradeNo: no, Fen: fen, PIN: "0000", ApprovedBy: "Li"})
			if err != nil && !errors.Is(err, pos.ErrRefundPending) { // a refund in flight is a state like any other
				return fmt.Errorf("%s: refund %s: %w", r.terminal, no, err)
			}
		}
	}
	return nil
}

// everyRegister runs fn on every register at once and returns the first
// failure.
func everyRegister(regs []*chainRegister, fn func(*chainRegister) error) error {
	errs := make(chan error, len(regs))
	var wg sync.WaitGroup
	for _, r := range regs {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- fn(r) }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestChainOfCountersAtHeadOffice runs twenty registers, each with its own
// ledger and terminal id, against one emulator, selling, paying,
// cancelling and refunding at random while their shippers run, through a
// network to PostgreSQL that is cut for a while and whose connections are
// later terminated by the server; and a twenty-first kiosk, a child
// process, killed with SIGKILL in the middle of a batch twice (before and
// after PostgreSQL's commit) and restarted. At the end PostgreSQL holds
// exactly the union of the ledgers: every ledger verifies event by event,
// every sale is there once with its final state, and each terminal's
// report at head office is its `kiosk ledger report`.
func TestChainOfCountersAtHeadOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("twenty registers and a killed child; skipped with -short")
	}
	dsn := pgtest.DB(t)
	proxy, via := pgtest.NewProxy(t, dsn)
	cfgPath, srv, keys := standaloneEmulator(t, nil)
	client, err := emulatorClient(srv, keys, alipay.ProtocolV2)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := fileConfig{}.location()
	started := time.Now()
	seed := uint64(started.UnixNano())
	t.Logf("seed %d", seed)

	regs := make([]*chainRegister, 20)
	for i := range regs {
		regs[i] = newChainRegister(t, i, client, via, loc, seed)
	}
	ctx, stopShippers := context.WithCancel(context.Background())
	var shipping sync.WaitGroup
	for _, r := range regs {
		shipping.Add(1)
		go func() { defer shipping.Done(); r.shipper.Run(ctx) }()
	}
	t.Cleanup(func() { stopShippers(); shipping.Wait() })

	child := t.TempDir()
	childDone := make(chan error, 1)
	go func() { childDone <- runKilledKiosk(cfgPath, child, dsn) }()

	pay := srv.Emulator.Pay
	sell := func(n int) {
		t.Helper()
		if err := everyRegister(regs, func(r *chainRegister) error { return r.sell(context.Background(), n, pay) }); err != nil {
			t.Fatal(err)
		}
	}
	caughtUp := func(what string) {
		t.Helper()
		waitUntil(t, what, func() bool {
			for _, r := range regs {
				st, err := r.ledger.OutboxState()
				if err != nil || st.Acked != st.Head || r.shipper.Status().LastError != nil {
					return false
				}
			}
			return true
		})
	}

	sell(3)
	proxy.Cut()
	sell(3)
	waitUntil(t, "every cashier to see head office behind", func() bool {
		for _, r := range regs {
			if h := r.reg.HeadOffice(); !h.Behind || h.ToSend == 0 {
				return false
			}
		}
		return true
	})
	proxy.Restore()
	caughtUp("head office to catch up after the outage")
	sell(1)
	terminateShippers(t, pgtest.Server(t))
	sell(2)
	for _, r := range regs[:5] {
		if _, err := r.reg.CloseDay(r.reg.Today(), "0000"); err != nil {
			t.Fatal(err)
		}
	}
	caughtUp("head office to have every change")
	if err := <-childDone; err != nil {
		t.Fatal(err)
	}
	stopShippers()
	shipping.Wait()

	dirs := map[string]string{"T21": child}
	for _, r := range regs {
		dirs[r.terminal] = r.dir
	}
	checkHeadOfficeHoldsTheUnion(t, dsn, dirs, started)
}

// runKilledKiosk runs the child kiosk as terminal T21 of store S9: killed
// in a batch's transaction, then killed after a batch's commit, then run
// until head office has everything.
func runKilledKiosk(cfgPath, dir, dsn string) error {
	env := append(os.Environ(), "KIOSK_CENTRAL_CONFIG="+cfgPath, "KIOSK_CENTRAL_DATA="+dir,
		"KIOSK_CENTRAL_LEDGER="+dsn, "KIOSK_TERMINAL_ID=T21", "KIOSK_STORE_ID=S9")
	for _, where := range []string{"commit", "transaction"} {
		if err := killAt(env, where); err != nil {
			return err
		}
		if err := checkKilledBatch(dir, dsn, where); err != nil {
			return err
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(env, "KIOSK_CENTRAL_CHILD=finish")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("the kiosk's last run: %v\n%s", err, out)
	}
	return nil
}

// killAt starts a selling child and kills it with SIGKILL once its shipper
// has stopped at where.
func killAt(env []string, where string) error {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(env, "KIOSK_CENTRAL_CHILD=sell", "KIOSK_CENTRAL_STOP="+where)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	stopped := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "STOPPED "+where {
				stopped <- true
				return
			}
		}
		stopped <- false
	}()
	select {
	case ok := <-stopped:
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if !ok {
			return fmt.Errorf("the kiosk ended before its shipper stopped at %s:\n%s", where, stderr.String())
		}
		return nil
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("the kiosk's shipper never reached its third batch:\n%s", stderr.String())
	}
}

// checkKilledBatch confirms the kill hit where it was meant to: after the
// commit, head office holds events the ledger never recorded as confirmed;
// inside the transaction, head office holds no more than was confirmed.
func checkKilledBatch(dir, dsn, where string) error {
	st, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	state, err := st.OutboxState()
	st.Close()
	if err != nil {
		return err
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var held uint64
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM events WHERE terminal_id = 'T21'").Scan(&held); err != nil {
		return err
	}
	switch {
	case where == "commit" && held <= state.Acked:
		return fmt.Errorf("killed after the commit, yet head office holds %d and the ledger confirmed %d", held, state.Acked)
	case where == "transaction" && held > state.Acked:
		return fmt.Errorf("killed inside the transaction, yet head office holds %d beyond the confirmed %d", held, state.Acked)
	}
	return nil
}

// terminateShippers has the server end every shipper's connection, as a
// restarted or failed-over primary does.
func terminateShippers(t *testing.T, admin string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name LIKE 'kiosk shipper T%' AND pid <> pg_backend_pid()`).Scan(&n)
	if err != nil || n == 0 {
		t.Fatalf("terminated %d shipper connections: %v", n, err)
	}
}

// waitUntil polls cond until it holds, for at most two minutes on a loaded
// machine.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkHeadOfficeHoldsTheUnion compares head office with each ledger (by
// terminal id), through the commands a manager would run.
func checkHeadOfficeHoldsTheUnion(t *testing.T, dsn string, dirs map[string]string, started time.Time) {
	t.Helper()
	t.Setenv("KIOSK_CENTRAL_LEDGER", dsn)
	t.Setenv("KIOSK_CONFIG", "")
	loc, _ := fileConfig{}.location()
	dates := []string{started.In(loc).Format(time.DateOnly)}
	if today := time.Now().In(loc).Format(time.DateOnly); today != dates[0] {
		dates = append(dates, today) // the test ran across midnight
	}
	ctx := context.Background()
	db, err := central.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sales, statuses := 0, map[store.Status]int{}
	for terminal, dir := range dirs {
		st, err := store.Open(dir, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.Verify(ctx, st, terminal)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !v.OK() || v.Unsent != 0 || v.Matched != v.Events || v.Events == 0 {
			t.Errorf("%s: verify %+v", terminal, v)
		}
		for _, date := range dates {
			var kiosk, chain bytes.Buffer
			if err := runCommand(&kiosk, "ledger", "--data", dir, "--date", date, "--format", "json"); err != nil {
				t.Fatal(err)
			}
			if err := runCommand(&chain, "central", "ledger", "--terminal", terminal, "--date", date, "--format", "json"); err != nil {
				t.Fatal(err)
			}
			var k, c struct {
				Sales  []map[string]any `json:"sales"`
				Totals map[string]any   `json:"totals"`
			}
			_ = json.Unmarshal(kiosk.Bytes(), &k)
			_ = json.Unmarshal(chain.Bytes(), &c)
			for _, s := range c.Sales {
				delete(s, "store_id")
			}
			for _, s := range k.Sales {
				statuses[store.Status(s["status"].(string))]++
			}
			sales += len(k.Sales)
			if !reflect.DeepEqual(k, c) {
				t.Errorf("%s on %s: head office's ledger\n%s\nthe kiosk's\n%s", terminal, date, chain.String(), kiosk.String())
			}
		}
	}
	for _, date := range dates {
		compareReports(t, dirs, date)
	}
	var status bytes.Buffer
	if err := runCommand(&status, "central", "status", "--format", "json"); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Terminals []struct {
			TerminalID string `json:"terminal_id"`
			LastSeq    int    `json:"last_seq"`
			KioskHead  int    `json:"kiosk_head"`
			Behind     int    `json:"behind"`
		} `json:"terminals"`
	}
	_ = json.Unmarshal(status.Bytes(), &st)
	if len(st.Terminals) != len(dirs) {
		t.Errorf("central status lists %d terminals, want %d:\n%s", len(st.Terminals), len(dirs), status.String())
	}
	for _, term := range st.Terminals {
		if term.Behind != 0 || term.LastSeq != term.KioskHead || term.LastSeq == 0 {
			t.Errorf("central status of %s: %+v", term.TerminalID, term)
		}
	}
	var n, distinct int
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT out_trade_no) FROM sales").Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != sales || distinct != sales {
		t.Errorf("head office lists %d sales (%d distinct); the ledgers have %d", n, distinct, sales)
	}
	t.Logf("%d sales in %d ledgers: %v", sales, len(dirs), statuses)
	if statuses[store.StatusPaid] == 0 || statuses[store.StatusCancelled] == 0 || statuses[store.StatusRefunded] == 0 {
		t.Errorf("the run exercised too little: %v", statuses)
	}
}

// compareReports: each terminal's figures in `kiosk central report` are
// those of its `kiosk ledger report`, and the chain's are their sum.
func compareReports(t *testing.T, dirs map[string]string, date string) {
	t.Helper()
	var out bytes.Buffer
	if err := runCommand(&out, "central", "report", "--date", date, "--format", "json"); err != nil {
		t.Fatal(err)
	}
	type report struct {
		Totals  map[string]any `json:"totals"`
		ZNumber int            `json:"z_number"`
	}
	var chain struct {
		Terminals []struct {
			TerminalID string `json:"terminal_id"`
			Report     report `json:"report"`
		} `json:"terminals"`
		Chain report `json:"chain"`
	}
	if err := json.Unmarshal(out.Bytes(), &chain); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := map[string]report{}
	for _, tr := range chain.Terminals {
		got[tr.TerminalID] = tr.Report
	}
	var sum store.Totals
	for terminal, dir := range dirs {
		var kiosk bytes.Buffer
		if err := runCommand(&kiosk, "ledger", "report", "--data", dir, "--date", date, "--format", "json"); err != nil {
			t.Fatal(err)
		}
		var want report
		_ = json.Unmarshal(kiosk.Bytes(), &want)
		if want.Totals["count"].(float64) == 0 {
			continue
		}
		if g, ok := got[terminal]; !ok || !reflect.DeepEqual(g, want) {
			t.Errorf("%s on %s: head office reports %+v, the kiosk %+v", terminal, date, g, want)
		}
		sum.NetFen += int64(want.Totals["net_fen"].(float64))
		sum.Count += int(want.Totals["count"].(float64))
	}
	if int64(chain.Chain.Totals["net_fen"].(float64)) != sum.NetFen || int(chain.Chain.Totals["count"].(float64)) != sum.Count {
		t.Errorf("the chain's totals %v are not the sum of the kiosks' (net %d fen, %d sales)", chain.Chain.Totals, sum.NetFen, sum.Count)
	}
}

// TestCentralReconcileCoversTheWholeAccount: head office reconciles every
// terminal's sales together against Alipay's bill for the merchant
// account, and finds a trade that no counter recorded.
func TestCentralReconcileCoversTheWholeAccount(t *testing.T) {
	dsn := pgtest.DB(t)
	cfgPath, srv, keys := standaloneEmulator(t, nil)
	client, err := emulatorClient(srv, keys, alipay.ProtocolV2)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := fileConfig{}.location()
	ctx := context.Background()
	for i := range 2 {
		r := newChainRegister(t, i, client, dsn, loc, 1)
		if err := r.sell(ctx, 3, srv.Emulator.Pay); err != nil {
			t.Fatal(err)
		}
		if err := r.shipper.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		r.shipper.Close()
	}
	t.Setenv("KIOSK_CENTRAL_LEDGER", dsn)
	date := time.Now().In(loc).Format(time.DateOnly)
	var out bytes.Buffer
	if err := runCommand(&out, "central", "reconcile", "--config", cfgPath, "--date", date); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "6 sales, 0 differences") {
		t.Errorf("reconcile of the two terminals:\n%s", out.String())
	}

	stray := "STRAY" + fmt.Sprint(time.Now().UnixNano())
	if _, err := client.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: stray, TotalFen: 100, Subject: "no counter"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Emulator.Pay(stray); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = runCommand(&out, "central", "reconcile", "--config", cfgPath, "--date", date)
	if err == nil || !strings.Contains(out.String(), stray) || !strings.Contains(out.String(), "bill has this trade") {
		t.Errorf("a trade no counter recorded: %v\n%s", err, out.String())
	}
}

func TestCentralLedgerSetting(t *testing.T) {
	plan, err := planCounter(fileConfig{})
	if err != nil || plan.central != nil {
		t.Fatalf("without central_ledger: %+v, %v", plan.central, err)
	}
	if _, err := planCounter(fileConfig{CentralLedger: "host=h port=notanumber"}); err == nil ||
		!strings.Contains(err.Error(), "central_ledger") || !errors.As(err, new(cli.UsageError)) {
		t.Errorf("a malformed central_ledger: %v", err)
	}
	var cfg fileConfig
	env := map[string]string{"KIOSK_CENTRAL_LEDGER": "postgres://hq.example/chain", "KIOSK_STORE_ID": "S7"}
	if err := applyEnv(&cfg, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil {
		t.Fatal(err)
	}
	plan, err = planCounter(cfg)
	if err != nil || plan.central == nil {
		t.Fatalf("central_ledger from the environment: %v", err)
	}
	if c := plan.central; c.DSN != "postgres://hq.example/chain" || c.TerminalID != pos.DefaultTerminalID || c.StoreID != "S7" || c.TimeZone != "Asia/Shanghai" {
		t.Errorf("shipper settings %+v", c)
	}
}

func TestCentralCommandNeedsHeadOffice(t *testing.T) {
	t.Setenv("KIOSK_CENTRAL_LEDGER", "")
	t.Setenv("KIOSK_CONFIG", "")
	for _, args := range [][]string{{}, {"nonsense"}, {"report"}, {"report", "--date", "2026-13-01"}, {"reconcile", "--store", "S1"}} {
		err := execute(append([]string{"central"}, args...), stdio{out: io.Discard, diag: io.Discard})
		if !errors.As(err, new(cli.UsageError)) {
			t.Errorf("central %v: %v, want a usage error", args, err)
		}
	}
}
