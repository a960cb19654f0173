package pos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/alipay"
)

// Querier asks Alipay about one trade. *alipay.Client implements it.
type Querier interface {
	Query(ctx context.Context, r *alipay.QueryRequest) (*alipay.QueryResponse, error)
}

// Biller is what a reconciliation asks Alipay: a query per sale, the
// day's bill, and, without a bill, a refund query per refund number.
// *alipay.Client implements it.
type Biller interface {
	Querier
	RefundQuery(ctx context.Context, r *alipay.RefundQueryRequest) (*alipay.RefundQueryResponse, error)
	TradeBill(ctx context.Context, date string) (*alipay.TradeBill, error)
}

// BillRow is one payment in Alipay's bill of the day.
type BillRow struct {
	OutTradeNo string
	TotalFen   int64
	Status     string
}

// BillRefund is one refund in Alipay's bill of the day (a 退款 row), or one
// that a refund query found.
type BillRefund struct {
	OutTradeNo   string
	OutRequestNo string // "" for a payment cancelled after it was made
	Fen          int64  // positive
	At           time.Time
	Reason       string // the refund's reason, when Alipay's refund query gave it
}

// Reconciliation is a day of the ledger compared with Alipay's record.
type Reconciliation struct {
	Date        string
	Sales       int // the day's sales in the ledger
	Bill        BillCheck
	Refunds     RefundSource // where Alipay's refunds were learnt
	Differences []Difference // none means they agree, as far as Alipay could be asked
	// Unqueried are the sales Alipay could not be asked about (Issue
	// IssueNotAsked, with its Cause): compared with nothing, so neither
	// agreeing nor differing, and never put right by Apply. A sale whose
	// trade was asked about but whose refunds could not be is here too.
	Unqueried []Difference
}

// Complete reports whether everything was compared: every sale asked
// about, and the bill read unless Alipay said it has none. A day that is
// not complete is to be reconciled again later, whatever it found.
func (r Reconciliation) Complete() bool {
	return len(r.Unqueried) == 0 && r.Bill.Failed == nil && r.Bill.Unreadable == nil
}

// RefundSource says where a reconciliation learnt of Alipay's refunds.
type RefundSource int

const (
	// RefundsFromBill: the bill's 退款 rows, every refund made that day,
	// whatever day the sale was made.
	RefundsFromBill RefundSource = iota + 1
	// RefundsFromQueries: without a bill, a refund query for each refund
	// number the kiosk would use on each of the day's paid sales
	// (<order>_R1, _R2, …) and for the order number itself, which Alipay
	// takes when a refund is sent without one. A refund sent elsewhere
	// under another number is found only in the bill.
	RefundsFromQueries
)

// BillCheck says whether Alipay's bill for the day was compared too, and
// why not.
type BillCheck struct {
	Read    bool // the bill was read, and its trades compared
	Trades  int  // the trades in it
	Refunds int  // the refunds in it
	// NoBill is Alipay's signed answer when it had no bill for the day (a
	// daily bill exists from the next morning); Failed why Alipay could
	// not be asked for the bill (no answer, Alipay busy, an answer that
	// does not verify): a failure, not a day without a bill; Unreadable
	// why the bill it gave could not be read. Either way the sales were
	// compared by query only.
	NoBill     error
	Failed     error
	Unreadable error
	// Fault is what was wrong with the bill, in facts, when Unreadable.
	Fault BillFault
	// NotYet: NoBill is Alipay's isp.bill_not_exist, a bill not made yet
	// (today's, or a day still to come), not a failure.
	NotYet bool
}

// subBillNotExist is Alipay's sub code for a bill it has not made.
const subBillNotExist = "isp.bill_not_exist"

// ReconcileDay compares the sales of day with Alipay: a query per sale,
// and the day's bill where one can be had; and Alipay's refunds, from the
// bill or else by refund queries, with the ledger's.
func ReconcileDay(ctx context.Context, b Biller, day Day) Reconciliation {
	return reconcileDay(ctx, b, day, nil)
}

// lookup finds a sale of another day in the ledger, for a refund in the
// day's bill of a sale made earlier; nil when there is no ledger to ask.
type lookup func(outTradeNo string) (SaleRecord, bool)

func reconcileDay(ctx context.Context, b Biller, day Day, find lookup) Reconciliation {
	bill, check := fetchBill(ctx, b, day.Date)
	rec := Reconciliation{Date: day.Date, Sales: len(day.Sales), Bill: check}
	diffs, answers := audit(ctx, b, day, bill.trades)
	refunds := bill.refunds
	if check.Read {
		rec.Refunds = RefundsFromBill
	} else {
		rec.Refunds = RefundsFromQueries
		var notAsked []Difference
		refunds, notAsked = queryRefunds(ctx, b, day, answers)
		diffs = append(diffs, notAsked...)
	}
	diffs = append(diffs, compareRefunds(day, refunds, answers, find)...)
	rec.Differences, rec.Unqueried = splitUnqueried(diffs, answers)
	askReasons(ctx, b, rec.Differences)
	return rec
}

// askReasons asks Alipay, refund by refund, the reason given with each
// refund Apply would record that came without one (the bill has no
// reason column), so that the ledger keeps it. A refund query that fails
// leaves the reason blank: the refund itself is known from the bill.
func askReasons(ctx context.Context, b Biller, diffs []Difference) {
	for _, d := range diffs {
		r := d.Refund
		if r == nil || r.OutRequestNo == "" || r.Reason != "" {
			continue
		}
		resp, err := b.RefundQuery(ctx, &alipay.RefundQueryRequest{OutTradeNo: r.OutTradeNo, OutRequestNo: r.OutRequestNo})
		if err == nil && resp.Refunded() {
			r.Reason = resp.Reason
		}
	}
}

// splitUnqueried takes out of diffs the sales Alipay could not be asked
// about, once each. A sale whose trade query got no answer has no
// difference at all (nothing of Alipay's was compared); one whose trade
// was answered but whose refunds could not all be asked keeps the
// differences its trade showed. Neither keeps a refund to record: Apply
// never acts on a sale not wholly compared. Differences is never nil, so
// that none reads as none.
func splitUnqueried(diffs []Difference, answers map[string]*alipay.QueryResponse) (kept, unqueried []Difference) {
	kept = []Difference{}
	seen := map[string]bool{}
	for _, d := range diffs {
		if d.Issue != IssueNotAsked {
			continue
		}
		if !seen[d.OutTradeNo] {
			unqueried = append(unqueried, d)
		}
		seen[d.OutTradeNo] = true
	}
	for _, d := range diffs {
		_, answered := answers[d.OutTradeNo]
		if d.Issue == IssueNotAsked || (seen[d.OutTradeNo] && (!answered || d.Refund != nil)) {
			continue
		}
		kept = append(kept, d)
	}
	return kept, unqueried
}

// billRows are a bill's payments and refunds.
type billRows struct {
	trades  []BillRow
	refunds []BillRefund
}

// fetchBill reads the day's trade bill; without one the sales are
// compared by query only, and the check says why.
func fetchBill(ctx context.Context, b Biller, date string) (billRows, BillCheck) {
	bill, err := b.TradeBill(ctx, date)
	switch {
	case errors.Is(err, alipay.ErrBadBill), errors.Is(err, alipay.ErrBillDownload):
		return billRows{}, BillCheck{Unreadable: err, Fault: billFault(err)}
	case err != nil && !alipaySaidNoBill(err):
		return billRows{}, BillCheck{Failed: err}
	case err != nil:
		var ae *alipay.Error
		return billRows{}, BillCheck{NoBill: err, NotYet: errors.As(err, &ae) && ae.SubCode == subBillNotExist}
	}
	var rows billRows
	for _, e := range bill.Entries {
		switch e.Kind {
		case alipay.BillTrade:
			rows.trades = append(rows.trades, BillRow{OutTradeNo: e.OutTradeNo, TotalFen: e.TotalFen, Status: string(alipay.TradeSuccess)})
		case alipay.BillRefund:
			rows.refunds = append(rows.refunds, BillRefund{OutTradeNo: e.OutTradeNo, OutRequestNo: e.OutRequestNo,
				Fen: -e.TotalFen, At: e.FinishedAt})
		}
	}
	return rows, BillCheck{Read: true, Trades: len(rows.trades), Refunds: len(rows.refunds)}
}

// alipaySaidNoBill reports whether err is Alipay's signed answer that it
// has no bill to give: its bill not made yet, or a refusal that asking
// again does not change. No answer, Alipay busy, or an answer that does not
// verify is a failure to ask, not Alipay's word.
func alipaySaidNoBill(err error) bool {
	var ae *alipay.Error
	if !errors.As(err, &ae) || errors.Is(err, alipay.ErrUnsignedError) {
		return false
	}
	return ae.SubCode == subBillNotExist || !ae.Retryable()
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
	// Refund is, for IssueRefundOnlyAtAlipay and IssueAlipayRefunded, the
	// refund Alipay made that the ledger lacks, when Alipay named it:
	// what Apply records. Nil when the ledger cannot be put right from
	// what Alipay said.
	Refund *BillRefund
	// LedgerReceipt is the sale's receipt number, 0 for none: a refunded
	// sale without one was reversed (LedgerSale().Reversed()).
	LedgerReceipt int
}

// LedgerSale is the ledger's side of d as a sale record: its number,
// status, amount and receipt.
func (d Difference) LedgerSale() SaleRecord {
	return SaleRecord{OutTradeNo: d.OutTradeNo, Status: d.Ledger, AmountFen: d.LedgerFen, ReceiptNo: d.LedgerReceipt}
}

// What Difference.Alipay says when Alipay gave no trade status.
const (
	AlipayNotFound = "not found" // Alipay has no such trade
	AlipayNotAsked = "not asked" // Alipay could not be asked
)

// The statuses Difference.Alipay holds when Alipay gave one, as Alipay
// names them, for ui to word.
const (
	AlipayWaitBuyerPay  = string(alipay.WaitBuyerPay)
	AlipayTradeSuccess  = string(alipay.TradeSuccess)
	AlipayTradeFinished = string(alipay.TradeFinished)
	AlipayTradeClosed   = string(alipay.TradeClosed)
	AlipayRefundSuccess = alipay.RefundSuccess
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
	// IssueRefundOnlyAtAlipay: Alipay made a refund of the sale (Refund,
	// AlipayFen) that the ledger does not have as done.
	IssueRefundOnlyAtAlipay Issue = "refund-only-at-alipay"
	// IssueAlipayRefunded: Alipay returned the whole payment (a cancel
	// after payment, or refunds the kiosk cannot name: Refund is nil); the
	// ledger says paid.
	IssueAlipayRefunded Issue = "alipay-refunded"
)

// Audit compares each sale of day with Alipay's record of it (a query per
// sale) and, when bill is not nil, looks for trades in Alipay's bill that
// the ledger lacks. It lists every difference; none means they agree.
func Audit(ctx context.Context, q Querier, day Day, bill []BillRow) []Difference {
	diffs, _ := audit(ctx, q, day, bill)
	return diffs
}

// audit is Audit, with Alipay's answer about each sale it could ask about.
func audit(ctx context.Context, q Querier, day Day, bill []BillRow) ([]Difference, map[string]*alipay.QueryResponse) {
	var diffs []Difference
	answers := make(map[string]*alipay.QueryResponse, len(day.Sales))
	known := make(map[string]bool, len(day.Sales))
	for _, s := range day.Sales {
		known[s.OutTradeNo] = true
		d, resp, ok := auditSale(ctx, q, s)
		if resp != nil {
			answers[s.OutTradeNo] = resp
		}
		if !ok {
			diffs = append(diffs, d)
		}
	}
	for _, row := range bill {
		if !known[row.OutTradeNo] {
			diffs = append(diffs, Difference{OutTradeNo: row.OutTradeNo, Alipay: row.Status, AlipayFen: row.TotalFen,
				Issue: IssueOnlyInBill})
		}
	}
	return diffs, answers
}

func auditSale(ctx context.Context, q Querier, s SaleRecord) (Difference, *alipay.QueryResponse, bool) {
	d := Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen, LedgerReceipt: s.ReceiptNo}
	resp, err := q.Query(ctx, &alipay.QueryRequest{OutTradeNo: s.OutTradeNo})
	switch {
	case alipay.IsTradeNotExist(err):
		d.Alipay = AlipayNotFound
	case err != nil:
		d.Alipay, d.Issue, d.Cause = AlipayNotAsked, IssueNotAsked, Classify(err)
		return d, nil, false
	default:
		d.Alipay, d.AlipayFen = string(resp.TradeStatus), resp.TotalFen
	}
	d.Issue = disagreement(s, resp, d.Alipay == AlipayNotFound)
	return d, resp, d.Issue == ""
}

// paidAtAlipay reports whether Alipay took the payment: paid, or closed
// after payment (refunded in full).
func paidAtAlipay(resp *alipay.QueryResponse) bool {
	return resp != nil && (resp.TradeStatus.Paid() || refundedAtAlipay(resp))
}

// refundedAtAlipay reports whether Alipay closed the trade after payment:
// its whole amount went back.
func refundedAtAlipay(resp *alipay.QueryResponse) bool {
	return resp != nil && resp.TradeStatus == alipay.TradeClosed && !resp.SendPayDate.IsZero()
}

// maxRefundGuesses bounds the kiosk's refund numbers asked about beyond
// those the ledger has: the next ones it would use.
const maxRefundGuesses = 2

// queryRefunds asks Alipay, refund number by refund number, which refunds
// of the day's paid sales it made: the kiosk's numbers the ledger has, the
// next ones, and the order number itself.
func queryRefunds(ctx context.Context, b Biller, day Day, answers map[string]*alipay.QueryResponse) ([]BillRefund, []Difference) {
	var found []BillRefund
	var notAsked []Difference
	for _, s := range day.Sales {
		if !paidAtAlipay(answers[s.OutTradeNo]) || s.Status != StatusPaid {
			continue
		}
		for _, no := range refundNumbers(s) {
			resp, err := b.RefundQuery(ctx, &alipay.RefundQueryRequest{OutTradeNo: s.OutTradeNo, OutRequestNo: no})
			if err != nil {
				notAsked = append(notAsked, Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen, LedgerReceipt: s.ReceiptNo,
					Alipay: AlipayNotAsked, Issue: IssueNotAsked, Cause: Classify(err)})
				break
			}
			if resp.Refunded() {
				found = append(found, BillRefund{OutTradeNo: s.OutTradeNo, OutRequestNo: no, Fen: resp.RefundFen, Reason: resp.Reason})
			}
		}
	}
	return found, notAsked
}

// refundNumbers are the refund numbers to ask Alipay about for a sale.
func refundNumbers(s SaleRecord) []string {
	nos := []string{s.OutTradeNo}
	for i := 1; i <= len(s.Refunds)+maxRefundGuesses; i++ {
		nos = append(nos, refundNumber(s.OutTradeNo, i))
	}
	return nos
}

// refundNumber is the kiosk's out_request_no of a sale's i-th refund.
func refundNumber(outTradeNo string, i int) string { return fmt.Sprintf("%s_R%d", outTradeNo, i) }

// compareRefunds lists the refunds Alipay made that the ledger does not
// have as done, and the sales Alipay closed after payment that the ledger
// still has as paid with nothing to explain it. A bill's row without a
// refund number is a cancel after payment.
func compareRefunds(day Day, refunds []BillRefund, answers map[string]*alipay.QueryResponse, find lookup) []Difference {
	sales := make(map[string]SaleRecord, len(day.Sales))
	for _, s := range day.Sales {
		sales[s.OutTradeNo] = s
	}
	var diffs []Difference
	explained := map[string]int64{} // refunds found per sale, beyond the ledger's
	for _, r := range refunds {
		s, ok := sales[r.OutTradeNo]
		if !ok && find != nil {
			s, ok = find(r.OutTradeNo)
		}
		if !ok || s.Status == StatusRefunded || refundDone(s, r.OutRequestNo) {
			continue // not the ledger's (the bill's trades say so), or refunded in full already
		}
		explained[s.OutTradeNo] += r.Fen
		issue := IssueRefundOnlyAtAlipay
		if r.OutRequestNo == "" {
			issue = IssueAlipayRefunded
		}
		diffs = append(diffs, Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen, LedgerReceipt: s.ReceiptNo,
			Alipay: alipay.RefundSuccess, AlipayFen: r.Fen, Issue: issue, Refund: &r})
	}
	for _, s := range day.Sales {
		if s.Status == StatusPaid && refundedAtAlipay(answers[s.OutTradeNo]) && s.RefundedFen+explained[s.OutTradeNo] < s.AmountFen {
			diffs = append(diffs, Difference{OutTradeNo: s.OutTradeNo, Ledger: s.Status, LedgerFen: s.AmountFen, LedgerReceipt: s.ReceiptNo,
				Alipay: string(alipay.TradeClosed), AlipayFen: s.AmountFen - s.RefundedFen - explained[s.OutTradeNo],
				Issue: IssueAlipayRefunded})
		}
	}
	return diffs
}

// refundDone reports whether the ledger has the refund numbered no as done.
func refundDone(s SaleRecord, no string) bool {
	for _, r := range s.Refunds {
		if r.OutRequestNo == no && r.Status == RefundDone {
			return true
		}
	}
	return false
}

// disagreement says how the ledger and Alipay disagree about a sale, or ""
// when they agree.
func disagreement(s SaleRecord, resp *alipay.QueryResponse, notFound bool) Issue {
	paidAtAlipay := !notFound && resp.TradeStatus.Paid()
	refundedAtAlipay := !notFound && refundedAtAlipay(resp)
	switch {
	case !s.Status.Settled():
		return IssueUnsettled
	case !notFound && resp.TotalFen != s.AmountFen:
		return IssueAmounts
	case s.Status == StatusPaid && !paidAtAlipay && !refundedAtAlipay: // a refund in full is compareRefunds's
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

// BillFault is why Alipay's bill could not be read: what (Problem) and
// where (File in the zip, Line of it, Column), or, for a download that
// gave no zip, the Host asked and its HTTP Status (0: no answer).
type BillFault struct {
	Problem BillProblem
	File    string
	Line    int
	Column  string
	Host    string
	Status  int
}

// BillProblem is what was wrong with a bill.
type BillProblem int

// What can be wrong with a bill (alipay's ErrBill… kinds).
const (
	BillOther         BillProblem = iota // none of below
	BillNotZip                           // not a zip archive
	BillZipDamaged                       // a damaged zip entry
	BillFileMissing                      // a file missing from the zip
	BillFileTwice                        // a file found twice in the zip
	BillTooLarge                         // larger than is read
	BillTruncated                        // cut short
	BillHeader                           // a bad column header
	BillField                            // a bad value
	BillTotals                           // the totals do not add up
	BillNotDownloaded                    // the download gave no zip
)

// billFault is the facts of the gateway's bill error.
func billFault(err error) BillFault {
	if de, ok := errors.AsType[*alipay.BillDownloadError](err); ok {
		return BillFault{Problem: BillNotDownloaded, Host: de.Host, Status: de.Status}
	}
	be, ok := errors.AsType[*alipay.BillError](err)
	if !ok {
		return BillFault{}
	}
	f := BillFault{File: be.File, Line: be.Line, Column: be.Column}
	for _, k := range []struct {
		err error
		p   BillProblem
	}{
		{alipay.ErrBillNotZip, BillNotZip}, {alipay.ErrBillZipDamaged, BillZipDamaged},
		{alipay.ErrBillFileMissing, BillFileMissing}, {alipay.ErrBillFileTwice, BillFileTwice},
		{alipay.ErrBillTooLarge, BillTooLarge}, {alipay.ErrBillTruncated, BillTruncated},
		{alipay.ErrBillHeader, BillHeader}, {alipay.ErrBillField, BillField}, {alipay.ErrBillMismatch, BillTotals},
	} {
		if be.Problem == k.err {
			f.Problem = k.p
		}
	}
	return f
}
