package pos

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/mapi"
)

// The seeds' other ways to pay, as a developer builds and checks them by
// hand (`kiosk api app-pay`, `page-pay`, `wap-pay`, `verify-md5`): nothing
// of the counter's flow uses them, and none of them is sent to Alipay from
// here. The buyer's app or browser takes a signed order to the gateway
// itself; a legacy notification is checked against its MD5 key.

// PayProduct is one of the payment products whose order a Console signs.
type PayProduct string

// The products: App pay's order string, and the page and WAP cashiers' URLs.
const (
	PayApp  PayProduct = "app"
	PayPage PayProduct = "page"
	PayWap  PayProduct = "wap"
)

// PayOrder is an order for a buyer's app or browser to pay.
type PayOrder struct {
	Product    PayProduct
	AmountFen  int64
	Subject    string        // default DefaultSubject
	OutTradeNo string        // generated when empty
	NotifyURL  string        // optional
	ReturnURL  string        // page and WAP: where the browser goes after paying
	QuitURL    string        // WAP: where the browser goes if the buyer gives up
	Timeout    time.Duration // optional timeout_express
}

// ErrUnknownProduct means a payment product a Console does not sign.
var ErrUnknownProduct = errors.New("unknown payment product")

// ErrInvalidOrder wraps Alipay's own limits refusing an order's fields (an
// order number too long, a subject too long, a timeout beyond 15 days).
var ErrInvalidOrder = errors.New("the order is not one Alipay takes")

// PayString signs o: App pay's order string for the Alipay SDK on the
// phone, or the URL that sends a browser to the page or WAP cashier. A
// refusal of o's fields wraps ErrInvalidOrder; nothing is sent.
func (k *Console) PayString(o PayOrder) (string, error) {
	s, err := k.payString(o)
	if errors.Is(err, alipay.ErrInvalidRequest) {
		return "", &refusal{is: ErrInvalidOrder, cause: err}
	}
	return s, err
}

func (k *Console) payString(o PayOrder) (string, error) {
	no := o.OutTradeNo
	if no == "" {
		no = consoleOrderNo(time.Now())
	}
	subject := firstNonEmpty(o.Subject, DefaultSubject)
	switch o.Product {
	case PayApp:
		return k.c.AppPayOrderString(&alipay.AppPayRequest{OutTradeNo: no, TotalFen: o.AmountFen, Subject: subject,
			NotifyURL: o.NotifyURL, TimeoutExpress: o.Timeout})
	case PayPage:
		return k.c.PagePayURL(&alipay.PagePayRequest{OutTradeNo: no, TotalFen: o.AmountFen, Subject: subject,
			NotifyURL: o.NotifyURL, ReturnURL: o.ReturnURL, TimeoutExpress: o.Timeout})
	case PayWap:
		return k.c.WapPayURL(&alipay.WapPayRequest{OutTradeNo: no, TotalFen: o.AmountFen, Subject: subject,
			NotifyURL: o.NotifyURL, ReturnURL: o.ReturnURL, QuitURL: o.QuitURL, TimeoutExpress: o.Timeout})
	}
	return "", fmt.Errorf("%w %q", ErrUnknownProduct, o.Product)
}

// LegacyCheck is what checks a notification of the legacy MD5 gateway:
// the contract's 32-character key, and, to build the URL that asks Alipay
// whether notify_id is genuine, the partner ID and the gateway.
type LegacyCheck struct {
	Key     string
	Partner string // optional
	Gateway string // default mapi.Gateway
	Amount  string // optional: the sale's amount in yuan, checked against total_fee
}

// LegacyNotification is a legacy notification whose MD5 signature
// verified.
type LegacyNotification struct {
	NotifyType, NotifyID, TradeStatus, OutTradeNo, SellerID string
	TotalFen                                                int64
	// VerifyURL is where a GET answers "true" when Alipay issued
	// NotifyID; empty without a partner ID.
	VerifyURL string
}

// ErrLegacyKey means the MD5 key is not the 32 letters and digits Alipay
// issues.
var ErrLegacyKey = errors.New("the MD5 key is not 32 letters and digits")

// VerifyLegacyNotification reads a notification of the legacy MD5 gateway
// (form-encoded) from body and checks its sign with c.Key and, when
// c.Amount is given, its total_fee. An unreadable or unverified
// notification is a *NotificationError, as VerifyNotification's are.
func VerifyLegacyNotification(body io.Reader, c LegacyCheck) (LegacyNotification, error) {
	b, err := io.ReadAll(io.LimitReader(body, alipay.MaxNotifyBody+1))
	if err != nil {
		return LegacyNotification{}, err
	}
	form, err := alipay.ParseNotification(bytes.TrimSpace(b), "application/x-www-form-urlencoded")
	if err != nil {
		return LegacyNotification{}, &NotificationError{cause: err}
	}
	switch err := mapi.Verify(form, c.Key); {
	case errors.Is(err, mapi.ErrInvalidKey):
		return LegacyNotification{}, fmt.Errorf("%w: %w", ErrLegacyKey, err)
	case err != nil:
		return LegacyNotification{}, &NotificationError{Readable: true, cause: err}
	}
	fen, err := alipay.ParseAmount(form.Get("total_fee"))
	if err != nil {
		return LegacyNotification{}, &NotificationError{Readable: true, cause: fmt.Errorf("total_fee: %w", err)}
	}
	if c.Amount != "" {
		want, err := alipay.ParseAmount(c.Amount)
		switch {
		case err != nil:
			return LegacyNotification{}, &NotificationError{Readable: true,
				cause: fmt.Errorf("%w: %w", &InputError{Problem: AmountNotANumber, Text: c.Amount}, err)}
		case want != fen:
			return LegacyNotification{}, &NotificationError{Readable: true,
				cause: fmt.Errorf("total_fee %s, the sale is %s: %w", alipay.FormatAmount(fen), alipay.FormatAmount(want), ErrMismatch)}
		}
	}
	n := LegacyNotification{NotifyType: form.Get("notify_type"), NotifyID: form.Get("notify_id"),
		TradeStatus: form.Get("trade_status"), OutTradeNo: form.Get("out_trade_no"), SellerID: form.Get("seller_id"), TotalFen: fen}
	if c.Partner != "" && n.NotifyID != "" {
		n.VerifyURL = mapi.NotifyVerifyURL(firstNonEmpty(c.Gateway, mapi.Gateway), c.Partner, n.NotifyID)
	}
	return n, nil
}
