package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"kiosk/ui/words"
)

// TestTheCommandLineWritesTheLocalesCharset: in a GB18030 (or GBK)
// locale, kiosk ledger's table and a refusal on standard error are
// written in that charset, to a file as on a terminal; its CSV and JSON
// written to a file stay UTF-8, and shown on a terminal follow the
// locale.
func TestTheCommandLineWritesTheLocalesCharset(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	dir := t.TempDir()
	_, _, date := refundedOutside(t, dir, "")
	run := func(enc encoding.Encoding, out, diag *os.File, args ...string) error {
		t.Helper()
		s := stdio{in: strings.NewReader(""), out: newLocaleWriter(out, enc), diag: newLocaleWriter(diag, enc)}
		err := execute(append([]string{"--lang", "zh"}, args...), s)
		closeStdio(s)
		return err
	}
	file := func(name string) *os.File {
		f, err := os.Create(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	read := func(f *os.File) []byte {
		b, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	decode := func(enc encoding.Encoding, b []byte) string {
		s, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(s)
	}
	for _, c := range []struct {
		enc encoding.Encoding
		yen string
	}{{simplifiedchinese.GB18030, "¥"}, {simplifiedchinese.GBK, "￥"}} {
		out, diag := file("table"), file("diag")
		if err := run(c.enc, out, diag, "ledger", "--data", dir, "--date", date); err != nil {
			t.Fatal(err)
		}
		table := read(out)
		if utf8.Valid(table) || !strings.Contains(decode(c.enc, table), "付款方式") || !strings.Contains(decode(c.enc, table), "已收款  "+c.yen) {
			t.Errorf("%v: the table is not in the locale's charset: %q", c.enc, table)
		}
		locale := map[any]string{simplifiedchinese.GB18030: "zh_CN.GB18030", simplifiedchinese.GBK: "zh_CN.GBK"}[c.enc]
		if status := runOn([]string{"--lang", "zh", "report"}, func(k string) string {
			return map[string]string{"LANG": locale}[k]
		}, out, diag); status != exitUsage {
			t.Fatalf("kiosk report: status %d", status)
		}
		if b := read(diag); utf8.Valid(b) || !strings.Contains(decode(c.enc, b), "kiosk: 未知命令“report”（全部命令：kiosk help）：您要找的是不是 kiosk ledger report") {
			t.Errorf("%v: stderr %q", c.enc, b)
		}

		for _, format := range []string{"csv", "json"} {
			out := file(format)
			if err := run(c.enc, out, diag, "ledger", "--data", dir, "--date", date, "--format", format); err != nil {
				t.Fatal(err)
			}
			if b := read(out); !utf8.Valid(b) || !strings.Contains(string(b), "已收款") && !strings.Contains(string(b), "paid") {
				t.Errorf("%v: %s to a file is not UTF-8: %q", c.enc, format, b)
			}
		}
	}

	screen := onTerminal(t, 200, func(tty *os.File) error {
		return run(simplifiedchinese.GB18030, tty, tty, "ledger", "--data", dir, "--date", date, "--format", "csv")
	})
	if b := screen; utf8.Valid(b) || !strings.Contains(decode(simplifiedchinese.GB18030, b), "付款方式") {
		t.Errorf("CSV on a GB18030 terminal is not GB18030: %q", b)
	}
}
