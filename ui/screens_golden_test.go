package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/pos"
	"kiosk/ui/escpos"
	"kiosk/ui/words"
)

// screenCase is one screen of the kiosk: how the fake answers and the
// input that brings the screen up, the same in every language.
type screenCase struct {
	name  string
	w, h  int
	setup func(f *fakeCheckout)
	input []tea.Msg
	// pending is sent last, its command left unrun: the screen while
	// Alipay's answer is awaited.
	pending tea.Msg
	// printer is the receipt printer; nil for none.
	printer Printer
}

// fakePrinter ends every job with err, at once.
type fakePrinter struct{ err error }

func (p fakePrinter) Print(context.Context, []byte) error { return p.err }

var outOfPaper = fakePrinter{&escpos.Error{Kind: escpos.OutOfPaper, Op: "status"}}

// seq is the messages of parts one after the other, in a slice of its
// own (an append to a shared slice would write into the others).
func seq(parts ...[]tea.Msg) []tea.Msg {
	var out []tea.Msg
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func msgs(m ...tea.Msg) []tea.Msg { return m }

// startSale starts a sale of ¥12.34: its QR code is on screen.
var startSale = seq(typed("12.34"), msgs(press("enter")))

// largest is the largest amount a sale takes, and largestSale starts a
// sale of it.
const largest = "100000000"

var largestSale = seq(typed(largest), msgs(press("enter")))

// paidNow answers the sale's poll with its receipt.
func paidNow(f *fakeCheckout) {
	f.PollFn = func(s pos.Sale) (pos.PollResult, error) {
		return pos.PollResult{Progress: pos.Paid, Receipt: pos.Receipt{
			ReceiptNo: 7, OutTradeNo: s.OutTradeNo, TradeNo: testTradeNo, Buyer: "159******88",
			AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: testTime.Add(42 * time.Second),
		}}, nil
	}
}

// pollNow delivers the scheduled poll of the sale on screen.
var pollNow = pollDueMsg{id: testSale(0, "").OutTradeNo, chain: offSchedule + 1}

// toDetail opens the sale refunded in part from the sale screen.
var toDetail = mkeys("ctrl+l", "home", "down", "enter")

// toRefundPIN fills the refund form with ¥3.00 and moves on to the PIN.
var toRefundPIN = seq(toDetail, mkeys("r"), amount("3"), mkeys("enter"))

func withPIN(f *fakeCheckout) {
	f.CloseDayFn = func(date, pin string) (pos.Report, error) {
		r := testReport(date)
		r.Kind, r.Number, r.CreatedAt = pos.ReportZ, 7, dayStart.Add(12*time.Hour)
		return r, nil
	}
}

// screenCases are every screen the kiosk draws, at 80×24 unless the case
// is about the size, each reached as a cashier or manager reaches it.
var screenCases = []screenCase{
	{name: "entry", input: typed("12.34")},
	{name: "entry-bad-amount", input: seq(typed("1.234"), mkeys("enter"))},
	{name: "start-failed", setup: func(f *fakeCheckout) {
		f.StartFn = func(int64, string) (pos.Sale, error) {
			return pos.Sale{}, fmt.Errorf("%w: %w", pos.ErrPrecreateUnknown, context.DeadlineExceeded)
		}
	}, input: startSale},
	{name: "asking", pending: press("enter"), input: typed("12.34")},
	{name: "qr", input: startSale},
	{name: "qr-100x30", w: 100, h: 30, input: startSale},
	{name: "qr-scanned", setup: func(f *fakeCheckout) {
		f.PollFn = func(pos.Sale) (pos.PollResult, error) { return pos.PollResult{Progress: pos.AwaitingConfirmation}, nil }
	}, input: seq(startSale, msgs(pollNow))},
	{name: "qr-emulator", setup: func(f *fakeCheckout) { f.simulate = true }, input: startSale},
	{name: "qr-emulator-120x40", w: 120, h: 40, setup: func(f *fakeCheckout) { f.simulate = true }, input: startSale},
	{name: "qr-too-small", w: 60, h: 20, input: startSale},
	{name: "confirm-cancel", input: seq(startSale, mkeys("esc"))},
	{name: "cancelling", input: seq(startSale, mkeys("esc")), pending: press("y")},
	{name: "outcome-cancelled", input: seq(startSale, mkeys("esc", "y"))},
	{name: "outcome-unknown", setup: func(f *fakeCheckout) {
		f.CancelFn = func(_ pos.Sale, r pos.Reason) (pos.Outcome, error) {
			return pos.Outcome{Status: pos.StatusUnknown, Note: pos.Note{Code: pos.NoteCancelUnconfirmed, Reason: r,
				Cause: pos.Problem{Kind: pos.KindTimeout}}}, nil
		}
	}, input: seq(startSale, mkeys("esc", "y"))},
	{name: "receipt", setup: paidNow, input: seq(startSale, msgs(pollNow))},
	{name: "ledger", input: mkeys("ctrl+l")},
	{name: "ledger-closed", setup: closedWithLaterRefund, input: mkeys("ctrl+l")},
	{name: "ledger-closed-100x32", w: 100, h: 32, setup: closedWithLaterRefund, input: mkeys("ctrl+l")},
	{name: "detail", input: toDetail},
	{name: "detail-history", input: seq(toDetail, mkeys("pgdown", "pgdown"))},
	{name: "detail-failed", setup: failedByCode, input: mkeys("ctrl+l", "enter")},
	{name: "reprint", setup: func(f *fakeCheckout) {
		f.ReprintFn = func(string) (pos.Receipt, error) {
			s := refundedSale()
			return pos.Receipt{ReceiptNo: s.ReceiptNo, OutTradeNo: s.OutTradeNo, TradeNo: s.TradeNo, Buyer: "159******88",
				AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: s.PaidAt, Duplicate: true}, nil
		}
	}, input: seq(toDetail, mkeys("p"))},
	{name: "refund-form", input: seq(toDetail, mkeys("r"))},
	{name: "refund-too-much", input: seq(toDetail, mkeys("r"), amount("8"), mkeys("enter"))},
	{name: "refund-pin", input: toRefundPIN},
	{name: "refund-form-day-closed", setup: closedToday, input: seq(toDetail, mkeys("r"))},
	{name: "refund-pin-day-closed", setup: closedToday, input: toRefundPIN},
	{name: "refund-sending", input: seq(toRefundPIN, typed("2468")),
		pending: mkey("enter")},
	{name: "report-x", input: mkeys("ctrl+l", "x")},
	{name: "report-x-by-method", input: mkeys("ctrl+l", "x", "pgdown")},
	{name: "report-x-120x40", w: 120, h: 40, input: mkeys("ctrl+l", "x")},
	{name: "report-confirm-close", input: mkeys("ctrl+l", "x", "z")},
	{name: "report-close-pin", input: mkeys("ctrl+l", "x", "z", "y")},
	{name: "report-z", setup: withPIN, input: seq(mkeys("ctrl+l", "x", "z", "y"), typed("2468"), mkeys("enter"))},
	{name: "report-confirm-close-empty-today", setup: emptyTodayOpenYesterday, input: mkeys("ctrl+l", "x", "z")},
	{name: "report-confirm-close-day-before", setup: emptyTodayOpenYesterday, input: mkeys("ctrl+l", "x", "z", "left")},
	{name: "entry-today-closed", setup: closedToday, input: typed("12.34")},

	// With a receipt printer.
	{name: "receipt-printing", input: startSale, printer: fakePrinter{}, pending: polledMsg{id: testSale(0, "").OutTradeNo, chain: offSchedule,
		result: pos.PollResult{Progress: pos.Paid, Receipt: pos.Receipt{ReceiptNo: 7, OutTradeNo: testSale(0, "").OutTradeNo, TradeNo: testTradeNo,
			Buyer: "159******88", AmountFen: 1234, PaidAt: testTime.Add(42 * time.Second)}}}},
	{name: "receipt-printed", setup: paidNow, input: seq(startSale, msgs(pollNow)), printer: fakePrinter{}},
	{name: "receipt-not-printed", setup: paidNow, input: seq(startSale, msgs(pollNow)), printer: outOfPaper},
	{name: "receipt-not-printed-left", setup: paidNow, input: seq(startSale, msgs(pollNow), typed("5")), printer: outOfPaper},
	{name: "reprint-not-printed", setup: func(f *fakeCheckout) {
		f.ReprintFn = func(string) (pos.Receipt, error) {
			s := refundedSale()
			return pos.Receipt{ReceiptNo: s.ReceiptNo, OutTradeNo: s.OutTradeNo, TradeNo: s.TradeNo, Buyer: "159******88",
				AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: s.PaidAt}, nil
		}
	}, input: seq(toDetail, mkeys("p")), printer: outOfPaper},
	{name: "entry-unprinted-at-start", input: msgs(recoveredMsg{unprinted: []pos.Receipt{
		{ReceiptNo: 1, OutTradeNo: "KT1_A", PaidAt: testTime.Add(-24 * time.Hour), Unprinted: true, Late: true},
		{ReceiptNo: 3, OutTradeNo: "KT1_B", PaidAt: testTime, Unprinted: true, Late: true}}})},
	{name: "detail-unprinted", setup: unprintedSale, input: mkeys("ctrl+l", "enter")},
	{name: "reprint-late", setup: unprintedSale, input: mkeys("ctrl+l", "enter", "p"), printer: fakePrinter{}},
	{name: "report-z-not-printed", setup: withPIN, input: seq(mkeys("ctrl+l", "x", "z", "y"), typed("2468"), mkeys("enter")), printer: outOfPaper},

	// The payment-code sale.
	{name: "entry-pay-by-code", setup: byCode, input: typed("12.34")},
	{name: "entry-pay-by-code-emulator", setup: func(f *fakeCheckout) { byCode(f); f.simulate = true }, input: typed("12.34")},
	{name: "scan", setup: func(f *fakeCheckout) { byCode(f); f.simulate = true }, input: startSale},
	{name: "scan-not-a-code", setup: byCode, input: seq(startSale, typedKeys("1234567890123456"))},
	{name: "scan-refused", setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = refusedAs("ACQ.PAYMENT_AUTH_CODE_INVALID", "付款码已过期，请顾客刷新付款码后重新收款")
	}, input: seq(startSale, typedKeys(goodCode))},
	{name: "charging", setup: byCode, input: seq(startSale, typed(goodCode)), pending: press("enter")},
	{name: "confirm-on-phone", setup: func(f *fakeCheckout) {
		byCode(f)
		f.simulate = true
		f.ScanPayFn = waitingToConfirm
	}, input: seq(startSale, typedKeys(goodCode))},
	// The largest amount: in the block font where it fits, else in plain
	// figures, never cut.
	{name: "qr-largest", input: largestSale},
	{name: "qr-largest-100x32", w: 100, h: 32, input: largestSale},
	{name: "qr-largest-50x40", w: 50, h: 40, input: largestSale},
	{name: "entry-largest-50x24", w: 50, h: 24, input: typed(largest)},
	{name: "receipt-largest", setup: paidNow, input: seq(largestSale, msgs(pollNow))},
	{name: "receipt-largest-50x30", w: 50, h: 30, setup: paidNow, input: seq(largestSale, msgs(pollNow))},
	{name: "scan-largest", setup: byCode, input: largestSale},
	{name: "scan-largest-50x24", w: 50, h: 24, setup: byCode, input: largestSale},
	{name: "confirm-on-phone-largest-50x30", w: 50, h: 30, setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = waitingToConfirm
	}, input: seq(largestSale, typedKeys(goodCode))},
	{name: "report-z-copy", setup: dayClosedBefore, input: mkeys("ctrl+l", "x", "z")},
	{name: "pin-none", setup: noPIN, input: mkeys("ctrl+l", "m")},
	{name: "pin-change", input: mkeys("ctrl+l", "m")},
	{name: "refund-no-pin", setup: noPIN, input: seq(toDetail, mkeys("r"), amount("3"), mkeys("enter"))},
	{name: "refund-pin-set-meanwhile", setup: pinSetOnSecondLook,
		input: seq(toDetail, mkeys("r"), amount("3"), mkeys("enter", "enter"))},
	{name: "report-close-no-pin", setup: noPIN, input: mkeys("ctrl+l", "x", "z", "y")},
	{name: "start-day-closed", setup: func(f *fakeCheckout) {
		f.StartFn = func(int64, string) (pos.Sale, error) {
			return pos.Sale{}, fmt.Errorf("record sale: %w: %w", pos.ErrLedger,
				&pos.DayClosedError{Date: "2026-11-22", ZNumber: 7, ClosedAt: dayStart.Add(12 * time.Hour)})
		}
	}, input: startSale},
	{name: "scan-day-closed", setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = func(int64, string, string) (pos.Charge, error) {
			return pos.Charge{}, fmt.Errorf("record sale: %w: %w", pos.ErrLedger,
				&pos.DayClosedError{Date: "2026-11-22", ZNumber: 7, ClosedAt: dayStart.Add(12 * time.Hour)})
		}
	}, input: seq(startSale, typedKeys(goodCode))},
}

// failedByCode is a day of one payment-code sale that Alipay refused for
// the customer's balance: its history carries Alipay's code.
func failedByCode(f *fakeCheckout) {
	f.DayFn = func(date string) (pos.Day, error) {
		s := ledgerSale(5, pos.StatusFailed, 4280)
		s.OutTradeNo, s.Method = "KT1_20261202001835318_C5AKV", pos.PayByCode
		s.History = append(s.History, pos.Event{At: s.CreatedAt.Add(3 * time.Second), Status: pos.StatusFailed,
			Note: pos.Note{Code: pos.NoteProblem, Cause: pos.Problem{Kind: pos.KindAlipayRefused, Code: "40004", Msg: "Business Failed",
				SubCode: "ACQ.BUYER_BALANCE_NOT_ENOUGH", SubMsg: "买家余额不足"}}})
		sales := []pos.SaleRecord{s}
		return pos.Day{Date: date, Sales: sales, Totals: tallyForTest(sales)}, nil
	}
}

// unprintedSale is a ledger of one paid sale whose receipt did not print,
// and its reprint, which the ledger gives as the receipt printed late.
func unprintedSale(f *fakeCheckout) {
	s := ledgerSale(3, pos.StatusPaid, 1200)
	s.ReceiptUnprinted = true
	s.History = append(s.History, pos.Event{At: s.PaidAt, Status: pos.StatusPaid, Fact: pos.FactReceiptNotPrinted, ReceiptNo: s.ReceiptNo})
	f.DayFn = func(date string) (pos.Day, error) {
		sales := []pos.SaleRecord{s}
		return pos.Day{Date: date, Sales: sales, Totals: tallyForTest(sales)}, nil
	}
	f.ReprintFn = func(string) (pos.Receipt, error) {
		return pos.Receipt{ReceiptNo: s.ReceiptNo, OutTradeNo: s.OutTradeNo, TradeNo: s.TradeNo, Buyer: "159******88",
			AmountFen: s.AmountFen, Subject: s.Subject, PaidAt: s.PaidAt, Unprinted: true, Late: true}, nil
	}
}

// noPIN is a ledger without a manager PIN yet.
func noPIN(f *fakeCheckout) { f.HasPINFn = func() (bool, error) { return false, nil } }

// pinSetOnSecondLook is a ledger without a manager PIN when first asked,
// and with one from then on: set at the command line meanwhile.
func pinSetOnSecondLook(f *fakeCheckout) {
	looks := 0
	f.HasPINFn = func() (bool, error) { looks++; return looks > 1, nil }
}

// dayClosedBefore is a day closed before: its report is the stored Z report, a copy.
func dayClosedBefore(f *fakeCheckout) {
	f.ReportFn = func(date string) (pos.Report, error) {
		r := testReport(date)
		r.Kind, r.Number, r.CreatedAt, r.Copy = pos.ReportZ, 7, dayStart.Add(12*time.Hour), true
		return r, nil
	}
}

// closedWithLaterRefund is today closed by Z 0007, and a refund of ¥3.00
// made after the close: the day's totals count it, its Z report does not.
func closedWithLaterRefund(f *fakeCheckout) {
	closedToday(f)
	z := f.ReportFn
	f.ReportFn = func(date string) (pos.Report, error) {
		r, err := z(date)
		if r.Kind == pos.ReportZ {
			r.LaterRefunds = pos.RefundTotals{Count: 1, Fen: 300}
		}
		return r, err
	}
}

// shopOf is the shop's name in the language, as a shop there names itself.
func shopOf(say *words.Words) string {
	if say == words.Chinese {
		return "街角小店"
	}
	return "Corner Shop"
}

// screenOf brings up the case's screen in the language.
func screenOf(t *testing.T, say *words.Words, c screenCase) Model {
	t.Helper()
	f := managerCheckout()
	f.cfg.Subject = shopOf(say)
	if c.setup != nil {
		c.setup(f)
	}
	w, h := c.w, c.h
	if w == 0 {
		w, h = 80, 24
	}
	m := New(f, Options{ShopName: shopOf(say), Words: say, Location: time.UTC, After: f.after, Printer: c.printer})
	m = drive(t, m, seq(msgs(tea.WindowSizeMsg{Width: w, Height: h}, recoveredMsg{}), c.input)...)
	if c.pending != nil {
		next, _ := m.Update(c.pending) // its command, Alipay's answer, never comes
		m = next.(Model)
	}
	return m
}

// TestGoldenScreens: every screen in English and in Chinese, at 80×24
// (and the QR code larger and smaller), each fitting its window: no line
// wider than it, no more lines than it has.
func TestGoldenScreens(t *testing.T) {
	for _, say := range words.All {
		for _, c := range screenCases {
			t.Run(say.Lang.Tag+"/"+c.name, func(t *testing.T) {
				m := screenOf(t, say, c)
				s := screen(m)
				lines := strings.Split(s, "\n")
				if len(lines) > m.height {
					t.Errorf("%d lines on a window %d high", len(lines), m.height)
				}
				for _, l := range lines {
					if w := lipgloss.Width(l); w > m.width {
						t.Errorf("a line %d cells wide on a window %d wide: %q", w, m.width, l)
					}
				}
				requireGolden(t, m)
			})
		}
	}
}
