package emulator

// PageWords are the words of the pages that play the customer's Alipay
// app: the page a scanned QR code opens, and a payment code's page. They
// follow the kiosk's language: the kiosk fills them from its catalogue
// (the emulator imports no part of the kiosk's screens), and without them
// the pages are in English (EnglishPage). A sentence with %s takes the
// value its comment names.
type PageWords struct {
	HTMLLang string // the pages' lang attribute: "en", "zh-CN"
	Brand    string // the app the page plays
	PayTitle string // the QR page's title: %s the merchant

	Order, Trade, Buyer, PaidAt, Refunded, Amount string // the order's facts

	Paid           string
	RefundedAll    string // the whole payment went back
	Closed         string // the order can no longer be paid
	Expired        string // the QR code can no longer be paid
	Declined       string // the customer declined; the order still waits
	Pay            string // the button: %s the amount
	Decline        string // the button
	CodeTitle      string // a payment code's page
	KindLabel      string // how the emulated code answers
	ShowCode       string // show the code to the cashier
	AsksConfirm    string // %s the merchant
	Confirm        string // the button: %s the amount
	Refused        string // %s Alipay's reason
	ClosedUnpaid   string // closed before the customer confirmed
	KindPay        string // the kinds of code, as the customer's page says them
	KindConfirm    string
	KindLowBalance string
	KindExpired    string
	KindRisk       string
	// DefaultShop names the merchant when Config.MerchantName is empty.
	DefaultShop string
}

// EnglishPage is the customer's pages in English, the words the kiosk's
// English catalogue gives them too.
var EnglishPage = PageWords{
	HTMLLang: "en", Brand: "Alipay emulator", PayTitle: "Pay %s · Alipay emulator",
	Order: "Order", Trade: "Trade", Buyer: "Buyer", PaidAt: "Paid at", Refunded: "Refunded", Amount: "Amount",
	Paid:           "✓ Paid",
	RefundedAll:    "Refunded: the merchant gave the whole payment back.",
	Closed:         "This order is closed and can no longer be paid.",
	Expired:        "This QR code has expired and can no longer be paid.",
	Declined:       "You declined. The order is still waiting for payment until the kiosk gives up.",
	Pay:            "Pay ¥%s",
	Decline:        "Decline",
	CodeTitle:      "Payment code",
	KindLabel:      "Kind",
	ShowCode:       "Show this code to the cashier: the scanner types these digits. It can be used once.",
	AsksConfirm:    "%s asks you to confirm the payment.",
	Confirm:        "Confirm ¥%s",
	Refused:        "Refused: %s",
	ClosedUnpaid:   "The order was closed before you confirmed; nothing was paid.",
	KindPay:        "pays at once",
	KindConfirm:    "pays once the buyer confirms",
	KindLowBalance: "refused: balance too low",
	KindExpired:    "refused: expired",
	KindRisk:       "refused: risk control",
	DefaultShop:    DefaultMerchantName,
}

// kind is how the customer's page names a kind of code.
func (w PageWords) kind(k BuyerCodeKind) string {
	return map[BuyerCodeKind]string{
		BuyerCodePay: w.KindPay, BuyerCodeConfirm: w.KindConfirm, BuyerCodeInsufficient: w.KindLowBalance,
		BuyerCodeExpired: w.KindExpired, BuyerCodeRisk: w.KindRisk,
	}[k]
}
