package main

import (
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestTheLocaleNamesTheCharset: LC_ALL, else LC_CTYPE, else LANG names
// the charset the command line writes in (LC_MESSAGES, the language, does
// not); China's national charsets are GB18030 and, for GBK and GB2312,
// GBK; UTF-8 and every other charset are written as UTF-8 (nil).
func TestTheLocaleNamesTheCharset(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want encoding.Encoding
	}{
		{map[string]string{"LANG": "zh_CN.GB18030"}, simplifiedchinese.GB18030},
		{map[string]string{"LANG": "zh_CN.gb18030@pinyin"}, simplifiedchinese.GB18030},
		{map[string]string{"LANG": "zh_CN.GBK"}, simplifiedchinese.GBK},
		{map[string]string{"LANG": "zh_CN.GB2312"}, simplifiedchinese.GBK},
		{map[string]string{"LANG": "zh_CN.euc-cn"}, simplifiedchinese.GBK},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, nil},
		{map[string]string{"LANG": "zh_CN"}, nil},
		{map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "zh_CN.GB18030"}, nil},
		{map[string]string{"LC_CTYPE": "zh_CN.GBK", "LANG": "en_US.UTF-8"}, simplifiedchinese.GBK},
		{map[string]string{"LC_MESSAGES": "zh_CN.GB18030"}, nil},
		{map[string]string{}, nil},
	} {
		if got := localeCharset(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: %v, want %v", c.env, got, c.want)
		}
	}
}
