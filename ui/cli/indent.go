package cli

// indentJSON appends src, compact JSON as encoding/json writes it (valid,
// no space outside strings), to dst laid out as json.Indent lays it out
// with no prefix and two spaces: one member or element a line, empty
// objects and arrays as {} and [], what follows the value kept. It is
// json.Indent's layout in one pass over bytes known to be valid:
// json.Indent validates and re-scans them with its state machine, which
// costs four times the encoding of a day's ledger (BENCHMARKS.md).
func indentJSON(dst, src []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, "  "...)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			end := closingQuote(src, i)
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
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
