package pos

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"sync/atomic"
	"testing"

	"kiosk/alipay"
	"kiosk/store"
)

// readCountingLedger is the ledger, counting the reads of one sale.
type readCountingLedger struct {
	*store.Store
	gets atomic.Int64
}

func (l *readCountingLedger) Get(outTradeNo string) (store.Sale, error) {
	l.gets.Add(1)
	return l.Store.Get(outTradeNo)
}

// startNotified makes a register on f's gateway and clock, with ledger and
// notifications verified by the test's Alipay key, and starts a ¥12.34 sale.
func startNotified(t *testing.T, f *fixture, ledger Ledger) (*Register, Sale) {
	t.Helper()
	v := &alipay.NotifyVerifier{AlipayPublicKey: &testAlipayKey(t).PublicKey, AppID: testAppID, SellerID: testSellerID}
	reg, err := New(Config{TerminalID: "T-01", SellerID: testSellerID}, f.gw, ledger, WithClock(f.clock), WithNotifications(v))
	if err != nil {
		t.Fatal(err)
	}
	sale, err := reg.Start(t.Context(), 1234, "")
	if err != nil {
		t.Fatal(err)
	}
	return reg, sale
}

// TestNotificationReadsTheSaleOnce: a verified notification of a payment
// reads its sale from the ledger once, for the checks and the record
// alike, and writes it once. Every read opens the ledger's file afresh,
// which costs more as the day's sales fill it.
func TestNotificationReadsTheSaleOnce(t *testing.T) {
	f := newFixture(t)
	ledger := &readCountingLedger{Store: f.ledger}
	reg, sale := startNotified(t, f, ledger)
	form := notification(t, testAlipayKey(t), sale, nil)
	gets, commits := ledger.gets.Load(), f.ledger.Commits()
	if err := reg.HandleNotification(form); err != nil {
		t.Fatal(err)
	}
	if n := ledger.gets.Load() - gets; n != 1 {
		t.Errorf("a notification read its sale %d times, want once", n)
	}
	if n := f.ledger.Commits() - commits; n != 1 {
		t.Errorf("a notification made %d commits, want 1", n)
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.Status != store.StatusPaid || s.ReceiptNo != 1 {
		t.Errorf("after the notification: %+v, want paid with receipt 1", s)
	}
}

// TestNotificationOpensTheLedgerOnce: a verified notification of a payment
// opens the ledger's file once, for its read and its commit alike (the
// store opens it afresh for each operation outside a Hold), and releases
// it: a second notification of the same payment opens it once again. A
// forged one is refused before the ledger is touched.
func TestNotificationOpensTheLedgerOnce(t *testing.T) {
	f := newFixture(t)
	reg, sale := startNotified(t, f, f.ledger)
	forger, err := rsa.GenerateKey(rand.Reader, 1024) // small is fine for a forger here
	if err != nil {
		t.Fatal(err)
	}
	opens := f.ledger.Opens()
	if err := reg.HandleNotification(notification(t, forger, sale, nil)); err == nil {
		t.Fatal("a forged notification was accepted")
	}
	if n := f.ledger.Opens() - opens; n != 0 {
		t.Errorf("a forged notification opened the ledger %d times, want 0", n)
	}
	for i, want := range []uint64{1, 1} {
		opens := f.ledger.Opens()
		if err := reg.HandleNotification(notification(t, testAlipayKey(t), sale, nil)); err != nil {
			t.Fatal(err)
		}
		if n := f.ledger.Opens() - opens; n != want {
			t.Errorf("notification %d opened the ledger %d times, want %d", i+1, n, want)
		}
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.Status != store.StatusPaid || s.ReceiptNo != 1 {
		t.Errorf("after the notifications: %+v, want paid with receipt 1", s)
	}
}

// unholdableLedger is the ledger with its file busy: Hold fails as
// bbolt's lock wait does, and the reads that would wait as long are
// counted.
type unholdableLedger struct {
	readCountingLedger
}

func (l *unholdableLedger) Hold() (func(), error) { return func() {}, store.ErrBusy }

// TestNotificationWaitsForTheLedgerOnce: when the ledger cannot be held
// (another process has its file), the notification is refused as a
// ledger fault, for Alipay to send again, without a read that would wait
// for the same lock a second time.
func TestNotificationWaitsForTheLedgerOnce(t *testing.T) {
	f := newFixture(t)
	ledger := &unholdableLedger{readCountingLedger{Store: f.ledger}}
	reg, sale := startNotified(t, f, ledger)
	gets := ledger.gets.Load()
	err := reg.HandleNotification(notification(t, testAlipayKey(t), sale, nil))
	if !errors.Is(err, ErrLedger) || !errors.Is(err, store.ErrBusy) {
		t.Errorf("a notification on a busy ledger: %v, want ErrLedger and store.ErrBusy", err)
	}
	if n := ledger.gets.Load() - gets; n != 0 {
		t.Errorf("after the hold failed the notification read its sale %d times, want 0", n)
	}
	if s, _ := f.ledger.Get(sale.OutTradeNo); s.Status != store.StatusPending {
		t.Errorf("after the refused notification the sale is %s, want pending", s.Status)
	}
}
