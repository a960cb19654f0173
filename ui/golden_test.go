package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/internal/english"
	"kiosk/internal/qrscan"
	"kiosk/pos"
	"kiosk/ui/words"
)

// runProgram starts the real Bubble Tea loop on a 100×32 terminal, waits
// until the output shows want, then quits and returns the final model.
func runProgram(t *testing.T, f *fakeCheckout, want string, input ...tea.Msg) Model {
	t.Helper()
	return runProgramSized(t, f, 100, 32, want, input...)
}

// runProgramSized is runProgram on a terminal of w×h.
func runProgramSized(t *testing.T, f *fakeCheckout, w, h int, want string, input ...tea.Msg) Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(f, Options{ShopName: "Corner Shop", Location: time.UTC}),
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), contains("Amount (yuan)"), teatest.WithDuration(5*time.Second))
	for _, msg := range input {
		tm.Send(msg)
	}
	if want != "" {
		teatest.WaitFor(t, tm.Output(), contains(want), teatest.WithDuration(5*time.Second))
	}
	// Quit travels behind the input on the same queue, so the final model
	// has seen every key.
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

// contains matches s in the output stream. The renderer sends only the
// cells that changed and moves the cursor over the rest, so the stream is
// compared without escape codes and without white space.
func contains(s string) func([]byte) bool {
	want := strings.Join(strings.Fields(s), "")
	return func(b []byte) bool {
		return strings.Contains(strings.Join(strings.Fields(ansi.Strip(string(b))), ""), want)
	}
}

func typedKeys(s string) []tea.Msg { return append(typed(s), press("enter")) }

// requireGolden compares the plain text of the final view with
// testdata/<Test>.golden; refresh with go test ./ui -update.
func requireGolden(t *testing.T, m Model) {
	t.Helper()
	teatest.RequireEqualOutput(t, []byte(ansi.Strip(m.View().Content)))
}

func TestGoldenSaleScreen(t *testing.T) {
	m := runProgram(t, newFakeCheckout(), "", typed("12.34")...)
	requireGolden(t, m)
}

func TestGoldenSaleScreenError(t *testing.T) {
	m := runProgram(t, newFakeCheckout(), "at most two decimals", typedKeys("1.234")...)
	requireGolden(t, m)
}

func TestGoldenQRScreen(t *testing.T) {
	m := runProgram(t, newFakeCheckout(), "Scan with Alipay", typedKeys("12.34")...)
	requireGolden(t, m)
}

func TestGoldenReceiptScreen(t *testing.T) {
	f := newFakeCheckout()
	f.cfg.PollInterval = 10 * time.Millisecond
	f.PollFn = func(s pos.Sale) (pos.PollResult, error) {
		return pos.PollResult{Progress: pos.Paid, Receipt: pos.Receipt{
			ReceiptNo: 7, OutTradeNo: s.OutTradeNo, TradeNo: "2026112222001400001234567890", Buyer: "159******88",
			AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: testTime.Add(42 * time.Second),
		}}, nil
	}
	m := runProgram(t, f, "PAID", typedKeys("12.34")...)
	requireGolden(t, m)
}

// In a window too small for the code, the amount, the countdown and the
// state come first, then how large the window must be.
func TestGoldenQRScreenTooSmall(t *testing.T) {
	requireGolden(t, runProgramSized(t, newFakeCheckout(), 40, 12, "too small", typedKeys("12.34")...))
}

// Once the cancel starts the code is gone: only the amount and the state.
func TestGoldenCancelling(t *testing.T) {
	f := newFakeCheckout()
	answer := make(chan struct{})
	defer close(answer) // Alipay answers once the screen has been seen
	f.CancelFn = func(pos.Sale, pos.Reason) (pos.Outcome, error) {
		<-answer
		return pos.Outcome{Status: pos.StatusCancelled}, nil
	}
	m := runSteps(t, f, step{"Scan with Alipay", typedKeys("12.34")}, step{"Cancel this sale?", []tea.Msg{press("esc")}},
		step{"Cancelling the sale", []tea.Msg{press("y")}})
	requireGolden(t, m)
}

// On the emulator at 80×24 the customer page's address stands whole on
// its own line under the code.
func TestGoldenQRScreenEmulator(t *testing.T) {
	f := newFakeCheckout()
	f.simulate = true
	requireGolden(t, runProgramSized(t, f, 80, 24, "Customer page", typedKeys("12.34")...))
}

func TestRenderedQRDecodesToQRCode(t *testing.T) {
	f := newFakeCheckout()
	m := runProgram(t, f, "Scan with Alipay", typedKeys("12.34")...)
	got, err := qrscan.Decode(screen(m))
	if err != nil {
		t.Fatalf("%v\n%s", err, screen(m))
	}
	if want := testSale(0, "").QRCode; got != want {
		t.Errorf("decoded %q, want the sale's qr_code %q", got, want)
	}
}

func TestRenderQRRefusesBadPayloads(t *testing.T) {
	for _, payload := range []string{"", strings.Repeat("x", maxQRPayload+1)} {
		if _, err := renderQR(payload); err == nil {
			t.Errorf("renderQR accepted a %d-byte payload", len(payload))
		}
	}
	// The largest payload we accept must encode without the library panicking.
	if _, err := renderQR(strings.Repeat("x", maxQRPayload)); err != nil {
		t.Errorf("renderQR(%d bytes): %v", maxQRPayload, err)
	}
}

// TestAnUndrawableQRCodeIsSaidFromItsFacts: a code the encoder refuses is
// said with its text's length, in the language, never the encoder's
// English.
func TestAnUndrawableQRCodeIsSaidFromItsFacts(t *testing.T) {
	m := Model{say: words.Chinese}
	m.sale.sale.QRCode = strings.Repeat("x", 300)
	m.sale.qrErr = fmt.Errorf("encode QR code: %w", errors.New("text too long to encode"))
	got := m.qrProblem()
	if want := words.Chinese.Sale.QRUndrawable.F(300); got != want {
		t.Errorf("qrProblem = %q; want %q", got, want)
	}
	if en := english.Words(got); len(en) > 0 {
		t.Errorf("English %q in %q", en, got)
	}
}
