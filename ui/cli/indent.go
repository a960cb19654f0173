package cli

import "io"

// indentChunk is how much laid-out JSON writeIndented holds before it
// writes it: a day's ledger goes out in pieces, never copied whole.
const indentChunk = 64 << 10

// writeIndented writes src, compact JSON as encoding/json writes it (valid,
// no space outside strings), to w laid out as json.Indent lays it out with
// no prefix and two spaces: one member or element a line, empty objects
// and arrays as {} and [], what follows the value kept. It is
// json.Indent's layout in one pass over bytes known to be valid:
// json.Indent validates and re-scans them with its state machine, which
// costs three times the encoding of a day's ledger (BENCHMARKS.md).
func writeIndented(w io.Writer, src []byte) error {
	buf := make([]byte, 0, min(len(src)*3/2, indentChunk)+1<<10)
	depth := 0
	var err error
	newline := func() {
		if len(buf) >= indentChunk && err == nil { // between two tokens
			_, err = w.Write(buf)
			buf = buf[:0]
		}
		buf = append(buf, '\n')
		for range depth {
			buf = append(buf, "  "...)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			end := closingQuote(src, i)
			buf = append(buf, src[i:end+1]...)
			i = end
		case '{', '[':
			buf = append(buf, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				buf = append(buf, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			buf = append(buf, c)
		case ',':
			buf = append(buf, c)
			newline()
		case ':':
			buf = append(buf, ':', ' ')
		default:
			buf = append(buf, c)
		}
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// closingQuote is the index of the quote that ends the string opened at
// src[open], or the last index of src if it does not end.
func closingQuote(src []byte, open int) int {
	for i := open + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(src) - 1
}
