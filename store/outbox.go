package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The outbox is the ledger's record of its own changes, for head office.
// Every write of a sale (put) and every closed day (CloseDay) appends an
// event in the same bbolt transaction, so a change is never on disk
// without its event nor an event without its change. The events stay in
// the ledger after head office has them: `kiosk central verify` compares
// them with head office's copy one by one.
//
//	outbox        big-endian uint64 seq -> OutboxEvent as JSON; the
//	              bucket's own sequence is the last seq issued
//	outbox_state  "ledger_id" -> 32 hex digits, random, made with the outbox
//	              "acked" -> big-endian uint64, the last seq head office
//	              has confirmed
//
// A ledger from before the outbox gets both buckets at its first write
// after the upgrade, with one event per sale and per Z report it already
// holds, in that same transaction.
var (
	bucketOutbox      = []byte("outbox")
	bucketOutboxState = []byte("outbox_state")

	keyLedgerID = []byte("ledger_id")
	keyAcked    = []byte("acked")
)

// EventKind tells what an outbox event records.
type EventKind string

const (
	// EventSale records a sale as it stands after a change: created,
	// paid, cancelled, refunded, or a refund requested or settled.
	EventSale EventKind = "sale"
	// EventDayClosed records a day's Z report.
	EventDayClosed EventKind = "day_closed"
)

// OutboxEvent is one change of the ledger as head office receives it.
type OutboxEvent struct {
	// Seq numbers the ledger's events from 1 without gaps, in the order
	// they were written.
	Seq  uint64    `json:"seq"`
	Kind EventKind `json:"kind"`
	// TerminalID and StoreID are the sale's, or for a closed day the
	// terminal the ledger reports as.
	TerminalID string `json:"terminal_id"`
	StoreID    string `json:"store_id,omitempty"`
	// Date is the ledger day the change counts in: the day the sale was
	// created, or the day that was closed.
	Date string `json:"date"`
	// At is when the change was made: the sale's UpdatedAt, or when the
	// day was closed.
	At time.Time `json:"at"`
	// Sale is the sale after the change (EventSale).
	Sale *Sale `json:"sale,omitempty"`
	// ZNumber and ZReport are the day's Z report, the latter in the JSON
	// the ledger stores it in (EventDayClosed).
	ZNumber int             `json:"z_number,omitempty"`
	ZReport json.RawMessage `json:"z_report,omitempty"`
}

// OutboxState says how far the outbox has been sent.
type OutboxState struct {
	// LedgerID names this ledger to head office, so that two kiosks given
	// the same terminal id are told apart. Empty until the first event.
	LedgerID string
	Head     uint64 // the last event's Seq; 0 when there is none
	Acked    uint64 // the last Seq head office has confirmed
}

// Unsent is how many events head office has yet to confirm.
func (o OutboxState) Unsent() uint64 { return o.Head - o.Acked }

// ErrAckAhead means AckOutbox was given a sequence number the ledger has
// not issued.
var ErrAckAhead = errors.New("store: acknowledgement beyond the outbox")

// OutboxState returns the outbox's ledger id, last event and how far head
// office has confirmed. A ledger without an outbox yet reads as empty.
func (s *Store) OutboxState() (OutboxState, error) {
	var st OutboxState
	err := s.view(func(tx *bolt.Tx) error {
		st = readOutboxState(tx)
		return nil
	})
	if err != nil {
		return OutboxState{}, fmt.Errorf("read the outbox state: %w", err)
	}
	return st, nil
}

// OutboxEvents returns up to limit events with Seq greater than after, in
// order.
func (s *Store) OutboxEvents(after uint64, limit int) ([]OutboxEvent, error) {
	var events []OutboxEvent
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(events) < limit; k, v = c.Next() {
			var ev OutboxEvent
			if err := json.Unmarshal(v, &ev); err != nil {
				return undecodable(s.path, bucketOutbox, fmt.Sprintf("%x", k), v, err)
			}
			events = append(events, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the outbox after %d: %w", after, err)
	}
	return events, nil
}

// AckOutbox records that head office holds every event up to seq. The
// mark never moves back: an older seq changes nothing. A seq beyond the
// last event yields ErrAckAhead.
func (s *Store) AckOutbox(seq uint64) error {
	err := s.update(func(tx *bolt.Tx) error {
		st := readOutboxState(tx)
		switch {
		case seq > st.Head:
			return fmt.Errorf("%w: %d, the last event is %d", ErrAckAhead, seq, st.Head)
		case seq <= st.Acked:
			return nil
		}
		return tx.Bucket(bucketOutboxState).Put(keyAcked, seqKey(seq))
	})
	if err != nil {
		return fmt.Errorf("acknowledge the outbox to %d: %w", seq, err)
	}
	return nil
}

func readOutboxState(tx *bolt.Tx) OutboxState {
	var st OutboxState
	if b := tx.Bucket(bucketOutbox); b != nil {
		st.Head = b.Sequence()
	}
	if b := tx.Bucket(bucketOutboxState); b != nil {
		st.LedgerID = string(b.Get(keyLedgerID))
		if v := b.Get(keyAcked); len(v) == 8 {
			st.Acked = binary.BigEndian.Uint64(v)
		}
	}
	return st
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// appendSaleEvent records sale, as just written by put, in the outbox.
func appendSaleEvent(tx *bolt.Tx, sale Sale) error {
	b, fresh, err := outbox(tx)
	if err != nil || fresh { // a fresh outbox already holds the sale
		return err
	}
	return appendEvent(b, saleEvent(sale))
}

// appendDayClosed records the Z report r, just stored by CloseDay, in the
// outbox. terminal is the ledger's terminal id, if the Store was given one.
func appendDayClosed(tx *bolt.Tx, r Report, terminal string) error {
	b, fresh, err := outbox(tx)
	if err != nil || fresh {
		return err
	}
	ev, err := dayClosedEvent(r, terminal)
	if err != nil {
		return err
	}
	return appendEvent(b, ev)
}

func saleEvent(sale Sale) OutboxEvent {
	return OutboxEvent{
		Kind: EventSale, TerminalID: sale.TerminalID, StoreID: sale.StoreID,
		Date: sale.CreatedAt.Format(dateLayout), At: sale.UpdatedAt, Sale: &sale,
	}
}

func dayClosedEvent(r Report, terminal string) (OutboxEvent, error) {
	v, err := json.Marshal(reportOut(r))
	if err != nil {
		return OutboxEvent{}, fmt.Errorf("encode Z report: %w", err)
	}
	if terminal == "" && !strings.Contains(r.Terminal, ",") {
		terminal = r.Terminal // the one terminal of the day's sales
	}
	return OutboxEvent{
		Kind: EventDayClosed, TerminalID: terminal, Date: r.Date, At: r.CreatedAt,
		ZNumber: r.Number, ZReport: v,
	}, nil
}

func appendEvent(b *bolt.Bucket, ev OutboxEvent) error {
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("number outbox event: %w", err)
	}
	ev.Seq = seq
	v, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode outbox event: %w", err)
	}
	if err := b.Put(seqKey(seq), v); err != nil {
		return fmt.Errorf("write outbox event: %w", err)
	}
	return nil
}

// outbox returns the outbox bucket, creating it when the ledger has none
// yet; then fresh is true and the new outbox already holds an event for
// every sale and Z report in the ledger, the one being written included.
func outbox(tx *bolt.Tx) (b *bolt.Bucket, fresh bool, err error) {
	if b := tx.Bucket(bucketOutbox); b != nil {
		return b, false, nil
	}
	if b, err = tx.CreateBucket(bucketOutbox); err != nil {
		return nil, false, fmt.Errorf("create the outbox: %w", err)
	}
	state, err := tx.CreateBucketIfNotExists(bucketOutboxState)
	if err != nil {
		return nil, false, fmt.Errorf("create the outbox state: %w", err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id) // never fails on the platforms Go supports
	if err := state.Put(keyLedgerID, []byte(hex.EncodeToString(id))); err != nil {
		return nil, false, fmt.Errorf("name the ledger: %w", err)
	}
	return b, true, backfill(tx, b)
}

// backfill gives every sale and Z report already in the ledger one event
// with its state now.
func backfill(tx *bolt.Tx, b *bolt.Bucket) error {
	err := tx.Bucket(bucketSales).ForEach(func(k, v []byte) error {
		var sale Sale
		if err := json.Unmarshal(v, &sale); err != nil {
			return undecodable(tx.DB().Path(), bucketSales, string(k), v, err)
		}
		return appendEvent(b, saleEvent(sale))
	})
	if err != nil {
		return fmt.Errorf("start the outbox: %w", err)
	}
	z := tx.Bucket(bucketZReports)
	if z == nil {
		return nil
	}
	return z.ForEach(func(k, v []byte) error {
		if bytes.Equal(k, zCounterKey) {
			return nil
		}
		var rj reportJSON
		if err := json.Unmarshal(v, &rj); err != nil {
			return fmt.Errorf("start the outbox: %w", undecodable(tx.DB().Path(), bucketZReports, string(k), v, err))
		}
		r, err := reportIn(rj)
		if err != nil {
			return fmt.Errorf("start the outbox: Z report %s: %w", k, err)
		}
		ev, err := dayClosedEvent(r, "")
		if err != nil {
			return err
		}
		return appendEvent(b, ev)
	})
}
