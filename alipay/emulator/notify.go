package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
)

// notifySchedule is how long Alipay waits before each resend of a
// notification that was not answered "success": 8 attempts in about 25
// hours. Config.NotifyScale shrinks it.
var notifySchedule = []time.Duration{
	4 * time.Minute, 10 * time.Minute, 10 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 15 * time.Hour,
}

const (
	// notifyTimeout bounds one notification POST.
	notifyTimeout = 5 * time.Second
	// maxNotifyAnswer is how much of a receiver's answer is read.
	maxNotifyAnswer = 1 << 10
	// maxDeliveries bounds the attempts Deliveries remembers.
	maxDeliveries = 1000
	// gmtRefundLayout is gmt_refund's format: Beijing time with
	// milliseconds, unlike every other time Alipay sends.
	gmtRefundLayout = "2006-01-02 15:04:05.000"
)

// Delivery is one attempt to deliver a notification.
type Delivery struct {
	OutTradeNo string
	URL        string
	Attempt    int       // 1 for the first POST, up to 8
	At         time.Time // wall-clock time the attempt started
	Answer     string    // the receiver's body, trimmed
	Err        string    // why the attempt did not count as delivered; "" if it did
}

// notification is one message to deliver, before signing.
type notification struct {
	outTradeNo string
	url        string
	form       url.Values
}

// newNotifyClient returns the client notifications are posted with: its
// own connection pool, so that Close can drop it, and a 5-second limit.
func newNotifyClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Timeout: notifyTimeout, Transport: tr}
}

// checkNotifyURL returns precreate's notify_url if notifications can be
// posted to it, else "" (and says why in the log).
func (e *Emulator) checkNotifyURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		e.log.Warn("notify_url is not an absolute http(s) URL; no notifications will be sent", "notify_url", raw)
		return ""
	}
	if u.RawQuery != "" {
		e.log.Warn("notify_url has query parameters, which Alipay does not allow", "notify_url", raw)
	}
	return raw
}

// notifyLocked starts delivering a trade_status_sync notification about t
// in the background, if its precreate gave a notify_url. r is the refund
// that closed the trade, nil for a payment. Called with the lock held, so
// that the message describes the trade as the change left it.
func (e *Emulator) notifyLocked(t *trade, r *Refund) {
	if t.notifyURL == "" {
		return
	}
	if e.closed {
		e.log.Warn("emulator closed; notification not sent", "out_trade_no", t.OutTradeNo, "trade_status", t.Status)
		return
	}
	n := notification{outTradeNo: t.OutTradeNo, url: t.notifyURL, form: e.notificationForm(t, r)}
	e.wg.Go(func() { e.deliver(n) })
}

// notificationForm lays out Alipay's trade_status_sync parameters for t,
// without sign and sign_type. Empty values are never sent.
func (e *Emulator) notificationForm(t *trade, r *Refund) url.Values {
	paid := alipay.FormatAmount(t.TotalFen)
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("notify_time", alipay.FormatTime(e.now()))
	set("notify_type", "trade_status_sync")
	set("notify_id", newNotifyID())
	set("charset", "utf-8")
	set("version", "1.0")
	set("app_id", e.cfg.AppID)
	set("auth_app_id", e.cfg.AppID)
	set("seller_id", e.cfg.SellerID)
	set("trade_no", t.TradeNo)
	set("out_trade_no", t.OutTradeNo)
	set("trade_status", t.Status)
	set("total_amount", paid)
	set("receipt_amount", paid)
	set("buyer_pay_amount", paid)
	set("invoice_amount", paid)
	set("point_amount", "0.00")
	set("buyer_id", t.buyerUserID)
	set("buyer_logon_id", t.BuyerLogonID)
	set("subject", t.Subject)
	set("gmt_create", alipay.FormatTime(t.CreatedAt))
	set("gmt_payment", alipay.FormatTime(t.PaidAt))
	set("fund_bill_list", `[{"amount":"`+paid+`","fundChannel":"ALIPAYACCOUNT"}]`)
	if r != nil {
		set("refund_fee", alipay.FormatAmount(t.RefundedFen()))
		set("gmt_refund", r.At.In(alipay.Location()).Format(gmtRefundLayout))
		set("gmt_close", alipay.FormatTime(r.At))
		set("out_biz_no", r.OutRequestNo)
	}
	return f
}

// newNotifyID returns a random notify_id.
func newNotifyID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return hex.EncodeToString(b)
}

// deliver posts n until the receiver answers "success", resending on
// Alipay's schedule, or until Close.
func (e *Emulator) deliver(n notification) {
	form, err := alipay.SignNotification(e.cfg.AlipayPrivateKey, alipay.RSA2, n.form)
	if err != nil {
		e.log.Error("sign notification", "out_trade_no", n.outTradeNo, "err", err)
		return
	}
	body := form.Encode()
	for attempt := 1; attempt <= len(notifySchedule)+1; attempt++ {
		if attempt > 1 && !sleep(e.ctx, e.resendDelay(attempt-1)) {
			e.log.Info("notification abandoned: emulator closed", "out_trade_no", n.outTradeNo, "attempts", attempt-1)
			return
		}
		d := e.post(n, body, attempt)
		e.record(d)
		e.log.Info("notification", "out_trade_no", n.outTradeNo, "trade_status", n.form.Get("trade_status"),
			"attempt", attempt, "url", n.url, "answer", d.Answer, "err", d.Err)
		if d.Err == "" {
			return
		}
	}
	e.log.Warn("notification given up after 8 attempts", "out_trade_no", n.outTradeNo, "url", n.url)
}

// resendDelay is the scaled wait before resend number i (1-based).
func (e *Emulator) resendDelay(i int) time.Duration {
	return time.Duration(float64(notifySchedule[i-1]) * e.cfg.NotifyScale)
}

// post makes one delivery attempt.
func (e *Emulator) post(n notification, body string, attempt int) Delivery {
	d := Delivery{OutTradeNo: n.outTradeNo, URL: n.url, Attempt: attempt, At: time.Now()}
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, n.url, strings.NewReader(body))
	if err != nil {
		d.Err = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := e.notifyHTTP.Do(req)
	if err != nil {
		d.Err = err.Error()
		return d
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxNotifyAnswer))
	d.Answer = strings.TrimSpace(string(answer))
	switch {
	case err != nil:
		d.Err = "read answer: " + err.Error()
	case resp.StatusCode/100 != 2:
		d.Err = fmt.Sprintf("HTTP %d", resp.StatusCode)
	case d.Answer != "success":
		d.Err = fmt.Sprintf(`answer %.40q is not "success"`, d.Answer)
	}
	return d
}

// record remembers d for Deliveries.
func (e *Emulator) record(d Delivery) {
	e.deliveryMu.Lock()
	defer e.deliveryMu.Unlock()
	if len(e.deliveries) == maxDeliveries {
		e.deliveries = slices.Delete(e.deliveries, 0, 1)
	}
	e.deliveries = append(e.deliveries, d)
}

// Deliveries returns the notification attempts made so far (the latest
// 1000), in the order they ended.
func (e *Emulator) Deliveries() []Delivery {
	e.deliveryMu.Lock()
	defer e.deliveryMu.Unlock()
	return slices.Clone(e.deliveries)
}

// DeliveriesOf returns the notification attempts of one trade among those
// Deliveries returns, in the same order: a copy of a few, not of a day's.
func (e *Emulator) DeliveriesOf(outTradeNo string) []Delivery {
	e.deliveryMu.Lock()
	defer e.deliveryMu.Unlock()
	var of []Delivery
	for _, d := range e.deliveries {
		if d.OutTradeNo == outTradeNo {
			of = append(of, d)
		}
	}
	return of
}

// sleep waits d or until ctx ends, and reports whether the wait was full.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
