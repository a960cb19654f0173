package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"kiosk/pos"
	"kiosk/ui/words"
)

// SignatureError is an answer or a notification whose signature did not
// verify: main exits with status 3 for it, and it is never printed as if
// it were good.
type SignatureError struct{ Err error }

func (e SignatureError) Error() string { return e.Err.Error() }
func (e SignatureError) Unwrap() error { return e.Err }

// Gateway is what `kiosk api` calls. *pos.Console implements it.
type Gateway interface {
	Call(ctx context.Context, r pos.APIRequest) (json.RawMessage, error)
	LastExchange() pos.Exchange
}

// APICall is one `kiosk api` call as typed: the method and its flags.
type APICall struct {
	Method                                             string
	Amount                                             string // yuan, as typed
	Subject, OutTradeNo, TradeNo, OutRequestNo, Reason string
	AuthCode                                           string // pay: the customer's payment code
	Verbose                                            bool
	Keys                                               KeyFacts // what --verbose says of the key files
}

// KeyFacts say what kind of key each configured file holds, and what is
// wrong with their permissions: the first things to check when Alipay
// answers isv.invalid-signature.
type KeyFacts struct {
	AppKey, AppKeyFormat       string // "" when it could not be read
	AlipayKey, AlipayKeyFormat string
	Warnings                   []string
}

// API makes one call and prints Alipay's answer on out, once its signature
// verified, as Alipay sent it (indented), and with Verbose the exchange on
// diag: what was signed, and what came back. What the kiosk makes of the
// answer goes to diag: a charge the customer must still confirm.
func API(ctx context.Context, out, diag io.Writer, g Gateway, c APICall) error {
	req, err := c.request()
	var answer json.RawMessage
	if err == nil {
		answer, err = g.Call(ctx, req)
	}
	if c.Verbose {
		printKeyFacts(diag, c.Keys)
		printExchange(diag, g.LastExchange())
	}
	if err := printAnswer(out, answer, err); err != nil {
		return err
	}
	if g.LastExchange().WaitingForBuyer {
		fmt.Fprintln(diag, say.Console.WaitingForBuyer)
	}
	return nil
}

func (c APICall) request() (pos.APIRequest, error) {
	r := pos.APIRequest{Method: c.Method, Subject: c.Subject, OutTradeNo: c.OutTradeNo, TradeNo: c.TradeNo,
		OutRequestNo: c.OutRequestNo, Reason: c.Reason, AuthCode: c.AuthCode}
	if c.Method != "precreate" && c.Method != "pay" && c.OutTradeNo == "" && c.TradeNo == "" {
		return r, Usage(errors.New(say.Console.NeedsOrder.F(c.Method)))
	}
	if c.Method != "precreate" && c.Method != "refund" && c.Method != "pay" {
		return r, nil
	}
	if c.Method == "pay" {
		if err := checkAuthCode(c.AuthCode); err != nil {
			return r, err
		}
	}
	if c.Amount == "" {
		return r, Usage(errors.New(say.Console.AmountRequired))
	}
	fen, err := pos.ParseAmount(c.Amount)
	if err != nil {
		return r, UsageError{advised{say.Console.Amount.F(say.Explain(err)), err}}
	}
	r.AmountFen = fen
	if c.Method == "refund" && c.OutRequestNo == "" {
		return r, Usage(errors.New(say.Console.RefundNeedsNo))
	}
	return r, nil
}

// printAnswer prints a verified answer as JSON, or Alipay's refusal with its
// codes. An answer whose signature does not verify is reported, never
// printed.
func printAnswer(w io.Writer, answer json.RawMessage, err error) error {
	var ge *pos.GatewayError
	switch {
	case err == nil:
		var b bytes.Buffer
		if err := json.Indent(&b, answer, "", "  "); err != nil {
			return err
		}
		b.WriteByte('\n')
		_, err := w.Write(b.Bytes())
		return err
	case errors.Is(err, pos.ErrUnverified):
		return SignatureError{advised{say.Console.Discarded, err}}
	case errors.As(err, &ge):
		_ = writeJSON(w, map[string]any{"error": map[string]string{
			"code": ge.Code, "msg": ge.Msg, "sub_code": ge.SubCode, "sub_msg": ge.SubMsg,
		}})
		if ge.NoTrade() { // a normal state while the buyer has not scanned: no cashier's advice
			return advised{say.Console.NoTradeYet, err}
		}
		return said(err) // the JSON above has Alipay's own words
	case errors.As(err, new(UsageError)):
		return err
	}
	switch p := pos.Classify(err); p.Kind {
	case pos.KindBadRequest:
		return UsageError{said(err)}
	case pos.KindTransport:
		return advised{say.Console.CallFailed.F(say.Explain(err), say.SystemReason(err)), err}
	case pos.KindTimeout: // the explanation already says there was no answer in time, as the system would
		return said(err)
	}
	return said(err)
}

func printKeyFacts(w io.Writer, k KeyFacts) {
	c := &say.Console
	if k.AppKeyFormat != "" {
		fmt.Fprintln(w, c.AppKey.F(k.AppKey, k.AppKeyFormat))
	}
	for _, warning := range k.Warnings {
		fmt.Fprintln(w, c.Warning.F(warning))
	}
	if k.AlipayKeyFormat != "" {
		fmt.Fprintln(w, c.AlipayKey.F(k.AlipayKey, k.AlipayKeyFormat))
	}
}

// printExchange shows what went over the wire: over v2 the string signed,
// the signature and the raw response; over v3 the text the authorization
// signs (each of its lines ends in a newline, the last one included), the
// request headers, the raw answer with its signature headers, and the text
// that signature covers.
func printExchange(w io.Writer, x pos.Exchange) {
	c := &say.Console
	switch {
	case !x.Sent:
		fmt.Fprintln(w, c.NothingSent)
		return
	case x.V3:
		printV3Exchange(w, x)
		return
	}
	fmt.Fprintln(w, c.Signed.F(x.Method, x.SignType))
	fmt.Fprintln(w, x.SigningString)
	fmt.Fprintln(w, c.Sign)
	fmt.Fprintln(w, x.Sign)
	if x.Status != "" {
		fmt.Fprintln(w, c.RawResponse.F(x.Status))
		fmt.Fprintf(w, "%s\n", x.Response)
	}
}

func printV3Exchange(w io.Writer, x pos.Exchange) {
	c := &say.Console
	if x.AuthError != nil {
		fmt.Fprintln(w, c.AuthUnreadable.F(x.AuthError.Error()))
	} else {
		fmt.Fprintln(w, c.SignedV3.F(x.HTTPMethod, x.URI))
		fmt.Fprint(w, x.V3SigningString)
	}
	fmt.Fprintln(w, c.RequestHeaders)
	printHeaders(w, x.RequestHeaders)
	if x.Status == "" {
		return
	}
	fmt.Fprintln(w, c.RawResponse.F(x.Status))
	printHeaders(w, x.ResponseHeaders)
	fmt.Fprintf(w, "%s\n", x.Response)
	fmt.Fprintln(w, c.ResponseCovers)
	fmt.Fprint(w, x.ResponseSigningString)
}

func printHeaders(w io.Writer, hs []pos.Header) {
	for _, h := range hs {
		fmt.Fprintf(w, "%s: %s\n", h.Name, h.Value)
	}
}

// VerifiedNotification prints what a notification that verified says, or
// why it did not: sellerID and amount are what was checked beside the
// signature and the app.
func VerifiedNotification(w io.Writer, n pos.NotificationCheck, err error, sellerID, amount string) error {
	if err != nil {
		return notificationError(err)
	}
	c := &say.Console
	_, err = fmt.Fprintln(w, c.Verified.F(n.NotifyType, n.TradeStatus, n.OutTradeNo, words.Fen(n.TotalFen), checkedExtras(sellerID, amount)))
	return err
}

// notificationError says why a notification did not verify: one that
// cannot be read, or whose signature or facts do not agree, is a
// SignatureError; a malformed amount given to check it by is the user's to
// fix.
func notificationError(err error) error {
	var (
		ne *pos.NotificationError
		ie *pos.InputError
		c  = &say.Console
	)
	switch {
	case errors.As(err, &ne) && !ne.Readable:
		return SignatureError{advised{c.NotifyUnreadable.F(notifyReason(ne)), ne.Unwrap()}}
	case errors.As(err, &ne) && errors.As(err, &ie):
		return UsageError{advised{c.NotifyUnverified.F(say.Explain(ie)), ne.Unwrap()}}
	case errors.As(err, &ne):
		return SignatureError{advised{c.NotifyUnverified.F(notifyReason(ne)), ne.Unwrap()}}
	}
	return err
}

// notifyReason says why the notification was refused, from its kind and
// facts; of a kind not known here, the system's own text, quoted.
func notifyReason(ne *pos.NotificationError) string {
	c := &say.Console
	switch ne.Problem {
	case pos.NotifyMalformed:
		return c.NotifyMalformed
	case pos.NotifyNotSigned:
		return c.NotifyNotSigned
	case pos.NotifyBadSignature:
		return c.NotifyBadSignature.F(ne.SignType)
	case pos.NotifyWrongSignType:
		return c.NotifyWrongSignType.F(ne.SignType)
	case pos.NotifyMismatch:
		if ne.OfSale {
			return c.NotifyUnlikeSale.F(ne.Field, ne.Got, ne.Want)
		}
		return c.NotifyUnlikeConfigured.F(ne.Field, ne.Got, ne.Want)
	case pos.NotifyUnknownTrade:
		return c.NotifyUnknownTrade
	}
	return say.SystemReason(ne.Unwrap())
}

func checkedExtras(sellerID, amount string) string {
	var s string
	if sellerID != "" {
		s += say.Console.CheckedSeller
	}
	if amount != "" {
		s += say.Console.CheckedAmount
	}
	return s
}
