package pos

import (
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

// TestNotificationReadsTheSaleOnce: a verified notification of a payment
// reads its sale from the ledger once, for the checks and the record
// alike, and writes it once. Every read opens the ledger's file afresh,
// which costs more as the day's sales fill it.
func TestNotificationReadsTheSaleOnce(t *testing.T) {
	f := newFixture(t)
	ledger := &readCountingLedger{Store: f.ledger}
	v := &alipay.NotifyVerifier{AlipayPublicKey: &testAlipayKey(t).PublicKey, AppID: testAppID, SellerID: testSellerID}
	reg, err := New(Config{TerminalID: "T-01", SellerID: testSellerID}, f.gw, ledger, WithClock(f.clock), WithNotifications(v))
	if err != nil {
		t.Fatal(err)
	}
	sale, err := reg.Start(t.Context(), 1234, "")
	if err != nil {
		t.Fatal(err)
	}
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
