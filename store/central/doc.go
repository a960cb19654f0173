// Package central is head office's ledger: every kiosk's changes, shipped
// from its bbolt outbox (package store) into one PostgreSQL database, and
// the chain's view read back from there.
//
// Each counter's bbolt ledger stays the source of truth and keeps selling
// while head office is out of reach. A Shipper in the kiosk sends the
// outbox's unsent events in batches, each in one PostgreSQL transaction
// that appends them to the events table and brings the current-state
// tables (sales, refunds, day_closings) up to date from them; then it
// records in the ledger how far head office has confirmed. The primary key
// of an event is its terminal id and sequence number, so a batch sent
// twice (the kiosk died between PostgreSQL's commit and its own record of
// it) changes nothing, and the state tables only ever move to a later
// event. While PostgreSQL is unreachable the Shipper retries with
// back-off; it never holds up a sale, whose only cost is the event written
// in the sale's own bbolt transaction.
//
// # Schema
//
// The schema is this package's, versioned in schema_version and migrated
// by Migrate, which every Shipper and every reader runs when it connects
// (under an advisory lock, so that twenty kiosks starting at once migrate
// once). Money is bigint fen, times timestamptz, days date:
//
//	terminals     terminal_id -> the ledger that ships it (a random id
//	              made with the outbox, so two kiosks given the same
//	              terminal id are refused rather than merged), its store and
//	              time zone, the last event head office holds, and what the
//	              kiosk said at its last contact
//	events        (terminal_id, seq) -> kind, day, time, and the sale after
//	              the change or the day's Z report, as jsonb; append-only
//	sales         (terminal_id, out_trade_no) -> the sale as its latest
//	              event has it, with its figures in columns
//	refunds       (terminal_id, out_trade_no, out_request_no) -> the refund
//	              as its sale's latest event has it
//	day_closings  (terminal_id, day) -> the Z report
//
// # Reading
//
// DB answers head office's questions from PostgreSQL alone: the chain's
// days of sales, its report per terminal and store with each day's X or Z
// status, how far behind each terminal is, and Verify, which compares one
// kiosk's ledger with head office's copy event by event. Totals and
// reports are computed by package store's own code (TotalsOf, ReportOf)
// from the sales as stored, so a terminal's figures at head office are its
// `kiosk ledger report` figures.
package central
