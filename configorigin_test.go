package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kiosk/alipay/emulator"
	"kiosk/internal/english"
	"kiosk/ui/cli"
)

// originCase is a setting the kiosk reads and then refuses: key = value
// (as TOML), with the settings it needs to be checked at all (context),
// and what the refusal says in each language. env is the value of its
// KIOSK_* variable where it differs from value without quotation marks
// (a key file's path, which the environment does not resolve against the
// config's directory); noEnv: the variable is refused before any
// configuration is read (KIOSK_LANG). english: the refusal quotes an
// English text the kiosk does not word (the PostgreSQL driver's).
type originCase struct {
	key, value string
	context    []string
	en, zh     string
	env        string
	noEnv      bool
	english    bool
}

// originCases are the refusals of fileConfig.check, clientConfig and the
// config's lang, one setting each; dir holds the key files a real
// gateway needs.
func originCases(dir string) []originCase {
	gateway := []string{`app_id = "2021000000000001"`, `gateway = "sandbox"`}
	keys := slices.Concat(gateway, []string{`app_private_key = "app_private_key.pem"`})
	real := slices.Concat(keys, []string{`alipay_public_key = "alipay_public_key.pem"`})
	certs := slices.Concat(keys, []string{`alipay_cert = "junk.crt"`, `alipay_root_cert = "junk.crt"`})
	in := func(name string) string { return filepath.Join(dir, name) }
	return []originCase{
		{key: "time_zone", value: `"Mars/Olympus"`,
			en: `time_zone "Mars/Olympus" is not a time zone name`, zh: "time_zone “Mars/Olympus”不是时区名"},
		{key: "protocol", value: `"v4"`, en: `protocol "v4" is neither v2 nor v3`, zh: "protocol “v4”既不是 v2 也不是 v3"},
		{key: "gateway", value: `"ftp://gateway.example"`, context: []string{`app_id = "2021000000000001"`},
			en: `gateway "ftp://gateway.example" is neither sandbox, production nor an http(s) URL`, zh: "gateway “ftp://gateway.example”既不是 sandbox、production，也不是 http(s) 地址"},
		{key: "notify_url", value: `"https://shop.example/notify"`,
			en: "notify_addr and notify_url go together", zh: "notify_addr 和 notify_url 须同时设置"},
		{key: "notify_url", value: `"https://shop.example/notify?shop=1"`, context: []string{`notify_addr = "127.0.0.1:8080"`},
			en: `notify_url "https://shop.example/notify?shop=1" must be an http(s) URL without query parameters`, zh: "notify_url “https://shop.example/notify?shop=1”必须是不带查询参数的 http(s) 地址"},
		{key: "notify_addr", value: `"shop.example"`, context: []string{`notify_url = "https://shop.example/notify"`},
			en: `notify_addr "shop.example" is not host:port`, zh: "notify_addr “shop.example”不是 主机:端口"},
		{key: "qr_timeout", value: `"5s"`, en: "qr_timeout 5s is outside 10s–2h", zh: "qr_timeout 5s 超出 10s–2h 的范围"},
		{key: "poll_interval", value: `"1h"`, en: "poll_interval 1h0m0s must be at least 100ms and no longer than qr_timeout 2m",
			zh: "poll_interval 1h0m0s 至少为 100ms，且不能长于 qr_timeout 2m"},
		{key: "poll_interval", value: `"30s"`, context: []string{`qr_timeout = "20s"`},
			en: "poll_interval 30s must be at least 100ms and no longer than qr_timeout 20s", zh: "poll_interval 30s 至少为 100ms，且不能长于 qr_timeout 20s"},
		{key: "query_timeout", value: `"5m"`, en: "query_timeout 5m0s is outside 100ms–2m", zh: "query_timeout 5m0s 超出 100ms–2m 的范围"},
		{key: "printer", value: `"lp0"`, en: `printer "lp0": not an absolute device path`, zh: `printer "lp0" 不是可用的打印机地址：不是绝对设备路径`},
		{key: "printer_qr", value: "true", en: "printer_qr and printer_skip_status need printer", zh: "printer_skip_status 需要先设置 printer"},
		{key: "central_ledger", value: `"host=h port=notanumber"`, en: "central_ledger: ", zh: "central_ledger: ", english: true},
		{key: "lang", value: `"fr"`, en: `lang "fr": the kiosk speaks en|zh`, zh: "lang “fr”：收银台只支持 en|zh", noEnv: true},
		{key: "app_private_key", value: `"missing.pem"`, env: in("missing.pem"), context: slices.Concat(gateway, []string{`alipay_public_key = "alipay_public_key.pem"`}),
			en: "app_private_key " + in("missing.pem") + ": the file does not exist", zh: "app_private_key " + in("missing.pem") + "：文件不存在"},
		{key: "alipay_public_key", value: `"app_private_key.pem"`, env: in("app_private_key.pem"), context: keys,
			en: "alipay_public_key " + in("app_private_key.pem") + ": it holds a private key", zh: "alipay_public_key " + in("app_private_key.pem") + "：文件里是私钥"},
		{key: "alipay_public_key", value: `"app_public_key.pem"`, env: in("app_public_key.pem"), context: keys,
			en: "alipay_public_key " + in("app_public_key.pem") + " is the app's own public key", zh: "alipay_public_key " + in("app_public_key.pem") + " 是应用自己的公钥"},
		{key: "printer_paper", value: "58", en: "printer_paper, printer_qr and printer_skip_status need printer", zh: "printer_paper、printer_qr 和 printer_skip_status 需要先设置 printer"},
		{key: "app_cert", value: `"nowhere.crt"`, env: in("nowhere.crt"), context: certs,
			en: "app_cert " + in("nowhere.crt") + ": the file does not exist", zh: "app_cert " + in("nowhere.crt") + "：文件不存在"},
		{key: "alipay_root_cert", value: `"app_private_key.pem"`, env: in("app_private_key.pem"), context: slices.Concat(keys, []string{`app_cert = "app.crt"`, `alipay_cert = "alipay.crt"`}),
			en: "alipay_root_cert holds no RSA-signed root certificate", zh: "alipay_root_cert 中没有 RSA 签名的根证书"},
		{key: "sign_type", value: `"DSA"`, context: real, en: `sign_type "DSA" is neither RSA2 nor RSA`, zh: "sign_type “DSA”既不是 RSA2 也不是 RSA"},
		{key: "app_cert", value: `"junk.crt"`, env: in("junk.crt"), context: certs,
			en: "app_cert holds no PEM certificate", zh: "app_cert 中没有 PEM 证书"},
	}
}

// originFile is the config file name in dir that sets key = value on
// line 7, after comments, a blank line and the settings of context; what
// context does not fit before line 7 follows it. With no value, line 7
// is a comment.
func originFile(t *testing.T, dir, name, key, value string, context []string) string {
	t.Helper()
	lines := slices.Concat([]string{"# The counter at the door.", "", "# What it needs to be checked at all:"}, context)
	var after []string
	if len(lines) > 6 {
		lines, after = lines[:6], slices.Clone(lines[6:])
	}
	for len(lines) < 6 {
		lines = append(lines, "")
	}
	set := "# " + key + " comes from the environment"
	if value != "" {
		set = key + " = " + value + " # refused"
	}
	lines = append(append(lines, set), after...)
	return writeFile(t, dir, name, strings.Join(lines, "\n")+"\n")
}

// TestRefusedSettingsSayWhereTheyWereSet: a setting that reads as TOML
// and is then refused by the kiosk's checks (its time zone, protocol,
// gateway, notification settings, timings, printer, head office's ledger,
// language, key and certificate files, sign type) names where it was set,
// in the shop's language: the config file and the line (7, after comments
// and blank lines), or the KIOSK_* variable that set it, which overrides
// the file. The kiosk exits with status 2 and writes nothing.
func TestRefusedSettingsSayWhereTheyWereSet(t *testing.T) {
	dir := t.TempDir() // the key files, and the config files naming them
	keys, _, err := emulator.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "junk.crt", "not a certificate")
	certFile(t, dir, "app.crt", keys.AppPrivate, 11)
	certFile(t, dir, "alipay.crt", keys.AlipayPrivate, 22)
	for _, tt := range originCases(dir) {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			fromFile := originFile(t, dir, "kiosk.toml", tt.key, tt.value, tt.context)
			// Where the setting is given: the config file to read, the
			// variable to set (NAME=value), and what the refusal begins
			// with in each language.
			type givenAt struct{ name, path, env, en, zh string }
			origins := []givenAt{{"file", fromFile, "", "config " + fromFile + " line 7: ", "配置 " + fromFile + " 第 7 行："}}
			if !tt.noEnv {
				variable := "KIOSK_" + strings.ToUpper(tt.key)
				env := tt.env
				if env == "" {
					env = strings.Trim(tt.value, `"`)
				}
				others := originFile(t, dir, "others.toml", tt.key, "", tt.context)
				origins = append(origins, givenAt{variable, others, variable + "=" + env, variable + ": ", "环境变量 " + variable + "："})
			}
			for _, at := range origins {
				if at.env != "" {
					name, value, _ := strings.Cut(at.env, "=")
					t.Setenv(name, value)
				}
				for _, lang := range []struct{ locale, origin, what string }{{"C", at.en, tt.en}, {"zh_CN.UTF-8", at.zh, tt.zh}} {
					inLocale(t, "", "", lang.locale)
					data := filepath.Join(t.TempDir(), "data")
					err := dispatch([]string{"--config", at.path, "--data", data})
					if !errors.As(err, new(cli.UsageError)) {
						t.Fatalf("from the %s, in %s: %v; want a usage error (exit status 2)", at.name, lang.locale, err)
					}
					msg := err.Error()
					if !strings.HasPrefix(msg, lang.origin) || !strings.Contains(msg, lang.what) || strings.Contains(msg, "\n") {
						t.Errorf("from the %s, in %s:\n%s\nwant one line that begins %q and says %q", at.name, lang.locale, msg, lang.origin, lang.what)
					}
					// A setting's name stays as written (printer, lang), and so do the values to write.
					if en := english.Words(msg, append(configKeys(), "en", "zh", "sandbox", "production", "http")...); lang.locale != "C" && len(en) > 0 && !tt.english {
						t.Errorf("from the %s: English %q in the Chinese refusal %q", at.name, en, msg)
					}
					if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("from the %s: the data directory was made for a refused setting: %v", at.name, err)
					}
				}
			}
		})
	}
}

// TestRefusedSettingsSayTheVariableOverTheFile: a KIOSK_* variable that
// overrides the file's good setting with one the kiosk refuses is named,
// not the file; a counter's flag that overrides both is named in turn.
func TestRefusedSettingsSayTheVariableOverTheFile(t *testing.T) {
	dir := t.TempDir()
	inLocale(t, "C", "", "")
	path := originFile(t, dir, "kiosk.toml", "poll_interval", `"1s"`, []string{`time_zone = "Asia/Shanghai"`})
	data := filepath.Join(dir, "data")
	t.Setenv("KIOSK_TIME_ZONE", "Mars/Olympus")
	err := dispatch([]string{"--config", path, "--data", data})
	if want := `KIOSK_TIME_ZONE: time_zone "Mars/Olympus" is not`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("KIOSK_TIME_ZONE over the file's time_zone: %v; want %q", err, want)
	}
	t.Setenv("KIOSK_TIME_ZONE", "Asia/Shanghai")
	t.Setenv("KIOSK_POLL_INTERVAL", "2s")
	err = dispatch([]string{"--config", path, "--data", data, "--poll-interval", "1h"})
	if want := "--poll-interval: poll_interval 1h0m0s must be at least"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("--poll-interval over the file and KIOSK_POLL_INTERVAL: %v; want %q", err, want)
	}
	// A variable refused as it is read says so in the shop's language too.
	inLocale(t, "", "", "zh_CN.UTF-8")
	t.Setenv("KIOSK_QR_TIMEOUT", "7q")
	err = dispatch([]string{"--config", path, "--data", data})
	if want := "环境变量 KIOSK_QR_TIMEOUT：“7q”"; err == nil || !errors.As(err, new(cli.UsageError)) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("KIOSK_QR_TIMEOUT=7q in Chinese: %v; want a usage error beginning %q", err, want)
	}
	if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the data directory was made for a refused setting: %v", err)
	}
}

// TestConfigSettingLines: the line of each setting is the TOML parser's,
// whatever comes before it: comments, blank lines, a quoted name, a text
// of several lines that holds what looks like a setting.
func TestConfigSettingLines(t *testing.T) {
	text := "# settings\n\n\"shop_name\" = \"Corner\"\nsubject = \"\"\"\ntime_zone = \"x\"\n\"\"\"\n  time_zone = 'Asia/Shanghai' # the shop's\n" +
		"printer_qr = [\n  1,\n]\n"
	got := settingLines(text)
	want := map[string]int{"shop_name": 3, "subject": 4, "time_zone": 7, "printer_qr": 8}
	if len(got) != len(want) {
		t.Errorf("settingLines = %v; want %v", got, want)
	}
	for key, line := range want {
		if got[key] != line {
			t.Errorf("%s: line %d; want %d (all: %v)", key, got[key], line, got)
		}
	}
}
