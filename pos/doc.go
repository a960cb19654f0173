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
// The Register is synchronous: the user interface decides when to call
// Start, Poll and Cancel. It sees Alipay and the ledger through the small
// Gateway and Ledger interfaces and reads time through a Clock, so it can be
// tested with fakes and no sleeps.
package pos
