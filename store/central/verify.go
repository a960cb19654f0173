package central

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"kiosk/store"
)

// Ledger is what Verify reads of a kiosk's ledger. A *store.Store, opened
// read-only alongside the running kiosk, implements it.
type Ledger interface {
	OutboxState() (store.OutboxState, error)
	OutboxEvents(after uint64, limit int) ([]store.OutboxEvent, error)
	CheckOutbox() (store.OutboxCheck, error)
}

// Verification is what Verify found.
type Verification struct {
	LedgerID  string
	Terminals []string // the terminal ids head office has from this ledger
	Events    int      // events in the ledger
	Acked     uint64   // the last event head office confirmed, by the ledger's record
	Matched   int      // events head office holds exactly as the ledger has them
	// Unsent counts the events head office lacks that it never confirmed:
	// they are on their way, not lost.
	Unsent      int
	Differences []Difference
	Omitted     int // differences beyond the first maxDifferences

	otherContents int // events head office holds with other contents
}

// OK reports whether head office and the ledger agree.
func (v Verification) OK() bool { return len(v.Differences) == 0 }

// Difference is one disagreement between a ledger and head office: its
// kind and its facts, worded in ui/words (String gives the English).
type Difference struct {
	Seq        uint64
	TerminalID string
	OutTradeNo string
	Kind       DiffKind
	Date       string              // the day of a closing
	Count      int                 // DiffExtraEvents: how many
	Terminals  []string            // DiffExtraEvents: whose
	Latest     uint64              // DiffSaleNotLatest: the sale's latest event at head office
	Detail     string              // DiffUnreadable: the reader's words
	Outbox     store.OutboxProblem // DiffInLedger: what is wrong in the ledger's outbox
}

// DiffKind says how a ledger and head office disagree.
type DiffKind int

// The kinds of Difference.
const (
	DiffInLedger         DiffKind = iota + 1 // the ledger's outbox does not tell its own story: Outbox
	DiffUnreadable                           // the ledger's event cannot be read: Detail
	DiffConfirmedMissing                     // head office confirmed the event but does not have it
	DiffOtherContents                        // head office has the event with other contents
	DiffNeverWritten                         // head office has an event the ledger never wrote
	DiffExtraEvents                          // head office holds Count more events of Terminals
	DiffSaleNoEvent                          // head office lists a sale no event it holds made
	DiffSaleNotLatest                        // head office's sale is not its Latest event
	DiffSaleNotListed                        // head office holds a sale's events but not the sale
	DiffClosedByOther                        // head office has Date closed by an event the ledger lacks
	DiffClosingNotListed                     // head office holds Date's closing but not the day closed
	diffKinds                                // one past the last
)

// DiffKinds are every kind of Difference, for tests of their words.
func DiffKinds() []DiffKind {
	var out []DiffKind
	for k := DiffInLedger; k < diffKinds; k++ {
		out = append(out, k)
	}
	return out
}

// String says the difference in English, as logs do.
func (d Difference) String() string {
	switch d.Kind {
	case DiffInLedger:
		return "in the ledger: " + d.Outbox.String()
	case DiffUnreadable:
		return "the ledger's event cannot be read: " + d.Detail
	case DiffConfirmedMissing:
		return "head office confirmed this event but does not have it"
	case DiffOtherContents:
		return "head office has this event with other contents"
	case DiffNeverWritten:
		return "head office has this event; the ledger never wrote it"
	case DiffExtraEvents:
		return fmt.Sprintf("head office holds %d more events of terminals %v than the ledger has", d.Count, d.Terminals)
	case DiffSaleNoEvent:
		return "head office lists this sale; no event of the ledger that it holds made it"
	case DiffSaleNotLatest:
		return fmt.Sprintf("head office's current state of this sale is not its latest event there (%d)", d.Latest)
	case DiffSaleNotListed:
		return "head office holds this sale's events but does not list the sale"
	case DiffClosedByOther:
		return "head office has " + d.Date + " closed by an event the ledger does not have"
	case DiffClosingNotListed:
		return "head office holds the closing of " + d.Date + " but does not list the day as closed"
	}
	return fmt.Sprintf("difference %d", d.Kind)
}

const maxDifferences = 200

func (v *Verification) differ(d Difference) {
	if len(v.Differences) == maxDifferences {
		v.Omitted++
		return
	}
	v.Differences = append(v.Differences, d)
}

// verifyBatch is how many of the ledger's events Verify compares per query.
const verifyBatch = 1000

// held is the latest event of a sale or a day that head office holds.
type held struct {
	seq    uint64
	digest [32]byte
}

// Verify compares a kiosk's ledger with head office event by event: the
// ledger's outbox must tell its own story (store.CheckOutbox), every
// event head office confirmed must be there with the same contents, head
// office may hold nothing of the ledger's terminals that the ledger did
// not write, and its current sales and closed days must be those of the
// latest events it holds. terminal is the kiosk's terminal id, under which
// events that carry none were shipped.
func (db *DB) Verify(ctx context.Context, l Ledger, terminal string) (Verification, error) {
	var v Verification
	check, err := l.CheckOutbox()
	if err != nil {
		return v, err
	}
	for _, p := range check.Problems {
		v.differ(Difference{Kind: DiffInLedger, Outbox: p})
	}
	v.LedgerID, v.Acked, v.Events = check.State.LedgerID, check.State.Acked, check.Events
	if v.LedgerID == "" {
		return v, nil // no outbox yet: nothing was ever shipped
	}
	if v.Terminals, err = db.ledgerTerminals(ctx, v.LedgerID); err != nil {
		return v, err
	}
	sales, days, err := db.compareEvents(ctx, l, terminal, &v)
	if err != nil {
		return v, err
	}
	if err := db.findExtraEvents(ctx, check.State.Head, &v); err != nil {
		return v, err
	}
	if err := db.compareSales(ctx, sales, &v); err != nil {
		return v, err
	}
	return v, db.compareClosings(ctx, days, &v)
}

func (db *DB) ledgerTerminals(ctx context.Context, ledgerID string) ([]string, error) {
	rows, err := db.conn.Query(ctx, "SELECT terminal_id FROM terminals WHERE ledger_id = $1 ORDER BY terminal_id", ledgerID)
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read head office's terminals: %w", err)
	}
	return ids, nil
}

// compareEvents reads the ledger's events in batches and compares each
// with head office's; it returns the latest event head office holds of
// each sale (by terminal and out_trade_no) and of each closed day.
func (db *DB) compareEvents(ctx context.Context, l Ledger, terminal string, v *Verification) (sales, days map[[2]string]held, err error) {
	sales, days = map[[2]string]held{}, map[[2]string]held{}
	var after uint64
	for {
		events, err := l.OutboxEvents(after, verifyBatch)
		if err != nil || len(events) == 0 {
			return sales, days, err
		}
		after = events[len(events)-1].Seq
		theirs, err := db.eventBodies(ctx, events, terminal)
		if err != nil {
			return nil, nil, err
		}
		for _, ev := range events {
			t := cmp.Or(ev.TerminalID, terminal)
			d := Difference{Seq: ev.Seq, TerminalID: t}
			if ev.Sale != nil {
				d.OutTradeNo = ev.Sale.OutTradeNo
			}
			body, err := eventBody(ev)
			if err != nil {
				d.Kind, d.Detail = DiffUnreadable, err.Error()
				v.differ(d)
				continue
			}
			got, ok := theirs[key(t, ev.Seq)]
			switch {
			case !ok && ev.Seq > v.Acked:
				v.Unsent++
				continue
			case !ok:
				d.Kind = DiffConfirmedMissing
				v.differ(d)
				continue
			case canonical(body) != canonical(got):
				d.Kind = DiffOtherContents
				v.differ(d)
				v.otherContents++
				continue
			}
			v.Matched++
			h := held{seq: ev.Seq, digest: canonical(body)}
			if ev.Kind == store.EventSale {
				sales[[2]string{t, d.OutTradeNo}] = h
			} else {
				days[[2]string{t, ev.Date}] = h
			}
		}
	}
}

func key(terminal string, seq uint64) string { return fmt.Sprintf("%s\x00%d", terminal, seq) }

// eventBodies fetches head office's copies of events.
func (db *DB) eventBodies(ctx context.Context, events []store.OutboxEvent, terminal string) (map[string][]byte, error) {
	terminals, seqs := make([]string, len(events)), make([]int64, len(events))
	for i, ev := range events {
		terminals[i], seqs[i] = cmp.Or(ev.TerminalID, terminal), int64(ev.Seq)
	}
	rows, err := db.conn.Query(ctx, `SELECT e.terminal_id, e.seq, e.body FROM events e
		JOIN unnest($1::text[], $2::bigint[]) AS k(terminal_id, seq) USING (terminal_id, seq)`, terminals, seqs)
	if err != nil {
		return nil, fmt.Errorf("read head office's events: %w", err)
	}
	out := map[string][]byte{}
	var t string
	var seq int64
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&t, &seq, &body}, func() error {
		out[key(t, uint64(seq))] = bytes.Clone(body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read head office's events: %w", err)
	}
	return out, nil
}

// findExtraEvents lists events head office holds of the ledger's terminals
// beyond the last one the ledger wrote, and counts any other it holds
// that the comparison did not meet.
func (db *DB) findExtraEvents(ctx context.Context, head uint64, v *Verification) error {
	var total int
	var beyond []struct {
		t   string
		seq int64
	}
	rows, err := db.conn.Query(ctx, `SELECT terminal_id, seq FROM events WHERE terminal_id = ANY($1) AND seq > $2 ORDER BY seq LIMIT 20`,
		v.Terminals, int64(head))
	if err != nil {
		return fmt.Errorf("read head office's events: %w", err)
	}
	var e struct {
		t   string
		seq int64
	}
	if _, err := pgx.ForEachRow(rows, []any{&e.t, &e.seq}, func() error { beyond = append(beyond, e); return nil }); err != nil {
		return fmt.Errorf("read head office's events: %w", err)
	}
	for _, e := range beyond {
		v.differ(Difference{Seq: uint64(e.seq), TerminalID: e.t, Kind: DiffNeverWritten})
	}
	if err := db.conn.QueryRow(ctx, `SELECT count(*) FROM events WHERE terminal_id = ANY($1)`, v.Terminals).Scan(&total); err != nil {
		return fmt.Errorf("count head office's events: %w", err)
	}
	if extra := total - v.Matched - v.otherContents - len(beyond); extra > 0 {
		v.differ(Difference{Kind: DiffExtraEvents, Count: extra, Terminals: v.Terminals})
	}
	return nil
}

// compareSales checks head office's current state of each sale against
// the latest event of it that head office holds.
func (db *DB) compareSales(ctx context.Context, latest map[[2]string]held, v *Verification) error {
	rows, err := db.conn.Query(ctx, `SELECT terminal_id, out_trade_no, seq, sale FROM sales WHERE terminal_id = ANY($1)`, v.Terminals)
	if err != nil {
		return fmt.Errorf("read head office's sales: %w", err)
	}
	seen := map[[2]string]bool{}
	var t, no string
	var seq int64
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&t, &no, &seq, &body}, func() error {
		k := [2]string{t, no}
		seen[k] = true
		h, ok := latest[k]
		switch {
		case !ok:
			v.differ(Difference{TerminalID: t, OutTradeNo: no, Kind: DiffSaleNoEvent})
		case h.seq != uint64(seq) || h.digest != canonical(body):
			v.differ(Difference{Seq: uint64(seq), TerminalID: t, OutTradeNo: no, Kind: DiffSaleNotLatest, Latest: h.seq})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read head office's sales: %w", err)
	}
	for k, h := range latest {
		if !seen[k] {
			v.differ(Difference{Seq: h.seq, TerminalID: k[0], OutTradeNo: k[1], Kind: DiffSaleNotListed})
		}
	}
	return nil
}

// compareClosings checks head office's closed days against the day-closed
// events it holds.
func (db *DB) compareClosings(ctx context.Context, days map[[2]string]held, v *Verification) error {
	rows, err := db.conn.Query(ctx, `SELECT terminal_id, day::text, seq FROM day_closings WHERE terminal_id = ANY($1)`, v.Terminals)
	if err != nil {
		return fmt.Errorf("read head office's closed days: %w", err)
	}
	seen := map[[2]string]bool{}
	var t, day string
	var seq int64
	_, err = pgx.ForEachRow(rows, []any{&t, &day, &seq}, func() error {
		k := [2]string{t, day}
		seen[k] = true
		if h, ok := days[k]; !ok || h.seq != uint64(seq) {
			v.differ(Difference{Seq: uint64(seq), TerminalID: t, Kind: DiffClosedByOther, Date: day})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read head office's closed days: %w", err)
	}
	for k, h := range days {
		if !seen[k] {
			v.differ(Difference{Seq: h.seq, TerminalID: k[0], Kind: DiffClosingNotListed, Date: k[1]})
		}
	}
	return nil
}

// canonical digests a JSON document independently of key order and
// spacing, as jsonb stores it; numbers are compared as written.
func canonical(doc []byte) [32]byte {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return sha256.Sum256(doc)
	}
	out, _ := json.Marshal(v)
	return sha256.Sum256(out)
}
