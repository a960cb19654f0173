package cli

import (
	"strings"

	"kiosk/pos"
	"kiosk/ui/words"
)

// checkProblemText words one problem kiosk ledger check found; "" for a
// kind the catalogue has no sentence for (a test sees to it there is none).
func checkProblemText(say *words.Words, p pos.CheckProblem) string {
	c := &say.Checked
	r := receiptLabel
	switch p.Kind {
	case pos.CheckBbolt:
		return c.Bbolt.F(p.Detail)
	case pos.CheckNoBucket:
		return c.NoBucket.F(p.Bucket)
	case pos.CheckCounterMalformed:
		return c.CounterMalformed.F(p.Date)
	case pos.CheckSaleUndecodable:
		return c.SaleUndecodable.F(p.Key, p.Detail)
	case pos.CheckSaleMisfiled:
		return c.SaleMisfiled.F(p.Key, p.Sale)
	case pos.CheckSaleStatus:
		return c.SaleStatus.F(p.Sale, p.Value)
	case pos.CheckSaleMethod:
		return c.SaleMethod.F(p.Sale, p.Value)
	case pos.CheckSaleAmount:
		return c.SaleAmount.F(p.Sale, p.Fen)
	case pos.CheckOpenIndex:
		return c.OpenIndex.F(p.Sale, say.StatusName(p.Status))
	case pos.CheckRefundingIndex:
		return c.RefundingIndex.F(p.Sale)
	case pos.CheckNotInDay:
		return c.NotInDay.F(p.Sale, p.Date)
	case pos.CheckListedOnCreation:
		return c.ListedOnCreation.F(p.Sale, p.Date, r(p.Receipt), p.OtherDate)
	case pos.CheckRefundTwice:
		return c.RefundTwice.F(p.Sale, p.Refund)
	case pos.CheckRefundedSum:
		return c.RefundedSum.F(p.Sale, words.Fen(p.Fen), words.Fen(p.OtherFen))
	case pos.CheckRefundsExceed:
		return c.RefundsExceed.F(p.Sale, words.Fen(p.Fen), words.Fen(p.OtherFen))
	case pos.CheckRefundedButPaid:
		return c.RefundedButPaid.F(p.Sale)
	case pos.CheckPaidNoReceipt:
		return c.PaidNoReceipt.F(p.Sale, say.StatusName(p.Status))
	case pos.CheckReceiptNoPaidAt:
		return c.ReceiptNoPaidAt.F(p.Sale, r(p.Receipt))
	case pos.CheckReceiptNotPaid:
		return c.ReceiptNotPaid.F(p.Sale, say.StatusName(p.Status), r(p.Receipt))
	case pos.CheckBeyondCounter:
		return c.BeyondCounter.F(p.Sale, r(p.Receipt), p.Date, p.Limit)
	case pos.CheckReceiptTwice:
		return c.ReceiptTwice.F(r(p.Receipt), p.Date, p.Sale)
	case pos.CheckListedTwice:
		return c.ListedTwice.F(p.Date, r(p.Receipt), p.Sale)
	case pos.CheckReceiptGapsMany:
		return c.ReceiptGapsMany.F(p.Date, p.Count, p.Limit, receiptList(say, p.Receipts))
	case pos.CheckReceiptGaps:
		return c.ReceiptGaps.F(p.Date, receiptList(say, p.Receipts), p.Limit)
	case pos.CheckDayKeyMalformed:
		return c.DayKeyMalformed.F(p.Key)
	case pos.CheckDayWrongDate:
		return c.DayWrongDate.F(p.Date, p.Sale, p.OtherDate)
	case pos.CheckDayOrphan:
		return c.DayOrphan.F(p.Date, p.Sale)
	case pos.CheckOpenOrphan:
		return c.OpenOrphan.F(p.Sale)
	case pos.CheckRefundingOrphan:
		return c.RefundingOrphan.F(p.Sale)
	case pos.CheckRefundKeyMalformed:
		return c.RefundKeyMalformed.F(p.Key)
	case pos.CheckRefundIndexUnreadable:
		return c.RefundIndexUnreadable.F(p.Refund, p.Sale, p.Detail)
	case pos.CheckRefundIndexNotDone:
		return c.RefundIndexNotDone.F(p.Refund, p.Sale)
	case pos.CheckZCounterMalformed:
		return c.ZCounterMalformed
	case pos.CheckZUndecodable:
		return c.ZUndecodable.F(p.Key, p.Detail)
	case pos.CheckZMisfiled:
		return c.ZMisfiled.F(p.Key, p.Value, p.Date)
	case pos.CheckZOutside:
		return c.ZOutside.F(p.Number, p.Limit)
	case pos.CheckZTwice:
		return c.ZTwice.F(p.Number)
	case pos.CheckZMissing:
		return c.ZMissing.F(p.Count, p.Limit)
	case pos.CheckFile:
		return c.File.F(p.Detail)
	}
	return ""
}

func receiptList(say *words.Words, ns []int) string {
	labels := make([]string, len(ns))
	for i, n := range ns {
		labels[i] = receiptLabel(n)
	}
	return strings.Join(labels, say.Punct.List)
}
