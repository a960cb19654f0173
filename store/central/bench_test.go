package central

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/internal/pgtest"
	"kiosk/store"
)

// BenchmarkIngest measures how many events per second head office's
// PostgreSQL takes from N shippers at once, each sending batches of B
// events of its own terminal through the statement a Shipper uses (the
// events, the sales and refunds brought up to date, the terminal's row).
// The events are those of a counter: each sale created, then paid, with
// its history, as the outbox writes them. One op is one batch; disk-B/event
// is what head office keeps per event (the event and its sale's current
// row, indexes included).
//
//	go test -run '^$' -bench Ingest -benchtime 3s ./store/central/
//
// With -short, as CI runs it to see that it runs, only the corners of the
// grid: each case is a database and a migration per shipper.
func BenchmarkIngest(b *testing.B) {
	shipperCounts, sizes := []int{1, 4, 16, 32}, []int{1, 10, 100, 500}
	if testing.Short() {
		shipperCounts, sizes = []int{1, 32}, []int{1, 500}
	}
	for _, shippers := range shipperCounts {
		for _, size := range sizes {
			b.Run(fmt.Sprintf("shippers=%d/batch=%d", shippers, size), func(b *testing.B) {
				benchIngest(b, shippers, size)
			})
		}
	}
}

func benchIngest(b *testing.B, shippers, size int) {
	ctx := context.Background()
	dsn := pgtest.DB(b)
	conns := make([]*pgx.Conn, shippers)
	for i := range conns {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := Migrate(ctx, conn); err != nil {
			b.Fatal(err)
		}
		conns[i] = conn
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, shippers)
	for i, conn := range conns {
		batches := b.N / shippers
		if i < b.N%shippers {
			batches++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- sendBatches(ctx, conn, fmt.Sprintf("B%02d", i), batches, size)
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "events/s")
	var bytes, events float64
	err := conns[0].QueryRow(ctx, `SELECT (pg_total_relation_size('events') + pg_total_relation_size('sales'))::float8,
		(SELECT count(*) FROM events)::float8`).Scan(&bytes, &events)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(bytes/events, "disk-B/event") // the event and its sale's row, indexes included
}

// sendBatches sends n batches of size events of one terminal.
func sendBatches(ctx context.Context, conn *pgx.Conn, terminal string, n, size int) error {
	var seq uint64
	for range n {
		events := make([]store.OutboxEvent, size)
		for i := range events {
			seq++
			events[i] = benchEvent(terminal, seq)
		}
		st := store.OutboxState{LedgerID: "ledger-" + terminal, Head: seq, Acked: seq - uint64(size)}
		bt, err := newBatch(st, events, terminal, "S1", "Asia/Shanghai")
		if err != nil {
			return err
		}
		if _, err := ingest(ctx, conn, bt, Hooks{}); err != nil {
			return err
		}
	}
	return nil
}

// benchEvent is event seq of a terminal selling one sale per two events:
// odd events create a sale, even ones record its payment.
func benchEvent(terminal string, seq uint64) store.OutboxEvent {
	k := (seq + 1) / 2 // the sale
	created := time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai).Add(time.Duration(k) * time.Second)
	sale := store.Sale{
		OutTradeNo: fmt.Sprintf("K%s_%s_%06d", terminal, created.Format("20060102150405"), k),
		TerminalID: terminal, StoreID: "S1", Subject: "Counter sale", AmountFen: int64(100 + k%9000),
		Status: store.StatusPending, CreatedAt: created, UpdatedAt: created,
		History: []store.Event{{At: created, Status: store.StatusPending, Note: "created"}},
	}
	if seq%2 == 0 {
		paid := created.Add(20 * time.Second)
		sale.Status, sale.ReceiptNo, sale.PaidAt, sale.UpdatedAt = store.StatusPaid, int(k), paid, paid
		sale.TradeNo, sale.BuyerLogonID = fmt.Sprintf("2026120122001%015d", k), "159******88"
		sale.History = append(sale.History, store.Event{At: paid, Status: store.StatusPaid, Note: fmt.Sprintf("paid, receipt %04d", k)})
	}
	return store.OutboxEvent{Seq: seq, Kind: store.EventSale, TerminalID: terminal, StoreID: "S1",
		Date: created.Format(time.DateOnly), At: sale.UpdatedAt, Sale: &sale}
}
