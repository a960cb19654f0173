package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"kiosk/alipay"
)

// serveIssueBuyerCode is POST /buyer-code?kind=K (K one of the
// BuyerCodeKind names, pay when absent): a new code, answered as one line
// of digits, or for a browser a redirect to the code's page.
func (e *Emulator) serveIssueBuyerCode(w http.ResponseWriter, r *http.Request) {
	kind, err := ParseBuyerCodeKind(r.FormValue("kind"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	code, err := e.IssueBuyerCode(kind)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if prefersHTML(r) {
		http.Redirect(w, r, "/buyer-code/"+code, http.StatusSeeOther)
		return
	}
	writeText(w, "%s\n", code)
}

// serveBuyerCodePage is GET /buyer-code/{code}: the buyer's phone showing
// the code, and once a pay presented it, what became of the charge, with
// a Confirm button while it waits.
func (e *Emulator) serveBuyerCodePage(w http.ResponseWriter, r *http.Request) {
	v, ok := e.codeView(r.PathValue("code"))
	if !ok {
		writeError(w, fmt.Errorf("%s: %w", r.PathValue("code"), ErrNoSuchCode))
		return
	}
	e.render(w, codeTemplate, v)
}

// serveConfirmBuyerCode is POST /buyer-code/{code}/confirm, the server
// side of ConfirmBuyerCodeRemote: the buyer confirms the charge on the
// phone.
func (e *Emulator) serveConfirmBuyerCode(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	e.mu.Lock()
	t, err := e.confirmLocked(code)
	var tr Trade
	if t != nil {
		tr = t.snapshot()
	}
	e.mu.Unlock()
	if prefersHTML(r) && !errors.Is(err, ErrNoSuchCode) {
		http.Redirect(w, r, "/buyer-code/"+code, http.StatusSeeOther)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeAnswer(w, BuyerPaid, tr)
}

// codeData is what the buyer-code page shows.
type codeData struct {
	W          PageWords
	Merchant   string
	Code       string
	Kind       string // as the page's words name it
	State      string // unused, waiting, paid, refunded, closed or refused
	Amount     string // of the trade, "" before one exists
	OutTradeNo string
	Refusal    string // sub_msg of a refused charge
}

// codeView prepares the page of code.
func (e *Emulator) codeView(code string) (codeData, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.codes[code]
	if c == nil {
		return codeData{}, false
	}
	v := codeData{W: e.cfg.Page, Merchant: e.cfg.MerchantName, Code: c.Code, Kind: e.cfg.Page.kind(c.Kind), OutTradeNo: c.OutTradeNo,
		State: codeState(c, e.codeTrade(c))}
	if t := e.codeTrade(c); t != nil {
		v.Amount = alipay.FormatAmount(t.TotalFen)
	}
	if fail := c.Kind.refusal(); fail != nil && c.Used() {
		v.Refusal = fail.subMsg
	}
	return v, true
}

// codeState names where a code stands: unused, refused, or the state of
// the trade it created.
func codeState(c *BuyerCode, t *trade) string {
	switch {
	case !c.Used():
		return "unused"
	case t == nil:
		return "refused"
	case t.Status == StatusWaitBuyerPay:
		return "waiting"
	case t.Status == StatusTradeSuccess:
		return "paid"
	case t.Refunded:
		return "refunded"
	}
	return "closed"
}

// codeRow is one buyer code on the index page.
type codeRow struct {
	Issued     string
	Code       string
	Kind       string
	State      string
	OutTradeNo string
}

// kindButton issues a code of one kind from the index page.
type kindButton struct {
	Kind  BuyerCodeKind
	Label string
}

// maxCodeRows bounds the buyer codes the index page lists.
const maxCodeRows = 20

// codeRows lists the latest buyer codes, newest first.
func (e *Emulator) codeRows() []codeRow {
	e.mu.Lock()
	defer e.mu.Unlock()
	codes := e.storedCodes()
	slices.Reverse(codes)
	if len(codes) > maxCodeRows {
		codes = codes[:maxCodeRows]
	}
	rows := make([]codeRow, len(codes))
	for i, c := range codes {
		rows[i] = codeRow{Issued: alipay.FormatTime(c.IssuedAt), Code: c.Code, Kind: e.cfg.Page.kind(c.Kind),
			State: e.cfg.Index.codeState(codeState(&c, e.codeTrade(&c))), OutTradeNo: c.OutTradeNo}
	}
	return rows
}

// kindButtons lists the kinds for the index page's buttons, each named
// in a few words as the customer's page names it.
func (e *Emulator) kindButtons() []kindButton {
	out := make([]kindButton, len(buyerCodeKinds))
	for i, k := range buyerCodeKinds {
		out[i] = kindButton{Kind: k, Label: e.cfg.Page.kind(k)}
	}
	return out
}

// codeTemplate is the buyer's phone at /buyer-code/{code}.
var codeTemplate = newPage("code", `<!doctype html>
<html lang="{{.W.HTMLLang}}"><head>{{template "style"}}<title>{{.W.CodeTitle}} · {{.W.Brand}}</title></head>
<body><main><div class="card">
<p class="brand">{{.W.Brand}}</p>
<h1>{{.W.CodeTitle}}</h1>
<p class="code">{{.Code}}</p>
<dl><dt>{{.W.KindLabel}}</dt><dd>{{.Kind}}</dd>
{{- with .OutTradeNo}}<dt>{{$.W.Order}}</dt><dd><code>{{.}}</code></dd>{{end}}
{{- with .Amount}}<dt>{{$.W.Amount}}</dt><dd>¥{{.}}</dd>{{end}}</dl>
{{if eq .State "unused"}}<p class="note">{{.W.ShowCode}}</p>
{{else if eq .State "waiting"}}<p class="subject">{{printf .W.AsksConfirm .Merchant}}</p>
<form method="post" action="/buyer-code/{{.Code}}/confirm"><button class="pay" type="submit">{{printf .W.Confirm .Amount}}</button></form>
{{else if eq .State "paid"}}<p class="state paid">{{.W.Paid}}</p>
{{else if eq .State "refunded"}}<p class="state closed">{{.W.RefundedAll}}</p>
{{else if eq .State "refused"}}<p class="state closed">{{printf .W.Refused .Refusal}}</p>
{{else}}<p class="state closed">{{.W.ClosedUnpaid}}</p>
{{end}}</div></main></body></html>
`)
