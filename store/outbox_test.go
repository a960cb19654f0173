package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func mustEvents(t *testing.T, s *Store) []OutboxEvent {
	t.Helper()
	events, err := s.OutboxEvents(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func mustOutboxState(t *testing.T, s *Store) OutboxState {
	t.Helper()
	st, err := s.OutboxState()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestEveryChangeAppendsItsEvent: each write of a sale, each refund step
// and the closing of a day leave one event, numbered in order, holding the
// sale exactly as the ledger then had it.
func TestEveryChangeAppendsItsEvent(t *testing.T) {
	s := mustOpen(t)
	var want []Sale
	mustCreate(t, s, newSale("A", 1000, at(17, 9, 0, 0)))
	want = append(want, mustGet(t, s, "A"))
	want = append(want, mustPay(t, s, "A", at(17, 9, 1, 0)))
	want = append(want, mustRequest(t, s, "A", Refund{OutRequestNo: "R1", Fen: 400, ApprovedBy: "Li"}))
	want = append(want, mustComplete(t, s, "A", "R1"))
	mustCreate(t, s, newSale("B", 500, at(17, 10, 0, 0)))
	want = append(want, mustGet(t, s, "B"))
	b, err := s.SetStatus("B", StatusCancelled, at(17, 10, 2, 0), "timeout", "")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, b)
	z, _, err := s.CloseDay("2024-05-17", at(17, 11, 0, 0))
	if err != nil {
		t.Fatal(err)
	}

	events := mustEvents(t, s)
	if len(events) != len(want)+1 {
		t.Fatalf("%d events, want %d: %+v", len(events), len(want)+1, events)
	}
	for i, ev := range events[:len(want)] {
		if ev.Seq != uint64(i+1) || ev.Kind != EventSale || ev.Sale == nil || !sameSale(*ev.Sale, want[i]) {
			t.Errorf("event %d = %+v, want seq %d with sale %+v", i, ev, i+1, want[i])
			continue
		}
		if ev.TerminalID != "T1" || ev.StoreID != "S1" || ev.Date != "2024-05-17" || !ev.At.Equal(want[i].UpdatedAt) {
			t.Errorf("event %d header %s/%s %s %v", i, ev.TerminalID, ev.StoreID, ev.Date, ev.At)
		}
	}
	closed := events[len(want)]
	if closed.Kind != EventDayClosed || closed.Date != "2024-05-17" || closed.ZNumber != z.Number || closed.TerminalID != "T1" {
		t.Errorf("day-closed event %+v", closed)
	}
	var zj reportJSON
	if err := json.Unmarshal(closed.ZReport, &zj); err != nil || zj.Totals.NetFen != 600 || zj.Number != 1 {
		t.Errorf("the event's Z report %s: %v", closed.ZReport, err)
	}
	if st := mustOutboxState(t, s); st.Head != uint64(len(events)) || st.Acked != 0 || len(st.LedgerID) != 32 {
		t.Errorf("state %+v", st)
	}
	if c, err := s.CheckOutbox(); err != nil || !c.OK() || c.Sales != 2 || c.Events != len(events) {
		t.Errorf("CheckOutbox = %+v, %v", c, err)
	}
}

// TestRefusedChangesAppendNothing: a change the ledger refuses, or one that
// changes nothing, leaves no event.
func TestRefusedChangesAppendNothing(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A", 1000, at(17, 9, 0, 0)))
	mustPay(t, s, "A", at(17, 9, 1, 0))
	before := mustOutboxState(t, s).Head

	if _, changed, err := s.MarkPaid("A", Payment{}); err != nil || changed {
		t.Fatalf("second MarkPaid: changed %v, %v", changed, err)
	}
	if _, err := s.SetStatus("A", StatusPaid, at(17, 9, 2, 0), "", ""); err != nil {
		t.Fatalf("SetStatus to the same status: %v", err)
	}
	if _, err := s.SetStatus("A", StatusCancelled, at(17, 9, 2, 0), "", ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("paid -> cancelled: %v", err)
	}
	if err := s.Create(newSale("A", 5, at(17, 9, 3, 0))); !errors.Is(err, ErrExists) {
		t.Fatalf("Create twice: %v", err)
	}
	if _, err := s.RequestRefund("A", Refund{OutRequestNo: "R1", Fen: 5000}); !errors.Is(err, ErrRefundTooLarge) {
		t.Fatalf("refund too large: %v", err)
	}
	if got := mustOutboxState(t, s).Head; got != before {
		t.Errorf("refused changes took the outbox from %d to %d events", before, got)
	}
}

func TestAckOutboxMovesForwardOnly(t *testing.T) {
	s := mustOpen(t)
	mustCreate(t, s, newSale("A", 1, at(17, 9, 0, 0)), newSale("B", 2, at(17, 9, 1, 0)), newSale("C", 3, at(17, 9, 2, 0)))
	if err := s.AckOutbox(2); err != nil {
		t.Fatal(err)
	}
	if err := s.AckOutbox(1); err != nil {
		t.Fatal(err)
	}
	if st := mustOutboxState(t, s); st.Acked != 2 || st.Unsent() != 1 {
		t.Errorf("after acks 2 then 1: %+v", st)
	}
	if err := s.AckOutbox(4); !errors.Is(err, ErrAckAhead) {
		t.Errorf("ack beyond the outbox: %v", err)
	}
	if events, _ := s.OutboxEvents(2, 10); len(events) != 1 || events[0].Sale.OutTradeNo != "C" {
		t.Errorf("events after 2: %+v", events)
	}
	ro := mustOpenDir(t, s.Dir(), Options{ReadOnly: true})
	if err := ro.AckOutbox(3); !errors.Is(err, ErrReadOnly) {
		t.Errorf("ack on a read-only ledger: %v", err)
	}
}

// dropOutbox turns a ledger into one written before the outbox existed.
func dropOutbox(t *testing.T, dir string) {
	t.Helper()
	db, err := bolt.Open(dir+"/"+dbName, dbMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketOutbox); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketOutboxState)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOlderLedgerGetsItsOutboxAtTheFirstWrite: a ledger from before the
// outbox has none until the kiosk writes; that write starts the outbox
// with one event per sale and Z report already there, and the change
// itself.
func TestOlderLedgerGetsItsOutboxAtTheFirstWrite(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	seedHours(t, s)
	if _, _, err := s.CloseDay("2024-05-16", at(17, 8, 0, 0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dropOutbox(t, dir)

	s = mustOpenDir(t, dir, Options{})
	if st := mustOutboxState(t, s); st != (OutboxState{}) {
		t.Fatalf("state of a ledger without an outbox: %+v", st)
	}
	mustPay(t, s, "D", at(17, 14, 0, 0))
	events := mustEvents(t, s)
	sales := map[string]Sale{}
	var closed []string
	for _, ev := range events {
		switch ev.Kind {
		case EventSale:
			sales[ev.Sale.OutTradeNo] = *ev.Sale
		case EventDayClosed:
			closed = append(closed, ev.Date)
		}
	}
	if got := slices.Sorted(maps.Keys(sales)); !slices.Equal(got, []string{"A", "B", "C", "D", "E", "OLD"}) || len(events) != 7 {
		t.Fatalf("the new outbox holds sales %v in %d events", got, len(events))
	}
	if sales["D"].Status != StatusPaid || !slices.Equal(closed, []string{"2024-05-16"}) {
		t.Errorf("D is %s; closed days %v", sales["D"].Status, closed)
	}
	if c, err := s.CheckOutbox(); err != nil || !c.OK() {
		t.Errorf("CheckOutbox = %+v, %v", c, err)
	}
}

// TestCheckOutboxFindsASaleChangedBehindItsBack: a sale rewritten without
// going through put no longer matches its last event.
func TestCheckOutboxFindsASaleChangedBehindItsBack(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	mustCreate(t, s, newSale("A", 1000, at(17, 9, 0, 0)), newSale("B", 1000, at(17, 9, 0, 0)))
	s.Close()
	db, err := bolt.Open(dir+"/"+dbName, dbMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSales)
		v := bytes.Replace(b.Get([]byte("A")), []byte(`"amount_fen":1000`), []byte(`"amount_fen":10`), 1)
		return b.Put([]byte("A"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = mustOpenDir(t, dir, Options{ReadOnly: true})
	c, err := s.CheckOutbox()
	if err != nil || len(c.Problems) != 1 || !strings.Contains(c.Problems[0].String(), "sale A differs") {
		t.Errorf("CheckOutbox = %+v, %v", c, err)
	}
}

// TestReportOfEqualsTheLedgersReport: head office's report of a terminal,
// made from its sales, is the ledger's own.
func TestReportOfEqualsTheLedgersReport(t *testing.T) {
	s := mustOpenDir(t, t.TempDir(), Options{TerminalID: "T1"})
	seedHours(t, s)
	want, err := s.Report("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	day, _ := s.Day("2024-05-17")
	got := ReportOf("2024-05-17", day.Sales, want.EarlierRefunds, "T1", shanghai)
	got.CreatedAt = want.CreatedAt
	// Compared as the ledger stores a report, which holds every field.
	a, _ := json.Marshal(reportOut(got))
	b, _ := json.Marshal(reportOut(want))
	if string(a) != string(b) {
		t.Errorf("ReportOf:\n%s\nthe ledger's:\n%s", a, b)
	}
}
