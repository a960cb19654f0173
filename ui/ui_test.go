package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/internal/qrscan"
	"kiosk/pos"
	"kiosk/ui/words"
)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// drive feeds msgs to m and runs each returned command, feeding its
// message back in. Commands run to the end here, in order: the model's
// timers come from the fake's After, which only arms them, so nothing
// waits for wall time and no message can be lost to a slow machine; the
// test fires the timers itself (fire).
func drive(t *testing.T, m tea.Model, msgs ...tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		m = runCmd(t, m, cmd)
	}
	return m.(Model)
}

func runCmd(t *testing.T, m tea.Model, cmd tea.Cmd) tea.Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	switch msg := cmd().(type) {
	case nil: // a timer was armed, or a listener stopped
		return m
	case tea.BatchMsg:
		for _, c := range msg {
			m = runCmd(t, m, c)
		}
		return m
	default:
		m, next := m.Update(msg)
		return runCmd(t, m, next)
	}
}

// fire delivers the timers armed so far, as if their time had come, and
// returns how many of each message type it delivered.
func fire(t *testing.T, f *fakeCheckout, m Model) (Model, map[string]int) {
	t.Helper()
	fired := map[string]int{}
	for _, tm := range f.armed() {
		fired[fmt.Sprintf("%T", tm.msg)]++
		m = drive(t, m, tm.msg)
	}
	return m, fired
}

func typed(s string) []tea.Msg {
	msgs := make([]tea.Msg, 0, len(s))
	for _, r := range s {
		msgs = append(msgs, press(string(r)))
	}
	return msgs
}

func ready(t *testing.T, f *fakeCheckout) Model {
	t.Helper()
	m := New(f, Options{ShopName: "Corner Shop", Location: time.UTC, After: f.after})
	return drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
}

func screen(m Model) string { return ansi.Strip(m.View().Content) }

func TestBadAmountsAreExplainedAndNothingStarts(t *testing.T) {
	tests := map[string]string{
		"":          "Type the amount in yuan",
		"abc":       "is not an amount",
		"-5":        "is not an amount",
		"0":         "at least 0.01",
		"1.234":     "at most two decimals",
		"1e5":       "is not an amount",
		"100000001": "at most 100000000.00",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			f := newFakeCheckout()
			m := drive(t, ready(t, f), append(typed(in), press("enter"))...)
			if m.state != stateEntry || !strings.Contains(screen(m), want) {
				t.Errorf("after %q: state %d, screen lacks %q:\n%s", in, m.state, want, screen(m))
			}
			if n := f.called("start"); n != 0 {
				t.Errorf("Start called %d times for %q", n, in)
			}
		})
	}
}

func TestLongPasteIsRejected(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), tea.PasteMsg{Content: strings.Repeat("9", 10000)}, press("enter"))
	if !strings.Contains(screen(m), "far too long") || f.called("start") != 0 {
		t.Errorf("10 000 pasted digits were not refused:\n%s", screen(m))
	}
}

func TestSaleShowsQRAndPaysToReceipt(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("12.34"), press("enter"))...)
	if m.state != stateWaiting {
		t.Fatalf("state = %d after enter, want waiting", m.state)
	}
	s := screen(m)
	for _, want := range []string{"Scan with Alipay to pay", "Time left 2:00", "Waiting for the customer to scan", "KT1_20261122180000000_ABCDEF", "Corner Shop"} {
		if !strings.Contains(s, want) {
			t.Errorf("QR screen lacks %q:\n%s", want, s)
		}
	}
	m = drive(t, m, polledMsg{id: m.sale.sale.OutTradeNo, result: pos.PollResult{Progress: pos.AwaitingConfirmation}})
	if !strings.Contains(screen(m), "Scanned, waiting for confirmation") {
		t.Errorf("scan not shown:\n%s", screen(m))
	}
	receipt := pos.Receipt{ReceiptNo: 7, OutTradeNo: m.sale.sale.OutTradeNo, TradeNo: "2026112222001400001234567890",
		Buyer: "159******88", AmountFen: 1234, Subject: "Corner Shop", PaidAt: testTime.Add(30 * time.Second)}
	m = drive(t, m, polledMsg{id: m.sale.sale.OutTradeNo, result: pos.PollResult{Progress: pos.Paid, Receipt: receipt}})
	s = screen(m)
	for _, want := range []string{"PAID", "No. 0007", "¥12.34", "2026112222001400001234567890", "159******88", "2026-11-22 10:00:30"} {
		if !strings.Contains(s, want) {
			t.Errorf("receipt lacks %q:\n%s", want, s)
		}
	}
	m = drive(t, m, press("esc"))
	if m.state != stateEntry || m.entry.amount.Value() != "" {
		t.Errorf("a key that types nothing should open a fresh, empty sale; state %d amount %q", m.state, m.entry.amount.Value())
	}
}

func TestStaleMessagesAreDropped(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	paid := pos.PollResult{Progress: pos.Paid, Receipt: pos.Receipt{ReceiptNo: 1}}
	m = drive(t, m, polledMsg{id: "an earlier sale", result: paid}, cancelledMsg{id: "an earlier sale"})
	if m.state != stateWaiting {
		t.Errorf("a message for another sale changed the state to %d", m.state)
	}
}

func TestWarningsKeepTheSaleWaiting(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	m = drive(t, m, polledMsg{id: m.sale.sale.OutTradeNo, result: pos.PollResult{Warning: pos.Problem{Kind: pos.KindTransport}}})
	if m.state != stateWaiting || !strings.Contains(screen(m), "Alipay could not be reached") {
		t.Errorf("state %d, screen:\n%s", m.state, screen(m))
	}
}

func TestCountdownEndCancels(t *testing.T) {
	f := newFakeCheckout()
	var reason pos.Reason
	f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
		reason = r
		return pos.Outcome{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}}, nil
	}
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	f.advance(61 * time.Second)
	m = drive(t, m, tickMsg{id: m.sale.sale.OutTradeNo})
	if !strings.Contains(screen(m), "Time left 0:59") || f.called("cancel") != 0 {
		t.Fatalf("half-way tick: cancel calls %d, screen:\n%s", f.called("cancel"), screen(m))
	}
	f.advance(60 * time.Second)
	m = drive(t, m, tickMsg{id: m.sale.sale.OutTradeNo})
	if f.called("cancel") != 1 || m.state != stateOutcome {
		t.Fatalf("after the deadline: cancel calls %d, state %d", f.called("cancel"), m.state)
	}
	if reason != pos.ReasonTimeout || words.English.ReasonText(reason) != "The time to pay ran out" ||
		!strings.Contains(screen(m), "Sale cancelled") || !strings.Contains(screen(m), "The time to pay ran out; Alipay closed the trade.") {
		t.Errorf("reason %q, screen:\n%s", reason, screen(m))
	}
}

func TestEscAsksBeforeCancelling(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"), press("esc"))...)
	if !strings.Contains(screen(m), "Cancel this sale?") || f.called("cancel") != 0 {
		t.Fatalf("esc should ask first:\n%s", screen(m))
	}
	m = drive(t, m, press("n"))
	if m.state != stateWaiting || strings.Contains(screen(m), "Cancel this sale?") {
		t.Fatalf("n should keep waiting:\n%s", screen(m))
	}
	m = drive(t, m, press("esc"), press("y"))
	if f.called("cancel") != 1 || m.state != stateOutcome {
		t.Errorf("y should cancel: calls %d, state %d", f.called("cancel"), m.state)
	}
}

func TestLastSecondPaymentShowsReceipt(t *testing.T) {
	f := newFakeCheckout()
	f.CancelFn = func(s pos.Sale, _ pos.Reason) (pos.Outcome, error) {
		return pos.Outcome{Status: pos.StatusPaid, Receipt: pos.Receipt{ReceiptNo: 3, AmountFen: s.AmountFen}}, nil
	}
	m := drive(t, ready(t, f), append(typed("5"), press("enter"), press("esc"), press("y"))...)
	if m.state != stateReceipt || !strings.Contains(screen(m), "No. 0003") {
		t.Errorf("state %d, screen:\n%s", m.state, screen(m))
	}
}

func TestStartFailureIsExplainedOnTheSaleScreen(t *testing.T) {
	f := newFakeCheckout()
	f.StartFn = func(int64, string) (pos.Sale, error) {
		return pos.Sale{}, errors.New("precreate: boom")
	}
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	if m.state != stateEntry || !strings.Contains(screen(m), "boom") {
		t.Errorf("state %d, screen:\n%s", m.state, screen(m))
	}
}

func TestQuitDuringSaleCancelsFirst(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"), press("ctrl+c"))...)
	if !strings.Contains(screen(m), "Cancel this sale and quit?") {
		t.Fatalf("ctrl+c during a sale should ask first:\n%s", screen(m))
	}
	next, cmd := m.Update(press("y"))
	if cmd == nil {
		t.Fatal("y gave no cancel command")
	}
	_, cmd = next.Update(cmd())
	if f.called("cancel") != 1 || cmd == nil {
		t.Fatalf("cancel calls %d; want the sale cancelled, then quit", f.called("cancel"))
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Errorf("after the cancel the kiosk should quit")
	}
}

func TestTooSmallWindowSaysHowLarge(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	m = drive(t, m, tea.WindowSizeMsg{Width: 30, Height: 15})
	s := strings.Join(strings.Fields(screen(m)), " ")
	if !strings.Contains(s, "too small to show the QR code") || !strings.Contains(s, "39×") || strings.Contains(s, "▄▄▄▄▄") {
		t.Errorf("small window:\n%s", s)
	}
	m = drive(t, m, tea.WindowSizeMsg{Width: 45, Height: 40})
	if s := screen(m); strings.Contains(s, "too small") || !strings.Contains(s, "▄▄▄▄▄") {
		t.Errorf("narrow but tall window should stack the QR code:\n%s", s)
	}
}

func TestRecoveryBannerAndBackgroundRetry(t *testing.T) {
	f := newFakeCheckout()
	m := New(f, Options{Location: time.UTC, After: f.after})
	paid := pos.Outcome{Status: pos.StatusPaid, Receipt: pos.Receipt{ReceiptNo: 3, AmountFen: 1234, OutTradeNo: "KT1_X"}}
	m2 := drive(t, m, recoveredMsg{outcomes: []pos.Outcome{paid, {Status: pos.StatusUnknown}}})
	if s := strings.Join(strings.Fields(screen(m2)), " "); !strings.Contains(s, "Settled 2 sales left open") || !strings.Contains(s, "1 still unknown") ||
		!strings.Contains(s, "Recovered receipts: No. 0003 ¥12.34 (KT1_X)") {
		t.Errorf("banner missing:\n%s", s)
	}
	if !m2.reconciling {
		t.Fatal("an unknown sale should start background retries")
	}
	f.ReconcileFn = func() ([]pos.Outcome, int, error) { return nil, 1, nil }
	m2 = drive(t, m2, reconcileDueMsg{})
	if s := screen(m2); !strings.Contains(strings.Join(strings.Fields(s), " "), "1 sale or refund waits for Alipay's answer") || !m2.reconciling {
		t.Errorf("still unknown: retrying %v, screen:\n%s", m2.reconciling, s)
	}
	f.ReconcileFn = func() ([]pos.Outcome, int, error) { return []pos.Outcome{{Status: pos.StatusCancelled}}, 0, nil }
	m2 = drive(t, m2, reconcileDueMsg{})
	if s := strings.Join(strings.Fields(screen(m2)), " "); !strings.Contains(s, "now settled: 1 cancelled.") || m2.reconciling {
		t.Errorf("settled: retrying %v, screen:\n%s", m2.reconciling, s)
	}
}

// TestTheRetryBannerListsWhatItSettled: the banner after a background
// retry lists only the outcomes some sale has, in each language.
func TestTheRetryBannerListsWhatItSettled(t *testing.T) {
	for _, tt := range []struct {
		say      *words.Words
		outcomes []pos.Status
		want     string
	}{
		{words.Chinese, []pos.Status{pos.StatusCancelled}, "1 笔待确认交易已核实：取消 1 笔。"},
		{words.Chinese, []pos.Status{pos.StatusPaid, pos.StatusRefunded, pos.StatusPaid}, "3 笔待确认交易已核实：收款 2 笔、退款 1 笔。"},
		{words.English, []pos.Status{pos.StatusPaid, pos.StatusCancelled}, "2 sales with an unknown outcome are now settled: 1 paid, 1 cancelled."},
	} {
		f := newFakeCheckout()
		var outcomes []pos.Outcome
		for _, st := range tt.outcomes {
			outcomes = append(outcomes, pos.Outcome{Status: st})
		}
		f.ReconcileFn = func() ([]pos.Outcome, int, error) { return outcomes, 0, nil }
		m := drive(t, New(f, Options{Location: time.UTC, After: f.after, Words: tt.say}), reconcileDueMsg{})
		if s := strings.Join(strings.Fields(screen(m)), ""); !strings.Contains(s, strings.Join(strings.Fields(tt.want), "")) {
			t.Errorf("after settling %v: want %q on the screen:\n%s", tt.outcomes, tt.want, screen(m))
		}
	}
}

// TestNotificationShowsReceiptAtOnce: the receipt a notification brings
// is shown as it is, without asking Alipay again.
func TestNotificationShowsReceiptAtOnce(t *testing.T) {
	f := newFakeCheckout()
	f.notified = make(chan pos.Notice)
	close(f.notified) // the listener the handler starts again ends at once
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	polls := f.called("poll")
	receipt := pos.Receipt{ReceiptNo: 4, OutTradeNo: m.sale.sale.OutTradeNo, TradeNo: "2026112222001400009999", AmountFen: 500}
	m = drive(t, m, notifiedMsg{notice: pos.Notice{OutTradeNo: m.sale.sale.OutTradeNo, Paid: true, Receipt: receipt}, ch: f.notified})
	if m.state != stateReceipt || m.receipt != receipt {
		t.Errorf("after the notification: state %d, receipt %+v; want the notified receipt on screen", m.state, m.receipt)
	}
	if n := f.called("poll") - polls; n != 0 {
		t.Errorf("the notified receipt waited for %d queries, want none", n)
	}
	if s := screen(m); !strings.Contains(s, "No. 0004") || !strings.Contains(s, receipt.TradeNo) {
		t.Errorf("screen lacks the notified receipt:\n%s", s)
	}
}

func TestPendingRefundStartsBackgroundRetries(t *testing.T) {
	f := newFakeCheckout()
	m := ready(t, f)
	m.state = stateManager
	m2, _ := m.updateManager(refundedMsg{id: "K1", err: pos.ErrRefundPending})
	if !m2.(Model).reconciling {
		t.Error("a refund Alipay did not confirm should be retried in the background")
	}
}

// An 80×24 terminal is the classic size: the QR code must fit there, on
// the emulator too, where the panel has the most to say.
func TestQRFitsAClassicTerminal(t *testing.T) {
	for _, simulate := range []bool{false, true} {
		f := newFakeCheckout()
		f.simulate = simulate
		m := drive(t, ready(t, f), append(typed("12.34"), press("enter"))...)
		m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		s := screen(m)
		if strings.Contains(s, "too small") || !strings.Contains(s, "▄▄▄▄▄") || !strings.Contains(s, "Time left") {
			t.Errorf("simulate %v at 80×24:\n%s", simulate, s)
		}
		if lines := strings.Count(strings.TrimRight(s, "\n "), "\n") + 1; lines > 24 {
			t.Errorf("simulate %v: %d lines drawn on a 24-line terminal", simulate, lines)
		}
		if got, err := qrscan.Decode(s); err != nil || got != testSale(0, "").QRCode {
			t.Errorf("simulate %v: decoded %q, %v", simulate, got, err)
		}
	}
}

// Polls off the schedule (a notification, the simulated customer's p) must
// not start chains of their own: however many there were, each round of
// timers queries Alipay once, and a due poll of another chain is dropped.
func TestOnePollChainWhateverTheExtraPolls(t *testing.T) {
	f := newFakeCheckout()
	f.simulate = true
	f.notified = make(chan pos.Notice)
	close(f.notified)
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	id := m.sale.sale.OutTradeNo
	open := notifiedMsg{notice: pos.Notice{OutTradeNo: id}, ch: f.notified} // left open: the screen asks at once
	m = drive(t, m, open, press("p"), open)
	if n, sims := f.called("poll"), f.called("simulate"); n != 3 || sims != 1 {
		t.Fatalf("three extra polls: Poll called %d times, SimulatePayment %d", n, sims)
	}
	for round := 1; round <= 5; round++ {
		before := f.called("poll")
		var fired map[string]int
		m, fired = fire(t, f, m)
		if polls := f.called("poll") - before; polls != 1 || fired["ui.pollDueMsg"] != 1 || fired["ui.tickMsg"] != 1 {
			t.Fatalf("round %d: %d queries, timers fired %v; want one poll chain and one countdown", round, polls, fired)
		}
	}
	f.armed() // let the live chain's next poll lapse
	before := f.called("poll")
	m = drive(t, m, pollDueMsg{id: id, chain: m.sale.pollChain + 1}, pollDueMsg{id: id, chain: offSchedule})
	if f.called("poll") != before || len(f.armed()) != 0 {
		t.Errorf("a poll due on a chain that is not the live one was run")
	}
	if m.state != stateWaiting {
		t.Errorf("state %d, want still waiting", m.state)
	}
}

// quits reports whether cmd, run to the end, asks the program to quit.
func quits(t *testing.T, m tea.Model, cmd tea.Cmd) bool {
	t.Helper()
	for cmd != nil {
		msg := cmd()
		if _, ok := msg.(tea.QuitMsg); ok {
			return true
		}
		if msg == nil {
			return false
		}
		m, cmd = m.Update(msg)
	}
	return false
}

// SIGTERM and SIGHUP arrive as StopMsg: a sale on screen is cancelled at
// once, without the question Ctrl+C asks, within the stop's deadline, and
// the kiosk quits once the outcome is in; with no sale it quits at once.
func TestStopCancelsTheSaleWithoutAskingThenQuits(t *testing.T) {
	stop := StopMsg{Reason: pos.StoppedBy("SIGTERM"), Deadline: testTime.Add(7 * time.Second)}
	t.Run("waiting", func(t *testing.T) {
		f := newFakeCheckout()
		var reason pos.Reason
		f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
			reason = r
			return pos.Outcome{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}}, nil
		}
		m := drive(t, ready(t, f), append(typed("5"), press("enter"), press("esc"))...) // even with the question open
		next, cmd := m.Update(stop)
		if next.(Model).state != stateCancelling || !quits(t, next, cmd) {
			t.Fatalf("stop during a sale: state %d; want it cancelled, then quit", next.(Model).state)
		}
		if f.called("cancel") != 1 || reason != stop.Reason || !f.cancelDeadline.Equal(stop.Deadline) {
			t.Errorf("cancel calls %d, reason %q, deadline %v; want one, %q, %v", f.called("cancel"), reason, f.cancelDeadline, stop.Reason, stop.Deadline)
		}
	})
	t.Run("starting", func(t *testing.T) {
		f := newFakeCheckout()
		m := drive(t, ready(t, f), typed("5")...)
		next, start := m.Update(press("enter"))
		next, cmd := next.Update(stop)
		if cmd != nil || f.called("cancel") != 0 {
			t.Fatal("a stop during the start should wait for Alipay's answer")
		}
		next, cmd = next.Update(start())
		if !quits(t, next, cmd) || f.called("cancel") != 1 || !f.cancelDeadline.Equal(stop.Deadline) {
			t.Errorf("after the start's answer: cancel calls %d, deadline %v; want the sale cancelled, then quit", f.called("cancel"), f.cancelDeadline)
		}
	})
	for name, msgs := range map[string][]tea.Msg{"entry": typed("5"), "receipt": nil} {
		t.Run(name, func(t *testing.T) {
			f := newFakeCheckout()
			m := drive(t, ready(t, f), msgs...)
			if name == "receipt" {
				m = drive(t, m, append(typed("5"), press("enter"))...)
				m = drive(t, m, polledMsg{id: m.sale.sale.OutTradeNo, chain: m.sale.pollChain, result: pos.PollResult{Progress: pos.Paid}})
				if m.state != stateReceipt {
					t.Fatalf("state %d, want the receipt", m.state)
				}
			}
			_, cmd := m.Update(stop)
			if !quits(t, m, cmd) || f.called("cancel") != 0 {
				t.Errorf("state %d: want to quit at once, nothing cancelled", m.state)
			}
		})
	}
}

func TestSetUpWarningsStandUnderTheTitle(t *testing.T) {
	f := newFakeCheckout()
	m := New(f, Options{Location: time.UTC, After: f.after, Warnings: []string{"app_private_key k.pem is open to other users"}})
	m2 := drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
	if s := screen(m2); !strings.Contains(s, "! app_private_key k.pem is open to other users") || !strings.Contains(s, "Amount (yuan)") {
		t.Errorf("the warning is not on the screen:\n%s", s)
	}
}
