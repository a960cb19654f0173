package words

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/pos"
)

// TestTheLocaleChoosesTheLanguage: the first of LC_ALL, LC_MESSAGES and
// LANG that is set decides, as for the C library's messages; a zh locale
// is Chinese, anything else English.
func TestTheLocaleChoosesTheLanguage(t *testing.T) {
	for _, tt := range []struct {
		all, messages, lang string
		want                *Words
	}{
		{"", "", "zh_CN.UTF-8", Chinese},
		{"", "", "zh_CN.GB18030", Chinese},
		{"", "", "zh_TW.UTF-8", Chinese},
		{"", "", "zh", Chinese},
		{"", "zh_CN.UTF-8", "en_US.UTF-8", Chinese},
		{"zh_SG.UTF-8", "en_US.UTF-8", "en_US.UTF-8", Chinese},
		{"C", "", "zh_CN.UTF-8", English}, // LC_ALL=C overrides LANG
		{"", "en_GB.UTF-8", "zh_CN.UTF-8", English},
		{"", "", "en_US.UTF-8", English},
		{"", "", "fr_FR.UTF-8", English}, // no French catalogue
		{"", "", "POSIX", English},
		{"", "", "", English},
	} {
		t.Run(fmt.Sprintf("%s,%s,%s", tt.all, tt.messages, tt.lang), func(t *testing.T) {
			t.Setenv("LC_ALL", tt.all)
			t.Setenv("LC_MESSAGES", tt.messages)
			t.Setenv("LANG", tt.lang)
			if got := FromLocale(os.Getenv); got != tt.want {
				t.Errorf("FromLocale = %s, want %s", got.Lang.Tag, tt.want.Lang.Tag)
			}
		})
	}
}

func TestForFindsChineseByTagAndLocale(t *testing.T) {
	for _, tag := range []string{"zh", "ZH", "zh-CN", "zh-Hans-CN", "zh_CN.UTF-8", "zh_CN@pinyin"} {
		if w, ok := For(tag); !ok || w != Chinese {
			t.Errorf("For(%q) = %v, %v; want Chinese", tag, w, ok)
		}
	}
	if got := Tags(); got != "en|zh" {
		t.Errorf("Tags() = %q", got)
	}
}

// sameInBoth are the sentences Chinese writes as English does: units and
// marks with nothing to translate.
var sameInBoth = map[string]bool{
	"Words.Punct.Parts":        true,
	"Words.CLI.CheckProblem":   true,
	"Words.CLI.KiB":            true,
	"Words.CLI.MiB":            true,
	"Words.Central.ZDay":       true,
	"Words.Central.Never":      true,
	"Words.Usage.KeysSubs":     true, // the subcommand's own name
	"Words.Console.MD5KeyFile": false,
}

// TestChineseIsTranslated: no Chinese sentence is English's copied over,
// but for units and marks; so a field pasted from en.go and forgotten
// fails here, though it would pass the test of blanks.
func TestChineseIsTranslated(t *testing.T) {
	var same func(zh, en reflect.Value, path string)
	same = func(zh, en reflect.Value, path string) {
		switch zh.Kind() {
		case reflect.String:
			if zh.String() == en.String() && zh.String() != "" && !sameInBoth[path] {
				t.Errorf("%s is English's: %q", path, zh.String())
			}
		case reflect.Struct:
			if zh.Type() == langType {
				return
			}
			for i := range zh.NumField() {
				same(zh.Field(i), en.Field(i), path+"."+zh.Type().Field(i).Name)
			}
		case reflect.Array:
			for i := range zh.Len() {
				same(zh.Index(i), en.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			for _, k := range zh.MapKeys() {
				same(zh.MapIndex(k), en.MapIndex(k), fmt.Sprintf("%s[%q]", path, k.String()))
			}
		}
	}
	same(reflect.ValueOf(Chinese).Elem(), reflect.ValueOf(English).Elem(), "Words")
}

// TestChineseSaysItAsAChineseTillDoes: some sentences as a cashier reads
// them: money as ¥12.34, no plural, full-width punctuation, the weekday.
func TestChineseSaysItAsAChineseTillDoes(t *testing.T) {
	zh := Chinese
	for got, want := range map[string]string{
		zh.Refund.Done.F(Yuan(300), "K1", Yuan(934)): "已退款 ¥3.00（订单 K1），还可退 ¥9.34。",
		zh.CLI.Days.F(1): "1 天",
		zh.Duration(4*time.Minute + 12*time.Second):              "4 分 12 秒",
		zh.Duration(5 * time.Minute):                             "5 分钟",
		zh.Weekday(time.Sunday):                                  "星期日",
		zh.Explain(&pos.InputError{Problem: pos.AmountDecimals}): "最多两位小数（到分），例如 12.34。",
		zh.Report.Z.F(7):                                         "Z 报表（日结）第 0007 号",
		zh.Usage.NoEmulator.F("/data"):                           "数据目录 /data 中没有正在运行的收银台（内置模拟器）；独立模拟器请用 --addr HOST:PORT",
		zh.Usage.FlagTimeout:                                     "单次调用的超时时间 `DURATION`",
		zh.Doctor.KeysExist.F("k.pem"):                           "k.pem 已存在：keys gen 不会覆盖已有的密钥（它的公钥可能已上传到支付宝控制台，收银台正在用这把私钥签名）；请换一个 --dir，或先移走这些文件",
		zh.Refund.AfterClose.F(1):                                "今天已日结（第 0001 号 Z 报表），这笔退款将计入下一次日结。",
		zh.StatusName(pos.StatusCancelled):                       "已取消",
		zh.NoteText(pos.Note{Code: pos.NoteCancelled, Reason: pos.ReasonCashier}): "收银员取消了收款，订单已关闭。",
		zh.NoteText(pos.Note{Code: pos.NoteCancelled, Reason: pos.ReasonTimeout}): "支付超时，订单已关闭。",
		zh.ExplainProblem(pos.Problem{Kind: pos.KindTransport, NotStarted: true}): "网络中断，二维码未生成，交易未开始。系统会自动向支付宝撤销该订单。请重新收款。",
		zh.Problem.RefundTooLarge.F(Fen(800), Fen(700), "K1"):                     "退款金额过大：退款 8.00 超过交易 K1 还可退的 7.00。",
	} {
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	}
	if strings.ContainsAny(zh.Sale.TooSmall.F(1, 2, 3, 4, 5, 6), ",;:") {
		t.Errorf("half-width punctuation in a Chinese sentence: %q", zh.Sale.TooSmall)
	}
}
