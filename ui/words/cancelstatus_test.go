package words

import (
	"testing"

	"kiosk/pos"
)

// A sale that timed out and one the cashier cancelled are both cancelled
// in the ledger; the lists tell them apart by the reason the cancel's note
// keeps, and a reversal stays 撤销（已冲正）.
func TestTheListsTellATimeoutFromACashiersCancel(t *testing.T) {
	cancelled := func(r pos.Reason) pos.SaleRecord {
		return pos.SaleRecord{Status: pos.StatusCancelled, History: []pos.Event{
			{Status: pos.StatusPending, Fact: pos.FactCreated},
			{Status: pos.StatusCancelled, Note: pos.Note{Code: pos.NoteCancelled, Reason: r}},
		}}
	}
	reversed := pos.SaleRecord{Status: pos.StatusRefunded, AmountFen: 100}
	for _, c := range []struct {
		say  *Words
		sale pos.SaleRecord
		want string
	}{
		{Chinese, cancelled(pos.ReasonTimeout), "已关闭（超时）"},
		{Chinese, cancelled(pos.ReasonCashier), "已取消"},
		{Chinese, cancelled(pos.ReasonKioskClosed), "已取消"},
		{Chinese, pos.SaleRecord{Status: pos.StatusCancelled}, "已取消"},
		{Chinese, reversed, "撤销（已冲正）"},
		{English, cancelled(pos.ReasonTimeout), "closed (timed out)"},
		{English, cancelled(pos.ReasonCashier), "cancelled"},
		{English, reversed, "reversed"},
	} {
		if got := c.say.SaleStatusName(c.sale); got != c.want {
			t.Errorf("%s: %+v is %q, want %q", c.say.Lang.Tag, c.sale.History, got, c.want)
		}
	}
}
