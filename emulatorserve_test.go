package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
)

// TestEmulatorServeOnAPortInUseWritesNothing: kiosk emulator serve on an
// address another program holds says so in one line, with what to do,
// exits 2, and has written no key file nor kiosk.toml.
func TestEmulatorServeOnAPortInUseWritesNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	keys := filepath.Join(t.TempDir(), "keys")
	_, diag, status := kioskRun(t, "emulator", "serve", "--addr", ln.Addr().String(), "--keys", keys)
	if status != exitUsage || strings.Count(diag, "\n") != 1 ||
		!strings.Contains(diag, "cannot listen on "+ln.Addr().String()+": another program listens there already; give --addr another HOST:PORT") {
		t.Errorf("emulator serve on a port in use: status %d, stderr %q", status, diag)
	}
	if _, err := os.Stat(keys); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(keys)
		t.Errorf("emulator serve on a port in use made %s: %v", keys, entries)
	}
}

// TestEmulatorServeLogsALineACall: kiosk emulator serve says on the
// terminal, for each call, its time in Asia/Shanghai, the method, the
// order and the answer, and with --log appends the same records as JSON
// to the file.
func TestEmulatorServeLogsALineACall(t *testing.T) {
	inLocale(t, "C", "", "")
	t.Setenv("KIOSK_LANG", "en")
	dir, logFile := t.TempDir(), filepath.Join(t.TempDir(), "emulator.json")
	ready, stop := make(chan struct{}), make(chan struct{})
	defer func(was func() (context.Context, context.CancelFunc)) { serveUntil = was }(serveUntil)
	serveUntil = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		close(ready)
		go func() { <-stop; cancel() }()
		return ctx, cancel
	}
	var out, diag bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- execute([]string{"emulator", "serve", "--addr", "127.0.0.1:0", "--keys", dir, "--log", logFile}, stdio{out: &out, diag: &diag})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("emulator serve: %v\n%s%s", err, out.String(), diag.String())
	}
	cfg, err := loadConfig(filepath.Join(dir, "kiosk.toml"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := cfg.newClient(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "KT_LOG_1", TotalFen: 99, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "times in Asia/Shanghai") || !strings.Contains(out.String(), "The log as JSON: "+logFile) {
		t.Errorf("the banner does not say the log's zone and file:\n%s", out.String())
	}
	var call string
	for _, line := range strings.Split(diag.String(), "\n") {
		if strings.Contains(line, "  precreate  ") {
			call = line
		}
		if strings.Contains(line, "level=") || strings.Contains(line, "Z ") {
			t.Errorf("a raw log line on the terminal: %q", line)
		}
	}
	// The time is Alipay's wall clock (UTC+8) whatever the host's zone: read
	// as such it is now, give or take an hour, where UTC's would be 8 off.
	at, err := alipay.ParseTime(strings.SplitN(call, "  ", 2)[0])
	if err != nil || time.Since(at).Abs() > time.Hour || !strings.HasSuffix(call, "  precreate  KT_LOG_1  ok") {
		t.Errorf("the precreate's line %q (%v, %v); the terminal:\n%s", call, at, err, diag.String())
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("--log's line %q: %v", line, err)
		}
		found = found || rec["msg"] == "gateway" && rec["out_trade_no"] == "KT_LOG_1"
	}
	if !found {
		t.Errorf("--log's file lacks the precreate:\n%s", b)
	}
}
