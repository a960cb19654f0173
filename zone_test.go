package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/pos"
)

// TestAnotherZoneOnAnExistingLedgerIsRefused: a ledger the counter began
// in the default zone (Asia/Shanghai) is refused, with both zones and
// what to do, by the counter and by the ledger's commands configured with
// time_zone = "UTC"; in the recorded zone every one of them opens it.
func TestAnotherZoneOnAnExistingLedgerIsRefused(t *testing.T) {
	dir := t.TempDir()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	c.close()

	_, err = openCounter(mustPlan(t, fileConfig{TimeZone: "UTC"}), dir)
	var ze *pos.LedgerZoneError
	if !errors.As(err, &ze) || exitStatus(err) != exitUsage {
		t.Fatalf("the counter in UTC on a Shanghai ledger: %v (status %d), want a *pos.LedgerZoneError, status 2", err, exitStatus(err))
	}
	if text := err.Error(); !strings.Contains(text, "Asia/Shanghai") || !strings.Contains(text, `"UTC"`) || !strings.Contains(text, `time_zone = "Asia/Shanghai"`) {
		t.Errorf("the counter says %q: want both zones and the setting to put back", text)
	}

	utc := writeFile(t, t.TempDir(), "kiosk.toml", "time_zone = \"UTC\"\n")
	shanghai := writeFile(t, t.TempDir(), "kiosk.toml", "time_zone = \"Asia/Shanghai\"\n")
	for _, args := range [][]string{{"ledger"}, {"ledger", "report"}, {"ledger", "check"}, {"manager", "set-pin"}} {
		_, diag, status := kioskRun(t, append(args, "--data", dir, "--config", utc)...)
		if status != exitUsage || !strings.Contains(diag, "time zone Asia/Shanghai") || !strings.Contains(diag, `time_zone "UTC"`) {
			t.Errorf("kiosk %s in UTC on a Shanghai ledger: status %d, stderr %q", strings.Join(args, " "), status, diag)
		}
		if args[0] == "manager" {
			continue // it asks for a PIN
		}
		if _, diag, status := kioskRun(t, append(args, "--data", dir, "--config", shanghai)...); status != exitOK {
			t.Errorf("kiosk %s in the ledger's zone: status %d, stderr %q", strings.Join(args, " "), status, diag)
		}
	}
	_, diag, _ := kioskRunIn(t, "zh", "ledger", "--data", dir, "--config", utc)
	if !strings.Contains(diag, "按时区 Asia/Shanghai 记日") || !strings.Contains(diag, `time_zone = "Asia/Shanghai"`) {
		t.Errorf("in Chinese, kiosk ledger says %q", diag)
	}
}

// TestEveryCommandRefusesTheConfigTheCounterRefuses: a time_zone that is
// no zone is refused by kiosk doctor and the ledger's commands in the
// counter's words, not passed as all ok or read in another zone.
func TestEveryCommandRefusesTheConfigTheCounterRefuses(t *testing.T) {
	dir := t.TempDir()
	mars := writeFile(t, t.TempDir(), "kiosk.toml", "time_zone = \"Mars/Base\"\n"+
		"app_id = \"2021000000000000\"\napp_private_key = \"app.pem\"\nalipay_public_key = \"alipay.pem\"\ngateway = \"http://127.0.0.1:1/gateway.do\"\n")
	cfg, err := loadConfig(mars)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = planCounter(cfg); err == nil {
		t.Fatal("the counter takes time_zone Mars/Base")
	}
	want := err.Error()
	for _, args := range [][]string{{"doctor"}, {"ledger"}, {"ledger", "report"}, {"log"}} {
		if args[0] != "doctor" {
			args = append(args, "--data", dir)
		}
		out, diag, status := kioskRun(t, append(args, "--config", mars)...)
		if status != exitUsage || diag != "kiosk: "+want+"\n" {
			t.Errorf("kiosk %s with time_zone Mars/Base: status %d, stdout %q, stderr %q; want status 2 and %q", strings.Join(args, " "), status, out, diag, want)
		}
	}
}

// TestTodayIsTheShopsWhateverTheHostsZone: on a data directory with no
// ledger yet, kiosk ledger and ledger report head today's date in the
// shop's zone (Asia/Shanghai by default), not the host's: the child runs
// with TZ set to a zone whose date differs from Shanghai's now.
func TestTodayIsTheShopsWhateverTheHostsZone(t *testing.T) {
	shanghai := alipay.Location()
	before := time.Now().In(shanghai)
	host := "Pacific/Honolulu" // 18 hours behind Shanghai: the day before until 18:00 there
	if before.Hour() >= 18 {
		host = "Pacific/Kiritimati" // 6 hours ahead: the day after from 18:00
	}
	t.Setenv("TZ", host)
	for _, args := range [][]string{{"ledger"}, {"ledger", "report"}} {
		dir := t.TempDir()
		status, out, diag := runKiosk(t, append(args, "--data", dir, "--lang", "en")...)
		after := time.Now().In(shanghai)
		if status != exitOK {
			t.Fatalf("kiosk %s: status %d, %s", strings.Join(args, " "), status, diag)
		}
		first := strings.SplitN(out, "\n", 5)
		heading := strings.Join(first[:min(len(first), 4)], "\n")
		if !strings.Contains(heading, before.Format(time.DateOnly)) && !strings.Contains(heading, after.Format(time.DateOnly)) {
			t.Errorf("kiosk %s with TZ=%s heads %q, want Shanghai's date %s", strings.Join(args, " "), host, heading, before.Format(time.DateOnly))
		}
	}
}
