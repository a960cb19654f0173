package pos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"kiosk/alipay"
	"kiosk/store"
)

// NotifyVerifier checks Alipay's asynchronous notifications.
// *alipay.NotifyVerifier implements it.
type NotifyVerifier interface {
	Verify(form url.Values, lookup func(outTradeNo string) (alipay.Expected, error)) (*alipay.Notification, error)
}

// WithNotifications makes the Register accept Alipay's notifications,
// checked by v. Payments they report are announced on Notified.
func WithNotifications(v NotifyVerifier) Option {
	return func(r *Register) {
		r.verifier = v
		r.notified = make(chan Notice, 16)
	}
}

// Notice is what a notification did to a sale: recorded its payment
// (Paid, and Receipt as the ledger issued it), or left the sale open to be
// settled by query (Reconcile).
type Notice struct {
	OutTradeNo string
	Paid       bool
	Receipt    Receipt // when Paid
}

// WithLogger sends the Register's diagnostics to l.
func WithLogger(l *slog.Logger) Option { return func(r *Register) { r.log = l } }

// Notified delivers a Notice for each sale a notification has just
// recorded as paid, or left open to be settled. A verified notification
// that the ledger has recorded is the receipt: the screen shows it at
// once, without asking Alipay again. Any other sale is settled in the
// background (Reconcile). It is nil when notifications are off.
func (r *Register) Notified() <-chan Notice { return r.notified }

// HandleNotification verifies one notification against Alipay's signature
// and our own record of the sale, and records a payment it reports. A
// duplicate, or a payment a poll already recorded, changes nothing. No
// status of the sale refuses a verified payment: where a cancel was sent
// (the notification may predate its refund) a fresh query decides, and
// when Alipay cannot be asked the sale is kept open for Reconcile. A
// payment for a sale whose customer was told nothing was charged is
// recorded, and refunded by the sale's settlement.
func (r *Register) HandleNotification(form url.Values) error {
	if r.verifier == nil {
		return errors.New("notifications are not configured")
	}
	toConfirm, err := r.recordNotified(form)
	if err != nil || toConfirm == nil {
		return err
	}
	return r.confirmByQuery(*toConfirm)
}

// recordNotified verifies a notification and records the payment it
// reports. A sale whose cancel was sent is returned instead, for a query
// to settle once the ledger is released: the ledger is held open from the
// read of the sale to the payment's commit (holdLedger), and no network
// call may come between.
func (r *Register) recordNotified(form url.Values) (toConfirm *store.Sale, err error) {
	var release func()
	defer func() {
		if release != nil {
			release()
		}
	}()
	// The sale the checks read is the one the payment is recorded against:
	// one read of the ledger, not a second one for the same sale. The
	// verifier reads it only once the signature is good, so that a forged
	// notification does not hold the ledger.
	var sale store.Sale
	n, err := r.verifier.Verify(form, func(outTradeNo string) (alipay.Expected, error) {
		if release == nil {
			var err error
			if release, err = r.holdLedger(); err != nil {
				// Not a second wait for the same lock: the read would wait as long.
				return alipay.Expected{}, fmt.Errorf("%w: %w", ErrLedger, err)
			}
		}
		var exp alipay.Expected
		var err error
		sale, exp, err = r.expected(outTradeNo)
		return exp, err
	})
	if err != nil {
		return nil, err
	}
	if !n.Paid() {
		return nil, nil // WAIT_BUYER_PAY or TRADE_CLOSED: polling and cancel settle those
	}
	if sale.OutTradeNo != n.OutTradeNo { // a verifier that did not look the sale up
		if sale, err = r.ledger.Get(n.OutTradeNo); err != nil {
			return nil, fmt.Errorf("read notified sale %s: %w: %w", n.OutTradeNo, ErrLedger, err)
		}
	}
	switch {
	case sale.Status == store.StatusPaid || sale.Status == store.StatusRefunded:
		return nil, nil // the ledger has this payment already
	case cancelWasSent(sale.Status):
		return &sale, nil
	}
	// Pending or failed: no cancel of ours can have refunded the payment.
	rec, changed, err := r.ledger.MarkPaid(n.OutTradeNo, store.Payment{
		TradeNo:      n.TradeNo,
		BuyerLogonID: MaskAccount(n.BuyerLogonID),
		PaidAt:       orNow(n.GmtPayment, r.clock.Now()),
	})
	if err != nil {
		return nil, fmt.Errorf("record notified payment of %s: %w: %w", n.OutTradeNo, ErrLedger, err)
	}
	if changed {
		// Before the ledger is released: the screen need not wait for its close.
		r.announce(Notice{OutTradeNo: n.OutTradeNo, Paid: true, Receipt: receiptOf(rec)})
	}
	return nil, nil
}

// ledgerHolder is a ledger that can keep its file open across a few
// operations (*store.Store opens it afresh for each otherwise).
type ledgerHolder interface {
	Hold() (release func(), err error)
}

// holdLedger holds the ledger open, when it can be, until the release it
// returns is called: a notification's read of its sale and the payment it
// records then share one open of the file, which costs more than either.
// A ledger that cannot be held is used as it is.
func (r *Register) holdLedger() (release func(), err error) {
	h, ok := r.ledger.(ledgerHolder)
	if !ok {
		return func() {}, nil
	}
	return h.Hold()
}

// cancelWasSent: the sale ended in a cancel (answered, or lost). A
// TRADE_SUCCESS notification, which Alipay resends for a day, may predate
// a refund by that cancel, so only a fresh query can say what holds now.
func cancelWasSent(st store.Status) bool {
	return st == store.StatusCancelled || st == store.StatusUnknown
}

// confirmByQuery settles a notified sale by asking Alipay how it stands now.
func (r *Register) confirmByQuery(s store.Sale) error {
	resp, err := r.query(context.Background(), s.OutTradeNo)
	if err != nil {
		return r.keepOpen(s, err)
	}
	switch {
	case resp.TradeStatus.Paid():
		sale := Sale{OutTradeNo: s.OutTradeNo, AmountFen: s.AmountFen}
		rec, err := r.recordPayment(sale, resp)
		if err != nil {
			return err
		}
		r.announce(Notice{OutTradeNo: s.OutTradeNo, Paid: true, Receipt: receiptOf(rec)})
	case resp.TradeStatus == alipay.TradeClosed:
		_, err = r.recordClosed(s.OutTradeNo, resp)
	}
	return err
}

// keepOpen makes sure a notified sale Alipay cannot be asked about now is
// open, so that Reconcile and Recover settle it by query, and announces it.
// An unknown sale is open already; a cancelled one becomes unknown, its
// payment to be refunded, since its customer was told nothing was charged.
func (r *Register) keepOpen(s store.Sale, cause error) error {
	if s.Status == store.StatusCancelled {
		note := problemNote(NoteNotifiedCancelled, "", cause).String()
		if _, err := r.ledger.MarkRefundIfPaid(s.OutTradeNo, r.clock.Now(), note); err != nil {
			return fmt.Errorf("reopen notified sale %s: %w: %w", s.OutTradeNo, ErrLedger, err)
		}
	}
	r.announce(Notice{OutTradeNo: s.OutTradeNo})
	return nil
}

func (r *Register) announce(n Notice) {
	select {
	case r.notified <- n:
	default: // nobody is listening right now; the next poll finds the payment
	}
}

// expected is what a notification must agree with: our record of the
// sale, returned with it.
func (r *Register) expected(outTradeNo string) (store.Sale, alipay.Expected, error) {
	s, err := r.ledger.Get(outTradeNo)
	if errors.Is(err, store.ErrNotFound) {
		return store.Sale{}, alipay.Expected{}, fmt.Errorf("%w: %s", alipay.ErrNotifyUnknownTrade, outTradeNo)
	}
	if err != nil {
		return store.Sale{}, alipay.Expected{}, fmt.Errorf("%w: %w", ErrLedger, err)
	}
	return s, alipay.Expected{TotalFen: s.AmountFen, SellerID: r.cfg.SellerID}, nil
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// maxNotifyBody bounds a notification body; real ones are about 2 KB.
const maxNotifyBody = 64 << 10

// NotifyHandler answers Alipay's notifications at the path it is mounted
// on: "success" when the notification was verified and recorded (Alipay
// then stops resending), "fail" otherwise, with the reason logged.
func (r *Register) NotifyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "fail", http.StatusMethodNotAllowed)
			return
		}
		err := r.handleNotifyRequest(w, req)
		if err != nil {
			r.logger().Warn("notification refused", "remote", req.RemoteAddr, "reason", err)
			fmt.Fprint(w, "fail")
			return
		}
		fmt.Fprint(w, "success")
	})
}

func (r *Register) handleNotifyRequest(w http.ResponseWriter, req *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxNotifyBody))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	form, err := alipay.ParseNotification(body, req.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	return r.HandleNotification(form)
}

func (r *Register) logger() *slog.Logger {
	if r.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.log
}
