package main

import (
	"io"
	"os"
	"strings"

	"golang.org/x/term"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
)

// The command line writes in the locale's charset: a terminal set to
// GB18030 (or GBK, GB2312) shows UTF-8 as mojibake. Machine output is the
// exception: JSON and CSV written to a file or a pipe stay UTF-8, which is
// what accountants' spreadsheets and tools such as jq expect whatever the
// locale. JSON and CSV shown on a terminal follow the locale, since a
// person reads them there. The counter's screen is left alone: Bubble Tea
// takes its output for a terminal only when it is a term.File, and its
// renderer writes through it frame by frame; a transcoding stand-in for
// the terminal has not been shown to be safe there, so the screen stays
// UTF-8 (run it in a UTF-8 terminal).

// localeCharset is the encoding of the locale's charset (LC_ALL, else
// LC_CTYPE, else LANG, as the C library reads them) when it is one of
// China's national charsets, or nil for UTF-8 and any other.
func localeCharset(getenv func(string) string) encoding.Encoding {
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		_, charset, _ := strings.Cut(v, ".")
		charset, _, _ = strings.Cut(charset, "@")
		switch strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(charset)) {
		case "gb18030":
			return simplifiedchinese.GB18030
		case "gbk", "gb2312", "euccn", "cp936":
			return simplifiedchinese.GBK // GB2312's superset
		}
		return nil
	}
	return nil
}

// localeWriter writes UTF-8 text to a file in another charset; keepUTF8
// makes it write the bytes as they are when the file is not a terminal.
type localeWriter struct {
	f    *os.File
	enc  *transform.Writer
	utf8 bool
}

// newLocaleWriter writes to f in enc. A character the charset lacks is
// replaced rather than failing the write; GBK has no ¥, so it is written
// as the full-width ￥, as Chinese terminals show it.
func newLocaleWriter(f *os.File, enc encoding.Encoding) *localeWriter {
	t := encoding.ReplaceUnsupported(enc.NewEncoder())
	if enc == simplifiedchinese.GBK {
		yen := runes.Map(func(r rune) rune {
			if r == '¥' {
				return '￥'
			}
			return r
		})
		return &localeWriter{f: f, enc: transform.NewWriter(f, transform.Chain(yen, t))}
	}
	return &localeWriter{f: f, enc: transform.NewWriter(f, t)}
}

func (w *localeWriter) Write(p []byte) (int, error) {
	if w.utf8 {
		return w.f.Write(p)
	}
	return w.enc.Write(p)
}

// Fd is the file's, so that a table still fits the terminal it is on.
func (w *localeWriter) Fd() uintptr { return w.f.Fd() }

// keepUTF8 writes UTF-8 from now on, unless the file is a terminal.
func (w *localeWriter) keepUTF8() {
	w.utf8 = !term.IsTerminal(int(w.f.Fd()))
}

// Close writes what the encoder holds still; the file stays open.
func (w *localeWriter) Close() error { return w.enc.Close() }

// processStdio is the standard input, and out and diag in the locale's
// charset.
func processStdio(getenv func(string) string, out, diag *os.File) stdio {
	enc := localeCharset(getenv)
	if enc == nil {
		return stdio{in: os.Stdin, out: out, diag: diag}
	}
	return stdio{in: os.Stdin, out: newLocaleWriter(out, enc), diag: newLocaleWriter(diag, enc)}
}

// machineOutput reports whether what c writes on standard output is for
// programs: JSON or CSV (--format), or Alipay's JSON answers (kiosk api).
func machineOutput(c *command, e *env) bool {
	return e.opts.format == "json" || e.opts.format == "csv" || strings.HasPrefix(c.path, "api ")
}

// keepMachineOutputUTF8 has standard output stay UTF-8 for machine
// output to a file or a pipe.
func keepMachineOutputUTF8(c *command, e *env) {
	if w, ok := e.io.out.(*localeWriter); ok && machineOutput(c, e) {
		w.keepUTF8()
	}
}

// closeStdio flushes the streams that encode.
func closeStdio(s stdio) {
	for _, w := range []io.Writer{s.out, s.diag} {
		if c, ok := w.(*localeWriter); ok {
			_ = c.Close()
		}
	}
}
