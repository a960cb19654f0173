package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// closedToday is today's report once closed: the stored Z report No. 7.
func closedToday(f *fakeCheckout) {
	f.ReportFn = func(date string) (pos.Report, error) {
		r := testReport(date)
		if date == f.today {
			r.Kind, r.Number, r.CreatedAt, r.Copy = pos.ReportZ, 7, dayStart.Add(12*time.Hour), true
		}
		return r, nil
	}
}

// emptyTodayOpenYesterday is a shop that closes after midnight: today has
// no sale yet, and yesterday has its sales and is still open.
func emptyTodayOpenYesterday(f *fakeCheckout) {
	f.DayFn = func(date string) (pos.Day, error) {
		if date == f.today {
			return pos.Day{Date: date}, nil
		}
		return testDay(date), nil
	}
	f.ReportFn = func(date string) (pos.Report, error) {
		if date == f.today {
			return pos.Report{Date: date, Kind: pos.ReportX, ByStatus: map[pos.Status]pos.StatusTotals{}, CreatedAt: dayStart}, nil
		}
		return testReport(date), nil
	}
}

const closedLine = "Today (2026-11-22) was closed at 21:00:00 in Z report No. 0007: no more sales today"

func TestTheSaleScreenSaysFromStartUpThatTodayIsClosed(t *testing.T) {
	f := managerCheckout()
	closedToday(f)
	m := drive(t, New(f, Options{Location: time.UTC, After: f.after}), tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
	mustShow(t, m, closedLine, "Amount (yuan)")
	if f.called("start") != 0 {
		t.Errorf("a sale was started")
	}
	f.today = "2026-11-23" // midnight: the new day is open
	if s := screen(m); strings.Contains(s, "was closed") {
		t.Errorf("after midnight the sale screen still says a day is closed:\n%s", s)
	}
}

func TestAnOpenDaySaysNothingOnTheSaleScreen(t *testing.T) {
	f := managerCheckout()
	m := drive(t, New(f, Options{Location: time.UTC, After: f.after}), tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
	if s := screen(m); strings.Contains(s, "closed") {
		t.Errorf("an open day is said to be closed:\n%s", s)
	}
}

func TestClosingTodayWarnsAndTheSaleScreenSaysSo(t *testing.T) {
	f := managerCheckout()
	withPIN(f)
	m := drive(t, inLedger(t, f, 100, 32), mkeys("x", "z")...)
	mustShow(t, m, "Close TODAY, 2026-11-22?", "the kiosk takes no more sales today: it takes them again from midnight")
	if s := screen(m); strings.Contains(s, "instead") {
		t.Errorf("today has sales, yet another day is offered:\n%s", s)
	}
	m = drive(t, m, seq(mkeys("y"), typed("2468"), mkeys("enter", "esc", "esc"))...)
	if m.state != stateEntry {
		t.Fatalf("state %d, want the sale screen", m.state)
	}
	mustShow(t, m, closedLine)
}

func TestClosingAnEmptyTodayOffersTheOpenDayBefore(t *testing.T) {
	f := managerCheckout()
	emptyTodayOpenYesterday(f)
	var closed string
	f.CloseDayFn = func(date, _ string) (pos.Report, error) {
		closed = date
		r := testReport(date)
		r.Kind, r.Number = pos.ReportZ, 7
		return r, nil
	}
	m := drive(t, inLedger(t, f, 100, 32), mkeys("x", "z")...)
	mustShow(t, m, "Close TODAY, 2026-11-22?",
		"Today has no sales yet, but 2026-11-21 has 5 sales and is not closed. Close 2026-11-21 instead? ←",
		"← close the day before instead")
	m = drive(t, m, mkeys("left")...)
	mustShow(t, m, "Close the day 2026-11-21? This writes the Z report once.")
	if s := screen(m); strings.Contains(s, "TODAY") {
		t.Errorf("the day before is still called today:\n%s", s)
	}
	m = drive(t, m, seq(mkeys("y"), typed("2468"), mkeys("enter"))...)
	if closed != "2026-11-21" {
		t.Fatalf("closed %q, want 2026-11-21", closed)
	}
	mustShow(t, m, "Z REPORT No. 0007")
	m = drive(t, m, mkeys("esc")...)
	if m.manager.page != pageLedger || m.manager.ledger.date != "2026-11-21" {
		t.Errorf("esc: page %d date %s, want the ledger of 2026-11-21", m.manager.page, m.manager.ledger.date)
	}
	m = drive(t, m, mkeys("esc")...)
	if s := screen(m); m.state != stateEntry || strings.Contains(s, "closed") {
		t.Errorf("state %d; closing yesterday says today is closed:\n%s", m.state, s)
	}
}

func TestAnEmptyTodayOffersNoClosedDayBefore(t *testing.T) {
	f := managerCheckout()
	emptyTodayOpenYesterday(f)
	open := f.ReportFn
	f.ReportFn = func(date string) (pos.Report, error) {
		r, err := open(date)
		if date != f.today {
			r.ZNumber = 3 // closed already
		}
		return r, err
	}
	m := drive(t, inLedger(t, f, 100, 32), mkeys("x", "z", "left")...)
	mustShow(t, m, "Close TODAY, 2026-11-22?")
	if s := screen(m); strings.Contains(s, "instead") || m.manager.report.date != "2026-11-22" {
		t.Errorf("a closed day before is offered (report of %s):\n%s", m.manager.report.date, s)
	}
}

// TestASaleRefusedOnAClosedDaySaysSoOnce: a sale refused because today is
// closed, by QR code or by payment code, whether the kiosk knew of the
// close before (from start-up) or learns it from the refusal, says so
// once, at the top of the screen, not a second time under the field.
func TestASaleRefusedOnAClosedDaySaysSoOnce(t *testing.T) {
	refused := func(int64, string) (pos.Sale, error) {
		return pos.Sale{}, &pos.DayClosedError{Date: "2026-11-22", ZNumber: 7, ClosedAt: dayStart.Add(12 * time.Hour)}
	}
	refusedCode := func(int64, string, string) (pos.Charge, error) {
		return pos.Charge{}, &pos.DayClosedError{Date: "2026-11-22", ZNumber: 7, ClosedAt: dayStart.Add(12 * time.Hour)}
	}
	for _, tt := range []struct {
		name   string
		known  bool // the close was read at start-up
		byCode bool
	}{{"qr", false, false}, {"qr known", true, false}, {"code", false, true}, {"code known", true, true}} {
		f := managerCheckout()
		f.StartFn, f.ScanPayFn = refused, refusedCode
		if tt.known {
			closedToday(f)
		}
		input := seq(startSale)
		if tt.byCode {
			byCode(f)
			input = seq(startSale, typedKeys(goodCode))
		}
		m := drive(t, New(f, Options{Location: time.UTC, After: f.after}), seq(msgs(tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{}), input)...)
		if s := screen(m); strings.Count(s, "no more sales today") != 1 {
			t.Errorf("%s: the screen does not say once that today is closed:\n%s", tt.name, s)
		}
	}
}

// TestAClosedDayRefusesThePaymentCodeBeforeTheScan: on a day the kiosk
// knows is closed, Enter after the amount with the payment code chosen
// does not open the scan screen: the sale is refused before the customer
// shows a code, as a QR sale is, and nothing is charged.
func TestAClosedDayRefusesThePaymentCodeBeforeTheScan(t *testing.T) {
	for _, say := range words.All {
		t.Run(say.Lang.Tag, func(t *testing.T) {
			f := managerCheckout()
			closedToday(f)
			byCode(f)
			m := drive(t, New(f, Options{Location: time.UTC, After: f.after, Words: say}),
				seq(msgs(tea.WindowSizeMsg{Width: 80, Height: 24}, recoveredMsg{}), startSale)...)
			if m.state != stateEntry || strings.Contains(screen(m), say.Sale.ScanLabel) {
				t.Fatalf("state %d: the scan screen opened on a closed day:\n%s", m.state, screen(m))
			}
			if n := strings.Count(screen(m), "! "); n != 1 || m.closedTodayLine() == "" {
				t.Errorf("the screen does not say once that today is closed:\n%s", screen(m))
			}
			if f.called("scanpay") != 0 {
				t.Error("a code was charged on a closed day")
			}
		})
	}
}
