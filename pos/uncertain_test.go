package pos

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/alipay"
	"kiosk/store"
)

// Tests for the answers that do not say what happened at Alipay: a
// precreate whose answer was lost, a payment that arrives for a sale the
// customer was told had failed, and verified payments against every status.

// TestPrecreateFailsOnlyWhenNoTradeCanExist: a failed precreate makes the
// sale failed only when the answer proves Alipay has no trade for it; any
// other failure leaves it unknown, its payment to be refunded.
func TestPrecreateFailsOnlyWhenNoTradeCanExist(t *testing.T) {
	refusal := func(sub string) error {
		return &alipay.Error{Method: alipay.MethodPrecreate, Code: "40004", Msg: "Business Failed", SubCode: sub}
	}
	tests := []struct {
		name   string
		answer func(*alipay.PrecreateRequest) (*alipay.PrecreateResponse, error)
		failed bool
		says   string
	}{
		{"refused before sending", fails(fmt.Errorf("%w: amount", alipay.ErrInvalidRequest)), true, ""},
		{"no connection", fails(fmt.Errorf("%w: %w: dial tcp: connection refused", alipay.ErrTransport, alipay.ErrNotSent)), true, "could not be reached"},
		{"signed refusal", fails(refusal("ACQ.TOTAL_FEE_EXCEED")), true, "Alipay rejected the request"},
		{"signed: order number already paid", fails(refusal("ACQ.TRADE_HAS_SUCCESS")), false, "Alipay refused the order number as already used"},
		{"signed: Alipay busy", fails(&alipay.Error{Code: "20000", SubCode: "isp.unknow-error"}), false, "Alipay said it was busy (isp.unknow-error)"},
		{"timeout", fails(fmt.Errorf("%w: %w", alipay.ErrTransport, context.DeadlineExceeded)), false, "Alipay did not answer in time"},
		{"reset or HTTP 502", fails(fmt.Errorf("precreate: %w", alipay.ErrTransport)), false, "The connection to Alipay failed before its answer arrived"},
		{"half an answer", fails(fmt.Errorf("%w: cut", alipay.ErrUnexpectedResponse)), false, "Alipay's answer could not be understood"},
		{"forged signature", fails(alipay.ErrBadSignature), false, "Alipay's answer failed its signature check"},
		{"no signature", fails(alipay.ErrNotSigned), false, "Alipay's answer failed its signature check"},
		{"unsigned refusal", fails(fmt.Errorf("%w: %w", alipay.ErrUnsignedError, refusal("ACQ.TOTAL_FEE_EXCEED"))), false, "unsigned error"},
		{"answer for another order", func(*alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
			return &alipay.PrecreateResponse{OutTradeNo: "SOMEONE_ELSE", QRCode: "https://qr.alipay.com/x"}, nil
		}, false, "for another order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var no string
			f.gw.PrecreateFn = func(r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
				no = r.OutTradeNo
				return tt.answer(r)
			}
			_, err := f.reg.Start(context.Background(), 100, "")
			if err == nil {
				t.Fatal("Start succeeded")
			}
			s, _ := f.ledger.Get(no)
			if tt.failed {
				if s.Status != store.StatusFailed || errors.Is(err, ErrPrecreateUnknown) {
					t.Errorf("ledger %s, error %v; want failed", s.Status, err)
				}
				return
			}
			if s.Status != store.StatusUnknown || !s.RefundIfPaid || !errors.Is(err, ErrPrecreateUnknown) {
				t.Errorf("ledger %s (refund if paid %v), error %v; want unknown, to refund if paid", s.Status, s.RefundIfPaid, err)
			}
			msg := describe(err)
			for _, want := range []string{tt.says, "no QR code was shown and the sale did not start", "cancels it with Alipay", "goes back to them"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Describe = %q\nwant it to say %q", msg, want)
				}
			}
			if note := noteText(ParseNote(s.History[len(s.History)-1].Note)); note+" Start the sale again." != msg {
				t.Errorf("ledger note %q, want the cashier's words %q", note, msg)
			}
			if open, _ := f.ledger.Unsettled(); len(open) != 1 {
				t.Errorf("the sale is not open for settling: %v", open)
			}
		})
	}
}

func fails(err error) func(*alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
	return func(*alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) { return nil, err }
}

// lostPrecreate starts a sale whose precreate reached Alipay but whose
// answer was lost, and returns it as Reconcile sees it.
func lostPrecreate(t *testing.T, f *fixture, fen int64) Sale {
	t.Helper()
	var sale Sale
	f.gw.PrecreateFn = func(r *alipay.PrecreateRequest) (*alipay.PrecreateResponse, error) {
		sale = Sale{OutTradeNo: r.OutTradeNo, AmountFen: r.TotalFen}
		return nil, fmt.Errorf("%w: %w", alipay.ErrTransport, context.DeadlineExceeded)
	}
	if _, err := f.reg.Start(context.Background(), fen, ""); !errors.Is(err, ErrPrecreateUnknown) {
		t.Fatalf("Start = %v, want ErrPrecreateUnknown", err)
	}
	f.gw.PrecreateFn = nil
	return sale
}

// TestLostPrecreateIsSettledLikeAnyUnknownSale: the background retry
// (Reconcile) and the start (Recover) cancel it; a payment Alipay has for
// it is recorded and then refunded, and the ledger says so.
func TestLostPrecreateIsSettledLikeAnyUnknownSale(t *testing.T) {
	for _, settle := range []string{"Reconcile", "Recover"} {
		for _, paid := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/paid=%v", settle, paid), func(t *testing.T) {
				f := newFixture(t)
				sale := lostPrecreate(t, f, 1234)
				f.gw.QueryFn = func(r *alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }
				action := "close"
				if paid {
					f.gw.QueryFn, action = status(alipay.TradeSuccess, 1234), "refund"
				}
				f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer(action, false)() }
				outs := settleAll(t, f, settle)
				if len(outs) != 1 {
					t.Fatalf("%s settled %+v", settle, outs)
				}
				out, s := outs[0], mustSale(t, f, sale.OutTradeNo)
				if f.gw.count("cancel") != 1 {
					t.Errorf("cancel sent %d times, want once", f.gw.count("cancel"))
				}
				if !paid {
					if out.Status != StatusCancelled || s.Status != store.StatusCancelled || out.LateRefund {
						t.Errorf("outcome %+v, ledger %s; want cancelled", out, s.Status)
					}
					return
				}
				want := []store.Status{store.StatusPending, store.StatusUnknown, store.StatusPaid, store.StatusRefunded}
				if got := historyStatuses(s); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("history %v, want %v: the payment recorded, then refunded", got, want)
				}
				if out.Status != StatusRefunded || !out.LateRefund || !strings.Contains(noteText(out.Note), "told that nothing was charged; the payment was refunded") {
					t.Errorf("outcome %+v", out)
				}
				if ParseNote(s.History[len(s.History)-1].Note) != out.Note || s.ReceiptNo != 1 {
					t.Errorf("ledger %+v", s)
				}
				if open, _ := f.ledger.Unsettled(); len(open) != 0 {
					t.Errorf("still open: %v", open)
				}
			})
		}
	}
}

func settleAll(t *testing.T, f *fixture, how string) []Outcome {
	t.Helper()
	var (
		outs []Outcome
		err  error
	)
	if how == "Recover" {
		outs, err = f.reg.Recover(context.Background())
	} else {
		outs, _, err = f.reg.Reconcile(context.Background())
	}
	if err != nil {
		t.Fatalf("%s: %v", how, err)
	}
	return outs
}

func mustSale(t *testing.T, f *fixture, no string) store.Sale {
	t.Helper()
	s, err := f.ledger.Get(no)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func historyStatuses(s store.Sale) []store.Status {
	var out []store.Status
	for _, ev := range s.History {
		out = append(out, ev.Status)
	}
	return out
}

// TestRefundDueSurvivesALostCancel: when the cancel that should refund a
// late payment gets no answer, the sale stays open with its receipt and is
// refunded by the next settlement, never paid twice.
func TestRefundDueSurvivesALostCancel(t *testing.T) {
	f := newFixture(t)
	sale := lostPrecreate(t, f, 500)
	f.gw.QueryFn = status(alipay.TradeSuccess, 500)
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return nil, alipay.ErrTransport }
	if outs, left, _ := f.reg.Reconcile(context.Background()); len(outs) != 1 || outs[0].Status != StatusUnknown || left != 1 {
		t.Fatalf("Reconcile with the cancel lost = %+v, %d", outs, left)
	}
	if s := mustSale(t, f, sale.OutTradeNo); s.ReceiptNo != 1 || !s.RefundIfPaid {
		t.Fatalf("ledger %+v", s)
	}
	f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("refund", false)() }
	outs, left, err := f.reg.Reconcile(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusRefunded || left != 0 {
		t.Fatalf("Reconcile once Alipay answers = %+v, %d, %v", outs, left, err)
	}
	if s := mustSale(t, f, sale.OutTradeNo); s.Status != store.StatusRefunded || s.ReceiptNo != 1 {
		t.Errorf("ledger %+v; want refunded, one receipt", s)
	}
}

// TestCancelSaysWhetherTheLastCheckWorked: a refund by the cancel is "at
// the last second" only when the last query answered; when it failed, the
// note says the kiosk could not see the payment.
func TestCancelSaysWhetherTheLastCheckWorked(t *testing.T) {
	tests := []struct {
		name  string
		query func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		says  string
	}{
		{"last query answered", status(alipay.WaitBuyerPay, 1234), "The customer paid at the last second"},
		{"not scanned at the last query", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, notExist() }, "The customer paid at the last second"},
		{"queries failing", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) {
			return nil, fmt.Errorf("%w: %w", alipay.ErrTransport, context.DeadlineExceeded)
		}, "The customer had paid, but the kiosk's last check for the payment got no usable answer (Alipay did not answer in time"},
		{"answers forged", func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrBadSignature },
			"got no usable answer (Alipay's answer failed its signature check)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			sale := f.start(t, 1234)
			f.gw.QueryFn = tt.query
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) { return cancelAnswer("refund", false)() }
			out, err := f.reg.Cancel(context.Background(), sale, "The time to pay ran out")
			if err != nil || out.Status != StatusRefunded || !strings.Contains(noteText(out.Note), tt.says) {
				t.Errorf("Cancel = %+v, %v\nwant a note saying %q", out, err, tt.says)
			}
			if strings.Contains(tt.name, "failing") && strings.Contains(noteText(out.Note), "last second") {
				t.Errorf("note %q claims a last-second payment the kiosk could not see", noteText(out.Note))
			}
		})
	}
}

// saleIn is a sale driven to a ledger status, as notifications meet them.
type saleIn struct {
	name  string
	drive func(t *testing.T, f *fixture) Sale
}

var notifiedStatuses = []saleIn{
	{"pending", func(t *testing.T, f *fixture) Sale { return f.start(t, 1234) }},
	{"failed", func(t *testing.T, f *fixture) Sale {
		sale := f.start(t, 1234)
		setStatus(t, f, sale, store.StatusFailed)
		return sale
	}},
	{"lost precreate", func(t *testing.T, f *fixture) Sale { return lostPrecreate(t, f, 1234) }},
	{"unknown after a lost cancel", func(t *testing.T, f *fixture) Sale {
		sale := f.start(t, 1234)
		setStatus(t, f, sale, store.StatusUnknown)
		return sale
	}},
	{"cancelled", func(t *testing.T, f *fixture) Sale {
		sale := f.start(t, 1234)
		setStatus(t, f, sale, store.StatusCancelled)
		return sale
	}},
	{"paid", func(t *testing.T, f *fixture) Sale {
		sale := f.start(t, 1234)
		pay(t, f, sale)
		return sale
	}},
	{"refunded", func(t *testing.T, f *fixture) Sale {
		sale := f.start(t, 1234)
		pay(t, f, sale)
		setStatus(t, f, sale, store.StatusRefunded)
		return sale
	}},
}

func setStatus(t *testing.T, f *fixture, sale Sale, st store.Status) {
	t.Helper()
	if _, err := f.ledger.SetStatus(sale.OutTradeNo, st, time.Time{}, "setup", ""); err != nil {
		t.Fatal(err)
	}
}

func pay(t *testing.T, f *fixture, sale Sale) {
	t.Helper()
	if _, _, err := f.ledger.MarkPaid(sale.OutTradeNo, store.Payment{TradeNo: "2026112222001400001234567890"}); err != nil {
		t.Fatal(err)
	}
}

// TestVerifiedPaymentNotificationInEveryStatus: for each status × what
// Alipay says now, a genuine notification is accepted, the ledger records
// the payment once (or what Alipay says now, when a cancel of ours was
// sent), and settling the open sales leaves it where the money is: kept
// with a receipt, or refunded when the customer was told nothing was
// charged.
func TestVerifiedPaymentNotificationInEveryStatus(t *testing.T) {
	paidThenRefunded := status(alipay.TradeClosed, 1234) // closed with send_pay_date
	down := func(*alipay.QueryRequest) (*alipay.QueryResponse, error) { return nil, alipay.ErrTransport }
	tests := []struct {
		sale        string
		alipayNow   func(*alipay.QueryRequest) (*alipay.QueryResponse, error)
		final       store.Status // after the notification and a settlement
		refunds     bool         // the settlement's cancel refunds the payment
		receiptKept bool
	}{
		{"pending", status(alipay.TradeSuccess, 1234), store.StatusPaid, false, true},
		{"failed", status(alipay.TradeSuccess, 1234), store.StatusRefunded, true, true},
		{"lost precreate", status(alipay.TradeSuccess, 1234), store.StatusRefunded, true, true},
		{"lost precreate", down, store.StatusUnknown, false, false},
		{"unknown after a lost cancel", status(alipay.TradeSuccess, 1234), store.StatusPaid, false, true},
		{"unknown after a lost cancel", paidThenRefunded, store.StatusRefunded, false, false},
		{"unknown after a lost cancel", down, store.StatusUnknown, false, false},
		{"cancelled", status(alipay.TradeSuccess, 1234), store.StatusRefunded, true, true},
		{"cancelled", paidThenRefunded, store.StatusRefunded, false, false},
		{"cancelled", down, store.StatusUnknown, false, false},
		{"paid", status(alipay.TradeSuccess, 1234), store.StatusPaid, false, true},
		{"refunded", paidThenRefunded, store.StatusRefunded, false, true},
	}
	for _, tt := range tests {
		name := tt.sale + "/" + map[bool]string{true: "Alipay down", false: "Alipay answers"}[tt.final == store.StatusUnknown]
		t.Run(name, func(t *testing.T) {
			f := newNotifyFixture(t)
			var drive saleIn
			for _, s := range notifiedStatuses {
				if s.name == tt.sale {
					drive = s
				}
			}
			sale := drive.drive(t, f)
			f.gw.QueryFn = tt.alipayNow
			f.gw.CancelFn = func(*alipay.CancelRequest) (*alipay.CancelResponse, error) {
				if tt.final == store.StatusUnknown {
					return nil, alipay.ErrTransport
				}
				if tt.refunds {
					return cancelAnswer("refund", false)()
				}
				return cancelAnswer("close", false)()
			}
			form := notification(t, testAlipayKey(t), sale, nil)
			for range 2 { // Alipay resends; a duplicate changes nothing
				if err := f.reg.HandleNotification(form); err != nil {
					t.Fatalf("a genuine notification for a %s sale was refused: %v", tt.sale, err)
				}
			}
			if _, _, err := f.reg.Reconcile(context.Background()); err != nil {
				t.Fatalf("Reconcile: %v", err)
			}
			s := mustSale(t, f, sale.OutTradeNo)
			if s.Status != tt.final {
				t.Errorf("ledger %s (%v), want %s", s.Status, notes(s), tt.final)
			}
			if (s.ReceiptNo == 1) != tt.receiptKept || s.ReceiptNo > 1 {
				t.Errorf("receipt %d (%v)", s.ReceiptNo, notes(s))
			}
			if tt.final == store.StatusUnknown && !s.Open() {
				t.Errorf("the sale is not open while Alipay cannot be asked: %+v", s)
			}
			switch n := f.gw.count("cancel"); {
			case tt.refunds && n != 1:
				t.Errorf("%d cancels refunded the payment, want 1", n)
			case !tt.refunds && tt.final != store.StatusUnknown && n != 0:
				t.Errorf("%d cancels sent for a sale Alipay had settled", n)
			}
		})
	}
}

func notes(s store.Sale) []string {
	var out []string
	for _, ev := range s.History {
		out = append(out, string(ev.Status)+": "+ev.Note)
	}
	return out
}

// TestLedgerHeldByAnotherProgramIsNotADiskFault: a ledger file locked past
// the timeout (a manager's long "kiosk ledger check", a backup) is named
// as such, not as a disk to check.
func TestLedgerHeldByAnotherProgramIsNotADiskFault(t *testing.T) {
	dir := t.TempDir()
	ledger, err := store.Open(dir, store.Options{Location: shanghai, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ledger.Close()
	reg, err := New(Config{}, &fakeGateway{}, ledger, WithClock(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	reader, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	_, err = reg.Start(context.Background(), 100, "")
	if msg := describe(err); !errors.Is(err, ErrLedger) || !strings.Contains(msg, "held by another program") || strings.Contains(msg, "Check the disk") {
		t.Errorf("Start while another program holds the ledger: %v\nsays %q", err, msg)
	}
	if msg := describe(fmt.Errorf("record sale K1: %w: %w", ErrLedger, errors.New("input/output error"))); !strings.Contains(msg, "Check the disk") {
		t.Errorf("a real write failure: %q", msg)
	}
}
