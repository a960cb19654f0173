package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/cli"
)

// mkey is a key press by its name, as key.Matches spells it.
func mkey(s string) tea.KeyPressMsg {
	codes := map[string]tea.KeyPressMsg{
		"enter":  {Code: tea.KeyEnter},
		"esc":    {Code: tea.KeyEscape},
		"tab":    {Code: tea.KeyTab},
		"left":   {Code: tea.KeyLeft},
		"right":  {Code: tea.KeyRight},
		"up":     {Code: tea.KeyUp},
		"down":   {Code: tea.KeyDown},
		"pgup":   {Code: tea.KeyPgUp},
		"pgdown": {Code: tea.KeyPgDown},
		"home":   {Code: tea.KeyHome},
		"end":    {Code: tea.KeyEnd},
		"f2":     {Code: tea.KeyF2},
		"ctrl+l": {Code: 'l', Mod: tea.ModCtrl},
		"ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
	}
	if k, ok := codes[s]; ok {
		return k
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func mkeys(names ...string) []tea.Msg {
	msgs := make([]tea.Msg, len(names))
	for i, n := range names {
		msgs[i] = mkey(n)
	}
	return msgs
}

const (
	testTradeNo = "2026112222001400001234567890"
	testOrder   = "KT1_20261122100500000_REFUND"
)

var dayStart = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// ledgerSale is the i-th sale of the test day, created i minutes after 9.
func ledgerSale(i int, st pos.Status, fen int64) pos.SaleRecord {
	at := dayStart.Add(time.Duration(i) * 7 * time.Minute)
	s := pos.SaleRecord{
		OutTradeNo: fmt.Sprintf("KT1_2026112209%02d00000_SALE%02d", i%60, i),
		TerminalID: "T1", Subject: "Corner Shop", AmountFen: fen, Status: st, CreatedAt: at, UpdatedAt: at,
		History: []pos.Event{{At: at, Status: pos.StatusPending, Fact: pos.FactCreated}},
	}
	if st == pos.StatusPaid || st == pos.StatusRefunded {
		s.ReceiptNo, s.TradeNo, s.BuyerLogonID, s.PaidAt = i+1, fmt.Sprintf("20261122220014%014d", i), "159******88", at.Add(20*time.Second)
		s.History = append(s.History, pos.Event{At: s.PaidAt, Status: pos.StatusPaid, Fact: pos.FactPaid, ReceiptNo: s.ReceiptNo})
	}
	if st == pos.StatusRefunded {
		s.RefundedFen = fen
	}
	return s
}

// lowBalance is the note of a refund Alipay refused: the shop's balance
// is too low.
var lowBalance = pos.Note{Code: pos.NoteProblem,
	Cause: pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", SubCode: "ACQ.SELLER_BALANCE_NOT_ENOUGH"}}

// refundedSale is a paid sale of ¥10.00 with ¥3.00 refunded and one
// refund that Alipay refused.
func refundedSale() pos.SaleRecord {
	s := ledgerSale(1, pos.StatusPaid, 1000)
	s.OutTradeNo, s.ReceiptNo, s.TradeNo = testOrder, 7, testTradeNo
	s.History[1].ReceiptNo = 7
	s.RefundedFen = 300
	r1 := dayStart.Add(2 * time.Hour)
	s.Refunds = []pos.Refund{
		{OutRequestNo: testOrder + "_R1", Fen: 300, At: r1, ApprovedBy: "Li", Reason: "one cup broken",
			Status: pos.RefundDone, DoneAt: r1.Add(time.Second), FundChange: true},
		{OutRequestNo: testOrder + "_R2", Fen: 200, At: r1.Add(time.Hour), ApprovedBy: pos.DefaultApprover,
			Status: pos.RefundFailed, Note: lowBalance},
	}
	r1No, r2No := testOrder+"_R1", testOrder+"_R2"
	s.History = append(s.History,
		pos.Event{At: r1, Status: pos.StatusPaid, Fact: pos.FactRefundRequested, OutRequestNo: r1No, Fen: 300,
			ApprovedBy: "Li", Reason: "one cup broken"},
		pos.Event{At: r1.Add(time.Second), Status: pos.StatusPaid, Fact: pos.FactRefundDone, OutRequestNo: r1No, Fen: 300,
			RefundedFen: 300, AmountFen: 1000},
		pos.Event{At: r1.Add(time.Hour), Status: pos.StatusPaid, Fact: pos.FactRefundRequested, OutRequestNo: r2No, Fen: 200,
			ApprovedBy: pos.DefaultApprover},
		pos.Event{At: r1.Add(time.Hour + time.Second), Status: pos.StatusPaid, Fact: pos.FactRefundFailed, OutRequestNo: r2No, Fen: 200,
			Note: lowBalance},
	)
	return s
}

// testDay is a small day: a sale refunded in part, one refunded in full,
// one cancelled and one unknown.
func testDay(date string) pos.Day {
	sales := []pos.SaleRecord{
		ledgerSale(0, pos.StatusPaid, 1234),
		refundedSale(),
		ledgerSale(2, pos.StatusCancelled, 500),
		ledgerSale(3, pos.StatusRefunded, 2000),
		ledgerSale(4, pos.StatusUnknown, 800),
	}
	return pos.Day{Date: date, Sales: sales, Totals: tallyForTest(sales)}
}

// bigDay has n paid sales of ¥1.00 to ¥n.00.
func bigDay(date string, n int) pos.Day {
	sales := make([]pos.SaleRecord, n)
	for i := range sales {
		sales[i] = ledgerSale(i, pos.StatusPaid, int64(i+1)*100)
	}
	return pos.Day{Date: date, Sales: sales, Totals: tallyForTest(sales)}
}

func tallyForTest(sales []pos.SaleRecord) pos.Totals {
	var t pos.Totals
	for _, s := range sales {
		t.Count++
		switch s.Status {
		case pos.StatusPaid, pos.StatusRefunded:
			t.Paid++
			t.PaidFen += s.AmountFen
		case pos.StatusCancelled:
			t.Cancelled++
		case pos.StatusUnknown:
			t.Unknown++
		}
		switch {
		case s.Status == pos.StatusRefunded:
			t.Refunded++
		case s.RefundedFen > 0:
			t.PartlyRefunded++
		}
		t.RefundedFen += s.RefundedFen
	}
	t.NetFen = t.PaidFen - t.RefundedFen
	return t
}

func testReport(date string) pos.Report {
	d := testDay(date)
	r := pos.Report{
		Date: date, Kind: pos.ReportX, Totals: d.Totals, Terminal: "T1",
		CreatedAt:      dayStart.Add(9 * time.Hour),
		ByStatus:       map[pos.Status]pos.StatusTotals{},
		ByMethod:       map[pos.PayMethod]pos.MethodTotals{},
		EarlierRefunds: pos.RefundTotals{Count: 1, Fen: 450},
	}
	for _, s := range d.Sales {
		h := &r.ByHour[s.CreatedAt.Hour()]
		h.Count++
		if s.Status == pos.StatusPaid || s.Status == pos.StatusRefunded {
			h.PaidFen += s.AmountFen
		}
		h.RefundedFen += s.RefundedFen
		v := r.ByStatus[s.Status]
		v.Count++
		v.Fen += s.AmountFen
		r.ByStatus[s.Status] = v
		way := pos.PayByQR
		if s.Status == pos.StatusRefunded || s.Status == pos.StatusCancelled {
			way = pos.PayByCode // the day's split shows both ways
		}
		w := r.ByMethod[way]
		w.Count++
		if s.Status == pos.StatusPaid || s.Status == pos.StatusRefunded {
			w.Paid++
			w.PaidFen += s.AmountFen
		}
		w.RefundedFen += s.RefundedFen
		r.ByMethod[way] = w
	}
	return r
}

// managerCheckout is a fake with the test day in its ledger.
func managerCheckout() *fakeCheckout {
	f := newFakeCheckout()
	f.DayFn = func(date string) (pos.Day, error) { return testDay(date), nil }
	f.ReportFn = func(date string) (pos.Report, error) { return testReport(date), nil }
	return f
}

// inLedger opens the ledger from the sale screen on a w×h window.
func inLedger(t *testing.T, f *fakeCheckout, w, h int) Model {
	t.Helper()
	m := New(f, Options{ShopName: "Corner Shop", Location: time.UTC, After: f.after})
	m2 := drive(t, m, tea.WindowSizeMsg{Width: w, Height: h}, recoveredMsg{}, mkey("ctrl+l"))
	if m2.state != stateManager || m2.manager.page != pageLedger {
		t.Fatalf("ctrl+l: state %d page %d, want the ledger", m2.state, m2.manager.page)
	}
	return m2
}

// inDetail opens the sale partly refunded, the second of the test day.
func inDetail(t *testing.T, f *fakeCheckout) Model {
	t.Helper()
	m := drive(t, inLedger(t, f, 100, 32), mkeys("home", "down", "enter")...)
	if m.manager.page != pageDetail || m.manager.detail.sale.OutTradeNo != testOrder {
		t.Fatalf("enter: page %d sale %q, want the detail of %s", m.manager.page, m.manager.detail.sale.OutTradeNo, testOrder)
	}
	return m
}

// flat is the screen with its white space collapsed, for sentences that wrap.
func flat(m Model) string { return strings.Join(strings.Fields(screen(m)), " ") }

func mustShow(t *testing.T, m Model, wants ...string) {
	t.Helper()
	s, f := screen(m), flat(m)
	for _, w := range wants {
		if !strings.Contains(s, w) && !strings.Contains(f, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("screen lacks %q:\n%s", w, s)
		}
	}
}

func TestLedgerOpensFromTheSaleScreenAndEscReturns(t *testing.T) {
	for _, k := range []string{"ctrl+l", "f2"} {
		t.Run(k, func(t *testing.T) {
			f := managerCheckout()
			m := drive(t, ready(t, f), typed("5")...)
			mustShow(t, m, "ctrl+l ledger")
			m = drive(t, m, mkey(k))
			if m.state != stateManager || f.called("day") != 1 {
				t.Fatalf("%s: state %d, Day calls %d", k, m.state, f.called("day"))
			}
			mustShow(t, m, "Ledger · 2026-11-22", "today", "Sales 5 · Paid 3 ¥42.34 · Refunded 2 (1 in part) ¥23.00 · Net ¥19.34 · Cancelled 1 · Unknown 1")
			m = drive(t, m, mkey("esc"))
			if m.state != stateEntry || m.entry.amount.Value() != "" {
				t.Errorf("esc: state %d, amount %q; want a fresh sale screen", m.state, m.entry.amount.Value())
			}
			mustShow(t, m, "Amount (yuan)")
		})
	}
}

func TestLedgerIsNotReachableDuringASale(t *testing.T) {
	f := managerCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"), mkey("ctrl+l"))...)
	if m.state != stateWaiting || f.called("day") != 0 {
		t.Errorf("ctrl+l during a sale: state %d, Day calls %d", m.state, f.called("day"))
	}
}

func TestLedgerRows(t *testing.T) {
	m := inLedger(t, managerCheckout(), 140, 32)
	s := screen(m)
	for _, want := range []string{
		"  TIME      RECEIPT  AMOUNT  ORDER                         STATUS       ALIPAY TRADE NO               TERMINAL",
		"  09:07:00  0007     ¥10.00  " + testOrder + "  paid −¥3.00  " + testTradeNo + "  T1",
		"  09:00:00  0001     ¥12.34  KT1_20261122090000000_SALE00  paid         2026112222001400000000000000  T1",
		"  09:14:00            ¥5.00  KT1_20261122090200000_SALE02  cancelled                                  T1",
		"  09:21:00  0004     ¥20.00  KT1_20261122090300000_SALE03  refunded     2026112222001400000000000003  T1",
		"▸ 09:28:00            ¥8.00  KT1_20261122090400000_SALE04  unknown                                    T1",
		"Sale 5 of 5",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("ledger lacks %q:\n%s", want, s)
		}
	}
}

// At 80 columns every sale's order number is whole, a long status
// (refunded in part, a refund on its way) included: the columns that do
// not fit make way, the terminal first, then Alipay's trade number.
func TestLedgerNeverCutsTheOrderNumber(t *testing.T) {
	f := managerCheckout()
	f.DayFn = func(date string) (pos.Day, error) {
		d := testDay(date)
		d.Sales[1].Refunds = append(d.Sales[1].Refunds, pos.Refund{OutRequestNo: "R3", Fen: 100, Status: pos.RefundUnknown})
		return d, nil
	}
	for _, w := range []int{80, 100, 140} {
		m := inLedger(t, f, w, 24)
		s := screen(m)
		for _, sale := range testDay("").Sales {
			if !strings.Contains(s, sale.OutTradeNo) {
				t.Errorf("%d columns: order %s is cut:\n%s", w, sale.OutTradeNo, s)
			}
		}
		if w == 140 && (!strings.Contains(s, testTradeNo) || !strings.Contains(s, "TERMINAL")) {
			t.Errorf("140 columns have room for every column:\n%s", s)
		}
	}
}

func TestLedgerEmptyDay(t *testing.T) {
	f := newFakeCheckout()
	m := inLedger(t, f, 100, 32)
	mustShow(t, m, "No sales on this day.", "Sales 0 · Paid 0 ¥0.00")
	m = drive(t, m, mkey("enter"))
	if m.manager.page != pageLedger {
		t.Errorf("enter on an empty day opened page %d", m.manager.page)
	}
}

func TestLedgerDayNavigationStopsAtToday(t *testing.T) {
	f := managerCheckout()
	var dates []string
	f.DayFn = func(date string) (pos.Day, error) {
		dates = append(dates, date)
		return pos.Day{Date: date}, nil
	}
	m := inLedger(t, f, 100, 32)
	m = drive(t, m, mkey("left"))
	mustShow(t, m, "Ledger · 2026-11-21", "Saturday")
	m = drive(t, m, mkey("h"), mkey("l"), mkey("right"))
	mustShow(t, m, "Ledger · 2026-11-22 · Sunday · today")
	m = drive(t, m, mkey("right"), mkey("l"))
	mustShow(t, m, "Ledger · 2026-11-22", "later days have no sales yet")
	want := "2026-11-22 2026-11-21 2026-11-20 2026-11-21 2026-11-22"
	if got := strings.Join(dates, " "); got != want {
		t.Errorf("days read %s, want %s (never one after today)", got, want)
	}
}

func TestLedgerScrollsAndKeepsTotalsVisible(t *testing.T) {
	f := newFakeCheckout()
	f.DayFn = func(date string) (pos.Day, error) { return bigDay(date, 30), nil }
	m := inLedger(t, f, 80, 16)
	check := func(step string, wantRow, notRow string) {
		t.Helper()
		s := screen(m)
		if h := lipgloss.Height(s); h > 16 {
			t.Errorf("%s: the view is %d lines high in a 16-line window", step, h)
		}
		if !strings.Contains(flat(m), "Sales 30 · Paid 30 ¥465.00") || !strings.Contains(s, "enter details") {
			t.Errorf("%s: totals or help not visible:\n%s", step, s)
		}
		if !strings.Contains(s, wantRow) || strings.Contains(s, notRow) {
			t.Errorf("%s: want row %q and not %q:\n%s", step, wantRow, notRow, s)
		}
	}
	check("opened", "▸ 12:23:00", "09:00:00") // the newest sale
	m = drive(t, m, mkeys("pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup")...)
	check("paged up", "▸ 09:00:00", "12:23:00")
	m = drive(t, m, mkeys("down", "j")...)
	check("down twice", "▸ 09:14:00", "12:23:00")
	m = drive(t, m, mkey("end"))
	check("end", "▸ 12:23:00", "09:00:00")
	m = drive(t, m, mkey("k"))
	check("up", "▸ 12:16:00", "09:00:00")
	mustShow(t, m, "Sale 29 of 30")
}

func TestDetailShowsEverythingAboutTheSale(t *testing.T) {
	m := inDetail(t, managerCheckout())
	mustShow(t, m,
		"Sale · order "+testOrder, "No. 0007", "¥10.00", "refunded in part (¥3.00 back)",
		testTradeNo, "159******88", "Corner Shop", "T1", "2026-11-22 09:07:00", "2026-11-22 09:07:20",
		"Refundable  ¥7.00",
		"¥3.00  done    2026-11-22 11:00:00  Li", testOrder+"_R1", "reason: one cup broken",
		"¥2.00  failed", "balance is too low",
		"2026-11-22 09:07:00  pending  Sale recorded.", "2026-11-22 09:07:20  paid     Paid; receipt No. 0007.",
		"2026-11-22 11:00:01  paid     Refund "+testOrder+"_R1 of ¥3.00 done",
		"p reprint receipt", "r refund", "esc back to the ledger")
	m = drive(t, m, mkey("esc"))
	if m.manager.page != pageLedger {
		t.Errorf("esc from the detail: page %d, want the ledger", m.manager.page)
	}
}

func TestReprintShowsDuplicateWithTheSameNumber(t *testing.T) {
	f := managerCheckout()
	var asked string
	f.ReprintFn = func(id string) (pos.Receipt, error) {
		asked = id
		s := refundedSale()
		return pos.Receipt{ReceiptNo: s.ReceiptNo, OutTradeNo: s.OutTradeNo, TradeNo: s.TradeNo, Buyer: s.BuyerLogonID,
			AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: s.PaidAt, Duplicate: true}, nil
	}
	m := drive(t, inDetail(t, f), mkey("p"))
	if asked != testOrder || m.manager.page != pageReprint {
		t.Fatalf("p: reprinted %q, page %d", asked, m.manager.page)
	}
	mustShow(t, m, "DUPLICATE · reprint of receipt No. 0007", "No. 0007", "¥10.00", "2026-11-22 09:07:20")
	m = drive(t, m, mkey("x"))
	if m.manager.page != pageDetail {
		t.Errorf("any key should return to the detail; page %d", m.manager.page)
	}
}

func TestNoReprintOrRefundForACancelledSale(t *testing.T) {
	f := managerCheckout()
	m := drive(t, inLedger(t, f, 100, 32), mkeys("home", "down", "down", "enter")...)
	mustShow(t, m, "cancelled", "nothing: not paid (cancelled)")
	if s := screen(m); strings.Contains(s, "p reprint") || strings.Contains(s, "r refund") {
		t.Errorf("a cancelled sale offers a reprint or a refund:\n%s", s)
	}
	m = drive(t, m, mkey("p"), mkey("r"))
	if m.manager.page != pageDetail || f.called("reprint") != 0 {
		t.Errorf("p and r on a cancelled sale: page %d, reprints %d", m.manager.page, f.called("reprint"))
	}
}

// inRefund opens the refund form of the partly refunded sale.
func inRefund(t *testing.T, f *fakeCheckout) Model {
	t.Helper()
	m := drive(t, inDetail(t, f), mkey("r"))
	if m.manager.page != pageRefund {
		t.Fatalf("r: page %d, want the refund form", m.manager.page)
	}
	return m
}

// amount replaces the amount in the refund form with s.
func amount(s string) []tea.Msg { return append([]tea.Msg{mkey("ctrl+u")}, typed(s)...) }

func TestRefundRefusesBadAmounts(t *testing.T) {
	tests := map[string]string{
		"7.01":  "At most ¥7.00 can still be refunded on this sale.",
		"1.234": "Use at most two decimals (fen), for example 12.34.",
		"abc":   `"abc" is not an amount.`,
		"0":     "The amount must be at least 0.01.",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			f := managerCheckout()
			m := inRefund(t, f)
			mustShow(t, m, "Amount to refund (yuan)", "│ 7.00")
			m = drive(t, m, append(amount(in), mkey("enter"))...)
			mustShow(t, m, want)
			if m.manager.refund.step != refundForm || f.called("refund") != 0 {
				t.Errorf("step %d, Refund calls %d; want the form again and no call", m.manager.refund.step, f.called("refund"))
			}
		})
	}
}

func TestRefundFlow(t *testing.T) {
	f := managerCheckout()
	var got pos.RefundOrder
	f.RefundFn = func(o pos.RefundOrder) (pos.SaleRecord, error) {
		got = o
		return refundedBy(refundedSale(), o.Fen), nil
	}
	m := inRefund(t, f)
	m = drive(t, m, amount("3")...)
	m = drive(t, m, mkey("tab"))
	m = drive(t, m, typed("Wang")...)
	m = drive(t, m, mkey("tab"))
	m = drive(t, m, typed("wrong size")...)
	m = drive(t, m, mkey("enter"))
	if m.manager.refund.step != refundPIN {
		t.Fatalf("enter: step %d, want the PIN", m.manager.refund.step)
	}
	mustShow(t, m, "Refund ¥3.00 of ¥10.00 to the customer, approved by Wang, reason: wrong size.", "Manager PIN")
	days := f.called("day")
	m = drive(t, m, append(typed("2468"), mkey("enter"))...)
	want := pos.RefundOrder{OutTradeNo: testOrder, Fen: 300, PIN: "2468", ApprovedBy: "Wang", Reason: "wrong size"}
	if got != want || f.called("refund") != 1 {
		t.Fatalf("Refund got %+v (%d calls), want %+v", got, f.called("refund"), want)
	}
	if m.manager.page != pageDetail || f.called("day") != days+1 {
		t.Errorf("after the refund: page %d, Day calls %d→%d; want the detail, refreshed", m.manager.page, days, f.called("day"))
	}
	// The notice is the sale's after the refund: ¥7.00 was left, ¥4.00 is.
	mustShow(t, m, "Refunded ¥3.00 on order "+testOrder+"; ¥4.00 can still be refunded.")
}

// refundedBy is s after a refund of fen, done, as the ledger returns it.
func refundedBy(s pos.SaleRecord, fen int64) pos.SaleRecord {
	s.RefundedFen += fen
	s.Refunds = append(s.Refunds, pos.Refund{OutRequestNo: fmt.Sprintf("%s_R%d", s.OutTradeNo, len(s.Refunds)+1),
		Fen: fen, Status: pos.RefundDone, At: dayStart.Add(4 * time.Hour), DoneAt: dayStart.Add(4 * time.Hour)})
	if s.RefundedFen == s.AmountFen {
		s.Status = pos.StatusRefunded
	}
	return s
}

func TestRefundNoticeSaysWhatIsLeftAfterTheRefund(t *testing.T) {
	f := managerCheckout()
	f.RefundFn = func(o pos.RefundOrder) (pos.SaleRecord, error) { return refundedBy(refundedSale(), o.Fen), nil }
	m := drive(t, inRefund(t, f), mkey("enter"))
	m = drive(t, m, append(typed("2468"), mkey("enter"))...)
	mustShow(t, m, "Refunded ¥7.00 on order "+testOrder+"; the sale is now refunded in full.")
	if strings.Contains(flat(m), "can still be refunded") {
		t.Errorf("after a full refund the notice still offers more:\n%s", screen(m))
	}
}

func TestRefundAmountIsAPlaceholderThatTypingReplaces(t *testing.T) {
	for _, tt := range []struct {
		typed string
		want  string
	}{
		{"2", "Refund ¥2.00 of ¥10.00"},
		{"", "Refund ¥7.00 of ¥10.00"}, // enter alone takes what is left
	} {
		m := inRefund(t, managerCheckout())
		if v := m.manager.refund.fields[fieldAmount].Value(); v != "" {
			t.Fatalf("the amount field holds %q before anything is typed; want it empty, the amount a placeholder", v)
		}
		m = drive(t, m, append(typed(tt.typed), mkey("enter"))...)
		if m.manager.refund.step != refundPIN {
			t.Fatalf("typed %q: step %d, want the PIN\n%s", tt.typed, m.manager.refund.step, screen(m))
		}
		mustShow(t, m, tt.want)
	}
}

func TestRefundApproverDefaultsToManager(t *testing.T) {
	f := managerCheckout()
	var got pos.RefundOrder
	f.RefundFn = func(o pos.RefundOrder) (pos.SaleRecord, error) { got = o; return refundedSale(), nil }
	m := drive(t, inRefund(t, f), mkey("enter"))
	m = drive(t, m, append(typed("1234"), mkey("enter"))...)
	if got.ApprovedBy != "manager" || got.Fen != 700 || got.Reason != "" {
		t.Errorf("Refund got %+v; want the whole ¥7.00 left, approved by manager", got)
	}
	mustShow(t, m, "Refunded ¥7.00 on order "+testOrder)
}

func TestRefundPINAnswers(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		page     page
		want     string
		wantPIN  bool // asked again
		wantDays int  // refreshes
	}{
		{"wrong", &pos.PINError{Wrong: true, TriesLeft: 4, LockFor: 5 * time.Minute}, pageRefund,
			"Wrong manager PIN: 4 tries left before the PIN locks for 5 minutes.", true, 0},
		{"locked", &pos.PINError{Locked: true, Tries: 5, Left: 4 * time.Minute, Until: time.Date(2026, 11, 22, 10, 5, 0, 0, time.UTC)}, pageDetail,
			"Manager PIN locked after 5 wrong tries: try again in 4 minutes, at 10:05:00.", false, 1},
		{"too large", fmt.Errorf("refund: %w", &pos.RefundError{Problem: pos.RefundOverRefundable, Fen: 500, RefundableFen: 200, OutTradeNo: testOrder}), pageDetail,
			"Refund too large: refund 5.00 exceeds the 2.00 still refundable on sale " + testOrder + ".", false, 1},
		{"pending", fmt.Errorf("%w: alipay: transport", pos.ErrRefundPending), pageDetail,
			"Alipay did not confirm the refund yet.", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := managerCheckout()
			f.RefundFn = func(pos.RefundOrder) (pos.SaleRecord, error) { return pos.SaleRecord{}, tt.err }
			m := drive(t, inRefund(t, f), mkey("enter"))
			days := f.called("day")
			m = drive(t, m, append(typed("1111"), mkey("enter"))...)
			if m.manager.page != tt.page || f.called("day")-days != tt.wantDays {
				t.Errorf("page %d, refreshes %d; want page %d, %d", m.manager.page, f.called("day")-days, tt.page, tt.wantDays)
			}
			mustShow(t, m, tt.want)
			if tt.wantPIN && (m.manager.refund.step != refundPIN || m.manager.refund.pin.value() != "") {
				t.Errorf("a wrong PIN should be asked again in an empty field")
			}
		})
	}
}

func TestRefundEscAtEachStepDoesNothing(t *testing.T) {
	steps := map[string][]tea.Msg{
		"form":        nil,
		"form edited": amount("1"),
		"PIN":         {mkey("enter")},
		"PIN typed":   append([]tea.Msg{mkey("enter")}, typed("12")...),
	}
	for name, msgs := range steps {
		t.Run(name, func(t *testing.T) {
			f := managerCheckout()
			m := drive(t, inRefund(t, f), msgs...)
			m = drive(t, m, mkey("esc"))
			if m.manager.page != pageDetail || f.called("refund") != 0 {
				t.Errorf("esc: page %d, Refund calls %d; want the detail and no call", m.manager.page, f.called("refund"))
			}
		})
	}
}

func TestPINTakesDigitsOnly(t *testing.T) {
	m := drive(t, inRefund(t, managerCheckout()), mkey("enter"))
	m = drive(t, m, mkeys("1", "a", "2")...)
	m = drive(t, m, tea.PasteMsg{Content: "3x4"})
	if got := m.manager.refund.pin.value(); got != "1234" {
		t.Errorf("PIN %q, want the digits 1234", got)
	}
	if s := screen(m); strings.Contains(s, "1234") || !strings.Contains(s, "••••") {
		t.Errorf("the PIN is not masked:\n%s", s)
	}
	m = drive(t, m, mkey("ctrl+u"), mkey("enter"))
	mustShow(t, m, "Type the manager PIN.")
}

func TestXReportAndClosingTheDay(t *testing.T) {
	f := managerCheckout()
	var date, pin string
	f.CloseDayFn = func(d, p string) (pos.Report, error) {
		date, pin = d, p
		r := testReport(d)
		r.Kind, r.Number = pos.ReportZ, 7
		return r, nil
	}
	m := drive(t, inLedger(t, f, 100, 32), mkey("x"))
	mustShow(t, m, "X REPORT (not closed)", "Date 2026-11-22 · Terminal T1 · Generated at 2026-11-22 18:00:00",
		"Net", "¥19.34", "09:00–10:00", "Refunds made this day of earlier days' sales: 1, ¥4.50.",
		"1 sale still pending or unknown", "z close the day")
	m = drive(t, m, mkey("z"))
	mustShow(t, m, "Close TODAY, 2026-11-22? This writes the Z report once")
	m = drive(t, m, mkey("y"))
	mustShow(t, m, "Manager PIN to close 2026-11-22")
	m = drive(t, m, append(typed("2468"), mkey("enter"))...)
	if date != "2026-11-22" || pin != "2468" || f.called("closeDay") != 1 {
		t.Fatalf("CloseDay(%q, %q), %d calls", date, pin, f.called("closeDay"))
	}
	mustShow(t, m, "Z REPORT No. 0007", "Closed at", "The day is closed")
	if strings.Contains(screen(m), "z close the day") {
		t.Errorf("a closed day offers to close it again:\n%s", screen(m))
	}
	m = drive(t, m, mkey("esc"))
	if m.manager.page != pageLedger {
		t.Errorf("esc from the report: page %d, want the ledger", m.manager.page)
	}
}

func TestClosingTheDayCanBeCalledOff(t *testing.T) {
	for name, msgs := range map[string][]tea.Msg{
		"n at the question":   mkeys("z", "n"),
		"esc at the question": mkeys("z", "esc"),
		"esc at the PIN":      append(mkeys("z", "y"), append(typed("24"), mkey("esc"))...),
	} {
		t.Run(name, func(t *testing.T) {
			f := managerCheckout()
			m := drive(t, inLedger(t, f, 100, 32), mkey("x"))
			m = drive(t, m, msgs...)
			if m.manager.page != pageReport || m.manager.report.step != reportShow || f.called("closeDay") != 0 {
				t.Errorf("page %d step %d, CloseDay calls %d", m.manager.page, m.manager.report.step, f.called("closeDay"))
			}
			mustShow(t, m, "X REPORT (not closed)")
		})
	}
}

func TestClosedDayIsNotClosedAgain(t *testing.T) {
	f := managerCheckout()
	f.ReportFn = func(date string) (pos.Report, error) {
		r := testReport(date)
		r.ZNumber = 3
		return r, nil
	}
	m := drive(t, inLedger(t, f, 100, 32), mkey("x"), mkey("z"))
	mustShow(t, m, "X REPORT (day closed in Z REPORT No. 0003)", "already closed")
	if m.manager.report.step != reportShow {
		t.Errorf("z on a closed day asked to close it")
	}
}

func TestWrongPINWhenClosingIsAskedAgain(t *testing.T) {
	f := managerCheckout()
	f.CloseDayFn = func(string, string) (pos.Report, error) {
		return pos.Report{}, &pos.PINError{Wrong: true, TriesLeft: 2, LockFor: 5 * time.Minute}
	}
	m := drive(t, inLedger(t, f, 100, 32), mkeys("x", "z", "y")...)
	m = drive(t, m, append(typed("1"), mkey("enter"))...)
	mustShow(t, m, "Wrong manager PIN: 2 tries left", "Manager PIN to close")
	if m.manager.report.step != reportPIN {
		t.Errorf("step %d, want the PIN again", m.manager.report.step)
	}
}

func TestStaleManagerMessagesAreDropped(t *testing.T) {
	f := managerCheckout()
	m := inDetail(t, f)
	before := screen(m)
	m = drive(t, m,
		dayLoadedMsg{date: "2026-11-01", day: bigDay("2026-11-01", 3)},
		reprintedMsg{id: "another sale", receipt: pos.Receipt{ReceiptNo: 99}},
		refundedMsg{id: testOrder, fen: 100}, // no refund was sent
		reportLoadedMsg{date: "2026-11-22"},  // not on the report
		dayClosedMsg{date: "2026-11-22"},     // nor closing
		reprintedMsg{id: testOrder},          // no reprint was asked for
	)
	if m.manager.page != pageDetail || screen(m) != before {
		t.Errorf("stale messages changed the detail: page %d\n%s", m.manager.page, screen(m))
	}
	if m.manager.ledger.day.Totals.Count != 5 {
		t.Errorf("a day of another date replaced the ledger")
	}

	m = drive(t, m, mkey("esc"), mkey("x"))
	rep := m.manager.report
	m = drive(t, m, reportLoadedMsg{date: "2026-11-21", report: pos.Report{Kind: pos.ReportZ, Number: 9}})
	if m.manager.report.report.Number != rep.report.Number {
		t.Errorf("a report of another date was shown")
	}

	m = drive(t, m, mkey("esc"))
	m = drive(t, m, mkey("left"))
	m = drive(t, m, dayLoadedMsg{date: "2026-11-22", day: bigDay("2026-11-22", 30)})
	if m.manager.ledger.date != "2026-11-21" || m.manager.ledger.day.Totals.Count == 30 {
		t.Errorf("a day read before the move replaced the day on screen")
	}
}

func TestManagerScreensFitSmallWindows(t *testing.T) {
	f := managerCheckout()
	m := inLedger(t, f, 80, 24)
	views := map[string][]tea.Msg{
		"ledger":      nil,
		"detail":      mkeys("home", "down", "enter"),
		"refund form": mkeys("home", "down", "enter", "r"),
		"refund PIN":  mkeys("home", "down", "enter", "r", "enter"),
		"report":      mkeys("x"),
		"close PIN":   mkeys("x", "z", "y"),
	}
	for name, msgs := range views {
		got := drive(t, m, msgs...)
		if h := lipgloss.Height(screen(got)); h > 24 {
			t.Errorf("%s is %d lines high in an 80×24 window:\n%s", name, h, screen(got))
		}
		if w := lipgloss.Width(screen(got)); w > 80 {
			t.Errorf("%s is %d columns wide in an 80×24 window:\n%s", name, w, screen(got))
		}
	}
}

func TestQuitWaitsForARefundInFlight(t *testing.T) {
	f := managerCheckout()
	f.RefundFn = func(pos.RefundOrder) (pos.SaleRecord, error) { return refundedSale(), nil }
	m := drive(t, inRefund(t, f), mkey("enter"))
	m = drive(t, m, typed("2468")...)
	next, send := m.Update(mkey("enter")) // the refund is on its way
	next, cmd := next.Update(press("ctrl+c"))
	if cmd != nil || next.(Model).manager.page != pageRefund {
		t.Fatalf("ctrl+c during a refund should wait for its answer")
	}
	_, cmd = next.Update(send())
	if cmd == nil {
		t.Fatal("no command after the refund's answer; want quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Errorf("after the refund's answer the kiosk should quit")
	}
}

// The ledger's screen and kiosk ledger count a day alike, in the same
// words: one sale refunded in full and one in part are "Refunded 2 (1 in
// part)" on both.
func TestLedgerScreenAndCommandLineCountAlike(t *testing.T) {
	m := inLedger(t, managerCheckout(), 140, 32)
	var out strings.Builder
	if err := cli.WriteDay(&out, testDay("2026-11-22"), "table"); err != nil {
		t.Fatal(err)
	}
	want := "Sales 5 · Paid 3 ¥42.34 · Refunded 2 (1 in part) ¥23.00 · Net ¥19.34 · Cancelled 1 · Unknown 1"
	if !strings.Contains(flat(m), want) {
		t.Errorf("the screen lacks %q:\n%s", want, screen(m))
	}
	if !strings.Contains(out.String(), want) {
		t.Errorf("kiosk ledger lacks %q:\n%s", want, out.String())
	}
}
