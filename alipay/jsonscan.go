package alipay

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A gateway answer is read in one pass over its bytes: the scanner below
// checks that they are JSON exactly as encoding/json would (the same
// grammar, the same nesting limit) and, on the way, notes where the
// members of the objects of interest start and end. The signature is then
// checked over those exact bytes and the result decoded from the noted
// members, without parsing anything a second time (see decodeMembers).
// FuzzScanAgreesWithEncodingJSON holds the scanner to encoding/json.

// maxNesting is encoding/json's limit on nested arrays and objects.
const maxNesting = 10000

// member is one member of a JSON object: where its name (with the
// quotes) and its value stand in the scanned bytes. Offsets rather than
// slices keep the scanner's output free of pointers.
type member struct {
	nameStart, nameEnd   int
	valueStart, valueEnd int
	nameSimple           bool // the name is ASCII without escapes: its bytes are its text
	valueSimple          bool // the value is such a string
}

// rawName returns the name as it stands in d, quotes included.
func (m *member) rawName(d []byte) []byte { return d[m.nameStart:m.nameEnd] }

// value returns the value's exact bytes in d.
func (m *member) value(d []byte) []byte { return d[m.valueStart:m.valueEnd] }

// text returns the member's decoded name.
func (m *member) text(d []byte) []byte {
	return nameText(m.rawName(d), m.nameSimple)
}

// nameText decodes a member name as the scanner found it.
func nameText(name []byte, simple bool) []byte {
	if simple {
		return name[1 : len(name)-1]
	}
	return []byte(unquote(name))
}

// str returns the decoded value of a string member, and false for a value
// of another kind.
func (m *member) str(d []byte) ([]byte, bool) {
	v := m.value(d)
	switch {
	case v[0] != '"':
		return nil, false
	case m.valueSimple:
		return v[1 : len(v)-1], true
	}
	return []byte(unquote(v)), true
}

// scanObject checks that data is one JSON object, space around it allowed,
// and returns its members, appended to outer. inner, if not nil, is given
// each member's name (see nameText) before its value is read; if it says
// yes and the value is an object, that object's members are appended to
// nested and returned too.
func scanObject(data []byte, outer, nested []member, inner innerFunc) ([]member, []member, bool) {
	s := scanner{data: data, inner: inner}
	s.space()
	if s.pos == len(data) || data[s.pos] != '{' {
		return nil, nil, false
	}
	outer, nested, ok := s.object(collectOuter, outer, nested)
	s.space()
	return outer, nested, ok && s.pos == len(data)
}

// innerFunc chooses the member whose object value is scanned into nested;
// simple is as for member.nameSimple.
type innerFunc func(name []byte, simple bool) bool

// scanner walks JSON bytes. Its methods report false at the first byte
// that is not valid JSON.
type scanner struct {
	data  []byte
	pos   int
	depth int
	inner innerFunc // as for scanObject
}

// Where object puts the members it reads.
const (
	collectNone = iota
	collectOuter
	collectNested
)

// space skips white space.
func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value reads any value at s.pos.
func (s *scanner) value() bool {
	if s.pos == len(s.data) {
		return false
	}
	switch c := s.data[s.pos]; {
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '{':
		_, _, ok := s.object(collectNone, nil, nil)
		return ok
	case c == '[':
		return s.array()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	}
	return false
}

// object reads the object at s.pos, appending its members to outer or
// nested as collect says. (The slices go in and out as values: stored in
// the scanner, escape analysis would put the caller's room on the heap.)
func (s *scanner) object(collect int, outer, nested []member) ([]member, []member, bool) {
	if empty, ok := s.open('}'); empty || !ok {
		return outer, nested, ok
	}
	for {
		if s.pos == len(s.data) || s.data[s.pos] != '"' {
			return outer, nested, false
		}
		nameStart := s.pos
		nameSimple, ok := s.str()
		if !ok {
			return outer, nested, false
		}
		nameEnd := s.pos
		s.space()
		if s.pos == len(s.data) || s.data[s.pos] != ':' {
			return outer, nested, false
		}
		s.pos++
		s.space()
		start := s.pos
		valueSimple := false
		switch {
		case s.pos == len(s.data):
			ok = false
		case s.data[s.pos] == '"':
			valueSimple, ok = s.str()
		case s.data[s.pos] == '{' && collect == collectOuter && s.inner != nil && s.inner(s.data[nameStart:nameEnd], nameSimple):
			_, nested, ok = s.object(collectNested, nil, nested)
		default:
			ok = s.value()
		}
		if !ok {
			return outer, nested, false
		}
		m := member{nameStart, nameEnd, start, s.pos, nameSimple, valueSimple}
		switch collect {
		case collectOuter:
			outer = append(outer, m)
		case collectNested:
			nested = append(nested, m)
		}
		if more, ok := s.next('}'); !more {
			return outer, nested, ok
		}
	}
}

// array reads the array at s.pos.
func (s *scanner) array() bool {
	if empty, ok := s.open(']'); empty || !ok {
		return ok
	}
	for {
		if !s.value() {
			return false
		}
		if more, ok := s.next(']'); !more {
			return ok
		}
	}
}

// open enters the object or array at s.pos, which end closes, and reports
// one that end closes at once.
func (s *scanner) open(end byte) (empty, ok bool) {
	if s.depth++; s.depth > maxNesting {
		return false, false
	}
	s.pos++ // '{' or '['
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == end {
		s.pos++
		s.depth--
		return true, true
	}
	return false, true
}

// next reads what follows an element of an object or array: a comma, more
// to come, or end, the end of it.
func (s *scanner) next(end byte) (more, ok bool) {
	s.space()
	if s.pos == len(s.data) {
		return false, false
	}
	switch s.data[s.pos] {
	case ',':
		s.pos++
		s.space()
		return true, true
	case end:
		s.pos++
		s.depth--
		return false, true
	}
	return false, false
}

// plainByte marks the bytes a string holds as they are: all but the
// control characters, the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// specialBytes marks, with its top bit, each byte of w (eight bytes, the
// first lowest) that a string does not hold as it is: a control character,
// the quote, the backslash. The lowest mark is exact (the classic tests
// for a zero byte and for a byte below n, over the whole word at once);
// marks above it may be false.
func specialBytes(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, b := w^'"'*ones, w^'\\'*ones
	return ((w-0x20*ones)&^w | (q-ones)&^q | (b-ones)&^b) & highs
}

// str reads the string at s.pos and reports whether it is simple: ASCII
// without escapes, so that its bytes are its text. Like encoding/json it
// refuses control characters and accepts any other byte, valid UTF-8 or
// not.
func (s *scanner) str() (simple, ok bool) {
	d, i := s.data, s.pos+1
	var seen uint64 // every plain byte ORed in: its top bits tell non-ASCII
	escaped := false
	for {
		// Eight bytes at a time to the first special one; byte by byte
		// only within the last eight bytes of the data.
		for i+8 <= len(d) {
			w := binary.LittleEndian.Uint64(d[i : i+8])
			special := specialBytes(w)
			if special == 0 {
				seen |= w
				i += 8
				continue
			}
			plain := bits.TrailingZeros64(special) / 8
			seen |= w & (1<<(8*plain) - 1)
			i += plain
			break
		}
		for i < len(d) && plainByte[d[i]] {
			seen |= uint64(d[i])
			i++
		}
		if i == len(d) {
			return false, false
		}
		switch c := d[i]; {
		case c == '"':
			s.pos = i + 1
			return !escaped && seen&0x8080808080808080 == 0, true
		case c == '\\':
			escaped = true
			n := escapeLen(d[i:])
			if n == 0 {
				return false, false
			}
			i += n
		default: // a control character
			return false, false
		}
	}
}

// escapeLen is the length of the valid escape sequence at the start of b
// (b[0] is the backslash), or 0.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(b) >= 6 && hex4(b[2:6]) >= 0 {
			return 6
		}
	}
	return 0
}

// hex4 is the value of four hex digits, or -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// literal reads true, false or null.
func (s *scanner) literal(word string) bool {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return false
	}
	s.pos += len(word)
	return true
}

// number reads a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	d, i := s.data, s.pos
	if d[i] == '-' {
		i++
	}
	switch {
	case i == len(d):
		return false
	case d[i] == '0':
		i++
	case '1' <= d[i] && d[i] <= '9':
		i = digits(d, i)
	default:
		return false
	}
	if i < len(d) && d[i] == '.' {
		if j := digits(d, i+1); j > i+1 {
			i = j
		} else {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			return false
		}
		i = j
	}
	s.pos = i
	return true
}

// digits returns the index after the decimal digits starting at i.
func digits(d []byte, i int) int {
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	return i
}

// unquote decodes a JSON string value the way encoding/json decodes it into
// a string (escapes decoded, invalid UTF-8 and lone surrogates replaced by
// U+FFFD). v must be a string the scanner accepted.
func unquote(v []byte) string {
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
		return string(in)
	}
	var out strings.Builder
	out.Grow(len(in)) // decoding shortens but for U+FFFD in place of bad bytes
	for len(in) > 0 {
		plain := bytes.IndexByte(in, '\\')
		if plain < 0 {
			plain = len(in)
		}
		writeValidUTF8(&out, in[:plain])
		in = in[plain:]
		if len(in) > 0 {
			r, n := unescape(in)
			out.WriteRune(r)
			in = in[n:]
		}
	}
	return out.String()
}

// writeValidUTF8 writes b with each byte that is not part of valid UTF-8
// replaced by U+FFFD.
func writeValidUTF8(out *strings.Builder, b []byte) {
	if utf8.Valid(b) {
		out.Write(b)
		return
	}
	for len(b) > 0 {
		valid := 0 // the length of the valid prefix
		for valid < len(b) {
			if b[valid] < utf8.RuneSelf {
				valid++
				continue
			}
			r, n := utf8.DecodeRune(b[valid:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			valid += n
		}
		out.Write(b[:valid])
		if valid == len(b) {
			return
		}
		out.WriteRune(utf8.RuneError)
		b = b[valid+1:]
	}
}

// unescape decodes the escape at the start of b: the rune and the bytes
// used. A surrogate pair is one rune; a lone surrogate is U+FFFD.
func unescape(b []byte) (rune, int) {
	switch b[1] {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hex4(b[2:6])
		if !utf16.IsSurrogate(r) {
			return r, 6
		}
		if len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
			if r2 := hex4(b[8:12]); r2 >= 0 {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return dec, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return rune(b[1]), 2 // '"', '\\', '/'
}
