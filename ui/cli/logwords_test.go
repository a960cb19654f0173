package cli

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/ui/words"
)

// TestEveryKioskLogMessageHasWords: each message the kiosk logs
// (logger.Info("kiosk started", …), LogAttrs(ctx, level, "alipay call",
// …), anywhere in the module but the emulator, whose messages
// TestEveryEmulatorLogMessageHasWords checks) has its words in every
// language, and so has each "hint" a record carries, so kiosk log's lines
// never show an English message among Chinese ones. The messages are read
// from the source: a new one without words, or one that is not a constant
// key, fails here.
func TestEveryKioskLogMessageHasWords(t *testing.T) {
	messages, hints := map[string]string{}, map[string]string{} // → where
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || d.Name() == ".git" || filepath.ToSlash(path) == "../../alipay/emulator" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			where := fset.Position(n.Pos()).String()
			if msg, ok, isLog := kioskLogMessage(n); isLog && !ok {
				t.Errorf("%s: a log call whose message is not a constant key", where)
			} else if ok {
				messages[msg] = where
			}
			for _, h := range hintValues(n) {
				hints[h] = where
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kiosk started", "alipay call", "print failed", "printed"} {
		if messages[want] == "" {
			t.Fatalf("the scan did not find %q among %v; it is broken", want, messages)
		}
	}
	if len(hints) == 0 {
		t.Fatal("the scan found no hint; it is broken")
	}
	for _, say := range []*words.Words{words.English, words.Chinese} {
		for msg, where := range messages {
			if say.Log.Says[msg] == "" {
				t.Errorf("%s: the kiosk logs %q, which has no words in %s", where, msg, say.Lang.Tag)
			}
		}
		for hint, where := range hints {
			if say.Log.Hints[hint] == "" {
				t.Errorf("%s: the kiosk logs the hint %q, which has no words in %s", where, hint, say.Lang.Tag)
			}
		}
		for _, level := range []string{"DEBUG", "INFO", "WARN", "ERROR"} {
			if say.Log.Levels[level] == "" {
				t.Errorf("%s has no words for the level %s", say.Lang.Tag, level)
			}
		}
	}
}

// kioskLogMessage is the message of a call LOGGER.Info/Warn/Error/Debug(…)
// or LOGGER.LogAttrs(ctx, level, …), LOGGER being anything named *log*
// (logger, c.log, s.cfg.Logger, r.logger()); isLog tells a log call, ok
// that its message is a string constant.
func kioskLogMessage(n ast.Node) (msg string, ok, isLog bool) {
	call, isCall := n.(*ast.CallExpr)
	if !isCall {
		return "", false, false
	}
	sel, isSel := call.Fun.(*ast.SelectorExpr)
	if !isSel || !strings.Contains(strings.ToLower(receiverName(sel.X)), "log") {
		return "", false, false
	}
	at := 0
	switch sel.Sel.Name {
	case "Info", "Warn", "Error", "Debug":
	case "InfoContext", "WarnContext", "ErrorContext", "DebugContext":
		at = 1
	case "LogAttrs", "Log":
		at = 2
	default:
		return "", false, false
	}
	if len(call.Args) <= at {
		return "", false, true
	}
	lit, isLit := call.Args[at].(*ast.BasicLit)
	if !isLit || lit.Kind != token.STRING {
		return "", false, true
	}
	msg, err := strconv.Unquote(lit.Value)
	return msg, err == nil, true
}

// receiverName is the last name of a call's receiver: logger, log (c.log),
// Logger (s.cfg.Logger), logger (r.logger()).
func receiverName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.CallExpr:
		return receiverName(x.Fun)
	}
	return ""
}

// hintValues are the string constants that follow a "hint" among a
// call's arguments or a literal's elements (…, "hint", "printer_skip_status").
func hintValues(n ast.Node) []string {
	var list []ast.Expr
	switch n := n.(type) {
	case *ast.CallExpr:
		list = n.Args
	case *ast.CompositeLit:
		list = n.Elts
	default:
		return nil
	}
	var hints []string
	for i := 0; i+1 < len(list); i++ {
		if stringConst(list[i]) != "hint" {
			continue
		}
		if h := stringConst(list[i+1]); h != "" {
			hints = append(hints, h)
		}
	}
	return hints
}

func stringConst(x ast.Expr) string {
	lit, ok := x.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, _ := strconv.Unquote(lit.Value)
	return s
}

// logRecords are JSON records as the kiosk writes them: its own, with a
// hint; the embedded emulator's; and one with a message no table has.
const logRecords = `{"time":"2026-12-01T14:39:16.5Z","level":"INFO","msg":"kiosk started","mode":"EMULATOR","gateway":"emulator"}
{"time":"2026-12-01T14:39:20Z","level":"WARN","msg":"print failed","bytes":120,"error":"printer tcp://p:9100: status: timed out","hint":"printer_skip_status"}
{"time":"2026-12-01T14:39:21Z","level":"INFO","msg":"buyer paid","source":"emulator","out_trade_no":"KT1"}
{"time":"2026-12-01T14:39:22Z","level":"ERROR","msg":"something new","n":1}
`

// TestKioskLogSpeaksTheLanguage: kiosk log's lines say each record's level,
// message and hint in the kiosk's words, the attributes under the JSON's
// names; a message with no words is shown as it is, marked. --format json
// is the file, byte for byte, in either language.
func TestKioskLogSpeaksTheLanguage(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kiosk.log"), []byte(logRecords), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Log(t.Context(), &out, dir, nil, "text", time.FixedZone("CST", 8*3600)); err != nil {
		t.Fatal(err)
	}
	want := "2026-12-01 22:39:16 信息 收银程序已启动 mode=EMULATOR gateway=emulator\n" +
		`2026-12-01 22:39:20 警告 打印失败 bytes=120 error="printer tcp://p:9100: status: timed out" hint="打印机未应答状态查询；如果它一直不应答，请设置 printer_skip_status = true"` + "\n" +
		"2026-12-01 22:39:21 信息 买家已付款 source=emulator out_trade_no=KT1\n" +
		"2026-12-01 22:39:22 错误 【something new】 n=1\n"
	if out.String() != want {
		t.Errorf("kiosk log in Chinese:\n%s\nwant\n%s", out.String(), want)
	}
	for _, w := range []*words.Words{words.Chinese, words.English} {
		Speak(w)
		out.Reset()
		if err := Log(t.Context(), &out, dir, nil, "json", time.UTC); err != nil || out.String() != logRecords {
			t.Errorf("kiosk log --format json in %s: %v\n%s", w.Lang.Tag, err, out.String())
		}
	}
	Speak(words.English)
	out.Reset()
	if err := Log(t.Context(), &out, dir, nil, "text", time.UTC); err != nil || !strings.Contains(out.String(), " ERROR [something new] n=1\n") ||
		!strings.Contains(out.String(), " INFO  kiosk started ") {
		t.Errorf("kiosk log in English: %v\n%s", err, out.String())
	}
}

// TestKioskLogFollowSpeaksTheLanguage: kiosk log --follow words the
// records added after it started as it words the first ones.
func TestKioskLogFollowSpeaksTheLanguage(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.log")
	first, later, _ := strings.Cut(logRecords, "\n")
	if err := os.WriteFile(path, []byte(first+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := &notifyingBuffer{wrote: make(chan struct{}, 16)}
	wake := make(chan time.Time)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Log(ctx, out, dir, wake, "text", time.UTC) }()
	if s := out.waitLines(1); !strings.Contains(s, "收银程序已启动") {
		t.Errorf("kiosk log --follow's first line: %q", s)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(later)
	f.Close()
	wake <- time.Time{}
	s := out.waitLines(4)
	cancel()
	if err := <-done; err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	if !strings.Contains(s, "【something new】") || !strings.Contains(s, "打印失败") || !strings.Contains(s, "买家已付款") || strings.Contains(s, "print failed") {
		t.Errorf("kiosk log --follow:\n%s", s)
	}
}

// notifyingBuffer is a buffer that says on wrote when it was written to.
type notifyingBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
}

func (n *notifyingBuffer) Write(p []byte) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	select {
	case n.wrote <- struct{}{}:
	default:
	}
	return n.b.Write(p)
}

func (n *notifyingBuffer) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.b.String()
}

// waitLines waits until the buffer holds lines lines, and returns it.
func (n *notifyingBuffer) waitLines(lines int) string {
	for strings.Count(n.String(), "\n") < lines {
		<-n.wrote
	}
	return n.String()
}
