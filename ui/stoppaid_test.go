package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/pos"
	"kiosk/ui/words"
)

// deadlinePrinter records each job and its deadline; with hang it answers
// only when the job's context ends, as a printer that hangs does.
type deadlinePrinter struct {
	hang      bool
	mu        sync.Mutex
	jobs      [][]byte
	deadlines []time.Time
}

func (p *deadlinePrinter) Print(ctx context.Context, job []byte) error {
	p.mu.Lock()
	d, _ := ctx.Deadline()
	p.jobs, p.deadlines = append(p.jobs, job), append(p.deadlines, d)
	p.mu.Unlock()
	if p.hang {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// TestAStopThatFindsTheSalePaidPrintsTheReceipt: SIGTERM during a sale
// whose cancel finds it paid: the customer paid, so the receipt is
// printed before the kiosk quits, and the job has until the stop's
// deadline, so that a printer that hangs does not hold the stop. Without
// a printer the kiosk quits at once, as before. Either way, once the
// screen has closed, the command line says the sale was paid and where
// its receipt is.
func TestAStopThatFindsTheSalePaidPrintsTheReceipt(t *testing.T) {
	for name, pr := range map[string]*deadlinePrinter{"printer": {}, "printer that hangs": {hang: true}, "no printer": nil} {
		t.Run(name, func(t *testing.T) {
			f := newFakeCheckout()
			f.CancelFn = func(s pos.Sale, _ pos.Reason) (pos.Outcome, error) {
				return paidOutcome(3, s.OutTradeNo), nil
			}
			opts := Options{ShopName: "Corner Shop", Location: shanghai, After: f.after, Words: words.English}
			if pr != nil {
				opts.Printer = pr
			}
			m := drive(t, New(f, opts), tea.WindowSizeMsg{Width: 100, Height: 32}, recoveredMsg{})
			m = drive(t, m, append(typed("12.34"), press("enter"))...)
			var before strings.Builder
			if sayAfterwards(&before, openingModel{model: m}); before.Len() != 0 {
				t.Fatalf("with the sale still open the kiosk would say %q", before.String())
			}
			stop := StopMsg{Reason: pos.StoppedBy("SIGTERM"), Deadline: time.Now().Add(StopCancelTime)}
			if pr != nil && pr.hang {
				stop.Deadline = time.Now() // passed already: the hanging job ends at once
			}

			m, quit := driveQuit(t, m, stop)
			if !quit || m.state != stateReceipt {
				t.Fatalf("after the stop: state %d, quit %v; want the receipt, then quit", m.state, quit)
			}
			// The screen goes with the process: the command line says it.
			var said strings.Builder
			sayAfterwards(&said, openingModel{model: m})
			if want := "kiosk: the sale on screen was paid as the kiosk stopped: receipt No. 0003 is in the ledger"; !strings.HasPrefix(said.String(), want) {
				t.Errorf("after the screen closed the kiosk said %q; want %q…", said.String(), want)
			}
			if pr == nil {
				return
			}
			if len(pr.jobs) < 1 || !strings.Contains(printedText(pr.jobs)[0], "0003") {
				t.Fatalf("printed %q; want the receipt 0003", printedText(pr.jobs))
			}
			if !pr.deadlines[0].Equal(stop.Deadline) {
				t.Errorf("the job had until %v; want the stop's deadline %v", pr.deadlines[0], stop.Deadline)
			}
		})
	}
}
