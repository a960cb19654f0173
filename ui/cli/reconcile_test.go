package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"kiosk/pos"
)

// TestReconciliationSaysItsSources: a day without a bill yet says so
// plainly (not "Alipay is busy") and says the refunds were asked by
// number; every difference has what to do under the table.
func TestReconciliationSaysItsSources(t *testing.T) {
	rec := pos.Reconciliation{Date: "2026-12-01", Sales: 1, Refunds: pos.RefundsFromQueries,
		Bill: pos.BillCheck{NoBill: errors.New("isp.bill_not_exist"), NotYet: true},
		Differences: []pos.Difference{{OutTradeNo: "KT1_A", Ledger: pos.StatusPaid, LedgerFen: 666, Alipay: "TRADE_CLOSED",
			AlipayFen: 666, Issue: pos.IssueAlipayRefunded}}}
	var out bytes.Buffer
	if err := Reconciliation(&out, rec, "table", TheLedger); err == nil {
		t.Error("a difference did not fail")
	}
	for _, want := range []string{"has not made this day's bill yet", "Refunds: asked of Alipay by refund number",
		"Alipay gave the payment back in full (6.66)", "What to do:", "KT1_A: reconcile the day the money went back, with --apply"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "busy") {
		t.Errorf("a bill not made yet reads as Alipay busy:\n%s", out.String())
	}
}
