package pos

import (
	"context"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/store"
)

var _ Gateway = (*fakeGateway)(nil)

// fakeGateway answers with function fields and counts the calls.
type fakeGateway struct {
	mu          sync.Mutex
	PrecreateFn func(*alipay.PrecreateRequest) (*alipay.PrecreateResponse, error)
	QueryFn     func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
	CancelFn    func(*alipay.CancelRequest) (*alipay.CancelResponse, error)
	PayFn       func(*alipay.PayRequest) (*alipay.PayResponse, error)
	calls       []string
	// timeLeft is, per method, the time the last call's context had left
	// when it arrived (0 without a deadline).
	timeLeft map[string]time.Duration
}

func (g *fakeGateway) called(ctx context.Context, method string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls = append(g.calls, method)
	if g.timeLeft == nil {
		g.timeLeft = map[string]time.Duration{}
	}
	g.timeLeft[method] = 0
	if dl, ok := ctx.Deadline(); ok {
		g.timeLeft[method] = time.Until(dl)
	}
}

func (g *fakeGateway) Precreate(ctx context.Context, r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
	g.called(ctx, "precreate")
	if g.PrecreateFn == nil {
		return &alipay.PrecreateResponse{OutTradeNo: r.OutTradeNo, QRCode: "https://qr.alipay.com/bax" + r.OutTradeNo}, nil
	}
	return g.PrecreateFn(r)
}

func (g *fakeGateway) Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
	g.called(ctx, "query")
	return g.QueryFn(r)
}

func (g *fakeGateway) Cancel(ctx context.Context, r *alipay.CancelRequest) (*alipay.CancelResponse, error) {
	g.called(ctx, "cancel")
	return g.CancelFn(r)
}

// Pay charges every code at once unless PayFn says otherwise.
func (g *fakeGateway) Pay(ctx context.Context, r *alipay.PayRequest) (*alipay.PayResponse, error) {
	g.called(ctx, "pay")
	if g.PayFn == nil {
		return paidCharge(r)
	}
	return g.PayFn(r)
}

func (g *fakeGateway) count(method string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, c := range g.calls {
		if c == method {
			n++
		}
	}
	return n
}

// fakeClock stands still until Sleep advances it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, shanghai)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func notExist() error {
	return &alipay.Error{Method: "alipay.trade.query", Code: "40004", Msg: "Business Failed", SubCode: "ACQ.TRADE_NOT_EXIST", SubMsg: "交易不存在"}
}

func systemError() error {
	return &alipay.Error{Method: "alipay.trade.cancel", Code: "40004", Msg: "Business Failed", SubCode: "ACQ.SYSTEM_ERROR", SubMsg: "系统错误"}
}

func status(s alipay.TradeStatus, fen int64) func(*alipay.QueryRequest) (*alipay.QueryResponse, error) {
	return func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) {
		return &alipay.QueryResponse{
			OutTradeNo: r.OutTradeNo, TradeNo: "2026112222001400001234567890",
			TradeStatus: s, TotalFen: fen, BuyerLogonID: "159******88",
			SendPayDate: time.Date(2026, 11, 22, 10, 0, 30, 0, shanghai),
		}, nil
	}
}

type fixture struct {
	reg    *Register
	gw     *fakeGateway
	ledger *store.Store
	clock  *fakeClock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ledger, err := store.Open(t.TempDir(), store.Options{Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ledger.Close() })
	f := &fixture{gw: &fakeGateway{}, ledger: ledger, clock: newFakeClock()}
	f.reg, err = New(Config{TerminalID: "T-01", Subject: "Test shop"}, f.gw, ledger, WithClock(f.clock))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) start(t *testing.T, fen int64) Sale {
	t.Helper()
	sale, err := f.reg.Start(context.Background(), fen, "")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return sale
}

func (f *fixture) status(t *testing.T, outTradeNo string) store.Status {
	t.Helper()
	s, err := f.ledger.Get(outTradeNo)
	if err != nil {
		t.Fatalf("ledger Get %s: %v", outTradeNo, err)
	}
	return s.Status
}
