package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"kiosk/ui/words"
)

// goPrefixes are how Go's packages begin their errors: a package's name
// and the operations of os and net with the path or address after them.
// None belongs in what the kiosk tells a person, after a space.
var goPrefixes = []string{"store:", "pos:", "alipay:", "emulator:", "central:", "cli:", "bolt:", "toml:",
	"open /", "stat /", "lstat /", "read /", "write /", "mkdir /", "rename /",
	"dial tcp", "listen tcp", `Post "`, `Get "`, "open ledger", "key file:", "strconv."}

// TestBadInputIsOneLineInTheKiosksWords: each bad input gets one line on
// standard error that says what is wrong and what to do, in English and in
// Chinese, with no Go package's prefix, the right exit status and nothing
// on standard output.
func TestBadInputIsOneLineInTheKiosksWords(t *testing.T) {
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "missing")
	file := writeFile(t, tmp, "a-file", "not a directory\n")
	empty := t.TempDir()
	seeded := seedDataDir(t)
	cfgPath, _, _ := standaloneEmulator(t, nil)
	badKeys := writeFile(t, tmp, "bad-keys.toml", "app_id = \"1\"\napp_private_key = \"nope.pem\"\nalipay_public_key = \"nope2.pem\"\ngateway = \"sandbox\"\n")
	closed := closedPort(t)
	emuDir := filepath.Dir(cfgPath)
	keys := func(name, private, public string) string {
		return writeFile(t, emuDir, name, "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\napp_private_key = \""+private+"\"\nalipay_public_key = \""+public+"\"\n")
	}
	publicAsPrivate := keys("public-as-private.toml", "app_public_key.pem", "alipay_public_key.pem")
	privateAsPublic := keys("private-as-public.toml", "app_private_key.pem", "app_private_key.pem")
	notAKey := keys("not-a-key.toml", "kiosk.toml", "alipay_public_key.pem")
	appKeyAsAlipays := keys("own-key.toml", "app_private_key.pem", "app_public_key.pem")
	unknownSetting := writeFile(t, tmp, "unknown.toml", "qr_timout = 90\n")
	badGateway := writeFile(t, emuDir, "gateway.toml", "app_id = \"1\"\ngateway = \"ftp://x\"\napp_private_key = \"app_private_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n")
	down := writeFile(t, tmp, "down.toml", "app_id = \"2021000000000001\"\napp_private_key = \""+filepath.Join(emuDir, "app_private_key.pem")+
		"\"\nalipay_public_key = \""+filepath.Join(emuDir, "alipay_public_key.pem")+"\"\ngateway = \"http://"+closed+"/gateway.do\"\n")

	for _, tt := range []struct {
		name   string
		env    map[string]string
		args   []string
		status int
		says   string // in English
	}{
		{"no data directory", nil, []string{"ledger", "--data", missing}, exitUsage, "there is no data directory"},
		{"no data directory to check", nil, []string{"ledger", "check", "--data", missing}, exitUsage, "there is no data directory"},
		{"no data directory to report", nil, []string{"ledger", "report", "--data", missing}, exitUsage, "there is no data directory"},
		{"a file as data directory", nil, []string{"ledger", "check", "--data", file}, exitUsage, "is a file, not a data directory"},
		{"a file as the PIN's data directory", nil, []string{"manager", "set-pin", "--data", file}, exitUsage, "a part of the path is a file, not a directory"},
		{"a month 13", nil, []string{"ledger", "--data", empty, "--date", "2026-13-01"}, exitUsage, "--date 2026-13-01 is not a date"},
		{"a report's date", nil, []string{"ledger", "report", "--data", empty, "--date", "friday"}, exitUsage, "--date friday is not a date"},
		{"a reconcile's date", nil, []string{"ledger", "reconcile", "--data", empty, "--date", "x"}, exitUsage, "--date x is not a date"},
		{"a range's end", nil, []string{"ledger", "--data", empty, "--from", "2026-12-01", "--to", "12/05"}, exitUsage, "--to 12/05 is not a date"},
		{"a range backwards", nil, []string{"ledger", "--data", empty, "--from", "2026-12-05", "--to", "2026-12-01"}, exitUsage, "--from 2026-12-05 comes after --to 2026-12-01"},
		{"a range too long", nil, []string{"ledger", "--data", empty, "--from", "2020-01-01", "--to", "2026-12-01"}, exitUsage, "at most 366 days"},
		{"--to alone", nil, []string{"ledger", "--data", empty, "--to", "2026-12-01"}, exitUsage, "--to 2026-12-01 needs --from"},
		{"a backup into no directory", nil, []string{"ledger", "backup", filepath.Join(missing, "copy.db"), "--data", seeded}, exitUsage, "there is no directory"},
		{"a backup of no ledger", nil, []string{"ledger", "backup", filepath.Join(tmp, "copy.db"), "--data", empty}, exitUsage, "there is no ledger to back up"},
		{"an emulator that is not there", nil, []string{"emulator", "pay", "--addr", closed, "X"}, exitError, "no emulator answers at"},
		{"no emulator for a buyer code", nil, []string{"emulator", "buyer-code", "--addr", closed}, exitError, "no emulator answers at"},
		{"no emulator to confirm", nil, []string{"emulator", "confirm", "--addr", closed, "28123456789012345"}, exitError, "no emulator answers at"},
		{"no kiosk on the data directory", nil, []string{"emulator", "pay", "--data", empty, "X"}, exitUsage, "no kiosk with an embedded emulator"},
		{"an address without a port", nil, []string{"emulator", "serve", "--addr", "nonsense"}, exitUsage, "cannot listen on nonsense"},
		{"emulator keys under a file", nil, []string{"emulator", "serve", "--addr", "127.0.0.1:0", "--keys", filepath.Join(file, "keys")}, exitUsage, "the emulator's keys in"},
		{"a directory as the MD5 key", nil, []string{"api", "verify-md5", "--key-file", empty}, exitUsage, "it is a directory, not a file"},
		{"no config file", nil, []string{"api", "query", "--config", filepath.Join(tmp, "kiosk.toml"), "--out-trade-no", "X"}, exitUsage, "cannot read the config"},
		{"no key file", nil, []string{"api", "query", "--config", badKeys, "--out-trade-no", "X"}, exitUsage, "app_private_key " + filepath.Join(tmp, "nope.pem") + ": the file does not exist"},
		{"a public key as the app's", nil, []string{"api", "query", "--config", publicAsPrivate, "--out-trade-no", "X"}, exitUsage, "holds a public key (SPKI PEM), not a private key: give the private key file of the pair"},
		{"a private key as Alipay's", nil, []string{"api", "query", "--config", privateAsPublic, "--out-trade-no", "X"}, exitUsage, "holds a private key (PKCS#8 PEM), not a public key: copy the Alipay public key"},
		{"not a key", nil, []string{"api", "query", "--config", notAKey, "--out-trade-no", "X"}, exitUsage, "it is neither PEM nor base64: give a PEM file"},
		{"the app's key as Alipay's", nil, []string{"api", "query", "--config", appKeyAsAlipays, "--out-trade-no", "X"}, exitUsage, "is the app's own public key"},
		{"a misspelled setting", nil, []string{"ledger", "--config", unknownSetting, "--data", empty}, exitUsage, `unknown setting "qr_timout" (did you mean "qr_timeout"?)`},
		{"a gateway that is none", nil, []string{"api", "query", "--config", badGateway, "--out-trade-no", "X"}, exitUsage, `gateway "ftp://x" is neither sandbox, production nor an http(s) URL`},
		{"a query of no order", nil, []string{"api", "query", "--config", cfgPath}, exitUsage, "api query needs the order"},
		{"a gateway not there", nil, []string{"api", "query", "--config", down, "--out-trade-no", "X"}, exitError, "Alipay could not be reached. Check the network connection. (nothing answers at that address)"},
		{"a refund reason too long", nil, []string{"api", "refund", "--config", down, "--out-trade-no", "X", "--amount", "1.00", "--out-request-no", "R1", "--reason", strings.Repeat("R", 300)}, exitUsage, "Alipay would refuse this request, so it was not sent: refund reason is longer than 256 characters."},
		{"an order number too long", nil, []string{"api", "wap-pay", "--config", down, "--amount", "1.00", "--out-trade-no", strings.Repeat("N", 70)}, exitUsage, "Alipay would refuse this order: out_trade_no is longer than 64 characters"},
		{"head office not there", map[string]string{"KIOSK_CENTRAL_LEDGER": "postgres://kiosk@" + closed + "/chain?connect_timeout=5"}, []string{"central", "report"}, exitError, "cannot reach head office's PostgreSQL"},
		{"no log", nil, []string{"log", "--data", empty}, exitUsage, "no log at"},
		{"a length of time", nil, []string{"--data", empty, "--qr-timeout", "soon"}, exitUsage, `"soon" is not a length of time`},
		{"a QR code's time too short", nil, []string{"--data", empty, "--qr-timeout", "5"}, exitUsage, "qr_timeout 5s is outside 10s–2h (Alipay keeps an unscanned code for 2 h at most)"},
		{"a call's deadline too long", map[string]string{"KIOSK_PAY_TIMEOUT": "3m"}, []string{"--data", empty}, exitUsage, "pay_timeout 3m0s is outside 100ms–2m: it is how long one call to Alipay may take (default 10s)"},
		{"a length of time in KIOSK_*", map[string]string{"KIOSK_QR_TIMEOUT": "soon"}, []string{"ledger", "--data", empty}, exitUsage, `"soon" is not a length of time`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for key, value := range tt.env {
				t.Setenv(key, value)
			}
			for _, lang := range []string{"en", "zh"} {
				out, diag, status := kioskRunIn(t, lang, tt.args...)
				if status != tt.status || out != "" {
					t.Errorf("%s: kiosk %s: status %d, stdout %q; want status %d and nothing", lang, strings.Join(tt.args, " "), status, out, tt.status)
				}
				if strings.Count(diag, "\n") != 1 || !strings.HasPrefix(diag, "kiosk: ") {
					t.Errorf("%s: kiosk %s says not one line:\n%s", lang, strings.Join(tt.args, " "), diag)
				}
				for _, prefix := range goPrefixes {
					if strings.Contains(diag, " "+prefix) {
						t.Errorf("%s: kiosk %s says %q, Go's words:\n%s", lang, strings.Join(tt.args, " "), prefix, diag)
					}
				}
				if lang == "en" && !strings.Contains(diag, tt.says) {
					t.Errorf("kiosk %s says\n%s\nwant %q", strings.Join(tt.args, " "), diag, tt.says)
				}
				if lang == "zh" && !strings.ContainsFunc(diag, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					t.Errorf("kiosk --lang zh %s says no Chinese:\n%s", strings.Join(tt.args, " "), diag)
				}
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a refused command made %s", missing)
	}
}

// kioskRunIn is kioskRun in the language lang.
func kioskRunIn(t *testing.T, lang string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	inLocale(t, "C", "", "")
	t.Setenv("KIOSK_LANG", lang)
	defer speak(words.English)
	var out, diag bytes.Buffer
	err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: &diag})
	if err != nil {
		diag.WriteString("kiosk: " + err.Error() + "\n") // as run prints it
	}
	return out.String(), diag.String(), exitStatus(err)
}

// TestTheCounterRefusesADataDirectoryInItsWords: the counter on a data
// directory it cannot make says so in one line of the kiosk's words.
func TestTheCounterRefusesADataDirectoryInItsWords(t *testing.T) {
	file := writeFile(t, t.TempDir(), "a-file", "not a directory\n")
	for _, dir := range []string{file, filepath.Join(file, "data")} {
		status, _, diag := runKiosk(t, "counter", dir)
		if status != exitUsage || strings.Count(diag, "\n") != 1 || !strings.Contains(diag, "data directory "+dir+": a part of the path is a file, not a directory") {
			t.Errorf("the counter on %s: status %d, stderr %q", dir, status, diag)
		}
		for _, prefix := range goPrefixes {
			if strings.Contains(diag, " "+prefix) {
				t.Errorf("the counter on %s says %q, Go's words:\n%s", dir, prefix, diag)
			}
		}
	}
}
