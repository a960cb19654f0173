package ui

import (
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	latin "kiosk/internal/english"
	"kiosk/pos"
	"kiosk/ui/words"
)

// onScreenAsTyped are the words of the test's sales that a manager or
// the shop typed (a reason, an approver, the product), which the screens
// show as they are, the key names of the help lines, and the command that
// sets the manager PIN (kiosk manager set-pin), typed as it is.
var onScreenAsTyped = []string{"Corner", "Shop", "Li", "one", "cup", "broken", "esc", "enter", "ctrl", "Ctrl", "tab", "shift",
	"home", "end", "pgup", "pgdn", "space", "backspace", "up", "down", "manager", "set", "pin"}

// TestChineseScreensHoldNoEnglish: every screen of the kiosk, drawn in
// Chinese, says everything in Chinese: the only Latin words on it are
// facts (order and trade numbers, codes, amounts), names typed into the
// kiosk and key names. A sentence that bypasses the catalogue (the
// ledger's, alipay's or the system's English) fails here.
func TestChineseScreensHoldNoEnglish(t *testing.T) {
	for _, c := range screenCases {
		t.Run(c.name, func(t *testing.T) {
			s := screen(screenOf(t, words.Chinese, c))
			if en := latin.Words(strings.ReplaceAll(s, "KT1_", " "), onScreenAsTyped...); len(en) > 0 {
				t.Errorf("English %q on the Chinese screen:\n%s", en, s)
			}
		})
	}
}

// reasonCases are screens that say another program's reason: Alipay's
// refusal of a code with words, of one without (its sub_msg, its msg
// alone), and the ledger file bbolt refused; each with a few words it
// must show and what it must not.
var reasonCases = []struct {
	screenCase
	says, not string
}{
	{screenCase{name: "refused-with-words", setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = refusedAs("ACQ.TOTAL_FEE_EXCEED", "订单金额超过限额")
	}, input: seq(startSale, typedKeys(goodCode))}, "单笔收款限额", "订单金额超过限额"},
	{screenCase{name: "refused-sub-msg", setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = refusedAs("ACQ.SOMETHING_NEW", "新的原因")
	}, input: seq(startSale, typedKeys(goodCode))}, "新的原因", "Business"},
	{screenCase{name: "refused-msg-only", setup: func(f *fakeCheckout) {
		byCode(f)
		f.ScanPayFn = refusedAs("", "")
	}, input: seq(startSale, typedKeys(goodCode))}, "支付宝原文", "请求：Business"},
	{screenCase{name: "ledger-file-busy", setup: func(f *fakeCheckout) {
		f.StartFn = func(int64, string) (pos.Sale, error) {
			return pos.Sale{}, fmt.Errorf("record sale: %w", &pos.LedgerFileError{Path: "/d/ledger.db", Problem: pos.LedgerFileBusy})
		}
	}, input: startSale}, "占用太久", "bbolt"},
	{screenCase{name: "ledger-file-mapping", setup: func(f *fakeCheckout) {
		f.StartFn = func(int64, string) (pos.Sale, error) {
			return pos.Sale{}, fmt.Errorf("record sale: %w", &pos.LedgerFileError{Path: "/d/ledger.db", Problem: pos.LedgerFileMapping})
		}
	}, input: startSale}, "无法读写账本", "bbolt"},
	{screenCase{name: "simulation-failed", setup: func(f *fakeCheckout) { f.simulate = true },
		input: seq(startSale, msgs(simulatedMsg{id: testSale(0, "").OutTradeNo, err: fmt.Errorf("pay: %w",
			&net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}})}))},
		"该地址没有程序应答", "refused"},
}

// TestChineseScreensSayOthersReasonsInChinese: a screen that says why
// Alipay refused or why the ledger file could not be used holds no
// English in Chinese: Alipay's codes have words, its own English msg is
// marked as its text, bbolt's refusal is a fact worded by the catalogue.
func TestChineseScreensSayOthersReasonsInChinese(t *testing.T) {
	for _, c := range reasonCases {
		t.Run(c.name, func(t *testing.T) {
			s := screen(screenOf(t, words.Chinese, c.screenCase))
			if en := latin.Words(strings.ReplaceAll(s, "KT1_", " "), onScreenAsTyped...); len(en) > 0 {
				t.Errorf("English %q on the Chinese screen:\n%s", en, s)
			}
			if !strings.Contains(s, c.says) || strings.Contains(s, c.not) {
				t.Errorf("want %q on the Chinese screen, not %q:\n%s", c.says, c.not, s)
			}
		})
	}
}
