package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"kiosk/pos"
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

// API makes one call and prints the verified answer as JSON on out, and
// with Verbose the exchange on diag: what was signed, and what came back.
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
	return printAnswer(out, answer, err)
}

func (c APICall) request() (pos.APIRequest, error) {
	r := pos.APIRequest{Method: c.Method, Subject: c.Subject, OutTradeNo: c.OutTradeNo, TradeNo: c.TradeNo,
		OutRequestNo: c.OutRequestNo, Reason: c.Reason}
	if c.Method != "precreate" && c.Method != "refund" {
		return r, nil
	}
	if c.Amount == "" {
		return r, Usagef("--amount is required, e.g. --amount 12.34")
	}
	fen, err := pos.ParseAmount(c.Amount)
	if err != nil {
		return r, Usagef("--amount: %s", pos.Describe(err))
	}
	r.AmountFen = fen
	if c.Method == "refund" && c.OutRequestNo == "" {
		return r, Usagef("refund needs --out-request-no R: the same R makes a repeat harmless, a new R is a new refund")
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
		return SignatureError{fmt.Errorf("the answer did not verify with the Alipay public key and was discarded: %w", err)}
	case errors.As(err, &ge):
		_ = writeJSON(w, map[string]any{"error": map[string]string{
			"code": ge.Code, "msg": ge.Msg, "sub_code": ge.SubCode, "sub_msg": ge.SubMsg,
		}})
		return err
	}
	return err
}

func printKeyFacts(w io.Writer, k KeyFacts) {
	if k.AppKeyFormat != "" {
		fmt.Fprintf(w, "-- app private key %s: %s\n", k.AppKey, k.AppKeyFormat)
	}
	for _, warning := range k.Warnings {
		fmt.Fprintf(w, "-- warning: %s\n", warning)
	}
	if k.AlipayKeyFormat != "" {
		fmt.Fprintf(w, "-- Alipay public key %s: %s\n", k.AlipayKey, k.AlipayKeyFormat)
	}
}

// printExchange shows what went over the wire: over v2 the string signed,
// the signature and the raw response; over v3 the text the authorization
// signs (each of its lines ends in a newline, the last one included), the
// request headers, the raw answer with its signature headers, and the text
// that signature covers.
func printExchange(w io.Writer, x pos.Exchange) {
	switch {
	case !x.Sent:
		fmt.Fprintln(w, "-- nothing was sent")
		return
	case x.V3:
		printV3Exchange(w, x)
		return
	}
	fmt.Fprintf(w, "-- string signed (%s, sign_type %s):\n%s\n", x.Method, x.SignType, x.SigningString)
	fmt.Fprintf(w, "-- sign:\n%s\n", x.Sign)
	if x.Status != "" {
		fmt.Fprintf(w, "-- raw response (%s):\n%s\n", x.Status, x.Response)
	}
}

func printV3Exchange(w io.Writer, x pos.Exchange) {
	if x.AuthError != nil {
		fmt.Fprintf(w, "-- the authorization header cannot be read: %v\n", x.AuthError)
	} else {
		fmt.Fprintf(w, "-- string signed (v3 %s %s, SHA256withRSA; every line ends in a newline):\n%s", x.HTTPMethod, x.URI, x.V3SigningString)
	}
	fmt.Fprintln(w, "-- request headers:")
	printHeaders(w, x.RequestHeaders)
	if x.Status == "" {
		return
	}
	fmt.Fprintf(w, "-- raw response (%s):\n", x.Status)
	printHeaders(w, x.ResponseHeaders)
	fmt.Fprintf(w, "%s\n", x.Response)
	fmt.Fprintf(w, "-- string the answer's signature covers:\n%s", x.ResponseSigningString)
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
	var ne *pos.NotificationError
	switch {
	case errors.As(err, &ne) && !ne.Readable:
		return SignatureError{fmt.Errorf("the notification cannot be read: %w", ne.Unwrap())}
	case errors.As(err, &ne) && errors.As(err, new(*pos.InputError)):
		return Usage(fmt.Errorf("the notification does not verify: %w", ne.Unwrap()))
	case errors.As(err, &ne):
		return SignatureError{fmt.Errorf("the notification does not verify: %w", ne.Unwrap())}
	case err != nil:
		return err
	}
	_, err = fmt.Fprintf(w, "verified: %s %s for %s, amount %s (signature, app_id%s checked)\n",
		n.NotifyType, n.TradeStatus, n.OutTradeNo, pos.FormatAmount(n.TotalFen), checkedExtras(sellerID, amount))
	return err
}

func checkedExtras(sellerID, amount string) string {
	var s string
	if sellerID != "" {
		s += ", seller_id"
	}
	if amount != "" {
		s += ", total_amount"
	}
	return s
}
