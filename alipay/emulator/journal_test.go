package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// journalLines returns the state file's lines, the header first.
func journalLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Fatalf("state file does not end with a whole line: %q", data)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// lineTrade decodes one journal line.
func lineTrade(t *testing.T, line string) storedTrade {
	t.Helper()
	rec, err := decodeRecord([]byte(line))
	if err != nil || rec.trade == nil {
		t.Fatalf("line %q: %v, not a trade", line, err)
	}
	return *rec.trade
}

// newStateEmulator is an emulator on the state file at path, closed at the
// end of the test.
func newStateEmulator(t *testing.T, path string, log *slog.Logger) *Emulator {
	t.Helper()
	cfg := testConfig(t)
	cfg.StatePath, cfg.Logger = path, log
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// precreateLocal records a precreated trade as the gateway's precreate does.
func precreateLocal(e *Emulator, outTradeNo string, fen int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.newTrade(&precreateBiz{OutTradeNo: outTradeNo, Subject: "Tea"}, fen, time.Time{}, "")
}

// TestStateAppendsOneLinePerChange: each change adds one line holding the
// whole trade to the same file; nothing already written is rewritten.
func TestStateAppendsOneLinePerChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trades.json")
	h := stateHarness(t, path, newTestClock())
	h.precreate("K1", "10.00")
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	first := journalLines(t, path)
	if len(first) != 2 || first[0] != journalHeader {
		t.Fatalf("after the precreate: %q", first)
	}
	if err := h.e.Pay("K1"); err != nil { // the scan and the payment: two changes
		t.Fatal(err)
	}
	h.precreate("K2", "3.00")
	h.cancel("K1")

	lines := journalLines(t, path)
	if len(lines) != 6 || !slices.Equal(lines[:2], first) {
		t.Fatalf("lines after 5 changes:\n%s", strings.Join(lines, "\n"))
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the state file was replaced, not appended to")
	}
	wantStatus := []string{StatusPrecreated, StatusWaitBuyerPay, StatusTradeSuccess, StatusPrecreated, StatusTradeClosed}
	for i, line := range lines[1:] {
		if s := lineTrade(t, line); s.Status != wantStatus[i] {
			t.Errorf("line %d: status %s, want %s", i+2, s.Status, wantStatus[i])
		}
	}
	// The last line of K1 is the whole trade: everything a restart needs.
	last := lineTrade(t, lines[5])
	tr, _ := h.e.Trade("K1")
	if last.OutTradeNo != "K1" || last.TradeNo != tr.TradeNo || last.Token == "" || !last.Refunded ||
		len(last.Refunds) != 1 || last.Refunds[0].Fen != 1000 || last.BuyerUserID == "" || last.TotalFen != 1000 {
		t.Errorf("last line of K1: %+v", last)
	}
}

// TestStateTornLastLineIgnored cuts the journal's last line short at every
// length, as a crash in the middle of its write leaves it: New loads the
// lines before it, cuts it off, and the next change starts on a new line.
func TestStateTornLastLineIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trades.json")
	e := newStateEmulator(t, path, nil)
	precreateLocal(e, "K1", 100)
	if err := e.Pay("K1"); err != nil {
		t.Fatal(err)
	}
	precreateLocal(e, "K2", 200)
	e.Close()
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lastLine := bytes.LastIndexByte(whole[:len(whole)-1], '\n') + 1 // K2's line
	for cut := lastLine; cut < len(whole); cut++ {
		t.Run(strconv.Itoa(cut-lastLine), func(t *testing.T) {
			torn := filepath.Join(t.TempDir(), "trades.json")
			if err := os.WriteFile(torn, whole[:cut], 0o600); err != nil {
				t.Fatal(err)
			}
			var logged bytes.Buffer
			e := newStateEmulator(t, torn, slog.New(slog.NewTextHandler(&logged, nil)))
			if tr, ok := e.Trade("K1"); !ok || tr.Status != StatusTradeSuccess {
				t.Fatalf("K1 after the load: %+v, %v", tr, ok)
			}
			if _, ok := e.Trade("K2"); ok {
				t.Fatal("K2, whose line was cut short, was loaded")
			}
			if cut > lastLine && !strings.Contains(logged.String(), "cut short") {
				t.Errorf("no warning about the cut line in the log:\n%s", logged.String())
			}
			precreateLocal(e, "K3", 300)
			lines := journalLines(t, torn)
			if got := lineTrade(t, lines[len(lines)-1]); got.OutTradeNo != "K3" {
				t.Errorf("last line is %+v, want K3", got)
			}
			e.Close()
			again := newStateEmulator(t, torn, nil)
			if _, ok := again.Trade("K3"); !ok || len(again.Trades()) != 2 {
				t.Errorf("after a restart: %+v", again.Trades())
			}
		})
	}
}

// TestStateDamagedLastLineIgnored: a whole last line that does not decode
// (a crash wrote its end but not its middle) is also dropped, as the
// crash's damage; the same line before others is corruption and refused.
func TestStateDamagedLastLineIgnored(t *testing.T) {
	good := journalHeader + "\n" +
		`{"out_trade_no":"T1","subject":"s","total_fen":100,"status":"PRECREATED","created_at":"2026-11-22T10:30:00+08:00","token":"tok1"}` + "\n"
	damaged := "{\"out_trade_no\":\"T2\",\x00\x00\x00\x00\n"
	path := filepath.Join(t.TempDir(), "trades.json")
	if err := os.WriteFile(path, []byte(good+damaged), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newStateEmulator(t, path, nil)
	if len(e.Trades()) != 1 {
		t.Fatalf("trades: %+v", e.Trades())
	}
	e.Close()
	if data, _ := os.ReadFile(path); string(data) != good {
		t.Errorf("the damaged line was not cut off: %q", data)
	}

	middle := journalHeader + "\n" + damaged + good[len(journalHeader)+1:]
	if err := os.WriteFile(path, []byte(middle), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.StatePath = path
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("New with a damaged line before a good one: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != middle {
		t.Error("the corrupt file was changed")
	}
}

// TestStateRefusesCorruptJournal: whole lines that decode but cannot be
// trusted are refused as in version 1, and the file is left alone.
func TestStateRefusesCorruptJournal(t *testing.T) {
	line := func(no, token, status, tradeNo string) string {
		return fmt.Sprintf(`{"out_trade_no":%q,"trade_no":%q,"subject":"s","total_fen":100,"status":%q,"created_at":"2026-11-22T10:30:00+08:00","token":%q}`,
			no, tradeNo, status, token) + "\n"
	}
	ok := line("T1", "tok1", StatusPrecreated, "")
	tests := []struct{ name, records, want string }{
		{"unknown field", strings.Replace(ok, `"subject"`, `"colour":"red","subject"`, 1) + ok, `unknown field "colour"`},
		{"two values on a line", strings.TrimSuffix(ok, "\n") + " {}\n" + ok, "data after the trade or code"},
		{"bad status", line("T1", "tok1", "PAID", "") + ok, `unknown status "PAID"`},
		{"token reused", ok + line("T2", "tok1", StatusPrecreated, ""), "reuses a QR token"},
		{"trade_no twice", line("T1", "tok1", StatusWaitBuyerPay, "N1") + line("T2", "tok2", StatusWaitBuyerPay, "N1"), "trade_no N1 appears twice"},
		{"empty line", "\n" + ok, "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trades.json")
			content := journalHeader + "\n" + tc.records
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := testConfig(t)
			cfg.StatePath = path
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("New: %v, want an error containing %q", err, tc.want)
			}
			if data, _ := os.ReadFile(path); string(data) != content {
				t.Error("the corrupt file was changed")
			}
		})
	}
	// A trade changed twice: the last line wins.
	path := filepath.Join(t.TempDir(), "trades.json")
	if err := os.WriteFile(path, []byte(journalHeader+"\n"+ok+line("T1", "tok1", StatusWaitBuyerPay, "N1")), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newStateEmulator(t, path, nil)
	if tr, _ := e.Trade("T1"); tr.Status != StatusWaitBuyerPay || tr.TradeNo != "N1" {
		t.Errorf("T1 = %+v, want its last line", tr)
	}
}

// TestStateMigratesVersion1 loads a state file written by the emulator
// before the journal (one indented JSON document) and turns it into a
// journal with the same trades.
func TestStateMigratesVersion1(t *testing.T) {
	trades := benchStoredTrades(3)
	trades[2].Status, trades[2].TradeNo, trades[2].BuyerLogonID, trades[2].BuyerUserID = StatusPrecreated, "", "", ""
	trades[2].PaidAt, trades[2].QRExpiresAt = time.Time{}, time.Time{}
	trades[1].Refunds = []Refund{{OutRequestNo: "R1", Fen: 50, At: trades[1].PaidAt.Add(time.Hour)}}
	data, err := json.MarshalIndent(stateFile{Version: 1, Trades: trades}, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trades.json")
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newStateEmulator(t, path, nil)
	before := e.Trades()
	if len(before) != 3 {
		t.Fatalf("loaded %d trades, want 3", len(before))
	}
	lines := journalLines(t, path)
	if len(lines) != 4 || lines[0] != journalHeader {
		t.Fatalf("not migrated to a journal:\n%s", strings.Join(lines, "\n"))
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("migrated file: %v, %v", info.Mode(), err)
	}
	if err := e.Pay(trades[2].OutTradeNo); err != nil {
		t.Fatal(err)
	}
	e.Close()
	again := newStateEmulator(t, path, nil)
	after := again.Trades()
	for i := range before[:2] {
		if !sameTrade(before[i], after[i]) {
			t.Errorf("trade %d:\nbefore %+v\nafter  %+v", i, before[i], after[i])
		}
	}
	if after[2].Status != StatusTradeSuccess || len(after[1].Refunds) != 1 {
		t.Errorf("after the restart: %+v", after)
	}
}

// TestStateCompactsPastItsBound changes one trade over and over: once the
// journal passes its bound it is rewritten with one line per trade, and
// it never holds more lines than the bound allows.
func TestStateCompactsPastItsBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trades.json")
	e := newStateEmulator(t, path, nil)
	precreateLocal(e, "K1", 100000)
	precreateLocal(e, "K2", 100)
	inode, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	bound := 2*2 + compactSlack
	e.mu.Lock()
	t1 := e.trades.byOutTradeNo["K1"]
	compacted := false
	for i := range bound + 10 {
		t1.Subject = "change " + strconv.Itoa(i)
		e.saveLocked(t1)
		if e.state.records > bound {
			t.Fatalf("after change %d the journal holds %d lines, bound %d", i, e.state.records, bound)
		}
		compacted = compacted || e.state.records < i+3
	}
	e.mu.Unlock()
	if !compacted {
		t.Fatal("the journal was never compacted")
	}
	now, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(inode, now) {
		t.Error("the file was not rewritten")
	}
	if lines := journalLines(t, path); len(lines)-1 != e.state.records || len(lines) > 20 {
		t.Errorf("%d lines after the compaction, %d counted", len(lines)-1, e.state.records)
	}
	e.Close()
	again := newStateEmulator(t, path, nil)
	if tr, _ := again.Trade("K1"); tr.Subject != "change "+strconv.Itoa(bound+9) || len(again.Trades()) != 2 {
		t.Errorf("after a restart: %+v", again.Trades())
	}
}

// TestStateCompactsAtStart: a journal already past its bound when the
// emulator starts is compacted before it serves.
func TestStateCompactsAtStart(t *testing.T) {
	var b strings.Builder
	b.WriteString(journalHeader + "\n")
	for i := range compactSlack + 10 {
		fmt.Fprintf(&b, `{"out_trade_no":"T1","subject":"v%d","total_fen":100,"status":"PRECREATED","created_at":"2026-11-22T10:30:00+08:00","token":"tok1"}`+"\n", i)
	}
	path := filepath.Join(t.TempDir(), "trades.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newStateEmulator(t, path, nil)
	if lines := journalLines(t, path); len(lines) != 2 {
		t.Fatalf("%d lines after the start, want the header and one trade", len(lines))
	}
	if tr, _ := e.Trade("T1"); tr.Subject != "v"+strconv.Itoa(compactSlack+9) {
		t.Errorf("T1 = %+v", tr)
	}
}

// TestStateAfterCloseRewrites: Close syncs and closes the file; a change
// after it (the gateway keeps answering) is still saved.
func TestStateAfterCloseRewrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trades.json")
	e := newStateEmulator(t, path, nil)
	precreateLocal(e, "K1", 100)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Pay("K1"); err != nil {
		t.Fatal(err)
	}
	e.Close()
	again := newStateEmulator(t, path, nil)
	if tr, _ := again.Trade("K1"); tr.Status != StatusTradeSuccess {
		t.Errorf("K1 = %+v", tr)
	}
}

// killChildEnv names the state file of the child run by
// TestStateSurvivesKill.
const killChildEnv = "KIOSK_EMULATOR_KILL_CHILD_STATE"

func TestMain(m *testing.M) {
	if path := os.Getenv(killChildEnv); path != "" {
		os.Exit(killChild(path))
	}
	os.Exit(m.Run())
}

// killChild pays trades on the state file at path until it is killed,
// printing each out_trade_no once Pay has returned: from then on, as for
// a kiosk that saw the answer, the payment must survive.
func killChild(path string) int {
	k, err := GenerateKeys()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	e, err := New(Config{AppPublicKey: k.AppPublic, AlipayPrivateKey: k.AlipayPrivate, StatePath: path})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	out := bufio.NewWriter(os.Stdout)
	for i := len(e.Trades()); ; i++ { // a new number in each round
		no := "K" + strconv.Itoa(i)
		precreateLocal(e, no, 100)
		if err := e.Pay(no); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintln(out, no)
		out.Flush()
	}
}

// TestStateSurvivesKill kills (SIGKILL) a process that is paying trades as
// fast as it can and checks that every payment it reported is in the
// state file at the next start, whatever line it was writing.
func TestStateSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "trades.json")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var paid []string
		lines := bufio.NewScanner(stdout)
		for len(paid) < 300*(round+1) && lines.Scan() {
			paid = append(paid, lines.Text())
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for lines.Scan() { // what it reported before the signal landed
			paid = append(paid, lines.Text())
		}
		cmd.Wait()
		if len(paid) < 300 {
			t.Fatalf("round %d: the child paid only %d trades: %s", round, len(paid), stderr.String())
		}

		// The next start sees every reported payment.
		cfg := testConfig(t)
		cfg.StatePath = path
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("round %d: the state after the kill does not load: %v", round, err)
		}
		for _, no := range paid {
			if tr, ok := e.Trade(no); !ok || tr.Status != StatusTradeSuccess {
				t.Fatalf("round %d: %s was reported paid but is %+v, %v after the kill", round, no, tr, ok)
			}
		}
		e.Close()
	}
}

// TestCompactionKeepsBuyerCodes: a journal compacted at start keeps the
// last line of each buyer code beside the trades.
func TestCompactionKeepsBuyerCodes(t *testing.T) {
	var b strings.Builder
	b.WriteString(journalHeader + "\n")
	for range compactSlack + 10 {
		b.WriteString(`{"buyer_code":{"code":"281234567890123456","kind":"pay","issued_at":"2026-11-22T10:30:00+08:00"}}` + "\n")
	}
	path := filepath.Join(t.TempDir(), "trades.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newStateEmulator(t, path, nil)
	lines := journalLines(t, path)
	if len(lines) != 2 || !strings.HasPrefix(lines[1], codeLinePrefix) {
		t.Fatalf("after the start: %q, want the header and one buyer code", lines)
	}
	if c, ok := e.BuyerCodeInfo("281234567890123456"); !ok || c.Kind != BuyerCodePay || c.Used() {
		t.Errorf("code after compaction: %+v, %v", c, ok)
	}
}
