package pos

import (
	"context"
	"time"

	"kiosk/store"
	"kiosk/store/central"
)

// Chain is head office's view of every till and store, read from its
// PostgreSQL (package store/central): the chain's days and reports in the
// shape of one kiosk's, how far each terminal is behind, and one kiosk's
// ledger compared with it event by event.
type Chain struct {
	db *central.DB
}

// OpenChain connects to head office's database named by dsn.
func OpenChain(ctx context.Context, dsn string) (*Chain, error) {
	db, err := central.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return &Chain{db: db}, nil
}

// Close ends the connection.
func (c *Chain) Close() error { return c.db.Close() }

// ChainFilter narrows head office's questions to one store or one
// terminal; empty fields match all.
type ChainFilter struct {
	Store    string
	Terminal string
}

func (f ChainFilter) central() central.Filter {
	return central.Filter{Store: f.Store, Terminal: f.Terminal}
}

// Days returns every day from from to to with the sales of every terminal
// the filter matches; dates are checked as a kiosk's ledger checks them.
func (c *Chain) Days(ctx context.Context, from, to string, f ChainFilter) ([]Day, error) {
	days, err := c.db.Days(ctx, from, to, f.central())
	return daysOf(days), fromLedger(err, "")
}

// ChainReport is head office's report of one day: each terminal's, each
// store's and the chain's.
type ChainReport struct {
	Date      string
	Terminals []TerminalReport // by store, then terminal
	Stores    []StoreReport    // by store
	Chain     Report
}

// TerminalReport is one terminal's day as head office has it.
type TerminalReport struct {
	StoreID     string
	TerminalID  string
	Report      Report
	ClosedAt    time.Time // when the terminal closed the day; zero while it is open there
	LastEventAt time.Time // the terminal's last change head office holds
}

// StoreReport is one store's day: all its terminals together.
type StoreReport struct {
	StoreID   string
	Terminals int
	Report    Report
}

// Report makes the day's report of the terminals the filter matches.
func (c *Chain) Report(ctx context.Context, date string, f ChainFilter) (ChainReport, error) {
	r, err := c.db.Report(ctx, date, f.central())
	if err != nil {
		return ChainReport{}, fromLedger(err, "")
	}
	out := ChainReport{Date: r.Date, Chain: reportOf(r.Chain)}
	for _, t := range r.Terminals {
		out.Terminals = append(out.Terminals, TerminalReport{StoreID: t.StoreID, TerminalID: t.TerminalID,
			Report: reportOf(t.Report), ClosedAt: t.ClosedAt, LastEventAt: t.LastEventAt})
	}
	for _, s := range r.Stores {
		out.Stores = append(out.Stores, StoreReport{StoreID: s.StoreID, Terminals: s.Terminals, Report: reportOf(s.Report)})
	}
	return out, nil
}

// TerminalStatus is how far head office has a terminal's ledger.
type TerminalStatus struct {
	TerminalID  string
	StoreID     string
	LedgerID    string
	LastSeq     uint64    // the last event head office holds
	LastEventAt time.Time // when that change was made at the counter; zero for none
	KioskHead   uint64    // the ledger's last event, as the kiosk said at its last contact
	Behind      uint64    // how many of them head office lacked then
	LastContact time.Time
	Since       time.Duration // how long ago the last contact was
}

// Status lists the terminals head office has heard of that the filter
// matches, by store.
func (c *Chain) Status(ctx context.Context, f ChainFilter) ([]TerminalStatus, error) {
	all, err := c.db.Status(ctx)
	if err != nil {
		return nil, err
	}
	var out []TerminalStatus
	for _, t := range all {
		if (f.Store == "" || t.StoreID == f.Store) && (f.Terminal == "" || t.TerminalID == f.Terminal) {
			out = append(out, TerminalStatus(t))
		}
	}
	return out, nil
}

// Verification is what a comparison of one kiosk's ledger with head
// office found.
type Verification struct {
	LedgerID    string
	Terminals   []string // the terminal ids head office has from this ledger
	Events      int      // events in the ledger
	Acked       uint64   // the last event head office confirmed, by the ledger's record
	Matched     int      // events head office holds exactly as the ledger has them
	Unsent      int      // events head office lacks that it never confirmed: on their way
	Differences []ChainDifference
	Omitted     int // differences beyond those listed
}

// OK reports whether head office and the ledger agree.
func (v Verification) OK() bool { return len(v.Differences) == 0 }

// ChainDifference is one disagreement between a ledger and head office:
// its kind and its facts (see central.Difference).
type ChainDifference struct {
	Seq        uint64
	TerminalID string
	OutTradeNo string
	Kind       ChainDiffKind
	Date       string        // the day of a closing
	Count      int           // DiffExtraEvents: how many
	Terminals  []string      // DiffExtraEvents: whose
	Latest     uint64        // DiffSaleNotLatest: the sale's latest event at head office
	Detail     string        // DiffUnreadable: the reader's words
	Outbox     OutboxProblem // DiffInLedger: what is wrong in the ledger's outbox
}

// OutboxKind says how a ledger's outbox does not tell its story.
type OutboxKind int

// The kinds of OutboxProblem (see store's).
const (
	OutboxMarkBeyond  = OutboxKind(store.OutboxMarkBeyond)
	OutboxSaleNoEvent = OutboxKind(store.OutboxSaleNoEvent)
	OutboxSaleDiffers = OutboxKind(store.OutboxSaleDiffers)
	OutboxOrphan      = OutboxKind(store.OutboxOrphan)
	OutboxGap         = OutboxKind(store.OutboxGap)
	OutboxShort       = OutboxKind(store.OutboxShort)
)

// OutboxKinds are every kind of OutboxProblem, for tests of their words.
func OutboxKinds() []OutboxKind { return kindsOf[OutboxKind](store.OutboxKinds()) }

// OutboxProblem is one way a ledger's outbox does not tell its story.
type OutboxProblem struct {
	Kind     OutboxKind
	Sale     string // out_trade_no
	From, To uint64 // events
}

// String says the difference in English, for logs and JSON.
func (d ChainDifference) String() string {
	return central.Difference{Seq: d.Seq, TerminalID: d.TerminalID, OutTradeNo: d.OutTradeNo, Kind: central.DiffKind(d.Kind),
		Date: d.Date, Count: d.Count, Terminals: d.Terminals, Latest: d.Latest, Detail: d.Detail,
		Outbox: store.OutboxProblem{Kind: store.OutboxKind(d.Outbox.Kind), Sale: d.Outbox.Sale, From: d.Outbox.From, To: d.Outbox.To}}.String()
}

// ChainDiffKind says how a ledger and head office disagree.
type ChainDiffKind int

// The kinds of ChainDifference.
const (
	DiffInLedger         = ChainDiffKind(central.DiffInLedger)
	DiffUnreadable       = ChainDiffKind(central.DiffUnreadable)
	DiffConfirmedMissing = ChainDiffKind(central.DiffConfirmedMissing)
	DiffOtherContents    = ChainDiffKind(central.DiffOtherContents)
	DiffNeverWritten     = ChainDiffKind(central.DiffNeverWritten)
	DiffExtraEvents      = ChainDiffKind(central.DiffExtraEvents)
	DiffSaleNoEvent      = ChainDiffKind(central.DiffSaleNoEvent)
	DiffSaleNotLatest    = ChainDiffKind(central.DiffSaleNotLatest)
	DiffSaleNotListed    = ChainDiffKind(central.DiffSaleNotListed)
	DiffClosedByOther    = ChainDiffKind(central.DiffClosedByOther)
	DiffClosingNotListed = ChainDiffKind(central.DiffClosingNotListed)
)

// ChainDiffKinds are every kind of ChainDifference, for tests of their words.
func ChainDiffKinds() []ChainDiffKind { return kindsOf[ChainDiffKind](central.DiffKinds()) }

// Verify compares the ledger o opened, as terminal's, with head office
// event by event.
func (c *Chain) Verify(ctx context.Context, o *Office, terminal string) (Verification, error) {
	v, err := c.db.Verify(ctx, o.st, terminal)
	if err != nil {
		return Verification{}, fromLedger(err, o.Dir())
	}
	out := Verification{LedgerID: v.LedgerID, Terminals: v.Terminals, Events: v.Events, Acked: v.Acked,
		Matched: v.Matched, Unsent: v.Unsent, Omitted: v.Omitted}
	for _, d := range v.Differences {
		out.Differences = append(out.Differences, ChainDifference{Seq: d.Seq, TerminalID: d.TerminalID, OutTradeNo: d.OutTradeNo,
			Kind: ChainDiffKind(d.Kind), Date: d.Date, Count: d.Count, Terminals: d.Terminals, Latest: d.Latest, Detail: d.Detail,
			Outbox: OutboxProblem{Kind: OutboxKind(d.Outbox.Kind), Sale: d.Outbox.Sale, From: d.Outbox.From, To: d.Outbox.To}})
	}
	return out, nil
}
