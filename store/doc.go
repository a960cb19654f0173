// Package store is the kiosk's local ledger of sales, kept in a bbolt file.
//
// # Files
//
// A ledger lives in one directory:
//
//	ledger.db   the bbolt database
//	kiosk.lock  held by the running kiosk; holds its process ID for diagnostics
//
// # Buckets and keys
//
//	sales     out_trade_no -> Sale as JSON (snake_case field names)
//	days      "YYYY-MM-DD" 0x00 created_at out_trade_no -> empty
//	          created_at is big-endian uint64 Unix nanoseconds, so a prefix
//	          scan over one date yields that day's sales in creation order
//	          without reading any other day
//	receipts  "YYYY-MM-DD" -> big-endian uint64, the last receipt number
//	          issued that day
//	open      out_trade_no -> empty, for every sale that is pending or
//	          unknown, so recovery at start reads only unsettled sales
//	refunding out_trade_no -> empty, for every sale with a refund requested
//	          or unknown (RefundsInFlight)
//	refunds   "YYYY-MM-DD" 0x00 done_at out_trade_no 0x00 out_request_no
//	          -> out_trade_no, for every done refund, under the date it was
//	          done, so a day's report finds refunds of earlier days' sales
//	zreports  "YYYY-MM-DD" -> Z report as JSON (WriteReport's json shape);
//	          "#last" -> big-endian uint64, the number of the last Z report
//	settings  "manager_pin" -> argon2id hash as a PHC string
//	          ($argon2id$v=19$m=65536,t=1,p=2$salt$hash);
//	          "manager_pin_tries" -> wrong tries and lock as JSON
//	outbox, outbox_state
//	          every change of a sale and every closed day, numbered, for
//	          head office, written with the change; see outbox.go
//
// The last four buckets came with refunds and reports. A kiosk creates them
// when it opens an older ledger; until then reads treat them as empty.
//
// Dates are calendar days in Options.Location, the shop's time zone. The day
// of a sale is the day it was created; the day of a receipt number is the day
// the payment arrived, so a sale started at 23:59 and paid at 00:01 is listed
// on the first day and numbered on the second. The kiosk and the managers'
// tools must agree on the Location, because the day index is written with the
// kiosk's.
//
// A receipt number is taken from the day's counter in the same transaction
// that marks the sale paid, so numbers are gap-free and never issued twice.
// Z report numbers work the same way, from one counter for the ledger.
//
// # Refunds, reports and the manager PIN
//
// A refund is written with its sale (Sale.Refunds) as requested before
// Alipay is asked (RequestRefund), then marked done, failed or unknown. Its
// out_request_no is Alipay's idempotency key, so a refund still requested
// or unknown after a crash is settled by asking again with the same one.
// A sale refunded in part stays paid with RefundedFen > 0; one refunded in
// full becomes refunded. Refunds count in the totals of their sale's day.
//
// Report computes a day's X report on demand; CloseDay stores its Z report
// once. The manager PIN is kept only as an argon2id hash; CheckManagerPIN
// counts wrong tries in the ledger and locks after five for five minutes.
// Values are decoded inside their transaction, because bbolt's byte slices
// are valid only there.
//
// # Locking
//
// Exactly one kiosk may write a ledger, while managers' tools (the
// "kiosk ledger" export) must be able to read it at the same time. bbolt
// alone cannot provide both: it holds an exclusive flock on ledger.db for as
// long as a read-write handle is open and a shared flock for a read-only
// one, so a kiosk that kept the database open would lock every reader out.
//
// So the two concerns are separated:
//
//   - Open (not read-only) takes a non-blocking exclusive flock on kiosk.lock
//     and keeps it until Close. A second kiosk on the same directory fails at
//     once with ErrLocked. The kernel drops the lock when the process dies, so
//     a crash never leaves a stale lock behind.
//   - No Store keeps ledger.db open. Every operation opens the database,
//     runs one transaction and closes it again, waiting at most
//     Options.Timeout for bbolt's lock. Writes open read-write (exclusive);
//     reads, including the kiosk's own, open read-only (shared). A reader
//     therefore delays the kiosk only for the duration of one read, and the
//     kiosk delays a reader only for the duration of one write.
//
// Opening per operation is cheap: on the development machine
// BenchmarkMarkPaid measured about 0.5 ms for open, a write transaction with
// its fsync, and close, and a read took tens of microseconds. A slow SD card may take tens of
// milliseconds per fsync, still nothing next to a sale that takes a person
// several seconds. The cost does not grow with the ledger: in one of a
// million sales (1.5 GB, bench_day_test.go) a write took about 0.6 ms and a
// Get 90 µs, and reading a day of 2,000 sales through the day index about
// 25 ms, against 5.4 s for a scan of every sale.
//
// Long reads are split so that the kiosk never waits long: Range reads
// each day in its own transaction and Verify checks the ledger in batches
// of a few thousand entries. The exception is bbolt's own page check,
// which needs one transaction over the whole file: in the ledger of a
// million sales it held the shared lock for about 2.4 s, during which a
// kiosk write waits (within Options.Timeout, 5 s by default).
//
// Once initialised, a kiosk Store never creates ledger.db again: if the file
// disappears while the kiosk runs, writes fail rather than start a new
// ledger that would reissue receipt numbers.
//
// A read-only Open takes no lock, creates nothing, and treats a directory
// without a ledger.db as an empty ledger.
//
// Methods of a Store are safe for concurrent use by the goroutines of one
// process; a mutex serialises the per-operation opens.
package store
