package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
	logFile := filepath.Join(t.TempDir(), "emulator.json")
	client, stop := serveInProcess(t, "en", "--log", logFile)
	if _, err := client.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "KT_LOG_1", TotalFen: 99, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	out, diag := stop()
	if !strings.Contains(out, "times in Asia/Shanghai") || !strings.Contains(out, "The log as JSON: "+logFile) {
		t.Errorf("the banner does not say the log's zone and file:\n%s", out)
	}
	var call string
	for _, line := range strings.Split(diag, "\n") {
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
		t.Errorf("the precreate's line %q (%v, %v); the terminal:\n%s", call, at, err, diag)
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

// TestEmulatorServeSpeaksToTheCustomerInItsLanguage: emulator serve --lang
// zh gives the customer's page (what scanning the QR code opens), and its
// own page at /, in Chinese.
func TestEmulatorServeSpeaksToTheCustomerInItsLanguage(t *testing.T) {
	client, stop := serveInProcess(t, "zh")
	defer stop()
	pre, err := client.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "ZH_1", TotalFen: 99, Subject: "s"})
	if err != nil {
		t.Fatal(err)
	}
	page := buyerRequest(t, "GET", pre.QRCode)
	if !strings.Contains(page, `<html lang="zh-CN">`) || !strings.Contains(page, "付款 ¥0.99</button>") {
		t.Errorf("emulator serve --lang zh: the customer's page\n%s", page)
	}
	origin, _, _ := strings.Cut(pre.QRCode, "/qr/")
	index := buyerRequest(t, "GET", origin+"/")
	if !strings.Contains(index, `<html lang="zh-CN">`) || !strings.Contains(index, "<h1>买家付款码</h1>") || strings.Contains(index, "Buyer payment codes") {
		t.Errorf("emulator serve --lang zh: the page at /\n%s", index)
	}
}

// serveInProcess runs kiosk emulator serve --lang lang on a free port with
// the extra args, and returns a client of the kiosk.toml it wrote and a
// stop that ends it and returns what it printed on standard output and
// standard error.
func serveInProcess(t *testing.T, lang string, args ...string) (*alipay.Client, func() (out, diag string)) {
	t.Helper()
	inLocale(t, "C", "", "")
	t.Setenv("KIOSK_LANG", "en")
	dir := t.TempDir()
	ready, stopping := make(chan struct{}), make(chan struct{})
	was := serveUntil
	t.Cleanup(func() { serveUntil = was })
	serveUntil = func() (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		close(ready)
		go func() { <-stopping; cancel() }()
		return ctx, cancel
	}
	var out, diag bytes.Buffer
	done := make(chan error, 1)
	args = append([]string{"emulator", "serve", "--lang", lang, "--addr", "127.0.0.1:0", "--keys", dir}, args...)
	go func() { done <- execute(args, stdio{out: &out, diag: &diag}) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("emulator serve: %v\n%s%s", err, out.String(), diag.String())
	}
	var once sync.Once
	stop := func() (string, string) {
		once.Do(func() {
			close(stopping)
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
		return out.String(), diag.String()
	}
	t.Cleanup(func() { stop() })
	cfg, err := loadConfig(filepath.Join(dir, "kiosk.toml"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := cfg.newClient(nil)
	if err != nil {
		t.Fatal(err)
	}
	return client, stop
}

// TestEmulatorServeSaysItStopped: stopped (Ctrl+C, SIGTERM), kiosk
// emulator serve says so, in its language, and with --state where its
// trades are kept for the next start.
func TestEmulatorServeSaysItStopped(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	for _, tt := range []struct {
		lang string
		args []string
		want string
	}{
		{"en", nil, "\nThe emulator stopped. Its trades are gone: start it with --state FILE to keep them.\n"},
		{"en", []string{"--state", state}, "\nThe emulator stopped. Its trades are kept in " + state + ": start it again with --state " + state + " to go on with them.\n"},
		{"zh", []string{"--state", state}, "\n模拟器已停止。交易已保存在 " + state + "：再次用 --state " + state + " 启动即可继续使用。\n"},
	} {
		t.Run(tt.lang+strings.Join(tt.args, " "), func(t *testing.T) {
			client, stop := serveInProcess(t, tt.lang, tt.args...)
			if _, err := client.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "KT_STOP_" + tt.lang + strings.Repeat("S", len(tt.args)), TotalFen: 99, Subject: "s"}); err != nil {
				t.Fatal(err)
			}
			if out, _ := stop(); !strings.HasSuffix(out, tt.want) {
				t.Errorf("emulator serve stopped says\n%s\nwant it to end\n%s", out, tt.want)
			}
		})
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("the state file it names: %v", err)
	}
}

// TestEmulatorServeWritesAndSaysItInItsLanguage: emulator serve --lang zh
// writes the kiosk.toml's comments in Chinese (a config the kiosk still
// reads), says its zone as 北京时间, and says where it listens in a
// sentence, not as url=….
func TestEmulatorServeWritesAndSaysItInItsLanguage(t *testing.T) {
	_, stop := serveInProcess(t, "zh")
	out, diag := stop()
	_, after, ok := strings.Cut(out, "kiosk --config ")
	if !ok {
		t.Fatalf("the banner names no kiosk.toml:\n%s", out)
	}
	path := strings.Fields(after)[0]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 由 kiosk emulator serve 生成。运行：kiosk --config " + path + "\n",
		"# protocol = \"v3\"   # 改用 OpenAPI v3（默认 v2）；本模拟器两者都支持\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("kiosk.toml lacks %q:\n%s", want, b)
		}
	}
	for _, english := range []string{"Written by", "instead of", "serves both"} {
		if strings.Contains(string(b), english) {
			t.Errorf("kiosk.toml of emulator serve --lang zh says %q:\n%s", english, b)
		}
	}
	if _, err := loadConfig(path); err != nil {
		t.Errorf("the kiosk does not read the Chinese kiosk.toml: %v", err)
	}
	if !strings.Contains(out, "时间为北京时间（Asia/Shanghai）") {
		t.Errorf("the banner does not say 北京时间:\n%s", out)
	}
	if !strings.Contains(diag, "  模拟器已启动，地址：http://127.0.0.1:") || strings.Contains(diag, "url=") {
		t.Errorf("the terminal's first line:\n%s", diag)
	}
}
