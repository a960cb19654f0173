package pos

import (
	"context"
	"errors"

	"kiosk/alipay"
)

// Querier asks Alipay about one trade. *alipay.Client implements it.
type Querier interface {
	Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error)
}

// Biller is what a reconciliation asks Alipay: a query per sale, and the
// day's bill. *alipay.Client implements it.
type Biller interface {
	Querier
	TradeBill(ctx context.Context, date string) (*alipay.TradeBill, error)
}

// BillRow is one payment in Alipay's bill of the day.
type BillRow struct {
	OutTradeNo string
	TotalFen   int64
	Status     string
}

// Reconciliation is a day of the ledger compared with Alipay's record.
type Reconciliation struct {
	Date        string
	Sales       int // the day's sales in the ledger
	Bill        BillCheck
	Differences []Difference // none means they agree
}

// BillCheck says whether Alipay's bill for the day was compared too, and
// why not.
type BillCheck struct {
	Read   bool // the bill was read, and its trades compared
	Trades int  // the trades in it
	// NoBill is Alipay's answer when it had no bill for the day (a daily
	// bill exists from the next morning); Unreadable why the bill it gave
	// could not be read. Either way the sales were compared by query only.
	NoBill     error
	Unreadable error
}

// ReconcileDay compares the sales of day with Alipay: a query per sale,
// and the day's bill where one can be had.
func ReconcileDay(ctx context.Context, b Biller, day Day) Reconciliation {
	bill, check := fetchBill(ctx, b, day.Date)
	return Reconciliation{Date: day.Date, Sales: len(day.Sales), Bill: check, Differences: Audit(ctx, b, day, bill)}
}

// fetchBill reads the day's trade bill; without one the sales are
// compared by query only, and the check says why.
func fetchBill(ctx context.Context, b Biller, date string) ([]BillRow, BillCheck) {
	bill, err := b.TradeBill(ctx, date)
	switch {
	case errors.Is(err, alipay.ErrBadBill), errors.Is(err, alipay.ErrBillDownload):
		return nil, BillCheck{Unreadable: err}
	case err != nil:
		return nil, BillCheck{NoBill: err}
	}
	var rows []BillRow
	for _, e := range bill.Entries {
		if e.Kind == alipay.BillTrade {
			rows = append(rows, BillRow{OutTradeNo: e.OutTradeNo, TotalFen: e.TotalFen, Status: string(alipay.TradeSuccess)})
		}
	}
	return rows, BillCheck{Read: true, Trades: len(rows)}
}

// Difference is one disagreement between the ledger and Alipay.
type Difference struct {
	OutTradeNo string
	Ledger     Status // "" for a trade the ledger lacks
	LedgerFen  int64
	Alipay     string // trade_status, AlipayNotFound, or AlipayNotAsked
	AlipayFen  int64
	Issue      Issue
	Cause      Problem // why Alipay could not be asked (IssueNotAsked)
}

// What Difference.Alipay says when Alipay gave no trade status.
const (
	AlipayNotFound = "not found" // Alipay has no such trade
	AlipayNotAsked = "not asked" // Alipay could not be asked
)

// Issue is how the ledger and Alipay disagree about a sale.
type Issue string

// The disagreements a reconciliation finds.
const (
	IssueNotAsked           Issue = "not-asked"           // Alipay could not be asked (Cause)
	IssueOnlyInBill         Issue = "only-in-bill"        // Alipay's bill has the trade; the day's ledger does not
	IssueUnsettled          Issue = "unsettled"           // the ledger has not settled the sale (Ledger)
	IssueAmounts            Issue = "amounts"             // the amounts differ
	IssuePaidOnlyInLedger   Issue = "paid-only-in-ledger" // the ledger says paid; Alipay does not
	IssueRefundOnlyInLedger Issue = "refund-only-in-ledger"
	IssueAlipayPaid         Issue = "alipay-paid" // the ledger says cancelled or failed (Ledger); Alipay took a payment
	IssueAlipayOpen         Issue = "alipay-open" // the ledger says cancelled or failed (Ledger); the trade is open at Alipay
)

// Audit compares each sale of day with Alipay's record of it (a query per
// sale) and, when bill is not nil, looks for trades in Alipay's bill that
// the ledger lacks. It lists every difference; none means they agree.
func Audit(ctx context.Context, q Querier, day Day, bill []BillRow) []Difference {
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
				Issue: IssueOnlyInBill})
		}
	}
	return diffs
}

func auditSale(ctx context.Context, q Querier, s SaleRecord) (Difference, bool) {
	d := Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen}
	resp, err := q.Query(ctx, &alipay.QueryRequest{OutTradeNo: s.OutTradeNo})
	switch {
	case alipay.IsTradeNotExist(err):
		d.Alipay = AlipayNotFound
	case err != nil:
		d.Alipay, d.Issue, d.Cause = AlipayNotAsked, IssueNotAsked, Classify(err)
		return d, false
	default:
		d.Alipay, d.AlipayFen = string(resp.TradeStatus), resp.TotalFen
	}
	d.Issue = disagreement(s, resp, d.Alipay == AlipayNotFound)
	return d, d.Issue == ""
}

// disagreement says how the ledger and Alipay disagree about a sale, or ""
// when they agree.
func disagreement(s SaleRecord, resp *alipay.QueryResponse, notFound bool) Issue {
	paidAtAlipay := !notFound && resp.TradeStatus.Paid()
	refundedAtAlipay := !notFound && resp.TradeStatus == alipay.TradeClosed && !resp.SendPayDate.IsZero()
	switch {
	case !s.Status.Settled():
		return IssueUnsettled
	case !notFound && resp.TotalFen != s.AmountFen:
		return IssueAmounts
	case s.Status == StatusPaid && !paidAtAlipay:
		return IssuePaidOnlyInLedger
	case s.Status == StatusRefunded && !refundedAtAlipay:
		return IssueRefundOnlyInLedger
	case (s.Status == StatusCancelled || s.Status == StatusFailed) && (paidAtAlipay || refundedAtAlipay):
		return IssueAlipayPaid
	case (s.Status == StatusCancelled || s.Status == StatusFailed) && !notFound && resp.TradeStatus == alipay.WaitBuyerPay:
		return IssueAlipayOpen
	}
	return ""
}
