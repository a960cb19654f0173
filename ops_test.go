package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/ui/words"
)

// run1 runs one kiosk command in-process and returns what it printed and
// its exit status.
func run1(args ...string) (stdout, stderr string, status int) {
	var out, diag bytes.Buffer
	err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: &diag})
	if err != nil {
		fmt.Fprintln(&diag, "kiosk:", err)
	}
	return out.String(), diag.String(), exitStatus(err)
}

// configLines are the `name = "value"` lines keys gen prints for the
// config, comments dropped.
var configLine = regexp.MustCompile(`(?m)^(app_private_key|app_public_key|alipay_public_key) += (".*?")`)

// TestKeysGenIsAcceptedByDoctorAndTheEmulator: the pair keys gen makes,
// its public key given to the gateway as the console would hold it and
// the config lines it prints, pass every check of kiosk doctor against
// the emulator (whose signed answer to a signed query proves the gateway
// verified keys gen's key), and a sale's precreate goes through. A second
// run refuses to write over the pair.
func TestKeysGenIsAcceptedByDoctorAndTheEmulator(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	out, diag, status := run1("keys", "gen", "--dir", dir)
	if status != exitOK {
		t.Fatalf("keys gen: status %d, %s", status, diag)
	}
	k, _, err := alipay.LoadPublicKey(filepath.Join(dir, pos.AppPublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	var console string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "MIIB") {
			console = line
		}
	}
	pasted, _, err := alipay.ParsePublicKey([]byte(console))
	if err != nil || !alipay.SameKey(pasted, k) {
		t.Fatalf("the line to paste (%q) is not the public key: %v\n%s", console, err, out)
	}
	for _, want := range []string{"应用公钥", "支付宝公钥", "接口加签方式", "open.alipay.com", "kiosk doctor"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys gen does not say %q:\n%s", want, out)
		}
	}

	// The gateway holds the pasted key as the app's; Alipay's own pair is
	// the emulator's.
	alipayKeys, err := emulator.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.ServerConfig(alipayKeys, nil)
	emu.AppPublicKey = pasted
	srv, err := emulator.Start("127.0.0.1:0", emu)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := os.WriteFile(filepath.Join(dir, "alipay_public_key.pem"), alipay.EncodePublicKeyPEM(alipayKeys.AlipayPublic), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := configLine.FindAllStringSubmatch(out, -1)
	if len(lines) != 3 {
		t.Fatalf("keys gen printed %d config lines:\n%s", len(lines), out)
	}
	cfg := fmt.Sprintf("app_id = %q\ngateway = %q\n", emulator.DefaultAppID, srv.GatewayURL())
	for _, l := range lines {
		cfg += l[1] + " = " + l[2] + "\n"
	}
	cfgPath := writeFile(t, t.TempDir(), "kiosk.toml", cfg)
	for _, protocol := range []string{"v2", "v3"} {
		t.Setenv("KIOSK_PROTOCOL", protocol)
		report, diag, status := run1("doctor", "--config", cfgPath)
		if status != exitOK || !strings.Contains(report, "All checks passed") || strings.Contains(report, "FAIL") ||
			!strings.Contains(report, "app_public_key "+filepath.Join(dir, pos.AppPublicKeyFile)+" is app_private_key's public half") {
			t.Errorf("doctor over %s: status %d\n%s%s", protocol, status, report, diag)
		}
	}
	t.Setenv("KIOSK_PROTOCOL", "v2")
	if out, diag, status := run1("api", "precreate", "--config", cfgPath, "--amount", "0.01"); status != exitOK || !strings.Contains(out, "qr_code") {
		t.Errorf("precreate with keys gen's key: status %d\n%s%s", status, out, diag)
	}

	before, _ := os.ReadFile(filepath.Join(dir, pos.AppPrivateKeyFile))
	if _, diag, status := run1("keys", "gen", "--dir", dir); status != exitUsage || !strings.Contains(diag, "never writes over a key") {
		t.Errorf("a second keys gen: status %d, %s", status, diag)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, pos.AppPrivateKeyFile)); !bytes.Equal(before, after) {
		t.Error("the second keys gen changed the private key")
	}
}

// TestDoctorSaysEachProblemInALine: a configuration wrong in two ways
// gets two FAIL lines, each with its fix, and exit status 1; without
// credentials (no config, or one that names no gateway) doctor says the
// kiosk runs on its embedded emulator, checks the settings and checks no
// gateway (before, it checked Alipay's production gateway).
func TestDoctorSaysEachProblemInALine(t *testing.T) {
	cfgPath, _, _ := standaloneEmulator(t, nil)
	key := filepath.Join(filepath.Dir(cfgPath), emulator.AppPrivateKeyFile)
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KIOSK_APP_ID", "2021000000009999")
	out, diag, status := run1("doctor", "--config", cfgPath)
	var fails []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "FAIL") {
			fails = append(fails, line)
		}
	}
	if status != exitError || len(fails) != 2 || !strings.Contains(diag, "doctor found 2 problems") ||
		!strings.Contains(fails[0], "chmod 600 "+key) || !strings.Contains(fails[1], "does not know app_id 2021000000009999") {
		t.Errorf("status %d, FAIL lines %q\n%s%s", status, fails, out, diag)
	}

	t.Setenv("KIOSK_CONFIG", "")
	t.Setenv("KIOSK_APP_ID", "")
	emulatorOnly := writeFile(t, t.TempDir(), "kiosk.toml", "shop_name = \"Corner Shop\"\ntime_zone = \"Asia/Shanghai\"\n")
	for _, args := range [][]string{{"doctor"}, {"doctor", "--config", emulatorOnly}} {
		out, diag, status := run1(args...)
		if status != exitOK || diag != "" || !strings.Contains(out, "runs on its embedded emulator") || !strings.Contains(out, "give --config FILE") ||
			!strings.Contains(out, "ok    the settings: time zone Asia/Shanghai, OpenAPI v2") || strings.Contains(out, "alipay.com") || strings.Contains(out, "FAIL") {
			t.Errorf("kiosk %s without credentials: status %d\n%s%s", strings.Join(args, " "), status, out, diag)
		}
	}
}

// TestDoctorBesideARunningKiosk: while the kiosk holds notify_addr, the
// doctor finds its notification port behind notify_url.
func TestDoctorBesideARunningKiosk(t *testing.T) {
	cfgPath, _, _ := standaloneEmulator(t, nil)
	addr := closedPort(t)
	t.Setenv("KIOSK_NOTIFY_ADDR", addr)
	t.Setenv("KIOSK_NOTIFY_URL", "http://"+addr+pos.NotifyPath)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := openCounter(mustPlan(t, cfg), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	out, diag, status := run1("doctor", "--config", cfgPath)
	if status != exitOK || !strings.Contains(out, "reaches a running kiosk's notification port") {
		t.Errorf("status %d\n%s%s", status, out, diag)
	}
}

// TestOldSandboxIsWarnedAtStart: a config naming the retired sandbox
// starts, with a warning that names the new one.
func TestOldSandboxIsWarnedAtStart(t *testing.T) {
	cfgPath, _, _ := standaloneEmulator(t, nil)
	t.Setenv("KIOSK_GATEWAY", "https://openapi.alipaydev.com/gateway.do")
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, cfg)
	if len(plan.warnings) != 1 || !strings.Contains(plan.warnings[0], "openapi.alipaydev.com") ||
		!strings.Contains(plan.warnings[0], alipay.SandboxGateway) {
		t.Errorf("warnings %q", plan.warnings)
	}
}

// TestKioskLogPrintsTheLog: kiosk log prints each record of the data
// directory's log as a line, times in the shop's zone, or the JSON as it
// is; with no log yet it says where the log will be.
func TestKioskLogPrintsTheLog(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KIOSK_TIME_ZONE", "Asia/Shanghai")
	if _, diag, status := run1("log", "--data", dir); status != exitUsage || !strings.Contains(diag, filepath.Join(dir, "kiosk.log")) {
		t.Errorf("no log yet: status %d, %s", status, diag)
	}
	record := `{"time":"2026-12-01T14:39:16.5Z","level":"WARN","msg":"alipay call","method":"alipay.trade.precreate","protocol":"v2",` +
		`"out_trade_no":"KT1_1","duration_ms":3,"outcome":"failed","cause":"dns","error":"lookup openapi.alipay.com: no such host"}` + "\n"
	writeFile(t, dir, "kiosk.log", "time=2026-11-30 old text line\n"+record)
	out, _, status := run1("log", "--data", dir)
	want := "time=2026-11-30 old text line\n" +
		`2026-12-01 22:39:16 WARN  alipay call method=alipay.trade.precreate protocol=v2 out_trade_no=KT1_1 duration_ms=3 outcome=failed cause=dns error="lookup openapi.alipay.com: no such host"` + "\n"
	if status != exitOK || out != want {
		t.Errorf("status %d:\n%s\nwant\n%s", status, out, want)
	}
	if out, _, _ := run1("log", "--data", dir, "--format", "json"); !strings.HasSuffix(out, record) {
		t.Errorf("--format json:\n%s", out)
	}
}

// TestDoctorSaysWhyAKeyFileCannotBeRead: a key setting that names a
// directory, or a path through a file, gets a doctor's line that says so
// in the system's reason in the kiosk's language, not Go's error.
func TestDoctorSaysWhyAKeyFileCannotBeRead(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "a-file", "not a key\n")
	cfgPath := writeFile(t, dir, "kiosk.toml", fmt.Sprintf("app_id = \"2021000000000001\"\napp_private_key = %q\nalipay_public_key = %q\ngateway = \"http://%s/gateway.do\"\n",
		dir, filepath.Join(file, "key.pem"), closedPort(t)))
	for _, w := range words.All {
		out, diag, _ := kioskRunIn(t, w.Lang.Tag, "doctor", "--config", cfgPath, "--timeout", "2s")
		for _, want := range []string{w.System.IsDir, w.System.NotDir} {
			if !strings.Contains(out, want) {
				t.Errorf("kiosk doctor --lang %s does not say %q:\n%s%s", w.Lang.Tag, want, out, diag)
			}
		}
		for _, prefix := range goPrefixes {
			if strings.Contains(out, prefix) {
				t.Errorf("kiosk doctor --lang %s says %q, Go's words:\n%s", w.Lang.Tag, prefix, out)
			}
		}
	}
}
