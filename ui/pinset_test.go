package ui

import (
	"strings"
	"testing"

	"kiosk/pos"
)

// pinCalls records what SetManagerPIN was given.
type pinCalls struct{ current, pin []string }

func (p *pinCalls) answer(err error) func(string, string) error {
	return func(current, pin string) error {
		p.current, p.pin = append(p.current, current), append(p.pin, pin)
		return err
	}
}

// TestFirstPINOnTheKiosk: with no PIN yet, m on the ledger asks for a new
// PIN twice; a trivial one and two that differ are refused there and
// then; the PIN typed twice is set, with no current PIN.
func TestFirstPINOnTheKiosk(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	var calls pinCalls
	f.SetPINFn = calls.answer(nil)
	m := drive(t, inLedger(t, f, 80, 24), mkeys("m")...)
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinNew {
		t.Fatalf("m: page %d step %d, want the new PIN asked", m.manager.page, m.manager.pinSet.step)
	}
	m = drive(t, m, seq(typed("111111"), mkeys("enter"))...)
	if m.manager.pinSet.step != pinNew || !strings.Contains(flat(m), "too easy to guess") {
		t.Errorf("a trivial PIN: step %d\n%s", m.manager.pinSet.step, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"), typed("258041"), mkeys("enter"))...)
	if m.manager.pinSet.step != pinNew || !strings.Contains(flat(m), "The two PINs differ") || f.called("setPIN") != 0 {
		t.Errorf("two PINs that differ: step %d, %d saves\n%s", m.manager.pinSet.step, f.called("setPIN"), screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if len(calls.pin) != 1 || calls.pin[0] != "258014" || calls.current[0] != "" {
		t.Fatalf("SetManagerPIN got %+v, want the new PIN once and no current one", calls)
	}
	if m.manager.page != pageLedger || !strings.Contains(flat(m), "Manager PIN set.") {
		t.Errorf("after setting: page %d\n%s", m.manager.page, screen(m))
	}
}

// TestChangePINAsksTheCurrentOne: with a PIN set, m asks the current PIN
// first; a wrong one, refused by the ledger, is asked again.
func TestChangePINAsksTheCurrentOne(t *testing.T) {
	f := managerCheckout()
	var calls pinCalls
	f.SetPINFn = calls.answer(&pos.PINError{Wrong: true, TriesLeft: 4})
	m := drive(t, inLedger(t, f, 80, 24), mkeys("m")...)
	if m.manager.pinSet.step != pinCurrent || !strings.Contains(flat(m), "type the current one first") {
		t.Fatalf("m with a PIN set: step %d\n%s", m.manager.pinSet.step, screen(m))
	}
	m = drive(t, m, seq(typed("135790"), mkeys("enter"), typed("580246"), mkeys("enter"), typed("580246"), mkeys("enter"))...)
	if len(calls.current) != 1 || calls.current[0] != "135790" || calls.pin[0] != "580246" {
		t.Fatalf("SetManagerPIN got %+v", calls)
	}
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinCurrent || !strings.Contains(flat(m), "Wrong manager PIN") {
		t.Errorf("a wrong current PIN: page %d step %d\n%s", m.manager.page, m.manager.pinSet.step, screen(m))
	}
	f.SetPINFn = calls.answer(nil)
	m = drive(t, m, seq(typed("246813"), mkeys("enter"), typed("580246"), mkeys("enter"), typed("580246"), mkeys("enter"))...)
	if m.manager.page != pageLedger || !strings.Contains(flat(m), "Manager PIN changed.") {
		t.Errorf("the change: page %d\n%s", m.manager.page, screen(m))
	}
	m = drive(t, m, mkeys("m", "esc")...)
	if m.manager.page != pageLedger || len(calls.pin) != 2 {
		t.Errorf("esc: page %d, %d saves; want the ledger and nothing saved", m.manager.page, len(calls.pin))
	}
}

// TestRefundWithoutPINSetsOneFirst: a refund on a ledger without a PIN
// does not ask for a PIN it will refuse: it sets one first, then asks for
// it, and the refund goes on with it.
func TestRefundWithoutPINSetsOneFirst(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	var calls pinCalls
	f.SetPINFn = calls.answer(nil)
	var order pos.RefundOrder
	f.RefundFn = func(o pos.RefundOrder) (pos.SaleRecord, error) { order = o; return refundedSale(), nil }
	m := drive(t, inDetail(t, f), seq(mkeys("r"), amount("3"), mkeys("enter"))...)
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinNew || !strings.Contains(flat(m), "the refund goes on after it") {
		t.Fatalf("a refund with no PIN: page %d step %d\n%s", m.manager.page, m.manager.pinSet.step, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if m.manager.page != pageRefund || m.manager.refund.step != refundPIN || !strings.Contains(flat(m), "Type it to go on") {
		t.Fatalf("after setting: page %d step %d\n%s", m.manager.page, m.manager.refund.step, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"))...)
	if f.called("refund") != 1 || order.PIN != "258014" || order.Fen != 300 {
		t.Errorf("the refund: %d calls, %+v", f.called("refund"), order)
	}
}

// TestCloseWithoutPINSetsOneFirst: closing the day on a ledger without a
// PIN sets one first; esc there leaves the day open and nothing set.
func TestCloseWithoutPINSetsOneFirst(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	m := drive(t, inLedger(t, f, 80, 24), mkeys("x", "z", "y")...)
	if m.manager.page != pagePIN || !strings.Contains(flat(m), "closing the day goes on after it") {
		t.Fatalf("z, y with no PIN: page %d\n%s", m.manager.page, screen(m))
	}
	m = drive(t, m, mkeys("esc")...)
	if m.manager.page != pageReport || m.manager.report.step != reportShow || f.called("setPIN") != 0 || f.called("closeDay") != 0 {
		t.Errorf("esc: page %d step %d", m.manager.page, m.manager.report.step)
	}
}

// TestPINSetBesideTheKioskIsAskedEachTime: the ledger opens with no PIN,
// then one is set beside the kiosk (kiosk manager set-pin). The refund
// asks the ledger again and goes to its PIN prompt, never to the PIN
// screen, and never asks for a "current" PIN; so does closing the day.
func TestPINSetBesideTheKioskIsAskedEachTime(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	m := inDetail(t, f)
	f.HasPINFn = func() (bool, error) { return true, nil } // set in another terminal
	m = drive(t, m, seq(mkeys("r"), amount("3"), mkeys("enter"))...)
	if m.manager.page != pageRefund || m.manager.refund.step != refundPIN || strings.Contains(flat(m), "No manager PIN") {
		t.Fatalf("a refund after the PIN was set beside: page %d step %d\n%s", m.manager.page, m.manager.refund.step, screen(m))
	}
	m = drive(t, m, mkeys("esc", "esc", "x", "z", "y")...)
	if m.manager.page != pageReport || m.manager.report.step != reportPIN {
		t.Fatalf("z, y after the PIN was set beside: page %d step %d\n%s", m.manager.page, m.manager.report.step, screen(m))
	}
	if f.called("setPIN") != 0 {
		t.Errorf("%d PIN saves, want none", f.called("setPIN"))
	}
}

// TestFirstPINOnTheWayToARefundNeverBecomesAChange: with no PIN the refund
// sets the first one; the ledger then says a PIN is set (set beside it
// meanwhile). The screen goes back to the refund's PIN prompt, saying so,
// rather than asking for a current PIN and a new one.
func TestFirstPINOnTheWayToARefundNeverBecomesAChange(t *testing.T) {
	f := managerCheckout()
	var calls pinCalls
	f.SetPINFn = calls.answer(pos.ErrPINSet)
	m := inDetail(t, f)
	noPIN(f)
	m = drive(t, m, seq(mkeys("r"), amount("3"), mkeys("enter"))...)
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinNew {
		t.Fatalf("a refund with no PIN: page %d step %d\n%s", m.manager.page, m.manager.pinSet.step, screen(m))
	}
	f.HasPINFn = func() (bool, error) { return true, nil }
	m = drive(t, m, seq(typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if m.manager.page != pageRefund || m.manager.refund.step != refundPIN || !strings.Contains(flat(m), "set meanwhile") {
		t.Fatalf("the PIN set meanwhile: page %d step %d\n%s", m.manager.page, m.manager.refund.step, screen(m))
	}
	if len(calls.current) != 1 || calls.current[0] != "" {
		t.Errorf("SetManagerPIN got %+v, want one first PIN and no current one", calls)
	}
}

// TestFirstPINSetMeanwhileBecomesAChange: a first PIN chosen on the kiosk
// while kiosk manager set-pin set one beside it (ErrPINSet) turns the
// screen into a change: the PIN set meanwhile is asked for, then the new
// one, rather than the new one again and again.
func TestFirstPINSetMeanwhileBecomesAChange(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	var calls pinCalls
	f.SetPINFn = calls.answer(pos.ErrPINSet)
	m := drive(t, inLedger(t, f, 80, 24), seq(mkeys("m"), typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinCurrent || !strings.Contains(flat(m), "A manager PIN was set meanwhile. Type it to go on.") {
		t.Fatalf("a first PIN set meanwhile: page %d step %d\n%s", m.manager.page, m.manager.pinSet.step, screen(m))
	}
	f.SetPINFn = calls.answer(nil)
	m = drive(t, m, seq(typed("470136"), mkeys("enter"), typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if len(calls.current) != 2 || calls.current[1] != "470136" || calls.pin[1] != "258014" {
		t.Fatalf("SetManagerPIN got %+v, want the change with the PIN set meanwhile", calls)
	}
	if m.manager.page != pageLedger || !strings.Contains(flat(m), "Manager PIN changed.") {
		t.Errorf("the change: page %d\n%s", m.manager.page, screen(m))
	}
}
