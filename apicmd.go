package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"kiosk/alipay"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// exitBadSignature is the status of `kiosk api` when an answer does not
// verify: such an answer is never printed as if it were good.
const exitBadSignature = 3

// apiFailure is a business failure (code != 10000) already printed.
type apiFailure struct{ err error }

func (e apiFailure) Error() string { return e.err.Error() }
func (e apiFailure) Unwrap() error { return e.err }

// signatureFailure is an answer that failed verification.
type signatureFailure struct{ err error }

func (e signatureFailure) Error() string { return e.err.Error() }
func (e signatureFailure) Unwrap() error { return e.err }

// apiFlags are the flags every `kiosk api` call takes.
type apiFlags struct {
	config       string
	amount       string
	subject      string
	outTradeNo   string
	tradeNo      string
	outRequestNo string
	reason       string
	verbose      bool
	timeout      time.Duration
	protocol     string // "" keeps the config's
}

func parseAPIFlags(name string, args []string) (apiFlags, error) {
	var f apiFlags
	fs := flag.NewFlagSet("kiosk api "+name, flag.ContinueOnError)
	fs.StringVar(&f.config, "config", os.Getenv("KIOSK_CONFIG"), "configuration `file` (TOML; env KIOSK_CONFIG)")
	fs.StringVar(&f.amount, "amount", "", "amount in yuan, e.g. 12.34")
	fs.StringVar(&f.subject, "subject", "", "order title")
	fs.StringVar(&f.outTradeNo, "out-trade-no", "", "the merchant's order number (generated for precreate when omitted)")
	fs.StringVar(&f.tradeNo, "trade-no", "", "Alipay's trade number")
	fs.StringVar(&f.outRequestNo, "out-request-no", "", "refund request number (makes a refund idempotent)")
	fs.StringVar(&f.reason, "reason", "", "refund reason")
	fs.BoolVar(&f.verbose, "verbose", false, "also print the string that was signed and the raw response")
	fs.DurationVar(&f.timeout, "timeout", 15*time.Second, "deadline of the call")
	fs.StringVar(&f.protocol, "protocol", "", "OpenAPI `version`, v2 or v3 (default: the config's protocol, else v2)")
	if err := fs.Parse(args); err != nil {
		return f, cli.Usage(err)
	}
	if fs.NArg() > 0 {
		return f, cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	return f, nil
}

// apiCommand calls one gateway method and prints the verified answer on
// out, and with --verbose the exchange on diag.
func apiCommand(args []string, out, diag io.Writer) error {
	if len(args) == 0 {
		return cli.Usagef("api needs a method: %s", strings.Join(apiMethodNames(), ", "))
	}
	if args[0] == "verify-notify" {
		return verifyNotifyCommand(args[1:], os.Stdin, out)
	}
	call, ok := apiMethods[args[0]]
	if !ok {
		return cli.Usagef("unknown api method %q: use one of %s", args[0], strings.Join(apiMethodNames(), ", "))
	}
	f, err := parseAPIFlags(args[0], args[1:])
	if err != nil {
		return err
	}
	client, tap, err := apiClient(f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	resp, err := call(ctx, client, f)
	if f.verbose {
		printKeyFormats(diag, f.config)
		tap.print(diag)
	}
	return printAPIResult(out, resp, err)
}

func apiClient(f apiFlags) (*alipay.Client, *exchangeTap, error) {
	if f.config == "" {
		return nil, nil, cli.Usagef("api needs --config FILE (the same file the kiosk uses)")
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return nil, nil, cli.Usage(err)
	}
	if f.protocol != "" {
		cfg.Protocol = f.protocol
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		return nil, nil, cli.Usage(err)
	}
	tap := &exchangeTap{next: http.DefaultTransport}
	client, err := alipay.NewClient(acfg, alipay.WithHTTPClient(&http.Client{Transport: tap, Timeout: f.timeout}))
	if err != nil {
		return nil, nil, cli.Usage(err)
	}
	return client, tap, nil
}

// printAPIResult prints a verified answer as JSON, or the typed error.
// An answer whose signature does not verify is reported, never printed.
func printAPIResult(w io.Writer, resp any, err error) error {
	var ae *alipay.Error
	switch {
	case err == nil:
		return writeJSON(w, resp)
	case errors.Is(err, alipay.ErrBadSignature), errors.Is(err, alipay.ErrNotSigned):
		return signatureFailure{fmt.Errorf("the answer did not verify with the Alipay public key and was discarded: %w", err)}
	case errors.As(err, &ae):
		_ = writeJSON(w, map[string]any{"error": map[string]string{
			"code": ae.Code, "msg": ae.Msg, "sub_code": ae.SubCode, "sub_msg": ae.SubMsg,
		}})
		return apiFailure{err}
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

type apiCall func(ctx context.Context, c *alipay.Client, f apiFlags) (any, error)

var apiMethods = map[string]apiCall{
	"precreate": apiPrecreate,
	"query": func(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
		return c.Query(ctx, &alipay.QueryRequest{OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo})
	},
	"cancel": func(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
		return c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo})
	},
	"close": func(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
		return c.Close(ctx, &alipay.CloseRequest{OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo})
	},
	"refund": apiRefund,
	"refund-query": func(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
		return c.RefundQuery(ctx, &alipay.RefundQueryRequest{OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo, OutRequestNo: f.outRequestNo})
	},
}

func apiRefund(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
	fen, err := requiredAmount(f.amount)
	if err != nil {
		return nil, err
	}
	if f.outRequestNo == "" {
		return nil, cli.Usagef("refund needs --out-request-no R: the same R makes a repeat harmless, a new R is a new refund")
	}
	return c.Refund(ctx, &alipay.RefundRequest{
		OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo, RefundFen: fen, OutRequestNo: f.outRequestNo, Reason: f.reason,
	})
}

func apiMethodNames() []string {
	return []string{"precreate", "query", "cancel", "close", "refund", "refund-query", "verify-notify"}
}

func apiPrecreate(ctx context.Context, c *alipay.Client, f apiFlags) (any, error) {
	fen, err := requiredAmount(f.amount)
	if err != nil {
		return nil, err
	}
	no := f.outTradeNo
	if no == "" {
		no = "API_" + alipay.FormatTime(time.Now())[:10] + "_" + fmt.Sprint(time.Now().UnixNano())
		no = strings.NewReplacer("-", "", " ", "").Replace(no)
	}
	subject := f.subject
	if subject == "" {
		subject = pos.DefaultSubject
	}
	return c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: no, TotalFen: fen, Subject: subject})
}

func requiredAmount(s string) (int64, error) {
	if s == "" {
		return 0, cli.Usagef("--amount is required, e.g. --amount 12.34")
	}
	fen, err := pos.ParseAmount(s)
	if err != nil {
		return 0, cli.Usagef("--amount: %s", pos.Describe(err))
	}
	return fen, nil
}

// printKeyFormats says what kind of key each configured file holds: the
// first thing to check when Alipay answers isv.invalid-signature.
func printKeyFormats(w io.Writer, config string) {
	cfg, err := loadConfig(config)
	if err != nil {
		return
	}
	if _, format, err := alipay.LoadPrivateKey(cfg.AppPrivateKey); err == nil {
		fmt.Fprintf(w, "-- app private key %s: %s\n", cfg.AppPrivateKey, format)
	}
	for _, warning := range cfg.keyWarnings() {
		fmt.Fprintf(w, "-- warning: %s\n", warning)
	}
	if cfg.AlipayPublicKey != "" {
		if _, format, err := alipay.LoadPublicKey(cfg.AlipayPublicKey); err == nil {
			fmt.Fprintf(w, "-- Alipay public key %s: %s\n", cfg.AlipayPublicKey, format)
		}
	}
}

// exchangeTap records the last request and response on their way through,
// for --verbose: what was signed, and the bytes that came back.
type exchangeTap struct {
	next     http.RoundTripper
	params   url.Values
	status   string
	response []byte
	v3       *v3Exchange // set for an OpenAPI v3 request
}

// v3Exchange is what --verbose shows of a v3 call: the request as signed,
// and the headers the answer's signature travels in.
type v3Exchange struct {
	method, uri    string
	body           []byte
	header, answer http.Header
}

func (t *exchangeTap) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readAndRestore(&req.Body)
	if err != nil {
		return nil, err
	}
	t.params = req.URL.Query()
	if strings.HasPrefix(req.Header.Get("Authorization"), alipay.V3AuthScheme+" ") {
		t.v3 = &v3Exchange{method: req.Method, uri: req.URL.RequestURI(), body: body, header: req.Header.Clone()}
	} else if form, err := url.ParseQuery(string(body)); err == nil {
		for k, v := range form {
			t.params[k] = v
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.status = resp.Status
	if t.v3 != nil {
		t.v3.answer = resp.Header.Clone()
	}
	t.response, err = readAndRestore(&resp.Body)
	return resp, err
}

func readAndRestore(rc *io.ReadCloser) ([]byte, error) {
	if *rc == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(*rc, 1<<20))
	(*rc).Close()
	*rc = io.NopCloser(bytes.NewReader(b))
	return b, err
}

func (t *exchangeTap) print(w io.Writer) {
	if t.params == nil {
		fmt.Fprintln(w, "-- nothing was sent")
		return
	}
	if t.v3 != nil {
		t.printV3(w)
		return
	}
	fmt.Fprintf(w, "-- string signed (%s, sign_type %s):\n%s\n", t.params.Get("method"), t.params.Get("sign_type"),
		alipay.RequestSigningString(t.params))
	fmt.Fprintf(w, "-- sign:\n%s\n", t.params.Get("sign"))
	if t.status != "" {
		fmt.Fprintf(w, "-- raw response (%s):\n%s\n", t.status, t.response)
	}
}

// verifyNotifyCommand reads a notification body (form-encoded) and says
// whether it verifies and why not. Without --amount the amount is taken
// from the notification itself, so only the signature and the app are
// really checked; with it, the amount must match too.
func verifyNotifyCommand(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("kiosk api verify-notify", flag.ContinueOnError)
	config := fs.String("config", os.Getenv("KIOSK_CONFIG"), "configuration `file` (TOML; env KIOSK_CONFIG)")
	amount := fs.String("amount", "", "the sale's amount in yuan, checked against total_amount")
	allowRSA := fs.Bool("allow-rsa", false, "accept sign_type=RSA (SHA-1) notifications")
	if err := fs.Parse(args); err != nil {
		return cli.Usage(err)
	}
	if *config == "" {
		return cli.Usagef("verify-notify needs --config FILE")
	}
	cfg, err := loadConfig(*config)
	if err != nil {
		return cli.Usage(err)
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		return cli.Usage(err)
	}
	body, err := io.ReadAll(io.LimitReader(in, alipay.MaxNotifyBody+1))
	if err != nil {
		return err
	}
	form, err := alipay.ParseNotification(bytes.TrimSpace(body), "application/x-www-form-urlencoded")
	if err != nil {
		return signatureFailure{fmt.Errorf("the notification cannot be read: %w", err)}
	}
	v := &alipay.NotifyVerifier{AlipayPublicKey: acfg.AlipayPublicKey, AppID: acfg.AppID, SellerID: cfg.SellerID, AllowRSA: *allowRSA}
	n, err := v.Verify(form, notifyLookup(*amount, form.Get("total_amount")))
	if err != nil {
		return signatureFailure{fmt.Errorf("the notification does not verify: %w", err)}
	}
	fmt.Fprintf(out, "verified: %s %s for %s, amount %s (signature, app_id%s checked)\n",
		n.NotifyType, n.TradeStatus, n.OutTradeNo, alipay.FormatAmount(n.TotalFen), checkedExtras(cfg.SellerID, *amount))
	return nil
}

// notifyLookup stands in for the ledger: the amount given, else the
// notification's own (which then checks nothing).
func notifyLookup(amount, notified string) func(string) (alipay.Expected, error) {
	return func(string) (alipay.Expected, error) {
		if amount == "" {
			amount = notified
		}
		fen, err := alipay.ParseAmount(amount)
		if err != nil {
			return alipay.Expected{}, cli.Usagef("amount %q: %w", amount, err)
		}
		return alipay.Expected{TotalFen: fen}, nil
	}
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

// printV3 shows a v3 exchange: the text the authorization signs (each of
// its lines ends in a newline, the last one included), the request
// headers, the raw answer with its signature headers, and the text that
// signature covers.
func (t *exchangeTap) printV3(w io.Writer) {
	x := t.v3
	auth, err := alipay.ParseV3Authorization(x.header.Get("Authorization"))
	if err != nil {
		fmt.Fprintf(w, "-- the authorization header cannot be read: %v\n", err)
	} else {
		fmt.Fprintf(w, "-- string signed (v3 %s %s, SHA256withRSA; every line ends in a newline):\n%s", x.method, x.uri,
			alipay.V3SigningString(auth.AuthString, x.method, x.uri, x.body, x.header.Get(alipay.HeaderV3AppAuthToken)))
	}
	fmt.Fprintln(w, "-- request headers:")
	printHeaders(w, x.header, "Authorization", alipay.HeaderV3RequestID, alipay.HeaderV3RootCertSN, alipay.HeaderV3AppAuthToken, "Content-Type")
	if t.status == "" {
		return
	}
	fmt.Fprintf(w, "-- raw response (%s):\n", t.status)
	printHeaders(w, x.answer, alipay.HeaderV3Timestamp, alipay.HeaderV3Nonce, alipay.HeaderV3Signature, alipay.HeaderV3SN, alipay.HeaderV3TraceID)
	fmt.Fprintf(w, "%s\n", t.response)
	fmt.Fprintf(w, "-- string the answer's signature covers:\n%s",
		alipay.V3ResponseSigningString(x.answer.Get(alipay.HeaderV3Timestamp), x.answer.Get(alipay.HeaderV3Nonce), t.response))
}

// printHeaders writes the named headers that are set, lower-case as Alipay
// documents them.
func printHeaders(w io.Writer, h http.Header, names ...string) {
	for _, name := range names {
		if v := h.Get(name); v != "" {
			fmt.Fprintf(w, "%s: %s\n", strings.ToLower(name), v)
		}
	}
}
