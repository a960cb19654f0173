package pos

import (
	"testing"

	"kiosk/store"
)

// TestHistoryFactsAreTheLedgers: pos's facts of a sale's history and its
// reasons for a refund due are the ledger's (TestRecordsCarryEveryField
// checks that every figure of an event reaches pos).
func TestHistoryFactsAreTheLedgers(t *testing.T) {
	for ours, theirs := range map[Fact]store.Fact{
		FactCreated: store.FactCreated, FactPaid: store.FactPaid, FactRefundRequested: store.FactRefundRequested,
		FactRefundDone: store.FactRefundDone, FactRefundFailed: store.FactRefundFailed, FactRefundUnknown: store.FactRefundUnknown,
	} {
		if string(ours) != string(theirs) {
			t.Errorf("pos's fact %q is the ledger's %q", ours, theirs)
		}
	}
	for ours, theirs := range map[RefundDue]store.RefundDue{
		DueAfterCancel: store.DueAfterCancel, DueAfterFailure: store.DueAfterFailure, DueToldNothingCharged: store.DueToldNothingCharged,
	} {
		if string(ours) != string(theirs) {
			t.Errorf("pos's refund due %q is the ledger's %q", ours, theirs)
		}
	}
}
