package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// exitBadSignature is the status of `kiosk api` when an answer does not
// verify: such an answer is never printed as if it were good.
const exitBadSignature = 3

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

func apiMethodNames() []string { return append(append([]string{}, pos.APIMethods...), "verify-notify") }

// apiCommand calls one gateway method and prints the verified answer on
// out, and with --verbose the exchange on diag.
func apiCommand(args []string, out, diag io.Writer) error {
	if len(args) == 0 {
		return cli.Usagef("api needs a method: %s", strings.Join(apiMethodNames(), ", "))
	}
	if args[0] == "verify-notify" {
		return verifyNotifyCommand(args[1:], os.Stdin, out)
	}
	if !slices.Contains(pos.APIMethods, args[0]) {
		return cli.Usagef("unknown api method %q: use one of %s", args[0], strings.Join(apiMethodNames(), ", "))
	}
	f, err := parseAPIFlags(args[0], args[1:])
	if err != nil {
		return err
	}
	if f.config == "" {
		return cli.Usagef("api needs --config FILE (the same file the kiosk uses)")
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return cli.Usage(err)
	}
	if f.protocol != "" {
		cfg.Protocol = f.protocol
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		return cli.Usage(err)
	}
	trace := new(alipay.Trace)
	client, err := alipay.NewClient(acfg, alipay.WithHTTPClient(&http.Client{Timeout: f.timeout}), alipay.WithTrace(trace))
	if err != nil {
		return cli.Usage(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	return cli.API(ctx, out, diag, pos.NewConsole(client, trace), cli.APICall{
		Method: args[0], Amount: f.amount, Subject: f.subject, OutTradeNo: f.outTradeNo, TradeNo: f.tradeNo,
		OutRequestNo: f.outRequestNo, Reason: f.reason, Verbose: f.verbose, Keys: cfg.keyFacts(),
	})
}

// verifyNotifyCommand reads a notification body (form-encoded) and says
// whether it verifies and why not.
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
	v := &alipay.NotifyVerifier{AlipayPublicKey: acfg.AlipayPublicKey, AppID: acfg.AppID, SellerID: cfg.SellerID, AllowRSA: *allowRSA}
	n, err := pos.VerifyNotification(v, in, *amount)
	return cli.VerifiedNotification(out, n, err, cfg.SellerID, *amount)
}
