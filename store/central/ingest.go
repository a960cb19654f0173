package central

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/store"
)

var (
	// ErrTerminalTaken means head office already has the terminal id from
	// another ledger: two kiosks were given the same terminal_id. Nothing
	// of the batch was stored; the kiosk needs a terminal id of its own.
	ErrTerminalTaken = errors.New("central: the terminal id is already shipped by another ledger")
	// ErrConflict means head office holds an event under the same terminal
	// id and sequence number with other contents, as after a ledger was
	// restored from an old copy. Nothing of the batch was stored.
	ErrConflict = errors.New("central: head office holds a different event under the same number")
)

// batch is a run of outbox events in the columns of the events table.
type batch struct {
	ledgerID  string
	kioskHead uint64
	storeID   string // the kiosk's, for its terminals row
	timeZone  string

	terminal []string
	seq      []int64
	kind     []string
	store    []string
	day      []string
	at       []time.Time
	outTrade []*string
	body     []string
}

// newBatch lays events out for the statement; events that carry no
// terminal id are the kiosk's own (terminal).
func newBatch(st store.OutboxState, events []store.OutboxEvent, terminal, storeID, timeZone string) (*batch, error) {
	b := &batch{ledgerID: st.LedgerID, kioskHead: st.Head, storeID: storeID, timeZone: timeZone}
	for _, ev := range events {
		body, err := eventBody(ev)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", ev.Seq, err)
		}
		var no *string
		if ev.Sale != nil {
			no = &ev.Sale.OutTradeNo
		}
		b.terminal = append(b.terminal, cmp.Or(ev.TerminalID, terminal))
		b.seq = append(b.seq, int64(ev.Seq))
		b.kind = append(b.kind, string(ev.Kind))
		b.store = append(b.store, ev.StoreID)
		b.day = append(b.day, ev.Date)
		b.at = append(b.at, ev.At)
		b.outTrade = append(b.outTrade, no)
		b.body = append(b.body, string(body))
	}
	return b, nil
}

// eventBody is what the events table keeps of an event: the sale, or the
// Z report.
func eventBody(ev store.OutboxEvent) ([]byte, error) {
	switch {
	case ev.Kind == store.EventSale && ev.Sale != nil:
		return json.Marshal(ev.Sale)
	case ev.Kind == store.EventDayClosed && len(ev.ZReport) > 0:
		return ev.ZReport, nil
	}
	return nil, fmt.Errorf("a %q event without its contents", ev.Kind)
}

func (b *batch) terminals() []string {
	t := slices.Clone(b.terminal)
	slices.Sort(t)
	return slices.Compact(t)
}

// ingestSQL stores a batch in one statement: it registers (or refreshes)
// the batch's terminals, refusing any that another ledger ships; appends
// the events not yet stored; and brings the sales, refunds and closed days
// to the latest of the new events, never back to an older one.
const ingestSQL = `
WITH b AS (
	SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::jsonb[])
		AS b(terminal_id, seq, kind, store_id, day, at, out_trade_no, body)
), t AS (
	INSERT INTO terminals AS t (terminal_id, ledger_id, store_id, time_zone, last_seq, last_event_at, kiosk_head, last_contact)
	SELECT terminal_id, $9, $11, $12, max(seq), max(at), $10, now() FROM b GROUP BY terminal_id
	ON CONFLICT (terminal_id) DO UPDATE SET
		store_id = excluded.store_id, time_zone = excluded.time_zone,
		last_seq = greatest(t.last_seq, excluded.last_seq),
		last_event_at = greatest(t.last_event_at, excluded.last_event_at),
		kiosk_head = greatest(t.kiosk_head, excluded.kiosk_head), last_contact = now()
	WHERE t.ledger_id = excluded.ledger_id
	RETURNING terminal_id
), ins AS (
	INSERT INTO events (terminal_id, seq, kind, store_id, day, at, out_trade_no, body)
	SELECT b.* FROM b JOIN t USING (terminal_id)
	ON CONFLICT (terminal_id, seq) DO NOTHING
	RETURNING terminal_id, seq, kind, store_id, day, at, out_trade_no, body
), latest AS (
	SELECT DISTINCT ON (terminal_id, out_trade_no) * FROM ins WHERE kind = 'sale'
	ORDER BY terminal_id, out_trade_no, seq DESC
), up AS (
	INSERT INTO sales AS s (terminal_id, out_trade_no, store_id, day, seq, status, amount_fen, refunded_fen,
		receipt_no, trade_no, created_at, paid_at, updated_at, sale)
	SELECT terminal_id, out_trade_no, store_id, day, seq, body->>'status', (body->>'amount_fen')::bigint,
		CASE WHEN body->>'status' = 'refunded' THEN (body->>'amount_fen')::bigint
		     ELSE coalesce((body->>'refunded_fen')::bigint, 0) END,
		(body->>'receipt_no')::integer, nullif(body->>'trade_no', ''),
		(body->>'created_at')::timestamptz, (body->>'paid_at')::timestamptz, (body->>'updated_at')::timestamptz, body
	FROM latest
	ON CONFLICT (terminal_id, out_trade_no) DO UPDATE SET
		store_id = excluded.store_id, day = excluded.day, seq = excluded.seq, status = excluded.status,
		amount_fen = excluded.amount_fen, refunded_fen = excluded.refunded_fen, receipt_no = excluded.receipt_no,
		trade_no = excluded.trade_no, created_at = excluded.created_at, paid_at = excluded.paid_at,
		updated_at = excluded.updated_at, sale = excluded.sale
	WHERE s.seq < excluded.seq
	RETURNING terminal_id, out_trade_no, sale
), rf AS (
	INSERT INTO refunds AS r (terminal_id, out_trade_no, out_request_no, fen, status, requested_at, done_at, done_day, approved_by)
	SELECT up.terminal_id, up.out_trade_no, x->>'out_request_no', (x->>'fen')::bigint, x->>'status',
		(x->>'at')::timestamptz, (x->>'done_at')::timestamptz, left(x->>'done_at', 10)::date, coalesce(x->>'approved_by', '')
	FROM up CROSS JOIN LATERAL jsonb_array_elements(coalesce(up.sale->'refunds', '[]'::jsonb)) AS x
	ON CONFLICT (terminal_id, out_trade_no, out_request_no) DO UPDATE SET
		fen = excluded.fen, status = excluded.status, requested_at = excluded.requested_at,
		done_at = excluded.done_at, done_day = excluded.done_day, approved_by = excluded.approved_by
	RETURNING 1
), z AS (
	INSERT INTO day_closings (terminal_id, day, z_number, closed_at, seq, report)
	SELECT terminal_id, day, (body->>'number')::integer, at, seq, body FROM ins WHERE kind = 'day_closed'
	ON CONFLICT (terminal_id, day) DO NOTHING
	RETURNING 1
)
SELECT (SELECT array_agg(terminal_id) FROM t), (SELECT count(*) FROM ins)`

// conflictSQL finds events of a batch that head office holds with other
// contents.
const conflictSQL = `
SELECT b.terminal_id, b.seq FROM unnest($1::text[], $2::bigint[], $3::jsonb[]) AS b(terminal_id, seq, body)
JOIN events e USING (terminal_id, seq) WHERE e.body <> b.body ORDER BY b.seq LIMIT 5`

// ingest stores b in one transaction and returns how many of its events
// were new to head office.
func ingest(ctx context.Context, conn *pgx.Conn, b *batch, h Hooks) (int, error) {
	var added int64
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var registered []string
		err := tx.QueryRow(ctx, ingestSQL, b.terminal, b.seq, b.kind, b.store, b.day, b.at, b.outTrade, b.body,
			b.ledgerID, int64(b.kioskHead), b.storeID, b.timeZone).Scan(&registered, &added)
		if err != nil {
			return err
		}
		if taken := missing(b.terminals(), registered); len(taken) > 0 {
			return fmt.Errorf("%w: %s", ErrTerminalTaken, strings.Join(taken, ", "))
		}
		if int(added) < len(b.seq) {
			if err := checkConflicts(ctx, tx, b); err != nil {
				return err
			}
		}
		if h.InTransaction != nil {
			h.InTransaction()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if h.Committed != nil {
		h.Committed()
	}
	return int(added), nil
}

func checkConflicts(ctx context.Context, tx pgx.Tx, b *batch) error {
	rows, err := tx.Query(ctx, conflictSQL, b.terminal, b.seq, b.body)
	if err != nil {
		return err
	}
	var found []string
	for rows.Next() {
		var terminal string
		var seq int64
		if err := rows.Scan(&terminal, &seq); err != nil {
			return err
		}
		found = append(found, fmt.Sprintf("%s/%d", terminal, seq))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(found) > 0 {
		return fmt.Errorf("%w: %s", ErrConflict, strings.Join(found, ", "))
	}
	return nil
}

// missing lists the terminals of want that got lacks.
func missing(want, got []string) []string {
	var out []string
	for _, t := range want {
		if !slices.Contains(got, t) {
			out = append(out, t)
		}
	}
	return out
}

// heartbeatSQL tells head office the kiosk is alive and how many events
// its ledger has, when there is nothing to send.
const heartbeatSQL = `UPDATE terminals SET kiosk_head = greatest(kiosk_head, $2), last_contact = now() WHERE ledger_id = $1`
