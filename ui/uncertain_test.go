package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestLostPrecreateIsCancelledInTheBackground: a sale whose precreate got
// no trustworthy answer did not start, the cashier is told why, and the
// background retry is started so that Alipay's order is cancelled.
func TestLostPrecreateIsCancelledInTheBackground(t *testing.T) {
	f := newFakeCheckout()
	lost := fmt.Errorf("%w: %w", pos.ErrPrecreateUnknown, errors.New("timeout"))
	f.StartFn = func(int64, string) (pos.Sale, error) { return pos.Sale{}, lost }
	m := drive(t, ready(t, f), append(typed("5"), press("enter"))...)
	if m.state != stateEntry || !m.reconciling {
		t.Fatalf("state %d, retrying %v; want the entry screen and the background retry", m.state, m.reconciling)
	}
	m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	s := screen(m)
	if !strings.Contains(strings.Join(strings.Fields(s), " "), words.English.Explain(lost)) {
		t.Errorf("the cashier is not told all that happened:\n%s", s)
	}
	for _, line := range strings.Split(s, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("a line %d cells wide on an 80-column screen: %q", w, line)
		}
	}
	f.StartFn = func(int64, string) (pos.Sale, error) { return pos.Sale{}, errors.New("refused") }
	m = ready(t, f)
	if m = drive(t, m, append(typed("5"), press("enter"))...); m.reconciling {
		t.Error("a sale that failed for sure started background retries")
	}
}

// TestBackgroundBannerSaysWhatKeptTheSaleUnknown: not "Alipay cannot be
// reached" whatever the cause.
func TestBackgroundBannerSaysWhatKeptTheSaleUnknown(t *testing.T) {
	f := newFakeCheckout()
	cause := errors.New("alipay: signature does not verify")
	unknown := pos.Outcome{Status: pos.StatusUnknown, Cause: cause}
	m := drive(t, New(f, Options{Location: time.UTC, After: f.after}), recoveredMsg{outcomes: []pos.Outcome{unknown}})
	want := words.English.Explain(cause)
	if s := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(s, "1 still unknown, retried in the background. Last answer: "+want) ||
		strings.Contains(s, "cannot be reached") {
		t.Errorf("recovery banner:\n%s", s)
	}
	f.ReconcileFn = func() ([]pos.Outcome, int, error) { return []pos.Outcome{unknown}, 1, nil }
	m = drive(t, m, reconcileDueMsg{})
	if s := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(s, "1 sale or refund waits for Alipay's answer. Last answer: "+want) ||
		strings.Contains(s, "cannot be reached") || !m.reconciling {
		t.Errorf("background banner (retrying %v):\n%s", m.reconciling, s)
	}
	late := pos.Outcome{Status: pos.StatusRefunded, LateRefund: true, OutTradeNo: "KT1_LOST", AmountFen: 550}
	f.ReconcileFn = func() ([]pos.Outcome, int, error) { return []pos.Outcome{late}, 0, nil }
	m = drive(t, m, reconcileDueMsg{})
	if s := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(s, "1 refunded") ||
		!strings.Contains(s, "Refunded because the customer had been told nothing was charged: ¥5.50 (KT1_LOST)") {
		t.Errorf("a late payment's refund is not named:\n%s", s)
	}
}

// TestNotificationForAnotherSaleSettlesItInTheBackground: a notification
// that left a sale open (not the one on screen) starts the background
// retry, which refunds or settles it.
func TestNotificationForAnotherSaleSettlesItInTheBackground(t *testing.T) {
	f := newFakeCheckout()
	f.notified = make(chan pos.Notice, 1)
	m := ready(t, f)
	close(f.notified) // the listener the handler starts again ends at once
	m = drive(t, m, notifiedMsg{notice: pos.Notice{OutTradeNo: "KT1_EARLIER", Paid: true, Receipt: pos.Receipt{ReceiptNo: 9}}, ch: f.notified})
	if !m.reconciling || f.called("poll") != 0 {
		t.Errorf("retrying %v, polls %d", m.reconciling, f.called("poll"))
	}
}
