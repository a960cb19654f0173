package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/store/central"
	"kiosk/ui/cli"
)

// fileConfig is the TOML configuration file, overridable by KIOSK_*
// environment variables (KIOSK_APP_ID for app_id, and so on).
type fileConfig struct {
	AppID           string   `toml:"app_id"`
	AppPrivateKey   string   `toml:"app_private_key"`   // path, relative to the config file
	AlipayPublicKey string   `toml:"alipay_public_key"` // path, relative to the config file
	AppPublicKey    string   `toml:"app_public_key"`    // optional: the key given to Alipay's console, for kiosk doctor
	Gateway         string   `toml:"gateway"`           // sandbox, production, or a URL
	SignType        string   `toml:"sign_type"`
	Protocol        string   `toml:"protocol"` // OpenAPI v2 (default) or v3
	SellerID        string   `toml:"seller_id"`
	StoreID         string   `toml:"store_id"`
	TerminalID      string   `toml:"terminal_id"`
	Subject         string   `toml:"subject"`
	ShopName        string   `toml:"shop_name"`
	QRTimeout       duration `toml:"qr_timeout"`
	PollInterval    duration `toml:"poll_interval"`
	DataDir         string   `toml:"data_dir"`
	NotifyAddr      string   `toml:"notify_addr"` // host:port to listen on for Alipay's notifications
	NotifyURL       string   `toml:"notify_url"`  // the public URL Alipay calls, sent with every precreate
	TimeZone        string   `toml:"time_zone"`   // IANA name; default Asia/Shanghai, Alipay's
	Lang            string   `toml:"lang"`        // zh or en; default the locale's (lang.go)

	// The receipt printer (printer.go): a device such as /dev/usb/lp0 or
	// a network printer tcp://HOST[:9100]; empty for none. Its paper is
	// 58 or 80 mm wide (default 80); printer_qr adds a QR code of the
	// order number to receipts; printer_skip_status sends jobs to a network
	// printer (or print server) that does not answer ESC/POS status
	// requests (DLE EOT) without asking, so out of paper goes unnoticed.
	Printer           string     `toml:"printer"`
	PrinterPaper      paperWidth `toml:"printer_paper"`
	PrinterQR         bool       `toml:"printer_qr"`
	PrinterSkipStatus bool       `toml:"printer_skip_status"`

	// How long one call of each kind may take, whatever poll_interval is.
	PrecreateTimeout duration `toml:"precreate_timeout"`
	QueryTimeout     duration `toml:"query_timeout"`
	CancelTimeout    duration `toml:"cancel_timeout"`
	RefundTimeout    duration `toml:"refund_timeout"`
	PayTimeout       duration `toml:"pay_timeout"`

	// Public-key-certificate mode: the three files from the Alipay console,
	// instead of alipay_public_key.
	AppCert        string `toml:"app_cert"`         // appCertPublicKey_<appid>.crt
	AlipayCert     string `toml:"alipay_cert"`      // alipayCertPublicKey_RSA2.crt
	AlipayRootCert string `toml:"alipay_root_cert"` // alipayRootCert.crt

	// Head office's PostgreSQL, to which the kiosk sends its ledger: a
	// postgres:// URL or key=value pairs. Empty: the kiosk keeps to itself.
	CentralLedger string `toml:"central_ledger"`

	// Where each setting given was given, by its TOML name: the file's
	// line, or the KIOSK_* variable that overrides it (loadConfig).
	origins origins
}

// origin is where a setting's value was given: the line of the config
// file that sets it, the KIOSK_* variable that overrides the file, or the
// flag that overrides both.
type origin struct {
	file string
	line int    // 0: the line is not known
	env  string // KIOSK_TIME_ZONE
	flag string // poll-interval, without its dashes
}

// origins are the settings' origins, by their TOML names.
type origins map[string]origin

// with is o and the origin of key, o unchanged (a fileConfig copied
// shares its map).
func (o origins) with(key string, at origin) origins {
	more := make(origins, len(o)+1)
	maps.Copy(more, o)
	more[key] = at
	return more
}

// refusedSetting is a setting given and refused after the configuration
// was read (fileConfig.check, clientConfig): Key, its TOML name, says
// which, so that the refusal can say where it was set (origins.place).
type refusedSetting struct {
	Key string
	Err error
}

func (e *refusedSetting) Error() string { return e.Err.Error() }
func (e *refusedSetting) Unwrap() error { return e.Err }

// refused marks err as the refusal of the setting key.
func refused(key string, err error) error { return &refusedSetting{Key: key, Err: err} }

// placedError is a refusal of a setting that says where the setting was
// given, before what is wrong.
type placedError struct {
	text string
	err  error
}

func (e *placedError) Error() string { return e.text }
func (e *placedError) Unwrap() error { return e.err }

// place says where the setting err refuses was given, from err's facts:
// the key of a refusedSetting or of a pos.SettingError, never its text.
// Other errors, and a setting of no known origin, pass unchanged.
func (o origins) place(err error) error {
	if err == nil || errors.As(err, new(*placedError)) {
		return err
	}
	var key string
	if r, ok := errors.AsType[*refusedSetting](err); ok {
		key = r.Key
	} else if se, ok := errors.AsType[*pos.SettingError](err); ok {
		key = se.Setting
	}
	at, ok := o[key]
	if !ok {
		return err
	}
	return &placedError{text: at.say(err.Error()), err: err}
}

// say is what, a refusal of the setting, after where it was given.
func (at origin) say(what string) string {
	switch {
	case at.flag != "":
		return say.Usage.BadFlagValue.F(at.flag, what)
	case at.env != "":
		return say.Config.Env.F(at.env, what)
	case at.line > 0:
		return say.Config.Line.F(at.file, at.line, what)
	}
	return say.Config.Whole.F(at.file, what)
}

// duration reads "90s", "2m" or a number of seconds: the one rule for a
// length of time, in the configuration file, its KIOSK_* variables and
// the flags (durationFlag).
type duration struct{ time.Duration }

func (d *duration) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		d.Duration = time.Duration(v) * time.Second
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	}
	return errors.New(say.Usage.BadDuration.F(fmt.Sprint(v)))
}

func (d *duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		d.Duration = time.Duration(n) * time.Second
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return errors.New(say.Usage.BadDuration.F(s))
	}
	d.Duration = v
	return nil
}

// durationValue is a flag of a length of time, read as the configuration
// reads one (duration).
type durationValue struct{ d *time.Duration }

// durationFlag defines the flag name of a length of time in fs.
func durationFlag(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(durationValue{d: p}, name, usage)
}

func (v durationValue) Set(s string) error {
	var d duration
	if err := d.UnmarshalText([]byte(s)); err != nil {
		return err
	}
	*v.d = d.Duration
	return nil
}

func (v durationValue) String() string {
	if v.d == nil || *v.d == 0 {
		return ""
	}
	return v.d.String()
}

// loadConfig reads path (if any) and then the environment. Key paths are
// made absolute relative to the file that names them.
func loadConfig(path string) (fileConfig, error) {
	var cfg fileConfig
	if path != "" {
		if err := decodeConfigFile(path, &cfg); err != nil {
			return cfg, err
		}
	}
	if err := applyEnv(&cfg, os.LookupEnv); err != nil {
		return cfg, err
	}
	return cfg, nil
}

func decodeConfigFile(path string, cfg *fileConfig) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return cli.Failed(say.System.ConfigFile.F(path, say.SystemReason(err)), err)
	}
	if err := checkConfigText(path, string(text)); err != nil {
		return err
	}
	md, err := toml.Decode(string(text), cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) { // a value refused by its own type: the catalogue's words
			return errors.New(say.Config.Line.F(path, perr.Position.Line, perr.Message))
		}
		return (&configError{Path: path, Parser: err.Error()}).worded()
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		return errors.New(say.Config.UnknownSetting.F(path, extra[0].String(), suggestKey(extra[0].String())))
	}
	lines := settingLines(string(text))
	cfg.origins = make(origins, len(lines))
	for key, line := range lines {
		cfg.origins[key] = origin{file: path, line: line}
	}
	dir := filepath.Dir(path)
	cfg.AppPrivateKey = resolvePath(dir, cfg.AppPrivateKey)
	cfg.AlipayPublicKey = resolvePath(dir, cfg.AlipayPublicKey)
	cfg.AppPublicKey = resolvePath(dir, cfg.AppPublicKey)
	cfg.DataDir = resolvePath(dir, cfg.DataDir)
	cfg.AppCert = resolvePath(dir, cfg.AppCert)
	cfg.AlipayCert = resolvePath(dir, cfg.AlipayCert)
	cfg.AlipayRootCert = resolvePath(dir, cfg.AlipayRootCert)
	return nil
}

func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// suggestKey names the setting a typo most likely meant, or lists them all.
func suggestKey(typo string) string {
	best, bestDist := "", 3
	for _, k := range configKeys() {
		if d := editDistance(typo, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return say.Config.DidYouMean.F(best)
	}
	return say.Config.Known.F(strings.Join(configKeys(), ", "))
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// configKeys lists the TOML names of fileConfig's settings, for messages
// and the env.
func configKeys() []string {
	var keys []string
	for _, f := range settingFields() {
		keys = append(keys, f.Tag.Get("toml"))
	}
	return keys
}

// settingFields are the fields of fileConfig that are settings: those
// with a TOML name.
func settingFields() []reflect.StructField {
	var fields []reflect.StructField
	for f := range reflect.TypeFor[fileConfig]().Fields() {
		if name := f.Tag.Get("toml"); name != "" && name != "-" {
			fields = append(fields, f)
		}
	}
	return fields
}

// applyEnv overrides settings with KIOSK_<NAME> variables, and records
// each one set as its setting's origin.
func applyEnv(cfg *fileConfig, lookup func(string) (string, bool)) error {
	v := reflect.ValueOf(cfg).Elem()
	for _, field := range settingFields() {
		name := field.Tag.Get("toml")
		variable := "KIOSK_" + strings.ToUpper(name)
		val, ok := lookup(variable)
		if !ok {
			continue
		}
		if err := setFromEnv(v.FieldByIndex(field.Index).Addr().Interface(), val); err != nil {
			return errors.New(say.Config.Env.F(variable, err.Error()))
		}
		cfg.origins = cfg.origins.with(name, origin{env: variable})
	}
	return nil
}

// setFromEnv sets the setting at f to val, a KIOSK_* variable's value.
func setFromEnv(f any, val string) error {
	switch f := f.(type) {
	case *string:
		*f = val
	case *duration:
		return f.UnmarshalText([]byte(val))
	case *paperWidth:
		return f.UnmarshalText([]byte(val))
	case *bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return errors.New(say.Config.NotBool.F(val))
		}
		*f = b
	}
	return nil
}

// defaultTimeZone is Alipay's: its days, bills and timestamps are Beijing
// time, so the ledger's days match Alipay's whatever the host's zone.
const defaultTimeZone = "Asia/Shanghai"

// location is the shop's time zone: days in the ledger, times on screen and
// in order numbers.
func (c fileConfig) location() (*time.Location, error) {
	loc, err := time.LoadLocation(firstSet(c.TimeZone, defaultTimeZone))
	if err != nil {
		return nil, refused("time_zone", errors.New(say.Config.TimeZone.F(c.TimeZone)))
	}
	return loc, nil
}

// usesEmulator reports whether no real gateway credentials are configured.
func (c fileConfig) usesEmulator() bool {
	return c.AppID == "" && c.AppPrivateKey == "" && c.AlipayPublicKey == "" && c.Gateway == "" && c.AppCert == ""
}

// gatewayURL resolves the gateway setting and says how to badge it.
func (c fileConfig) gatewayURL() (string, pos.Mode, error) {
	switch strings.ToLower(c.Gateway) {
	case "", "production":
		return alipay.ProductionGateway, pos.ModeProduction, nil
	case "sandbox":
		return alipay.SandboxGateway, pos.ModeSandbox, nil
	}
	u, err := url.Parse(c.Gateway)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", refused("gateway", errors.New(say.Config.Gateway.F(c.Gateway)))
	}
	switch {
	case c.Gateway == alipay.SandboxGateway:
		return c.Gateway, pos.ModeSandbox, nil
	case c.Gateway == alipay.ProductionGateway:
		return c.Gateway, pos.ModeProduction, nil
	case isLoopback(u.Hostname()):
		return c.Gateway, pos.ModeEmulator, nil
	}
	return c.Gateway, pos.Mode("GATEWAY " + u.Host), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// clientConfig loads the keys and checks that the credentials belong
// together before anything is sent; a setting refused is said with where
// it was given.
func (c fileConfig) clientConfig() (alipay.Config, pos.Mode, error) {
	acfg, mode, err := c.loadClient()
	return acfg, mode, c.origins.place(err)
}

// loadClient is clientConfig, its refusals not yet placed.
func (c fileConfig) loadClient() (alipay.Config, pos.Mode, error) {
	var missing []string
	required := map[string]string{"app_id": c.AppID, "app_private_key": c.AppPrivateKey}
	if c.certMode() {
		required["alipay_cert"], required["alipay_root_cert"] = c.AlipayCert, c.AlipayRootCert
	} else {
		required["alipay_public_key"] = c.AlipayPublicKey
	}
	for name, v := range required {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return alipay.Config{}, "", errors.New(say.Config.Lacks.F(strings.Join(missing, say.Config.And)))
	}
	gw, mode, err := c.gatewayURL()
	if err != nil {
		return alipay.Config{}, "", err
	}
	priv, _, err := alipay.LoadPrivateKey(c.AppPrivateKey)
	if err != nil {
		return alipay.Config{}, "", keyComplaint("app_private_key", c.AppPrivateKey, err, say.Config.WeakAppKey)
	}
	acfg := alipay.Config{AppID: c.AppID, PrivateKey: priv, Gateway: gw}
	if err := c.loadAlipayKey(&acfg); err != nil {
		return alipay.Config{}, "", err
	}
	if alipay.SameKey(&priv.PublicKey, acfg.AlipayPublicKey) {
		return alipay.Config{}, "", refused("alipay_public_key", errors.New(say.Config.AppKeyAsAlipayKey.F(c.AlipayPublicKey)))
	}
	signType := alipay.SignType(strings.ToUpper(c.SignType))
	if signType == "" {
		signType = alipay.RSA2
	}
	if signType != alipay.RSA2 && signType != alipay.RSA {
		return alipay.Config{}, "", refused("sign_type", errors.New(say.Config.SignType.F(c.SignType)))
	}
	acfg.SignType = signType
	if acfg.Protocol, err = c.protocol(); err != nil {
		return alipay.Config{}, "", err
	}
	return acfg, mode, nil
}

// settingError words a length of time outside the range the kiosk works
// in (pos.SettingError) in the kiosk's words; other errors pass.
func settingError(err error) error {
	se, ok := errors.AsType[*pos.SettingError](err)
	if !ok {
		return err
	}
	w := &say.Config
	value, lo, hi := se.Value.String(), shortDuration(se.Min), shortDuration(se.Max)
	var text string
	switch se.Setting {
	case "qr_timeout":
		text = w.QRTimeoutRange.F(value, lo, hi)
	case "poll_interval":
		text = w.PollIntervalRange.F(value, lo, hi)
	default:
		text = w.CallTimeoutRange.F(se.Setting, value, lo, hi, shortDuration(se.Default))
	}
	return cli.Failed(text, err)
}

// shortDuration writes 2*time.Minute as "2m" and 2*time.Hour as "2h",
// not "2m0s" and "2h0m0s".
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// protocol reads the protocol setting: v2 (the default) or v3.
func (c fileConfig) protocol() (alipay.Protocol, error) {
	p, err := alipay.ParseProtocol(c.Protocol)
	if err != nil {
		return "", refused("protocol", errors.New(say.Config.Protocol.F(c.Protocol)))
	}
	return p, nil
}

// keyWarnings says which private key files other users of this machine can
// read or change: whoever reads the app private key can sign as the shop.
// The kiosk still runs; it says so at start and in kiosk api --verbose.
func (c fileConfig) keyWarnings() []string {
	if runtime.GOOS == "windows" || c.AppPrivateKey == "" {
		return nil // Windows keeps its permissions in ACLs, not mode bits
	}
	fi, err := os.Stat(c.AppPrivateKey)
	if err != nil {
		return nil // loading the key reports it
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return []string{say.Config.KeyOpen.F(c.AppPrivateKey, fmt.Sprintf("%04o", perm), c.AppPrivateKey)}
	}
	return nil
}

// keyComplaint says what is wrong with the key file of setting, from the
// facts of err (pos.KeyFaultOf), and what to do: for a key too short
// weakFix; err stays in the chain.
func keyComplaint(setting, path string, err error, weakFix string) error {
	f := pos.KeyFaultOf(err)
	what := say.KeyFaultText(f)
	if f.Finding == pos.ProblemUnreadable && f.Read == "" {
		what = say.SystemReason(err) // not the system's English with its path
	}
	w := &say.Config
	var fix string
	switch f.Finding {
	case pos.ProblemWeakKey:
		fix = weakFix
	case pos.ProblemPublicKeyGiven:
		fix = w.PublicKeyGivenFix
	case pos.ProblemPrivateKeyGiven:
		fix = w.PrivateKeyGivenFix
	case pos.ProblemNotRSA:
		fix = w.NotRSAFix
	case pos.ProblemMalformedKey:
		if f.Malformed != pos.MalformedEncrypted { // that one says what to do
			fix = w.MalformedFix
		}
	}
	text := w.Key.F(setting, path, what)
	if fix != "" {
		text = w.KeyWithFix.F(setting, path, what, fix)
	}
	return refused(setting, cli.UsageText(text, err))
}

// certMode reports whether the config uses Alipay's public-key certificates.
func (c fileConfig) certMode() bool { return c.AppCert != "" }

// loadAlipayKey sets Alipay's public key: from alipay_public_key, or in
// certificate mode from Alipay's certificate, with the serial numbers that
// requests carry and responses are checked against.
func (c fileConfig) loadAlipayKey(acfg *alipay.Config) error {
	if !c.certMode() {
		pub, _, err := alipay.LoadPublicKey(c.AlipayPublicKey)
		if err != nil {
			return keyComplaint("alipay_public_key", c.AlipayPublicKey, err, say.Config.WeakAlipayKey)
		}
		acfg.AlipayPublicKey = pub
		return nil
	}
	var pems [3][]byte
	for i, f := range [][2]string{{"app_cert", c.AppCert}, {"alipay_cert", c.AlipayCert}, {"alipay_root_cert", c.AlipayRootCert}} {
		b, err := os.ReadFile(f[1])
		if err != nil {
			return keyComplaint(f[0], f[1], err, "")
		}
		pems[i] = b
	}
	cc, err := alipay.LoadCertConfig(pems[0], pems[1], pems[2])
	if err != nil {
		f := pos.CertFaultOf(err)
		return refused(string(f.File), cli.UsageText(say.Config.Cert.F(say.Config.CertMode, say.CertFaultText(f)), err))
	}
	acfg.AlipayPublicKey, acfg.AppCertSN, acfg.AlipayRootCertSN, acfg.AlipayCertSN =
		cc.AlipayPublicKey, cc.AppCertSN, cc.AlipayRootCertSN, cc.AlipayCertSN
	return nil
}

// notifySettings checks notify_addr and notify_url: both or neither, and a
// URL Alipay accepts (http or https, no query: Alipay drops it).
func (c fileConfig) notifySettings() error {
	if (c.NotifyAddr == "") != (c.NotifyURL == "") {
		given := "notify_addr"
		if c.NotifyAddr == "" {
			given = "notify_url"
		}
		return refused(given, errors.New(say.Config.NotifyTogether))
	}
	if c.NotifyURL == "" {
		return nil
	}
	u, err := url.Parse(c.NotifyURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return refused("notify_url", errors.New(say.Config.NotifyURL.F(c.NotifyURL)))
	}
	if _, _, err := net.SplitHostPort(c.NotifyAddr); err != nil {
		return refused("notify_addr", errors.New(say.Config.NotifyAddr.F(c.NotifyAddr)))
	}
	return nil
}

// keyFacts says what kind of key each configured file holds, and which
// are open to other users, for kiosk api --verbose.
func (c fileConfig) keyFacts() cli.KeyFacts {
	k := cli.KeyFacts{AppKey: c.AppPrivateKey, AlipayKey: c.AlipayPublicKey, Warnings: c.keyWarnings()}
	if _, format, err := alipay.LoadPrivateKey(c.AppPrivateKey); err == nil {
		k.AppKeyFormat = string(format)
	}
	if c.AlipayPublicKey != "" {
		if _, format, err := alipay.LoadPublicKey(c.AlipayPublicKey); err == nil {
			k.AlipayKeyFormat = string(format)
		}
	}
	return k
}

// emulatorAt is an emulator a client may talk to: its gateway and keys.
type emulatorAt struct {
	gateway string
	keys    *emulator.Keys
}

// newClient is the one constructor of the Alipay client, for every
// subcommand: for the gateway the configuration names, or, when it names
// none, for the emulator at emu. Without an emulator the configuration
// must name a gateway, and the error says what it lacks.
func (c fileConfig) newClient(emu *emulatorAt, opts ...alipay.Option) (*alipay.Client, error) {
	var acfg alipay.Config
	if emu == nil || !c.usesEmulator() {
		var err error
		if acfg, _, err = c.clientConfig(); err != nil {
			return nil, cli.Usage(err)
		}
	} else {
		p, err := c.protocol()
		if err != nil {
			return nil, cli.Usage(err)
		}
		acfg = emulator.ClientConfig(emu.gateway, emu.keys, p)
	}
	client, err := alipay.NewClient(acfg, opts...)
	if err != nil {
		return nil, cli.Usage(err)
	}
	return client, nil
}

// runningEmulator is the emulator of the kiosk running on dir, with the
// keys it keeps there.
func runningEmulator(dir string) (*emulatorAt, error) {
	base, err := emulator.EmbeddedURL(dir)
	if err != nil {
		return nil, err
	}
	keys, _, err := emulator.LoadOrCreateKeys(filepath.Join(dir, emulator.KeysDir))
	if err != nil {
		return nil, err
	}
	return &emulatorAt{gateway: base + "/gateway.do", keys: keys}, nil
}

// The data directory, and the counter's plan: the configuration checked
// in full before anything is written.

// dataDir is the one resolver of the data directory, for every
// subcommand: the --data flag, else KIOSK_DATA, else data_dir in the
// configuration, else the default under the user's data directory.
func dataDir(flagValue, configValue string) string {
	for _, d := range []string{flagValue, os.Getenv("KIOSK_DATA"), configValue} {
		if d != "" {
			return d
		}
	}
	return defaultDataDir()
}

func defaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "alipay-kiosk")
	}
	home, err := os.UserHomeDir()
	if runtime.GOOS == "linux" && err == nil {
		return filepath.Join(home, ".local", "share", "alipay-kiosk")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "alipay-kiosk")
	}
	return "kiosk-data"
}

// counterPlan is a configuration checked in full (keys loaded, gateway
// resolved, timings in range) before anything is written to disk.
type counterPlan struct {
	cfg        fileConfig // as loaded, for the client
	pos        pos.Config
	client     *alipay.Config // nil: the embedded emulator
	shopName   string
	printer    *printerPlan // the receipt printer; nil for none
	notifyAddr string       // where to listen for notifications; "" for none
	notify     pos.NotifyLimits
	central    *central.Config // head office's ledger; nil for none
	newLedger  bool            // --new-ledger: a missing ledger may be started afresh
	warnings   []string        // said at start; the kiosk runs anyway

	protocol alipay.Protocol // the embedded emulator's; a configured gateway's is in client
}

func planCounter(cfg fileConfig) (counterPlan, error) {
	plan := counterPlan{cfg: cfg, pos: posConfig(cfg, pos.ModeEmulator), shopName: cfg.ShopName, notify: pos.DefaultNotifyLimits}
	checked, err := cfg.check()
	if err != nil {
		return plan, err
	}
	plan.pos.Location, plan.protocol, plan.printer, plan.central = checked.loc, checked.protocol, checked.printer, checked.central
	plan.notifyAddr, plan.pos.NotifyURL = cfg.NotifyAddr, cfg.NotifyURL
	if cfg.usesEmulator() && plan.notifyAddr == "" {
		// The emulator is on loopback, so the kiosk can hear it there too.
		plan.notifyAddr = "127.0.0.1:0"
	}
	if !cfg.usesEmulator() {
		acfg, mode, err := cfg.clientConfig()
		if err != nil {
			return plan, cli.Usage(err)
		}
		if _, err := cfg.newClient(nil); err != nil {
			return plan, err
		}
		plan.client, plan.pos.Mode = &acfg, mode
		plan.warnings = append(cfg.keyWarnings(), cfg.gatewayWarnings()...)
	}
	return plan, nil
}

// checkedConfig is what check makes of the settings.
type checkedConfig struct {
	loc      *time.Location // the shop's zone: the ledger's days
	protocol alipay.Protocol
	printer  *printerPlan    // nil for none
	central  *central.Config // nil for none
}

// check is the one check of the configuration's settings, for every
// command that reads it (see parse), kiosk doctor and the counter alike:
// everything but the key files, which the counter loads and doctor checks
// one by one. A setting the counter would refuse is refused by every
// command, in the same words.
//
// A setting refused is said with where it was given: the file's line,
// or the KIOSK_* variable.
func (c fileConfig) check() (checkedConfig, error) {
	checked, err := c.checkSettings()
	if err != nil {
		return checked, cli.Usage(c.origins.place(err))
	}
	return checked, nil
}

// checkSettings is check, its refusals not yet placed.
func (c fileConfig) checkSettings() (checkedConfig, error) {
	var checked checkedConfig
	if err := c.notifySettings(); err != nil {
		return checked, err
	}
	var err error
	if checked.loc, err = c.location(); err != nil {
		return checked, err
	}
	if checked.protocol, err = c.protocol(); err != nil {
		return checked, err
	}
	if !c.usesEmulator() {
		if _, _, err := c.gatewayURL(); err != nil {
			return checked, err
		}
	}
	if err := posConfig(c, pos.ModeEmulator).Validate(); err != nil {
		return checked, settingError(err)
	}
	if checked.printer, err = planPrinter(c); err != nil {
		return checked, err
	}
	if checked.central, err = planCentral(c, checked.loc); err != nil {
		return checked, err
	}
	return checked, nil
}

// planCentral checks central_ledger, when set, before anything starts.
func planCentral(cfg fileConfig, loc *time.Location) (*central.Config, error) {
	if cfg.CentralLedger == "" {
		return nil, nil
	}
	if err := central.CheckDSN(cfg.CentralLedger); err != nil {
		return nil, refused("central_ledger", err)
	}
	return &central.Config{
		DSN:        cfg.CentralLedger,
		TerminalID: cmp.Or(cfg.TerminalID, pos.DefaultTerminalID),
		StoreID:    cfg.StoreID,
		TimeZone:   loc.String(),
	}, nil
}

// subject is the order title the buyer sees in Alipay when none is
// typed: the config's, else the shop's name, else the catalogue's word in
// the kiosk's language (门店消费). The counter and kiosk api use it alike.
func (c fileConfig) subject() string {
	return firstSet(c.Subject, c.ShopName, say.Sale.DefaultSubject)
}

func posConfig(cfg fileConfig, mode pos.Mode) pos.Config {
	return pos.Config{
		TerminalID:   cfg.TerminalID,
		StoreID:      cfg.StoreID,
		SellerID:     cfg.SellerID,
		Subject:      cfg.subject(),
		QRTimeout:    cfg.QRTimeout.Duration,
		PollInterval: cfg.PollInterval.Duration,
		Mode:         mode,

		PrecreateTimeout: cfg.PrecreateTimeout.Duration,
		QueryTimeout:     cfg.QueryTimeout.Duration,
		CancelTimeout:    cfg.CancelTimeout.Duration,
		RefundTimeout:    cfg.RefundTimeout.Duration,
		PayTimeout:       cfg.PayTimeout.Duration,
	}
}

func firstSet(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
