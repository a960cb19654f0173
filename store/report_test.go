package store

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// seedHours records the 17th spread over the day, plus a sale of the 16th
// refunded on the 17th:
//
//	09:10 A paid 10.00
//	09:40 B paid 5.00, 2.00 of it refunded
//	13:05 C cancelled 3.00
//	13:50 D pending 1.00
//	21:00 E paid 20.00, refunded in full
func seedHours(t *testing.T, s *Store) {
	t.Helper()
	mustCreate(t, s,
		newSale("A", 1000, at(17, 9, 10, 0)), newSale("B", 500, at(17, 9, 40, 0)),
		newSale("C", 300, at(17, 13, 5, 0)), newSale("D", 100, at(17, 13, 50, 0)),
		newSale("E", 2000, at(17, 21, 0, 0)), newSale("OLD", 800, at(16, 18, 0, 0)))
	for _, no := range []string{"A", "B", "E"} {
		sale := mustGet(t, s, no)
		mustPay(t, s, no, sale.CreatedAt.Add(time.Minute))
	}
	mustPay(t, s, "OLD", at(16, 18, 1, 0))
	if _, err := s.SetStatus("C", StatusCancelled, at(17, 13, 8, 0), "timeout", ""); err != nil {
		t.Fatal(err)
	}
	mustRequest(t, s, "B", Refund{OutRequestNo: "B-R1", Fen: 200, ApprovedBy: "Li"})
	mustComplete(t, s, "B", "B-R1")
	mustRequest(t, s, "E", Refund{OutRequestNo: "E-R1", Fen: 2000, ApprovedBy: "Li"})
	mustComplete(t, s, "E", "E-R1")
	mustRequest(t, s, "OLD", Refund{OutRequestNo: "O-R1", Fen: 300, ApprovedBy: "Li"})
	mustComplete(t, s, "OLD", "O-R1") // done on the 17th
}

func TestXReport(t *testing.T) {
	s := mustOpenDir(t, t.TempDir(), Options{TerminalID: "KIOSK-1"})
	seedHours(t, s)
	r, err := s.Report("2024-05-17")
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != ReportX || r.Number != 0 || r.ZNumber != 0 || r.Date != "2024-05-17" ||
		r.Terminal != "KIOSK-1" || !r.CreatedAt.Equal(at(17, 12, 0, 0)) {
		t.Errorf("report header %+v", r)
	}
	wantHours := map[int]HourTotals{
		9:  {Count: 2, PaidFen: 1500, RefundedFen: 200},
		13: {Count: 2},
		21: {Count: 1, PaidFen: 2000, RefundedFen: 2000},
	}
	for h, got := range r.ByHour {
		if got != wantHours[h] {
			t.Errorf("hour %d: %+v, want %+v", h, got, wantHours[h])
		}
	}
	wantStatus := map[Status]StatusTotals{
		StatusPaid: {2, 1500}, StatusRefunded: {1, 2000}, StatusCancelled: {1, 300}, StatusPending: {1, 100},
	}
	if !reflect.DeepEqual(r.ByStatus, wantStatus) {
		t.Errorf("by status %v, want %v", r.ByStatus, wantStatus)
	}
	wantTotals := Totals{
		Count: 5, Paid: 3, PaidFen: 3500, Refunded: 1, RefundedFen: 2200, NetFen: 1300,
		Cancelled: 1, Pending: 1, PartlyRefunded: 1,
	}
	if r.Totals != wantTotals {
		t.Errorf("totals %+v\n  want %+v", r.Totals, wantTotals)
	}
	if d, _ := s.Day("2024-05-17"); d.Totals != r.Totals {
		t.Errorf("report totals %+v differ from the day's %+v", r.Totals, d.Totals)
	}
	if r.EarlierRefunds != (RefundTotals{Count: 1, Fen: 300}) {
		t.Errorf("earlier refunds %+v, want OLD's 3.00", r.EarlierRefunds)
	}
	// OLD's refund counts in the 16th's totals and not as an earlier refund there.
	r16, _ := s.Report("2024-05-16")
	if r16.Totals.RefundedFen != 300 || r16.EarlierRefunds != (RefundTotals{}) {
		t.Errorf("16th: refunded %d, earlier %+v", r16.Totals.RefundedFen, r16.EarlierRefunds)
	}
}

func TestReportTerminalFromSales(t *testing.T) {
	s := mustOpen(t)
	a, b := newSale("A", 100, at(17, 9, 0, 0)), newSale("B", 100, at(17, 9, 1, 0))
	b.TerminalID = "T0"
	mustCreate(t, s, a, b)
	if r, _ := s.Report("2024-05-17"); r.Terminal != "T0, T1" {
		t.Errorf("terminal %q, want both of the day's", r.Terminal)
	}
}

func TestZReportNumbering(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenDir(t, dir, Options{})
	for _, d := range []int{15, 16, 17, 18} {
		mustCreate(t, s, newSale(fmt.Sprint("S", d), 100*int64(d), at(d, 10, 0, 0)))
	}
	close := func(date string, at time.Time) (Report, bool) {
		t.Helper()
		r, changed, err := s.CloseDay(date, at)
		if err != nil {
			t.Fatalf("CloseDay(%s): %v", date, err)
		}
		return r, changed
	}

	z1, changed := close("2024-05-15", at(15, 22, 0, 0))
	if !changed || z1.Number != 1 || z1.Kind != ReportZ || !z1.CreatedAt.Equal(at(15, 22, 0, 0)) || z1.Totals.Count != 1 {
		t.Fatalf("first Z = %+v, changed %v", z1, changed)
	}
	z2, _ := close("2024-05-16", at(16, 22, 0, 0))
	// A sale after the close of its day is refused: it would be in the
	// day but not in its Z report.
	var closed *DayClosedError
	if err := s.Create(newSale("late", 100, at(16, 23, 0, 0))); !errors.As(err, &closed) || !errors.Is(err, ErrDayClosed) ||
		closed.Date != "2024-05-16" || closed.ZNumber != 2 || !closed.ClosedAt.Equal(at(16, 22, 0, 0)) {
		t.Errorf("a sale after the close: %v", err)
	}
	if _, err := s.Get("late"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the refused sale is in the ledger: %v", err)
	}
	// Closing the 16th again, even later, returns the stored report.
	again, changed := close("2024-05-16", at(17, 9, 0, 0))
	if changed || !reflect.DeepEqual(again, z2) || again.Number != 2 || again.Totals.Count != 1 {
		t.Errorf("second close of the 16th = %+v, changed %v; want the stored No. 2", again, changed)
	}
	// A day that has not begun is refused and takes no number.
	if _, _, err := s.CloseDay("2024-05-18", at(17, 23, 0, 0)); !errors.Is(err, ErrFutureDay) {
		t.Errorf("closing tomorrow = %v, want ErrFutureDay", err)
	}
	if _, ok, _ := s.ZReport("2024-05-18"); ok {
		t.Error("the refused close stored a report")
	}
	_ = s.Close()

	s = mustOpenDir(t, dir, Options{})
	z3, _, err := s.CloseDay("2024-05-17", at(17, 22, 0, 0))
	if err != nil || z3.Number != 3 {
		t.Fatalf("Z after reopen = No. %d, %v; want 3", z3.Number, err)
	}
	stored, ok, err := s.ZReport("2024-05-16")
	if err != nil || !ok || !reflect.DeepEqual(stored, z2) {
		t.Errorf("ZReport = %+v, %v, %v\nwant %+v", stored, ok, err, z2)
	}
	if _, ok, err := s.ZReport("2024-05-20"); ok || err != nil {
		t.Errorf("ZReport of an open day = %v, %v", ok, err)
	}
	// The X report of a closed day names its Z report.
	x, _ := s.Report("2024-05-16")
	if x.ZNumber != 2 || x.Totals.Count != 1 || x.Title() != "X REPORT (day closed in Z REPORT No. 0002)" {
		t.Errorf("X of a closed day: %s, %d sales", x.Title(), x.Totals.Count)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
}

func TestZReportConcurrentCloses(t *testing.T) {
	s := mustOpen(t)
	const n = 8
	var wg sync.WaitGroup
	numbers := make([]int, 2*n)
	for i := range 2 * n {
		wg.Go(func() {
			// Every day is closed twice, at once.
			r, _, err := s.CloseDay(fmt.Sprintf("2024-05-%02d", 1+i%n), at(17, 22, 0, 0))
			if err != nil {
				t.Error(err)
			}
			numbers[i] = r.Number
		})
	}
	wg.Wait()
	seen := map[int]int{}
	for i, no := range numbers {
		if other, ok := seen[no]; ok && other != i%n {
			t.Errorf("No. %d went to two days", no)
		}
		seen[no] = i % n
	}
	for no := 1; no <= n; no++ {
		if _, ok := seen[no]; !ok {
			t.Errorf("numbers %v: %d missing", numbers, no)
		}
	}
}

func TestReportsReadOnly(t *testing.T) {
	dir := t.TempDir()
	k := mustOpenDir(t, dir, Options{})
	seedHours(t, k)
	if _, _, err := k.CloseDay("2024-05-16", time.Time{}); err != nil {
		t.Fatal(err)
	}
	s := mustOpenDir(t, dir, Options{ReadOnly: true})
	if _, _, err := s.CloseDay("2024-05-17", time.Time{}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("CloseDay read-only = %v, want ErrReadOnly", err)
	}
	if r, err := s.Report("2024-05-17"); err != nil || r.Totals.Count != 5 {
		t.Errorf("Report read-only = %d sales, %v", r.Totals.Count, err)
	}
	if r, ok, err := s.ZReport("2024-05-16"); err != nil || !ok || r.Number != 1 {
		t.Errorf("ZReport read-only = %+v, %v, %v", r, ok, err)
	}
	empty := mustOpenDir(t, t.TempDir(), Options{ReadOnly: true})
	if r, err := empty.Report("2024-05-17"); err != nil || r.ByStatus == nil || r.Totals != (Totals{}) {
		t.Errorf("Report with no ledger = %+v, %v", r, err)
	}
	if _, err := s.Report("17.05.2024"); !errors.Is(err, ErrBadDate) {
		t.Errorf("Report(bad date) = %v", err)
	}
}
