// Package pos is the sale at the counter as a state machine, free of any
// terminal code.
//
// A sale moves amount → pending → QR → polling → paid | cancelled. The
// Register writes each sale to the ledger as pending before the first
// network call, asks the gateway for a QR code, reports what each poll
// found, and on timeout or abort makes one last query before cancelling,
// so a buyer who paid in the last second gets a receipt rather than a
// refund. Every outcome, including "Alipay could not be reached", is
// written to the ledger.
//
// Only an answer that proves Alipay did nothing ends a call as a failure: a
// request that never left, or Alipay's signed refusal. Any other failure
// (a timeout, a reset, an answer that does not verify) leaves the outcome
// unknown, and the sale is settled later by asking Alipay. A precreate
// without such an answer leaves its sale unknown, not failed: Alipay may
// have the order, so it is cancelled, and since the customer was told the
// sale did not start, a payment Alipay reports for it is recorded and then
// refunded. No status of a sale refuses a verified payment.
//
// A payment-code sale (barcode.go) starts the other way round: the
// cashier scans the code the customer's Alipay app shows, and ScanPay
// records the sale pending and charges it with alipay.trade.pay. A charge
// the customer must confirm on the phone is then polled and cancelled as a
// QR sale; a refusal is a typed error and the sale is failed; a charge
// whose answer was lost is queried and, unless paid, cancelled before
// ScanPay returns. The ledger records which way each sale was paid.
//
// The Register is synchronous: the user interface decides when to call
// Start, Poll and Cancel. It sees Alipay and the ledger through the small
// Gateway and Ledger interfaces and reads time through a Clock, so it can be
// tested with fakes and no sleeps.
//
// # What pos gives the screens and the command line
//
// pos stands between ui and {alipay, store}: ui imports pos only, so what
// a person is shown comes from here as pos's own values. records.go holds
// the ledger as the screens show it (SaleRecord, Day, Totals, Report and
// their statuses), converted from store's. errors.go holds the typed
// errors that carry their facts (PINError with the tries left,
// RefundError with what was still refundable, LedgerDamagedError with the
// file, LedgerInUseError, ...), made from store's typed errors so that no
// package reads another's message. pos words nothing: Classify
// (problem.go) sorts any error into a Problem, a Kind with its facts; a
// note of a sale's history or an outcome is a Note, a code with its facts
// (note.go), which the ledger stores as "{note:v1?...}"; a cancel's
// reason is a Reason; the catalogue in ui/words says them all.
//
// For the command line, pos has small facades, each in its own file:
// Office and Settings (office.go: the ledger opened by a manager's tool),
// Chain (chain.go: head office's PostgreSQL, via store/central),
// ReconcileDay (reconcile.go: a day against Alipay's queries and bill),
// and Console (console.go: one gateway call by hand, the verified answer
// as JSON and the traced exchange; cashier.go: the App-pay order string,
// the page/WAP pay URLs, and the legacy MD5 notification's check).
// notifyserver.go serves Alipay's
// notifications within limits that suit a port facing the internet.
package pos
