package ui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"kiosk/internal/qrscan"
	"kiosk/pos"
	"kiosk/ui/words"
)

// The code scans with colour and without (NO_COLOR), on a dark and on a
// light background: a phone reads dark modules on a light quiet zone only.
// With colour the kiosk paints it white on black; without, a glyph takes
// the terminal's foreground, so the kiosk draws the light parts on a dark
// background and the dark modules on a light one.
func TestQRScansWithAndWithoutColourOnAnyBackground(t *testing.T) {
	black, white := tea.BackgroundColorMsg{Color: color.Black}, tea.BackgroundColorMsg{Color: color.White}
	for _, tt := range []struct {
		name    string
		profile colorprofile.Profile
		bg      tea.BackgroundColorMsg
		// darkGlyphs: the glyphs show dark, as without colour on a light
		// background; else light, as on a dark one or in the kiosk's colours.
		darkGlyphs bool
	}{
		{"colour, dark background", colorprofile.TrueColor, black, false},
		{"colour, light background", colorprofile.TrueColor, white, false},
		{"NO_COLOR, dark background", colorprofile.ASCII, black, false},
		{"NO_COLOR, light background", colorprofile.ASCII, white, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCheckout()
			m := drive(t, ready(t, f), tea.ColorProfileMsg{Profile: tt.profile}, tt.bg)
			m = drive(t, m, typedKeys("12.34")...)
			s := screen(m)
			read, other := qrscan.Decode, qrscan.DecodeDark
			if tt.darkGlyphs {
				read, other = qrscan.DecodeDark, qrscan.Decode
			}
			if got, err := read(s); err != nil || got != testSale(0, "").QRCode {
				t.Fatalf("the phone reads %q, %v:\n%s", got, err, s)
			}
			if got, err := other(s); err == nil {
				t.Errorf("the code also reads inverted (%q): it is drawn the wrong way round for this terminal", got)
			}
			if tt.profile == colorprofile.TrueColor {
				// The light parts are glyphs, so the colours must be the
				// kiosk's own, white on black, whatever the terminal's theme.
				raw := m.View().Content
				if !strings.Contains(raw, "38;2;255;255;255") || !strings.Contains(raw, "48;2;0;0;0") {
					t.Errorf("with colour the code is not painted white on black explicitly")
				}
			}
		})
	}
}

// The countdown, the amount and the state are on screen in every window,
// even one too small for the code.
func TestCountdownAmountAndStateInEveryWindow(t *testing.T) {
	for _, size := range [][2]int{{140, 60}, {100, 30}, {80, 24}, {60, 20}, {40, 12}, {30, 8}} {
		f := newFakeCheckout()
		m := drive(t, ready(t, f), typedKeys("12.34")...)
		m = drive(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(screen(m), "\n")
		if len(lines) > size[1] {
			lines = lines[:size[1]] // what the window shows
		}
		shown := strings.Join(lines, "\n")
		s := strings.Join(strings.Fields(shown), " ")
		for _, want := range []string{"Time left 2:00", "Waiting for the customer to scan"} {
			if !strings.Contains(s, want) {
				t.Errorf("%d×%d: %q is not in the window:\n%s", size[0], size[1], want, shown)
			}
		}
		if !amountShown(shown, 1234) {
			t.Errorf("%d×%d: the amount is not in the window:\n%s", size[0], size[1], shown)
		}
	}
}

// The moment the cancel starts the code leaves the screen, so that nobody
// scans a sale being cancelled while Alipay is slow to answer.
func TestQRLeavesTheScreenWhenCancellingStarts(t *testing.T) {
	f := newFakeCheckout()
	m := drive(t, ready(t, f), typedKeys("12.34")...)
	m = drive(t, m, press("esc"))
	m2, _ := m.Update(press("y")) // the cancel's command is not run: Alipay has not answered yet
	m = m2.(Model)
	if m.state != stateCancelling {
		t.Fatalf("state %d, want cancelling", m.state)
	}
	s := screen(m)
	if _, err := qrscan.Decode(s); err == nil || strings.Contains(s, "▄▄▄▄▄") {
		t.Errorf("the code is still on screen while the sale is cancelled:\n%s", s)
	}
	if !strings.Contains(s, "Cancelling the sale with Alipay") || !amountShown(s, 1234) {
		t.Errorf("the cancelling screen lacks the amount or the state:\n%s", s)
	}
}

// "Press any key for the next sale": the key is not swallowed, so typing
// the next amount's first digit types it; and nothing of the last
// customer's sale, the subject included, carries over.
func TestNextSaleKeyStartsTheNextAmountAndForgetsTheSubject(t *testing.T) {
	for _, after := range []struct {
		name string
		end  func(*fakeCheckout)
	}{
		{"receipt", func(f *fakeCheckout) {
			f.PollFn = func(s pos.Sale) (pos.PollResult, error) {
				return pos.PollResult{Progress: pos.Paid, Receipt: pos.Receipt{ReceiptNo: 1, OutTradeNo: s.OutTradeNo, AmountFen: s.AmountFen}}, nil
			}
		}},
		{"cancelled", func(*fakeCheckout) {}},
	} {
		t.Run(after.name, func(t *testing.T) {
			f := newFakeCheckout()
			m := drive(t, ready(t, f), typed("12.34")...)
			m = drive(t, m, press("tab"))
			m = drive(t, m, typedKeys("Two teas")...)
			after.end(f)
			if after.name == "receipt" {
				m = drive(t, m, pollDueMsg{id: m.sale.sale.OutTradeNo, chain: m.sale.pollChain})
			} else {
				m = drive(t, m, press("esc"), press("y"))
			}
			if m.state != stateReceipt && m.state != stateOutcome {
				t.Fatalf("state %d, want the sale's end", m.state)
			}
			m = drive(t, m, press("5"))
			if m.state != stateEntry || m.entry.amount.Value() != "5" {
				t.Errorf("after 5: state %d, amount %q; want the entry screen with 5 typed", m.state, m.entry.amount.Value())
			}
			if v := m.entry.subject.Value(); v != "" {
				t.Errorf("the last customer's subject %q carried over to the next sale", v)
			}
			m = drive(t, m, press("enter"))
			if m.sale.amountFen != 500 {
				t.Errorf("the next sale is for %d fen, want 500", m.sale.amountFen)
			}
		})
	}
}

// The recovery banner says what the start found until the next sale
// starts; a background retry's banner stays while it runs.
func TestRecoveryBannerClearsWhenTheNextSaleStarts(t *testing.T) {
	f := newFakeCheckout()
	m := New(f, Options{Location: time.UTC, After: f.after})
	paid := pos.Outcome{Status: pos.StatusPaid, Receipt: pos.Receipt{ReceiptNo: 3, AmountFen: 1234, OutTradeNo: "KT1_X"}}
	m2 := drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{outcomes: []pos.Outcome{paid}})
	if !strings.Contains(flat(m2), "Settled 1 sale left open") {
		t.Fatalf("no banner:\n%s", screen(m2))
	}
	m2 = drive(t, m2, typed("1")...)
	if !strings.Contains(flat(m2), "Settled 1 sale left open") {
		t.Errorf("the banner went before the cashier could read it")
	}
	m2 = drive(t, m2, press("enter"))
	if strings.Contains(flat(m2), "Settled 1 sale left open") {
		t.Errorf("the banner is still up once the next sale started:\n%s", screen(m2))
	}

	unknown := drive(t, New(f, Options{Location: time.UTC, After: f.after}), tea.WindowSizeMsg{Width: 100, Height: 32},
		recoveredMsg{outcomes: []pos.Outcome{{Status: pos.StatusUnknown}}})
	unknown = drive(t, unknown, typedKeys("1")...)
	if !strings.Contains(flat(unknown), "still unknown") {
		t.Errorf("a banner about sales still being retried went with the next sale:\n%s", screen(unknown))
	}
}

// On the emulator the customer page's address stands whole on one line,
// never wrapped, so that it can be copied; at 80×24 too.
func TestCustomerPageAddressIsOneLine(t *testing.T) {
	const long = "http://192.168.100.200:45559/qr/ueIAIrC3WgeO7oF8MbNk6Q"
	for _, size := range [][2]int{{140, 60}, {100, 30}, {80, 24}} {
		f := newFakeCheckout()
		f.simulate = true
		f.StartFn = func(fen int64, subject string) (pos.Sale, error) {
			s := testSale(fen, subject)
			s.QRCode = long
			return s, nil
		}
		m := drive(t, ready(t, f), typedKeys("6.66")...)
		m = drive(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if !strings.Contains(screen(m), long) {
			t.Errorf("%d×%d: the address is not whole on one line:\n%s", size[0], size[1], screen(m))
		}
		if got, err := qrscan.Decode(screen(m)); err != nil || got != long {
			t.Errorf("%d×%d: the code reads %q, %v", size[0], size[1], got, err)
		}
	}
}

// amountShown reports whether screen shows fen, in the block font (with
// or without the space after the sign) or in plain text.
func amountShown(screen string, fen int64) bool {
	y := words.Yuan(fen)
	if strings.Contains(screen, y.String()) {
		return true
	}
	for _, big := range []string{y.Big(), y.String()} {
		if allLinesIn(screen, bigText(big)) {
			return true
		}
	}
	return false
}

func allLinesIn(screen, block string) bool {
	for _, line := range strings.Split(block, "\n") {
		if !strings.Contains(screen, line) {
			return false
		}
	}
	return true
}
