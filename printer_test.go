package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/internal/printertest"
	"kiosk/store"
	"kiosk/ui/cli"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// TestPrinterSettings: printer, printer_paper and printer_qr from the file
// and from KIOSK_*; the paper is 80 mm unless it says 58.
func TestPrinterSettings(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "kiosk.toml", "printer = \"tcp://192.168.1.50\"\nprinter_paper = 58\nprinter_qr = true\n")
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg).printer
	if plan == nil || plan.address != "tcp://192.168.1.50:9100" || plan.paper != escpos.Paper58 || !plan.orderQR {
		t.Errorf("printer plan %+v, want tcp://192.168.1.50:9100 on 58 mm with the QR code", plan)
	}

	t.Setenv("KIOSK_PRINTER", "/dev/usb/lp0")
	cfg, err = loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if plan := mustPlan(t, cfg).printer; plan == nil || plan.address != "/dev/usb/lp0" || plan.paper != escpos.Paper80 || plan.orderQR {
		t.Errorf("printer plan from KIOSK_PRINTER %+v, want /dev/usb/lp0 on 80 mm", plan)
	}
	if plan := mustPlan(t, fileConfig{}).printer; plan != nil {
		t.Errorf("no printer set, yet a plan %+v", plan)
	}
}

// TestBadPrinterSettingIsOneClearLine: a printer address or paper that
// cannot be right stops the kiosk before it writes anything, in one line.
func TestBadPrinterSettingIsOneClearLine(t *testing.T) {
	for name, tt := range map[string]struct{ body, want string }{
		"no tcp://":       {"printer = \"192.168.1.50:9100\"\n", "tcp://192.168.1.50:9100"},
		"relative device": {"printer = \"usb/lp0\"\n", "printer"},
		"paper width":     {"printer = \"/dev/usb/lp0\"\nprinter_paper = 76\n", "use 58 or 80 (mm)"},
		"paper alone":     {"printer_paper = \"58mm\"\n", "need printer"},
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "kiosk.toml", tt.body)
			data := t.TempDir()
			err := dispatch([]string{"--config", path, "--data", data})
			if err == nil || !errors.As(err, new(cli.UsageError)) {
				t.Fatalf("dispatch = %v; want a usage error", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line containing %q", msg, tt.want)
			}
			if entries, _ := os.ReadDir(data); len(entries) > 0 {
				t.Errorf("a bad printer setting still wrote %d files", len(entries))
			}
		})
	}
}

// TestPrinterUnpluggedDuringSaleLosesNothing runs the whole kiosk with a
// network printer: unplugged, a sale is paid, recorded paid in the ledger,
// and the screen says the receipt was not printed; plugged in again, ctrl+r
// prints the receipt of the sale the ledger holds. Then a printer out of
// paper: the same.
func TestPrinterUnpluggedDuringSaleLosesNothing(t *testing.T) {
	p := printertest.Start(t)
	dir := t.TempDir()
	k := startKioskWith(t, dir, fileConfig{ShopName: "Test Shop", PollInterval: duration{200 * time.Millisecond}, Printer: p.Address()})

	p.Unplug()
	qr := k.sell(t, "12.34")
	buyerRequest(t, http.MethodPost, qr+"/pay")
	k.rec.waitScreen(t, "PAID")
	k.rec.waitScreen(t, "Receipt not printed")
	day := readLedger(t, dir)
	if len(day.Sales) != 1 || day.Sales[0].Status != store.StatusPaid || day.Sales[0].ReceiptNo != 1 {
		t.Fatalf("the ledger after a sale with the printer unplugged: %+v", day.Sales)
	}
	order := day.Sales[0].OutTradeNo

	p.PlugIn()
	k.tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	text := strings.Join(printertest.Lines(printertest.Printed(p.Wait(1)[0])), "\n")
	for _, want := range []string{"Test Shop", "No. 0001", "￥12.34", order, day.Sales[0].TradeNo} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt printed after plugging in lacks %q:\n%s", want, text)
		}
	}
	k.rec.waitScreen(t, "Receipt printed.")

	p.Set(printertest.OutOfPaper)
	k.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) // leave the receipt
	qr = k.sell(t, "5.00")
	buyerRequest(t, http.MethodPost, qr+"/pay")
	k.rec.waitScreen(t, "Receipt not printed: the printer is out of paper")
	if job := printertest.Printed(p.Wait(1)[1]); job != nil {
		t.Errorf("a printer out of paper was sent the job:\n%s", printertest.Dump(job))
	}
	if day := readLedger(t, dir); len(day.Sales) != 2 || day.Sales[1].Status != store.StatusPaid || day.Totals.PaidFen != 1734 {
		t.Errorf("the ledger after a sale with no paper: %+v", day)
	}
	k.quit(t)
}

// TestConfigComplaintsSpeakChinese: with lang = "zh" a setting that cannot
// be right is refused in Chinese, naming the setting as written; the
// warning about a key file others can read, shown on the counter's
// screen, is Chinese too.
func TestConfigComplaintsSpeakChinese(t *testing.T) {
	inLocale(t, "", "", "zh_CN.UTF-8")
	for name, tt := range map[string]struct{ body, want string }{
		"printer":   {"printer = \"192.168.1.50:9100\"\n", "printer \"192.168.1.50:9100\" 不是可用的打印机地址"},
		"paper":     {"printer = \"/dev/usb/lp0\"\nprinter_paper = 76\n", "printer_paper “76”：请写 58 或 80（毫米）"},
		"notify":    {"notify_addr = \"127.0.0.1:8443\"\n", "notify_addr 和 notify_url 须同时设置"},
		"time zone": {"time_zone = \"Mars/Olympus\"\n", "time_zone “Mars/Olympus”不是时区名"},
		"unknown":   {"qr_timout = \"60s\"\n", "未知设置“qr_timout”（是否想写“qr_timeout”？）"},
		"duration":  {"qr_timeout = \"soon\"\n", "“soon”不是时长"},
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "kiosk.toml", tt.body)
			err := dispatch([]string{"--config", path, "--data", t.TempDir()})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("dispatch = %v; want %q", err, tt.want)
			}
		})
	}
	key := writeFile(t, t.TempDir(), "app_private_key.pem", "x")
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	speak(words.Chinese) // as the config's lang makes it before the counter plans
	w := fileConfig{AppPrivateKey: key}.keyWarnings()
	if len(w) != 1 || !strings.Contains(w[0], "对本机其他用户开放（权限 0644）") || !strings.Contains(w[0], "chmod 600 "+key) {
		t.Errorf("the key warning in Chinese: %q", w)
	}
}

// TestPrinterThatNeverAnswersStatus: a network printer (or print server)
// that takes jobs but never answers DLE EOT times out at the status
// request, and nothing is sent, the log's hint naming the setting as a
// key (the words are kiosk doctor's); with printer_skip_status = true the
// job goes to it whole.
func TestPrinterThatNeverAnswersStatus(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan []byte, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c) // never a word back
			c.Close()
			got <- b
		}
	}()
	job := escpos.NewDocument(escpos.Paper58).Bytes()
	path := writeFile(t, t.TempDir(), "kiosk.toml", fmt.Sprintf("printer = \"tcp://%s\"\n", ln.Addr()))
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	asking := newReceiptPrinter(*mustPlan(t, cfg).printer, logger)
	if err := asking.Print(t.Context(), job); !errors.Is(err, escpos.TimedOut) {
		t.Errorf("a printer that never answers its status: %v, want a timeout", err)
	}
	if !strings.Contains(logged.String(), `"hint":"printer_skip_status"`) {
		t.Errorf("the log's record has not the hint printer_skip_status:\n%s", logged.String())
	}
	if b := <-got; !bytes.Equal(b, []byte("\x10\x04\x01\x10\x04\x02\x10\x04\x04")) {
		t.Errorf("it was sent % x, want only the status requests", b)
	}

	cfg.PrinterSkipStatus = true
	trusting := newReceiptPrinter(*mustPlan(t, cfg).printer, logger)
	if err := trusting.Print(t.Context(), job); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, job) {
		t.Errorf("with printer_skip_status it got % x, want the job % x", b, job)
	}
}

// TestPrinterOnADevicePath: printer names a device file (here a plain
// file standing in for /dev/usb/lp0): the job is written to it whole, and
// a device that is not there is a printer not connected.
func TestPrinterOnADevicePath(t *testing.T) {
	dev := writeFile(t, t.TempDir(), "lp0", "")
	plan, err := planPrinter(fileConfig{Printer: dev})
	if err != nil {
		t.Fatal(err)
	}
	p := newReceiptPrinter(*plan, slog.New(slog.DiscardHandler))
	job := escpos.NewDocument(escpos.Paper80).Bytes()
	if err := p.Print(t.Context(), job); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dev); !bytes.Equal(got, job) {
		t.Errorf("the device got % x, want % x", got, job)
	}
	if err := os.Remove(dev); err != nil {
		t.Fatal(err)
	}
	if err := p.Print(t.Context(), job); !errors.Is(err, escpos.NotConnected) {
		t.Errorf("a device that is gone: %v, want not connected", err)
	}
}

// TestEveryBadPrinterAddressIsWorded: each way a printer address can be
// wrong is said in the catalogue's words: in English as the driver says
// it, in Chinese in Chinese, never the catch-all.
func TestEveryBadPrinterAddressIsWorded(t *testing.T) {
	inLocale(t, "", "", "")
	bad := []string{"", " /dev/usb/lp0", "/dev/usb/lp\x000", "ipp://printer", "192.168.1.50:9100", "usb/lp0", "/",
		"/dev//usb/lp0", "tcp://printer:70000", "tcp://pri nter:9100", "tcp://admin:pw@printer", "tcp://printer:9100/queue",
		"tcp://:9100", "tcp://printer:"}
	for _, in := range bad {
		_, err := escpos.ParseAddress(in)
		var ae *escpos.AddressError
		if !errors.As(err, &ae) {
			t.Fatalf("%q: %v", in, err)
		}
		speak(words.English)
		en := addressProblem(ae)
		speak(words.Chinese)
		zh := addressProblem(ae)
		if en != ae.Reason && !strings.HasPrefix(ae.Reason, en) {
			t.Errorf("%q: English says %q, the driver %q", in, en, ae.Reason)
		}
		if en == words.English.Config.PrinterWhy.Other || zh == words.Chinese.Config.PrinterWhy.Other || zh == en ||
			!strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%q (%s): not worded: en %q, zh %q", in, ae.Problem, en, zh)
		}
	}
}

// TestAPrintWaitingItsTurnKeepsItsDeadline: while one job holds the
// printer (here one that never answers its status request), a second job
// whose context ends gives up at once as timed out, instead of waiting out
// the first. Before, the second job waited on a mutex whatever its
// deadline, and the stop's print waited for a job it had no time for.
func TestAPrintWaitingItsTurnKeepsItsDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // never a word back: the first job holds its turn
		}
	}()
	plan, err := planPrinter(fileConfig{Printer: "tcp://" + ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	p := newReceiptPrinter(*plan, slog.New(slog.DiscardHandler))
	job := escpos.NewDocument(escpos.Paper80).Bytes()

	first, stopFirst := context.WithCancel(t.Context())
	firstDone := make(chan error, 1)
	go func() { firstDone <- p.Print(first, job) }()
	conn := <-accepted // the first job is printing
	defer conn.Close()

	late, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	err = p.Print(late, job) // with a mutex, this waits for the first job, which never ends
	var pe *escpos.Error
	if !errors.As(err, &pe) || pe.Kind != escpos.TimedOut || pe.Op != "queue" {
		t.Errorf("a job out of time behind another: %v, want timed out in the queue", err)
	}

	stopFirst()
	if err := <-firstDone; err == nil {
		t.Error("the first job printed, though its printer never answered")
	}
	// The turn is free again: a job with time left is sent.
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	again, cancelAgain := context.WithCancel(t.Context())
	againDone := make(chan error, 1)
	go func() { againDone <- p.Print(again, job) }()
	c := <-accepted
	c.Close()
	cancelAgain()
	<-againDone
}

// TestDoctorChecksThePrinter: with a printer in the config, kiosk doctor
// checks it, on the emulator too: ready passes; one that takes the
// connection but never answers its status request (a print server, nc
// -lk 9100) fails with printer_skip_status = true as the fix, in English
// and in Chinese; with printer_skip_status set it passes, saying out of
// paper goes unseen; one out of paper or unplugged fails saying why.
func TestDoctorChecksThePrinter(t *testing.T) {
	p := printertest.Start(t)
	config := func(extra string) string {
		return writeFile(t, t.TempDir(), "kiosk.toml", fmt.Sprintf("printer = %q\nprinter_paper = 58\n%s", p.Address(), extra))
	}
	for _, tc := range []struct {
		name   string
		state  printertest.State
		unplug bool
		extra  string
		lang   string
		status int
		says   []string
	}{
		{"ready", printertest.Ready, false, "", "en", exitOK, []string{"ok    printer " + p.Address() + " answers its status request"}},
		{"silent", printertest.Silent, false, "", "en", exitError,
			[]string{"FAIL  printer " + p.Address() + " takes a connection but did not answer its status request (DLE EOT)", "set printer_skip_status = true in the config"}},
		{"silent in Chinese", printertest.Silent, false, "", "zh", exitError,
			[]string{"失败  打印机 " + p.Address() + " 可以连接，但在 2 秒内未应答状态查询（DLE EOT）", "请在配置中设置 printer_skip_status = true"}},
		{"silent, status skipped", printertest.Silent, false, "printer_skip_status = true\n", "en", exitOK,
			[]string{"ok    printer " + p.Address() + " takes a connection; its status is not asked (printer_skip_status = true)"}},
		{"out of paper", printertest.OutOfPaper, false, "", "zh", exitError, []string{"打印机 " + p.Address() + " 有应答，但无法打印：打印机缺纸"}},
		{"unplugged", printertest.Ready, true, "", "en", exitError, []string{"printer " + p.Address() + " cannot be reached", "switch it on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.Set(tc.state)
			if tc.unplug {
				p.Unplug()
				defer p.PlugIn()
			}
			out, diag, status := kioskRunIn(t, tc.lang, "doctor", "--config", config(tc.extra))
			if status != tc.status {
				t.Errorf("status %d, want %d\n%s%s", status, tc.status, out, diag)
			}
			for _, want := range tc.says {
				if !strings.Contains(out, want) {
					t.Errorf("doctor does not say %q:\n%s%s", want, out, diag)
				}
			}
		})
	}
}
