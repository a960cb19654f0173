package central

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/store"
)

// Outbox is what a Shipper needs from the ledger. *store.Store implements
// it.
type Outbox interface {
	OutboxState() (store.OutboxState, error)
	OutboxEvents(after uint64, limit int) ([]store.OutboxEvent, error)
	AckOutbox(seq uint64) error
}

// Config sets up a Shipper. Zero durations and sizes take the defaults.
type Config struct {
	// DSN is head office's PostgreSQL: a postgres:// URL or key=value
	// pairs, as libpq takes them.
	DSN string
	// TerminalID and StoreID are the kiosk's: events that carry no
	// terminal id are shipped as TerminalID, and StoreID is the store
	// head office lists the terminal under.
	TerminalID string
	StoreID    string
	// TimeZone is the IANA name of the shop's zone, in which head office
	// counts the terminal's hours.
	TimeZone string

	BatchSize  int           // events per transaction (default 500)
	Interval   time.Duration // how often to look for new events (default 1 s)
	Heartbeat  time.Duration // how often to tell head office the kiosk is alive when idle (default 30 s)
	MinBackoff time.Duration // first wait after a failure (default 1 s)
	MaxBackoff time.Duration // longest wait, reached by doubling (default 1 min)
	Timeout    time.Duration // deadline of one batch, connecting included (default 30 s)
	// BehindAfter is how long events may wait before the cashier is told
	// head office is behind (default 1 min). A failed attempt tells at once.
	BehindAfter time.Duration

	Logger *slog.Logger // diagnostics; default none

	// Hooks stop the Shipper at chosen instants, for crash tests.
	Hooks Hooks
}

// Hooks are called, when set, at the instants of a batch that a crash
// test kills a kiosk at.
type Hooks struct {
	InTransaction func() // the batch is written and not committed
	Committed     func() // committed, and not yet recorded in the ledger
}

// Defaults.
const (
	DefaultBatchSize   = 500
	DefaultInterval    = time.Second
	DefaultHeartbeat   = 30 * time.Second
	DefaultMinBackoff  = time.Second
	DefaultMaxBackoff  = time.Minute
	DefaultTimeout     = 30 * time.Second
	DefaultBehindAfter = time.Minute
)

func (c Config) withDefaults() Config {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	set(&c.Interval, DefaultInterval)
	set(&c.Heartbeat, DefaultHeartbeat)
	set(&c.MinBackoff, DefaultMinBackoff)
	set(&c.MaxBackoff, DefaultMaxBackoff)
	set(&c.Timeout, DefaultTimeout)
	set(&c.BehindAfter, DefaultBehindAfter)
	c.MaxBackoff = max(c.MaxBackoff, c.MinBackoff)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

// CheckDSN reports a connection string PostgreSQL's clients would refuse,
// without connecting.
func CheckDSN(dsn string) error {
	if dsn == "" {
		return errors.New("central_ledger is empty")
	}
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return fmt.Errorf("central_ledger: %w", err)
	}
	return nil
}

// Shipper sends a ledger's outbox to head office. Run it in the background
// with Run; Backlog says how far behind it is.
type Shipper struct {
	ob  Outbox
	cfg Config
	now func() time.Time

	conn     *pgx.Conn // owned by the goroutine shipping; nil when not connected
	lastBeat time.Time
	shipMu   sync.Mutex // one ShipOnce at a time
	statusMu sync.Mutex
	status   Status
	failures int
}

// Status is what a Shipper knows of its progress.
type Status struct {
	Head  uint64 // the ledger's last event when last looked at
	Acked uint64 // the last event head office confirmed
	// WaitingSince is when events began to wait; zero when none wait.
	WaitingSince time.Time
	// LastError is the last attempt's failure; nil once one succeeds.
	LastError    error
	FailingSince time.Time
	LastShipped  time.Time // when head office last confirmed a batch
}

// NewShipper builds a Shipper of ob's events. The DSN must parse; nothing
// is connected until the first batch.
func NewShipper(ob Outbox, cfg Config) (*Shipper, error) {
	if err := CheckDSN(cfg.DSN); err != nil {
		return nil, err
	}
	return &Shipper{ob: ob, cfg: cfg.withDefaults(), now: time.Now}, nil
}

// Status returns the Shipper's progress.
func (s *Shipper) Status() Status {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	return s.status
}

// Backlog is how many of the ledger's changes head office has yet to
// confirm, and whether that is worth telling the cashier: an attempt
// failed, or changes have waited longer than BehindAfter.
func (s *Shipper) Backlog() (toSend int, behind bool) {
	st := s.Status()
	n := int(st.Head - st.Acked)
	waited := !st.WaitingSince.IsZero() && s.now().Sub(st.WaitingSince) >= s.cfg.BehindAfter
	return n, n > 0 && (st.LastError != nil || waited)
}

// Run ships until ctx ends: a batch at a time while events wait, then a
// look every Interval; after a failure it waits, doubling the wait from
// MinBackoff up to MaxBackoff, with jitter so that a chain's kiosks do not
// all return at the same instant. It returns when ctx ends.
func (s *Shipper) Run(ctx context.Context) {
	defer s.Close()
	for {
		n, err := s.ShipOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := s.cfg.Interval
		switch {
		case err != nil:
			s.failures++
			wait = backoff(s.failures, s.cfg.MinBackoff, s.cfg.MaxBackoff, rand.Float64())
			s.cfg.Logger.Warn("head office: could not ship", "err", err, "retry_in", wait.Round(time.Millisecond))
		case s.failures > 0:
			s.cfg.Logger.Info("head office: reachable again", "failed_attempts", s.failures)
			s.failures = 0
		}
		if err == nil && n == s.cfg.BatchSize {
			continue // more are waiting
		}
		if !s.wait(ctx, wait) {
			return
		}
	}
}

// wait sleeps for d or until ctx ends, and reports whether ctx is still
// alive. Through a long back-off it keeps looking at the outbox every
// Interval, so that the cashier's count of changes to send stays true.
func (s *Shipper) wait(ctx context.Context, d time.Duration) bool {
	deadline := s.now().Add(d)
	for {
		step := min(s.cfg.Interval, deadline.Sub(s.now()))
		if step <= 0 {
			return true
		}
		t := time.NewTimer(step)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
		if st, err := s.ob.OutboxState(); err == nil && s.now().Before(deadline) {
			s.observe(st)
		}
	}
}

// backoff is the wait after the n-th failure in a row: lo doubled n-1
// times, at most hi, scaled by a factor between 1/2 and 1 (from jitter
// in [0,1)).
func backoff(n int, lo, hi time.Duration, jitter float64) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return time.Duration(float64(min(d, hi)) * (0.5 + jitter/2))
}

// ShipOnce sends one batch of unsent events and records head office's
// confirmation in the ledger, and returns how many events it sent. With
// nothing to send it only tells head office, every Heartbeat, that the
// kiosk is alive.
func (s *Shipper) ShipOnce(ctx context.Context) (int, error) {
	s.shipMu.Lock()
	defer s.shipMu.Unlock()
	st, err := s.ob.OutboxState()
	if err != nil {
		return 0, s.failed(fmt.Errorf("read the outbox: %w", err))
	}
	s.observe(st)
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if st.Unsent() == 0 {
		return 0, s.heartbeat(ctx, st)
	}
	events, err := s.ob.OutboxEvents(st.Acked, s.cfg.BatchSize)
	switch {
	case err != nil:
		return 0, s.failed(fmt.Errorf("read the outbox: %w", err))
	case len(events) == 0:
		return 0, s.failed(fmt.Errorf("the outbox holds no event after %d, yet its last is %d", st.Acked, st.Head))
	}
	b, err := newBatch(st, events, s.cfg.TerminalID, s.cfg.StoreID, s.cfg.TimeZone)
	if err != nil {
		return 0, s.failed(err)
	}
	conn, err := s.connect(ctx)
	if err != nil {
		return 0, s.failed(err)
	}
	if _, err := ingest(ctx, conn, b, s.cfg.Hooks); err != nil {
		s.disconnect()
		return 0, s.failed(fmt.Errorf("ship events %d to %d: %w", events[0].Seq, events[len(events)-1].Seq, err))
	}
	last := events[len(events)-1].Seq
	if err := s.ob.AckOutbox(last); err != nil {
		// Head office has them; the next batch repeats them harmlessly.
		return 0, s.failed(fmt.Errorf("record head office's confirmation: %w", err))
	}
	s.shipped(st, last)
	return len(events), nil
}

// Flush ships until no event waits, or returns the first failure.
func (s *Shipper) Flush(ctx context.Context) error {
	for {
		n, err := s.ShipOnce(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// Close drops the connection to head office, if any. Run does so itself
// when it returns.
func (s *Shipper) Close() {
	s.shipMu.Lock()
	defer s.shipMu.Unlock()
	s.disconnect()
}

func (s *Shipper) heartbeat(ctx context.Context, st store.OutboxState) error {
	if st.LedgerID == "" || (!s.lastBeat.IsZero() && s.now().Sub(s.lastBeat) < s.cfg.Heartbeat) {
		return nil
	}
	conn, err := s.connect(ctx)
	if err != nil {
		return s.failed(err)
	}
	if _, err := conn.Exec(ctx, heartbeatSQL, st.LedgerID, int64(st.Head)); err != nil {
		s.disconnect()
		return s.failed(fmt.Errorf("tell head office the kiosk is alive: %w", err))
	}
	s.lastBeat = s.now()
	s.succeeded()
	return nil
}

func (s *Shipper) connect(ctx context.Context) (*pgx.Conn, error) {
	if s.conn != nil && !s.conn.IsClosed() {
		return s.conn, nil
	}
	cfg, err := pgx.ParseConfig(s.cfg.DSN)
	if err != nil {
		return nil, err
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "kiosk shipper " + s.cfg.TerminalID
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to head office (%s): %w", cfg.Host, err)
	}
	if _, err := Migrate(ctx, conn); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	s.conn = conn
	return conn, nil
}

func (s *Shipper) disconnect() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = s.conn.Close(ctx)
		s.conn = nil
	}
}

func (s *Shipper) observe(st store.OutboxState) {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	s.status.Head, s.status.Acked = st.Head, st.Acked
	switch {
	case st.Unsent() == 0:
		s.status.WaitingSince = time.Time{}
	case s.status.WaitingSince.IsZero():
		s.status.WaitingSince = s.now()
	}
}

func (s *Shipper) shipped(st store.OutboxState, acked uint64) {
	s.statusMu.Lock()
	s.status.Acked = acked
	s.status.LastShipped = s.now()
	if acked >= st.Head {
		s.status.WaitingSince = time.Time{}
	} else {
		s.status.WaitingSince = s.now() // the rest has waited only since this batch left
	}
	s.statusMu.Unlock()
	s.lastBeat = s.now()
	s.succeeded()
}

func (s *Shipper) succeeded() {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	s.status.LastError, s.status.FailingSince = nil, time.Time{}
}

func (s *Shipper) failed(err error) error {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if s.status.LastError == nil {
		s.status.FailingSince = s.now()
	}
	s.status.LastError = err
	return err
}
