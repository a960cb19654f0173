package store

import (
	"fmt"
	"strings"
)

// CheckKind says which rule of the ledger a CheckProblem breaks; the
// problem's other fields hold its facts, and the words for it are in
// ui/words (String gives the English for logs).
type CheckKind int

// The kinds of problem Verify finds in the ledger's own rules.
const (
	CheckBbolt                 CheckKind = iota + 1 // Detail: bbolt's own finding
	CheckNoBucket                                   // Bucket
	CheckCounterMalformed                           // Date: a day's receipt counter
	CheckSaleUndecodable                            // Key, Detail
	CheckSaleMisfiled                               // Key, Sale
	CheckSaleStatus                                 // Sale, Value
	CheckSaleMethod                                 // Sale, Value
	CheckSaleAmount                                 // Sale, Fen
	CheckOpenIndex                                  // Sale, Status
	CheckRefundingIndex                             // Sale
	CheckNotInDay                                   // Sale, Date
	CheckListedOnCreation                           // Sale, Date (paid), Receipt, OtherDate (created)
	CheckRefundTwice                                // Sale, Refund
	CheckRefundedSum                                // Sale, Fen (recorded), OtherFen (done refunds)
	CheckRefundsExceed                              // Sale, Fen (refunds), OtherFen (amount)
	CheckRefundedButPaid                            // Sale
	CheckPaidNoReceipt                              // Sale, Status
	CheckReceiptNoPaidAt                            // Sale, Receipt
	CheckReceiptNotPaid                             // Sale, Status, Receipt
	CheckBeyondCounter                              // Sale, Receipt, Date, Limit (the counter)
	CheckReceiptTwice                               // Receipt, Date, Sale
	CheckListedTwice                                // Date (listed under), Receipt, Sale
	CheckReceiptGapsMany                            // Date, Count, Limit, Receipts (the first five)
	CheckReceiptGaps                                // Date, Receipts, Limit
	CheckDayKeyMalformed                            // Key
	CheckDayWrongDate                               // Date, Sale, OtherDate
	CheckDayOrphan                                  // Date, Sale
	CheckOpenOrphan                                 // Sale
	CheckRefundingOrphan                            // Sale
	CheckRefundKeyMalformed                         // Key
	CheckRefundIndexUnreadable                      // Refund, Sale, Detail
	CheckRefundIndexNotDone                         // Refund, Sale
	CheckZCounterMalformed                          //
	CheckZUndecodable                               // Key, Detail
	CheckZMisfiled                                  // Key, Value (its kind), Date
	CheckZOutside                                   // Number, Limit
	CheckZTwice                                     // Number
	CheckZMissing                                   // Count, Limit
	// CheckFile is a problem in the file's structure; Detail says it.
	CheckFile
	checkKinds // one past the last
)

// CheckKinds are every kind of problem, for tests of their words.
func CheckKinds() []CheckKind {
	out := make([]CheckKind, 0, checkKinds-1)
	for k := CheckBbolt; k < checkKinds; k++ {
		out = append(out, k)
	}
	return out
}

// CheckProblem is one problem Verify found: its kind and its facts. Which
// fields a kind uses is said at the kind.
type CheckProblem struct {
	Kind            CheckKind
	Sale            string // out_trade_no
	Key             string // a key of the ledger, as stored
	Bucket          string
	Date, OtherDate string // YYYY-MM-DD
	Receipt         int    // a receipt number
	Receipts        []int
	Status          Status
	Value           string // a value that is not what it should be
	Refund          string // out_request_no
	Fen, OtherFen   int64
	Number          int // a Z report's number
	Count, Limit    int
	Detail          string // words of bbolt or a decoder, not ours
}

// String says the problem in English, as logs and Check's error do.
func (p CheckProblem) String() string {
	f := fmt.Sprintf
	r := receiptLabel
	switch p.Kind {
	case CheckBbolt:
		return "bbolt: " + p.Detail
	case CheckNoBucket:
		return f("no %s bucket", p.Bucket)
	case CheckCounterMalformed:
		return f("the receipt counter of %s is malformed", p.Date)
	case CheckSaleUndecodable:
		return f("sale %q does not decode: %s", p.Key, p.Detail)
	case CheckSaleMisfiled:
		return f("sale stored under %q says it is %q", p.Key, p.Sale)
	case CheckSaleStatus:
		return f("sale %s has no valid status (%q)", p.Sale, p.Value)
	case CheckSaleMethod:
		return f("sale %s has no valid way to pay (%q)", p.Sale, p.Value)
	case CheckSaleAmount:
		return f("sale %s has amount %d fen", p.Sale, p.Fen)
	case CheckOpenIndex:
		return f("sale %s is %s but the open index says otherwise", p.Sale, p.Status)
	case CheckRefundingIndex:
		return f("sale %s: the refunding index disagrees with its refunds", p.Sale)
	case CheckNotInDay:
		return f("sale %s is missing from the day index of %s", p.Sale, p.Date)
	case CheckListedOnCreation:
		return f("sale %s, paid on %s with receipt %s of that day, is listed under %s, the day it was created",
			p.Sale, p.Date, r(p.Receipt), p.OtherDate)
	case CheckRefundTwice:
		return f("sale %s has refund %s twice", p.Sale, p.Refund)
	case CheckRefundedSum:
		return f("sale %s: refunded %s recorded, but its done refunds add up to %s", p.Sale, formatFen(p.Fen), formatFen(p.OtherFen))
	case CheckRefundsExceed:
		return f("sale %s: refunds of %s exceed its amount %s", p.Sale, formatFen(p.Fen), formatFen(p.OtherFen))
	case CheckRefundedButPaid:
		return f("sale %s is refunded in full but still paid", p.Sale)
	case CheckPaidNoReceipt:
		return f("sale %s is %s without a receipt number or payment time", p.Sale, p.Status)
	case CheckReceiptNoPaidAt:
		return f("sale %s has receipt %s but no payment time", p.Sale, r(p.Receipt))
	case CheckReceiptNotPaid:
		return f("sale %s is %s but has receipt %s", p.Sale, p.Status, r(p.Receipt))
	case CheckBeyondCounter:
		return f("sale %s has receipt %s of %s, beyond the day's counter %d", p.Sale, r(p.Receipt), p.Date, p.Limit)
	case CheckReceiptTwice:
		return f("receipt %s of %s was issued twice, once to %s", r(p.Receipt), p.Date, p.Sale)
	case CheckListedTwice:
		return f("the listing of %s shows receipt %s twice, once for %s", p.Date, r(p.Receipt), p.Sale)
	case CheckReceiptGapsMany:
		return f("receipts of %s: %d of the numbers 1 to %d belong to no sale (%s, ...)", p.Date, p.Count, p.Limit, receiptList(p.Receipts))
	case CheckReceiptGaps:
		return f("receipts of %s: %s of 1 to %d belong to no sale", p.Date, receiptList(p.Receipts), p.Limit)
	case CheckDayKeyMalformed:
		return f("day index key %q is malformed", p.Key)
	case CheckDayWrongDate:
		return f("the day index of %s lists %s, which belongs to %s", p.Date, p.Sale, p.OtherDate)
	case CheckDayOrphan:
		return f("day index of %s lists %s, which is not in the ledger", p.Date, p.Sale)
	case CheckOpenOrphan:
		return f("open index lists %s, which is not in the ledger", p.Sale)
	case CheckRefundingOrphan:
		return f("refunding index lists %s, which is not in the ledger", p.Sale)
	case CheckRefundKeyMalformed:
		return f("refunds index key %q is malformed", p.Key)
	case CheckRefundIndexUnreadable:
		return f("refunds index lists %s of sale %s: %s", p.Refund, p.Sale, p.Detail)
	case CheckRefundIndexNotDone:
		return f("refunds index lists %s of sale %s, which is not a done refund", p.Refund, p.Sale)
	case CheckZCounterMalformed:
		return "the Z report counter is malformed"
	case CheckZUndecodable:
		return f("Z report %s does not decode: %s", p.Key, p.Detail)
	case CheckZMisfiled:
		return f("Z report stored under %s is a %s report of %s", p.Key, p.Value, p.Date)
	case CheckZOutside:
		return f("Z report No. %04d is outside 1..%d", p.Number, p.Limit)
	case CheckZTwice:
		return f("Z report No. %04d appears twice", p.Number)
	case CheckZMissing:
		return f("%d Z report number(s) between 1 and %d are missing", p.Count, p.Limit)
	case CheckFile:
		return p.Detail
	}
	return f("check problem %d", p.Kind)
}

func receiptList(ns []int) string {
	labels := make([]string, len(ns))
	for i, n := range ns {
		labels[i] = receiptLabel(n)
	}
	return strings.Join(labels, ", ")
}
