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

// TestTheKioskNeverSetsTheFirstPIN: with no PIN set, m on the ledger
// offers no new PIN (whoever stands at the till would choose the PIN that
// approves refunds): it says how to set one at the command line, takes no
// digits, and enter looks again; once set beside the kiosk, m changes it.
func TestTheKioskNeverSetsTheFirstPIN(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	m := drive(t, inLedger(t, f, 80, 24), mkeys("m")...)
	if m.manager.page != pagePIN || m.manager.pinSet.step != pinNone || !strings.Contains(flat(m), "kiosk manager set-pin") {
		t.Fatalf("m with no PIN: page %d step %d\n%s", m.manager.page, m.manager.pinSet.step, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"), typed("258014"), mkeys("enter"))...)
	if f.called("setPIN") != 0 || m.manager.pinSet.step != pinNone {
		t.Fatalf("a PIN typed twice with none set: %d saves, step %d; want none and the same screen", f.called("setPIN"), m.manager.pinSet.step)
	}
	f.HasPINFn = func() (bool, error) { return true, nil } // kiosk manager set-pin
	m = drive(t, m, mkeys("enter")...)
	if m.manager.pinSet.step != pinCurrent || !strings.Contains(flat(m), "type the current one first") {
		t.Errorf("enter once a PIN is set: step %d\n%s", m.manager.pinSet.step, screen(m))
	}
	m = drive(t, m, mkeys("esc")...)
	if m.manager.page != pageLedger || f.called("setPIN") != 0 {
		t.Errorf("esc: page %d, %d saves", m.manager.page, f.called("setPIN"))
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

// TestRefundWithoutPINIsRefused: a refund on a ledger without a PIN never
// sets one: its PIN prompt says none is set and how to set one, takes no
// digits, and sends nothing; once the PIN is set at the command line,
// enter asks for it and the refund goes on with it.
func TestRefundWithoutPINIsRefused(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	var order pos.RefundOrder
	f.RefundFn = func(o pos.RefundOrder) (pos.SaleRecord, error) { order = o; return refundedSale(), nil }
	m := drive(t, inDetail(t, f), seq(mkeys("r"), amount("3"), mkeys("enter"))...)
	if m.manager.page != pageRefund || m.manager.refund.step != refundPIN || !m.manager.refund.pin.none ||
		!strings.Contains(flat(m), "kiosk manager set-pin") || strings.Contains(flat(m), "refund now") {
		t.Fatalf("a refund with no PIN: page %d step %d\n%s", m.manager.page, m.manager.refund.step, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"))...)
	if f.called("refund") != 0 || f.called("setPIN") != 0 || m.manager.page != pageRefund || !m.manager.refund.pin.none {
		t.Fatalf("enter with no PIN: %d refunds, %d PIN saves, page %d", f.called("refund"), f.called("setPIN"), m.manager.page)
	}
	f.HasPINFn = func() (bool, error) { return true, nil } // kiosk manager set-pin
	m = drive(t, m, mkeys("enter")...)
	if m.manager.refund.pin.none || !strings.Contains(flat(m), "Type it to go on") {
		t.Fatalf("enter once a PIN is set:\n%s", screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter"))...)
	if f.called("refund") != 1 || order.PIN != "258014" || order.Fen != 300 {
		t.Errorf("the refund: %d calls, %+v", f.called("refund"), order)
	}
}

// TestCloseWithoutPINIsRefused: closing the day on a ledger without a PIN
// says none is set and closes nothing; esc leaves the day open.
func TestCloseWithoutPINIsRefused(t *testing.T) {
	f := managerCheckout()
	noPIN(f)
	m := drive(t, inLedger(t, f, 80, 24), mkeys("x", "z", "y")...)
	if m.manager.page != pageReport || m.manager.report.step != reportPIN || !m.manager.report.pin.none ||
		!strings.Contains(flat(m), "kiosk manager set-pin") {
		t.Fatalf("z, y with no PIN: page %d\n%s", m.manager.page, screen(m))
	}
	m = drive(t, m, seq(typed("258014"), mkeys("enter", "esc"))...)
	if m.manager.page != pageReport || m.manager.report.step != reportShow || f.called("setPIN") != 0 || f.called("closeDay") != 0 {
		t.Errorf("enter, esc: page %d step %d, %d PIN saves, %d closes", m.manager.page, m.manager.report.step, f.called("setPIN"), f.called("closeDay"))
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
