package emulator

import (
	"bytes"
	"encoding/json"
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
	writeAnswer(w, BuyerPaid, t)
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
	writeAnswer(w, BuyerDeclined, t)
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
	writeAnswer(w, BuyerPaid, t)
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

// errorHeader repeats a refusal's Refusal code in a header, for a client
// that reads no body.
const errorHeader = "Emulator-Error"

// Refusal is the stable, machine-readable name of a refusal by the
// emulator's buyer endpoints: the "error" of its JSON body. A client words
// it; the body's "message" is English, for a developer reading curl.
type Refusal string

// The refusals, one per error of the emulator's buyer side.
const (
	RefusedNoSuchTrade      Refusal = "no_such_trade"      // ErrNoSuchTrade
	RefusedTradeClosed      Refusal = "trade_closed"       // ErrTradeClosed: closed or refunded
	RefusedQRExpired        Refusal = "qr_expired"         // ErrExpired
	RefusedNoSuchCode       Refusal = "no_such_code"       // ErrNoSuchCode
	RefusedNothingToConfirm Refusal = "nothing_to_confirm" // ErrNothingToConfirm
	RefusedInternal         Refusal = "internal"           // anything else
)

// refusalBody is the JSON of a refusal.
type refusalBody struct {
	Error   Refusal `json:"error"`
	Message string  `json:"message"`
}

// refusalOf names err and gives its HTTP status.
func refusalOf(err error) (Refusal, int) {
	switch {
	case errors.Is(err, ErrNoSuchTrade):
		return RefusedNoSuchTrade, http.StatusNotFound
	case errors.Is(err, ErrNoSuchCode):
		return RefusedNoSuchCode, http.StatusNotFound
	case errors.Is(err, ErrNothingToConfirm):
		return RefusedNothingToConfirm, http.StatusConflict
	case errors.Is(err, ErrExpired):
		return RefusedQRExpired, http.StatusConflict
	case errors.Is(err, ErrTradeClosed):
		return RefusedTradeClosed, http.StatusConflict
	}
	return RefusedInternal, http.StatusInternalServerError
}

// writeError answers a refusal as JSON, {"error": Refusal, "message":
// English}, with a status and errorHeader that say the same.
func writeError(w http.ResponseWriter, err error) {
	name, status := refusalOf(err)
	w.Header().Set(errorHeader, string(name))
	writeJSON(w, status, refusalBody{Error: name, Message: err.Error()})
}

// BuyerResult is what a buyer endpoint did: the "result" of its answer.
type BuyerResult string

// The results of the buyer endpoints.
const (
	BuyerPaid     BuyerResult = "paid"     // the trade is paid (it may have been before)
	BuyerDeclined BuyerResult = "declined" // the buyer walked away; the trade still waits
)

// BuyerAnswer is a buyer endpoint's answer to a client that is not a
// browser, as JSON: what it did to which trade, and where the trade
// stands.
type BuyerAnswer struct {
	Result      BuyerResult `json:"result"`
	OutTradeNo  string      `json:"out_trade_no"`
	TotalAmount string      `json:"total_amount"` // yuan, as Alipay writes it: "9.90"
	TradeStatus string      `json:"trade_status"`
}

// TotalFen is the answer's amount in fen; 0 if it does not parse.
func (a BuyerAnswer) TotalFen() int64 {
	fen, err := alipay.ParseAmount(a.TotalAmount)
	if err != nil {
		return 0
	}
	return fen
}

// writeAnswer answers result for trade t as a BuyerAnswer.
func writeAnswer(w http.ResponseWriter, result BuyerResult, t Trade) {
	writeJSON(w, http.StatusOK, BuyerAnswer{Result: result, OutTradeNo: t.OutTradeNo,
		TotalAmount: alipay.FormatAmount(t.TotalFen), TradeStatus: t.Status})
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "emulator: encode answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
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
	W          PageWords
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
		W:          e.cfg.Page,
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
