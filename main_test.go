package main

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/internal/qrscan"
	"kiosk/store"
	"kiosk/ui"
	"kiosk/ui/cli"
)

// screenRecorder keeps the last screen the program drew, so the test can
// look at it the way a customer looks at the terminal.
type screenRecorder struct {
	tea.Model
	mu   *sync.Mutex
	last *string
}

func newRecorder(m tea.Model) screenRecorder {
	return screenRecorder{Model: m, mu: new(sync.Mutex), last: new(string)}
}

func (r screenRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	return r, cmd
}

func (r screenRecorder) View() tea.View {
	v := r.Model.View()
	r.mu.Lock()
	*r.last = ansi.Strip(v.Content)
	r.mu.Unlock()
	return v
}

func (r screenRecorder) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return *r.last
}

// waitScreen waits until the screen shows want.
func (r screenRecorder) waitScreen(t *testing.T, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if s := r.screen(); strings.Contains(s, want) {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; last screen:\n%s", want, r.screen())
	return ""
}

// TestSaleEndToEndOnTheEmulator sells 12.34 the way a shop does: the
// cashier types, the customer scans the QR code off the screen and pays,
// the receipt appears, and the ledger has it as paid. Everything is real
// but the customer: ledger, register, signed HTTP to the embedded gateway.
func TestSaleEndToEndOnTheEmulator(t *testing.T) {
	dir := t.TempDir()
	k := startKiosk(t, dir, 200*time.Millisecond)
	qr := k.sell(t, "12.34")
	page := buyerRequest(t, http.MethodGet, qr)
	if !strings.Contains(page, "12.34") {
		t.Errorf("the buyer's page does not show the amount:\n%s", page)
	}
	k.rec.waitScreen(t, "Scanned, waiting for confirmation")
	buyerRequest(t, http.MethodPost, qr+"/pay")
	receipt := k.rec.waitScreen(t, "PAID")
	if !strings.Contains(receipt, "No. 0001") || !strings.Contains(receipt, "¥12.34") {
		t.Errorf("receipt:\n%s", receipt)
	}
	k.quit(t)

	day := readLedger(t, dir) // read-only, while the kiosk still holds the ledger
	if len(day.Sales) != 1 || day.Sales[0].Status != store.StatusPaid || day.Totals.PaidFen != 1234 || day.Sales[0].ReceiptNo != 1 {
		t.Errorf("ledger = %+v", day)
	}
	checkSaleLog(t, filepath.Join(dir, "kiosk.log"), day.Sales[0].OutTradeNo)
}

// TestNotificationBeatsThePoll: with a poll only every minute, the receipt
// can appear within seconds only because the emulator's signed
// notification reached the kiosk's listener.
func TestNotificationBeatsThePoll(t *testing.T) {
	k := startKiosk(t, t.TempDir(), time.Minute)
	qr := k.sell(t, "8.88")
	buyerRequest(t, http.MethodPost, qr+"/pay")
	k.rec.waitScreen(t, "PAID")
	k.quit(t)
}

type kioskUnderTest struct {
	c   *counter
	rec screenRecorder
	tm  *teatest.TestModel
}

// startKiosk runs the whole kiosk on the embedded emulator in a 100×32
// terminal, as go run . does.
func startKiosk(t *testing.T, dir string, poll time.Duration) *kioskUnderTest {
	t.Helper()
	return startKioskWith(t, dir, fileConfig{ShopName: "Test Shop", PollInterval: duration{poll}})
}

// startKioskWith is startKiosk with the given configuration.
func startKioskWith(t *testing.T, dir string, cfg fileConfig) *kioskUnderTest {
	t.Helper()
	c, err := openCounter(mustPlan(t, cfg), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.close)
	rec := newRecorder(ui.New(c.register, c.uiOptions()))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 32))
	rec.waitScreen(t, "Amount (yuan)")
	return &kioskUnderTest{c: c, rec: rec, tm: tm}
}

// sell types the amount, waits for the QR code and reads it off the
// screen with a real QR decoder, as the customer's phone would.
func (k *kioskUnderTest) sell(t *testing.T, amount string) string {
	t.Helper()
	k.tm.Type(amount)
	k.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	k.rec.waitScreen(t, "Scan with Alipay")
	qr, err := qrscan.Decode(k.rec.screen())
	if err != nil {
		t.Fatalf("%v\n%s", err, k.rec.screen())
	}
	return qr
}

func (k *kioskUnderTest) quit(t *testing.T) {
	t.Helper()
	if err := k.tm.Quit(); err != nil {
		t.Fatal(err)
	}
	k.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func mustPlan(t *testing.T, cfg fileConfig) counterPlan {
	t.Helper()
	plan, err := planCounter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func buyerRequest(t *testing.T, method, url string) string {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s\n%s", method, url, resp.Status, body)
	}
	return string(body)
}

func readLedger(t *testing.T, dir string) store.Day {
	t.Helper()
	st, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day, err := st.Day(st.DateOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return day
}

func TestSecondKioskOnTheSameLedgerIsRefused(t *testing.T) {
	dir := t.TempDir()
	first, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.close()
	// The first kiosk holds the ledger throughout, so a second that waited
	// for the lock instead of refusing would hang the test (no clock read).
	_, err = openCounter(mustPlan(t, fileConfig{}), dir)
	if !errors.As(err, new(cli.UsageError)) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second kiosk: %v; want a usage error naming %s", err, dir)
	}
	if _, err := first.ledger.Unsettled(); err != nil {
		t.Errorf("the first kiosk's ledger broke: %v", err)
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigFromEmulatorServeTalksToIt(t *testing.T) {
	dir := t.TempDir()
	keys, _, err := emulator.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start("127.0.0.1:0", emulator.ServerConfig(keys, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path, err := emulator.WriteKioskConfig(dir, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	acfg, mode, err := cfg.clientConfig()
	if err != nil {
		t.Fatal(err)
	}
	if mode != "EMULATOR" || acfg.Gateway != srv.GatewayURL() || acfg.AppID != emulator.DefaultAppID {
		t.Errorf("config from emulator serve: mode %q, %+v", mode, acfg)
	}
}

func TestBadConfigIsOneClearLine(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	base := "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\n"
	tests := []struct {
		name, body, want string
	}{
		{"unknown field", base + "app_private_key = \"app_private_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\ncolour = \"blue\"\n", `unknown setting "colour"`},
		{"misspelled field", "qr_timout = \"60s\"\n", `unknown setting "qr_timout" (did you mean "qr_timeout"?)`},
		{"syntax", "app_id = \n", "line 1"},
		{"missing key file", base + "app_private_key = \"nope.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n", "nope.pem"},
		{"public key as private", base + "app_private_key = \"app_public_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n", "public key"},
		{"app key as alipay key", base + "app_private_key = \"app_private_key.pem\"\nalipay_public_key = \"app_public_key.pem\"\n", "app's own public key"},
		{"missing alipay key", base + "app_private_key = \"app_private_key.pem\"\n", "lacks alipay_public_key"},
		{"bad duration", "qr_timeout = \"soon\"\n", `"soon" is not a length of time`},
		{"bad gateway", "app_id = \"1\"\napp_private_key = \"app_private_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\ngateway = \"ftp://x\"\n", "ftp://x"},
		{"poll slower than timeout", "qr_timeout = \"30s\"\npoll_interval = \"1m\"\n", "poll_interval"},
		{"precreate deadline too short", "precreate_timeout = \"10ms\"\n", "precreate_timeout 10ms is outside 100ms–2m"},
		{"pay deadline too long", "pay_timeout = \"3m\"\n", "pay_timeout 3m0s is outside 100ms–2m"},
		{"cancel deadline not a duration", "cancel_timeout = \"long\"\n", `"long" is not a length of time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "kiosk.toml", tt.body)
			data := t.TempDir()
			err := dispatch([]string{"--config", path, "--data", data})
			if err == nil || !errors.As(err, new(cli.UsageError)) {
				t.Fatalf("dispatch = %v; want a usage error", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line containing %q", msg, tt.want)
			}
			if entries, _ := os.ReadDir(data); len(entries) > 0 {
				t.Errorf("a bad config still wrote %d files to the data directory", len(entries))
			}
		})
	}
}

// TestCallDeadlinesReachTheRegister: each deadline comes from its own
// setting, in the file or the environment, not from poll_interval.
func TestCallDeadlinesReachTheRegister(t *testing.T) {
	path := writeFile(t, t.TempDir(), "kiosk.toml", "poll_interval = \"100ms\"\nprecreate_timeout = \"12s\"\nquery_timeout = 3\n")
	t.Setenv("KIOSK_CANCEL_TIMEOUT", "7s")
	t.Setenv("KIOSK_REFUND_TIMEOUT", "8s")
	t.Setenv("KIOSK_PAY_TIMEOUT", "9s")
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planCounter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := plan.pos
	if got.PrecreateTimeout != 12*time.Second || got.QueryTimeout != 3*time.Second ||
		got.CancelTimeout != 7*time.Second || got.RefundTimeout != 8*time.Second || got.PayTimeout != 9*time.Second {
		t.Errorf("deadlines %v %v %v %v %v, want 12s 3s 7s 8s 9s", got.PrecreateTimeout, got.QueryTimeout, got.CancelTimeout, got.RefundTimeout, got.PayTimeout)
	}
}

func TestEnvOverridesConfig(t *testing.T) {
	cfg := fileConfig{AppID: "from-file", QRTimeout: duration{time.Minute}}
	env := map[string]string{"KIOSK_APP_ID": "from-env", "KIOSK_QR_TIMEOUT": "90s"}
	err := applyEnv(&cfg, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil || cfg.AppID != "from-env" || cfg.QRTimeout.Duration != 90*time.Second {
		t.Errorf("applyEnv: %v, %+v", err, cfg)
	}
}

// emulatorClient is a client of srv, built as every subcommand builds one.
func emulatorClient(srv *emulator.Server, keys *emulator.Keys, protocol alipay.Protocol) (*alipay.Client, error) {
	return fileConfig{Protocol: string(protocol)}.newClient(&emulatorAt{gateway: srv.GatewayURL(), keys: keys})
}

// runCommand runs `kiosk args...` with its output on out.
func runCommand(out io.Writer, args ...string) error {
	return execute(args, stdio{in: os.Stdin, out: out, diag: io.Discard})
}
