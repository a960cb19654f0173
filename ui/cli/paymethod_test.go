package cli

import (
	"bytes"
	"encoding/json"
	"testing"

	"kiosk/pos"
)

// TestLedgerJSONSaysHowEachSaleWasPaid: kiosk ledger --format json names
// the way each sale was paid.
func TestLedgerJSONSaysHowEachSaleWasPaid(t *testing.T) {
	day := seedDay()
	day.Sales[1].Method = pos.PayByCode
	var buf bytes.Buffer
	if err := WriteDay(&buf, day, "json"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sales []struct {
			Method string `json:"method"`
		} `json:"sales"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Sales[0].Method != "qr" || got.Sales[1].Method != "payment_code" {
		t.Errorf("methods %+v, want qr then payment_code", got.Sales[:2])
	}
}
