package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// step is input for the program and what the screen shows once it has
// been handled; a step waits for the screen before the next is sent, since
// what a key does depends on the answers of the ledger before it.
type step struct {
	want  string
	input []tea.Msg
}

// runSteps runs the real program on a 100×32 terminal through steps, then
// quits and returns the final model.
func runSteps(t *testing.T, f *fakeCheckout, steps ...step) Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(f, Options{ShopName: "Corner Shop", Location: time.UTC}),
		teatest.WithInitialTermSize(100, 32),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), contains(s), teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	wait("Amount (yuan)")
	for _, s := range steps {
		for _, msg := range s.input {
			tm.Send(msg)
		}
		wait(s.want)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

var (
	openLedgerStep = step{"Sale 5 of 5", mkeys("ctrl+l")}
	openDetailStep = step{"History", mkeys("home", "down", "enter")}
)

func TestGoldenLedger(t *testing.T) {
	requireGolden(t, runSteps(t, managerCheckout(), openLedgerStep))
}

func TestGoldenDetail(t *testing.T) {
	requireGolden(t, runSteps(t, managerCheckout(), openLedgerStep, openDetailStep))
}

func TestGoldenRefundPrompt(t *testing.T) {
	m := runSteps(t, managerCheckout(), openLedgerStep, openDetailStep,
		step{"Amount to refund", mkeys("r")},
		step{"At most ¥7.00", append(amount("8"), mkey("enter"))})
	requireGolden(t, m)
}

func TestGoldenPINPrompt(t *testing.T) {
	m := runSteps(t, managerCheckout(), openLedgerStep, openDetailStep,
		step{"Amount to refund", mkeys("r")},
		step{"Manager PIN", append(amount("3"), mkey("enter"))},
		step{"••••", typed("2468")})
	requireGolden(t, m)
}

func TestGoldenXReport(t *testing.T) {
	requireGolden(t, runSteps(t, managerCheckout(), openLedgerStep, step{"BY HOUR", mkeys("x")}))
}
