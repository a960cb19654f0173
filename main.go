// Command kiosk is a point-of-sale terminal that takes Alipay payments at a
// shop counter.
//
// With no configuration it runs against an embedded gateway emulator, so a
// newcomer can sell something within a minute:
//
//	go run .
//
// `kiosk help` lists the subcommands (the table below): the ledger, the
// manager's PIN, the emulator, calls of the API by hand (and the seeds'
// App/page/WAP pay strings and legacy MD5 check), and head office.
//
// The root only wires: main.go reads the flags (each defined once, and the
// usage text made from them), loads the configuration (config.go), builds
// each part once (the ledger, the Alipay client, the register, the
// emulator, head office's connection) and hands it to the screen (package
// ui) or to the command line's output (package ui/cli), which talk to pos
// only. Its words (the summaries, the flags' meanings, the complaints)
// are the catalogue's, ui/words. The exit status says what went wrong: 1 a command that ran and
// failed, 2 something to fix first (nothing was done), 3 an answer whose
// signature did not verify, 4 a reconciliation that could not compare
// everything.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/alipay/mapi"
	"kiosk/pos"
	"kiosk/store"
	"kiosk/store/central"
	"kiosk/ui"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

var (
	_ pos.Gateway        = (*alipay.Client)(nil)
	_ pos.Biller         = (*alipay.Client)(nil)
	_ pos.Ledger         = (*store.Store)(nil)
	_ pos.Books          = (*store.Store)(nil)
	_ pos.BuyerSimulator = emulatedBuyer{}
	_ pos.HeadOffice     = (*central.Shipper)(nil)
	_ ui.Counter         = (*pos.Register)(nil)
	_ ui.BackOffice      = (*pos.Register)(nil)
	_ ui.HeadOffice      = (*pos.Register)(nil)
	_ ui.PrintMarks      = (*pos.Register)(nil)
	_ pos.PrintMarks     = (*store.Store)(nil)
	_ cli.Records        = (*pos.Office)(nil)
	_ cli.PINSetter      = (*pos.Settings)(nil)
	_ cli.ChainBooks     = (*pos.Chain)(nil)
	_ cli.Gateway        = (*pos.Console)(nil)
	_ cli.Cashier        = (*pos.Console)(nil)
)

// say is the catalogue of the command line's words (package ui/words).
var say = words.English

// Exit statuses.
const (
	exitOK           = 0
	exitError        = 1 // the command ran and failed
	exitUsage        = 2 // bad flags, configuration, keys, or a ledger in use: nothing was done
	exitBadSignature = 3 // kiosk api: an answer that does not verify, never printed as if it were good
	exitIncomplete   = 4 // kiosk ledger reconcile: no difference found, but not everything could be compared
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int { return runOn(args, os.Getenv, os.Stdout, os.Stderr) }

// runOn runs the command args name with out and diag as its standard
// output and error, in the charset of getenv's locale.
func runOn(args []string, getenv func(string) string, out, diag *os.File) int {
	s := processStdio(getenv, out, diag)
	err := execute(args, s)
	if err != nil {
		fmt.Fprintln(s.diag, "kiosk:", err)
	}
	closeStdio(s)
	return exitStatus(err)
}

// exitStatus is the process's status after err.
func exitStatus(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, new(cli.UsageError)):
		return exitUsage
	case errors.As(err, new(cli.SignatureError)):
		return exitBadSignature
	case errors.As(err, new(cli.IncompleteError)):
		return exitIncomplete
	}
	return exitError
}

// stdio is where a command reads and writes.
type stdio struct {
	in        io.Reader
	out, diag io.Writer
}

// dispatch runs the command args name, on the process's own streams.
func dispatch(args []string) error {
	return execute(args, stdio{in: os.Stdin, out: os.Stdout, diag: os.Stderr})
}

// execute finds the command args name, parses its flags, loads the
// configuration and runs it.
func execute(args []string, io stdio) error {
	if err := speakFromArgs(args, os.Getenv); err != nil {
		return err
	}
	args = flagsAfterCommand(args)
	switch {
	case len(args) > 0 && args[0] == "help":
		return helpOn(helpTopic(args[1:]), io)
	case len(args) == 1 && isHelp(args[0]):
		fmt.Fprint(io.out, usageText())
		return nil
	case asksVersion(args):
		fmt.Fprintln(io.out, versionText())
		return nil
	case len(args) >= 2 && isGroup(args[0]) && onlyHelp(args[1:]):
		fmt.Fprint(io.out, groupUsage(args[0]))
		return nil
	}
	c, e, err := parse(args, io)
	if err != nil || c == nil {
		return err
	}
	keepMachineOutputUTF8(c, e)
	return c.run(e)
}

// flagsAfterCommand moves the flags written before the command's words
// (kiosk --lang zh ledger, kiosk --data D emulator pay N) after them, where
// the command reads them as its own: a flag the command does not take is
// then refused in one line by the command (checkFlags). Whether a flag
// before the words takes the next argument as its value is read from the
// flags of every command, which agree on it
// (TestFlagsAgreeWhetherTheyTakeAValue); one no command takes is taken to
// need no value.
func flagsAfterCommand(args []string) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") || args[0] == "-" {
		return args // the command's words first: nothing to move, and no flag set to build
	}
	valued := valuedFlags()
	i := 0
	for i < len(args) && args[i] != "--" && len(args[i]) > 1 && args[i][0] == '-' {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		i++
		if !hasValue && valued[name] && i < len(args) {
			i++ // its value
		}
	}
	if i == 0 || i == len(args) {
		return args // no flag first, or no command after the flags: the counter's
	}
	n := 1 // kiosk help
	switch c, _ := findCommand(args[i:]); {
	case c == nil:
		return args[i:] // a group's help or its complaint, in the language spoken already
	case c.path != "":
		n = len(c.words())
	case args[i] != "help":
		return args // the counter's flags and arguments
	}
	return slices.Concat(args[i:i+n], args[:i], args[i+n:])
}

// valuedFlags are the names of the flags that take a value, of every
// command.
func valuedFlags() map[string]bool {
	valued := map[string]bool{}
	for _, c := range commands {
		fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
		c.flags(fs, new(options))
		langFlag(fs, new(options))
		fs.VisitAll(func(f *flag.Flag) { valued[f.Name] = !isBool(f) })
	}
	return valued
}

// asksVersion reports whether args ask for the version: the word or its
// flag, with at most the language beside it (kiosk --lang zh version).
func asksVersion(args []string) bool {
	asked := false
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch {
		case args[i] == "--version" || args[i] == "-version" || (args[i] == "version" && !asked):
			asked = true
		case strings.HasPrefix(args[i], "-") && name == "lang":
			if !hasValue {
				i++
			}
		default:
			return false
		}
	}
	return asked
}

// onlyHelp reports whether args ask for help and choose at most the
// language besides: kiosk ledger --help, kiosk --lang zh ledger --help.
func onlyHelp(args []string) bool {
	help := false
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch {
		case isHelp(args[i]):
			help = true
		case strings.HasPrefix(args[i], "-") && name == "lang":
			if !hasValue {
				i++
			}
		default:
			return false
		}
	}
	return help
}

// helpTopic is the words after kiosk help that name a command or a group
// (kiosk help ledger report), without the flags written among them.
func helpTopic(args []string) []string {
	valued := valuedFlags()
	var topic []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch {
		case len(args[i]) < 2 || args[i][0] != '-':
			topic = append(topic, args[i])
		case !hasValue && valued[name]:
			i++ // its value
		}
	}
	return topic
}

// helpOn answers kiosk help TOPIC as kiosk TOPIC --help does: every
// command with no topic, a group's commands, a command's usage; a topic
// that names nothing is refused in one line.
func helpOn(topic []string, io stdio) error {
	switch c, rest := findCommand(topic); {
	case len(topic) == 0 || slices.Equal(topic, []string{"help"}):
		fmt.Fprint(io.out, usageText())
	case len(topic) == 1 && isGroup(topic[0]):
		fmt.Fprint(io.out, groupUsage(topic[0]))
	case c == nil:
		return cli.UsageText(rest[0], nil)
	case c.path == "" || len(rest) > len(c.argWords()):
		return unknownCommand(strings.Join(topic, " "), topic[0])
	default:
		fmt.Fprint(io.out, c.usage())
	}
	return nil
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// parse finds the command args name and reads its flags, arguments and
// configuration; a nil command means -h was answered, with the command's
// usage alone on standard output.
func parse(args []string, io stdio) (*command, *env, error) {
	c, rest := findCommand(args)
	if c == nil {
		return nil, nil, cli.UsageText(rest[0], nil)
	}
	e := &env{io: io}
	fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
	fs.SetOutput(io.diag)
	c.flags(fs, &e.opts)
	langFlag(fs, &e.opts)
	fs.Usage = func() {}
	if help, err := checkFlags(c, fs, rest); help {
		fmt.Fprint(io.out, c.usage())
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	fs.SetOutput(discard{})
	fs.VisitAll(func(f *flag.Flag) { f.Value = keepRefusal(f.Value) })
	var err error
	if e.args, err = parseInterspersed(fs, rest); err != nil {
		return nil, nil, flagError(c, fs, err)
	}
	if err := c.checkArgs(e.args); err != nil {
		return nil, nil, err
	}
	if !c.noConf {
		if e.cfg, err = loadConfig(e.opts.config); err != nil {
			return nil, nil, cli.Usage(err)
		}
		if err := e.speakConfigured(); err != nil {
			return nil, nil, err
		}
		if c.path != "" { // the counter checks it after its flags' overrides (planCounter)
			if e.checked, err = e.cfg.check(); err != nil {
				return nil, nil, err
			}
		}
	}
	return c, e, nil
}

// discard swallows the flag package's own complaints: the kiosk says
// what is wrong in its words (flagError).
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// checkFlags reads args as the flag package will, before it does: help
// asked for, or the first flag the command does not take, or one left
// without its value, in the kiosk's words.
func checkFlags(c *command, fs *flag.FlagSet, args []string) (help bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return false, nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		switch {
		case isHelp(a) || name == "h" || name == "help":
			return true, nil
		case f == nil && c.refusesWhy[name] != "":
			return false, cli.UsageText(c.refusesWhy[name], nil)
		case f == nil:
			return false, cli.UsageText(say.Usage.UnknownFlag.F(name, c.name()), nil)
		case !hasValue && !isBool(f):
			if i+1 >= len(args) || namesFlag(fs, args[i+1]) {
				return false, cli.UsageText(say.Usage.FlagNeedsValue.F(name, c.name()), nil)
			}
			i++ // the value
		}
	}
	return false, nil
}

// refusal is a flag's value that keeps the error of its last Set, so
// that the complaint about the flag is the kiosk's own sentence rather
// than the flag package's.
type refusal struct {
	flag.Value
	value string
	err   error
}

// boolRefusal is a refusal of a flag that needs no value.
type boolRefusal struct{ *refusal }

func (boolRefusal) IsBoolFlag() bool { return true }

func keepRefusal(v flag.Value) flag.Value {
	r := &refusal{Value: v}
	if b, ok := v.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return boolRefusal{r}
	}
	return r
}

func (r *refusal) Set(s string) error {
	r.value, r.err = s, r.Value.Set(s)
	return r.err
}

// namesFlag reports whether arg is one of fs's flags (or help) rather than
// a value: a flag followed by another flag is missing its value.
func namesFlag(fs *flag.FlagSet, arg string) bool {
	if len(arg) < 2 || arg[0] != '-' {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return fs.Lookup(name) != nil || isHelp(arg) || name == "h" || name == "help"
}

// flagError words a flag the flag package refused: a length of time says
// why in the kiosk's words, any other value is named with its flag.
func flagError(c *command, fs *flag.FlagSet, err error) error {
	var why error
	fs.VisitAll(func(f *flag.Flag) {
		r, ok := f.Value.(*refusal)
		if b, isBool := f.Value.(boolRefusal); isBool {
			r, ok = b.refusal, true
		}
		if !ok || r.err == nil || why != nil {
			return
		}
		if _, isDuration := r.Value.(durationValue); isDuration {
			why = cli.UsageText(say.Usage.BadFlagValue.F(f.Name, r.err.Error()), err)
			return
		}
		why = cli.UsageText(say.Usage.NotFlagValue.F(r.value, f.Name, c.name()), err)
	})
	if why != nil {
		return why
	}
	return cli.UsageText(say.Usage.BadFlag.F(err.Error(), c.name()), err)
}

// parseInterspersed parses flags before, between and after the positional
// arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional, args = append(positional, fs.Arg(0)), fs.Args()[1:]
	}
}

// env is what a command runs with: its flags, its arguments, the
// configuration and its streams.
type env struct {
	opts options
	args []string
	cfg  fileConfig
	io   stdio

	checked checkedConfig // cfg's settings checked; see fileConfig.check
}

// dataDir is the data directory, found as the counter finds it: --data,
// else KIOSK_DATA, else data_dir in the configuration, else the default.
func (e *env) dataDir() string { return dataDir(e.opts.data, e.cfg.DataDir) }

// options are the values of every flag; each command defines those it takes.
type options struct {
	config, data string
	lang         string // --lang, which every command takes

	// The counter.
	qrTimeout, pollInterval time.Duration
	newLedger               bool

	// The ledger and head office.
	date, from, to, format string
	bom, force             bool
	apply                  bool // ledger reconcile --apply
	resetPIN               bool // manager set-pin --reset
	store, terminal        string

	// kiosk api.
	amount, subject, outTradeNo, tradeNo, outRequestNo, reason, protocol string
	verbose, allowRSA                                                    bool
	timeout, timeoutExpress                                              time.Duration
	notifyURL, returnURL, quitURL                                        string
	keyFile, partner, gateway                                            string

	// The emulator.
	addr, keys, faults, state string
	logFile                   string // emulator serve --log
	notifyScale               float64

	// The operator's commands.
	follow bool
	dir    string

	// Payment codes: kiosk api pay's code, and the kind of code the
	// emulated customer shows.
	authCode                                             string
	codeConfirm, codeInsufficient, codeExpired, codeRisk bool
}

// Flags used by more than one command, each defined once here.

func configFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.config, "config", os.Getenv("KIOSK_CONFIG"), say.Usage.FlagConfig)
}

func dataFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.data, "data", "", say.Usage.FlagData)
}

func dateFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.date, "date", "", say.Usage.FlagDate)
}

func formatFlag(formats ...string) func(*flag.FlagSet, *options) {
	return func(fs *flag.FlagSet, o *options) {
		fs.StringVar(&o.format, "format", formats[0], say.Usage.FlagFormat.F(strings.Join(formats, "|")))
	}
}

func rangeFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.from, "from", "", say.Usage.FlagFrom)
	fs.StringVar(&o.to, "to", "", say.Usage.FlagTo)
	fs.BoolVar(&o.bom, "bom", false, say.Usage.FlagBOM)
}

func chainFilterFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.store, "store", "", say.Usage.FlagStore)
	fs.StringVar(&o.terminal, "terminal", "", say.Usage.FlagTerminal)
}

// apiFlags are the flags of every kiosk api call of the gateway.
func apiFlags(fs *flag.FlagSet, o *options) {
	u := &say.Usage
	fs.BoolVar(&o.verbose, "verbose", false, u.FlagVerbose)
	durationFlag(fs, &o.timeout, "timeout", 15*time.Second, u.FlagTimeout)
	fs.StringVar(&o.protocol, "protocol", "", u.FlagProtocol)
}

// apiMethodFlags are the flags of the gateway method kiosk api calls,
// besides apiFlags: only the fields the method sends. Its usage and its
// parsing are both made from them (the command table).
func apiMethodFlags(method string) func(*flag.FlagSet, *options) {
	u := &say.Usage
	amount := func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.amount, "amount", "", u.FlagAmount) }
	subject := func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.subject, "subject", "", u.FlagSubject) }
	outTradeNo := func(fs *flag.FlagSet, o *options) {
		fs.StringVar(&o.outTradeNo, "out-trade-no", "", u.FlagOutTradeNo)
	}
	tradeNo := func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.tradeNo, "trade-no", "", u.FlagTradeNo) }
	outRequestNo := func(fs *flag.FlagSet, o *options) {
		fs.StringVar(&o.outRequestNo, "out-request-no", "", u.FlagOutRequestNo)
	}
	reason := func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.reason, "reason", "", u.FlagReason) }
	authCode := func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.authCode, "auth-code", "", u.FlagAuthCode) }
	switch method {
	case "precreate":
		return with(amount, subject, outTradeNo)
	case "pay":
		return with(amount, subject, outTradeNo, authCode)
	case "refund":
		return with(amount, outTradeNo, tradeNo, outRequestNo, reason)
	case "refund-query":
		return with(outTradeNo, tradeNo, outRequestNo)
	}
	return with(outTradeNo, tradeNo) // query, cancel, close
}

// apiMethodCommands are kiosk api's commands of the gateway's methods,
// one a method, each with its own flags.
func apiMethodCommands() []*command {
	var cs []*command
	for _, m := range pos.APIMethods {
		cs = append(cs, &command{path: "api " + m, summary: say.Usage.APIMethod.F(alipayMethods[m]),
			flags: with(configFlag, apiMethodFlags(m), apiFlags), run: apiCall(m)})
	}
	return cs
}

// alipayMethods are Alipay's names of kiosk api's methods.
var alipayMethods = map[string]string{
	"precreate": alipay.MethodPrecreate, "pay": alipay.MethodPay, "query": alipay.MethodQuery,
	"cancel": alipay.MethodCancel, "close": alipay.MethodClose, "refund": alipay.MethodRefund,
	"refund-query": alipay.MethodRefundQuery,
}

// payFlags are the flags of an order a buyer's app or browser pays: the
// page and WAP cashiers take a return URL, WAP a quit URL too.
func payFlags(product pos.PayProduct) func(*flag.FlagSet, *options) {
	return func(fs *flag.FlagSet, o *options) {
		u := &say.Usage
		fs.StringVar(&o.amount, "amount", "", u.FlagAmount)
		fs.StringVar(&o.subject, "subject", "", u.FlagSubject)
		fs.StringVar(&o.outTradeNo, "out-trade-no", "", u.FlagPayOutTradeNo)
		fs.StringVar(&o.notifyURL, "notify-url", "", u.FlagNotifyURL)
		durationFlag(fs, &o.timeoutExpress, "timeout-express", 0, u.FlagTimeoutExpress)
		if product != pos.PayApp {
			fs.StringVar(&o.returnURL, "return-url", "", u.FlagReturnURL)
		}
		if product == pos.PayWap {
			fs.StringVar(&o.quitURL, "quit-url", "", u.FlagQuitURL)
		}
	}
}

func emulatorAddrFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.addr, "addr", "", say.Usage.FlagPayAddr)
}

func buyerCodeFlags(fs *flag.FlagSet, o *options) {
	u := &say.Usage
	fs.BoolVar(&o.codeConfirm, "confirm", false, u.FlagCodeConfirm)
	fs.BoolVar(&o.codeInsufficient, "insufficient", false, u.FlagCodeInsufficient)
	fs.BoolVar(&o.codeExpired, "expired", false, u.FlagCodeExpired)
	fs.BoolVar(&o.codeRisk, "risk", false, u.FlagCodeRisk)
}

// with combines flag definitions.
func with(defs ...func(*flag.FlagSet, *options)) func(*flag.FlagSet, *options) {
	return func(fs *flag.FlagSet, o *options) {
		for _, d := range defs {
			d(fs, o)
		}
	}
}

// command is one line of the table: the words that name it, its flags, its
// positional arguments, what it does (for kiosk help) and how it runs.
type command struct {
	path    string // "ledger report"; "" for the counter
	args    string // its positional arguments, e.g. "FILE"; "" for none
	summary string
	flags   func(*flag.FlagSet, *options)
	run     func(*env) error
	noConf  bool                     // it reads no configuration
	badArgs func(got []string) error // the complaint about wrong arguments; nil for the usual one
	// refusesWhy says why it takes no such flag, for a flag its
	// neighbours take; the others are refused in the usual words.
	refusesWhy map[string]string
}

func (c *command) name() string       { return strings.TrimSpace("kiosk " + c.path) }
func (c *command) words() []string    { return strings.Fields(c.path) }
func (c *command) argWords() []string { return strings.Fields(c.args) }

// checkArgs refuses positional arguments the command does not take.
func (c *command) checkArgs(args []string) error {
	switch {
	case len(args) == len(c.argWords()):
		return nil
	case c.badArgs != nil:
		return c.badArgs(args)
	case c.path == "" && len(args) > 0:
		return unknownCommand(args[0], args[0])
	case c.args == "":
		return cli.UsageText(say.Usage.NoArguments.F(c.name(), args[0]), nil)
	}
	return cli.UsageText(say.Usage.WrongArguments.F(len(args), c.name(), c.args), nil)
}

// synopsis is the command with its flags and arguments, made from the
// flags' own definitions: `--name VALUE` with the value named in the
// flag's usage between back quotes. --lang is among them, for every
// command takes it (parse).
func (c *command) synopsis() string {
	fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
	c.flags(fs, new(options))
	langFlag(fs, new(options))
	parts := append([]string{c.name()}, c.argWords()...)
	fs.VisitAll(func(f *flag.Flag) {
		name, _ := flag.UnquoteUsage(f)
		if isBool(f) {
			parts = append(parts, "[--"+f.Name+"]")
			return
		}
		parts = append(parts, "[--"+f.Name+" "+name+"]")
	})
	return strings.Join(parts, " ")
}

// usage is what kiosk COMMAND --help prints: the synopsis, what the
// command does, and each of its flags with its meaning.
func (c *command) usage() string {
	if c.path == "" {
		return usageText()
	}
	var b strings.Builder
	b.WriteString(wrap(say.Usage.Synopsis.F(c.synopsis()), "", "    ", helpWidth))
	b.WriteString("\n" + wrap(c.summary, "", "", helpWidth))
	fs := flag.NewFlagSet(c.name(), flag.ContinueOnError)
	c.flags(fs, new(options))
	langFlag(fs, new(options))
	var rows [][]string
	fs.VisitAll(func(f *flag.Flag) {
		name, meaning := flag.UnquoteUsage(f)
		flagWords := "--" + f.Name
		if !isBool(f) {
			flagWords += " " + name
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" {
			meaning = say.Usage.FlagDefault.F(meaning, def)
		}
		rows = append(rows, []string{flagWords, meaning})
	})
	if len(rows) > 0 {
		b.WriteString("\n")
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		pad := strings.Repeat(" ", width-len(r[0])+3)
		b.WriteString(wrap(r[1], "  "+r[0]+pad, strings.Repeat(" ", width+5), helpWidth))
	}
	return b.String()
}

// isGroup reports whether word begins commands that have more words
// after it (kiosk ledger report, kiosk keys gen).
func isGroup(word string) bool {
	for _, c := range commands {
		if w := c.words(); len(w) > 1 && w[0] == word {
			return true
		}
	}
	return false
}

// groupUsage is what kiosk GROUP --help prints: the usage of the command
// the word alone names, if there is one (kiosk ledger, kiosk api), then
// the synopsis and purpose of each other command the word begins.
func groupUsage(group string) string {
	var b strings.Builder
	for _, c := range commands {
		if c.path == group {
			b.WriteString(c.usage() + "\n")
		}
	}
	for _, c := range commands {
		if w := c.words(); len(w) > 1 && w[0] == group {
			b.WriteString(wrap(c.synopsis(), "  ", "        ", helpWidth))
			b.WriteString(wrap(c.summary, "        ", "        ", helpWidth))
		}
	}
	b.WriteString("\n" + say.Usage.GroupFooter.F(group) + "\n")
	return b.String()
}

// versionText is what kiosk --version prints: the module's version and
// the commit it was built from, as the Go toolchain recorded them.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return say.Usage.NoVersion
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" {
		return say.Usage.NoCommit.F(info.Main.Version, info.GoVersion)
	}
	if settings["vcs.modified"] == "true" {
		rev += say.Usage.Modified
	}
	return say.Usage.Version.F(info.Main.Version, rev, cmp.Or(settings["vcs.time"], "-"), info.GoVersion)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// commands is the table of subcommands; the first whose words begin the
// arguments runs. Its summaries and flags are in the language spoken
// (speak makes it again).
var commands = commandTable()

func commandTable() []*command {
	u := &say.Usage
	table := []*command{
		{path: "ledger report", summary: u.LedgerReport,
			flags: with(configFlag, dataFlag, dateFlag, formatFlag("table", "json")), run: ledgerReport},
		{path: "ledger reconcile", summary: u.LedgerReconcile,
			flags: with(configFlag, dataFlag, dateFlag, formatFlag("table", "json"), func(fs *flag.FlagSet, o *options) {
				fs.BoolVar(&o.apply, "apply", false, u.FlagApply)
			}), run: ledgerReconcile},
		{path: "ledger check", summary: u.LedgerCheck,
			flags: with(configFlag, dataFlag), run: ledgerCheck},
		{path: "ledger backup", args: "FILE", summary: u.LedgerBackup,
			badArgs: func(got []string) error { return cli.UsageText(u.BackupArguments.F(len(got)), nil) },
			flags: with(configFlag, dataFlag, func(fs *flag.FlagSet, o *options) {
				fs.BoolVar(&o.force, "force", false, u.FlagForce)
			}), run: ledgerBackup},
		{path: "ledger", summary: u.Ledger,
			flags: with(configFlag, dataFlag, dateFlag, formatFlag("table", "json", "csv"), rangeFlags), run: ledgerExport},
		{path: "manager set-pin", summary: u.ManagerSetPIN,
			flags: with(configFlag, dataFlag, func(fs *flag.FlagSet, o *options) {
				fs.BoolVar(&o.resetPIN, "reset", false, u.FlagResetPIN)
			}), run: managerSetPIN},
		{path: "emulator serve", summary: u.EmulatorServe, noConf: true,
			flags: with(func(fs *flag.FlagSet, o *options) {
				fs.StringVar(&o.addr, "addr", "127.0.0.1:8780", u.FlagAddr)
				fs.StringVar(&o.keys, "keys", "emulator-keys", u.FlagKeys)
				fs.StringVar(&o.faults, "faults", "", u.FlagFaults)
				fs.StringVar(&o.state, "state", "", u.FlagState)
				fs.Float64Var(&o.notifyScale, "notify-scale", 1, u.FlagNotifyScale)
				fs.StringVar(&o.logFile, "log", "", u.FlagEmulatorLog)
			}), run: emulatorServe},
		{path: "emulator pay", args: "OUT_TRADE_NO", summary: u.EmulatorPay,
			badArgs: func([]string) error { return cli.UsageText(u.PayArguments, nil) },
			flags:   with(configFlag, dataFlag, emulatorAddrFlag), run: emulatorPay},
		{path: "emulator buyer-code", summary: u.EmulatorBuyerCode,
			flags: with(configFlag, dataFlag, emulatorAddrFlag, buyerCodeFlags), run: emulatorBuyerCode},
		{path: "emulator confirm", args: "CODE", summary: u.EmulatorConfirm,
			badArgs: func([]string) error { return cli.UsageText(u.ConfirmArguments, nil) },
			flags:   with(configFlag, dataFlag, emulatorAddrFlag), run: emulatorConfirm},
		{path: "api verify-notify", summary: u.APIVerifyNotify,
			flags: with(configFlag, func(fs *flag.FlagSet, o *options) {
				fs.StringVar(&o.amount, "amount", "", u.FlagNotifyAmount)
				fs.BoolVar(&o.allowRSA, "allow-rsa", false, u.FlagAllowRSA)
			}), run: apiVerifyNotify},
		{path: "api app-pay", summary: u.APIAppPay, flags: with(configFlag, payFlags(pos.PayApp)), run: apiPayString(pos.PayApp)},
		{path: "api page-pay", summary: u.APIPagePay, flags: with(configFlag, payFlags(pos.PayPage)), run: apiPayString(pos.PayPage)},
		{path: "api wap-pay", summary: u.APIWapPay, flags: with(configFlag, payFlags(pos.PayWap)), run: apiPayString(pos.PayWap)},
		{path: "api verify-md5", summary: u.APIVerifyMD5, noConf: true,
			flags: with(func(fs *flag.FlagSet, o *options) {
				fs.StringVar(&o.keyFile, "key-file", "", u.FlagKeyFile)
				fs.StringVar(&o.partner, "partner", "", u.FlagPartner)
				fs.StringVar(&o.gateway, "gateway", mapi.Gateway, u.FlagMD5Gateway)
				fs.StringVar(&o.amount, "amount", "", u.FlagFeeAmount)
			}), run: apiVerifyMD5},
		{path: "api", args: "METHOD", summary: u.API.F(strings.Join(pos.APIMethods, say.Punct.List)),
			flags: with(configFlag, apiFlags), run: apiNamed}, // a method none of the above: refused
		{path: "log", summary: u.Log,
			flags: with(configFlag, dataFlag, func(fs *flag.FlagSet, o *options) {
				fs.BoolVar(&o.follow, "follow", false, u.FlagFollow)
				fs.StringVar(&o.format, "format", "text", u.FlagFormat.F("text|json"))
			}), run: showLog},
		{path: "keys gen", summary: u.KeysGen, noConf: true,
			flags: with(func(fs *flag.FlagSet, o *options) {
				fs.StringVar(&o.dir, "dir", "", u.FlagKeysDir)
			}), run: keysGen},
		{path: "doctor", summary: u.Doctor,
			flags: with(configFlag, func(fs *flag.FlagSet, o *options) {
				durationFlag(fs, &o.timeout, "timeout", 10*time.Second, u.FlagDoctorTimeout)
			}), run: doctor},
		{path: "central report", summary: u.CentralReport,
			flags: with(configFlag, dateFlag, formatFlag("table", "json"), chainFilterFlags), run: centralReport},
		{path: "central ledger", summary: u.CentralLedger,
			flags: with(configFlag, dateFlag, formatFlag("table", "json", "csv"), rangeFlags, chainFilterFlags), run: centralLedger},
		{path: "central status", summary: u.CentralStatus,
			flags: with(configFlag, formatFlag("table", "json"), chainFilterFlags), run: centralStatus},
		{path: "central reconcile", summary: u.CentralReconcile,
			flags: with(configFlag, dataFlag, dateFlag, formatFlag("table", "json")), run: centralReconcile,
			// the whole merchant account against the bill: no store or terminal of it
			refusesWhy: map[string]string{"store": u.ReconcileFilters, "terminal": u.ReconcileFilters}},
		{path: "central verify", summary: u.CentralVerify,
			flags: with(configFlag, dataFlag, formatFlag("table", "json")), run: centralVerify},
		{path: "", summary: u.Counter,
			flags: with(configFlag, dataFlag, func(fs *flag.FlagSet, o *options) {
				durationFlag(fs, &o.qrTimeout, "qr-timeout", 0, u.FlagQRTimeout)
				durationFlag(fs, &o.pollInterval, "poll-interval", 0, u.FlagPollInterval)
				fs.BoolVar(&o.newLedger, "new-ledger", false, u.FlagNewLedger)
			}), run: runCounter},
	}
	// the gateway's methods first among kiosk api's commands
	first := slices.IndexFunc(table, func(c *command) bool { return strings.HasPrefix(c.path, "api ") })
	return slices.Insert(table, first, apiMethodCommands()...)
}

// groups are the words that only begin commands, with what may follow.
var groups = groupTable()

func groupTable() map[string]string {
	return map[string]string{
		"emulator": say.Usage.EmulatorSubs,
		"keys":     say.Usage.KeysSubs,
		"central":  say.Usage.CentralSubs,
	}
}

// findCommand is the command args name and the arguments left for it, or
// nil and the complaint. The counter takes what names no other command.
func findCommand(args []string) (*command, []string) {
	counter := commands[len(commands)-1]
	for _, c := range commands[:len(commands)-1] {
		w := c.words()
		if len(args) >= len(w) && slices.Equal(args[:len(w)], w) {
			if c.path == "api" && len(args) == 1 {
				break
			}
			if c.path == "api" && !strings.HasPrefix(args[1], "-") {
				return nil, []string{say.Usage.UnknownMethod.F(args[1], strings.Join(apiMethods(), say.Punct.List))}
			}
			return c, args[len(w):]
		}
	}
	if len(args) == 0 {
		return counter, args
	}
	switch sub, ok := groups[args[0]]; {
	case args[0] == "manager":
		return nil, []string{say.Usage.ManagerNeeds}
	case args[0] == "api":
		return nil, []string{say.Usage.APINeeds.F(strings.Join(apiMethods(), say.Punct.List))}
	case ok && len(args) == 1:
		return nil, []string{say.Usage.NeedsSubcommand.F(args[0], sub)}
	case ok:
		return nil, []string{say.Usage.UnknownSubcommand.F(args[0], args[1], sub)}
	}
	return counter, args
}

// unknownCommand refuses what names no command, and suggests the
// commands word likely meant.
func unknownCommand(what, word string) error {
	u := &say.Usage
	maybe := likelyCommands(word)
	if len(maybe) == 0 {
		return cli.UsageText(u.UnknownCommand.F(what), nil)
	}
	list := strings.Join(maybe[:len(maybe)-1], say.Punct.List)
	if list != "" {
		list += u.Or
	}
	return cli.UsageText(u.DidYouMean.F(what, list+maybe[len(maybe)-1]), nil)
}

// likelyCommands are the commands of the table that word likely meant:
// those it is a later word of (report: kiosk ledger report, kiosk
// central report), else those whose first word is spelt nearly as it is
// (leger: kiosk ledger), else those with a later word that is (reprot:
// kiosk ledger report).
func likelyCommands(word string) []string {
	var sub, first, later []string
	add := func(list *[]string, s string) {
		if !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, c := range commands {
		w := c.words()
		switch {
		case len(w) == 0:
		case slices.Contains(w[1:], word):
			add(&sub, c.name())
		case nearlySpelt(word, w[0]):
			add(&first, "kiosk "+w[0])
		case slices.ContainsFunc(w[1:], func(x string) bool { return nearlySpelt(word, x) }):
			add(&later, c.name())
		}
	}
	if nearlySpelt(word, "help") {
		add(&first, "kiosk help")
	}
	for _, list := range [][]string{sub, first} {
		if len(list) > 0 {
			return list
		}
	}
	return later
}

// nearlySpelt reports whether a is b misspelt: a letter wrong, missing
// or extra (two of those, or two letters swapped, in words of five
// letters or more).
func nearlySpelt(a, b string) bool {
	most := 1
	if len(b) >= 5 {
		most = 2
	}
	return a != b && editDistance(a, b) <= most
}

func apiMethods() []string {
	return append(slices.Clone(pos.APIMethods), "verify-notify", "app-pay", "page-pay", "wap-pay", "verify-md5")
}

// usageText is what kiosk help prints: each command's synopsis, made from
// its flags, and what it does.
func usageText() string {
	var b strings.Builder
	b.WriteString(say.Usage.Header + "\n\n")
	shown := append([]*command{commands[len(commands)-1]}, commands[:len(commands)-1]...) // the counter first
	for _, c := range shown {
		b.WriteString(wrap(c.synopsis(), "  ", "        ", helpWidth))
		b.WriteString(wrap(c.summary, "        ", "        ", helpWidth))
	}
	b.WriteString("\n")
	for _, paragraph := range strings.Split(say.Usage.Footer, "\n") {
		b.WriteString(wrap(paragraph, "", "", helpWidth))
	}
	return b.String()
}

// helpWidth is how wide the help's lines may be: a terminal's 80 columns.
const helpWidth = 80

// wrap breaks s into lines of at most width display cells (a Chinese
// character takes two), the first indented by first and the rest by rest:
// at spaces, and between two Chinese characters, which have none between
// them. A bracketed group of a synopsis ([--format table|json]) is never
// broken: a flag stays on the line of its value.
func wrap(s, first, rest string, width int) string {
	var b strings.Builder
	line, blank := first, true // blank: the line holds its indent alone
	for _, word := range wrapWords(s) {
		pieces := []string{word}
		if !strings.HasPrefix(word, "[") {
			pieces = wrapPieces(word)
		}
		for i, piece := range pieces {
			sep := " "
			if i > 0 || blank {
				sep = ""
			}
			if !blank && ansi.StringWidth(line)+len(sep)+ansi.StringWidth(piece) > width {
				b.WriteString(line + "\n")
				line, blank, sep = rest, true, ""
			}
			line, blank = line+sep+piece, false
		}
	}
	b.WriteString(line + "\n")
	return b.String()
}

// wrapWords are the words of s, split at white space except inside
// square brackets, whose group is one word with its spaces.
func wrapWords(s string) []string {
	var words []string
	depth := 0
	for _, field := range strings.Fields(s) {
		if depth > 0 {
			words[len(words)-1] += " " + field
		} else {
			words = append(words, field)
		}
		depth = max(0, depth+strings.Count(field, "[")-strings.Count(field, "]"))
	}
	return words
}

// wrapPieces splits a word where a line may break inside it: before and
// after each wide character, but never before closing punctuation (、，。）…)
// nor after opening punctuation (（「…), which keep to the piece they close
// or open. A word of narrow characters is one piece.
func wrapPieces(word string) []string {
	var pieces []string
	start, glue := 0, false // glue: the last piece opens, so the next joins it
	add := func(piece string) {
		r, _ := utf8.DecodeRuneInString(piece)
		if n := len(pieces); n > 0 && (glue || strings.ContainsRune(closingPunct, r)) {
			pieces[n-1] += piece
		} else {
			pieces = append(pieces, piece)
		}
		last, _ := utf8.DecodeLastRuneInString(piece)
		glue = strings.ContainsRune(openingPunct, last)
	}
	for i, r := range word {
		if r == ',' && i+1 < len(word) { // a list such as --faults' example
			add(word[start : i+1])
			start = i + 1
			continue
		}
		if ansi.StringWidth(string(r)) < 2 {
			continue
		}
		if start < i {
			add(word[start:i])
		}
		add(string(r))
		start = i + utf8.RuneLen(r)
	}
	if start < len(word) {
		add(word[start:])
	}
	return pieces
}

// A line of Chinese never starts with closing punctuation nor ends with
// opening punctuation.
const (
	closingPunct = "、，。：；！？）」』】》〉…·,.:;!?)]}"
	openingPunct = "（「『【《〈([{"
)

// The ledger: read-only beside a running kiosk.

func withOffice(e *env, fn func(*pos.Office) error) error {
	office, err := pos.OpenOffice(e.dataDir(), e.checked.loc)
	if err != nil {
		return cli.OpeningTheLedger(err, e.dataDir())
	}
	defer office.Close()
	return fn(office)
}

func ledgerExport(e *env) error {
	o := e.opts
	q := cli.DayQuery{Date: o.date, From: o.from, To: o.to, Format: o.format, BOM: o.bom, Width: tableWidth(e.io.out, os.Getenv)}
	if err := q.Check(); err != nil {
		return err
	}
	return withOffice(e, func(office *pos.Office) error { return cli.Export(e.io.out, office, q) })
}

// tableWidth is the columns a table for people fits when written to w:
// the terminal's, when w is one; otherwise COLUMNS when it is set, or a
// terminal's usual 80 (a pager, a file to print). Programs read --format
// csv or json, which keep every column.
func tableWidth(w io.Writer, getenv func(string) string) int {
	if n := terminalWidth(w); n > 0 {
		return n
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return helpWidth
}

// terminalWidth is the columns of the terminal w is, or 0 when w is not
// one (a file, a pipe).
func terminalWidth(w io.Writer) int {
	f, ok := w.(interface{ Fd() uintptr }) // an *os.File, or a localeWriter
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

func ledgerReport(e *env) error {
	return withOffice(e, func(office *pos.Office) error { return cli.PrintReport(e.io.out, office, e.opts.date, e.opts.format) })
}

func ledgerCheck(e *env) error {
	return withOffice(e, func(office *pos.Office) error { return cli.Check(e.io.out, office) })
}

func ledgerBackup(e *env) error {
	return withOffice(e, func(office *pos.Office) error { return cli.Backup(e.io.out, office, e.args[0], e.opts.force) })
}

// ledgerReconcile compares a day of the ledger with Alipay's own record:
// a query per sale, and the day's bill where one can be had.
func ledgerReconcile(e *env) error {
	if err := cli.CheckDate("--date", e.opts.date); err != nil {
		return err
	}
	client, err := reconcileClient(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if e.opts.apply { // beside the running kiosk: see pos.OpenSettings
		settings, err := pos.OpenSettings(e.dataDir(), e.checked.loc)
		if err != nil {
			return cli.LedgerTrouble(cli.AsUsage(err), e.dataDir())
		}
		defer settings.Close()
		return cli.ReconcileApply(ctx, e.io.in, e.io.diag, e.io.out, settings, client, cmp.Or(e.opts.date, settings.Today()), e.opts.format)
	}
	return withOffice(e, func(office *pos.Office) error {
		rec, err := office.Reconcile(ctx, client, cmp.Or(e.opts.date, office.Today()))
		if err != nil {
			return cli.LedgerTrouble(cli.AsUsage(err), office.Dir())
		}
		return cli.Reconciliation(e.io.out, rec, e.opts.format, cli.TheLedger)
	})
}

// reconcileClient talks to the gateway the configuration names, or else to
// the emulator of the kiosk running on the data directory.
func reconcileClient(e *env) (*alipay.Client, error) {
	var emu *emulatorAt
	if e.cfg.usesEmulator() {
		dir := e.dataDir()
		var err error
		if emu, err = runningEmulator(dir); errors.Is(err, emulator.ErrNotRunning) {
			return nil, cli.UsageText(say.Usage.ReconcileGateway.F(dir), err)
		} else if err != nil {
			return nil, err
		}
	}
	return e.cfg.newClient(emu)
}

// managerSetPIN sets the PIN that approves refunds and closes the day, or
// changes it given the current one, or with --reset replaces a forgotten
// one without it, while the kiosk runs too: see pos.OpenSettings. The
// kiosk's screens never set the first PIN; this command is where it is
// set.
func managerSetPIN(e *env) error {
	dir := e.dataDir()
	settings, err := pos.OpenSettings(dir, e.checked.loc)
	if err != nil {
		return cli.OpeningTheLedger(err, dir) // never in use: it opens beside a running kiosk
	}
	defer settings.Close()
	if e.opts.resetPIN {
		return cli.ResetPIN(e.io.in, e.io.diag, e.io.out, settings)
	}
	return cli.SetPIN(e.io.in, e.io.diag, e.io.out, settings)
}

// The emulator.

// emulatorServe runs the emulator standalone and writes a kiosk.toml that
// points a kiosk at it. It takes the address first, so that one in use
// is refused before a key file or the config is written; its log is a
// short line per call on the terminal, in Alipay's zone, and JSON in
// --log's file.
func emulatorServe(e *env) error {
	o := e.opts
	var faults *emulator.Faults
	if o.faults != "" {
		f, err := emulator.ParseFaults(o.faults)
		if err != nil {
			return cli.UsageText(say.Usage.Faults.F(faultSpecText(err)), err)
		}
		faults = &f
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return cli.UsageText(say.Usage.Listen.F(o.addr, say.SystemReason(err)), err)
	}
	defer ln.Close() // once served, closed by the server
	logger, closeLog, err := serveLogger(e.io.diag, o.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	keys, created, err := emulator.LoadOrCreateKeys(o.keys)
	if err != nil {
		return cli.UsageText(say.System.EmulatorKeys.F(o.keys, say.SystemReason(err)), err)
	}
	cfg := emulator.ServerConfig(keys, logger)
	cfg.StatePath, cfg.NotifyScale, cfg.Faults = o.state, o.notifyScale, faults
	cfg.Page, cfg.Index = customerPage(), emulatorIndex()
	srv, err := emulator.Serve(ln, cfg)
	if err != nil {
		return cli.Usage(emulatorStateTrouble(err))
	}
	defer srv.Close()
	cfgPath, err := emulator.WriteKioskConfigWith(o.keys, emulator.ReachableURL(srv.URL), emulatorConfigWords())
	if err != nil {
		return err
	}
	cli.ServeBanner(e.io.out, srv.URL, o.keys, cfgPath, created)
	cli.ServeLog(e.io.out, alipay.Location().String(), o.logFile)
	ctx, stop := serveUntil()
	defer stop()
	<-ctx.Done()
	if err := srv.Close(); err != nil { // the state file written last
		return err
	}
	cli.ServeStopped(e.io.out, o.state)
	return nil
}

// customerPage is the words of the emulator's pages that play the
// customer's Alipay app, in the language the kiosk speaks.
func customerPage() emulator.PageWords { return emulator.PageWords(say.Emulator.Page) }

// emulatorIndex is the words of the emulator's page at /, in the language
// the kiosk speaks.
func emulatorIndex() emulator.IndexWords { return emulator.IndexWords(say.Emulator.Index) }

// emulatorConfigWords is the comments of the kiosk.toml emulator serve
// writes, in the language the kiosk speaks.
func emulatorConfigWords() emulator.ConfigWords {
	return emulator.ConfigWords{WrittenBy: string(say.Emulator.ConfigWrittenBy), Protocol: say.Emulator.ConfigProtocol}
}

// serveUntil is how long kiosk emulator serve serves: until Ctrl+C or
// SIGTERM (a test stops it sooner).
var serveUntil = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// serveLogger is the standalone emulator's log: a line per record on
// diag, in Alipay's zone, and with a file named, JSON appended to it.
func serveLogger(diag io.Writer, file string) (*slog.Logger, func(), error) {
	terminal := cli.EmulatorLog(diag, alipay.Location())
	if file == "" {
		return slog.New(terminal), func() {}, nil
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, cli.UsageText(say.Usage.LogFile.F(file, say.SystemReason(err)), err)
	}
	return slog.New(slog.NewMultiHandler(terminal, slog.NewJSONHandler(f, nil))), func() { _ = f.Close() }, nil
}

// faultSpecText says what is wrong in a --faults spec, from the
// emulator's typed error.
func faultSpecText(err error) string {
	fe, ok := errors.AsType[*emulator.FaultSpecError](err)
	if !ok {
		return err.Error()
	}
	u, item := &say.Usage, fe.Key+"="+fe.Value
	switch fe.Problem {
	case emulator.FaultNotKeyValue:
		return u.FaultNotKeyValue.F(fe.Key)
	case emulator.FaultGivenTwice:
		return u.FaultGivenTwice.F(fe.Key)
	case emulator.FaultUnknownKey:
		return u.FaultUnknownKey.F(fe.Key, strings.Join(fe.Known, say.Punct.List))
	case emulator.FaultUnknownMethod:
		return u.FaultUnknownMethod.F(fe.Value, strings.Join(fe.Known, say.Punct.List))
	case emulator.FaultBadRate:
		return u.FaultBadRate.F(item)
	case emulator.FaultBadDuration:
		return u.FaultBadDuration.F(item)
	case emulator.FaultBadNumber:
		return u.FaultBadNumber.F(item)
	case emulator.FaultNegative:
		return u.FaultNegative.F(item)
	case emulator.FaultRatesSum:
		return u.FaultRatesSum.F(strconv.FormatFloat(fe.Sum, 'g', 4, 64))
	}
	return err.Error()
}

// emulatorPay plays the customer for one sale on a standalone emulator
// (--addr) or on the embedded one of the kiosk running on the data
// directory.
func emulatorPay(e *env) error {
	base, err := emulatorBase(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	paid, err := emulator.PayRemote(ctx, base, e.args[0])
	if err != nil {
		return emulatorPayFailed(err, base, e.args[0])
	}
	cli.PaidAmount(e.io.out, paid.TotalFen(), paid.OutTradeNo)
	return nil
}

// emulatorPayFailed words why the emulator at base did not pay the order:
// its refusal's code (it has no such order, the order is closed, its QR
// code expired), or it did not answer.
func emulatorPayFailed(err error, base, outTradeNo string) error {
	sw := &say.System
	switch {
	case errors.Is(err, emulator.ErrNoSuchTrade):
		return cli.UsageText(sw.EmulatorNoTrade.F(outTradeNo, base), err)
	case errors.Is(err, emulator.ErrExpired):
		return cli.Failed(sw.EmulatorPayExpired.F(outTradeNo, base), err)
	case errors.Is(err, emulator.ErrTradeClosed):
		return cli.Failed(sw.EmulatorPayClosed.F(outTradeNo, base), err)
	}
	if refusal, ok := emulator.RefusalOf(err); ok {
		return cli.Failed(sw.EmulatorRefusedAs.F(outTradeNo, base, string(refusal)), err)
	}
	if down := emulatorDown(err, base); down != nil {
		return down
	}
	return cli.Failed(sw.EmulatorRefused.F(outTradeNo, base, say.SystemReason(err)), err)
}

// emulatorDown words an emulator at base that did not answer; nil if it
// answered (and refused).
func emulatorDown(err error, base string) error {
	if errors.As(err, new(*url.Error)) {
		return cli.Failed(say.System.EmulatorDown.F(base, say.SystemReason(err)), err)
	}
	return nil
}

// emulatorBuyerCode prints a payment code the emulated customer shows:
// one line of digits, for a scanner's place in a script or a test.
func emulatorBuyerCode(e *env) error {
	kind, err := e.opts.buyerCodeKind()
	if err != nil {
		return err
	}
	base, err := emulatorBase(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code, err := emulator.IssueBuyerCodeRemote(ctx, base, kind)
	if err != nil {
		return cmp.Or(emulatorDown(err, base), err)
	}
	cli.BuyerCode(e.io.out, code)
	return nil
}

// buyerCodeKind is the kind the flags ask for: at most one of them.
func (o options) buyerCodeKind() (emulator.BuyerCodeKind, error) {
	kinds := map[emulator.BuyerCodeKind]bool{
		emulator.BuyerCodeConfirm: o.codeConfirm, emulator.BuyerCodeInsufficient: o.codeInsufficient,
		emulator.BuyerCodeExpired: o.codeExpired, emulator.BuyerCodeRisk: o.codeRisk,
	}
	kind := emulator.BuyerCodePay
	for k, set := range kinds {
		if set && kind != emulator.BuyerCodePay {
			return "", cli.UsageText(say.Usage.OneCodeKind, nil)
		}
		if set {
			kind = k
		}
	}
	return kind, nil
}

// emulatorConfirm is the customer confirming on the phone the charge a
// --confirm code started.
func emulatorConfirm(e *env) error {
	base, err := emulatorBase(e)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := emulator.ConfirmBuyerCodeRemote(ctx, base, e.args[0]); err != nil {
		return emulatorConfirmFailed(err, base, e.args[0])
	}
	cli.Confirmed(e.io.out, e.args[0])
	return nil
}

// emulatorConfirmFailed words why the emulator at base did not confirm
// code: the emulator's own answer (its error's kind), or no answer.
func emulatorConfirmFailed(err error, base, code string) error {
	sw := &say.System
	switch {
	case errors.Is(err, emulator.ErrNoSuchCode):
		return cli.UsageText(sw.EmulatorNoCode.F(code, base), err)
	case errors.Is(err, emulator.ErrNothingToConfirm):
		return cli.Failed(sw.EmulatorNothingToConfirm.F(code, base), err)
	case errors.Is(err, emulator.ErrTradeClosed):
		return cli.Failed(sw.EmulatorConfirmClosed.F(code, base), err)
	}
	return cmp.Or(emulatorDown(err, base), err)
}

func emulatorBase(e *env) (string, error) {
	if e.opts.addr != "" {
		return emulator.BaseURL(e.opts.addr), nil
	}
	dir := e.dataDir()
	base, err := emulator.EmbeddedURL(dir)
	if errors.Is(err, emulator.ErrNotRunning) {
		return "", cli.UsageText(say.Usage.NoEmulator.F(dir), err)
	}
	return base, err
}

// kiosk api.

// apiCall calls one gateway method and prints Alipay's verified answer, and
// with --verbose the exchange.
// apiNamed calls the method kiosk api's argument names, when it is one
// (kiosk api --verbose query: the flags it takes are only apiFlags).
func apiNamed(e *env) error {
	if method := e.args[0]; slices.Contains(pos.APIMethods, method) {
		return apiCall(method)(e)
	}
	return cli.UsageText(say.Usage.UnknownMethod.F(e.args[0], strings.Join(apiMethods(), say.Punct.List)), nil)
}

// apiCall calls the gateway's method with the flags given.
func apiCall(method string) func(*env) error {
	return func(e *env) error { return callAPI(e, method) }
}

func callAPI(e *env, method string) error {
	o := e.opts
	if e.cfg.usesEmulator() {
		return cli.UsageText(say.Usage.APINeedsConfig, nil)
	}
	cfg := e.cfg
	if o.protocol != "" {
		cfg.Protocol = o.protocol
		cfg.origins = cfg.origins.with("protocol", origin{flag: "protocol"})
	}
	trace := new(alipay.Trace)
	client, err := cfg.newClient(nil, alipay.WithHTTPClient(&http.Client{Timeout: o.timeout}), alipay.WithTrace(trace))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	return cli.API(ctx, e.io.out, e.io.diag, pos.NewConsole(client, trace), cli.APICall{
		Method: method, Amount: o.amount, Subject: cmp.Or(o.subject, e.cfg.subject()), OutTradeNo: o.outTradeNo, TradeNo: o.tradeNo,
		OutRequestNo: o.outRequestNo, Reason: o.reason, AuthCode: o.authCode, Verbose: o.verbose, Keys: e.cfg.keyFacts(),
	})
}

// apiVerifyNotify reads a notification body (form-encoded) and says
// whether it verifies and why not.
func apiVerifyNotify(e *env) error {
	if e.cfg.usesEmulator() {
		return cli.UsageText(say.Usage.VerifyNeedsConfig, nil)
	}
	acfg, _, err := e.cfg.clientConfig()
	if err != nil {
		return cli.Usage(err)
	}
	v := &alipay.NotifyVerifier{AlipayPublicKey: acfg.AlipayPublicKey, AppID: acfg.AppID, SellerID: e.cfg.SellerID, AllowRSA: e.opts.allowRSA}
	n, err := pos.VerifyNotification(v, e.io.in, e.opts.amount)
	return cli.VerifiedNotification(e.io.out, n, err, e.cfg.SellerID, e.opts.amount)
}

// apiPayString prints the signed order of product: App pay's order
// string, or the page or WAP cashier's URL. Nothing is sent to Alipay.
func apiPayString(product pos.PayProduct) func(*env) error {
	return func(e *env) error {
		o := e.opts
		if e.cfg.usesEmulator() {
			return cli.UsageText(say.Usage.PayNeedsConfig.F(string(product)+"-pay"), nil)
		}
		client, err := e.cfg.newClient(nil)
		if err != nil {
			return err
		}
		return cli.PayString(e.io.out, pos.NewConsole(client, nil), cli.PayCall{
			Product: product, Amount: o.amount, Subject: cmp.Or(o.subject, e.cfg.subject()), OutTradeNo: o.outTradeNo,
			NotifyURL: o.notifyURL, ReturnURL: o.returnURL, QuitURL: o.quitURL, Timeout: o.timeoutExpress,
		})
	}
}

// apiVerifyMD5 checks a notification of the legacy MD5 gateway, read from
// standard input, with the contract's key in --key-file.
func apiVerifyMD5(e *env) error {
	o := e.opts
	if o.keyFile == "" {
		return cli.UsageText(say.Console.MD5NeedsKey, nil)
	}
	key, err := os.ReadFile(o.keyFile)
	if err != nil {
		return cli.UsageText(say.Console.MD5KeyFile.F(o.keyFile, say.SystemReason(err)), err)
	}
	n, err := pos.VerifyLegacyNotification(e.io.in, pos.LegacyCheck{
		Key: strings.TrimSpace(string(key)), Partner: o.partner, Gateway: o.gateway, Amount: o.amount,
	})
	return cli.VerifiedLegacyNotification(e.io.out, n, err, o.amount)
}

// Head office, which kiosk central reads from its PostgreSQL only.

// withChain runs fn on head office's database, on the day --date names
// (default today in the shop's zone).
func withChain(e *env, fn func(ctx context.Context, c *pos.Chain, date string) error) error {
	if e.cfg.CentralLedger == "" {
		return cli.UsageText(say.Usage.NoHeadOffice, nil)
	}
	if err := cli.CheckDate("--date", e.opts.date); err != nil {
		return err
	}
	date := cmp.Or(e.opts.date, time.Now().In(e.checked.loc).Format(time.DateOnly))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pos.OpenChain(ctx, e.cfg.CentralLedger)
	if err != nil {
		return cli.Failed(say.System.HeadOfficeDown.F(say.SystemReason(err)), err)
	}
	defer c.Close()
	return cli.AsUsage(fn(ctx, c, date))
}

func (e *env) chainFilter() pos.ChainFilter {
	return pos.ChainFilter{Store: e.opts.store, Terminal: e.opts.terminal}
}

func centralReport(e *env) error {
	return withChain(e, func(ctx context.Context, c *pos.Chain, date string) error {
		return cli.ChainReport(ctx, e.io.out, c, date, e.opts.format, e.chainFilter())
	})
}

func centralLedger(e *env) error {
	o := e.opts
	if err := (cli.DayQuery{Date: o.date, From: o.from, To: o.to}).Check(); err != nil {
		return err
	}
	return withChain(e, func(ctx context.Context, c *pos.Chain, date string) error {
		return cli.ChainLedger(ctx, e.io.out, c, cli.DayQuery{Date: date, From: o.from, To: o.to, Format: o.format, BOM: o.bom,
			Width: tableWidth(e.io.out, os.Getenv)}, e.chainFilter())
	})
}

func centralStatus(e *env) error {
	return withChain(e, func(ctx context.Context, c *pos.Chain, _ string) error {
		return cli.ChainStatus(ctx, e.io.out, c, e.opts.format, e.chainFilter(), e.checked.loc)
	})
}

// centralReconcile compares the chain's day with Alipay's bill for the
// merchant account, as `kiosk ledger reconcile` does for one kiosk.
func centralReconcile(e *env) error {
	if err := cli.CheckDate("--date", e.opts.date); err != nil {
		return err
	}
	client, err := reconcileClient(e)
	if err != nil {
		return err
	}
	return withChain(e, func(ctx context.Context, c *pos.Chain, date string) error {
		days, err := c.Days(ctx, date, date, pos.ChainFilter{})
		if err != nil {
			return err
		}
		return cli.Reconciliation(e.io.out, pos.ReconcileDay(ctx, client, days[0]), e.opts.format, cli.HeadOfficeLedger)
	})
}

// centralVerify compares one kiosk's ledger, opened read-only, with head
// office event by event.
func centralVerify(e *env) error {
	dir := e.dataDir()
	return withOffice(e, func(office *pos.Office) error {
		terminal := cmp.Or(e.cfg.TerminalID, pos.DefaultTerminalID)
		return withChain(e, func(ctx context.Context, c *pos.Chain, _ string) error {
			v, err := c.Verify(ctx, office, terminal)
			if err != nil {
				return cli.LedgerTrouble(err, dir)
			}
			return cli.Verification(e.io.out, dir, v, e.opts.format)
		})
	})
}

// The counter.

// runCounter runs the cashier's screen.
func runCounter(e *env) error {
	cfg, o := e.cfg, e.opts
	if o.qrTimeout != 0 {
		cfg.QRTimeout.Duration = o.qrTimeout
		cfg.origins = cfg.origins.with("qr_timeout", origin{flag: "qr-timeout"})
	}
	if o.pollInterval != 0 {
		cfg.PollInterval.Duration = o.pollInterval
		cfg.origins = cfg.origins.with("poll_interval", origin{flag: "poll-interval"})
	}
	plan, err := planCounter(cfg)
	if err != nil {
		return err
	}
	plan.newLedger = o.newLedger
	for _, w := range plan.warnings {
		fmt.Fprintln(e.io.diag, "kiosk:", say.Usage.Warning.F(w)) // seen again when the screen closes
	}
	if !term.IsTerminal(int(os.Stdout.Fd())) {
		return cli.UsageText(say.Usage.NotATerminal, nil)
	}
	tuneGCForTheCounter()
	return runScreen(plan, dataDir(o.data, cfg.DataDir))
}

// counterGCPercent is the garbage collector's target while the counter
// runs: collect once the heap has grown to five times what the last
// collection kept, where Go's default (GOGC=100) is twice. The counter
// keeps 4 to 5 MB live and makes about 1.2 MB of garbage per sale (most
// of it the screens it draws), so by default it collects every few
// sales, and a receipt whose notification arrives during a collection
// waits the longer: in BenchmarkNotificationToReceipt (see BENCHMARKS.md)
// the receipt's p99 was a quarter to a third lower at 400, and its
// median unchanged. The cost is a heap of up to about 30 MB (with the
// embedded emulator and a day of 1,000 sales) where it was about 12.
const counterGCPercent = 400

// tuneGCForTheCounter sets counterGCPercent, unless GOGC is set: the
// operator's choice wins. It returns what restores the setting before.
func tuneGCForTheCounter() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	before := debug.SetGCPercent(counterGCPercent)
	return func() { debug.SetGCPercent(before) }
}

// runScreen opens the counter in dir while the screen starts, so that
// the first frame, which says the kiosk is starting, does not wait for
// the ledger, the keys and the gateway; then it shows the counter until
// the cashier quits or the process is told to stop. A stop cancels the
// sale on screen first, and one that does not end in time ends the
// process. A counter that cannot open ends the screen and is refused as
// openCounter refuses it.
func runScreen(plan counterPlan, dir string) error {
	var c *counter
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	open := func() (ui.Model, error) {
		var err error
		if c, err = openCounter(plan, dir); err != nil {
			return ui.Model{}, err
		}
		return ui.New(c.register, c.uiOptions()), nil
	}
	stopTimeout := errors.New(say.Run.StopTimeout.F(ui.StopTimeout))
	err := ui.RunOpening(ui.Opening{ShopName: plan.shopName, Words: say, Said: os.Stderr}, open, func() {
		fmt.Fprintln(os.Stderr, "kiosk:", stopTimeout)
		os.Exit(exitError)
	})
	if errors.Is(err, ui.ErrStopTimeout) {
		return stopTimeout
	}
	return err
}

// counter holds the running parts, closed in reverse order.
type counter struct {
	dir            string
	ledger         *store.Store
	server         *emulator.Server
	emulatorKeys   *emulator.Keys
	register       *pos.Register
	shopName       string
	printer        *receiptPrinter // nil: no printer
	printerPlan    *printerPlan
	warnings       []string
	logFile        io.Closer
	notifyListener net.Listener
	notifyServer   *http.Server
	shipper        *runningShipper
}

// openCounter starts the counter's parts in dir. Whatever can be refused
// for a reason the user must fix (the notify address taken, the emulator's
// keys damaged, the ledger held by another kiosk) is refused before the
// first file is created, so that exit status 2 means nothing was done.
func openCounter(plan counterPlan, dir string) (*counter, error) {
	c := &counter{dir: dir, shopName: plan.shopName, warnings: plan.warnings, printerPlan: plan.printer}
	if err := c.open(plan); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *counter) open(plan counterPlan) error {
	if err := c.check(&plan); err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return cli.UsageText(say.Usage.DataDir.F(c.dir, say.SystemReason(err)), err)
	}
	var err error
	// The ledger refuses a second kiosk on the directory; on a directory
	// that held one it creates nothing, and on a new one it is the first
	// file. A damaged or missing ledger is refused in one line.
	c.ledger, err = pos.OpenLedger(c.dir, plan.pos.Location, plan.newLedger)
	if err != nil {
		return cli.OpeningTheCounter(err, c.dir)
	}
	logger := c.openLog()
	logger.Info("kiosk started", "mode", string(plan.pos.Mode), "gateway", plan.gatewayName())
	for _, w := range plan.warnings {
		logger.Warn("config warning", "warning", w)
	}
	if plan.printer != nil {
		c.printer = newReceiptPrinter(*plan.printer, logger)
	}
	gw, sim, err := c.gateway(plan, logger)
	if err != nil {
		return err
	}
	opts := []pos.Option{pos.WithLogger(logger), pos.WithBackOffice(c.ledger, gw), pos.WithCounterSettings(c.ledger),
		pos.WithPrintMarks(c.ledger)}
	if plan.central != nil {
		if c.shipper, err = startShipper(c.ledger, *plan.central, logger); err != nil {
			return err
		}
		opts = append(opts, pos.WithHeadOffice(c.shipper))
	}
	if sim != nil {
		opts = append(opts, pos.WithBuyerSimulator(sim))
	}
	if c.notifyListener != nil {
		opts = append(opts, pos.WithNotifications(c.notifyVerifier(plan)))
	}
	if c.register, err = pos.New(plan.pos, gw, c.ledger, opts...); err != nil {
		return cli.Usage(err)
	}
	if c.notifyListener != nil {
		c.notifyServer = c.register.ServeNotifications(c.notifyListener, plan.notify, logger)
	}
	return nil
}

// check does what can fail for a usage reason and writes nothing: it takes
// the notify address and reads the embedded emulator's keys if an earlier
// run made them.
func (c *counter) check(plan *counterPlan) error {
	if plan.notifyAddr != "" {
		if err := c.listenForNotifications(plan); err != nil {
			return err
		}
	}
	if plan.client != nil {
		return nil
	}
	dir := filepath.Join(c.dir, emulator.KeysDir)
	for _, name := range []string{emulator.AppPrivateKeyFile, emulator.AppPublicKeyFile, emulator.AlipayPrivateKeyFile, emulator.AlipayPublicKeyFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			// With any of the files there, this loads the set or refuses it; it
			// makes keys only in a directory that has none.
			keys, _, err := emulator.LoadOrCreateKeys(dir)
			if err != nil {
				return c.keysTrouble(err)
			}
			c.emulatorKeys = keys
			return nil
		}
	}
	return nil
}

// keysTrouble words why the embedded emulator's keys could not be read or
// made: a data directory the system refused is said as the system said it.
func (c *counter) keysTrouble(err error) error {
	if errors.As(err, new(*fs.PathError)) {
		return cli.UsageText(say.Usage.DataDir.F(c.dir, say.SystemReason(err)), err)
	}
	return cli.Usage(err)
}

// listenForNotifications takes the notify address before the register is
// built, so that an address picked by the system can go into notify_url.
func (c *counter) listenForNotifications(plan *counterPlan) error {
	ln, err := net.Listen("tcp", plan.notifyAddr)
	if err != nil {
		return cli.UsageText(say.Usage.NotifyAddr.F(plan.notifyAddr, say.SystemReason(err)), err)
	}
	c.notifyListener = ln
	if plan.pos.NotifyURL == "" {
		plan.pos.NotifyURL = "http://" + ln.Addr().String() + pos.NotifyPath
	}
	return nil
}

func (c *counter) notifyVerifier(plan counterPlan) *alipay.NotifyVerifier {
	if plan.client != nil {
		return &alipay.NotifyVerifier{AlipayPublicKey: plan.client.AlipayPublicKey, AppID: plan.client.AppID, SellerID: plan.pos.SellerID}
	}
	return &alipay.NotifyVerifier{AlipayPublicKey: c.emulatorKeys.AlipayPublic, AppID: emulator.DefaultAppID, SellerID: emulator.DefaultSellerID}
}

// openLog sends diagnostics to DIR/kiosk.log, JSON rotated by size: the
// screen belongs to the cashier.
func (c *counter) openLog() *slog.Logger {
	logger, closer := pos.OpenLog(c.dir, pos.DefaultLogLimits)
	c.logFile = closer
	return logger
}

// gateway builds the Alipay client: for the configured gateway, or for an
// embedded emulator it starts when the configuration names none.
func (c *counter) gateway(plan counterPlan, logger *slog.Logger) (*alipay.Client, pos.BuyerSimulator, error) {
	if plan.client != nil {
		client, err := plan.cfg.newClient(nil, alipay.WithLogger(logger))
		return client, nil, err
	}
	if c.emulatorKeys == nil { // made on the first run
		keys, _, err := emulator.LoadOrCreateKeys(filepath.Join(c.dir, emulator.KeysDir))
		if err != nil {
			return nil, nil, c.keysTrouble(err)
		}
		c.emulatorKeys = keys
	}
	srv, keys, err := emulator.StartEmbedded(c.dir, c.emulatorKeys, logger.With("source", "emulator"), func(cfg *emulator.Config) {
		cfg.Page, cfg.Index, cfg.MerchantName = customerPage(), emulatorIndex(), c.shopName // no shop name: the emulator's own
	})
	if err != nil {
		return nil, nil, emulatorStateTrouble(err)
	}
	c.server, c.emulatorKeys = srv, keys
	client, err := plan.cfg.newClient(&emulatorAt{gateway: srv.GatewayURL(), keys: keys}, alipay.WithLogger(logger))
	return client, emulatedBuyer{srv.Emulator}, err
}

// uiOptions are the screens' settings: the shop, its words, its zone, and
// the receipt printer.
func (c *counter) uiOptions() ui.Options {
	opts := ui.Options{ShopName: c.shopName, Words: say, Location: c.register.Config().Location, Warnings: c.warnings}
	if c.printer != nil {
		opts.Printer, opts.Paper, opts.OrderQR = c.printer, c.printerPlan.paper, c.printerPlan.orderQR
	}
	return opts
}

func (c *counter) close() {
	if c.notifyServer != nil {
		_ = c.notifyServer.Close()
	} else if c.notifyListener != nil {
		_ = c.notifyListener.Close()
	}
	if c.server != nil {
		_ = emulator.RemoveAddr(c.dir)
		_ = c.server.Close()
	}
	c.shipper.stop() // before the ledger it reads
	if c.ledger != nil {
		_ = c.ledger.Close()
	}
	if c.logFile != nil {
		_ = c.logFile.Close()
	}
}

// runningShipper is the kiosk's shipper, sending the ledger to head office
// in the background.
type runningShipper struct {
	*central.Shipper
	cancel context.CancelFunc
	done   chan struct{}
}

// startShipper sends the ledger to head office in the background, logging
// its troubles to the kiosk's log, never to the cashier's screen.
func startShipper(ledger *store.Store, cfg central.Config, logger *slog.Logger) (*runningShipper, error) {
	cfg.Logger = logger
	sh, err := central.NewShipper(ledger, cfg)
	if err != nil {
		return nil, cli.Usage(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningShipper{Shipper: sh, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		sh.Run(ctx)
	}()
	return r, nil
}

// stop ends the shipper and waits for it; what it had not sent goes at the
// next start.
func (r *runningShipper) stop() {
	if r == nil {
		return
	}
	r.cancel()
	<-r.done
}
