package pos

// Status is where a sale stands in the ledger.
type Status string

// The statuses of a sale in the ledger; see package store for how a sale
// moves between them.
const (
	StatusPending   Status = "pending"   // recorded; the buyer has not paid yet
	StatusPaid      Status = "paid"      // Alipay confirmed the payment; a receipt number was issued
	StatusCancelled Status = "cancelled" // the trade was closed without payment
	StatusRefunded  Status = "refunded"  // paid, and the whole amount went back
	StatusUnknown   Status = "unknown"   // Alipay could not tell how the sale ended; checked again later
	StatusFailed    Status = "failed"    // the sale never reached the buyer
)

// Settled reports whether the sale has reached an outcome: it is neither
// pending nor unknown.
func (st Status) Settled() bool { return st != StatusPending && st != StatusUnknown }
