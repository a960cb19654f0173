package alipay

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Methods whose request is not sent by the kiosk but handed to someone else:
// the buyer's app (App pay) or browser (page and WAP pay) takes the signed
// parameters to the gateway itself.
const (
	MethodAppPay  = "alipay.trade.app.pay"
	MethodPagePay = "alipay.trade.page.pay"
	MethodWapPay  = "alipay.trade.wap.pay"
)

// Product codes Alipay requires in the biz_content of those methods.
const (
	ProductAppPay  = "QUICK_MSECURITY_PAY"
	ProductPagePay = "FAST_INSTANT_TRADE_PAY"
	ProductWapPay  = "QUICK_WAP_WAY"
)

// maxCashierTimeout is the longest timeout_express Alipay accepts (15d).
const maxCashierTimeout = 15 * 24 * time.Hour

// AppPayRequest is an order to be paid in the Alipay app, started from the
// merchant's own mobile app.
type AppPayRequest struct {
	OutTradeNo     string        // our order number, unique per merchant, ≤ 64 characters
	TotalFen       int64         // MinAmountFen..MaxAmountFen
	Subject        string        // shown to the buyer, ≤ 256 characters
	NotifyURL      string        // optional; where Alipay posts the result
	TimeoutExpress time.Duration // optional; sent in whole minutes, rounded up
}

// PagePayRequest is an order paid on Alipay's desktop cashier page.
type PagePayRequest struct {
	OutTradeNo     string        // as in AppPayRequest
	TotalFen       int64         // as in AppPayRequest
	Subject        string        // as in AppPayRequest
	NotifyURL      string        // optional
	ReturnURL      string        // optional; where the browser goes after paying
	TimeoutExpress time.Duration // optional
}

// WapPayRequest is an order paid on Alipay's mobile web cashier.
type WapPayRequest struct {
	OutTradeNo     string        // as in AppPayRequest
	TotalFen       int64         // as in AppPayRequest
	Subject        string        // as in AppPayRequest
	NotifyURL      string        // optional
	ReturnURL      string        // optional; where the browser goes after paying
	QuitURL        string        // optional; where the browser goes if the buyer gives up
	TimeoutExpress time.Duration // optional
}

// cashierOrder is what the three requests have in common, plus the method.
type cashierOrder struct {
	method, product               string
	outTradeNo, subject           string
	totalFen                      int64
	notifyURL, returnURL, quitURL string
	timeout                       time.Duration
}

// cashierBiz is the biz_content of the three methods.
type cashierBiz struct {
	OutTradeNo     string `json:"out_trade_no"`
	TotalAmount    string `json:"total_amount"`
	Subject        string `json:"subject"`
	ProductCode    string `json:"product_code"`
	TimeoutExpress string `json:"timeout_express,omitempty"`
	QuitURL        string `json:"quit_url,omitempty"`
}

// AppPayOrderString returns the signed order string for alipay.trade.app.pay
// that the merchant app passes to the Alipay SDK on the phone: every
// parameter, sign included, written key=value with each value escaped like
// JavaScript's encodeURIComponent, joined by '&', in the order Alipay's
// Node.js SDK (sdkExecute) writes them. Nothing is sent; the phone talks to
// the gateway.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.app.pay
func (c *Client) AppPayOrderString(r *AppPayRequest) (string, error) {
	if r == nil {
		return "", invalid(MethodAppPay, "no request")
	}
	return c.encodeCashierOrder(&cashierOrder{
		method: MethodAppPay, product: ProductAppPay,
		outTradeNo: r.OutTradeNo, subject: r.Subject, totalFen: r.TotalFen,
		notifyURL: r.NotifyURL, timeout: r.TimeoutExpress,
	})
}

// PagePayURL returns the signed GET URL of alipay.trade.page.pay that sends
// a desktop browser to Alipay's cashier.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.page.pay
func (c *Client) PagePayURL(r *PagePayRequest) (string, error) {
	if r == nil {
		return "", invalid(MethodPagePay, "no request")
	}
	return c.cashierURL(&cashierOrder{
		method: MethodPagePay, product: ProductPagePay,
		outTradeNo: r.OutTradeNo, subject: r.Subject, totalFen: r.TotalFen,
		notifyURL: r.NotifyURL, returnURL: r.ReturnURL, timeout: r.TimeoutExpress,
	})
}

// WapPayURL returns the signed GET URL of alipay.trade.wap.pay that sends a
// mobile browser to Alipay's cashier.
// https://opendocs.alipay.com/apis/api_1/alipay.trade.wap.pay
func (c *Client) WapPayURL(r *WapPayRequest) (string, error) {
	if r == nil {
		return "", invalid(MethodWapPay, "no request")
	}
	return c.cashierURL(&cashierOrder{
		method: MethodWapPay, product: ProductWapPay,
		outTradeNo: r.OutTradeNo, subject: r.Subject, totalFen: r.TotalFen,
		notifyURL: r.NotifyURL, returnURL: r.ReturnURL, quitURL: r.QuitURL,
		timeout: r.TimeoutExpress,
	})
}

// cashierURL is the gateway URL with the encoded order as its query. The
// gateway has no query of its own (NewClient refuses one).
func (c *Client) cashierURL(o *cashierOrder) (string, error) {
	q, err := c.encodeCashierOrder(o)
	if err != nil {
		return "", err
	}
	return c.cfg.Gateway + "?" + q, nil
}

// encodeCashierOrder checks, signs and encodes o.
func (c *Client) encodeCashierOrder(o *cashierOrder) (string, error) {
	params, err := c.signCashierOrder(o)
	if err != nil {
		return "", err
	}
	return encodeInOrder(params), nil
}

// signCashierOrder returns the parameters of o with sign added. The common
// parameters come from commonParams, so these orders carry exactly what the
// client's own calls carry (certificate SNs included, when configured).
func (c *Client) signCashierOrder(o *cashierOrder) (url.Values, error) {
	biz, err := o.biz()
	if err != nil {
		return nil, err
	}
	bizJSON, err := marshalNoEscape(biz)
	if err != nil {
		return nil, fmt.Errorf("alipay: %s: encode biz_content: %w", o.method, err)
	}
	params := c.commonParams(o.method)
	params.Set("biz_content", string(bizJSON))
	// Empty values are left out rather than sent: Alipay's rule drops them
	// from the signed text but its Node SDK signs them as "k=".
	for k, v := range map[string]string{"notify_url": o.notifyURL, "return_url": o.returnURL} {
		if v != "" {
			params.Set(k, v)
		}
	}
	sig, err := Sign(c.cfg.PrivateKey, c.cfg.SignType, []byte(RequestSigningString(params)))
	if err != nil {
		return nil, fmt.Errorf("alipay: %s: %w", o.method, err)
	}
	params.Set("sign", sig)
	return params, nil
}

// biz checks o and builds its biz_content.
func (o *cashierOrder) biz() (*cashierBiz, error) {
	if err := checkCashierOrder(o.method, o.outTradeNo, o.totalFen, o.subject); err != nil {
		return nil, err
	}
	timeout, err := cashierTimeout(o.method, o.timeout)
	if err != nil {
		return nil, err
	}
	return &cashierBiz{
		OutTradeNo:     o.outTradeNo,
		TotalAmount:    FormatAmount(o.totalFen),
		Subject:        o.subject,
		ProductCode:    o.product,
		TimeoutExpress: timeout,
		QuitURL:        o.quitURL,
	}, nil
}

// checkCashierOrder enforces the limits every payment method shares.
func checkCashierOrder(method, outTradeNo string, fen int64, subject string) error {
	if err := checkOutTradeNo(method, outTradeNo, true); err != nil {
		return err
	}
	if fen < MinAmountFen || fen > MaxAmountFen {
		return fmt.Errorf("%w: %s: total %s outside [%s, %s]: %w", ErrInvalidRequest, method,
			FormatAmount(fen), FormatAmount(MinAmountFen), FormatAmount(MaxAmountFen), ErrBadAmount)
	}
	if subject == "" || utf8.RuneCountInString(subject) > maxSubjectLen {
		return invalid(method, "subject must be 1 to %d characters", maxSubjectLen)
	}
	return nil
}

// cashierTimeout renders timeout_express as whole minutes, rounded up so the
// order never closes before the merchant expects; 0 means "not sent".
func cashierTimeout(method string, d time.Duration) (string, error) {
	if d == 0 {
		return "", nil
	}
	if d < 0 || d > maxCashierTimeout {
		return "", invalid(method, "timeout %v outside (0, 15 days]", d)
	}
	return fmt.Sprintf("%dm", (d+time.Minute-1)/time.Minute), nil
}

// cashierParamOrder is the order in which Alipay's SDKs write these parameters
// (what sdkExecute returns). The gateway does not care, but a string that
// matches the reference byte for byte is easy to check and to compare in
// support tickets. Keys not listed follow in sorted order before
// biz_content; sign is always last.
var cashierParamOrder = []string{
	"method", "app_id", "charset", "version", "sign_type", "timestamp",
	"format", "notify_url", "return_url", "app_cert_sn", "alipay_root_cert_sn",
}

// encodeInOrder writes params as k=v pairs joined by '&', in cashierParamOrder,
// with uriComponent escaping of keys and values. Empty values are skipped.
func encodeInOrder(params url.Values) string {
	keys := make([]string, 0, len(params))
	for _, k := range cashierParamOrder {
		if params.Get(k) != "" {
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range params {
		if params.Get(k) != "" && !contains(cashierParamOrder, k) && k != "biz_content" && k != "sign" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(append(keys, rest...), "biz_content", "sign")
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(uriComponent(k))
		b.WriteByte('=')
		b.WriteString(uriComponent(params.Get(k)))
	}
	return b.String()
}

// uriComponent escapes s exactly as JavaScript's encodeURIComponent does:
// every UTF-8 byte as %XX except letters, digits and -_.!~*'(). It differs
// from url.QueryEscape in writing a space as %20 (never '+', which the
// phone-side SDK would keep as a plus) and in leaving !*'() alone.
func uriComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if uriUnreserved(ch) {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[ch>>4])
		b.WriteByte(hex[ch&15])
	}
	return b.String()
}

// uriUnreserved reports whether encodeURIComponent leaves ch as it is.
func uriUnreserved(ch byte) bool {
	switch {
	case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", ch) >= 0
}
