package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/internal/benchpair"
)

// benchTradeCounts are the sizes of trade table the persistence
// benchmarks start from: a new emulator, a busy day, a fortnight.
var benchTradeCounts = []int{0, 1000, 10000}

// benchStoredTrades makes n paid trades, as a day at a counter leaves them.
func benchStoredTrades(n int) []storedTrade {
	trades := make([]storedTrade, n)
	at := time.Date(2026, 11, 22, 8, 0, 0, 0, alipay.Location())
	for i := range trades {
		b := buyers[i%len(buyers)]
		created := at.Add(time.Duration(i) * 30 * time.Second)
		trades[i] = storedTrade{
			OutTradeNo: fmt.Sprintf("K20261122_%06d", i), TradeNo: fmt.Sprintf("2026112222001%015d", i),
			Subject: "Kiosk sale", BuyerLogonID: maskLogonID(b.logonID), BuyerUserID: b.userID,
			TotalFen: int64(100 + i%10000), Status: StatusTradeSuccess, CreatedAt: created,
			PaidAt: created.Add(20 * time.Second), QRExpiresAt: created.Add(5 * time.Minute),
			Token: fmt.Sprintf("bench-token-%06d", i), StoreID: "S1", TerminalID: "K01",
		}
	}
	return trades
}

// benchEmulator returns an emulator holding n trades: in memory only, or
// kept in a state file (written before, in the format of version 1, and
// loaded by New).
func benchEmulator(b *testing.B, n int, state bool) *Emulator {
	b.Helper()
	cfg := testConfig(b)
	cfg.Now = nil // the real clock: the client signs with it
	trades := benchStoredTrades(n)
	if state {
		cfg.StatePath = filepath.Join(b.TempDir(), "trades.json")
		data, err := json.Marshal(stateFile{Version: 1, Trades: trades})
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(cfg.StatePath, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	if !state {
		e.mu.Lock()
		for i := range trades {
			t := trades[i].restore()
			e.trades.add(t)
			e.trades.byTradeNo[t.TradeNo] = t
		}
		e.mu.Unlock()
	}
	if got := len(e.Trades()); got != n {
		b.Fatalf("%d trades loaded, want %d", got, n)
	}
	return e
}

// precreateMany precreates count trades in e, as the gateway would, and
// returns their out_trade_no.
func precreateMany(b *testing.B, e *Emulator, count int) []string {
	b.Helper()
	nos := make([]string, count)
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range nos {
		nos[i] = "BENCH_" + strconv.Itoa(i)
		biz := &precreateBiz{OutTradeNo: nos[i], Subject: "Bench sale", StoreID: "S1", TerminalID: "K01"}
		e.newTrade(biz, 1234, time.Time{}, "")
	}
	return nos
}

// payNext returns a Side that pays the next of nos in e on each call.
func payNext(name string, e *Emulator, nos []string) benchpair.Side {
	i := 0
	return benchpair.Side{Name: name, Run: func(b *testing.B) {
		if err := e.Pay(nos[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}}
}

// BenchmarkEmulatorPay is the buyer paying a precreated trade (the scan
// and the payment, two changes of the table), in an emulator that already
// holds trades: kept in memory only, or also in a state file (--state).
// The vs-memory runs interleave the two and report state/memory, the
// ratio of their medians; its inverse is the state's share of the
// throughput.
func BenchmarkEmulatorPay(b *testing.B) {
	for _, n := range benchTradeCounts {
		b.Run(fmt.Sprintf("trades=%d", n), func(b *testing.B) {
			for _, state := range []bool{false, true} {
				b.Run(map[bool]string{false: "memory", true: "state"}[state], func(b *testing.B) {
					e := benchEmulator(b, n, state)
					nos := precreateMany(b, e, b.N)
					b.ResetTimer()
					for i := range b.N {
						if err := e.Pay(nos[i]); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("vs-memory", func(b *testing.B) {
				mem, st := benchEmulator(b, n, false), benchEmulator(b, n, true)
				memNos, stNos := precreateMany(b, mem, b.N), precreateMany(b, st, b.N)
				benchpair.Compare(b, payNext("state", st, stNos), payNext("memory", mem, memNos))
			})
		})
	}
}

// BenchmarkEmulatorSale is one sale through the gateway over loopback, as
// a kiosk makes it with the real client: precreate, the buyer pays
// (POST /emulator/pay), query. It interleaves an emulator with a state
// file and one without, both holding n trades, and reports state/memory:
// the cost of --state on the gateway's throughput.
func BenchmarkEmulatorSale(b *testing.B) {
	for _, n := range benchTradeCounts {
		b.Run(fmt.Sprintf("trades=%d", n), func(b *testing.B) {
			sale := func(name string, e *Emulator) benchpair.Side {
				base := serveBench(b, e)
				c := benchClient(b, base)
				i := 0
				return benchpair.Side{Name: name, Run: func(b *testing.B) {
					i++
					benchSale(b, c, base, "SALE_"+strconv.Itoa(i))
				}}
			}
			benchpair.Compare(b, sale("state", benchEmulator(b, n, true)), sale("memory", benchEmulator(b, n, false)))
		})
	}
}

// serveBench serves e on a loopback port until the benchmark ends and
// returns its base URL.
func serveBench(b *testing.B, e *Emulator) string {
	b.Helper()
	srv := httptest.NewServer(e)
	b.Cleanup(srv.Close)
	return srv.URL
}

// benchClient is the real client pointed at the emulator at base, on the
// real clock.
func benchClient(b *testing.B, base string) *alipay.Client {
	b.Helper()
	k := testKeys(b)
	c, err := alipay.NewClient(alipay.Config{AppID: DefaultAppID, PrivateKey: k.AppPrivate,
		AlipayPublicKey: k.AlipayPublic, Gateway: base + "/gateway.do"})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchSale runs one sale: precreate, pay, query until paid.
func benchSale(b *testing.B, c *alipay.Client, base, no string) {
	ctx := context.Background()
	if _, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: no, TotalFen: 1234, Subject: "Bench sale"}); err != nil {
		b.Fatal(err)
	}
	if _, err := PayRemote(ctx, base, no); err != nil {
		b.Fatal(err)
	}
	q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: no})
	if err != nil || !q.TradeStatus.Paid() {
		b.Fatalf("query after paying: %+v, %v", q, err)
	}
}
