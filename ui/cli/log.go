package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/pos"
)

// Log prints the log of the data directory dir, each JSON record as one
// readable line (format "text", times in loc) or as it is ("json"); with
// wake set it goes on printing records as they are added, looking again
// each time wake fires, until ctx ends.
func Log(ctx context.Context, w io.Writer, dir string, wake <-chan time.Time, format string, loc *time.Location) error {
	var out io.Writer
	switch format {
	case "text", "":
		lw := &lineWriter{w: w, loc: loc}
		defer lw.flush()
		out = lw
	case "json":
		out = w
	default:
		return UsageError{badFormat(format, say.CLI.WantTextJSON)}
	}
	err := pos.FollowLog(ctx, dir, out, wake)
	if errors.Is(err, pos.ErrNoLog) {
		return Usagef("%s", noLogYet(pos.LogPath(dir)))
	}
	return err
}

// lineWriter turns the JSON records written to it into readable lines;
// a line that is not a JSON object passes as it is.
type lineWriter struct {
	w       io.Writer
	loc     *time.Location
	partial []byte
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	lw.partial = append(lw.partial, p...)
	for {
		i := bytes.IndexByte(lw.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := lw.partial[:i]
		if _, err := fmt.Fprintln(lw.w, readableRecord(line, lw.loc)); err != nil {
			return 0, err
		}
		lw.partial = lw.partial[i+1:]
	}
}

// flush prints a last line without its newline.
func (lw *lineWriter) flush() {
	if len(lw.partial) > 0 {
		fmt.Fprintln(lw.w, readableRecord(lw.partial, lw.loc))
		lw.partial = nil
	}
}

// readableRecord is a JSON record as "time LEVEL message key=value …",
// the keys in the record's own order; the level, the message and a hint
// in the kiosk's words (the keys as the JSON names them).
func readableRecord(line []byte, loc *time.Location) string {
	fields, ok := orderedFields(line)
	if !ok {
		return string(line)
	}
	var head, rest []string
	for _, f := range fields {
		switch f.key {
		case "time":
			if t, err := time.Parse(time.RFC3339Nano, f.value); err == nil {
				f.value = t.In(loc).Format(time.DateTime)
			}
			head = append(head, f.value)
		case "level":
			head = append(head, saidLevel(f.value))
		case "msg":
			head = append(head, saidMessage(f.value))
		default:
			v := f.value
			if f.key == "hint" {
				v = cmp.Or(say.Log.Hints[v], v)
			}
			if v == "" || strings.ContainsAny(v, " \t\"=") {
				v = fmt.Sprintf("%q", v)
			}
			rest = append(rest, f.key+"="+v)
		}
	}
	return strings.Join(append(head, rest...), " ")
}

type logField struct{ key, value string }

// orderedFields reads a flat JSON object's members in order, values as
// their text (strings unquoted); false when line is not such an object.
func orderedFields(line []byte) ([]logField, bool) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var fields []logField
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v) // a number, a bool, or a nested group
		}
		fields = append(fields, logField{key: fmt.Sprint(k), value: s})
	}
	return fields, true
}

// saidLevel is a record's level in words, padded to the width of the
// widest, so that the messages line up.
func saidLevel(level string) string {
	width := 0
	for _, l := range say.Log.Levels {
		width = max(width, ansi.StringWidth(l))
	}
	said := cmp.Or(say.Log.Levels[level], level)
	return said + strings.Repeat(" ", max(0, width-ansi.StringWidth(said)))
}

// saidMessage is a record's message in words: the kiosk's own, or the
// embedded emulator's; one neither knows is shown as it is, marked.
func saidMessage(msg string) string {
	if said := cmp.Or(say.Log.Says[msg], say.Emulator.LogSays[msg]); said != "" {
		return said
	}
	return say.Log.Unknown.F(msg)
}
