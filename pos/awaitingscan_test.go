package pos

import (
	"context"
	"sync"
	"testing"

	"kiosk/alipay"
)

// scanWatchingGateway is a fakeGateway that remembers, per query, whether
// its context was marked alipay.AwaitingScan.
type scanWatchingGateway struct {
	*fakeGateway
	mu       sync.Mutex
	awaiting []bool
}

func (g *scanWatchingGateway) Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
	g.mu.Lock()
	g.awaiting = append(g.awaiting, alipay.IsAwaitingScan(ctx))
	g.mu.Unlock()
	return g.fakeGateway.Query(ctx, r)
}

// last is whether the last query was marked, and how many there were.
func (g *scanWatchingGateway) last() (bool, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.awaiting) == 0 {
		return false, 0
	}
	return g.awaiting[len(g.awaiting)-1], len(g.awaiting)
}

// TestOnlyTheWaitForTheScanIsMarkedAwaitingScan: the polls of a QR sale
// on screen, and the query before its cancel, are marked
// alipay.AwaitingScan, so the call log says Alipay's "no such trade" to
// them is not_yet; the query of a sale settled at start or in the
// background (one that should exist) and of a payment-code sale are not,
// and the same answer stays a refusal there.
func TestOnlyTheWaitForTheScanIsMarkedAwaitingScan(t *testing.T) {
	f := newFixture(t)
	gw := &scanWatchingGateway{fakeGateway: f.gw}
	reg, err := New(Config{TerminalID: "T-01", Subject: "Test shop"}, gw, f.ledger, WithClock(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	f.gw.QueryFn = func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("close", false)() }
	ctx := context.Background()

	sale, err := reg.Start(ctx, 1234, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Poll(ctx, sale); err != nil {
		t.Fatal(err)
	}
	if marked, n := gw.last(); !marked || n != 1 {
		t.Errorf("the poll of the sale on screen: marked %v (%d queries)", marked, n)
	}
	if _, err := reg.Cancel(ctx, sale, ReasonTimeout); err != nil {
		t.Fatal(err)
	}
	if marked, n := gw.last(); !marked || n != 2 {
		t.Errorf("the query before the countdown's cancel: marked %v (%d queries)", marked, n)
	}

	left, err := reg.Start(ctx, 500, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if marked, n := gw.last(); marked || n != 3 {
		t.Errorf("the query of %s, settled at start: marked %v (%d queries)", left.OutTradeNo, marked, n)
	}

	if _, err := reg.Poll(ctx, Sale{OutTradeNo: left.OutTradeNo, Method: PayByCode}); err != nil {
		t.Fatal(err)
	}
	if marked, _ := gw.last(); marked {
		t.Error("the poll of a payment-code sale is marked")
	}
}
