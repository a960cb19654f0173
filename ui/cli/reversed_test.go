package cli

import (
	"bytes"
	"strings"
	"testing"

	"kiosk/pos"
	"kiosk/ui/words"
)

// TestReversedSaleInTheLedger: the ledger's table and CSV call a sale
// refunded without a receipt 撤销（已冲正）, not 已退款; its JSON keeps the
// ledger's status and says reversed; the totals count it apart.
func TestReversedSaleInTheLedger(t *testing.T) {
	Speak(words.Chinese)
	t.Cleanup(func() { Speak(words.English) })
	rev := pos.SaleRecord{OutTradeNo: "KT1_20261202100000000_REVRSD", Status: pos.StatusRefunded, AmountFen: 500}
	d := pos.Day{Date: "2026-12-02", Sales: []pos.SaleRecord{rev},
		Totals: pos.Totals{Count: 1, Reversed: 1, ReversedFen: 500}}
	for _, format := range []string{"table", "csv"} {
		var out bytes.Buffer
		if err := WriteDay(&out, d, format); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "撤销（已冲正）") || strings.Contains(out.String(), "已退款  ¥") {
			t.Errorf("%s does not say reversed:\n%s", format, out.String())
		}
	}
	var out bytes.Buffer
	_ = WriteDay(&out, d, "table")
	if !strings.Contains(out.String(), "撤销（已冲正）1 笔 ¥5.00") {
		t.Errorf("the totals do not count the reversal apart:\n%s", out.String())
	}
	out.Reset()
	_ = WriteDay(&out, d, "json")
	for _, want := range []string{`"status": "refunded"`, `"reversed": true`, `"reversed_fen": 500`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %s in:\n%s", want, out.String())
		}
	}
}
