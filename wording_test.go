package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
)

// runIn runs the kiosk in-process under the locale lang (LANG), with
// KIOSK_LANG as given, and returns its standard error as run prints it.
func runIn(t *testing.T, lang, kioskLang string, args ...string) (string, int) {
	t.Helper()
	inLocale(t, "", "", lang)
	t.Setenv("KIOSK_LANG", kioskLang)
	var out, diag bytes.Buffer
	err := execute(args, stdio{in: strings.NewReader(""), out: &out, diag: &diag})
	if err != nil {
		diag.WriteString("kiosk: " + err.Error() + "\n")
	}
	return diag.String(), exitStatus(err)
}

// TestMessagesSayWhatIsWrong: each of these refusals says what is wrong
// (not something else), in the kiosk's language, with exit status 2.
func TestMessagesSayWhatIsWrong(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	file := writeFile(t, t.TempDir(), "junk.pem", "not a directory\n")
	data := t.TempDir()
	future := time.Now().In(alipay.Location()).AddDate(0, 0, 2).Format(time.DateOnly)
	tests := []struct {
		name, lang, kioskLang string
		args                  []string
		want, wantNot         string
	}{
		{"keys gen into a file", "C", "", []string{"keys", "gen", "--dir", file},
			"--dir " + file + " is a file, not a directory", "already there"},
		{"keys gen under a file", "C", "", []string{"keys", "gen", "--dir", filepath.Join(file, "keys")},
			"is a file, not a directory", "already there"},
		{"keys gen without --dir, in Chinese", "zh_CN.UTF-8", "", []string{"keys", "gen"},
			"keys gen 需要 --dir DIR", "needs"},
		{"verify-md5 without a key", "C", "", []string{"api", "verify-md5"},
			"verify-md5 needs --key-file FILE", "does not exist"},
		{"verify-md5 without a key, in Chinese", "zh_CN.UTF-8", "", []string{"api", "verify-md5"},
			"verify-md5 需要 --key-file FILE", "不存在"},
		{"a report of a day to come", "C", "", []string{"ledger", "report", "--data", data, "--date", future},
			future + " has not begun: it is ", "X REPORT"},
		{"KIOSK_LANG fr under a Chinese locale", "zh_CN.UTF-8", "fr", []string{"ledger", "--data", data},
			`KIOSK_LANG “fr”：收银台只支持 en|zh`, "the kiosk speaks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diag, status := runIn(t, tt.lang, tt.kioskLang, tt.args...)
			if status != exitUsage || !strings.Contains(diag, tt.want) || strings.Contains(diag, tt.wantNot) {
				t.Errorf("kiosk %s: status %d, %q; want status 2 and %q", strings.Join(tt.args, " "), status, diag, tt.want)
			}
		})
	}
}
