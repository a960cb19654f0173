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
	CallTimeout  time.Duration // deadline of one gateway call (default 4/5 of PollInterval)

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
)

func (c Config) withDefaults() Config {
	if c.QRTimeout == 0 {
		c.QRTimeout = DefaultQRTimeout
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.CallTimeout == 0 {
		c.CallTimeout = c.PollInterval * 4 / 5
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

func (c Config) validate() error {
	switch {
	case c.QRTimeout < 10*time.Second || c.QRTimeout > 2*time.Hour:
		return fmt.Errorf("qr_timeout %s is outside 10s–2h (Alipay keeps an unscanned code for 2 h at most)", c.QRTimeout)
	case c.PollInterval < 100*time.Millisecond || c.PollInterval > c.QRTimeout:
		return fmt.Errorf("poll_interval %s must be at least 100ms and no longer than qr_timeout %s", c.PollInterval, c.QRTimeout)
	case c.CallTimeout <= 0 || c.CallTimeout > c.PollInterval:
		return fmt.Errorf("the gateway call deadline %s must be positive and shorter than poll_interval %s", c.CallTimeout, c.PollInterval)
	case c.CancelAttempts < 1:
		return fmt.Errorf("cancel attempts must be at least 1, not %d", c.CancelAttempts)
	}
	return nil
}

// Validate reports settings a Register would refuse, defaults filled in.
func (c Config) Validate() error { return c.withDefaults().validate() }
