package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"time"

	"kiosk/pos"
	"kiosk/ui/words"
)

// Cashier signs the orders a buyer's app or browser takes to Alipay.
// *pos.Console implements it.
type Cashier interface {
	PayString(o pos.PayOrder) (string, error)
}

// PayCall is one `kiosk api app-pay|page-pay|wap-pay` as typed.
type PayCall struct {
	Product                                            pos.PayProduct
	Amount                                             string // yuan, as typed
	Subject, OutTradeNo, NotifyURL, ReturnURL, QuitURL string
	Timeout                                            time.Duration
}

// PayString prints the signed order string (App pay) or cashier URL (page
// and WAP pay) of the order typed, alone on its line, for the developer
// to hand to an app or a browser.
func PayString(out io.Writer, c Cashier, call PayCall) error {
	if call.Amount == "" {
		return Usage(errors.New(say.Console.AmountRequired))
	}
	fen, err := pos.ParseAmount(call.Amount)
	if err != nil {
		return UsageError{advised{say.Console.Amount.F(say.Explain(err)), err}}
	}
	s, err := c.PayString(pos.PayOrder{Product: call.Product, AmountFen: fen, Subject: call.Subject, OutTradeNo: call.OutTradeNo,
		NotifyURL: call.NotifyURL, ReturnURL: call.ReturnURL, QuitURL: call.QuitURL, Timeout: call.Timeout})
	switch {
	case errors.Is(err, pos.ErrInvalidOrder):
		return UsageError{advised{say.Console.InvalidOrder.F(cmp.Or(pos.Classify(err).Request, err.Error())), err}}
	case err != nil:
		return err
	}
	_, err = fmt.Fprintln(out, s)
	return err
}

// VerifiedLegacyNotification prints what a legacy MD5 notification that
// verified says, and where to ask Alipay whether its notify_id is genuine;
// or why it did not verify. amount is what was checked beside the sign.
func VerifiedLegacyNotification(w io.Writer, n pos.LegacyNotification, err error, amount string) error {
	c := &say.Console
	switch {
	case errors.Is(err, pos.ErrLegacyKey):
		return UsageError{advised{c.MD5BadKey, err}}
	case err != nil:
		return notificationError(err)
	}
	checked := ""
	if amount != "" {
		checked = c.CheckedFee
	}
	if _, err := fmt.Fprintln(w, c.MD5Verified.F(n.TradeStatus, n.OutTradeNo, words.Fen(n.TotalFen), n.SellerID, checked)); err != nil {
		return err
	}
	if n.VerifyURL != "" {
		_, err = fmt.Fprintln(w, c.MD5AskAlipay.F(n.NotifyID, n.VerifyURL))
	}
	return err
}
