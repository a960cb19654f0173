package escpos

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWidthFollowsThePrinterNotTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Total", 5},
		{"收款", 4},
		{"实收 12.34", 10},
		{"“你好”·—°", 14}, // ambiguous in Unicode, double-byte GB codes on paper
		{"ＡＢ", 4},       // fullwidth forms
		{"¥1", 3},       // printed as ￥
		{"😀x", 2},       // no glyph: '?'
		{"a\x1b@b", 3},  // ESC dropped, '@' kept
		{"\ttab", 4},
		{"\xff", 1}, // invalid UTF-8 prints as '?'
	} {
		if got := Width(tc.in); got != tc.want {
			t.Errorf("Width(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestEncodingIsGB18030DoubleByte(t *testing.T) {
	g := newGlyphCoder()
	for _, tc := range []struct {
		in   string
		want []byte
	}{
		{"A", []byte{'A'}},
		{"收", []byte{0xca, 0xd5}},
		{"款", []byte{0xbf, 0xee}},
		{"¥", []byte{0xa3, 0xa4}},
		{"￥", []byte{0xa3, 0xa4}},
		{"😀", []byte{'?'}},
		{"\x1b\x10\x04\x01", nil}, // no command can be injected through text
		{"é", []byte{0xa8, 0xa6}}, // pinyin row of GB2312
	} {
		if got := g.encode(nil, tc.in); !bytes.Equal(got, tc.want) {
			t.Errorf("encode(%q) = % x, want % x", tc.in, got, tc.want)
		}
	}
}

func TestTruncateNeverSplitsACharacter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cols int
		want string
	}{
		{"商户订单号", 5, "商户"},
		{"商户订单号", 4, "商户"},
		{"ab收款", 3, "ab"},
		{"ab收款", 4, "ab收"},
		{"abc", 0, ""},
		{"abc", 9, "abc"},
	} {
		if got := Truncate(tc.in, tc.cols); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.cols, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		cols int
		want []string
	}{
		{"", 10, []string{""}},
		{"Thank you for shopping with us", 12, []string{"Thank you", "for shopping", "with us"}},
		{"谢谢惠顾欢迎再次光临", 8, []string{"谢谢惠顾", "欢迎再次", "光临"}},
		{"谢谢惠顾欢迎", 7, []string{"谢谢惠", "顾欢迎"}},
		{"2024010122001234567890123456", 10, []string{"2024010122", "0012345678", "90123456"}},
		{"a\nb", 10, []string{"a", "b"}},
		{"Alipay 支付宝扫码付款", 10, []string{"Alipay", "支付宝扫码", "付款"}},
		{"word    spaced", 6, []string{"word", "spaced"}},
		{"  indented text", 10, []string{"  indented", "text"}},
		{"收", 1, []string{"收"}}, // wider than the line: alone, not lost
	} {
		if got := Wrap(tc.in, tc.cols); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tc.in, tc.cols, got, tc.want)
		}
	}
}

func TestPairLayout(t *testing.T) {
	g := newGlyphCoder()
	for _, tc := range []struct {
		label, value string
		cols         int
		want         []string
	}{
		{"实收", "￥12.34", 16, []string{"实收     ￥12.34"}},
		{"Total", "12.34", 11, []string{"Total 12.34"}},
		// One column short: the value goes to its own line, whole.
		{"Total", "12.34", 10, []string{"Total", "     12.34"}},
		{"交易号", "2024010122001234567890123456", 32,
			[]string{"交易号", "    2024010122001234567890123456"}},
		{"交易号", "20240101220012345678901234567890123", 32,
			[]string{"交易号", "20240101220012345678901234567890", "                             123"}},
		{"", "right", 8, []string{"   right"}},
		{"only label", "", 8, []string{"only", "label"}},
	} {
		got := g.pair(tc.label, tc.value, tc.cols)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("pair(%q, %q, %d) = %q, want %q", tc.label, tc.value, tc.cols, got, tc.want)
		}
		for _, l := range got {
			if w := g.stringWidth(l); w > tc.cols {
				t.Errorf("pair(%q, %q, %d): line %q is %d columns", tc.label, tc.value, tc.cols, l, w)
			}
		}
	}
}

// FuzzWrap checks the properties the layout depends on, for any text and
// line width: no line is wider than the paper (except a lone character wider
// than the line itself), no character is lost, split or reordered, and
// Truncate returns a prefix that fits.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		"", " ", "Thank you for shopping with us", "谢谢惠顾欢迎再次光临",
		"a 收 b  款\n\nc", "   ", "x\xffy", "😀😀 a", "\x1b@\x1c&", "¥12.34",
	} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, cols int) {
		cols = cols % 64
		g := newGlyphCoder()
		lines := g.wrap(s, cols)
		if len(lines) == 0 {
			t.Fatalf("Wrap(%q, %d) returned no line", s, cols)
		}
		for _, l := range lines {
			if w := g.stringWidth(l); w > cols && utf8.RuneCountInString(l) > 1 {
				t.Fatalf("Wrap(%q, %d): line %q is %d columns", s, cols, l, w)
			}
			if strings.HasSuffix(l, " ") {
				t.Fatalf("Wrap(%q, %d): line %q ends in a space", s, cols, l)
			}
		}
		drop := func(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }
		if got, want := drop(strings.Join(lines, "")), drop(s); got != want {
			t.Fatalf("Wrap(%q, %d) lost or changed text: %q", s, cols, lines)
		}
		tr := g.truncate(s, cols)
		if !strings.HasPrefix(s, tr) || (cols >= 0 && g.stringWidth(tr) > cols) {
			t.Fatalf("Truncate(%q, %d) = %q", s, cols, tr)
		}
		if rest := s[len(tr):]; rest != "" && cols >= 0 {
			r, _ := utf8.DecodeRuneInString(rest)
			if g.stringWidth(tr)+g.width(r) <= cols {
				t.Fatalf("Truncate(%q, %d) = %q stopped early", s, cols, tr)
			}
		}
	})
}

// FuzzPair checks that a label and value pair always fits the paper and
// keeps every character of both.
func FuzzPair(f *testing.F) {
	f.Add("交易号", "2024010122001234567890123456", 32)
	f.Add("Total", "12.34", 10)
	f.Add("", "", 5)
	f.Fuzz(func(t *testing.T, label, value string, cols int) {
		cols = 2 + abs(cols%62)
		g := newGlyphCoder()
		lines := g.pair(label, value, cols)
		for _, l := range lines {
			if w := g.stringWidth(l); w > cols {
				t.Fatalf("pair(%q, %q, %d): line %q is %d columns", label, value, cols, l, w)
			}
		}
		drop := func(s string) string { return strings.NewReplacer(" ", "", "\n", "").Replace(s) }
		if got, want := drop(strings.Join(lines, "")), drop(label+value); got != want {
			t.Fatalf("pair(%q, %q, %d) lost or changed text: %q", label, value, cols, lines)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
