package cli

import (
	"testing"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestEveryCheckProblemHasItsWords: every kind of problem kiosk ledger
// check finds has a sentence in every language, and Chinese's is not
// English's, so a kind added without its words fails here.
func TestEveryCheckProblemHasItsWords(t *testing.T) {
	kinds := pos.CheckKinds()
	if len(kinds) < 30 {
		t.Fatalf("only %d kinds of check problem", len(kinds))
	}
	for _, k := range kinds {
		p := pos.CheckProblem{Kind: k, Sale: "K1", Key: "K1", Bucket: "sales", Date: "2024-05-16", OtherDate: "2024-05-17",
			Receipt: 7, Receipts: []int{3, 4}, Status: pos.StatusPaid, Value: "odd", Refund: "K1-R1", Fen: 300, OtherFen: 200,
			Number: 2, Count: 2, Limit: 9, Detail: "detail"}
		en := checkProblemText(words.English, p)
		for _, w := range words.All {
			got := checkProblemText(w, p)
			switch {
			case got == "":
				t.Errorf("%s: kind %d has no words", w.Lang.Tag, k)
			case w != words.English && got == en && k != pos.CheckFile:
				t.Errorf("%s: kind %d is said in English: %q", w.Lang.Tag, k, got)
			}
		}
		if want := p.String(); en != want {
			t.Errorf("kind %d: English words %q, the ledger's %q", k, en, want)
		}
	}
}
