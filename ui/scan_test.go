package ui

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/pos"
)

// switchPay is the key that switches the way to pay.
var switchPay = tea.KeyPressMsg{Code: 'p', Mod: tea.ModCtrl}

// goodCode is a payment code of Alipay's shape.
const goodCode = "281234567890123456"

// byCode is a fake whose cashier chose the customer's payment code last.
func byCode(f *fakeCheckout) { f.method = pos.PayByCode }

// refusedAs makes ScanPay refuse every code as Alipay refuses an expired one.
func refusedAs(subCode, subMsg string) func(int64, string, string) (pos.Charge, error) {
	return func(fen int64, _, _ string) (pos.Charge, error) {
		return pos.Charge{}, &pos.PaymentRefusedError{Reason: pos.RefusedCodeInvalid, Code: "40004", Msg: "Business Failed",
			SubCode: subCode, SubMsg: subMsg, OutTradeNo: "KT1_REFUSED", AmountFen: fen}
	}
}

// waitingToConfirm makes ScanPay answer that the customer must confirm.
func waitingToConfirm(fen int64, subject, _ string) (pos.Charge, error) {
	s := testSale(fen, subject)
	s.QRCode, s.Method = "", pos.PayByCode
	return pos.Charge{Stage: pos.ChargeWaiting, Sale: s}, nil
}

// toScan brings up the scan screen for ¥12.34.
var toScan = startSale

// TestSwitchingTheWayToPayIsRemembered: one key switches the way to pay;
// the choice is handed to pos to keep, and a kiosk started again offers the
// way chosen last: Enter after the amount then opens the scan screen, and
// nothing is sent until a code is scanned.
func TestSwitchingTheWayToPayIsRemembered(t *testing.T) {
	f := newFakeCheckout()
	m := ready(t, f)
	if !strings.Contains(screen(m), "our QR code") || !strings.Contains(screen(m), "ctrl+p") {
		t.Fatalf("the sale screen does not say the way to pay and its key:\n%s", screen(m))
	}
	m = drive(t, m, switchPay)
	if f.PayMethodChoice() != pos.PayByCode || !strings.Contains(screen(m), "their payment code") {
		t.Fatalf("after ctrl+p: chosen %q\n%s", f.PayMethodChoice(), screen(m))
	}
	again := ready(t, f) // the kiosk started again on the same choice
	again = drive(t, again, toScan...)
	if again.state != stateScanning || f.called("scanpay") != 0 || f.called("start") != 0 {
		t.Fatalf("state %d, scanpay %d, start %d", again.state, f.called("scanpay"), f.called("start"))
	}
	if !strings.Contains(screen(again), "Scan the customer's payment code") {
		t.Errorf("scan screen:\n%s", screen(again))
	}
	m = drive(t, m, switchPay)
	if f.PayMethodChoice() != pos.PayByQR {
		t.Errorf("switching back: chosen %q", f.PayMethodChoice())
	}
}

// TestAChoiceNotKeptIsSaid: when the ledger cannot keep the choice, the
// sale screen says why, and the choice holds all the same.
func TestAChoiceNotKeptIsSaid(t *testing.T) {
	f := newFakeCheckout()
	f.chooseErr = fmt.Errorf("%w: disk gone", pos.ErrLedger)
	m := drive(t, ready(t, f), switchPay)
	if !strings.Contains(screen(m), "The ledger could not be read or written") || m.method != pos.PayByCode {
		t.Errorf("method %q\n%s", m.method, screen(m))
	}
}

// TestNotAPaymentCodeIsRefusedAtOnce: a scan that is not 16–24 digits
// beginning 25–30 is refused in plain words on the scan screen, and
// nothing is written or sent; the field is cleared for the next scan.
func TestNotAPaymentCodeIsRefusedAtOnce(t *testing.T) {
	tests := map[string]string{
		"1234567890123456":      "those begin with 25 to 30",
		"2812345":               "it has 7 digits, and a payment code has 16 to 24",
		"28123456789012345678x": "digits only",
		"":                      "Nothing was scanned",
	}
	for code, want := range tests {
		t.Run(code, func(t *testing.T) {
			f := newFakeCheckout()
			byCode(f)
			m := drive(t, ready(t, f), seq(toScan, typed(code), msgs(press("enter")))...)
			if m.state != stateScanning || !strings.Contains(screen(m), want) {
				t.Errorf("state %d, want the scan screen saying %q:\n%s", m.state, want, screen(m))
			}
			if f.called("scanpay") != 0 {
				t.Errorf("ScanPay was called %d times", f.called("scanpay"))
			}
			if m.scan.code.Value() != "" {
				t.Errorf("the field still holds %q", m.scan.code.Value())
			}
		})
	}
}

// TestScannedCodeIsCharged: the code the scanner types (blanks and all)
// is charged for the amount; paid is the receipt.
func TestScannedCodeIsCharged(t *testing.T) {
	f := newFakeCheckout()
	byCode(f)
	m := drive(t, ready(t, f), seq(toScan, typed(goodCode), msgs(press("enter")))...)
	if m.state != stateReceipt || m.receipt.AmountFen != 1234 || m.receipt.ReceiptNo != 7 {
		t.Fatalf("state %d receipt %+v\n%s", m.state, m.receipt, screen(m))
	}
	if got := f.codesScanned(); !slices.Equal(got, []string{goodCode}) {
		t.Errorf("ScanPay got %q", got)
	}
}

// TestRefusedCodeThenScanAgain: Alipay's refusal (40004) is said in plain
// words on the scan screen, and the cashier scans again at once: a second
// charge, which pos makes a new sale.
func TestRefusedCodeThenScanAgain(t *testing.T) {
	tests := []struct{ subCode, subMsg, want string }{
		{"ACQ.PAYMENT_AUTH_CODE_INVALID", "付款码已过期", "the payment code has expired or was used already"},
		{"ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足", "the customer's balance is too low"},
		{"ACQ.PAYMENT_REQUEST_HAS_RISK", "支付存在风险", "risk control refused the payment"},
		{"ACQ.BUYER_ENABLE_STATUS_FORBID", "买家状态非法", "买家状态非法"},
	}
	for _, tt := range tests {
		t.Run(tt.subCode, func(t *testing.T) {
			f := newFakeCheckout()
			byCode(f)
			paid := f.ScanPayFn
			f.ScanPayFn = refusedAs(tt.subCode, tt.subMsg)
			m := drive(t, ready(t, f), seq(toScan, typed(goodCode), msgs(press("enter")))...)
			if m.state != stateScanning || !strings.Contains(screen(m), tt.want) {
				t.Fatalf("state %d, want the scan screen saying %q:\n%s", m.state, tt.want, screen(m))
			}
			f.ScanPayFn = paid
			m = drive(t, m, seq(typed("289999999999999999"), msgs(press("enter")))...)
			if m.state != stateReceipt || f.called("scanpay") != 2 {
				t.Errorf("scanning again: state %d, %d charges\n%s", m.state, f.called("scanpay"), screen(m))
			}
		})
	}
}

// TestConfirmOnThePhone: 10003 is the wait for the customer to confirm,
// with the countdown, polled as a QR sale; the confirmation is the receipt.
func TestConfirmOnThePhone(t *testing.T) {
	f := newFakeCheckout()
	byCode(f)
	f.ScanPayFn = waitingToConfirm
	m := drive(t, ready(t, f), seq(toScan, typed(goodCode), msgs(press("enter")))...)
	s := screen(m)
	if m.state != stateWaiting || !strings.Contains(s, "Waiting for the customer to confirm on their phone") || !strings.Contains(s, "Time left 2:00") {
		t.Fatalf("state %d\n%s", m.state, s)
	}
	if strings.Contains(s, "██ ▄▄▄▄▄ █") {
		t.Errorf("a QR code on the confirmation screen:\n%s", s)
	}
	paidNow(f)
	m, fired := fire(t, f, m)
	if fired["ui.pollDueMsg"] != 1 || m.state != stateReceipt {
		t.Errorf("fired %v, state %d", fired, m.state)
	}
}

// TestConfirmTimesOut: when the countdown ends, the charge is cancelled as
// a QR sale is (pos queries once more, then cancels), and the outcome says
// so.
func TestConfirmTimesOut(t *testing.T) {
	f := newFakeCheckout()
	byCode(f)
	f.ScanPayFn = waitingToConfirm
	var reason pos.Reason
	f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
		reason = r
		return pos.Outcome{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}}, nil
	}
	m := drive(t, ready(t, f), seq(toScan, typed(goodCode), msgs(press("enter")))...)
	f.advance(121 * time.Second)
	m, _ = fire(t, f, m)
	if f.called("cancel") != 1 || reason != pos.ReasonTimeout || m.state != stateOutcome {
		t.Fatalf("cancel %d (%q), state %d\n%s", f.called("cancel"), reason, m.state, screen(m))
	}
	if s := screen(m); !strings.Contains(s, "Sale cancelled") || !strings.Contains(s, "The time to pay ran out") {
		t.Errorf("outcome:\n%s", s)
	}
}

// TestLostChargeOutcome: a charge whose answer was lost, which pos
// queried and cancelled, shows its outcome; one left unknown starts the
// background retry.
func TestLostChargeOutcome(t *testing.T) {
	f := newFakeCheckout()
	byCode(f)
	f.ScanPayFn = func(fen int64, subject, _ string) (pos.Charge, error) {
		s := testSale(fen, subject)
		return pos.Charge{Stage: pos.ChargeSettled, Sale: s, Outcome: pos.Outcome{Status: pos.StatusUnknown,
			Note: pos.Note{Code: pos.NoteChargeUnconfirmed, Cause: pos.Problem{Kind: pos.KindTimeout}}}}, nil
	}
	m := drive(t, ready(t, f), seq(toScan, typed(goodCode), msgs(press("enter")))...)
	if m.state != stateOutcome || !m.reconciling || !strings.Contains(screen(m), "Alipay's answer to the payment was lost") {
		t.Errorf("state %d, reconciling %v\n%s", m.state, m.reconciling, screen(m))
	}
}

// TestEmulatorKeysShowBuyerCodes: on the emulator, a key on the scan
// screen has the customer show a code of its kind, which is charged as if
// scanned; on a real gateway the key is only typed.
func TestEmulatorKeysShowBuyerCodes(t *testing.T) {
	keys := map[string]pos.BuyerCodeKind{"p": pos.BuyerCodePay, "c": pos.BuyerCodeConfirm, "e": pos.BuyerCodeExpired, "i": pos.BuyerCodeInsufficient}
	for k, kind := range keys {
		t.Run(string(kind), func(t *testing.T) {
			f := newFakeCheckout()
			byCode(f)
			f.simulate = true
			m := drive(t, ready(t, f), seq(toScan, mkeys(k))...)
			if got := f.codesScanned(); !slices.Equal(got, []string{buyerCodes[kind]}) {
				t.Errorf("key %s charged %q, want the %s code", k, got, kind)
			}
			if m.state != stateReceipt {
				t.Errorf("state %d", m.state)
			}
		})
	}
	f := newFakeCheckout()
	byCode(f)
	m := drive(t, ready(t, f), seq(toScan, mkeys("p"))...)
	if f.called("buyercode") != 0 || m.scan.code.Value() != "p" {
		t.Errorf("on a real gateway: %d codes shown, field %q", f.called("buyercode"), m.scan.code.Value())
	}
}

// TestEscBackToTheAmount: Esc on the scan screen goes back to the amount,
// which is kept.
func TestEscBackToTheAmount(t *testing.T) {
	f := newFakeCheckout()
	byCode(f)
	m := drive(t, ready(t, f), seq(toScan, mkeys("esc"))...)
	if m.state != stateEntry || m.entry.amount.Value() != "12.34" {
		t.Errorf("state %d, amount %q", m.state, m.entry.amount.Value())
	}
}

// keyClock is Options.Clock for a test that says when each key comes: one
// time per call, in order; the last again once they run out.
type keyClock struct {
	mu    sync.Mutex
	times []time.Time
}

func (c *keyClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.times[0]
	if len(c.times) > 1 {
		c.times = c.times[1:]
	}
	return t
}

// typing is keys with the gap between each: the times the clock gives
// them, the first a person's pause (humanGap) after those already in it.
func (c *keyClock) typing(gap time.Duration, keys []tea.Msg) []tea.Msg {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := testTime
	if n := len(c.times); n > 0 {
		last = c.times[n-1]
	}
	for i := range keys {
		if i == 0 {
			last = last.Add(humanGap)
		} else {
			last = last.Add(gap)
		}
		c.times = append(c.times, last)
	}
	return keys
}

const (
	humanGap   = 180 * time.Millisecond
	scannerGap = 4 * time.Millisecond
)

// runTimedKeys runs the real program, the keys timed by clock, until the
// output shows want.
func runTimedKeys(t *testing.T, f *fakeCheckout, clock *keyClock, want string, input []tea.Msg) Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(f, Options{ShopName: "Corner Shop", Location: time.UTC, Clock: clock.now}),
		teatest.WithInitialTermSize(100, 32),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), contains("Amount (yuan)"), teatest.WithDuration(5*time.Second))
	for _, msg := range input {
		tm.Send(msg)
	}
	teatest.WaitFor(t, tm.Output(), contains(want), teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

// TestScannerBurstOnTheSaleScreen: the amount typed by hand, then a
// scanner's burst (digits and Enter a few milliseconds apart) on the sale
// screen: the burst is a scan, charged for the amount, though the way
// chosen is our QR code, and its digits do not stay in the amount.
func TestScannerBurstOnTheSaleScreen(t *testing.T) {
	f := newFakeCheckout()
	clock := &keyClock{}
	input := seq(clock.typing(humanGap, typed("12.34")), clock.typing(scannerGap, typedKeys(goodCode)))
	m := runTimedKeys(t, f, clock, "PAID", input)
	if got := f.codesScanned(); !slices.Equal(got, []string{goodCode}) || f.called("start") != 0 {
		t.Errorf("charged %q, %d QR sales started", got, f.called("start"))
	}
	if m.receipt.AmountFen != 1234 || m.entry.amount.Value() != "12.34" {
		t.Errorf("receipt of %d fen, amount field %q", m.receipt.AmountFen, m.entry.amount.Value())
	}
}

// TestHumanTypingIsNoScan: the same digits typed at a person's speed are
// the amount, refused as one, and nothing is charged; an amount typed by
// hand and Enter start the QR sale chosen.
func TestHumanTypingIsNoScan(t *testing.T) {
	f := newFakeCheckout()
	clock := &keyClock{}
	input := seq(clock.typing(humanGap, typed("12.34")), clock.typing(humanGap, typedKeys(goodCode)))
	m := runTimedKeys(t, f, clock, "That amount is far too long", input)
	if f.called("scanpay") != 0 || m.state != stateEntry {
		t.Errorf("typing by hand: %d charges, state %d", f.called("scanpay"), m.state)
	}

	f = newFakeCheckout()
	clock = &keyClock{}
	runTimedKeys(t, f, clock, "Scan with Alipay", clock.typing(humanGap, typedKeys("12.34")))
	if f.called("start") != 1 || f.called("scanpay") != 0 {
		t.Errorf("an amount by hand: %d QR sales, %d charges", f.called("start"), f.called("scanpay"))
	}
}

// TestBurstRules: the rules that tell a scan, key by key.
func TestBurstRules(t *testing.T) {
	at := func(ms int) time.Time { return testTime.Add(time.Duration(ms) * time.Millisecond) }
	var b burst
	for i, r := range "12" {
		b = b.key(press(string(r)), at(i*200), "x")
	}
	if _, _, ok := b.scanned(at(600)); ok {
		t.Error("two digits are a scan")
	}
	b = burst{}
	for i, r := range goodCode {
		b = b.key(press(string(r)), at(1000+i*10), "12.34")
	}
	last := 1000 + (len(goodCode)-1)*10
	if code, field, ok := b.scanned(at(last + 10)); !ok || code != goodCode || field != "12.34" {
		t.Errorf("a burst: %q %q %v", code, field, ok)
	}
	if _, _, ok := b.scanned(at(last + 500)); ok {
		t.Error("Enter long after the burst is a scan")
	}
	if b = b.key(press("."), at(last+5), ""); len(b.digits) != 0 {
		t.Error("a dot does not end the run")
	}
}
