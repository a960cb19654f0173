package pos

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"kiosk/alipay"
)

// TestNotesKeepTheirCodeAndFacts: a note pos writes is read back from the
// ledger's string as it was, whatever its facts hold, and after the
// ledger's own words; a note pos did not write is text.
func TestNotesKeepTheirCodeAndFacts(t *testing.T) {
	odd := Problem{Kind: KindAlipayRefused, Code: "40004", Msg: "Business Failed}&=%", SubCode: "ACQ.X", SubMsg: "余额不足 {note:v1?x} }"}
	for _, n := range []Note{
		{Code: NoteNotStarted, Cause: Problem{Kind: KindOther, NotStarted: true, Detail: "precreate K1: odd & strange"}},
		{Code: NoteCancelUnconfirmed, Reason: ReasonCashier, Cause: Problem{Kind: KindTimeout}},
		{Code: NoteCancelled, Reason: StoppedBy("SIGTERM")},
		{Code: NoteProblem, Cause: odd},
		{Text: "refund R1 of 2.00 failed: ", Code: NoteProblem, Cause: odd},
		{Text: "paid, receipt 0001"},
		{Text: "an old note {note:v1?code=x"},
	} {
		if got := ParseNote(n.String()); got != n {
			t.Errorf("ParseNote(%q)\n = %#v\nwant %#v", n.String(), got, n)
		}
	}
}

// TestLedgerNotesAreCodesNotEnglish: the notes a sale's end writes in the
// ledger carry a code and its facts, for the screens to word in their
// language, and no sentence.
func TestLedgerNotesAreCodesNotEnglish(t *testing.T) {
	f := newFixture(t)
	sale := f.start(t, 1234)
	f.gw.QueryFn = func(*alipay.QueryRequest) (*alipay.QueryResponse, error) {
		return nil, fmt.Errorf("%w: %w", alipay.ErrTransport, context.DeadlineExceeded)
	}
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("refund", false)() }
	if _, err := f.reg.Cancel(context.Background(), sale, ReasonTimeout); err != nil {
		t.Fatal(err)
	}
	s := mustSale(t, f, sale.OutTradeNo)
	stored := s.History[len(s.History)-1].Note
	want := Note{Code: NoteRefundedUnseen, Reason: ReasonTimeout, Cause: Problem{Kind: KindTimeout}}
	if got := ParseNote(stored); got != want {
		t.Errorf("ledger note %q reads %#v, want %#v", stored, got, want)
	}
	if got := Classify(errors.New("odd")); got.Kind != KindOther || got.Detail != "odd" {
		t.Errorf("Classify(odd) = %#v", got)
	}
}
