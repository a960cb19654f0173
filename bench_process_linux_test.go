package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/internal/latency"
	"kiosk/store"
)

// The benchmarks of whole processes: the kiosk's start to its first frame
// beside a minimal Bubble Tea program's, and `kiosk ledger --format json`
// beside a hello-world Go program. Each builds the programs it runs, as
// `go build` does, into a temporary directory, and times them
// alternately, so that the ratios are taken under the same load.

// buildCommand builds the main package pkg of the module and returns the
// path of the program.
func buildCommand(b *testing.B, pkg string) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), filepath.Base(pkg))
	if pkg == "." {
		out = filepath.Join(filepath.Dir(out), "kiosk")
	}
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// processEnv is the environment the timed programs run in: the
// benchmark's own, without KIOSK_ settings, so that the machine's
// configuration cannot reach them.
func processEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KIOSK_") && !strings.HasPrefix(kv, "GODEBUG=") {
			env = append(env, kv)
		}
	}
	return env
}

// timedRun runs the program to its end and returns how long it took,
// from the fork to the exit, and what it printed.
func timedRun(b *testing.B, prog string, args ...string) (time.Duration, []byte) {
	b.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Env = processEnv()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", filepath.Base(prog), strings.Join(args, " "), err, errOut.Bytes())
	}
	return took, out.Bytes()
}

// fillLedger makes a data directory whose ledger holds n paid sales of
// today, in the shop's zone, as a day at a busy counter leaves it.
func fillLedger(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	loc, err := fileConfig{}.location()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now().In(loc)
	opening := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 1, 0, loc)
	step := max(now.Sub(opening)/time.Duration(n+1), time.Millisecond)
	for i := range n {
		at := opening.Add(time.Duration(i) * step)
		no := fmt.Sprintf("KT1_%s%03d_BENCH%05d", at.Format("20060102150405"), i%1000, i)
		if err := st.Create(store.Sale{OutTradeNo: no, TerminalID: "T1", AmountFen: 100 + int64(i%5000), Subject: "Corner Shop", CreatedAt: at}); err != nil {
			b.Fatal(err)
		}
		pay := store.Payment{TradeNo: fmt.Sprintf("2026112222001%015d", i), BuyerLogonID: "138****0000", PaidAt: at.Add(time.Millisecond / 2)}
		if _, _, err := st.MarkPaid(no, pay); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLedgerJSON times `kiosk ledger --format json` on a ledger of
// 1,000 sales of the day, beside a hello-world Go program (the floor of
// any process) and beside the same command on an empty data directory
// (the kiosk's own start, without the reading). With -short, as CI runs
// it to see that it runs, the day has 100 sales: each is two commits.
func BenchmarkLedgerJSON(b *testing.B) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	kiosk := buildCommand(b, ".")
	hello := buildCommand(b, "./testdata/startup/hello")
	full, empty := fillLedger(b, n), b.TempDir()
	_, out := timedRun(b, kiosk, "ledger", "--format", "json", "--data", full)
	var day struct{ Sales []json.RawMessage }
	if err := json.Unmarshal(out, &day); err != nil || len(day.Sales) != n {
		b.Fatalf("kiosk ledger --format json printed %d sales (%v); want %d", len(day.Sales), err, n)
	}
	var ledger, bare, floor latency.Samples
	b.ResetTimer()
	for range b.N {
		d, _ := timedRun(b, kiosk, "ledger", "--format", "json", "--data", full)
		ledger.Add(d)
		d, _ = timedRun(b, kiosk, "ledger", "--format", "json", "--data", empty)
		bare.Add(d)
		d, _ = timedRun(b, hello)
		floor.Add(d)
	}
	b.StopTimer()
	ledger.ReportBeside(b, fmt.Sprintf("ledger-%d", n), floor, "hello")
	bare.Report(b, "ledger-empty")
}

// firstFrame starts prog in a pseudo-terminal of 100×32 and returns the
// time from the fork to the first frame: the output that enters the
// alternate screen, which Bubble Tea writes with the first frame. Then it
// kills the program.
func firstFrame(b *testing.B, prog string, args ...string) time.Duration {
	b.Helper()
	first, _ := frames(b, prog, "", args...)
	return first
}

// frames is firstFrame that, given a screen text, also waits for the
// frame that shows it (compared without escape codes and white space, as
// the renderer sends only the cells that changed) and returns the time
// from the fork to it.
func frames(b *testing.B, prog, shows string, args ...string) (first, shown time.Duration) {
	b.Helper()
	master, slave, err := openPty(100, 32)
	if err != nil {
		b.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	cmd := exec.Command(prog, args...)
	cmd.Env = append(processEnv(), "TERM=xterm-256color")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	slave.Close()
	// A guard against a hang, not a bound: a program that never shows its
	// screen is killed, and its output is said.
	guard := time.AfterFunc(time.Minute, func() { _ = cmd.Process.Kill() })
	defer func() {
		guard.Stop()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	const altScreen = "\x1b[?1049h"
	want := strings.Join(strings.Fields(shows), "")
	var seen []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := master.Read(buf)
		seen = append(seen, buf[:n]...)
		if first == 0 && bytes.Contains(seen, []byte(altScreen)) {
			first = time.Since(start)
		}
		if first != 0 && (want == "" || strings.Contains(strings.Join(strings.Fields(ansi.Strip(string(seen))), ""), want)) {
			return first, time.Since(start)
		}
		if err != nil {
			b.Fatalf("%s ended before it showed %q (%v):\n%q", filepath.Base(prog), shows, err, seen)
		}
	}
}

// BenchmarkStartToFirstFrame times the kiosk's start on the embedded
// emulator, from the fork to its first frame, beside a minimal Bubble Tea
// program's at Bubble Tea's default frame rate and at the kiosk's. The
// data directory is one an earlier run left (keys, ledger, emulator
// trades), as at a counter every morning. The kiosk's first frame says it
// is starting while the counter opens (ui.RunOpening); kiosk-ready is the
// time to the sale screen, the counter open and the sales the last run
// left settled.
func BenchmarkStartToFirstFrame(b *testing.B) {
	kiosk := buildCommand(b, ".")
	minimal := buildCommand(b, "./testdata/startup/minimal")
	dir := b.TempDir()
	args := []string{"--data", dir, "--lang", "en"} // saleScreen's words, whatever the locale
	// The first run makes the keys and the ledger: it is let run until the
	// counter is open, as the first frame no longer waits for it.
	frames(b, kiosk, saleScreen, args...)
	var k, ready, m, m120 latency.Samples
	b.ResetTimer()
	for range b.N {
		first, shown := frames(b, kiosk, saleScreen, args...)
		k.Add(first)
		ready.Add(shown)
		m.Add(firstFrame(b, minimal))
		m120.Add(firstFrame(b, minimal, "-fps", "120"))
	}
	b.StopTimer()
	k.ReportBeside(b, "kiosk", m, "minimal")
	m120.Report(b, "minimal-120fps")
	ready.Report(b, "kiosk-ready")
	if f := m120.Percentile(50); f > 0 {
		b.ReportMetric(float64(k.Percentile(50))/float64(f), "kiosk/minimal-120fps-p50")
	}
}

// saleScreen is text on the kiosk's sale screen, in English.
const saleScreen = "Amount (yuan)"
