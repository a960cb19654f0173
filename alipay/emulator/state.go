package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// stateVersion is the format of the state file.
const stateVersion = 1

// stateFile is the JSON document at Config.StatePath.
type stateFile struct {
	Version    int           `json:"version"`
	Trades     []storedTrade `json:"trades"`
	BuyerCodes []BuyerCode   `json:"buyer_codes,omitempty"`
}

// storedTrade is one trade in the state file: everything the table holds.
type storedTrade struct {
	OutTradeNo   string    `json:"out_trade_no"`
	TradeNo      string    `json:"trade_no,omitempty"`
	Subject      string    `json:"subject"`
	BuyerLogonID string    `json:"buyer_logon_id,omitempty"`
	BuyerUserID  string    `json:"buyer_user_id,omitempty"`
	TotalFen     int64     `json:"total_fen"`
	Status       string    `json:"status"`
	Refunded     bool      `json:"refunded,omitempty"`
	Refunds      []Refund  `json:"refunds,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	PaidAt       time.Time `json:"paid_at,omitzero"`
	QRExpiresAt  time.Time `json:"qr_expires_at,omitzero"`
	Token        string    `json:"token"`
	StoreID      string    `json:"store_id,omitempty"`
	TerminalID   string    `json:"terminal_id,omitempty"`
	NotifyURL    string    `json:"notify_url,omitempty"`
	Scene        string    `json:"scene,omitempty"`
	AuthCode     string    `json:"auth_code,omitempty"`
}

// store converts a table entry for the file.
func (t *trade) store() storedTrade {
	return storedTrade{
		OutTradeNo: t.OutTradeNo, TradeNo: t.TradeNo, Subject: t.Subject,
		BuyerLogonID: t.BuyerLogonID, BuyerUserID: t.buyerUserID,
		TotalFen: t.TotalFen, Status: t.Status, Refunded: t.Refunded, Refunds: t.Refunds,
		CreatedAt: t.CreatedAt, PaidAt: t.PaidAt, QRExpiresAt: t.QRExpiresAt,
		Token: t.token, StoreID: t.storeID, TerminalID: t.terminalID, NotifyURL: t.notifyURL,
		Scene: t.Scene, AuthCode: t.AuthCode,
	}
}

// restore converts a stored trade back into a table entry.
func (s *storedTrade) restore() *trade {
	return &trade{
		Trade: Trade{
			OutTradeNo: s.OutTradeNo, TradeNo: s.TradeNo, Subject: s.Subject, BuyerLogonID: s.BuyerLogonID,
			TotalFen: s.TotalFen, Status: s.Status, Refunded: s.Refunded, Refunds: s.Refunds,
			CreatedAt: s.CreatedAt, PaidAt: s.PaidAt, QRExpiresAt: s.QRExpiresAt,
			Scene: s.Scene, AuthCode: s.AuthCode,
		},
		token: s.Token, buyerUserID: s.BuyerUserID, storeID: s.StoreID, terminalID: s.TerminalID, notifyURL: s.NotifyURL,
	}
}

// check reports what makes a stored trade unusable.
func (s *storedTrade) check() error {
	known := []string{StatusPrecreated, StatusWaitBuyerPay, StatusTradeSuccess, StatusTradeClosed}
	switch {
	case checkOutTradeNo(s.OutTradeNo) != nil:
		return fmt.Errorf("invalid out_trade_no %q", s.OutTradeNo)
	case s.Token == "":
		return errors.New("no QR token")
	case !slices.Contains(known, s.Status):
		return fmt.Errorf("unknown status %q", s.Status)
	case s.Status == StatusPrecreated && s.TradeNo != "",
		(s.Status == StatusWaitBuyerPay || s.Status == StatusTradeSuccess) && s.TradeNo == "":
		// Only a scan gives a trade_no; a trade closed before the scan has none.
		return fmt.Errorf("status %s with trade_no %q", s.Status, s.TradeNo)
	case s.TotalFen <= 0:
		return fmt.Errorf("total %d fen", s.TotalFen)
	}
	var refunded int64
	for _, r := range s.Refunds {
		refunded += r.Fen
	}
	if refunded > s.TotalFen {
		return fmt.Errorf("refunds of %d fen exceed the total of %d", refunded, s.TotalFen)
	}
	return nil
}

// loadState fills the empty table from Config.StatePath and returns the
// number of trades. A missing file is an empty table; anything unreadable
// is an error, and the file is left alone for someone to look at.
func (e *Emulator) loadState() (int, error) {
	path := e.cfg.StatePath
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("emulator state: %w", err)
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("emulator state file %s is corrupt: %s; it has not been changed: repair it or move it away to start empty",
			path, fmt.Sprintf(format, args...))
	}
	var st stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return 0, corrupt("%v", err)
	}
	if dec.More() {
		return 0, corrupt("data after the JSON document")
	}
	if st.Version != stateVersion {
		return 0, corrupt("version %d, want %d", st.Version, stateVersion)
	}
	for i := range st.Trades {
		s := &st.Trades[i]
		if err := s.check(); err != nil {
			return 0, corrupt("trade %d (%s): %v", i+1, s.OutTradeNo, err)
		}
		t := s.restore()
		switch {
		case e.trades.byOutTradeNo[t.OutTradeNo] != nil:
			return 0, corrupt("out_trade_no %s appears twice", t.OutTradeNo)
		case e.trades.byToken[t.token] != nil:
			return 0, corrupt("trade %s reuses a QR token", t.OutTradeNo)
		case t.TradeNo != "" && e.trades.byTradeNo[t.TradeNo] != nil:
			return 0, corrupt("trade_no %s appears twice", t.TradeNo)
		}
		e.trades.add(t)
		if t.TradeNo != "" {
			e.trades.byTradeNo[t.TradeNo] = t
		}
	}
	if err := e.restoreCodes(st.BuyerCodes); err != nil {
		return 0, corrupt("%v", err)
	}
	return len(st.Trades), nil
}

// saveLocked rewrites the state file after a change, if there is one.
// Called with the lock held, so that saves happen in the order of the
// changes. A failure is logged, not returned: the table in memory stays
// right, and the next change writes the whole file again.
func (e *Emulator) saveLocked() {
	if e.cfg.StatePath == "" {
		return
	}
	st := stateFile{Version: stateVersion, Trades: make([]storedTrade, 0, len(e.trades.byOutTradeNo))}
	for _, t := range e.trades.byOutTradeNo {
		st.Trades = append(st.Trades, t.store())
	}
	slices.SortFunc(st.Trades, func(a, b storedTrade) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.OutTradeNo, b.OutTradeNo)
	})
	st.BuyerCodes = e.storedCodes()
	data, err := json.MarshalIndent(st, "", "\t")
	if err == nil {
		err = writeAtomic(e.cfg.StatePath, append(data, '\n'))
	}
	if err != nil {
		e.log.Error("save emulator state; the trades are only in memory until the next successful save",
			"path", e.cfg.StatePath, "err", err)
	}
}

// writeAtomic replaces path with data: a synced temporary file in the same
// directory renamed over it, so that a crash leaves the old file or the new
// one, never half of one.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := fillFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}
