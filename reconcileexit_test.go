package main

import (
	"errors"
	"fmt"
	"testing"

	"kiosk/ui/cli"
)

// TestReconcileExitStatuses: a reconciliation that could not compare
// everything exits with its own status, apart from differences found (1).
func TestReconcileExitStatuses(t *testing.T) {
	if got := exitStatus(fmt.Errorf("wrapped: %w", cli.IncompleteError{Err: errors.New("not all compared")})); got != exitIncomplete || got == exitError {
		t.Errorf("incomplete: status %d, want %d", got, exitIncomplete)
	}
	if got := exitStatus(errors.New("the ledger and Alipay differ")); got != exitError {
		t.Errorf("differences: status %d, want %d", got, exitError)
	}
}
