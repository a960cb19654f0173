package cli

import (
	"fmt"

	"kiosk/pos"
	"kiosk/ui/words"
)

// chainDifferenceJSON is a difference as `central verify --format json` gives
// it: the problem in English, as scripts read it.
type chainDifferenceJSON struct {
	Seq        uint64 `json:"seq,omitempty"`
	TerminalID string `json:"terminal_id,omitempty"`
	OutTradeNo string `json:"out_trade_no,omitempty"`
	Problem    string `json:"problem"`
}

// differenceText words what a difference between a ledger and head office
// is; "" for a kind the catalogue has no sentence for (a test sees to it
// there is none).
func differenceText(say *words.Words, d pos.ChainDifference) string {
	c := &say.Central
	switch d.Kind {
	case pos.DiffInLedger:
		return c.DiffInLedger.F(outboxText(say, d.Outbox))
	case pos.DiffUnreadable:
		return c.DiffUnreadable.F(d.Detail)
	case pos.DiffConfirmedMissing:
		return c.DiffConfirmedMissing
	case pos.DiffOtherContents:
		return c.DiffOtherContents
	case pos.DiffNeverWritten:
		return c.DiffNeverWritten
	case pos.DiffExtraEvents:
		return c.DiffExtraEvents.F(d.Count, fmt.Sprint(d.Terminals))
	case pos.DiffSaleNoEvent:
		return c.DiffSaleNoEvent
	case pos.DiffSaleNotLatest:
		return c.DiffSaleNotLatest.F(d.Latest)
	case pos.DiffSaleNotListed:
		return c.DiffSaleNotListed
	case pos.DiffClosedByOther:
		return c.DiffClosedByOther.F(d.Date)
	case pos.DiffClosingNotListed:
		return c.DiffClosingNotListed.F(d.Date)
	}
	return ""
}

// outboxText words what is wrong in a ledger's outbox; "" for a kind the
// catalogue has no sentence for.
func outboxText(say *words.Words, p pos.OutboxProblem) string {
	c := &say.Central
	switch p.Kind {
	case pos.OutboxMarkBeyond:
		return c.OutboxMarkBeyond.F(p.From, p.To)
	case pos.OutboxSaleNoEvent:
		return c.OutboxSaleNoEvent.F(p.Sale)
	case pos.OutboxSaleDiffers:
		return c.OutboxSaleDiffers.F(p.Sale)
	case pos.OutboxOrphan:
		return c.OutboxOrphan.F(p.Sale)
	case pos.OutboxGap:
		return c.OutboxGap.F(p.From, p.To)
	case pos.OutboxShort:
		return c.OutboxShort.F(p.From, p.To)
	}
	return ""
}
