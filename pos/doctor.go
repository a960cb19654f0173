package pos

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"kiosk/alipay"
)

// The doctor: kiosk doctor's checks of a configuration against the keys on
// disk and the gateway it names, each a Check with the facts it found.
// ui/cli puts them into words; nothing here is a sentence.

// CheckID names a check.
type CheckID string

// The checks, in the order Run makes them.
const (
	CheckAppKey       CheckID = "app_private_key"   // parses as an RSA private key of 2048 bits or more
	CheckConsoleKey   CheckID = "app_public_key"    // the public key given to Alipay is the private key's
	CheckAlipayKey    CheckID = "alipay_public_key" // parses as an RSA public key (or the certificates load)
	CheckNotAppKey    CheckID = "alipay_key_not_app_key"
	CheckPermissions  CheckID = "key_permissions" // the private key is its owner's alone
	CheckGatewayURL   CheckID = "gateway_url"     // not the retired sandbox
	CheckGateway      CheckID = "gateway"         // answers HTTP at all
	CheckClock        CheckID = "clock"           // agrees with the gateway's Date
	CheckSignedCall   CheckID = "signed_call"     // a query comes back signed ACQ.TRADE_NOT_EXIST
	CheckNotification CheckID = "notify_url"      // reachable from this machine
)

// CheckStatus is how a check came out.
type CheckStatus string

// A check passes, fails with a Problem, or is skipped because what it
// needs failed first (Check.After says which).
const (
	StatusPass CheckStatus = "pass"
	StatusFail CheckStatus = "fail"
	StatusSkip CheckStatus = "skip"
)

// Finding is what a failed check found.
type Finding string

// The problems the doctor tells apart, each with its own fix.
const (
	ProblemNotSet            Finding = "not_set"               // the setting is missing
	ProblemUnreadable        Finding = "unreadable"            // the file cannot be read (Err says why)
	ProblemPublicKeyGiven    Finding = "public_key_given"      // a public key where the private key belongs
	ProblemPrivateKeyGiven   Finding = "private_key_given"     // a private key where a public key belongs
	ProblemNotRSA            Finding = "not_rsa"               // an EC or other key
	ProblemWeakKey           Finding = "weak_key"              // shorter than 2048 bits
	ProblemMalformedKey      Finding = "malformed_key"         // neither PEM nor base64 of a key
	ProblemPairMismatch      Finding = "pair_mismatch"         // app_public_key is not app_private_key's
	ProblemAlipayKeyIsAppKey Finding = "alipay_key_is_app_key" // alipay_public_key is the app's own public key
	ProblemCertificates      Finding = "certificates"          // certificate mode's files do not load
	ProblemLoosePermissions  Finding = "loose_permissions"     // others may read or change the private key
	ProblemOldSandbox        Finding = "old_sandbox"           // openapi.alipaydev.com, retired
	ProblemUnreachable       Finding = "unreachable"           // no HTTP answer: Cause says why
	ProblemClockSkew         Finding = "clock_skew"            // Skew beyond MaxClockSkew
	ProblemInvalidAppID      Finding = "invalid_app_id"        // the gateway knows no such app
	ProblemSandboxAppOnProd  Finding = "sandbox_app_on_production"
	ProblemProdAppOnSandbox  Finding = "production_app_on_sandbox"
	ProblemRequestSignature  Finding = "request_signature" // the gateway could not verify our signature
	ProblemAnswerSignature   Finding = "answer_signature"  // the answer does not verify with alipay_public_key
	ProblemAnswerUnsigned    Finding = "answer_unsigned"   // an answer without a signature
	ProblemCertificateSN     Finding = "certificate_sn"    // signed under another Alipay certificate
	ProblemRefused           Finding = "refused"           // another code from Alipay (Code, SubCode)
	ProblemUnexpectedAnswer  Finding = "unexpected_answer" // not what a gateway answers
	ProblemNotifyNotPublic   Finding = "notify_not_public" // a loopback or private host Alipay cannot reach
	ProblemNotifyElsewhere   Finding = "notify_elsewhere"  // the URL answers, but not from the kiosk
	ProblemConfig            Finding = "config"            // the client refused the configuration (Err)
	ProblemNoDate            Finding = "no_date"           // (a skipped clock) the gateway's answer had no Date header
)

// Cause is why a request got no HTTP answer, as alipay.ClassifyFailure
// names it: "dns", "connection_refused", "tls_certificate", "timeout", …
type Cause string

// The causes the doctor's words tell apart; others keep alipay's name.
const (
	CauseDNS               = Cause(alipay.FailureDNS)
	CauseConnectionRefused = Cause(alipay.FailureConnectionRefused)
	CauseUnreachable       = Cause(alipay.FailureUnreachable)
	CauseTimeout           = Cause(alipay.FailureTimeout)
	CauseTLSCertificate    = Cause(alipay.FailureTLSCertificate)
	CauseTLS               = Cause(alipay.FailureTLS)
)

// AppIDKind is what an app id's shape says of its app.
type AppIDKind string

// Sandbox apps of Alipay's new sandbox have ids beginning 9021; other
// apps' ids begin with 20 (the year the app was made).
const (
	AppIDSandbox    AppIDKind = "sandbox"
	AppIDProduction AppIDKind = "production"
	AppIDUnknown    AppIDKind = "unknown"
)

// KindOfAppID says what an app id's shape says of its app.
func KindOfAppID(id string) AppIDKind {
	switch {
	case len(id) != 16 || strings.Trim(id, "0123456789") != "":
		return AppIDUnknown
	case strings.HasPrefix(id, "9021"):
		return AppIDSandbox
	case strings.HasPrefix(id, "20"):
		return AppIDProduction
	}
	return AppIDUnknown
}

// Gateway hosts the doctor knows.
const (
	// OldSandboxHost is the retired sandbox: it answers every app of the
	// new sandbox isv.invalid-app-id.
	OldSandboxHost = "openapi.alipaydev.com"
	// SandboxGatewayURL replaces it.
	SandboxGatewayURL = alipay.SandboxGateway
	// ProductionGatewayURL is the gateway of a config that sets none.
	ProductionGatewayURL = alipay.ProductionGateway
)

// IsOldSandbox reports whether a gateway URL is the retired sandbox's.
func IsOldSandbox(gateway string) bool {
	u, err := url.Parse(gateway)
	return err == nil && strings.EqualFold(u.Hostname(), OldSandboxHost)
}

// MaxClockSkew is how far this machine's clock may be from the gateway's.
// Alipay checks a request's timestamp, receipts and the Z report carry the
// time, and a day's sales end at midnight: a clock kept by NTP is well
// inside it.
const MaxClockSkew = time.Minute

// Check is one check's outcome and the facts it found; which facts are set
// depends on the check.
type Check struct {
	ID      CheckID
	Status  CheckStatus
	Problem Finding
	After   CheckID // a skipped check's: the failed check it needs

	Path   string      // the file checked
	Format string      // what the file holds, e.g. "PKCS#8 PEM"
	Bits   int         // the key's size
	Mode   fs.FileMode // the file's permissions
	URL    string      // the gateway or notify_url
	Cause  Cause       // why no HTTP answer came

	HTTPStatus int
	Elapsed    time.Duration // the request's round trip
	Skew       time.Duration // this machine's clock minus the gateway's (positive: ahead)

	AppID        string
	AppIDKind    AppIDKind
	GatewayMode  Mode   // the gateway's kind: ModeSandbox, ModeProduction, ModeEmulator or another
	Protocol     string // v2 or v3
	OutTradeNo   string // the order the signed call asked about
	KeySetting   string // ProblemAnswerSignature: the setting of the key that did not verify (Path: its file)
	Code         string // Alipay's answer
	SubCode      string
	SubMsg       string
	Listened     bool // notify_url: the doctor listened on notify_addr and heard itself
	ReachedKiosk bool // notify_url: a running kiosk's notification port answered

	Key  KeyFault  // a key file's problem, with its facts
	Cert CertFault // ProblemCertificates: what is wrong, with its facts

	// CheckPrinter's facts: the printer's address, whether its status was
	// asked (not with printer_skip_status), and what it said.
	Printer     string
	StatusAsked bool
	PrinterSays PrinterCondition

	Err error // the underlying error, when there is one
}

// DoctorConfig is the configuration to check, as written: paths resolved,
// the gateway's URL and kind, nothing loaded yet.
type DoctorConfig struct {
	AppID           string
	AppPrivateKey   string // path
	AppPublicKey    string // path of the public key given to Alipay's console; optional
	AlipayPublicKey string // path; public-key mode
	AppCert         string // paths; certificate mode (AppCert set)
	AlipayCert      string
	AlipayRootCert  string
	SignType        alipay.SignType
	Protocol        alipay.Protocol

	Gateway string // the gateway.do URL
	Mode    Mode   // what the configuration says the gateway is

	NotifyURL  string
	NotifyAddr string // where the kiosk listens for notify_url's requests

	// Printer is the receipt printer's address and the probe that asks
	// it; with no probe there is no printer to check.
	Printer      string
	PrinterProbe PrinterProbe

	// HTTP makes the doctor's requests (default: a client with a
	// 10-second timeout); Now is its clock (default time.Now).
	HTTP *http.Client
	Now  func() time.Time
}

// Doctor checks a configuration. Create it with NewDoctor.
type Doctor struct {
	cfg  DoctorConfig
	http *http.Client
	now  func() time.Time

	// What the checks found, for those that follow.
	private   *rsa.PrivateKey
	alipayKey *rsa.PublicKey
	certs     alipay.CertConfig
	date      time.Time // the gateway's Date; zero when none came
	checks    []Check
}

// NewDoctor returns a doctor of cfg.
func NewDoctor(cfg DoctorConfig) *Doctor {
	d := &Doctor{cfg: cfg, http: cfg.HTTP, now: cfg.Now}
	if d.http == nil {
		d.http = &http.Client{Timeout: 10 * time.Second}
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d
}

// Passed reports whether every check passed (none failed or was skipped).
func Passed(checks []Check) bool {
	for _, c := range checks {
		if c.Status != StatusPass {
			return false
		}
	}
	return len(checks) > 0
}

// Run makes every check, in order, and returns them all.
func (d *Doctor) Run(ctx context.Context) []Check {
	d.checks = nil
	d.add(d.checkAppKey())
	if d.cfg.AppPublicKey != "" {
		d.add(d.checkConsoleKey())
	}
	d.add(d.checkAlipayKey())
	d.add(d.checkNotAppKey())
	if runtime.GOOS != "windows" && d.cfg.AppPrivateKey != "" {
		d.add(d.checkPermissions())
	}
	d.add(d.checkGatewayURL())
	d.add(d.checkGateway(ctx))
	d.add(d.checkClock())
	d.add(d.checkSignedCall(ctx))
	if d.cfg.NotifyURL != "" {
		d.add(d.checkNotification(ctx))
	}
	if d.cfg.PrinterProbe != nil {
		d.add(CheckPrinterAt(ctx, d.cfg.Printer, d.cfg.PrinterProbe))
	}
	return d.checks
}

func (d *Doctor) add(c Check) { d.checks = append(d.checks, c) }

// failed reports whether the check id was made and did not pass.
func (d *Doctor) failed(id CheckID) bool {
	for _, c := range d.checks {
		if c.ID == id {
			return c.Status != StatusPass
		}
	}
	return false
}

func pass(id CheckID) Check { return Check{ID: id, Status: StatusPass} }

func fail(id CheckID, p Finding) Check { return Check{ID: id, Status: StatusFail, Problem: p} }

func skip(id, after CheckID) Check { return Check{ID: id, Status: StatusSkip, After: after} }

// The keys.

func (d *Doctor) checkAppKey() Check {
	c := pass(CheckAppKey)
	c.Path = d.cfg.AppPrivateKey
	if c.Path == "" {
		return fail(CheckAppKey, ProblemNotSet)
	}
	k, format, err := alipay.LoadPrivateKey(c.Path)
	c.Format = string(format)
	if err != nil {
		return keyProblem(c, err)
	}
	d.private, c.Bits = k, k.N.BitLen()
	return c
}

func withPath(c Check, path string) Check {
	c.Path = path
	return c
}

// keyProblem turns an error of alipay's key loading into the check's
// problem, with its facts.
func keyProblem(c Check, err error) Check {
	c.Status, c.Err, c.Key = StatusFail, err, KeyFaultOf(err)
	c.Problem = c.Key.Finding
	if c.Key.Format != "" {
		c.Format = c.Key.Format
	}
	if c.Key.Bits > 0 {
		c.Bits = c.Key.Bits
	}
	return c
}

// checkConsoleKey compares the public key given to Alipay's console with
// the private key's own public half.
func (d *Doctor) checkConsoleKey() Check {
	c := pass(CheckConsoleKey)
	c.Path = d.cfg.AppPublicKey
	pub, format, err := alipay.LoadPublicKey(c.Path)
	c.Format = string(format)
	if err != nil {
		return keyProblem(c, err)
	}
	c.Bits = pub.N.BitLen()
	if d.private == nil {
		return withPath(skip(CheckConsoleKey, CheckAppKey), c.Path)
	}
	if !alipay.SameKey(&d.private.PublicKey, pub) {
		c.Status, c.Problem = StatusFail, ProblemPairMismatch
	}
	return c
}

// checkAlipayKey loads Alipay's public key, or in certificate mode the
// three certificates (and checks the app's against the private key).
func (d *Doctor) checkAlipayKey() Check {
	if d.cfg.AppCert != "" {
		return d.checkCertificates()
	}
	c := pass(CheckAlipayKey)
	c.Path = d.cfg.AlipayPublicKey
	if c.Path == "" {
		return fail(CheckAlipayKey, ProblemNotSet)
	}
	pub, format, err := alipay.LoadPublicKey(c.Path)
	c.Format = string(format)
	if err != nil {
		return keyProblem(c, err)
	}
	d.alipayKey, c.Bits = pub, pub.N.BitLen()
	return c
}

func (d *Doctor) checkCertificates() Check {
	c := pass(CheckAlipayKey)
	c.Format = "certificates"
	var pems [3][]byte
	for i, path := range []string{d.cfg.AppCert, d.cfg.AlipayCert, d.cfg.AlipayRootCert} {
		c.Path = path
		if path == "" {
			return fail(CheckAlipayKey, ProblemNotSet)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return keyProblem(c, err)
		}
		pems[i] = b
	}
	certs, err := alipay.LoadCertConfig(pems[0], pems[1], pems[2])
	if err != nil {
		c.Status, c.Problem, c.Err, c.Cert = StatusFail, ProblemCertificates, err, CertFaultOf(err)
		return c
	}
	c.Path = d.cfg.AppCert
	appPub, _, err := alipay.ParsePublicKey(pems[0])
	if err == nil && d.private != nil && !alipay.SameKey(appPub, &d.private.PublicKey) {
		c.Status, c.Problem = StatusFail, ProblemPairMismatch
		return c
	}
	d.certs, d.alipayKey, c.Bits = certs, certs.AlipayPublicKey, certs.AlipayPublicKey.N.BitLen()
	return c
}

// checkNotAppKey catches the commonest mistake: the app's own public key
// where Alipay's belongs. Every answer would then fail to verify.
func (d *Doctor) checkNotAppKey() Check {
	switch {
	case d.private == nil:
		return skip(CheckNotAppKey, CheckAppKey)
	case d.alipayKey == nil:
		return skip(CheckNotAppKey, CheckAlipayKey)
	case alipay.SameKey(&d.private.PublicKey, d.alipayKey):
		c := fail(CheckNotAppKey, ProblemAlipayKeyIsAppKey)
		c.Path = d.cfg.AlipayPublicKey
		return c
	}
	return pass(CheckNotAppKey)
}

// checkPermissions: whoever can read the private key can sign payments
// and refunds as the shop; whoever can change it can stop the till.
func (d *Doctor) checkPermissions() Check {
	c := pass(CheckPermissions)
	c.Path = d.cfg.AppPrivateKey
	fi, err := os.Stat(c.Path)
	if err != nil || d.private == nil { // only a private key's file matters
		return withPath(skip(CheckPermissions, CheckAppKey), c.Path)
	}
	c.Mode = fi.Mode().Perm()
	if c.Mode&0o077 != 0 {
		c.Status, c.Problem = StatusFail, ProblemLoosePermissions
	}
	return c
}

// The gateway.

func (d *Doctor) checkGatewayURL() Check {
	c := pass(CheckGatewayURL)
	c.URL, c.GatewayMode = d.cfg.Gateway, d.cfg.Mode
	if IsOldSandbox(d.cfg.Gateway) {
		c.Status, c.Problem = StatusFail, ProblemOldSandbox
	}
	return c
}

// checkGateway asks the gateway's URL for anything at all: any HTTP
// answer shows that the name resolves, the port is open and TLS is
// trusted, and brings the gateway's clock in its Date header.
func (d *Doctor) checkGateway(ctx context.Context) Check {
	c := pass(CheckGateway)
	c.URL = d.cfg.Gateway
	resp, elapsed, sent, err := d.get(ctx, d.cfg.Gateway)
	c.Elapsed = elapsed
	if err != nil {
		c.Status, c.Problem, c.Cause, c.Err = StatusFail, ProblemUnreachable, causeOf(err), err
		return c
	}
	c.HTTPStatus = resp.StatusCode
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		d.date = t
		// The gateway's clock at the middle of the exchange, as well as
		// the Date header's one-second steps allow.
		c.Skew = sent.Add(elapsed / 2).Sub(t)
	}
	return c
}

// get makes a GET request and reads the answer's start; it returns when
// it was sent and how long it took.
func (d *Doctor) get(ctx context.Context, u string) (*http.Response, time.Duration, time.Time, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	sent := d.now()
	resp, err := d.http.Do(req)
	elapsed := d.now().Sub(sent)
	if err != nil {
		return nil, elapsed, sent, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp, elapsed, sent, nil
}

// causeOf names why a request got no answer.
func causeOf(err error) Cause { return Cause(alipay.ClassifyFailure(err).Kind) }

// checkClock compares this machine's clock with the gateway's Date.
func (d *Doctor) checkClock() Check {
	gw := d.lastCheck(CheckGateway)
	if gw.Status != StatusPass {
		return skip(CheckClock, CheckGateway)
	}
	c := pass(CheckClock)
	c.URL = d.cfg.Gateway
	if d.date.IsZero() {
		c.Status, c.Problem = StatusSkip, ProblemNoDate // nothing to compare with
		return c
	}
	c.Skew, c.Elapsed = gw.Skew, gw.Elapsed
	margin := gw.Elapsed/2 + time.Second // the round trip and Date's resolution
	if abs(c.Skew) > MaxClockSkew+margin {
		c.Status, c.Problem = StatusFail, ProblemClockSkew
	}
	return c
}

func (d *Doctor) lastCheck(id CheckID) Check {
	for i := len(d.checks) - 1; i >= 0; i-- {
		if d.checks[i].ID == id {
			return d.checks[i]
		}
	}
	return Check{}
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// checkSignedCall asks the gateway, signed, about an order that cannot
// exist. The only right answer is ACQ.TRADE_NOT_EXIST, signed by Alipay:
// it shows that the gateway knows the app id, verified our signature with
// the app public key it holds, and signed its answer with the key
// alipay_public_key holds.
func (d *Doctor) checkSignedCall(ctx context.Context) Check {
	for _, need := range []CheckID{CheckAppKey, CheckAlipayKey, CheckNotAppKey, CheckGateway} {
		if d.failed(need) {
			return skip(CheckSignedCall, need)
		}
	}
	c := pass(CheckSignedCall)
	c.URL, c.GatewayMode, c.AppID, c.AppIDKind = d.cfg.Gateway, d.cfg.Mode, d.cfg.AppID, KindOfAppID(d.cfg.AppID)
	client, err := alipay.NewClient(alipay.Config{
		AppID: d.cfg.AppID, PrivateKey: d.private, AlipayPublicKey: d.alipayKey, SignType: d.cfg.SignType,
		Gateway: d.cfg.Gateway, Protocol: d.cfg.Protocol,
		AppCertSN: d.certs.AppCertSN, AlipayRootCertSN: d.certs.AlipayRootCertSN, AlipayCertSN: d.certs.AlipayCertSN,
	}, alipay.WithHTTPClient(d.http), alipay.WithClock(d.now))
	if err != nil {
		c.Status, c.Problem, c.Err = StatusFail, ProblemConfig, err
		if d.cfg.AppID == "" {
			c.Problem = ProblemNotSet
		}
		return c
	}
	c.Protocol = string(client.Protocol())
	c.OutTradeNo = doctorOrderNo(d.now())
	_, err = client.Query(ctx, &alipay.QueryRequest{OutTradeNo: c.OutTradeNo})
	if alipay.IsTradeNotExist(err) {
		return c
	}
	return d.signedCallProblem(c, err)
}

// signedCallProblem says what a wrong answer to the signed call means.
func (d *Doctor) signedCallProblem(c Check, err error) Check {
	f := alipay.ClassifyFailure(err)
	c.Status, c.Err, c.Code, c.SubCode, c.SubMsg = StatusFail, err, f.Code, f.SubCode, f.SubMsg
	switch {
	case err == nil:
		c.Problem = ProblemUnexpectedAnswer // a trade by a number nobody used
	case alipay.IsInvalidAppID(err):
		c.Problem = appIDProblem(c.GatewayMode, c.AppIDKind)
	case alipay.IsInvalidSignature(err):
		c.Problem = ProblemRequestSignature
	case f.Kind == alipay.FailureSignature:
		c.Problem, c.KeySetting, c.Path = ProblemAnswerSignature, "alipay_public_key", d.cfg.AlipayPublicKey
		if d.cfg.AppCert != "" {
			c.KeySetting, c.Path = "alipay_cert", d.cfg.AlipayCert
		}
	case f.Kind == alipay.FailureUnsigned:
		c.Problem = ProblemAnswerUnsigned
	case f.Kind == alipay.FailureCertificateSN:
		c.Problem = ProblemCertificateSN
	case f.Kind == alipay.FailureAlipay, f.Kind == alipay.FailureAlipayUnsigned:
		c.Problem = ProblemRefused
	case f.Kind == alipay.FailureMalformed, f.Kind == alipay.FailureHTTPStatus:
		c.Problem, c.HTTPStatus = ProblemUnexpectedAnswer, f.HTTPStatus
	default:
		c.Problem, c.Cause = ProblemUnreachable, Cause(f.Kind)
	}
	return c
}

// appIDProblem explains isv.invalid-app-id by the gateway's kind and the
// app id's shape: a sandbox app's id sent to production, or the reverse,
// is the usual reason.
func appIDProblem(gateway Mode, id AppIDKind) Finding {
	switch {
	case gateway == ModeProduction && id == AppIDSandbox:
		return ProblemSandboxAppOnProd
	case gateway == ModeSandbox && id == AppIDProduction:
		return ProblemProdAppOnSandbox
	}
	return ProblemInvalidAppID
}

// doctorOrderNo is an order number no sale uses: kiosk order numbers
// begin with their terminal's id, never with DOCTOR.
func doctorOrderNo(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "DOCTOR_" + now.In(alipay.Location()).Format("20060102150405") + "_" + hex.EncodeToString(b[:])
}

// The notifications.

// checkNotification asks notify_url from this machine. While no kiosk
// holds notify_addr the doctor listens there itself and hears whether the
// URL leads to it; while a kiosk runs, its notification port must answer
// as one does (405, POST only). Alipay calls from the internet, so for a
// real gateway a loopback or private host cannot be right.
func (d *Doctor) checkNotification(ctx context.Context) Check {
	c := pass(CheckNotification)
	c.URL, c.GatewayMode = d.cfg.NotifyURL, d.cfg.Mode
	u, err := url.Parse(d.cfg.NotifyURL)
	if err != nil {
		c.Status, c.Problem, c.Err = StatusFail, ProblemUnexpectedAnswer, err
		return c
	}
	if (d.cfg.Mode == ModeSandbox || d.cfg.Mode == ModeProduction) && !isPublicHost(u.Hostname()) {
		c.Status, c.Problem = StatusFail, ProblemNotifyNotPublic
		return c
	}
	token := doctorOrderNo(d.now())
	heard, stop := d.listenOnNotifyAddr(token)
	defer stop()
	probe := *u
	probe.RawQuery = url.Values{"kiosk_doctor": {token}}.Encode()
	resp, elapsed, _, err := d.get(ctx, probe.String())
	c.Elapsed = elapsed
	if err != nil {
		c.Status, c.Problem, c.Cause, c.Err = StatusFail, ProblemUnreachable, causeOf(err), err
		return c
	}
	c.HTTPStatus = resp.StatusCode
	c.Listened = heard != nil
	c.ReachedKiosk = resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == http.MethodPost
	heardIt := heard != nil && len(heard) > 0
	if (c.Listened && !heardIt) || (!c.Listened && !c.ReachedKiosk) {
		c.Status, c.Problem = StatusFail, ProblemNotifyElsewhere
	}
	return c
}

// listenOnNotifyAddr serves notify_addr while the doctor asks notify_url,
// noting a request that carries token; nil when the address is held (a
// kiosk runs) or not set.
func (d *Doctor) listenOnNotifyAddr(token string) (chan struct{}, func()) {
	if d.cfg.NotifyAddr == "" {
		return nil, func() {}
	}
	ln, err := net.Listen("tcp", d.cfg.NotifyAddr)
	if err != nil {
		return nil, func() {}
	}
	heard := make(chan struct{}, 1)
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("kiosk_doctor") == token {
			select {
			case heard <- struct{}{}:
			default:
			}
		}
		_, _ = io.WriteString(w, "kiosk doctor\n")
	})}
	go func() { _ = srv.Serve(ln) }()
	return heard, func() { _ = srv.Close() }
}

// isPublicHost reports whether Alipay's servers could reach host: not
// localhost, and not a loopback, private or link-local address.
func isPublicHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return true // a name; whether it resolves publicly is for the request to show
	}
	return !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified()
}
