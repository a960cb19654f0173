package emulator

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"
	"sync"

	"kiosk/alipay"
)

// maxIndexRows bounds the developer index page.
const maxIndexRows = 100

// indexRow is one trade on the index page.
type indexRow struct {
	Created    string
	OutTradeNo string
	Subject    string
	Amount     string
	Status     string // Alipay's name: TRADE_SUCCESS
	StatusSaid string // the status in words
	Refunded   bool
	Refund     string // refunded so far, "" for nothing
	Expired    bool   // unscanned and past qr_code_timeout_express
	Token      string
	BarCode    bool // paid by the buyer's payment code, not a QR code
}

// indexData is what the index page shows.
type indexData struct {
	W        IndexWords
	Merchant string
	Gateway  string
	V3       string // the v3 base: the same origin
	AppID    string
	Faults   string // "" when none are injected
	Rows     []indexRow
	More     int // trades not shown
	Codes    []codeRow
	Kinds    []kindButton
}

// serveIndex is GET /: the most recent trades, for developers.
func (e *Emulator) serveIndex(w http.ResponseWriter, r *http.Request) {
	rows := e.indexRows()
	v := indexData{
		W:        e.cfg.Index,
		Merchant: e.cfg.MerchantName,
		Gateway:  baseURL(r) + "/gateway.do",
		V3:       baseURL(r),
		AppID:    e.cfg.AppID,
		Rows:     rows,
		Codes:    e.codeRows(),
		Kinds:    e.kindButtons(),
	}
	if f := e.Faults().String(); f != "none" {
		v.Faults = f
	}
	if len(rows) > maxIndexRows {
		v.Rows, v.More = rows[:maxIndexRows], len(rows)-maxIndexRows
	}
	e.render(w, indexTemplate, v)
}

// indexRows lists all trades, newest first.
func (e *Emulator) indexRows() []indexRow {
	e.mu.Lock()
	now := e.now()
	trades := make([]*trade, 0, len(e.trades.byOutTradeNo))
	rows := make([]indexRow, 0, len(e.trades.byOutTradeNo))
	for _, t := range e.trades.byOutTradeNo {
		trades = append(trades, t)
	}
	slices.SortFunc(trades, func(a, b *trade) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.OutTradeNo, a.OutTradeNo))
	})
	for _, t := range trades {
		row := indexRow{
			Created:    alipay.FormatTime(t.CreatedAt),
			OutTradeNo: t.OutTradeNo,
			Subject:    t.Subject,
			Amount:     alipay.FormatAmount(t.TotalFen),
			Status:     t.Status,
			StatusSaid: e.cfg.Index.tradeStatus(t.Status),
			Refunded:   t.Refunded,
			Expired:    t.qrExpired(now),
			Token:      t.token,
			BarCode:    t.Scene == alipay.SceneBarCode,
		}
		if fen := t.RefundedFen(); fen > 0 {
			row.Refund = alipay.FormatAmount(fen)
		}
		rows = append(rows, row)
	}
	e.mu.Unlock()
	return rows
}

// newPage returns the page parsed together with the shared style, parsed
// at its first use rather than at the start of every kiosk command.
func newPage(name, body string) func() *template.Template {
	return sync.OnceValue(func() *template.Template {
		return template.Must(template.Must(template.New(name).Parse(pageStyle)).Parse(body))
	})
}

// pageStyle is the CSS both pages share: small, readable on a phone.
const pageStyle = `{{define "style"}}<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{margin:0;font:16px/1.45 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f2f4f7;color:#1d2129}
main{max-width:26rem;margin:0 auto;padding:1.25rem}
main.wide{max-width:60rem}
.card{background:#fff;border-radius:14px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.brand{color:#1677ff;font-weight:600;font-size:.85rem;letter-spacing:.04em;text-transform:uppercase;margin:0 0 .75rem}
h1{font-size:1.15rem;margin:0 0 .25rem}
.subject{color:#4e5969;margin:0 0 1rem;overflow-wrap:anywhere}
.amount{font-size:2.4rem;font-weight:700;margin:.25rem 0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;font-size:.85rem;color:#4e5969;margin:0 0 1.25rem}
dd{margin:0;overflow-wrap:anywhere}
button{width:100%;padding:.9rem;border:0;border-radius:10px;font-size:1.05rem;font-weight:600;margin-top:.6rem;cursor:pointer}
.pay{background:#1677ff;color:#fff}
.decline{background:#e5e6eb;color:#1d2129}
.state{font-size:1.3rem;font-weight:700;text-align:center;padding:.8rem;border-radius:10px}
.paid{background:#e8ffea;color:#00a42e}
.closed{background:#f2f3f5;color:#86909c}
.note{background:#fff7e8;color:#d25f00;padding:.6rem .8rem;border-radius:10px;font-size:.9rem}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #e5e6eb}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:.85em}
.code{font:600 1.5rem/1.3 ui-monospace,monospace;letter-spacing:.08em;text-align:center;margin:.5rem 0 1rem;overflow-wrap:anywhere}
form.inline{display:inline}
form.inline button{width:auto;padding:.45rem .8rem;font-size:.9rem;margin:.2rem .2rem 0 0}
</style>{{end}}`

// qrTemplate is the buyer's page at /qr/{token}.
var qrTemplate = newPage("qr", `<!doctype html>
<html lang="{{.W.HTMLLang}}"><head>{{template "style"}}<title>{{printf .W.PayTitle .Merchant}}</title></head>
<body><main><div class="card">
<p class="brand">{{.W.Brand}}</p>
<h1>{{.Merchant}}</h1>
<p class="subject">{{.Subject}}</p>
<p class="amount">¥{{.Amount}}</p>
<dl><dt>{{.W.Order}}</dt><dd><code>{{.OutTradeNo}}</code></dd>
{{- with .TradeNo}}<dt>{{$.W.Trade}}</dt><dd><code>{{.}}</code></dd>{{end}}
{{- with .Buyer}}<dt>{{$.W.Buyer}}</dt><dd>{{.}}</dd>{{end}}
{{- with .PaidAt}}<dt>{{$.W.PaidAt}}</dt><dd>{{.}}</dd>{{end}}
{{- with .Refund}}<dt>{{$.W.Refunded}}</dt><dd>¥{{.}}</dd>{{end}}</dl>
{{if .Paid}}<p class="state paid">{{.W.Paid}}</p>
{{else if .Refunded}}<p class="state closed">{{.W.RefundedAll}}</p>
{{else if .Closed}}<p class="state closed">{{.W.Closed}}</p>
{{else if .Expired}}<p class="state closed">{{.W.Expired}}</p>
{{else}}{{if .Declined}}<p class="note">{{.W.Declined}}</p>{{end}}
<form method="post" action="/qr/{{.Token}}/pay"><button class="pay" type="submit">{{printf .W.Pay .Amount}}</button></form>
<form method="post" action="/qr/{{.Token}}/decline"><button class="decline" type="submit">{{.W.Decline}}</button></form>
{{end}}</div></main></body></html>
`)

// indexTemplate is the developer page at /.
var indexTemplate = newPage("index", `<!doctype html>
<html lang="{{.W.HTMLLang}}"><head>{{template "style"}}<title>{{.W.Title}}</title></head>
<body><main class="wide"><div class="card">
<p class="brand">{{.W.Title}}</p>
<h1>{{.Merchant}}</h1>
<dl><dt>{{.W.Gateway}}</dt><dd><code>{{.Gateway}}</code> (OpenAPI v2); <code>{{.V3}}/v3/…</code> (OpenAPI v3)</dd><dt>app_id</dt><dd><code>{{.AppID}}</code></dd>
{{- with .Faults}}<dt>{{$.W.Faults}}</dt><dd><code>{{.}}</code></dd>{{end}}</dl>
{{if .Rows}}<table>
<tr><th>{{.W.Created}}</th><th title="out_trade_no">{{.W.OutTradeNo}}</th><th>{{.W.Subject}}</th><th>{{.W.Amount}}</th><th>{{.W.Refunded}}</th><th>{{.W.Status}}</th></tr>
{{range .Rows}}<tr><td>{{.Created}}</td><td><a href="/qr/{{.Token}}" title="{{$.W.OpenAsBuyer}}"><code>{{.OutTradeNo}}</code></a></td><td>{{.Subject}}</td><td class="num">{{.Amount}}</td><td class="num">{{.Refund}}</td><td><span title="{{.Status}}">{{.StatusSaid}}</span>{{if .Expired}}{{$.W.QRExpired}}{{else if .Refunded}}{{$.W.WasRefunded}}{{end}}{{if .BarCode}}{{$.W.ByCode}}{{end}}</td></tr>
{{end}}</table>{{with .More}}<p>{{printf $.W.More .}}</p>{{end}}
{{else}}<p>{{.W.NoTrades}}</p>{{end}}
</div>
<div class="card" style="margin-top:1rem">
<h1>{{.W.CodesTitle}}</h1>
<p class="subject">{{.W.CodesIntro}}</p>
{{range .Kinds}}<form class="inline" method="post" action="/buyer-code?kind={{.Kind}}"><button class="decline" type="submit">{{.Label}}</button></form>{{end}}
{{if .Codes}}<table>
<tr><th>{{.W.Issued}}</th><th>{{.W.Code}}</th><th>{{.W.Kind}}</th><th>{{.W.State}}</th><th title="out_trade_no">{{.W.OutTradeNo}}</th></tr>
{{range .Codes}}<tr><td>{{.Issued}}</td><td><a href="/buyer-code/{{.Code}}"><code>{{.Code}}</code></a></td><td>{{.Kind}}</td><td>{{.State}}</td><td><code>{{.OutTradeNo}}</code></td></tr>
{{end}}</table>{{end}}
</div></main></body></html>
`)
