package central

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migration is one step of the schema. Steps are applied in order, each
// once, and never edited after release: a change is a new step.
type migration struct {
	version     int
	description string
	sql         string
}

var migrations = []migration{
	{1, "terminals, events, and the current state of sales, refunds and closed days", schemaV1},
}

// SchemaVersion is the version Migrate brings a database to.
var SchemaVersion = migrations[len(migrations)-1].version

// ErrSchemaNewer means the database was migrated by a newer kiosk than
// this one; it is left alone.
var ErrSchemaNewer = errors.New("central: the database's schema is newer than this kiosk knows")

const schemaV1 = `
CREATE TABLE terminals (
	terminal_id   text PRIMARY KEY,
	ledger_id     text NOT NULL,
	store_id      text NOT NULL DEFAULT '',
	time_zone     text NOT NULL DEFAULT '',
	last_seq      bigint NOT NULL DEFAULT 0,
	last_event_at timestamptz,
	kiosk_head    bigint NOT NULL DEFAULT 0,
	last_contact  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN terminals.ledger_id IS 'the outbox id of the one ledger allowed to ship as this terminal';
COMMENT ON COLUMN terminals.last_seq IS 'the highest event sequence number head office holds of this terminal';
COMMENT ON COLUMN terminals.kiosk_head IS 'the ledger''s last event, as the kiosk said at its last contact';

CREATE TABLE events (
	terminal_id  text NOT NULL REFERENCES terminals,
	seq          bigint NOT NULL CHECK (seq > 0),
	kind         text NOT NULL CHECK (kind IN ('sale', 'day_closed')),
	store_id     text NOT NULL,
	day          date NOT NULL,
	at           timestamptz NOT NULL,
	out_trade_no text,
	body         jsonb NOT NULL,
	received_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (terminal_id, seq)
);
COMMENT ON TABLE events IS 'append-only: every change of every ledger, as its outbox recorded it';
COMMENT ON COLUMN events.body IS 'the sale after the change, or the day''s Z report';

CREATE TABLE sales (
	terminal_id  text NOT NULL REFERENCES terminals,
	out_trade_no text NOT NULL,
	store_id     text NOT NULL,
	day          date NOT NULL,
	seq          bigint NOT NULL,
	status       text NOT NULL,
	amount_fen   bigint NOT NULL,
	refunded_fen bigint NOT NULL,
	receipt_no   integer,
	trade_no     text,
	created_at   timestamptz NOT NULL,
	paid_at      timestamptz,
	updated_at   timestamptz NOT NULL,
	sale         jsonb NOT NULL,
	PRIMARY KEY (terminal_id, out_trade_no)
);
CREATE INDEX sales_by_day ON sales (day, store_id, terminal_id);
COMMENT ON COLUMN sales.seq IS 'the event this state is from; only a later one replaces it';

CREATE TABLE refunds (
	terminal_id    text NOT NULL,
	out_trade_no   text NOT NULL,
	out_request_no text NOT NULL,
	fen            bigint NOT NULL,
	status         text NOT NULL,
	requested_at   timestamptz NOT NULL,
	done_at        timestamptz,
	done_day       date,
	approved_by    text NOT NULL DEFAULT '',
	PRIMARY KEY (terminal_id, out_trade_no, out_request_no),
	FOREIGN KEY (terminal_id, out_trade_no) REFERENCES sales
);
CREATE INDEX refunds_by_done_day ON refunds (done_day) WHERE status = 'done';

CREATE TABLE day_closings (
	terminal_id text NOT NULL REFERENCES terminals,
	day         date NOT NULL,
	z_number    integer NOT NULL,
	closed_at   timestamptz NOT NULL,
	seq         bigint NOT NULL,
	report      jsonb NOT NULL,
	PRIMARY KEY (terminal_id, day)
);
`

// migrationLock is the advisory lock key under which Migrate runs.
const migrationLock = 0x6b696f736b // "kiosk"

// Migrate brings the database's schema to SchemaVersion, applying each
// missing step in one transaction, and returns the version it found. A
// database already current is only read, so a reader needs no right to
// create tables. A database of a newer version yields ErrSchemaNewer.
func Migrate(ctx context.Context, conn *pgx.Conn) (found int, err error) {
	if found, err = schemaVersion(ctx, conn); err != nil || found == SchemaVersion {
		return found, err
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version     integer PRIMARY KEY,
			description text NOT NULL,
			applied_at  timestamptz NOT NULL DEFAULT now())`)
		if err != nil {
			return err
		}
		// Read again under the lock: another kiosk may have just migrated.
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&found); err != nil {
			return err
		}
		if found > SchemaVersion {
			return schemaNewer(found)
		}
		for _, m := range migrations[found:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("schema version %d: %w", m.version, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_version (version, description) VALUES ($1, $2)", m.version, m.description); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return found, fmt.Errorf("migrate head office's schema: %w", err)
	}
	return found, nil
}

// schemaVersion reads the version without creating anything: 0 for a
// database without a schema_version table.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('schema_version') IS NOT NULL").Scan(&exists); err != nil {
		return 0, fmt.Errorf("read head office's schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read head office's schema version: %w", err)
	}
	if v > SchemaVersion {
		return v, schemaNewer(v)
	}
	return v, nil
}

func schemaNewer(v int) error {
	return fmt.Errorf("%w: the database is at version %d, this kiosk knows up to %d; upgrade the kiosk", ErrSchemaNewer, v, SchemaVersion)
}
