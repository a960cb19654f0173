package pos

import (
	"context"
	"fmt"

	"kiosk/alipay"
	"kiosk/store"
)

// Querier asks Alipay about one trade. *alipay.Client implements it.
type Querier interface {
	Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error)
}

// Difference is one disagreement between the ledger and Alipay.
type Difference struct {
	OutTradeNo string       `json:"out_trade_no"`
	Ledger     store.Status `json:"ledger_status,omitempty"`
	LedgerFen  int64        `json:"ledger_fen"`
	Alipay     string       `json:"alipay_status"` // trade_status, "not found", or "not asked"
	AlipayFen  int64        `json:"alipay_fen"`
	Problem    string       `json:"problem"`
}

// BillRow is one trade in Alipay's bill for the day.
type BillRow struct {
	OutTradeNo string
	TotalFen   int64
	Status     string
}

// Audit compares each sale of day with Alipay's record of it (a query per
// sale) and, when bill is not nil, looks for trades in Alipay's bill that
// the ledger lacks. It lists every difference; none means they agree.
func Audit(ctx context.Context, q Querier, day store.Day, bill []BillRow) []Difference {
	var diffs []Difference
	known := make(map[string]bool, len(day.Sales))
	for _, s := range day.Sales {
		known[s.OutTradeNo] = true
		if d, ok := auditSale(ctx, q, s); !ok {
			diffs = append(diffs, d)
		}
	}
	for _, row := range bill {
		if !known[row.OutTradeNo] {
			diffs = append(diffs, Difference{OutTradeNo: row.OutTradeNo, Alipay: row.Status, AlipayFen: row.TotalFen,
				Problem: "Alipay's bill has this trade; the ledger of this day does not"})
		}
	}
	return diffs
}

func auditSale(ctx context.Context, q Querier, s store.Sale) (Difference, bool) {
	d := Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen}
	resp, err := q.Query(ctx, &alipay.QueryRequest{OutTradeNo: s.OutTradeNo})
	switch {
	case alipay.IsTradeNotExist(err):
		d.Alipay = "not found"
	case err != nil:
		d.Alipay, d.Problem = "not asked", "Alipay could not be asked: "+Describe(err)
		return d, false
	default:
		d.Alipay, d.AlipayFen = string(resp.TradeStatus), resp.TotalFen
	}
	d.Problem = disagreement(s, resp, d.Alipay == "not found")
	return d, d.Problem == ""
}

// disagreement says how the ledger and Alipay disagree about a sale, or ""
// when they agree.
func disagreement(s store.Sale, resp *alipay.QueryResponse, notFound bool) string {
	paidAtAlipay := !notFound && resp.TradeStatus.Paid()
	refundedAtAlipay := !notFound && resp.TradeStatus == alipay.TradeClosed && !resp.SendPayDate.IsZero()
	switch {
	case !s.Status.Settled():
		return fmt.Sprintf("the ledger has not settled this sale (%s)", s.Status)
	case !notFound && resp.TotalFen != s.AmountFen:
		return fmt.Sprintf("amounts differ: ledger %s, Alipay %s", FormatAmount(s.AmountFen), FormatAmount(resp.TotalFen))
	case s.Status == store.StatusPaid && !paidAtAlipay:
		return "the ledger says paid; Alipay does not"
	case s.Status == store.StatusRefunded && !refundedAtAlipay:
		return "the ledger says refunded; Alipay shows no refunded payment"
	case (s.Status == store.StatusCancelled || s.Status == store.StatusFailed) && (paidAtAlipay || refundedAtAlipay):
		return fmt.Sprintf("the ledger says %s; Alipay took a payment", s.Status)
	case (s.Status == store.StatusCancelled || s.Status == store.StatusFailed) && !notFound && resp.TradeStatus == alipay.WaitBuyerPay:
		return "the ledger says " + string(s.Status) + "; the trade is still open at Alipay"
	}
	return ""
}
