package store

import (
	"cmp"
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
	CheckRefundIndexOrphan                          // Refund, Sale
	CheckZCounterMalformed                          //
	CheckZUndecodable                               // Key, Detail
	CheckZMisfiled                                  // Key, Value (its kind), Date
	CheckZOutside                                   // Number, Limit
	CheckZTwice                                     // Number
	CheckZMissing                                   // Count, Limit
	// The file's pages (pages.go). A page is Page of the freelist
	// (Freelist) or of Bucket ("" the root bucket), inline in its parent
	// when Inline.
	CheckPageOrphan       // Page
	CheckPageOutside      // Page, Limit: the last page
	CheckPageUnreadable   // Page, Detail
	CheckPageWrongID      // Page, OtherPage: the page it says it is
	CheckPageOverflowEnd  // Page, Count: its overflow
	CheckPageOverflowHuge // Page, Count: its overflow
	CheckPageTwice        // Page
	CheckPageUsedFree     // Page
	CheckFreelistType     // Page, Type
	CheckFreelistOverfull // Page, Count
	CheckFreelistOutside  // Page, OtherPage: the page listed, Limit: the last page
	CheckFreelistTwice    // Page, OtherPage
	CheckFreelistSelf     // Page, OtherPage
	CheckElemShort        // Page
	CheckElemType         // Page, Type
	CheckElemCount        // Page, Count
	CheckElemEmptyBranch  // Page
	CheckElemOutside      // Page, Entry
	CheckElemOrder        // Page, Entry
	CheckElemBucketShort  // Page, Entry
	CheckPagesMore        // Count: the problems beyond those listed
	// CheckHeaderNote is a note, not a problem: header page Page does not
	// verify and bbolt uses OtherPage, of transaction Txid.
	CheckHeaderNote
	// The file's header (its two meta pages).
	CheckHeadNone     // neither header page is valid
	CheckHeadPageSize // Bytes: the page size it gives
	CheckHeadPages    // Page: the pages it gives
	CheckHeadCutShort // Bytes: the file's size, OtherBytes: where its data should run to
	CheckHeadRoot     // Page: the root's page, OtherPage: the last page
	CheckHeadFreelist // Page: the freelist's page, OtherPage: the last page
	// CheckReadFault: reading the file faulted (a page outside it, or
	// beyond its end); Detail is what the Go runtime said.
	CheckReadFault
	// The file is missing (CheckLedgerMissing) or empty (CheckLedgerEmpty):
	// Path, and OtherPath the file that shows a ledger was there ("" for
	// the running kiosk that had it open).
	CheckLedgerMissing
	CheckLedgerEmpty
	// Neither header page is valid, and the first, in bbolt's format,
	// says why: it gives file format version Count, not the one bbolt
	// reads (CheckHeadVersion), or its checksum does not match
	// (CheckHeadChecksum).
	CheckHeadVersion
	CheckHeadChecksum
	// The unprinted index (printed.go): a sale it disagrees with, an entry
	// of a sale not in the ledger (both Sale).
	CheckUnprintedIndex
	CheckUnprintedOrphan
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
	Kind              CheckKind
	Sale              string // out_trade_no
	Key               string // a key of the ledger, as stored
	Bucket            string
	Date, OtherDate   string // YYYY-MM-DD
	Receipt           int    // a receipt number
	Receipts          []int
	Status            Status
	Value             string // a value that is not what it should be
	Refund            string // out_request_no
	Fen, OtherFen     int64
	Number            int // a Z report's number
	Count, Limit      int
	Detail            string // words of bbolt or a decoder, not ours
	Page, OtherPage   uint64 // pages of the file
	Txid              uint64 // a transaction
	Type              uint16 // a page's type flags
	Entry             int    // an entry of a page
	Freelist          bool   // where a page is: see the page kinds
	Inline            bool
	Bytes, OtherBytes int64  // sizes of the file, in bytes
	Path, OtherPath   string // files
	// Decode is why a record does not decode, as facts (an undecodable
	// sale, Z report or refund index); Detail keeps the decoder's words.
	Decode DecodeFault
}

// String says the problem in English, as logs and Check's error do.
func (p CheckProblem) String() string {
	f := fmt.Sprintf
	r := receiptLabel
	switch p.Kind {
	case CheckBbolt:
		return f("bbolt's own check found a fault; bbolt said %q", p.Detail)
	case CheckNoBucket:
		return f("no %s bucket", p.Bucket)
	case CheckCounterMalformed:
		return f("the receipt counter of %s is malformed", p.Date)
	case CheckSaleUndecodable:
		return f("sale %q does not decode; the JSON decoder said %q", p.Key, p.Detail)
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
		return f("refunds index lists %s of sale %s, which does not decode; the JSON decoder said %q", p.Refund, p.Sale, p.Detail)
	case CheckRefundIndexNotDone:
		return f("refunds index lists %s of sale %s, which is not a done refund", p.Refund, p.Sale)
	case CheckRefundIndexOrphan:
		return f("refunds index lists %s of sale %s, which is not in the ledger", p.Refund, p.Sale)
	case CheckZCounterMalformed:
		return "the Z report counter is malformed"
	case CheckZUndecodable:
		return f("Z report %s does not decode; the JSON decoder said %q", p.Key, p.Detail)
	case CheckZMisfiled:
		return f("Z report stored under %s is a %s report of %s", p.Key, p.Value, p.Date)
	case CheckZOutside:
		return f("Z report No. %04d is outside 1..%d", p.Number, p.Limit)
	case CheckZTwice:
		return f("Z report No. %04d appears twice", p.Number)
	case CheckZMissing:
		return f("%d Z report number(s) between 1 and %d are missing", p.Count, p.Limit)
	case CheckPageOrphan:
		return f("page %d is neither in use nor free", p.Page)
	case CheckPageOutside:
		return f("%s points to page %d, outside pages 2 to %d", p.what(), p.Page, p.Limit)
	case CheckPageUnreadable:
		return f("page %d (%s) cannot be read; the Go runtime said %q", p.Page, p.what(), p.Detail)
	case CheckPageWrongID:
		return f("page %d (%s) says it is page %d", p.Page, p.what(), p.OtherPage)
	case CheckPageOverflowEnd:
		return f("page %d (%s) claims %d more pages, beyond the end of the data", p.Page, p.what(), p.Count)
	case CheckPageOverflowHuge:
		return f("page %d (%s) claims %d more pages, more than a ledger ever needs", p.Page, p.what(), p.Count)
	case CheckPageTwice:
		return f("page %d (%s) is used twice", p.Page, p.what())
	case CheckPageUsedFree:
		return f("page %d (%s) is in use but also listed as free", p.Page, p.what())
	case CheckFreelistType:
		return f("page %d should hold the freelist but has type %#x", p.Page, p.Type)
	case CheckFreelistOverfull:
		return f("the freelist on page %d claims %d pages, more than it can hold", p.Page, p.Count)
	case CheckFreelistOutside:
		return f("the freelist (page %d) lists page %d, outside pages 2 to %d", p.Page, p.OtherPage, p.Limit)
	case CheckFreelistTwice:
		return f("the freelist (page %d) lists page %d twice", p.Page, p.OtherPage)
	case CheckFreelistSelf:
		return f("the freelist (page %d) lists page %d, which holds the freelist itself", p.Page, p.OtherPage)
	case CheckElemShort:
		return f("%s is too short to be a page", p.label())
	case CheckElemType:
		return f("%s has type %#x, not a branch or leaf page", p.label(), p.Type)
	case CheckElemCount:
		return f("%s claims %d entries, more than fit in it", p.label(), p.Count)
	case CheckElemEmptyBranch:
		return f("%s is a branch page without entries", p.label())
	case CheckElemOutside:
		return f("%s: entry %d lies outside the page", p.label(), p.Entry)
	case CheckElemOrder:
		return f("%s: the keys are out of order at entry %d", p.label(), p.Entry)
	case CheckElemBucketShort:
		return f("%s: bucket entry %d is too short", p.label(), p.Entry)
	case CheckPagesMore:
		return f("... and %d more problems in the file's pages", p.Count)
	case CheckHeaderNote:
		return f("header page %d does not verify; bbolt uses header page %d (transaction %d), and the kiosk's next write rewrites it",
			p.Page, p.OtherPage, p.Txid)
	case CheckHeadNone:
		return "neither of its two header pages is valid; it is not a ledger, or its start was overwritten"
	case CheckHeadVersion:
		return f("its header gives file format version %d, but the ledger is read in version %d: it was written by another program, or its start was overwritten",
			p.Count, metaVersion)
	case CheckHeadChecksum:
		return "the checksums of both its header pages do not match"
	case CheckHeadPageSize:
		return f("its header gives a page size of %d bytes", p.Bytes)
	case CheckHeadPages:
		return f("its header gives %d pages", p.Page)
	case CheckHeadCutShort:
		return f("it is cut short: %d bytes, but its header says its data runs to %d bytes", p.Bytes, p.OtherBytes)
	case CheckHeadRoot:
		return f("its header puts the root at page %d, outside pages 2 to %d", p.Page, p.OtherPage)
	case CheckHeadFreelist:
		return f("its header puts the freelist at page %d, outside pages 2 to %d", p.Page, p.OtherPage)
	case CheckReadFault:
		return f("reading it failed (%s)", p.Detail)
	case CheckLedgerMissing:
		return f("%s is missing, but %s shows that this directory held a ledger", p.Path, cmp.Or(p.OtherPath, runningKiosk))
	case CheckLedgerEmpty:
		return f("%s is empty, but %s shows that this directory held a ledger", p.Path, cmp.Or(p.OtherPath, runningKiosk))
	case CheckUnprintedIndex:
		return f("sale %s: the unprinted index disagrees with its receipt", p.Sale)
	case CheckUnprintedOrphan:
		return f("unprinted index lists %s, which is not in the ledger", p.Sale)
	}
	return f("check problem %d", p.Kind)
}

// runningKiosk is the evidence of a ledger that the kiosk running on it
// had it open.
const runningKiosk = "the running kiosk"

func receiptList(ns []int) string {
	labels := make([]string, len(ns))
	for i, n := range ns {
		labels[i] = receiptLabel(n)
	}
	return strings.Join(labels, ", ")
}

// what is what a page is part of: "the freelist", `a page of bucket "sales"`.
func (p CheckProblem) what() string {
	if p.Freelist {
		return "the freelist"
	}
	return "a page of " + p.bucketName()
}

func (p CheckProblem) bucketName() string {
	if p.Bucket == "" {
		return "the root bucket"
	}
	return "bucket " + p.Bucket
}

// label names the page: "page 7 (a page of ...)", or "the inline bucket ...".
func (p CheckProblem) label() string {
	if p.Inline {
		return "the inline " + p.bucketName()
	}
	return fmt.Sprintf("page %d (%s)", p.Page, p.what())
}
