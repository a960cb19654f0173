package cli

import (
	"time"
	_ "time/tzdata"

	"kiosk/pos"
)

// The fixtures of the export and report tests: the days and reports the
// ledger makes of its own test seeds (seedDay, seedRefunds and seedHours
// in package store), as pos hands them to the command line.

// seedDay: seven sales of 2024-05-17, one of each status and two more paid.
func seedDay() pos.Day {
	return pos.Day{Date: "2024-05-17", Totals: pos.Totals{Count: 7, Paid: 3, PaidFen: 4702, Refunded: 1, RefundedFen: 1000, NetFen: 3702, Cancelled: 1, Unknown: 1, Pending: 1, Failed: 1, PartlyRefunded: 0}, Sales: []pos.SaleRecord{
		{OutTradeNo: "z-paid", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 1234, Status: "paid", TradeNo: "Tz-paid", BuyerLogonID: "a***@b.com", ReceiptNo: 1, CreatedAt: time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0001"}}}},
		{OutTradeNo: "y-paid", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 2468, Status: "paid", TradeNo: "Ty-paid", BuyerLogonID: "a***@b.com", ReceiptNo: 2, CreatedAt: time.Date(2024, 5, 17, 9, 5, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 5, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0002"}}}},
		{OutTradeNo: "x-refunded", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 1000, Status: "refunded", TradeNo: "Tx-refunded", BuyerLogonID: "a***@b.com", ReceiptNo: 3, CreatedAt: time.Date(2024, 5, 17, 9, 10, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 10, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0003"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "refunded", Note: pos.Note{Text: ""}}}},
		{OutTradeNo: "w-cancelled", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 500, Status: "cancelled", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 15, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 15, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "cancelled", Note: pos.Note{Text: ""}}}},
		{OutTradeNo: "v-unknown", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 700, Status: "unknown", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 20, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 20, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "unknown", Note: pos.Note{Text: ""}}}},
		{OutTradeNo: "u-pending", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 300, Status: "pending", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 25, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 25, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}}},
		{OutTradeNo: "t-failed", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 200, Status: "failed", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 30, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
			History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 30, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "failed", Note: pos.Note{Text: ""}}}},
	}}
}

// seedRefunds: the 16th to the 18th of seedDay's ledger, y-paid refunded
// 4.68 in part, approved by Li.
func seedRefunds() []pos.Day {
	return []pos.Day{
		pos.Day{Date: "2024-05-16", Totals: pos.Totals{Count: 1, Paid: 1, PaidFen: 9999, Refunded: 0, RefundedFen: 0, NetFen: 9999, Cancelled: 0, Unknown: 0, Pending: 0, Failed: 0, PartlyRefunded: 0}, Sales: []pos.SaleRecord{
			{OutTradeNo: "before", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 9999, Status: "paid", TradeNo: "Tbefore", BuyerLogonID: "a***@b.com", ReceiptNo: 1, CreatedAt: time.Date(2024, 5, 16, 23, 0, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 16, 23, 0, 30, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 16, 23, 0, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 16, 23, 0, 30, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0001"}}}},
		}},
		pos.Day{Date: "2024-05-17", Totals: pos.Totals{Count: 7, Paid: 3, PaidFen: 4702, Refunded: 1, RefundedFen: 1468, NetFen: 3234, Cancelled: 1, Unknown: 1, Pending: 1, Failed: 1, PartlyRefunded: 1}, Sales: []pos.SaleRecord{
			{OutTradeNo: "z-paid", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 1234, Status: "paid", TradeNo: "Tz-paid", BuyerLogonID: "a***@b.com", ReceiptNo: 1, CreatedAt: time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 0, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0001"}}}},
			{OutTradeNo: "y-paid", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 2468, Status: "paid", TradeNo: "Ty-paid", BuyerLogonID: "a***@b.com", ReceiptNo: 2, CreatedAt: time.Date(2024, 5, 17, 9, 5, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 468, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 5, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0002"}}, {At: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "refund R1 of 4.68 requested, approved by Li: spilt"}}, {At: time.Date(2024, 5, 17, 10, 1, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "refund R1 of 4.68 done; 4.68 of 24.68 refunded"}}},
				Refunds: []pos.Refund{{OutRequestNo: "R1", Fen: 468, At: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), ApprovedBy: "Li", Reason: "spilt", Status: "done", FundChange: true, DoneAt: time.Date(2024, 5, 17, 10, 1, 0, 0, shanghai), Note: pos.Note{Text: ""}}}},
			{OutTradeNo: "x-refunded", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 1000, Status: "refunded", TradeNo: "Tx-refunded", BuyerLogonID: "a***@b.com", ReceiptNo: 3, CreatedAt: time.Date(2024, 5, 17, 9, 10, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 10, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 10, 0, 0, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0003"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "refunded", Note: pos.Note{Text: ""}}}},
			{OutTradeNo: "w-cancelled", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 500, Status: "cancelled", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 15, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 15, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "cancelled", Note: pos.Note{Text: ""}}}},
			{OutTradeNo: "v-unknown", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 700, Status: "unknown", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 20, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 20, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "unknown", Note: pos.Note{Text: ""}}}},
			{OutTradeNo: "u-pending", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 300, Status: "pending", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 25, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 25, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}}},
			{OutTradeNo: "t-failed", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 200, Status: "failed", TradeNo: "", BuyerLogonID: "", ReceiptNo: 0, CreatedAt: time.Date(2024, 5, 17, 9, 30, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Time{}, RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 17, 9, 30, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 17, 11, 0, 0, 0, shanghai), Status: "failed", Note: pos.Note{Text: ""}}}},
		}},
		pos.Day{Date: "2024-05-18", Totals: pos.Totals{Count: 1, Paid: 1, PaidFen: 8888, Refunded: 0, RefundedFen: 0, NetFen: 8888, Cancelled: 0, Unknown: 0, Pending: 0, Failed: 0, PartlyRefunded: 0}, Sales: []pos.SaleRecord{
			{OutTradeNo: "after", TerminalID: "T1", StoreID: "S1", Subject: "Coffee", AmountFen: 8888, Status: "paid", TradeNo: "Tafter", BuyerLogonID: "a***@b.com", ReceiptNo: 1, CreatedAt: time.Date(2024, 5, 18, 1, 0, 0, 0, shanghai), UpdatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), PaidAt: time.Date(2024, 5, 18, 1, 0, 30, 0, shanghai), RefundedFen: 0, RefundIfPaid: false,
				History: []pos.Event{{At: time.Date(2024, 5, 18, 1, 0, 0, 0, shanghai), Status: "pending", Note: pos.Note{Text: "created"}}, {At: time.Date(2024, 5, 18, 1, 0, 30, 0, shanghai), Status: "paid", Note: pos.Note{Text: "paid, receipt 0001"}}}},
		}},
	}
}

// hoursX and hoursZ: the X report at noon and the Z report at 22:30 of
// seedHours' 17th, at terminal KIOSK-1.
func hoursX() pos.Report {
	return pos.Report{Date: "2024-05-17", Number: 0, Kind: "X", Terminal: "KIOSK-1", ZNumber: 0, CreatedAt: time.Date(2024, 5, 17, 12, 0, 0, 0, shanghai), EarlierRefunds: pos.RefundTotals{Count: 1, Fen: 300},
		Totals:   pos.Totals{Count: 5, Paid: 3, PaidFen: 3500, Refunded: 1, RefundedFen: 2200, NetFen: 1300, Cancelled: 1, Unknown: 0, Pending: 1, Failed: 0, PartlyRefunded: 1},
		ByStatus: map[pos.Status]pos.StatusTotals{"paid": {Count: 2, Fen: 1500}, "cancelled": {Count: 1, Fen: 300}, "pending": {Count: 1, Fen: 100}, "refunded": {Count: 1, Fen: 2000}},
		ByHour:   [24]pos.HourTotals{9: {Count: 2, PaidFen: 1500, RefundedFen: 200}, 13: {Count: 2, PaidFen: 0, RefundedFen: 0}, 21: {Count: 1, PaidFen: 2000, RefundedFen: 2000}}}
}

func hoursZ() pos.Report {
	return pos.Report{Date: "2024-05-17", Number: 1, Kind: "Z", Terminal: "KIOSK-1", ZNumber: 0, CreatedAt: time.Date(2024, 5, 17, 22, 30, 0, 0, shanghai), EarlierRefunds: pos.RefundTotals{Count: 1, Fen: 300},
		Totals:   pos.Totals{Count: 5, Paid: 3, PaidFen: 3500, Refunded: 1, RefundedFen: 2200, NetFen: 1300, Cancelled: 1, Unknown: 0, Pending: 1, Failed: 0, PartlyRefunded: 1},
		ByStatus: map[pos.Status]pos.StatusTotals{"paid": {Count: 2, Fen: 1500}, "cancelled": {Count: 1, Fen: 300}, "pending": {Count: 1, Fen: 100}, "refunded": {Count: 1, Fen: 2000}},
		ByHour:   [24]pos.HourTotals{9: {Count: 2, PaidFen: 1500, RefundedFen: 200}, 13: {Count: 2, PaidFen: 0, RefundedFen: 0}, 21: {Count: 1, PaidFen: 2000, RefundedFen: 2000}}}
}

// hoursZNoTerminal is hoursZ as a ledger without a terminal id makes it.
func hoursZNoTerminal() pos.Report {
	return pos.Report{Date: "2024-05-17", Number: 1, Kind: "Z", Terminal: "T1", ZNumber: 0, CreatedAt: time.Date(2024, 5, 17, 22, 30, 0, 0, shanghai), EarlierRefunds: pos.RefundTotals{Count: 1, Fen: 300},
		Totals:   pos.Totals{Count: 5, Paid: 3, PaidFen: 3500, Refunded: 1, RefundedFen: 2200, NetFen: 1300, Cancelled: 1, Unknown: 0, Pending: 1, Failed: 0, PartlyRefunded: 1},
		ByStatus: map[pos.Status]pos.StatusTotals{"cancelled": {Count: 1, Fen: 300}, "pending": {Count: 1, Fen: 100}, "refunded": {Count: 1, Fen: 2000}, "paid": {Count: 2, Fen: 1500}},
		ByHour:   [24]pos.HourTotals{9: {Count: 2, PaidFen: 1500, RefundedFen: 200}, 13: {Count: 2, PaidFen: 0, RefundedFen: 0}, 21: {Count: 1, PaidFen: 2000, RefundedFen: 2000}}}
}
