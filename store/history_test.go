package store

import (
	"encoding/json"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestTheLedgerRecordsFactsNotSentences: every event the ledger writes
// itself is a fact with its figures and no English in its note; a note
// of pos's is kept as it was given.
func TestTheLedgerRecordsFactsNotSentences(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A1", 500, at(17, 9, 0, 0)))
	if _, err := s.SetStatus("A1", StatusCancelled, at(17, 9, 1, 0), "{note:v1?code=cancelled}", ""); err != nil {
		t.Fatal(err)
	}
	mustPay(t, s, "A1", at(17, 9, 2, 0))
	if _, err := s.SetStatus("A1", StatusUnknown, at(17, 9, 3, 0), "", ""); err != nil {
		t.Fatal(err)
	}
	// Paid again from unknown: the receipt stays, and the refund is still due.
	mustPay(t, s, "A1", at(17, 9, 4, 0))
	mustRequest(t, s, "A1", Refund{OutRequestNo: "R1", Fen: 200, ApprovedBy: "Li", Reason: "spilt"})
	if _, err := s.FailRefund("A1", "R1", "{note:v1?code=problem&kind=timeout}"); err != nil {
		t.Fatal(err)
	}
	mustComplete(t, s, "A1", "R1")
	mustRequest(t, s, "A1", Refund{OutRequestNo: "R2", Fen: 100})
	if _, err := s.MarkRefundUnknown("A1", "R2", ""); err != nil {
		t.Fatal(err)
	}
	var got []Event
	for _, e := range mustGet(t, s, "A1").History {
		e.At = e.At.UTC()
		got = append(got, e)
	}
	utc := func(h, m int) Event { return Event{At: at(17, h, m, 0).UTC()} }
	want := []Event{
		with(utc(9, 0), StatusPending, Event{Fact: FactCreated}),
		with(utc(9, 1), StatusCancelled, Event{Note: "{note:v1?code=cancelled}"}),
		with(utc(9, 2), StatusPaid, Event{Fact: FactPaid, ReceiptNo: 1, RefundDue: DueAfterCancel}),
		with(utc(9, 3), StatusUnknown, Event{}),
		with(utc(9, 4), StatusPaid, Event{Fact: FactPaid, ReceiptNo: 1, RefundDue: DueToldNothingCharged}),
		with(utc(12, 0), StatusPaid, Event{Fact: FactRefundRequested, OutRequestNo: "R1", Fen: 200, ApprovedBy: "Li", Reason: "spilt"}),
		with(utc(12, 0), StatusPaid, Event{Fact: FactRefundFailed, OutRequestNo: "R1", Fen: 200, Note: "{note:v1?code=problem&kind=timeout}"}),
		with(utc(10, 1), StatusPaid, Event{Fact: FactRefundDone, OutRequestNo: "R1", Fen: 200, RefundedFen: 200, AmountFen: 500, AfterFailed: true}),
		with(utc(12, 0), StatusPaid, Event{Fact: FactRefundRequested, OutRequestNo: "R2", Fen: 100}),
		with(utc(12, 0), StatusPaid, Event{Fact: FactRefundUnknown, OutRequestNo: "R2", Fen: 100}),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history:\n%s\nwant\n%s", events(got), events(want))
	}
}

func with(at Event, st Status, e Event) Event {
	e.At, e.Status = at.At, st
	return e
}

func events(es []Event) string {
	b, _ := json.MarshalIndent(es, "", "  ")
	return string(b)
}

// TestAnOldLedgersSentencesAreReadAsFacts: a ledger written before facts
// holds the ledger's events as English sentences; each one it wrote is
// read as its fact, and a write of the sale stores the facts. A note that
// is not one of them exactly (pos's, a sentence changed by hand, a refund
// the sale does not have) stays as it was.
func TestAnOldLedgersSentencesAreReadAsFacts(t *testing.T) {
	s := mustOpen(t)
	old := Sale{OutTradeNo: "OLD", Subject: "Coffee", AmountFen: 500, Status: StatusPaid, ReceiptNo: 1,
		CreatedAt: at(17, 9, 0, 0), UpdatedAt: at(17, 12, 0, 0), PaidAt: at(17, 9, 2, 0), RefundedFen: 200, RefundIfPaid: true,
		Refunds: []Refund{
			{OutRequestNo: "R1", Fen: 200, At: at(17, 10, 0, 0), ApprovedBy: "Li", Reason: "spilt: half", Status: RefundDone},
			{OutRequestNo: "R 2", Fen: 100, At: at(17, 11, 0, 0), Status: RefundUnknown},
		}}
	notes := []string{
		"created",
		"{note:v1?code=cancelled&reason=cashier}",
		"paid, receipt 0001; the payment arrived after the sale had been cancelled, so it is refunded",
		"paid, receipt 0001; the customer had been told nothing was charged, so it is refunded",
		"paid, receipt 0001",
		"refund R1 of 2.00 requested, approved by Li: spilt: half",
		"refund R1 of 2.00 failed: {note:v1?code=problem&kind=timeout}",
		"refund R1 of 2.00 done; 2.00 of 5.00 refunded; Alipay reported it done after it had been recorded as failed",
		"refund R 2 of 1.00 requested",
		"refund R 2 of 1.00 unknown",
		// Not the ledger's sentences: kept as they are.
		"paid, receipt 0001 by hand",
		"paid, receipt 1",
		"refund R9 of 1.00 requested",
		"refund R1 of 3.00 requested, approved by Li: spilt: half",
		"refund R1 of 2.00 requested, approved by Wang",
		"refund R1 of 2.00 done; 2.0 of 5.00 refunded",
		"refund R1 of 2.00 lost",
	}
	for i, n := range notes {
		old.History = append(old.History, Event{At: at(17, 9, i, 0), Status: StatusPaid, Note: n})
	}
	v, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSales).Put([]byte("OLD"), v) }); err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{Fact: FactCreated},
		{Note: "{note:v1?code=cancelled&reason=cashier}"},
		{Fact: FactPaid, ReceiptNo: 1, RefundDue: DueAfterCancel},
		{Fact: FactPaid, ReceiptNo: 1, RefundDue: DueToldNothingCharged},
		{Fact: FactPaid, ReceiptNo: 1},
		{Fact: FactRefundRequested, OutRequestNo: "R1", Fen: 200, ApprovedBy: "Li", Reason: "spilt: half"},
		{Fact: FactRefundFailed, OutRequestNo: "R1", Fen: 200, Note: "{note:v1?code=problem&kind=timeout}"},
		{Fact: FactRefundDone, OutRequestNo: "R1", Fen: 200, RefundedFen: 200, AmountFen: 500, AfterFailed: true},
		{Fact: FactRefundRequested, OutRequestNo: "R 2", Fen: 100},
		{Fact: FactRefundUnknown, OutRequestNo: "R 2", Fen: 100},
	}
	for _, n := range notes[len(want):] {
		want = append(want, Event{Note: n})
	}
	check := func(when string) {
		t.Helper()
		got := mustGet(t, s, "OLD").History
		if len(got) != len(want) {
			t.Fatalf("%s: %d events, want %d", when, len(got), len(want))
		}
		for i, e := range got {
			w := want[i]
			w.At, w.Status = old.History[i].At, StatusPaid
			if !sameEvent(e, w) {
				t.Errorf("%s: %q read as\n%s\nwant\n%s", when, notes[i], events([]Event{e}), events([]Event{w}))
			}
		}
	}
	check("read")
	// A write of the sale stores what was read.
	if _, err := s.MarkRefundIfPaid("OLD", at(17, 12, 0, 0), ""); err != nil {
		t.Fatal(err)
	}
	want = append(want, Event{})
	old.History = append(old.History, Event{At: at(17, 12, 0, 0)})
	check("written back")
}

func sameEvent(a, b Event) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
