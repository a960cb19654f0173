package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kiosk/ui/words"
)

// TestEveryEmulatorLogMessageHasWords: each message the emulator logs
// (e.log.Info("buyer paid", …) in alipay/emulator) has its words in every
// language, so kiosk emulator serve's terminal lines never show an English
// message among Chinese ones. The messages are read from the emulator's
// source, so a new one without words fails here.
func TestEveryEmulatorLogMessageHasWords(t *testing.T) {
	files, err := filepath.Glob("../../alipay/emulator/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("the emulator's source: %v, %d files", err, len(files))
	}
	messages := map[string]string{} // message → where
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if msg, ok := logMessage(n); ok {
				messages[msg] = fset.Position(n.Pos()).String()
			}
			return true
		})
	}
	if len(messages) < 10 {
		t.Fatalf("found %d log messages in the emulator; the scan is broken", len(messages))
	}
	for _, say := range []*words.Words{words.English, words.Chinese} {
		for msg, where := range messages {
			if say.Emulator.LogSays[msg] == "" {
				t.Errorf("%s: the emulator logs %q, which has no words in %s", where, msg, say.Lang.Tag)
			}
		}
	}
}

// logMessage is the message of a call X.log.Info/Warn/Error/Debug("…", …).
func logMessage(n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	switch sel.Sel.Name {
	case "Info", "Warn", "Error", "Debug":
	default:
		return "", false
	}
	if recv, ok := sel.X.(*ast.SelectorExpr); !ok || recv.Sel.Name != "log" {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	msg, err := strconv.Unquote(lit.Value)
	return msg, err == nil
}
