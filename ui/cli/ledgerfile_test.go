package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// TestBboltsRefusalIsWordedNotQuoted: a ledger file bbolt refused (held
// too long by another program, written in another format version) is
// said as the ledger that cannot be opened and why, in the language, with
// the error kept in the chain: never bbolt's "timeout" or "version
// mismatch".
func TestBboltsRefusalIsWordedNotQuoted(t *testing.T) {
	for _, tt := range []struct {
		problem pos.LedgerFileProblem
		bbolt   string
		reason  func(*words.Words) string
	}{
		{pos.LedgerFileBusy, "timeout", func(w *words.Words) string { return w.System.LedgerBusy }},
		{pos.LedgerFileVersion, "version mismatch", func(w *words.Words) string { return w.System.LedgerVersion }},
	} {
		cause := &pos.LedgerFileError{Path: "/srv/kiosk/ledger.db", Problem: tt.problem}
		for _, w := range words.All {
			Speak(w)
			err := LedgerTrouble(fmt.Errorf("list day: %w", cause), "")
			Speak(words.English)
			want := w.System.CannotReadLedger.F("/srv/kiosk", tt.reason(w))
			if err.Error() != want || !errors.Is(err, cause) || strings.Contains(err.Error(), tt.bbolt) {
				t.Errorf("%s: %q; want %q, the cause in the chain", w.Lang.Tag, err, want)
			}
			if en := latin.Words(err.Error()); w == words.Chinese && len(en) > 0 {
				t.Errorf("English %q in %q", en, err)
			}
		}
	}
}
