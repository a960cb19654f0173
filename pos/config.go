package pos

import (
	"fmt"
	"time"
)

// Config holds a Register's settings. Zero values take the defaults below.
type Config struct {
	TerminalID string // part of every out_trade_no, so terminals never collide
	StoreID    string
	SellerID   string
	Subject    string // the order title when the cashier gives none

	QRTimeout    time.Duration // how long the QR code is offered (default 120 s)
	PollInterval time.Duration // between trade queries (default 5 s)

	// The deadline of one call of each kind, whatever the poll interval.
	// A call that runs out of time has an unknown outcome (the sale is
	// settled later), so these are generous: Alipay advises allowing
	// several seconds for precreate and cancel.
	PrecreateTimeout time.Duration // alipay.trade.precreate (default 10 s)
	QueryTimeout     time.Duration // alipay.trade.query (default 5 s)
	CancelTimeout    time.Duration // one alipay.trade.cancel attempt (default 10 s)
	RefundTimeout    time.Duration // one alipay.trade.refund attempt (default 10 s)
	PayTimeout       time.Duration // alipay.trade.pay, charging a payment code (default 10 s)

	CancelAttempts int           // cancel tries before the outcome is unknown (default 4)
	CancelBackoff  time.Duration // wait before the second try, doubled after each (default 1 s)

	NotifyURL string // sent with every precreate when set
	Mode      Mode

	// Location is the shop's time zone: order numbers carry its wall
	// clock, as the ledger's days and the screen's times do (default Local).
	Location *time.Location
}

// Defaults.
const (
	DefaultQRTimeout      = 120 * time.Second
	DefaultPollInterval   = 5 * time.Second
	DefaultCancelAttempts = 4
	DefaultCancelBackoff  = time.Second
	DefaultSubject        = "Counter sale"
	DefaultTerminalID     = "T1"

	DefaultPrecreateTimeout = 10 * time.Second
	DefaultQueryTimeout     = 5 * time.Second
	DefaultCancelTimeout    = 10 * time.Second
	DefaultRefundTimeout    = 10 * time.Second
	DefaultPayTimeout       = 10 * time.Second
)

func (c Config) withDefaults() Config {
	if c.QRTimeout == 0 {
		c.QRTimeout = DefaultQRTimeout
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	for _, d := range c.deadlines() {
		if *d.value == 0 {
			*d.value = d.def
		}
	}
	if c.CancelAttempts == 0 {
		c.CancelAttempts = DefaultCancelAttempts
	}
	if c.CancelBackoff == 0 {
		c.CancelBackoff = DefaultCancelBackoff
	}
	if c.Subject == "" {
		c.Subject = DefaultSubject
	}
	if c.TerminalID == "" {
		c.TerminalID = DefaultTerminalID
	}
	if c.Location == nil {
		c.Location = time.Local
	}
	return c
}

// SettingError is a length of time outside the range the kiosk works
// in: Setting is its name in the configuration (qr_timeout), Value what it
// was given, Min to Max the range, Default its value when not set (0 when
// it has none to say). For poll_interval, Max is qr_timeout.
type SettingError struct {
	Setting                  string
	Value, Min, Max, Default time.Duration
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s %s is outside %s–%s", e.Setting, e.Value, e.Min, e.Max)
}

// The range of qr_timeout: Alipay keeps an unscanned code for 2 h at most.
const (
	MinQRTimeout    = 10 * time.Second
	MaxQRTimeout    = 2 * time.Hour
	MinPollInterval = 100 * time.Millisecond
)

func (c Config) validate() error {
	switch {
	case c.QRTimeout < MinQRTimeout || c.QRTimeout > MaxQRTimeout:
		return &SettingError{Setting: "qr_timeout", Value: c.QRTimeout, Min: MinQRTimeout, Max: MaxQRTimeout, Default: DefaultQRTimeout}
	case c.PollInterval < MinPollInterval || c.PollInterval > c.QRTimeout:
		return &SettingError{Setting: "poll_interval", Value: c.PollInterval, Min: MinPollInterval, Max: c.QRTimeout, Default: DefaultPollInterval}
	case c.CancelAttempts < 1:
		return fmt.Errorf("cancel attempts must be at least 1, not %d", c.CancelAttempts)
	}
	for _, d := range c.deadlines() {
		if *d.value < MinCallTimeout || *d.value > MaxCallTimeout {
			return &SettingError{Setting: d.key, Value: *d.value, Min: MinCallTimeout, Max: MaxCallTimeout, Default: d.def}
		}
	}
	return nil
}

// The range of a call deadline: below it hardly any call could finish;
// above it the cashier would wait minutes for one answer.
const (
	MinCallTimeout = 100 * time.Millisecond
	MaxCallTimeout = 2 * time.Minute
)

// deadline is one call deadline with its config key and its default.
type deadline struct {
	key   string
	value *time.Duration
	def   time.Duration
}

// deadlines lists the call deadlines of c, so that defaults and checks
// cannot miss one.
func (c *Config) deadlines() []deadline {
	return []deadline{
		{"precreate_timeout", &c.PrecreateTimeout, DefaultPrecreateTimeout},
		{"query_timeout", &c.QueryTimeout, DefaultQueryTimeout},
		{"cancel_timeout", &c.CancelTimeout, DefaultCancelTimeout},
		{"refund_timeout", &c.RefundTimeout, DefaultRefundTimeout},
		{"pay_timeout", &c.PayTimeout, DefaultPayTimeout},
	}
}

// Validate reports settings a Register would refuse, defaults filled in.
func (c Config) Validate() error { return c.withDefaults().validate() }
