package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The state file is a journal: the header line, then one line per change
// of a trade holding the whole trade after the change (a storedTrade as
// JSON), so that a new field of a trade needs nothing here, or per buyer
// code issued or used ({"buyer_code":{…}}). At load the last line of each
// out_trade_no is the trade, and the last line of each code the code.
//
// A change costs one write(2) of its line, under the emulator's lock and
// before the answer leaves, and no fsync: a killed process has handed
// every line to the kernel, so its trades are all there at the next start;
// a power cut may lose the last lines, and a line cut short is ignored at
// load. The emulator is a demonstration gateway: the kiosk's ledger is
// the shop's record, and it is fsynced.
//
// When the journal holds more than twice as many lines as there are
// trades, plus compactSlack, it is compacted: rewritten with one line per
// trade (temporary file, fsync, rename), at start or after the change that
// crossed the bound. Each compaction writes n lines after at least n/2
// changes, so a change costs a bounded amount of writing whatever the
// number of trades.
const journalHeader = `{"version":2}`

// compactSlack is how many lines a journal may hold beyond twice the
// number of trades before it is compacted: a small journal is never
// rewritten.
const compactSlack = 1024

// journal is the open state file. The Emulator's mutex guards it.
type journal struct {
	path    string
	file    *os.File // open for appending; nil: the next change compacts
	records int      // trade lines in the file
	buf     bytes.Buffer
	enc     *json.Encoder // writes one line into buf
}

// newJournal returns the journal at path, not yet open.
func newJournal(path string) *journal {
	j := &journal{path: path}
	j.enc = json.NewEncoder(&j.buf)
	return j
}

// overBound reports whether the journal should be compacted, for a table
// of trades trades.
func (j *journal) overBound(trades int) bool {
	return j.records > 2*trades+compactSlack
}

// errJournalClosed means the journal has no open file: the change must be
// written by a compaction.
var errJournalClosed = errors.New("journal not open")

// journalRecord is one line: a trade or a buyer code.
type journalRecord struct {
	trade *storedTrade
	code  *BuyerCode
}

// codeLine is how a buyer code's line is written.
type codeLine struct {
	BuyerCode *BuyerCode `json:"buyer_code"`
}

// codeLinePrefix tells a buyer code's line from a trade's.
const codeLinePrefix = `{"buyer_code":`

func (j *journal) encode(rec journalRecord) error {
	if rec.code != nil {
		return j.enc.Encode(codeLine{BuyerCode: rec.code})
	}
	return j.enc.Encode(rec.trade)
}

// append writes one line. On a failure the file is closed, so that the
// next change rewrites it whole rather than append after half a line.
func (j *journal) append(rec journalRecord) error {
	if j.file == nil {
		return errJournalClosed
	}
	j.buf.Reset()
	if err := j.encode(rec); err != nil { // Encode ends the line with '\n'
		return err
	}
	if _, err := j.file.Write(j.buf.Bytes()); err != nil {
		j.close()
		return err
	}
	j.records++
	return nil
}

// close syncs and closes the file, if open.
func (j *journal) close() error {
	if j.file == nil {
		return nil
	}
	err := errors.Join(j.file.Sync(), j.file.Close())
	j.file = nil
	return err
}

// rewrite replaces the journal with one line per trade of trades, sorted
// oldest first, then one per buyer code: a synced temporary file renamed
// over it, so that a crash leaves the old journal or the new one. The new
// file stays open for appending.
func (j *journal) rewrite(trades []storedTrade, codes []BuyerCode) error {
	slices.SortFunc(trades, func(a, b storedTrade) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.OutTradeNo, b.OutTradeNo)
	})
	j.buf.Reset()
	j.buf.WriteString(journalHeader + "\n")
	for i := range trades {
		if err := j.enc.Encode(&trades[i]); err != nil {
			return err
		}
	}
	for i := range codes {
		if err := j.encode(journalRecord{code: &codes[i]}); err != nil {
			return err
		}
	}
	if err := j.close(); err != nil {
		return err
	}
	dir := filepath.Dir(j.path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(j.path)+".tmp*")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	err = writeSynced(tmp, j.buf.Bytes())
	if j.buf.Cap() > 64<<10 {
		j.buf = bytes.Buffer{} // do not keep a big table's copy; enc writes to the field still
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return err
	}
	keep = true
	j.file, j.records = tmp, len(trades)+len(codes)
	return syncDir(dir)
}

// reopen opens the journal read at load for appending, first cutting off
// a last line cut short (whole is the length that holds whole lines, size
// the length read).
func (j *journal) reopen(whole, size int) error {
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if whole < size {
		if err := f.Truncate(int64(whole)); err != nil {
			f.Close()
			return err
		}
	}
	j.file = f
	return nil
}

// writeSynced makes f private, writes data to it and syncs it.
func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// readJournal reads the lines after the header: the trades and buyer
// codes, the number of lines read, and the length of data that holds whole
// lines. A last line without its newline, or one that does not decode, was
// cut short by a crash and is left out; a bad line before the last is
// corruption.
func readJournal(data []byte) (trades []storedTrade, codes []BuyerCode, records, whole int, err error) {
	tradeAt, codeAt := map[string]int{}, map[string]int{}
	rest := data
	for len(rest) > 0 {
		line, after, complete := bytes.Cut(rest, []byte("\n"))
		rec, err := decodeRecord(line)
		last := !complete || len(after) == 0
		switch {
		case err != nil && last, !complete:
			return trades, codes, records, whole, nil
		case err != nil:
			return nil, nil, 0, 0, lineFault(records+2, line, err)
		}
		if rec.code != nil {
			codes = keepLast(codes, codeAt, rec.code.Code, *rec.code)
		} else {
			if err := rec.trade.check(); err != nil {
				return nil, nil, 0, 0, &StateError{Problem: StateTrade, Line: records + 2, OutTradeNo: rec.trade.OutTradeNo,
					Err: err, detail: fmt.Sprintf("line %d (%s): %v", records+2, rec.trade.OutTradeNo, err)}
			}
			trades = keepLast(trades, tradeAt, rec.trade.OutTradeNo, *rec.trade)
		}
		records++
		whole += len(line) + 1
		rest = after
	}
	return trades, codes, records, whole, nil
}

var (
	errEmptyCode   = errors.New("an empty buyer code")
	errAfterRecord = errors.New("data after the trade or code")
)

// lineFault is the *StateError for err, which decoding the journal's line
// (its number n) gave.
func lineFault(n int, line []byte, err error) *StateError {
	e := &StateError{Problem: StateJSON, Line: n, Size: len(line), Err: err, detail: fmt.Sprintf("line %d: %v", n, err)}
	if je, ok := errors.AsType[*StateError](err); ok { // the line's JSON
		e.Problem, e.Field, e.Err, e.detail = je.Problem, je.Field, je.Err, fmt.Sprintf("line %d: %s", n, je.detail)
	}
	switch {
	case errors.Is(err, errAfterRecord):
		e.Problem = StateTrailing
	case errors.Is(err, errEmptyCode):
		e.Problem = StateCode
	}
	return e
}

// keepLast puts v in list, replacing an earlier value of the same key.
func keepLast[T any](list []T, at map[string]int, key string, v T) []T {
	if i, ok := at[key]; ok {
		list[i] = v
		return list
	}
	at[key] = len(list)
	return append(list, v)
}

// decodeRecord decodes one line: exactly one trade or one buyer code, no
// unknown field.
func decodeRecord(line []byte) (journalRecord, error) {
	if bytes.HasPrefix(line, []byte(codeLinePrefix)) {
		var c codeLine
		if err := decodeStrict(line, &c); err != nil {
			return journalRecord{}, err
		}
		if c.BuyerCode == nil {
			return journalRecord{}, errEmptyCode
		}
		return journalRecord{code: c.BuyerCode}, nil
	}
	var s storedTrade
	if err := decodeStrict(line, &s); err != nil {
		return journalRecord{}, err
	}
	return journalRecord{trade: &s}, nil
}

// decodeStrict decodes line into v: one JSON value, no unknown field,
// nothing after it.
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonFault(line, v, err)
	}
	if dec.InputOffset() != int64(len(bytes.TrimRight(line, " \t\r"))) {
		return errAfterRecord
	}
	return nil
}
