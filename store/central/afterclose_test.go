package central

import (
	"context"
	"testing"
	"time"

	"kiosk/internal/pgtest"
	"kiosk/store"
)

// TestAfterCloseRefundsAddUpAcrossTills: a refund made on a closed day,
// after its Z report, counts in each till's next report
// (store.Report.AfterClose); head office's report of that next day carries
// each terminal's figure, as its own X and Z reports do, and the store's
// and the chain's add them up.
func TestAfterCloseRefundsAddUpAcrossTills(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DB(t)
	const next = "2026-12-02"
	nextAt := func(hour int) time.Time { return at(hour, 0).AddDate(0, 0, 1) }
	tills := map[string]*store.Store{"T1": openLedger(t), "T2": openLedger(t)}
	fen := map[string]int64{"T1": 1000, "T2": 3000}
	for id, l := range tills {
		sell(t, l, id, id+"-A", fen[id], at(9, 0), "paid")
		sell(t, l, id, id+"-B", 500, at(9, 30), "paid")
		if _, _, err := l.CloseDay(testDate, at(12, 0)); err != nil {
			t.Fatal(err)
		}
		// After the close, on the closed day: the next report counts it.
		if _, err := l.RequestRefund(id+"-A", store.Refund{OutRequestNo: id + "-A-R1", Fen: fen[id] / 2, ApprovedBy: "Li", At: at(12, 30)}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.CompleteRefund(id+"-A", id+"-A-R1", at(12, 31), true); err != nil {
			t.Fatal(err)
		}
		sell(t, l, id, id+"-C", 700, nextAt(9), "paid")
	}
	ship := func() {
		t.Helper()
		for id, l := range tills {
			if err := newShipper(t, l, dsn, id).Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	db := openDB(t, dsn)
	check := func(kind store.ReportKind) {
		t.Helper()
		rep, err := db.Report(ctx, next, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var sum store.RefundTotals
		for _, tr := range rep.Terminals {
			l := tills[tr.TerminalID]
			var own store.Report
			if kind == store.ReportZ {
				own, _, err = l.ZReport(next)
			} else {
				own, err = l.Report(next)
			}
			if err != nil {
				t.Fatal(err)
			}
			if own.AfterClose != (store.RefundTotals{Count: 1, Fen: fen[tr.TerminalID] / 2}) {
				t.Fatalf("%s's own %s report counts %+v after the close", tr.TerminalID, kind, own.AfterClose)
			}
			if tr.Report.AfterClose != own.AfterClose {
				t.Errorf("%s report: head office has %s's refunds after the close as %+v, the till %+v",
					kind, tr.TerminalID, tr.Report.AfterClose, own.AfterClose)
			}
			sum.Count += own.AfterClose.Count
			sum.Fen += own.AfterClose.Fen
		}
		if len(rep.Terminals) != 2 || len(rep.Stores) != 1 {
			t.Fatalf("%s report: %d terminals, %d stores", kind, len(rep.Terminals), len(rep.Stores))
		}
		if rep.Stores[0].Report.AfterClose != sum || rep.Chain.AfterClose != sum {
			t.Errorf("%s report: the store has %+v after the close, the chain %+v; the tills add up to %+v",
				kind, rep.Stores[0].Report.AfterClose, rep.Chain.AfterClose, sum)
		}
		// The closed day's own report counts none of them: they were
		// made after it.
		closed, err := db.Report(ctx, testDate, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if closed.Chain.AfterClose.Count != 0 {
			t.Errorf("the closed day's report counts %+v after its own close", closed.Chain.AfterClose)
		}
	}
	ship()
	check(store.ReportX)
	for _, l := range tills {
		if _, _, err := l.CloseDay(next, nextAt(12)); err != nil {
			t.Fatal(err)
		}
	}
	ship()
	check(store.ReportZ)
}
