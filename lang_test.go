package main

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// inLocale sets the process's locale for the test; the command line goes
// back to English after it.
func inLocale(t *testing.T, all, messages, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", all)
	t.Setenv("LC_MESSAGES", messages)
	t.Setenv("LANG", lang)
	t.Cleanup(func() { speak(words.English) })
}

// TestTheLanguageIsFlagThenEnvThenConfigThenLocale: kiosk help and a
// command's output speak --lang, else KIOSK_LANG, else the config's lang,
// else the locale's language.
func TestTheLanguageIsFlagThenEnvThenConfigThenLocale(t *testing.T) {
	zhConfig := writeFile(t, t.TempDir(), "kiosk.toml", "lang = \"zh\"\n")
	enConfig := writeFile(t, t.TempDir(), "kiosk.toml", "lang = \"en\"\n")
	const zhHelp, enHelp = "kiosk：支付宝收银终端", "kiosk: an Alipay point-of-sale terminal"
	const zhCheck, enCheck = "尚无账本", "no ledger yet"
	for _, tt := range []struct {
		name, lang, env string
		args            []string
		want            string
	}{
		{"the locale, Chinese", "zh_CN.UTF-8", "", []string{"help"}, zhHelp},
		{"the locale, English", "en_US.UTF-8", "", []string{"help"}, enHelp},
		{"the locale, C", "C", "", []string{"help"}, enHelp},
		{"--lang over the locale", "zh_CN.UTF-8", "", []string{"help", "--lang", "en"}, enHelp},
		{"--lang=zh", "en_US.UTF-8", "", []string{"help", "--lang=zh"}, zhHelp},
		{"KIOSK_LANG over the locale", "en_US.UTF-8", "zh", []string{"help"}, zhHelp},
		{"--lang over KIOSK_LANG", "en_US.UTF-8", "zh", []string{"help", "-lang", "en"}, enHelp},
		{"the config over the locale", "en_US.UTF-8", "", []string{"ledger", "check", "--config", zhConfig}, zhCheck},
		{"the config, English", "zh_CN.UTF-8", "", []string{"ledger", "check", "--config", enConfig}, enCheck},
		{"KIOSK_LANG over the config", "en_US.UTF-8", "en", []string{"ledger", "check", "--config", zhConfig}, enCheck},
		{"--lang over the config", "en_US.UTF-8", "", []string{"ledger", "check", "--config", zhConfig, "--lang", "en"}, enCheck},
		{"the locale without a config", "zh_CN.UTF-8", "", []string{"ledger", "check"}, zhCheck},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inLocale(t, "", "", tt.lang)
			if tt.env != "" { // set but empty, it would clear the config's lang
				t.Setenv("KIOSK_LANG", tt.env)
			}
			var out bytes.Buffer
			args := tt.args
			if args[0] == "ledger" {
				args = append(args, "--data", t.TempDir())
			}
			if err := runCommand(&out, args...); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("kiosk %s says\n%s\nwant %q", strings.Join(tt.args, " "), out.String(), tt.want)
			}
		})
	}
}

// TestALanguageTheKioskDoesNotSpeakIsRefused: --lang, KIOSK_LANG and the
// config's lang name the languages there are, else nothing is done.
func TestALanguageTheKioskDoesNotSpeakIsRefused(t *testing.T) {
	inLocale(t, "C", "", "")
	fr := writeFile(t, t.TempDir(), "kiosk.toml", "lang = \"fr\"\n")
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"ledger", "--lang", "fr"}, `--lang "fr": the kiosk speaks en|zh`},
		{"klingon", []string{"help"}, `KIOSK_LANG "klingon": the kiosk speaks en|zh`},
		{"", []string{"ledger", "--config", fr}, `config ` + fr + ` line 1: lang "fr": the kiosk speaks en|zh`},
	} {
		t.Run(tt.want, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("KIOSK_LANG", tt.env)
			}
			err := runCommand(new(bytes.Buffer), append(tt.args, "--data", t.TempDir())...)
			if err == nil || !errors.As(err, new(cli.UsageError)) || err.Error() != tt.want {
				t.Errorf("kiosk %s: %v; want the usage error %q", strings.Join(tt.args, " "), err, tt.want)
			}
		})
	}
}

// TestEveryCommandTakesLang: every command of the table answers --lang,
// and -h says what it is.
func TestEveryCommandTakesLang(t *testing.T) {
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, new(options))
		langFlag(fs, new(options))
		if f := fs.Lookup("lang"); f == nil || !strings.Contains(f.Usage, "en|zh") {
			t.Errorf("%s: --lang is %v", c.name(), f)
		}
	}
	inLocale(t, "C", "", "")
	var diag bytes.Buffer
	_, _, err := parse([]string{"ledger", "report", "-h"}, stdio{out: &diag, diag: &diag})
	if err != nil || !strings.Contains(diag.String(), "-lang") {
		t.Errorf("kiosk ledger report -h: %v\n%s", err, diag.String())
	}
}

// TestChineseCommandLine: in Chinese the command table, the flags' usage
// and the complaints are Chinese, and the synopses are the same as in
// English (the values' names are the same).
func TestChineseCommandLine(t *testing.T) {
	inLocale(t, "C", "", "")
	enUsage := usageText()
	speak(words.Chinese)
	zhUsage := usageText()
	synopses := func(usage string) []string {
		var s []string
		for _, l := range strings.Split(usage, "\n") {
			if strings.HasPrefix(l, "  kiosk") {
				s = append(s, l)
			}
		}
		return s
	}
	if en, zh := synopses(enUsage), synopses(zhUsage); strings.Join(en, "\n") != strings.Join(zh, "\n") || len(en) < 10 {
		t.Errorf("the synopses differ:\n%s\n--\n%s", strings.Join(en, "\n"), strings.Join(zh, "\n"))
	}
	for _, want := range []string{"运行收银台", "当天的 X 报表（交班）", "每个命令也都接受 --lang en|zh 指定语言"} {
		if !strings.Contains(zhUsage, want) {
			t.Errorf("kiosk help in Chinese lacks %q:\n%s", want, zhUsage)
		}
	}
	for _, usage := range []string{enUsage, zhUsage} {
		for _, l := range strings.Split(usage, "\n") {
			if w := ansi.StringWidth(l); w > helpWidth {
				t.Errorf("a line of kiosk help is %d cells wide, more than a terminal's %d:\n%s", w, helpWidth, l)
			}
		}
	}
	_, _, err := parse([]string{"central", "nonsense"}, stdio{})
	if err == nil || err.Error() != `未知的 central 子命令“nonsense”：请用 report、ledger、status、reconcile 或 verify` {
		t.Errorf("complaint in Chinese: %v", err)
	}
}

// TestDatesAreRefusedInTheShopsLanguage: a date or a range of dates the
// ledger refuses is said in the shop's language with the dates given and
// the flag that gave a date that is none, from the refusal's facts, by
// every command that takes a date, and exits with status 2.
func TestDatesAreRefusedInTheShopsLanguage(t *testing.T) {
	dir := seedDataDir(t)
	// Head office's database is not there: the dates are refused first.
	chain := writeFile(t, t.TempDir(), "kiosk.toml", "central_ledger = \"host=127.0.0.1 port=1 dbname=kiosk\"\n")
	for _, tt := range []struct {
		args   []string
		zh, en string
	}{
		{[]string{"ledger", "--data", dir, "--date", "2024-13-01"}, "--date 2024-13-01 不是日期：请写成 YYYY-MM-DD", "--date 2024-13-01 is not a date: write it YYYY-MM-DD"},
		{[]string{"ledger", "--data", dir, "--from", "2024-5-1"}, "--from 2024-5-1 不是日期", "--from 2024-5-1 is not a date"},
		{[]string{"ledger", "--data", dir, "--from", "2024-05-01", "--to", "05-10"}, "--to 05-10 不是日期", "--to 05-10 is not a date"},
		{[]string{"ledger", "report", "--data", dir, "--date", "17.5.2024"}, "--date 17.5.2024 不是日期", "--date 17.5.2024 is not a date"},
		{[]string{"ledger", "reconcile", "--data", dir, "--date", "5/17"}, "--date 5/17 不是日期", "--date 5/17 is not a date"},
		{[]string{"central", "report", "--config", chain, "--date", "2024-02-30"}, "--date 2024-02-30 不是日期", "--date 2024-02-30 is not a date"},
		{[]string{"central", "ledger", "--config", chain, "--date", "2024/05/17"}, "--date 2024/05/17 不是日期", "--date 2024/05/17 is not a date"},
		{[]string{"central", "ledger", "--config", chain, "--from", "2024-05-01", "--to", "2024-05-32"}, "--to 2024-05-32 不是日期", "--to 2024-05-32 is not a date"},
		{[]string{"central", "reconcile", "--config", chain, "--data", dir, "--date", "x"}, "--date x 不是日期", "--date x is not a date"},
		{[]string{"ledger", "--data", dir, "--from", "2024-05-17", "--to", "2024-05-10"}, "--from 2024-05-17 晚于 --to 2024-05-10", "--from 2024-05-17 comes after --to 2024-05-10"},
		{[]string{"ledger", "--data", dir, "--from", "2020-01-01", "--to", "2024-05-10"}, "--from 2020-01-01 --to 2024-05-10 共 1592 天：一次最多读取", "--from 2020-01-01 --to 2024-05-10 spans 1592 days: at most"},
	} {
		for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
			code, _, stderr := runKiosk(t, append(tt.args, "--lang", lang)...)
			if code != exitUsage || !strings.Contains(stderr, want) {
				t.Errorf("%v in %s: exit %d, %q; want %d and %q", tt.args, lang, code, stderr, exitUsage, want)
			}
			if en := latin.Words(stderr); lang == "zh" && len(en) > 0 {
				t.Errorf("%v: English %q in %q", tt.args, en, stderr)
			}
		}
	}
}

// TestAMissingDataDirectoryIsSaidInTheShopsLanguage: a manager's command
// given a data directory that does not exist, or a file, says so in the
// shop's language and exits with status 2, creating nothing.
func TestAMissingDataDirectoryIsSaidInTheShopsLanguage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	file := writeFile(t, t.TempDir(), "data", "")
	for _, tt := range []struct {
		dir, zh, en string
	}{
		{missing, "数据目录 " + missing + " 不存在", "there is no data directory " + missing},
		{file, file + " 是文件，不是数据目录", file + " is a file, not a data directory"},
	} {
		for _, cmd := range [][]string{{"ledger"}, {"ledger", "report"}, {"ledger", "check"}} {
			for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
				code, _, stderr := runKiosk(t, append(cmd, "--data", tt.dir, "--lang", lang)...)
				if code != exitUsage || !strings.Contains(stderr, want) {
					t.Errorf("%v --data %s in %s: exit %d, %q; want %d and %q", cmd, tt.dir, lang, code, stderr, exitUsage, want)
				}
				if en := latin.Words(stderr); lang == "zh" && len(en) > 0 {
					t.Errorf("%v: English %q in %q", cmd, en, stderr)
				}
			}
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the missing data directory was made: %v", err)
	}
}

// TestBackupRefusalsAreSaidInTheShopsLanguage: a backup over the ledger
// itself, or of a ledger that does not exist yet, is refused in the
// shop's language with exit status 2.
func TestBackupRefusalsAreSaidInTheShopsLanguage(t *testing.T) {
	dir, empty := seedDataDir(t), t.TempDir()
	ledger := filepath.Join(dir, "ledger.db")
	for _, tt := range []struct {
		args   []string
		zh, en string
	}{
		{[]string{"ledger", "backup", ledger, "--data", dir, "--force"}, ledger + " 就是账本本身", ledger + " is the ledger itself"},
		{[]string{"ledger", "backup", filepath.Join(t.TempDir(), "b.db"), "--data", empty}, empty + " 中没有可备份的账本", "there is no ledger to back up in " + empty},
	} {
		for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
			code, _, stderr := runKiosk(t, append(tt.args, "--lang", lang)...)
			if code != exitUsage || !strings.Contains(stderr, want) {
				t.Errorf("%v in %s: exit %d, %q; want %d and %q", tt.args, lang, code, stderr, exitUsage, want)
			}
			if en := latin.Words(stderr); lang == "zh" && len(en) > 0 {
				t.Errorf("%v: English %q in %q", tt.args, en, stderr)
			}
		}
	}
}

// TestDefaultSubjectSpeaksTheKiosksLanguage: with no subject and no shop
// name in the config, a Chinese kiosk's order title is Chinese; one in
// the config, or the shop's name, is kept as it is.
func TestDefaultSubjectSpeaksTheKiosksLanguage(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	for _, tt := range []struct {
		lang *words.Words
		cfg  fileConfig
		want string
	}{
		{words.Chinese, fileConfig{}, "门店消费"},
		{words.English, fileConfig{}, "Counter sale"},
		{words.Chinese, fileConfig{ShopName: "街角小店"}, "街角小店"},
		{words.Chinese, fileConfig{Subject: "Coffee", ShopName: "街角小店"}, "Coffee"},
	} {
		speak(tt.lang)
		if got := posConfig(tt.cfg, pos.ModeEmulator).Subject; got != tt.want {
			t.Errorf("%s, %+v: subject %q, want %q", tt.lang.Lang.Tag, tt.cfg, got, tt.want)
		}
	}
}
