package escpos

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// An op is one command or one printed line read back out of a job.
type op struct {
	name string // "ESC @", "TEXT", "GS ( k 180", …
	args []byte
	text string // TEXT: the line decoded from GB18030
}

func (o op) String() string {
	switch {
	case o.name == "TEXT":
		return fmt.Sprintf("TEXT %q", o.text)
	case o.name == "QR store":
		return fmt.Sprintf("QR store %q", o.args)
	case len(o.args) > 0:
		return fmt.Sprintf("%s % x", o.name, o.args)
	}
	return o.name
}

// parseJob reads a job as a printer would, knowing only the commands this
// package may send. It fails on anything else, on text outside Chinese mode
// and on bytes after the final FS ., so the golden files prove the stream is
// well formed, not only that it is unchanged.
func parseJob(job []byte) ([]op, error) {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var ops []op
	chinese, ended := false, false
	var text []byte
	fixed := map[string]int{ // command → parameter bytes
		"\x1b@": 0, "\x1c&": 0, "\x1c.": 0, "\x1ba": 1, "\x1bE": 1, "\x1bd": 1, "\x1d!": 1,
	}
	names := map[string]string{
		"\x1b@": "ESC @", "\x1c&": "FS &", "\x1c.": "FS .", "\x1ba": "ESC a", "\x1bE": "ESC E",
		"\x1bd": "ESC d", "\x1d!": "GS !",
	}
	for i := 0; i < len(job); {
		if ended {
			return nil, fmt.Errorf("byte %d: data after FS .", i)
		}
		b := job[i]
		switch {
		case b == lf:
			s, err := dec.Bytes(text)
			if err != nil {
				return nil, fmt.Errorf("byte %d: line % x is not GB18030: %v", i, text, err)
			}
			ops = append(ops, op{name: "TEXT", text: string(s)})
			text = text[:0]
			i++
		case b >= 0x20:
			if !chinese {
				return nil, fmt.Errorf("byte %d: text outside Chinese mode", i)
			}
			text = append(text, b)
			i++
		case len(text) > 0:
			return nil, fmt.Errorf("byte %d: command 0x%02x inside a line of text", i, b)
		case i+1 < len(job) && b == gs && job[i+1] == 'V':
			if i+3 >= len(job) || job[i+2] != 66 {
				return nil, fmt.Errorf("byte %d: unexpected cut command", i)
			}
			ops = append(ops, op{name: "GS V", args: job[i+2 : i+4]})
			i += 4
		case i+2 < len(job) && b == gs && job[i+1] == '(' && job[i+2] == 'k':
			o, n, err := parseQR(job[i:])
			if err != nil {
				return nil, fmt.Errorf("byte %d: %v", i, err)
			}
			ops = append(ops, o)
			i += n
		case i+1 < len(job):
			cmd := string(job[i : i+2])
			n, ok := fixed[cmd]
			if !ok || i+2+n > len(job) {
				return nil, fmt.Errorf("byte %d: unknown command % x", i, job[i:i+2])
			}
			ops = append(ops, op{name: names[cmd], args: job[i+2 : i+2+n]})
			switch cmd {
			case "\x1c&":
				chinese = true
			case "\x1c.":
				chinese, ended = false, true
			}
			i += 2 + n
		default:
			return nil, fmt.Errorf("byte %d: truncated command", i)
		}
	}
	if len(text) > 0 {
		return nil, fmt.Errorf("unterminated line % x", text)
	}
	if !ended {
		return nil, fmt.Errorf("the job does not end with FS .")
	}
	return ops, nil
}

func parseQR(b []byte) (op, int, error) {
	if len(b) < 7 {
		return op{}, 0, fmt.Errorf("truncated GS ( k")
	}
	n := int(b[3]) + 256*int(b[4])
	if len(b) < 5+n || n < 2 || b[5] != 49 {
		return op{}, 0, fmt.Errorf("bad GS ( k length or symbol")
	}
	args := b[7 : 5+n]
	name := map[byte]string{65: "QR model", 67: "QR module", 69: "QR level", 80: "QR store", 81: "QR print"}[b[6]]
	if name == "" {
		return op{}, 0, fmt.Errorf("unknown QR function %d", b[6])
	}
	if name == "QR store" {
		if len(args) < 1 || args[0] != 48 {
			return op{}, 0, fmt.Errorf("QR store without m = 48")
		}
		args = args[1:]
	}
	return op{name: name, args: args}, 5 + n, nil
}

// listing is the golden text form of a job: one op a line.
func listing(ops []op) string {
	var b strings.Builder
	for _, o := range ops {
		b.WriteString(o.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// printedLines is the text of a job as it comes out on paper.
func printedLines(ops []op) []string {
	var lines []string
	for _, o := range ops {
		if o.name == "TEXT" {
			lines = append(lines, o.text)
		}
	}
	return lines
}
