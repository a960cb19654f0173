package emulator

// IndexWords are the words of the emulator's own page at /, the
// developers' list of trades and buyer codes. Like PageWords they follow
// the kiosk's language: the kiosk fills them from its catalogue, and
// without them the page is in English (EnglishIndex). app_id stays as
// Alipay writes it; a trade's status is in words, Alipay's name beside it.
// A sentence with %d takes the value its comment names.
type IndexWords struct {
	HTMLLang string // the page's lang attribute: "en", "zh-CN"
	Title    string // the page's title, and the brand above the merchant
	Gateway  string // the gateway's label
	Faults   string // the faults injected, labelled

	Created, Subject, Amount, Refunded, Status string // the trades' columns
	OutTradeNo                                 string // the order number's column (the codes' too)
	// A trade's status in words: not scanned yet (the emulator's
	// PRECREATED), WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED. The page
	// keeps Alipay's name beside them, for developers.
	StatusPrecreated, StatusWaiting, StatusPaid, StatusClosed string

	OpenAsBuyer string // a trade's link: opening it scans the QR code
	QRExpired   string // after a trade's status
	WasRefunded string
	ByCode      string // paid by the buyer's payment code
	More        string // %d the older trades not shown
	NoTrades    string

	CodesTitle string // the buyer payment codes' card
	CodesIntro string

	Issued, Code, Kind, State string // the codes' columns

	Unused, Waiting, Paid, RefundedCode, Closed, Refused string // where a code stands
}

// EnglishIndex is the page at / in English, the words the kiosk's English
// catalogue gives it too.
var EnglishIndex = IndexWords{
	HTMLLang: "en", Title: "Alipay emulator", Gateway: "Gateway", Faults: "Faults",
	Created: "Created", Subject: "Subject", Amount: "Amount", Refunded: "Refunded", Status: "Status",
	OutTradeNo:       "Order No.",
	StatusPrecreated: "not scanned", StatusWaiting: "waiting for payment", StatusPaid: "paid", StatusClosed: "closed",
	OpenAsBuyer: "Open as the buyer (this scans the code)",
	QRExpired:   " (QR expired)",
	WasRefunded: " (refunded)",
	ByCode:      " · payment code",
	More:        "… and %d older trades.",
	NoTrades:    "No trades yet. Start a sale on the kiosk.",
	CodesTitle:  "Buyer payment codes",
	CodesIntro:  "A code for the cashier to scan (or type), answered as chosen. Each can be used once.",
	Issued:      "Issued", Code: "Code", Kind: "Kind", State: "State",
	Unused: "unused", Waiting: "waiting", Paid: "paid", RefundedCode: "refunded", Closed: "closed", Refused: "refused",
}

// codeState is how the page at / says where a code stands (codeState's
// names).
func (w IndexWords) codeState(state string) string {
	return map[string]string{
		"unused": w.Unused, "waiting": w.Waiting, "paid": w.Paid,
		"refunded": w.RefundedCode, "closed": w.Closed, "refused": w.Refused,
	}[state]
}

// tradeStatus is how the page at / says a trade's status; an unknown one
// as it is.
func (w IndexWords) tradeStatus(status string) string {
	said := map[string]string{
		StatusPrecreated: w.StatusPrecreated, StatusWaitBuyerPay: w.StatusWaiting,
		StatusTradeSuccess: w.StatusPaid, StatusTradeClosed: w.StatusClosed,
	}[status]
	if said == "" {
		return status
	}
	return said
}
