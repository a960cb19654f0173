package cli

import (
	"strings"
	"testing"
	"time"

	latin "kiosk/internal/english"
	"kiosk/pos"
)

// TestCheckReadOnlyWhileKioskRunsSummary: the summary of a check says what
// the ledger holds (the figures of store's TestCheckReadOnlyWhileKioskRuns).
func TestCheckReadOnlyWhileKioskRunsSummary(t *testing.T) {
	r := pos.CheckResult{Path: "/d/ledger.db", Size: 32768, Sales: 6, Days: 2, FirstDay: "2024-05-16", LastDay: "2024-05-17",
		Unsettled: 1, RefundsInFlight: 1, ZReports: 1, LastZ: 1, PINSet: true, Took: 3 * time.Millisecond}
	out := checkSummary(r)
	for _, s := range []string{
		"Ledger /d/ledger.db (32.0 KiB)",
		"6 sales on 2 days, 2024-05-16 to 2024-05-17",
		"1 unsettled, 1 with a refund in flight",
		"1 Z report, the last No. 0001; manager PIN set",
		"No problems found",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("summary lacks %q:\n%s", s, out)
		}
	}
	damaged := checkSummary(pos.CheckResult{Path: "/d/ledger.db", Size: 100, Damaged: true,
		Problems: []pos.CheckProblem{{Kind: pos.CheckHeadCutShort, Bytes: 100, OtherBytes: 4096}}, Notes: []pos.CheckProblem{{Kind: pos.CheckHeaderNote, Page: 1}}})
	for _, s := range []string{"Ledger /d/ledger.db (100 bytes) cannot be read", "  - it is cut short", "  Note: header page 1 does not verify"} {
		if !strings.Contains(damaged, s) {
			t.Errorf("damaged summary lacks %q:\n%s", s, damaged)
		}
	}
}

// TestALedgerGoneUnderTheKioskInChinese: a ledger whose only evidence is
// the running kiosk that had it open is said in Chinese, that too.
func TestALedgerGoneUnderTheKioskInChinese(t *testing.T) {
	inChinese(t)
	err := LedgerTrouble(&pos.LedgerMissingError{Path: "/d/ledger.db"}, "/d")
	if got := err.Error(); !strings.Contains(got, "/d/ledger.db 不存在，但 正在运行的收银台 表明") || len(latin.Words(got)) > 0 {
		t.Errorf("in Chinese: %q (English %q)", got, latin.Words(got))
	}
	res := checkSummary(pos.CheckResult{Path: "/d/ledger.db", Damaged: true, Problems: []pos.CheckProblem{{Kind: pos.CheckLedgerEmpty, Path: "/d/ledger.db"}}})
	if !strings.Contains(res, "/d/ledger.db 为空，但 正在运行的收银台 表明") || len(latin.Words(res, "ledger")) > 0 {
		t.Errorf("check in Chinese: %q (English %q)", res, latin.Words(res))
	}
}

// TestCheckTakesItsTimeInWords: how long the check took is said in the
// language ("3 毫秒"), not as Go prints a duration ("3ms").
func TestCheckTakesItsTimeInWords(t *testing.T) {
	inChinese(t)
	out := checkSummary(pos.CheckResult{Path: "/d/ledger.db", Size: 32768, Took: 3 * time.Millisecond})
	if !strings.Contains(out, "未发现问题（用时 3 毫秒）") || strings.Contains(out, "3ms") {
		t.Errorf("the time of the check:\n%s", out)
	}
}

// TestACheckOfAGoneLedgerSaysWhatToDo: in both languages a check of a
// ledger file that is missing says so, with no size, and its advice is the
// refusal to start's, --new-ledger included; a damaged file's advice is
// the backup alone, for --new-ledger starts afresh only where there is no
// ledger.
func TestACheckOfAGoneLedgerSaysWhatToDo(t *testing.T) {
	missing := pos.CheckResult{Path: "/d/ledger.db", Damaged: true,
		Problems: []pos.CheckProblem{{Kind: pos.CheckLedgerMissing, Path: "/d/ledger.db", OtherPath: "/d/ledger.marker"}}}
	damaged := pos.CheckResult{Path: "/d/ledger.db", Size: 100, Damaged: true,
		Problems: []pos.CheckProblem{{Kind: pos.CheckHeadCutShort, Bytes: 100, OtherBytes: 4096}}}
	for _, lang := range []struct {
		name          string
		speak         func(*testing.T)
		head, noSize  string
		fix, backOnly string
	}{
		{"en", func(*testing.T) {}, "Ledger /d/ledger.db is missing, so there are no sales to check:", "0 bytes",
			"the ledger /d/ledger.db is missing: restore it from a backup", "the ledger /d/ledger.db is damaged: restore it from a backup"},
		{"zh", inChinese, "账本 /d/ledger.db 不存在，无从检查其中的交易：", "0 字节",
			"账本 /d/ledger.db 不存在：请从备份恢复", "账本 /d/ledger.db 已损坏：请从备份恢复"},
	} {
		t.Run(lang.name, func(t *testing.T) {
			lang.speak(t)
			if got := checkSummary(missing); !strings.HasPrefix(got, lang.head+"\n") || strings.Contains(got, lang.noSize) {
				t.Errorf("the check of a missing ledger:\n%s", got)
			}
			start := LedgerTrouble(&pos.LedgerMissingError{Path: "/d/ledger.db", Evidence: "/d/ledger.marker"}, "/d").Error()
			fix := checkFix(missing)
			if !strings.HasPrefix(fix, lang.fix) || !strings.Contains(fix, "--new-ledger") {
				t.Errorf("the check's advice on a missing ledger: %q", fix)
			}
			if advice := say.CLI.StartAfresh.F(say.CLI.RestoreAdvice); !strings.HasSuffix(fix, advice) || !strings.HasSuffix(start, advice) {
				t.Errorf("the check's advice %q is not the refusal to start's %q", fix, start)
			}
			if fix := checkFix(damaged); !strings.HasPrefix(fix, lang.backOnly) || strings.Contains(fix, "--new-ledger") {
				t.Errorf("the check's advice on a damaged ledger: %q", fix)
			}
		})
	}
}
