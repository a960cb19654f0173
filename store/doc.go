// Package store is the kiosk's local ledger of sales, kept in a bbolt file:
// the disk, and nothing a person reads. It imports no other package of the
// kiosk; pos reads it through small interfaces and turns its values and
// typed errors into pos's own, and ui prints them (the export, the
// reports and the check's summary are in ui/cli).
//
// # Files
//
// A ledger lives in one directory:
//
//	ledger.db      the bbolt database
//	kiosk.lock     held by the running kiosk; holds its process ID for diagnostics
//	ledger.marker  written once the ledger exists: the directory has held a ledger
//
// # Buckets and keys
//
//	sales     out_trade_no -> Sale as JSON (snake_case field names)
//	days      "YYYY-MM-DD" 0x00 created_at out_trade_no -> empty
//	          the date is the sale's day (see # Days); created_at is
//	          big-endian uint64 Unix nanoseconds, so a prefix scan over one
//	          date yields that day's sales in creation order without
//	          reading any other day
//	receipts  "YYYY-MM-DD" -> big-endian uint64, the last receipt number
//	          issued that day
//	open      out_trade_no -> empty, for every sale that is pending or
//	          unknown, or paid with its refund due (Sale.Open), so recovery
//	          at start reads only unsettled sales
//	refunding out_trade_no -> empty, for every sale with a refund requested
//	          or unknown (RefundsInFlight)
//	unprinted out_trade_no -> empty, for every paid sale whose receipt
//	          did not print and has not since (Sale.ReceiptUnprinted; see
//	          printed.go)
//	refunds   "YYYY-MM-DD" 0x00 done_at out_trade_no 0x00 out_request_no
//	          -> out_trade_no, for every done refund, under the date it was
//	          done, so a day's report finds refunds of earlier days' sales
//	zreports  "YYYY-MM-DD" -> Z report as JSON (the shape kiosk ledger report --format json prints);
//	          "#last" -> big-endian uint64, the number of the last Z report
//	settings  "manager_pin" -> argon2id hash as a PHC string
//	          ($argon2id$v=19$m=65536,t=1,p=2$salt$hash);
//	          "manager_pin_tries" -> wrong tries and lock as JSON;
//	          "time_zone" -> the kiosk's zone; "receipt_day" -> "paid"
//	          once sales are listed under the day they were paid (# Days)
//	outbox, outbox_state
//	          every change of a sale and every closed day, numbered, for
//	          head office, written with the change; see outbox.go
//
// The last four buckets came with refunds and reports. A kiosk creates them
// when it opens an older ledger; until then reads treat them as empty.
// A sale's method (qr or payment_code) came with payment codes: a sale
// stored without one is read as a QR sale, and a Z report stored without
// by_method as a day of QR sales only, so older ledgers need no rewrite.
//
// # Days
//
// Dates are calendar days in Options.Location, the shop's time zone. The
// kiosk and the managers' tools must agree on the Location, because the
// day index is written with the kiosk's.
//
// A sale belongs to one day, the day of its LedgerTime: the day it was
// paid, when its receipt number was issued; for a sale without a receipt,
// the day it was created. It is listed under the day it was created until
// MarkPaid, in the transaction that takes the next number from the day's
// counter, moves it to the day of the payment. So a sale started at 23:59
// and paid at 00:00:05 is numbered from the second day's counter, listed
// under the second day, and counted in the second day's X and Z reports:
// a day's listing, its receipt numbers and its reports always cover the
// same sales, and each day's receipts run 1, 2, 3... without a gap or a
// repeat. The day of payment, not the day the sale started, because the
// receipt is issued when the money arrives and a day's Z report accounts
// for the money of that day.
//
// A Z report freezes its day as it stood when it was closed. If the first
// day was closed at 23:59:30, the sale paid after midnight is pending in
// that Z report and brings no money to it; its payment is counted once,
// in the second day's figures, and the first day's X report no longer
// lists it. (A sale still pending when its day is closed that is paid
// before midnight stays on that day, whose Z report then lacks it: close a
// day once its sales are settled.) A sale paid and then unknown keeps its
// receipt and its day when the payment is confirmed again.
//
// Kiosks before this rule listed such a sale under the day it was created,
// which then showed two receipts 0001. A kiosk that opens such a ledger
// moves these sales to the day they were paid, once ("receipt_day" in the
// settings bucket records it), and Verify reports a sale listed under the
// wrong day, a receipt number issued or listed twice, and numbers up to a
// day's counter that no sale holds.
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
// Long reads are split so that the kiosk never waits long: Range (and
// Summaries, the same days without each sale's history, for exports) reads
// each day in its own transaction and Verify checks the ledger in batches
// of a few thousand entries. The exceptions need one transaction over the
// whole file, during which a kiosk write waits (within Options.Timeout,
// 5 s by default): Verify's structure check and bbolt's own page check,
// each in a transaction of its own, and Backup's copy. In the ledger of a
// million sales (1.5 GB) each held the shared lock for 0.5 to 3 s on the
// development machine (BENCHMARKS.md).
//
// Once initialised, a kiosk Store never creates ledger.db again: if the file
// disappears while the kiosk runs, writes fail rather than start a new
// ledger that would reissue receipt numbers. Nor does a kiosk start a new
// ledger in a directory that has held one (ledger.marker, or the lock file
// of a kiosk from before the marker): a missing or empty ledger.db is
// ErrLedgerMissing unless Options.NewLedger says to start afresh.
//
// A read-only Open takes no lock, creates nothing, and treats a directory
// without a ledger.db as an empty ledger, unless the marker shows that it
// held one.
//
// # Damaged files
//
// bbolt maps ledger.db into memory and trusts what it finds there. A file
// cut short (a full disk, a copy that stopped half-way) leaves part of the
// mapping without data, which bbolt's first read of it turns into SIGBUS;
// a scribbled page sends it to offsets outside the page or the file, a
// bounds panic or a fault. So the store never lets bbolt near a file it
// has not checked, and never lets a fault kill the process:
//
//   - Before every open, the two meta pages are read with ReadAt and the
//     file's size compared with the size the valid meta claims (readHead):
//     bbolt never maps a file shorter than its data. A file cut short, or
//     with neither meta page valid, is a *DamageError (ErrDamaged).
//   - Every bbolt call runs under guard, with debug.SetPanicOnFault, so a
//     fault or a panic on a damaged page becomes an ErrDamaged error.
//   - A kiosk checks the file's structure when it opens it (walkFile, which
//     reads the pages with ReadAt): all of it up to 64 MiB, the skeleton
//     (freelist, branch pages, the small buckets) above that, and refuses
//     a damaged ledger. Verify checks all of it, and runs bbolt's own
//     tx.Check, whose goroutine a fault could not be recovered in, only on
//     a file that passed.
//
// One meta page that does not verify is what a power cut during a commit
// leaves; bbolt uses the other, the previous transaction, and rewrites the
// bad one at the next commit. That is a note in Verify, not damage. A
// sale whose JSON was scribbled is not damage to the file either: reading
// it fails with a decode error, and Verify lists it.
//
// Methods of a Store are safe for concurrent use by the goroutines of one
// process; a mutex serialises the per-operation opens.
package store
