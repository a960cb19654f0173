package cli

import (
	"cmp"
	"fmt"
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
		if why, ok := say.DecodeText(p.Decode); ok {
			return c.SaleUndecodableWhy.F(p.Key, why)
		}
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
	case pos.CheckUnprintedIndex:
		return c.UnprintedIndex.F(p.Sale)
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
	case pos.CheckUnprintedOrphan:
		return c.UnprintedOrphan.F(p.Sale)
	case pos.CheckRefundKeyMalformed:
		return c.RefundKeyMalformed.F(p.Key)
	case pos.CheckRefundIndexUnreadable:
		if why, ok := say.DecodeText(p.Decode); ok {
			return c.RefundIndexWhy.F(p.Refund, p.Sale, why)
		}
		return c.RefundIndexUnreadable.F(p.Refund, p.Sale, p.Detail)
	case pos.CheckRefundIndexNotDone:
		return c.RefundIndexNotDone.F(p.Refund, p.Sale)
	case pos.CheckRefundIndexOrphan:
		return c.RefundIndexOrphan.F(p.Refund, p.Sale)
	case pos.CheckZCounterMalformed:
		return c.ZCounterMalformed
	case pos.CheckZUndecodable:
		if why, ok := say.DecodeText(p.Decode); ok {
			return c.ZUndecodableWhy.F(p.Key, why)
		}
		return c.ZUndecodable.F(p.Key, p.Detail)
	case pos.CheckZMisfiled:
		return c.ZMisfiled.F(p.Key, p.Value, p.Date)
	case pos.CheckZOutside:
		return c.ZOutside.F(p.Number, p.Limit)
	case pos.CheckZTwice:
		return c.ZTwice.F(p.Number)
	case pos.CheckZMissing:
		return c.ZMissing.F(p.Count, p.Limit)
	case pos.CheckPageOrphan:
		return c.PageOrphan.F(p.Page)
	case pos.CheckPageOutside:
		return c.PageOutside.F(pageWhat(say, p), p.Page, p.Limit)
	case pos.CheckPageUnreadable:
		return c.PageUnreadable.F(p.Page, pageWhat(say, p), p.Detail)
	case pos.CheckPageWrongID:
		return c.PageWrongID.F(p.Page, pageWhat(say, p), p.OtherPage)
	case pos.CheckPageOverflowEnd:
		return c.PageOverflowEnd.F(p.Page, pageWhat(say, p), p.Count)
	case pos.CheckPageOverflowHuge:
		return c.PageOverflowHuge.F(p.Page, pageWhat(say, p), p.Count)
	case pos.CheckPageTwice:
		return c.PageTwice.F(p.Page, pageWhat(say, p))
	case pos.CheckPageUsedFree:
		return c.PageUsedFree.F(p.Page, pageWhat(say, p))
	case pos.CheckFreelistType:
		return c.FreelistType.F(p.Page, fmt.Sprintf("%#x", p.Type))
	case pos.CheckFreelistOverfull:
		return c.FreelistOverfull.F(p.Page, p.Count)
	case pos.CheckFreelistOutside:
		return c.FreelistOutside.F(p.Page, p.OtherPage, p.Limit)
	case pos.CheckFreelistTwice:
		return c.FreelistTwice.F(p.Page, p.OtherPage)
	case pos.CheckFreelistSelf:
		return c.FreelistSelf.F(p.Page, p.OtherPage)
	case pos.CheckElemShort:
		return c.ElemShort.F(pageLabel(say, p))
	case pos.CheckElemType:
		return c.ElemType.F(pageLabel(say, p), fmt.Sprintf("%#x", p.Type))
	case pos.CheckElemCount:
		return c.ElemCount.F(pageLabel(say, p), p.Count)
	case pos.CheckElemEmptyBranch:
		return c.ElemEmptyBranch.F(pageLabel(say, p))
	case pos.CheckElemOutside:
		return c.ElemOutside.F(pageLabel(say, p), p.Entry)
	case pos.CheckElemOrder:
		return c.ElemOrder.F(pageLabel(say, p), p.Entry)
	case pos.CheckElemBucketShort:
		return c.ElemBucketShort.F(pageLabel(say, p), p.Entry)
	case pos.CheckPagesMore:
		return c.PagesMore.F(p.Count)
	case pos.CheckHeaderNote:
		return c.HeaderNote.F(p.Page, p.OtherPage, p.Txid)
	case pos.CheckHeadNone:
		return c.HeadNone
	case pos.CheckHeadVersion:
		return c.HeadVersion.F(p.Count, pos.LedgerFormatVersion)
	case pos.CheckHeadChecksum:
		return c.HeadChecksum
	case pos.CheckHeadPageSize:
		return c.HeadPageSize.F(p.Bytes)
	case pos.CheckHeadPages:
		return c.HeadPages.F(p.Page)
	case pos.CheckHeadCutShort:
		return c.HeadCutShort.F(p.Bytes, p.OtherBytes)
	case pos.CheckHeadRoot:
		return c.HeadRoot.F(p.Page, p.OtherPage)
	case pos.CheckHeadFreelist:
		return c.HeadFreelist.F(p.Page, p.OtherPage)
	case pos.CheckReadFault:
		return c.ReadFault.F(p.Detail)
	case pos.CheckLedgerMissing:
		return c.LedgerMissing.F(p.Path, cmp.Or(p.OtherPath, say.CLI.RunningKiosk))
	case pos.CheckLedgerEmpty:
		return c.LedgerEmpty.F(p.Path, cmp.Or(p.OtherPath, say.CLI.RunningKiosk))
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

// pageWhat is what a page of the file is part of: the freelist, or a
// page of a bucket.
func pageWhat(say *words.Words, p pos.CheckProblem) string {
	if p.Freelist {
		return say.Checked.TheFreelist
	}
	return say.Checked.APageOf.F(bucketName(say, p))
}

func bucketName(say *words.Words, p pos.CheckProblem) string {
	if p.Bucket == "" {
		return say.Checked.RootBucket
	}
	return say.Checked.Bucket.F(p.Bucket)
}

// pageLabel names a page of the file: its number and what it is part of,
// or the bucket it is inline in.
func pageLabel(say *words.Words, p pos.CheckProblem) string {
	if p.Inline {
		return say.Checked.InlineLabel.F(bucketName(say, p))
	}
	return say.Checked.PageLabel.F(p.Page, pageWhat(say, p))
}
