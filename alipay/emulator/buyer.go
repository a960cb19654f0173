package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"kiosk/alipay"
)

// serveQRPage is GET /qr/{token}: the buyer scans the code and sees the
// order. Scanning is what makes the trade visible to query.
func (e *Emulator) serveQRPage(w http.ResponseWriter, r *http.Request) {
	// A closed trade or an expired code cannot be scanned; the page then
	// says so.
	t, err := e.withToken(r.PathValue("token"), e.scanTrade)
	if errors.Is(err, ErrNoSuchTrade) {
		http.Error(w, "unknown QR code", http.StatusNotFound)
		return
	}
	v := e.pageView(t, r.PathValue("token"))
	v.Declined = r.URL.Query().Has("declined")
	v.Expired = errors.Is(err, ErrExpired)
	e.render(w, qrTemplate, v)
}

// serveQRPay is POST /qr/{token}/pay: the buyer confirms the payment.
func (e *Emulator) serveQRPay(w http.ResponseWriter, r *http.Request) {
	t, err := e.withToken(r.PathValue("token"), e.payTrade)
	if prefersHTML(r) && !errors.Is(err, ErrNoSuchTrade) {
		// The page shows the outcome, closed orders included.
		http.Redirect(w, r, "/qr/"+r.PathValue("token"), http.StatusSeeOther)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeText(w, "paid %s for %s\n", alipay.FormatAmount(t.TotalFen), t.OutTradeNo)
}

// serveQRDecline is POST /qr/{token}/decline: the buyer walks away. The
// trade stays WAIT_BUYER_PAY until the kiosk cancels it.
func (e *Emulator) serveQRDecline(w http.ResponseWriter, r *http.Request) {
	t, err := e.withToken(r.PathValue("token"), e.scanTrade)
	if prefersHTML(r) && !errors.Is(err, ErrNoSuchTrade) {
		http.Redirect(w, r, "/qr/"+r.PathValue("token")+"?declined", http.StatusSeeOther)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeText(w, "declined %s; the trade stays %s\n", t.OutTradeNo, t.Status)
}

// servePayByOrder is POST /emulator/pay?out_trade_no=N, the server side of
// PayRemote: pay without going through the QR page.
func (e *Emulator) servePayByOrder(w http.ResponseWriter, r *http.Request) {
	no := r.FormValue("out_trade_no")
	if no == "" {
		http.Error(w, "out_trade_no is required", http.StatusBadRequest)
		return
	}
	if err := e.Pay(no); err != nil {
		writeError(w, err)
		return
	}
	t, _ := e.Trade(no)
	writeText(w, "paid %s for %s\n", alipay.FormatAmount(t.TotalFen), t.OutTradeNo)
}

// withToken runs fn on the trade of a QR token under the lock and returns
// the trade as it is afterwards, even when fn failed.
func (e *Emulator) withToken(token string, fn func(*trade) error) (Trade, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.trades.byToken[token]
	if t == nil {
		return Trade{}, ErrNoSuchTrade
	}
	err := fn(t)
	if err != nil {
		err = fmt.Errorf("%s: %w", t.OutTradeNo, err)
	}
	return t.snapshot(), err
}

// errorHeader names the emulator's error in a refusal, so that PayRemote
// can tell an expired code from a closed trade (both are 409), and
// ConfirmBuyerCodeRemote a closed trade from nothing to confirm.
const errorHeader = "Emulator-Error"

// writeError answers a refusal in plain text, with a status and
// errorHeader that say which of the emulator's errors it is.
func writeError(w http.ResponseWriter, err error) {
	status, name := http.StatusInternalServerError, ""
	switch {
	case errors.Is(err, ErrNoSuchTrade):
		status, name = http.StatusNotFound, "no-such-trade"
	case errors.Is(err, ErrNoSuchCode):
		status, name = http.StatusNotFound, "no-such-code"
	case errors.Is(err, ErrNothingToConfirm):
		status, name = http.StatusConflict, "nothing-to-confirm"
	case errors.Is(err, ErrExpired):
		status, name = http.StatusConflict, "expired"
	case errors.Is(err, ErrTradeClosed):
		status, name = http.StatusConflict, "closed"
	}
	if name != "" {
		w.Header().Set(errorHeader, name)
	}
	http.Error(w, err.Error(), status)
}

// writeText answers in plain text, for curl and PayRemote.
func writeText(w http.ResponseWriter, format string, args ...any) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, format, args...)
}

// prefersHTML reports whether the client asked for HTML, as a browser
// submitting a form does; curl's "*/*" does not count.
func prefersHTML(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mediaType, params, _ := strings.Cut(part, ";")
		mediaType = strings.ToLower(strings.TrimSpace(mediaType))
		if mediaType != "text/html" && mediaType != "application/xhtml+xml" {
			continue
		}
		return quality(params) > 0
	}
	return false
}

// quality returns the q parameter of an Accept entry (1 when absent).
func quality(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "q") {
			q, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}

// pageData is what the buyer's page shows.
type pageData struct {
	Merchant   string
	Subject    string
	Amount     string // "12.34"
	OutTradeNo string
	TradeNo    string
	Buyer      string // masked logon id
	PaidAt     string
	Token      string
	Refund     string // refunded so far, "" for nothing
	Paid       bool
	Refunded   bool
	Closed     bool
	Declined   bool
	Expired    bool
}

// pageView prepares the page for trade t, reached through token.
func (e *Emulator) pageView(t Trade, token string) pageData {
	v := pageData{
		Token:      token,
		Merchant:   e.cfg.MerchantName,
		Subject:    t.Subject,
		Amount:     alipay.FormatAmount(t.TotalFen),
		OutTradeNo: t.OutTradeNo,
		TradeNo:    t.TradeNo,
		Buyer:      t.BuyerLogonID,
		Paid:       t.Status == StatusTradeSuccess,
		Refunded:   t.Refunded,
		Closed:     t.Status == StatusTradeClosed,
	}
	if !t.PaidAt.IsZero() {
		v.PaidAt = alipay.FormatTime(t.PaidAt)
	}
	if fen := t.RefundedFen(); fen > 0 {
		v.Refund = alipay.FormatAmount(fen)
	}
	return v
}

// render executes the page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (e *Emulator) render(w http.ResponseWriter, page func() *template.Template, data any) {
	tmpl := page()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		e.log.Error("render page", "template", tmpl.Name(), "err", err)
		http.Error(w, "emulator: render page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}
