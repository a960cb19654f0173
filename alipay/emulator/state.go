package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"
)

// stateVersion is the version of the state file's first format, read and
// migrated to the journal (journal.go).
const stateVersion = 1

// stateFile is the state file of version 1, one JSON document.
type stateFile struct {
	Version    int           `json:"version"`
	Trades     []storedTrade `json:"trades"`
	BuyerCodes []BuyerCode   `json:"buyer_codes,omitempty"`
}

// storedTrade is one trade in the state file (a line of the journal, an
// element of version 1's list): everything the table holds.
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
// is an error, and the file is left alone for someone to look at. A file
// of version 1 (one JSON document, rewritten at every change) is migrated
// to the journal; a journal past its bound is compacted; a last line cut
// short by a crash is cut off.
func (e *Emulator) loadState() (int, error) {
	path := e.cfg.StatePath
	e.state = newJournal(path)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil // the first change writes the file
	}
	if err != nil {
		return 0, fmt.Errorf("emulator state: %w", err)
	}
	corrupt := func(err error) error {
		e, ok := errors.AsType[*StateError](err)
		if !ok {
			e = &StateError{Err: err, detail: err.Error()} // of no kind known
		}
		e.Path = path
		return e
	}
	header, body, isJournal := bytes.Cut(data, []byte("\n"))
	isJournal = isJournal && string(header) == journalHeader
	var (
		trades []storedTrade
		codes  []BuyerCode
	)
	records, whole := 0, len(data)
	if isJournal {
		trades, codes, records, whole, err = readJournal(body)
		whole += len(header) + 1
	} else {
		trades, codes, err = readVersion1(data)
	}
	if err != nil {
		return 0, corrupt(err)
	}
	if err := e.fillTable(trades); err != nil {
		return 0, corrupt(err)
	}
	if err := e.restoreCodes(codes); err != nil {
		return 0, corrupt(err)
	}
	e.state.records = records
	switch {
	case !isJournal:
		e.log.Info("emulator state: migrating to the journal format", "path", path, "trades", len(trades))
		err = e.state.rewrite(trades, codes)
	case e.state.overBound(len(trades) + len(codes)):
		err = e.state.rewrite(trades, codes)
	default:
		err = e.state.reopen(whole, len(data))
		if whole < len(data) {
			e.log.Warn("emulator state: the last line was cut short, as by a crash, and is ignored",
				"path", path, "bytes", len(data)-whole)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("emulator state %s: %w", path, err)
	}
	return len(trades), nil
}

// StateError is a state file the emulator refuses, leaving it as it is,
// as facts for the words of the command line: the file, what is wrong
// (Problem), where (Line, of a journal; 0 in a file of version 1, one
// JSON document) and of which record (OutTradeNo, Code). Err is the cause:
// for StateJSON the JSON decoder's error, of Size bytes of JSON (the line,
// or the whole file); for StateTrade and StateCode the rule broken.
type StateError struct {
	Path       string
	Problem    StateProblem
	Line       int
	OutTradeNo string
	Code       string
	Version    int    // StateVersion: the version the file says it is
	Field      string // StateUnknown: the member's path ("trades.colour")
	Size       int
	Err        error

	detail string // the English for logs
}

// StateProblem is what makes a state file unusable.
type StateProblem int

// The problems of a state file.
const (
	StateJSON     StateProblem = iota + 1 // Err: the decoder's, of Size bytes
	StateTrailing                         // more after the JSON of the file or its line
	StateVersion                          // Version: not the version this emulator reads (StateFileVersion)
	StateTrade                            // trade OutTradeNo breaks the rules of a trade (Err: which)
	StateTwice                            // trade OutTradeNo appears twice, or shares a QR token or trade_no
	StateCode                             // a buyer code (Code, when it has one) breaks the rules of a code
	StateUnknown                          // Field: a member of the JSON that no field of a trade or a code takes
)

// StateFileVersion is the version of the state file's first format, the
// one a file that is not a journal must have.
const StateFileVersion = stateVersion

func (e *StateError) Error() string {
	return fmt.Sprintf("emulator state file %s is corrupt: %s; it has not been changed: repair it or move it away to start empty",
		e.Path, e.detail)
}

// Unwrap returns the cause.
func (e *StateError) Unwrap() error { return e.Err }

// jsonFault is the *StateError for err, which decoding data into v with
// DisallowUnknownFields gave: a member no field takes (StateUnknown), else
// the decoder's (StateJSON).
func jsonFault(data []byte, v any, err error) *StateError {
	e := &StateError{Problem: StateJSON, Size: len(data), Err: err, detail: err.Error()}
	if field, ok := unknownField(data, v); ok {
		e.Problem, e.Field = StateUnknown, field
	}
	return e
}

// readVersion1 reads a state file of version 1: its trades and buyer codes.
func readVersion1(data []byte) ([]storedTrade, []BuyerCode, error) {
	var st stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, nil, jsonFault(data, &st, err)
	}
	if dec.More() {
		return nil, nil, &StateError{Problem: StateTrailing, detail: "data after the JSON document"}
	}
	if st.Version != stateVersion {
		return nil, nil, &StateError{Problem: StateVersion, Version: st.Version, detail: fmt.Sprintf("version %d, want %d", st.Version, stateVersion)}
	}
	for i := range st.Trades {
		if err := st.Trades[i].check(); err != nil {
			return nil, nil, &StateError{Problem: StateTrade, OutTradeNo: st.Trades[i].OutTradeNo, Err: err,
				detail: fmt.Sprintf("trade %d (%s): %v", i+1, st.Trades[i].OutTradeNo, err)}
		}
	}
	return st.Trades, st.BuyerCodes, nil
}

// fillTable adds the checked trades to the empty table, refusing a set
// that repeats an out_trade_no, a QR token or a trade_no.
func (e *Emulator) fillTable(trades []storedTrade) error {
	for i := range trades {
		t := trades[i].restore()
		twice := func(format string, arg string) error {
			return &StateError{Problem: StateTwice, OutTradeNo: t.OutTradeNo, detail: fmt.Sprintf(format, arg)}
		}
		switch {
		case e.trades.byOutTradeNo[t.OutTradeNo] != nil:
			return twice("out_trade_no %s appears twice", t.OutTradeNo)
		case e.trades.byToken[t.token] != nil:
			return twice("trade %s reuses a QR token", t.OutTradeNo)
		case t.TradeNo != "" && e.trades.byTradeNo[t.TradeNo] != nil:
			return twice("trade_no %s appears twice", t.TradeNo)
		}
		e.trades.add(t)
		if t.TradeNo != "" {
			e.trades.byTradeNo[t.TradeNo] = t
		}
	}
	return nil
}

// saveLocked records a change of t in the state file, if there is one.
// Called with the lock held, so that the lines follow the order of the
// changes, and before the answer or the notification about the change
// leaves. A failure is logged, not returned: the table in memory stays
// right, and the next change rewrites the whole file.
func (e *Emulator) saveLocked(t *trade) {
	s := t.store()
	e.appendLocked(journalRecord{trade: &s})
}

// saveCodeLocked records that buyer code c was issued or used, as
// saveLocked records a trade's change.
func (e *Emulator) saveCodeLocked(c *BuyerCode) {
	e.appendLocked(journalRecord{code: c})
}

func (e *Emulator) appendLocked(rec journalRecord) {
	j := e.state
	if j == nil {
		return
	}
	err := j.append(rec)
	if err == nil && !j.overBound(len(e.trades.byOutTradeNo)+len(e.codes)) {
		return
	}
	if err != nil && !errors.Is(err, errJournalClosed) {
		e.log.Warn("append to the emulator state; rewriting it", "path", j.path, "err", err)
	}
	if err := j.rewrite(e.storedTrades(), e.storedCodes()); err != nil {
		e.log.Error("save emulator state; the trades are only in memory until the next successful save",
			"path", j.path, "err", err)
	}
}

// storedTrades converts the whole table for the file.
func (e *Emulator) storedTrades() []storedTrade {
	out := make([]storedTrade, 0, len(e.trades.byOutTradeNo))
	for _, t := range e.trades.byOutTradeNo {
		out = append(out, t.store())
	}
	return out
}
