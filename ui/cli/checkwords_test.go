package cli

import (
	"strings"
	"testing"

	latin "kiosk/internal/english"
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
			Number: 2, Count: 2, Limit: 9, Detail: "detail", Page: 5, OtherPage: 6, Txid: 8, Type: 0x10, Entry: 3, Bytes: 4096, OtherBytes: 8192,
			Path: "/d/ledger.db", OtherPath: "/d/ledger.marker"}
		// A page of a bucket, of the root bucket, of the freelist, inline.
		for _, where := range []func(*pos.CheckProblem){
			func(p *pos.CheckProblem) { p.Bucket = `"sales"/"x"` },
			func(p *pos.CheckProblem) { p.Bucket = "" },
			func(p *pos.CheckProblem) { p.Freelist = true },
			func(p *pos.CheckProblem) { p.Inline = true },
		} {
			where(&p)
			en := checkProblemText(words.English, p)
			for _, w := range words.All {
				got := checkProblemText(w, p)
				switch {
				case got == "":
					t.Errorf("%s: kind %d has no words", w.Lang.Tag, k)
				case w != words.English && got == en:
					t.Errorf("%s: kind %d is said in English: %q", w.Lang.Tag, k, got)
				}
			}
			if want := p.String(); en != want {
				t.Errorf("kind %d: English words %q, the ledger's %q", k, en, want)
			}
		}
	}
}

// TestEveryChainDifferenceHasItsWords: every kind of difference kiosk
// central verify finds, and every kind of problem in the ledger's outbox,
// has a sentence in every language, Chinese's not English's, and
// English's is the one head office's check gives.
func TestEveryChainDifferenceHasItsWords(t *testing.T) {
	kinds := pos.ChainDiffKinds()
	if len(kinds) < 10 {
		t.Fatalf("only %d kinds of difference", len(kinds))
	}
	for _, k := range kinds {
		outboxes := []pos.OutboxProblem{{}}
		if k == pos.DiffInLedger {
			outboxes = nil
			for _, ok := range pos.OutboxKinds() {
				outboxes = append(outboxes, pos.OutboxProblem{Kind: ok, Sale: "K2", From: 4, To: 6})
			}
		}
		for _, ob := range outboxes {
			d := pos.ChainDifference{Seq: 3, TerminalID: "T1", OutTradeNo: "K1", Kind: k, Date: "2024-05-16", Count: 2,
				Terminals: []string{"T1", "T2"}, Latest: 7, Detail: "detail", Outbox: ob}
			en := differenceText(words.English, d)
			for _, w := range words.All {
				switch got := differenceText(w, d); {
				case got == "", k == pos.DiffInLedger && outboxText(w, ob) == "":
					t.Errorf("%s: kind %d (%d) has no words", w.Lang.Tag, k, ob.Kind)
				case w != words.English && got == en:
					t.Errorf("%s: kind %d is said in English: %q", w.Lang.Tag, k, got)
				}
			}
			if want := d.String(); en != want {
				t.Errorf("kind %d: English words %q, head office's %q", k, en, want)
			}
		}
	}
}

// TestCentralVerifySaysItsDifferencesInChinese: kiosk central verify in
// Chinese says what differs in Chinese; its JSON keeps English.
func TestCentralVerifySaysItsDifferencesInChinese(t *testing.T) {
	v := pos.Verification{LedgerID: "L1", Terminals: []string{"T1"}, Events: 3, Matched: 1, Differences: []pos.ChainDifference{
		{Seq: 2, TerminalID: "T1", OutTradeNo: "K1", Kind: pos.DiffOtherContents},
		{Kind: pos.DiffExtraEvents, Count: 2, Terminals: []string{"T1"}},
		{Kind: pos.DiffInLedger, Outbox: pos.OutboxProblem{Kind: pos.OutboxGap, From: 4, To: 6}},
	}}
	inChinese(t)
	var table, js strings.Builder
	if err := writeVerification(&table, "/d", v, "table"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "事件 2 T1 K1：总部的这条事件内容与账本不同") ||
		!strings.Contains(table.String(), "账本本身：发件箱缺少第 4 至 6 条事件") {
		t.Errorf("central verify in Chinese:\n%s", table.String())
	}
	if en := latin.Words(table.String()); len(en) > 0 {
		t.Errorf("central verify in Chinese says English %q:\n%s", en, table.String())
	}
	if err := writeVerification(&js, "/d", v, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"problem": "head office has this event with other contents"`) {
		t.Errorf("central verify's JSON:\n%s", js.String())
	}
}

// TestTheLedgersOwnWordsAreQuotedInChinese: bbolt's finding, the JSON
// decoder's and the Go runtime's (which have no typed kinds) stand in a
// marked quotation, so that a Chinese manager reads a Chinese sentence
// around them, and English says whose words they are too.
func TestTheLedgersOwnWordsAreQuotedInChinese(t *testing.T) {
	for _, p := range []pos.CheckProblem{
		{Kind: pos.CheckBbolt, Detail: "page 5: already freed"},
		{Kind: pos.CheckSaleUndecodable, Key: "K1", Detail: "invalid character 'x' looking for beginning of value"},
		{Kind: pos.CheckZUndecodable, Key: "Z0001", Detail: "unexpected end of JSON input"},
		{Kind: pos.CheckRefundIndexUnreadable, Refund: "K1-R1", Sale: "K1", Detail: "unexpected end of JSON input"},
		{Kind: pos.CheckPageUnreadable, Page: 5, Bucket: `"sales"`, Detail: "runtime error: index out of range [9] with length 4"},
	} {
		zh := checkProblemText(words.Chinese, p)
		if en := latin.Words(zh, "bbolt", "Go"); len(en) > 0 || !strings.Contains(zh, `"`+p.Detail+`"`) {
			t.Errorf("kind %d: English %q outside the quotation, or no quotation, in %q", p.Kind, en, zh)
		}
		if en := checkProblemText(words.English, p); !strings.Contains(en, ` said "`+p.Detail+`"`) {
			t.Errorf("kind %d: %q does not say whose words %q are", p.Kind, en, p.Detail)
		}
	}
}
