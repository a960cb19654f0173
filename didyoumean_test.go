package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// TestAnUnknownCommandSuggestsTheLikelyOne: a word that is a subcommand
// (report), or a command misspelt (leger, reprot), is refused with the
// commands of the table it likely meant, in both languages, as a usage
// error; a word like no command gets the plain refusal.
func TestAnUnknownCommandSuggestsTheLikelyOne(t *testing.T) {
	t.Cleanup(func() { speak(words.English) })
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, `unknown command "report" (every command: kiosk help): did you mean kiosk ledger report or kiosk central report?`},
		{[]string{"--lang", "zh", "report"}, "未知命令“report”（全部命令：kiosk help）：您要找的是不是 kiosk ledger report 或 kiosk central report？"},
		{[]string{"help", "report"}, `did you mean kiosk ledger report or kiosk central report?`},
		{[]string{"leger"}, `unknown command "leger" (every command: kiosk help): did you mean kiosk ledger?`},
		{[]string{"docter"}, `did you mean kiosk doctor?`},
		{[]string{"reprot"}, `did you mean kiosk ledger report or kiosk central report?`},
		{[]string{"--lang", "zh", "backup"}, "您要找的是不是 kiosk ledger backup？"},
		{[]string{"xyzzy"}, `unknown command "xyzzy" (try: kiosk help)`},
	} {
		err := execute(c.args, stdio{in: strings.NewReader(""), out: io.Discard, diag: io.Discard})
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, new(cli.UsageError)) {
			t.Errorf("kiosk %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}
