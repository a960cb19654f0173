package pos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/store"
)

// goodCode has the shape of an Alipay payment code.
const goodCode = "285012345678901234"

const chargeTradeNo = "2026112222001400009876543210"

func paidCharge(r *alipay.PayRequest) (*alipay.PayResponse, error) {
	return &alipay.PayResponse{TradeNo: chargeTradeNo, OutTradeNo: r.OutTradeNo, BuyerLogonID: "15912345688",
		TotalFen: r.TotalFen, TradeStatus: alipay.TradeSuccess, GmtPayment: time.Date(2026, 11, 22, 10, 0, 2, 0, shanghai)}, nil
}

// waitingCharge is pay's 10003: the customer must confirm on the phone.
func waitingCharge(r *alipay.PayRequest) (*alipay.PayResponse, error) {
	return &alipay.PayResponse{TradeNo: chargeTradeNo, OutTradeNo: r.OutTradeNo, TotalFen: r.TotalFen, TradeStatus: alipay.WaitBuyerPay},
		&alipay.Error{Method: alipay.MethodPay, Code: alipay.CodeWaitingForBuyer, Msg: "Order success pay inprocess"}
}

func payRefused(subCode, subMsg string) func(*alipay.PayRequest) (*alipay.PayResponse, error) {
	return func(*alipay.PayRequest) (*alipay.PayResponse, error) {
		return nil, &alipay.Error{Method: alipay.MethodPay, Code: "40004", Msg: "Business Failed", SubCode: subCode, SubMsg: subMsg}
	}
}

func payFails(err error) func(*alipay.PayRequest) (*alipay.PayResponse, error) {
	return func(*alipay.PayRequest) (*alipay.PayResponse, error) { return nil, err }
}

func queryFails(err error) func(*alipay.QueryRequest) (*alipay.QueryResponse, error) {
	return func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, err }
}

func (f *fixture) scan(t *testing.T, fen int64, code string) (Charge, error) {
	t.Helper()
	return f.reg.ScanPay(context.Background(), fen, "", code)
}

func (f *fixture) sale(t *testing.T, outTradeNo string) store.Sale {
	t.Helper()
	s, err := f.ledger.Get(outTradeNo)
	if err != nil {
		t.Fatalf("ledger Get %s: %v", outTradeNo, err)
	}
	return s
}

// TestScanPayRefusesBadInputWithoutWriting: a bad amount or a scan that is
// no Alipay payment code is refused with a typed error before anything is
// written or sent.
func TestScanPayRefusesBadInputWithoutWriting(t *testing.T) {
	f := newFixture(t)
	if _, err := f.scan(t, 0, goodCode); !IsInputError(err) {
		t.Errorf("amount 0: %v, want an input error", err)
	}
	if _, err := f.scan(t, alipay.MaxAmountFen+1, goodCode); !IsInputError(err) {
		t.Errorf("amount over the limit: %v, want an input error", err)
	}
	codes := []struct {
		code    string
		problem PaymentCodeProblem
		says    string
	}{
		{"", CodeEmpty, "Nothing was scanned"},
		{"  \r\n", CodeEmpty, "Nothing was scanned"},
		{"https://qr.alipay.com/x", CodeNotDigits, "digits only"},
		{"2850 1234 5678 9012", CodeNotDigits, "digits only"},
		{"285012345678901", CodeBadLength, "it has 15 digits, and a payment code has 16 to 24"},
		{strings.Repeat("28", 13), CodeBadLength, "it has 26 digits"},
		{"134567890123456789", CodeBadPrefix, "another wallet's"},
		{"315012345678901234", CodeBadPrefix, "begin with 25 to 30"},
	}
	for _, c := range codes {
		_, err := f.scan(t, 100, c.code)
		var pe *PaymentCodeError
		if !errors.As(err, &pe) || pe.Problem != c.problem || !errors.Is(err, ErrBadPaymentCode) {
			t.Errorf("code %q: %v, want a *PaymentCodeError with problem %d", c.code, err, c.problem)
			continue
		}
		if got := describe(err); !strings.Contains(got, c.says) || strings.Contains(got, c.code) && c.code != "" {
			t.Errorf("code %q is described as %q, want it to say %q and not echo the code", c.code, got, c.says)
		}
		if IsPaymentCode(c.code) {
			t.Errorf("IsPaymentCode(%q) = true", c.code)
		}
	}
	if n := len(f.gw.calls); n != 0 {
		t.Errorf("%d gateway calls for bad input: %v", n, f.gw.calls)
	}
	if open, _ := f.ledger.Unsettled(); len(open) != 0 {
		t.Errorf("the ledger has %d sales after bad input", len(open))
	}
	if !IsPaymentCode(goodCode+"\r\n") || !IsPaymentCode("25"+strings.Repeat("0", 22)) {
		t.Error("a good code, with a scanner's carriage return or 24 digits long, is refused")
	}
}

// TestScanPayRecordsPendingBeforePay: the sale is in the ledger, pending
// and marked as paid by payment code, before alipay.trade.pay leaves; the
// request carries the trimmed code, the amount, the terminal and a
// deadline of its own.
func TestScanPayRecordsPendingBeforePay(t *testing.T) {
	f := newFixture(t)
	var sent alipay.PayRequest
	var during store.Sale
	f.gw.PayFn = func(r *alipay.PayRequest) (*alipay.PayResponse, error) {
		sent, during = *r, f.sale(t, r.OutTradeNo)
		return paidCharge(r)
	}
	if _, err := f.reg.ScanPay(context.Background(), 1234, "Tea", goodCode+"\r\n"); err != nil {
		t.Fatal(err)
	}
	if during.Status != store.StatusPending || during.Method != store.PayByCode || during.AmountFen != 1234 {
		t.Errorf("the ledger during pay: %s %s %d, want pending payment_code 1234", during.Status, during.Method, during.AmountFen)
	}
	if sent.AuthCode != goodCode || sent.TotalFen != 1234 || sent.Subject != "Tea" || sent.TerminalID != "T-01" ||
		sent.Timeout != DefaultQRTimeout || !strings.HasPrefix(sent.OutTradeNo, "KT01_") {
		t.Errorf("pay request %+v", sent)
	}
	if left := f.gw.timeLeft["pay"]; left <= DefaultPayTimeout/2 || left > DefaultPayTimeout {
		t.Errorf("pay had %v of its deadline left, want nearly pay_timeout %v", left, DefaultPayTimeout)
	}
	if strings.Contains(fmt.Sprintf("%+v", during), goodCode) {
		t.Error("the ledger keeps the payment code")
	}
}

// TestScanPayPaidAtOnce: 10000 with TRADE_SUCCESS is a receipt, recorded
// once, with no query and no cancel.
func TestScanPayPaidAtOnce(t *testing.T) {
	f := newFixture(t)
	ch, err := f.scan(t, 1234, goodCode)
	if err != nil || ch.Stage != ChargePaid {
		t.Fatalf("ScanPay = %+v, %v; want paid", ch, err)
	}
	r := ch.Receipt
	if r.ReceiptNo != 1 || r.TradeNo != chargeTradeNo || r.AmountFen != 1234 || r.Method != PayByCode || r.Buyer != "159******88" ||
		!r.PaidAt.Equal(time.Date(2026, 11, 22, 10, 0, 2, 0, shanghai)) {
		t.Errorf("receipt %+v", r)
	}
	if s := f.sale(t, ch.Sale.OutTradeNo); s.Status != store.StatusPaid || s.ReceiptNo != 1 || s.Method != store.PayByCode {
		t.Errorf("ledger %s receipt %d method %s", s.Status, s.ReceiptNo, s.Method)
	}
	if got := strings.Join(f.gw.calls, ","); got != "pay" {
		t.Errorf("gateway calls %s, want pay only", got)
	}
}

// TestScanPayWaitsForTheCustomerToConfirm: 10003 leaves the sale pending
// with a countdown; polls report the wait and then the payment.
func TestScanPayWaitsForTheCustomerToConfirm(t *testing.T) {
	f := newFixture(t)
	f.gw.PayFn = waitingCharge
	ch, err := f.scan(t, 880, goodCode)
	if err != nil || ch.Stage != ChargeWaiting || !ch.Warning.IsZero() {
		t.Fatalf("ScanPay = %+v, %v; want waiting", ch, err)
	}
	if want := f.clock.Now().Add(DefaultQRTimeout); !ch.Sale.Deadline.Equal(want) || ch.Sale.Method != PayByCode {
		t.Errorf("sale %+v, want its deadline at %v", ch.Sale, want)
	}
	if s := f.sale(t, ch.Sale.OutTradeNo); s.Status != store.StatusPending {
		t.Errorf("ledger %s while the customer confirms, want pending", s.Status)
	}
	f.gw.QueryFn = status(alipay.WaitBuyerPay, 880)
	if res, err := f.reg.Poll(context.Background(), ch.Sale); err != nil || res.Progress != AwaitingConfirmation {
		t.Errorf("poll while waiting: %+v, %v", res, err)
	}
	f.gw.QueryFn = status(alipay.TradeSuccess, 880)
	res, err := f.reg.Poll(context.Background(), ch.Sale)
	if err != nil || res.Progress != Paid || res.Receipt.ReceiptNo != 1 || res.Receipt.Method != PayByCode {
		t.Errorf("poll once confirmed: %+v, %v", res, err)
	}
	if n := f.gw.count("cancel"); n != 0 {
		t.Errorf("%d cancels of a confirmed charge", n)
	}
}

// TestScanPayConfirmationTimesOut: the screen polls every interval until
// the countdown ends, then Cancel queries once more and cancels, as for a
// QR sale; a customer who confirms in the last second gets a receipt.
func TestScanPayConfirmationTimesOut(t *testing.T) {
	for _, lastSecond := range []bool{false, true} {
		t.Run(fmt.Sprint("paid in the last second: ", lastSecond), func(t *testing.T) {
			f := newFixture(t)
			f.gw.PayFn = waitingCharge
			ch, err := f.scan(t, 880, goodCode)
			if err != nil || ch.Stage != ChargeWaiting {
				t.Fatalf("ScanPay = %+v, %v", ch, err)
			}
			f.gw.QueryFn = status(alipay.WaitBuyerPay, 880)
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("close", false)() }
			ctx := context.Background()
			interval := f.reg.Config().PollInterval
			polls := 0
			for f.clock.Now().Before(ch.Sale.Deadline) { // the screen's schedule
				if res, err := f.reg.Poll(ctx, ch.Sale); err != nil || res.Progress != AwaitingConfirmation {
					t.Fatalf("poll %d: %+v, %v", polls, res, err)
				}
				polls++
				_ = f.clock.Sleep(ctx, interval)
			}
			if lastSecond {
				f.gw.QueryFn = status(alipay.TradeSuccess, 880)
			}
			out, err := f.reg.Cancel(ctx, ch.Sale, "The customer did not confirm in time")
			if err != nil {
				t.Fatal(err)
			}
			if want := int(DefaultQRTimeout / DefaultPollInterval); polls != want || f.gw.count("query") != want+1 {
				t.Errorf("%d polls and %d queries, want %d polls and one query more", polls, f.gw.count("query"), want)
			}
			wantStatus, wantCancels := StatusCancelled, 1
			if lastSecond {
				wantStatus, wantCancels = StatusPaid, 0
			}
			if out.Status != wantStatus || f.gw.count("cancel") != wantCancels {
				t.Errorf("outcome %s after %d cancels, want %s after %d", out.Status, f.gw.count("cancel"), wantStatus, wantCancels)
			}
			if last := f.gw.calls[len(f.gw.calls)-1]; wantCancels == 1 && last != "cancel" {
				t.Errorf("the last call was %s, want the cancel right after the final query", last)
			}
			if s := f.sale(t, ch.Sale.OutTradeNo); Status(s.Status) != wantStatus {
				t.Errorf("ledger %s, want %s", s.Status, wantStatus)
			}
		})
	}
}

// TestScanPayRefused: a signed 40004 is a typed refusal carrying Alipay's
// sub code and message, the sale is recorded failed, nothing else is
// sent, and the next scan is a new sale with a new order number.
func TestScanPayRefused(t *testing.T) {
	tests := []struct {
		subCode, subMsg string
		reason          RefusalReason
		says            string
	}{
		{alipay.SubCodePaymentAuthCodeInvalid, "付款码已过期，请顾客刷新付款码后重新收款", RefusedCodeInvalid,
			"Alipay rejected the request: the payment code has expired or was used already (ACQ.PAYMENT_AUTH_CODE_INVALID). " +
				"Nothing was charged. Ask the customer to refresh the code in Alipay, then scan again."},
		{alipay.SubCodeBuyerBalanceNotEnough, "买家余额不足", RefusedBalance, "the customer's balance is too low (ACQ.BUYER_BALANCE_NOT_ENOUGH). Nothing was charged."},
		{alipay.SubCodePaymentRequestHasRisk, "支付存在风险", RefusedRisk, "risk control refused the payment (ACQ.PAYMENT_REQUEST_HAS_RISK). Nothing was charged."},
		{"ACQ.BUYER_ENABLE_STATUS_FORBID", "买家状态非法", RefusedOther, `"买家状态非法", in Alipay's words (ACQ.BUYER_ENABLE_STATUS_FORBID)`},
		{"isv.invalid-signature", "无效签名", RefusedOther, "Ask the manager to check the kiosk settings"},
	}
	for _, tt := range tests {
		t.Run(tt.subCode, func(t *testing.T) {
			f := newFixture(t)
			f.gw.PayFn = payRefused(tt.subCode, tt.subMsg)
			_, err := f.scan(t, 500, goodCode)
			var re *PaymentRefusedError
			if !errors.As(err, &re) {
				t.Fatalf("ScanPay error %v, want a *PaymentRefusedError", err)
			}
			if re.Reason != tt.reason || re.SubCode != tt.subCode || re.SubMsg != tt.subMsg || re.Code != "40004" || re.AmountFen != 500 {
				t.Errorf("refusal %+v", re)
			}
			if msg := describe(err); !strings.Contains(msg, tt.says) {
				t.Errorf("the cashier is told %q, want it to say %q", msg, tt.says)
			}
			s := f.sale(t, re.OutTradeNo)
			note := ParseNote(s.History[len(s.History)-1].Note)
			if s.Status != store.StatusFailed || s.Open() || note.Code != NoteProblem || note.Cause.SubCode != tt.subCode ||
				noteText(note) != describe(err) {
				t.Errorf("refused sale in the ledger: %s, open %v, note %+v", s.Status, s.Open(), note)
			}
			if got := strings.Join(f.gw.calls, ","); got != "pay" {
				t.Errorf("gateway calls %s, want the one pay", got)
			}
			f.gw.PayFn = nil
			again, err := f.scan(t, 500, "285099999999999999")
			if err != nil || again.Stage != ChargePaid || again.Sale.OutTradeNo == re.OutTradeNo {
				t.Errorf("the scan after the refusal: %+v, %v; want paid under a new order number", again, err)
			}
		})
	}
}

// TestScanPayNotSent: a charge that never left is failed at once.
func TestScanPayNotSent(t *testing.T) {
	f := newFixture(t)
	f.gw.PayFn = payFails(fmt.Errorf("%w: %w: dial tcp 127.0.0.1:1: connection refused", alipay.ErrTransport, alipay.ErrNotSent))
	_, err := f.scan(t, 500, goodCode)
	if !errors.Is(err, ErrChargeNotSent) || describe(err) != "Alipay could not be reached. Check the network connection." {
		t.Fatalf("ScanPay = %v (%q), want ErrChargeNotSent, Alipay unreachable", err, describe(err))
	}
	open, _ := f.ledger.Unsettled()
	day, _ := f.ledger.Day(f.ledger.DateOf(f.clock.Now()))
	if len(open) != 0 || len(day.Sales) != 1 || day.Sales[0].Status != store.StatusFailed {
		t.Errorf("ledger %+v, want the one sale failed", day.Sales)
	}
	if got := strings.Join(f.gw.calls, ","); got != "pay" {
		t.Errorf("gateway calls %s, want the one pay", got)
	}
}

// lostAnswers are answers to pay that prove nothing: the customer may or
// may not have been charged.
var lostAnswers = []struct {
	name string
	err  error
}{
	{"20000", &alipay.Error{Method: alipay.MethodPay, Code: "20000", Msg: "Service Currently Unavailable", SubCode: "isp.unknow-error"}},
	{"system error", &alipay.Error{Method: alipay.MethodPay, Code: "40004", Msg: "Business Failed", SubCode: alipay.SubCodeSystemError}},
	{"timeout", fmt.Errorf("%w: %w", alipay.ErrTransport, context.DeadlineExceeded)},
	{"reset", fmt.Errorf("%w: read: connection reset by peer", alipay.ErrTransport)},
	{"bad signature", alipay.ErrBadSignature},
	{"unsigned refusal", fmt.Errorf("%w: %w", alipay.ErrUnsignedError, &alipay.Error{Code: "40004", SubCode: alipay.SubCodeBuyerBalanceNotEnough})},
	{"order number taken", &alipay.Error{Method: alipay.MethodPay, Code: "40004", SubCode: alipay.SubCodeTradeHasSuccess}},
}

// TestScanPayLostAnswerIsSettled: after an answer that proves nothing the
// kiosk queries; a paid charge is a receipt, a waiting one waits, and any
// other is cancelled. Pay is never sent twice.
func TestScanPayLostAnswerIsSettled(t *testing.T) {
	unreachable := fmt.Errorf("%w: i/o timeout", alipay.ErrTransport)
	then := []struct {
		name          string
		query         func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		cancel        func() (*alipay.CancelResponse, error)
		stage         ChargeStage
		status        store.Status
		cancels       int
		refundIfPaid  bool
		outcomeStatus Status
	}{
		{"paid", status(alipay.TradeSuccess, 700), nil, ChargePaid, store.StatusPaid, 0, false, ""},
		{"waiting", status(alipay.WaitBuyerPay, 700), nil, ChargeWaiting, store.StatusPending, 0, false, ""},
		{"not there", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }, cancelAnswer("close", false),
			ChargeSettled, store.StatusCancelled, 1, false, StatusCancelled},
		{"query fails, cancel refunds", queryFails(unreachable), cancelAnswer("refund", false),
			ChargeSettled, store.StatusRefunded, 1, false, StatusRefunded},
		{"nothing answers", queryFails(unreachable), cancelFails(unreachable),
			ChargeSettled, store.StatusUnknown, DefaultCancelAttempts, true, StatusUnknown},
	}
	for _, lost := range lostAnswers {
		for _, next := range then {
			t.Run(lost.name+"/"+next.name, func(t *testing.T) {
				f := newFixture(t)
				f.gw.PayFn = payFails(lost.err)
				f.gw.QueryFn = next.query
				if next.cancel != nil {
					f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return next.cancel() }
				}
				ch, err := f.scan(t, 700, goodCode)
				if err != nil || ch.Stage != next.stage {
					t.Fatalf("ScanPay = %+v, %v; want stage %d", ch, err, next.stage)
				}
				s := f.sale(t, ch.Sale.OutTradeNo)
				if s.Status != next.status || s.RefundIfPaid != next.refundIfPaid {
					t.Errorf("ledger %s (refund if paid %v), want %s (%v)", s.Status, s.RefundIfPaid, next.status, next.refundIfPaid)
				}
				if ch.Stage == ChargeSettled && (ch.Outcome.Status != next.outcomeStatus || ch.Outcome.Note.IsZero()) {
					t.Errorf("outcome %+v, want %s with a note", ch.Outcome, next.outcomeStatus)
				}
				if said := noteText(ch.Outcome.Note); ch.Outcome.Status == StatusCancelled && said != "Alipay's answer to the payment was lost; Alipay closed the trade." {
					t.Errorf("the note of a cancelled charge: %q", said)
				}
				if ch.Stage == ChargePaid && ch.Receipt.ReceiptNo != 1 {
					t.Errorf("receipt %+v", ch.Receipt)
				}
				if ch.Stage == ChargeWaiting && (ch.Warning.IsZero() || ch.Sale.Deadline.IsZero()) {
					t.Errorf("a lost answer found waiting: %+v, want a warning and a countdown", ch)
				}
				if n := f.gw.count("pay"); n != 1 {
					t.Errorf("pay sent %d times", n)
				}
				if n := f.gw.count("cancel"); n != next.cancels {
					t.Errorf("%d cancels, want %d", n, next.cancels)
				}
			})
		}
	}
}

// TestALostChargeFoundPaidIsPaid: when the charge's answer was lost and
// Alipay's verified query then says the trade is paid, that answer is the
// receipt. The kiosk once went on to cancel, whose own query could fail on
// a bad line, and so refunded a payment Alipay had confirmed.
func TestALostChargeFoundPaidIsPaid(t *testing.T) {
	for _, lost := range lostAnswers {
		t.Run(lost.name, func(t *testing.T) {
			f := newFixture(t)
			unreachable := fmt.Errorf("%w: read: connection reset by peer", alipay.ErrTransport)
			f.gw.PayFn = payFails(lost.err)
			paid, queries := status(alipay.TradeSuccess, 700), 0
			f.gw.QueryFn = func(q *alipay.QueryRequest) (*alipay.QueryResponse, error) {
				if queries++; queries == 1 {
					return paid(q)
				}
				return nil, unreachable
			}
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("refund", false)() }
			ch, err := f.scan(t, 700, goodCode)
			if err != nil || ch.Stage != ChargePaid || ch.Receipt.ReceiptNo != 1 {
				t.Fatalf("ScanPay = %+v, %v; want paid with receipt 1", ch, err)
			}
			if s := f.sale(t, ch.Sale.OutTradeNo); s.Status != store.StatusPaid {
				t.Errorf("ledger %s, want paid", s.Status)
			}
			if n := f.gw.count("cancel"); n != 0 {
				t.Errorf("%d cancels of a paid charge", n)
			}
		})
	}
}

// TestLostChargeLeftUnknownIsRefundedIfPaid: a charge Alipay could not be
// asked about, the cashier told it did not go through, is refunded when
// the background retry finds it paid: the customer, who paid again, is
// not charged twice.
func TestLostChargeLeftUnknownIsRefundedIfPaid(t *testing.T) {
	f := newFixture(t)
	unreachable := fmt.Errorf("%w: i/o timeout", alipay.ErrTransport)
	f.gw.PayFn = payFails(unreachable)
	f.gw.QueryFn = queryFails(unreachable)
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelFails(unreachable)() }
	ch, err := f.scan(t, 700, goodCode)
	said := noteText(ch.Outcome.Note)
	if err != nil || ch.Outcome.Status != StatusUnknown || ch.Outcome.Note.Code != NoteChargeUnconfirmed ||
		!strings.Contains(said, "(Alipay could not be reached)") || !strings.Contains(said, "if the customer was charged, the money goes back to them") {
		t.Fatalf("ScanPay = %+v, %v; the cashier is told %q", ch, err, said)
	}
	if s := f.sale(t, ch.Sale.OutTradeNo); ParseNote(s.History[len(s.History)-1].Note) != ch.Outcome.Note {
		t.Errorf("the ledger's last note %q, want the outcome's", s.History[len(s.History)-1].Note)
	}
	f.gw.QueryFn = status(alipay.TradeSuccess, 700)
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("refund", false)() }
	tried, left, err := f.reg.Reconcile(context.Background())
	if err != nil || left != 0 || len(tried) != 1 || tried[0].Status != StatusRefunded || !tried[0].LateRefund {
		t.Fatalf("Reconcile = %+v, %d, %v; want the payment refunded", tried, left, err)
	}
	if s := f.sale(t, ch.Sale.OutTradeNo); s.Status != store.StatusRefunded || s.Method != store.PayByCode {
		t.Errorf("ledger %s %s, want refunded payment_code", s.Status, s.Method)
	}
}

// TestRecoverSettlesAPaymentCodeSale: a kiosk killed while pay was in
// flight leaves the sale pending; recovery settles it as any other, by
// query and cancel.
func TestRecoverSettlesAPaymentCodeSale(t *testing.T) {
	tests := []struct {
		name  string
		query func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		want  store.Status
	}{
		{"charged", status(alipay.TradeSuccess, 300), store.StatusPaid},
		{"waiting for the customer", status(alipay.WaitBuyerPay, 300), store.StatusCancelled},
		{"never reached Alipay", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }, store.StatusCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			killed := errors.New("killed")
			f.gw.PayFn = func(r *alipay.PayRequest) (*alipay.PayResponse, error) { panic(killed) }
			var no string
			func() {
				defer func() {
					if recover() != killed {
						t.Fatal("the kiosk was not killed during pay")
					}
				}()
				_, _ = f.scan(t, 300, goodCode)
			}()
			open, _ := f.ledger.Unsettled()
			if len(open) != 1 || open[0].Status != store.StatusPending || open[0].Method != store.PayByCode {
				t.Fatalf("left behind: %+v", open)
			}
			no = open[0].OutTradeNo
			f.gw.QueryFn = tt.query
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("close", false)() }
			outs, err := f.reg.Recover(context.Background())
			if err != nil || len(outs) != 1 || outs[0].OutTradeNo != no {
				t.Fatalf("Recover = %+v, %v", outs, err)
			}
			if s := f.sale(t, no); s.Status != tt.want || s.Method != store.PayByCode {
				t.Errorf("recovered as %s %s, want %s", s.Status, s.Method, tt.want)
			}
			if n := f.gw.count("pay"); n != 1 {
				t.Errorf("pay sent %d times", n)
			}
		})
	}
}

// TestNotificationPaysAWaitingCharge: Alipay's notification of the
// customer's confirmation records the payment-code sale as any other.
func TestNotificationPaysAWaitingCharge(t *testing.T) {
	f := newNotifyFixture(t)
	f.gw.PayFn = waitingCharge
	ch, err := f.scan(t, 1500, goodCode)
	if err != nil || ch.Stage != ChargeWaiting {
		t.Fatalf("ScanPay = %+v, %v", ch, err)
	}
	if err := f.reg.HandleNotification(notification(t, testAlipayKey(t), ch.Sale, nil)); err != nil {
		t.Fatal(err)
	}
	if s := f.sale(t, ch.Sale.OutTradeNo); s.Status != store.StatusPaid || s.ReceiptNo != 1 {
		t.Errorf("ledger %s receipt %d", s.Status, s.ReceiptNo)
	}
	if got := <-f.reg.Notified(); got.OutTradeNo != ch.Sale.OutTradeNo || !got.Paid || got.Receipt.ReceiptNo != 1 {
		t.Errorf("announced %+v", got)
	}
}

// TestReportSplitsQRAndPaymentCode: the day's report, as pos gives it to
// the screens, says how much came in each way.
func TestReportSplitsQRAndPaymentCode(t *testing.T) {
	f, _, _ := paidSale(t, 1000) // a QR sale
	if _, err := f.scan(t, 250, goodCode); err != nil {
		t.Fatal(err)
	}
	f.gw.PayFn = payRefused(alipay.SubCodeBuyerBalanceNotEnough, "买家余额不足")
	if _, err := f.scan(t, 90, goodCode); err == nil {
		t.Fatal("the refused scan went through")
	}
	rep, err := f.reg.Report(f.reg.Today())
	if err != nil {
		t.Fatal(err)
	}
	want := map[PayMethod]MethodTotals{
		PayByQR:   {Count: 1, Paid: 1, PaidFen: 1000},
		PayByCode: {Count: 2, Paid: 1, PaidFen: 250},
	}
	if fmt.Sprint(rep.ByMethod) != fmt.Sprint(want) || rep.ByMethod[PayByCode].NetFen() != 250 {
		t.Errorf("by method %+v, want %+v", rep.ByMethod, want)
	}
	day, _ := f.reg.Day(f.reg.Today())
	methods := map[PayMethod]int{}
	for _, s := range day.Sales {
		methods[s.Method]++
	}
	if methods[PayByQR] != 1 || methods[PayByCode] != 2 {
		t.Errorf("the day's sales by method: %v", methods)
	}
}

// fakeBuyer is the emulated customer, showing codes of the kind asked.
type fakeBuyer struct{ kinds []BuyerCodeKind }

func (b *fakeBuyer) Pay(string) error { return nil }

func (b *fakeBuyer) IssueBuyerCode(kind BuyerCodeKind) (string, error) {
	b.kinds = append(b.kinds, kind)
	return goodCode, nil
}

func TestSimulateBuyerCode(t *testing.T) {
	f := newFixture(t)
	if _, err := f.reg.SimulateBuyerCode(BuyerCodePay); !errors.Is(err, ErrNoSimulator) {
		t.Errorf("on a real gateway: %v, want ErrNoSimulator", err)
	}
	buyer := &fakeBuyer{}
	reg, err := New(Config{}, f.gw, f.ledger, WithClock(f.clock), WithBuyerSimulator(buyer))
	if err != nil {
		t.Fatal(err)
	}
	code, err := reg.SimulateBuyerCode(BuyerCodeConfirm)
	if err != nil || code != goodCode || len(buyer.kinds) != 1 || buyer.kinds[0] != BuyerCodeConfirm {
		t.Errorf("SimulateBuyerCode = %q, %v; the buyer was asked for %v", code, err, buyer.kinds)
	}
}

// TestRefusalByItsFacts: a *PaymentRefusedError made from its facts alone
// (as a screen's fake makes one) reads and is classified as the gateway's
// refusal would be.
func TestRefusalByItsFacts(t *testing.T) {
	err := &PaymentRefusedError{Reason: RefusedCodeInvalid, Code: "40004", Msg: "Business Failed",
		SubCode: alipay.SubCodePaymentAuthCodeInvalid, SubMsg: "付款码已过期", OutTradeNo: "K1"}
	if !strings.Contains(err.Error(), "付款码已过期") {
		t.Errorf("Error() = %q", err.Error())
	}
	p := Classify(fmt.Errorf("charge: %w", err))
	if p.Kind != KindAlipayRefused || p.SubCode != alipay.SubCodePaymentAuthCodeInvalid || p.SubMsg != "付款码已过期" || p.Code != "40004" {
		t.Errorf("Classify = %+v", p)
	}
}
