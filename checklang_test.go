package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	latin "kiosk/internal/english"
)

// TestLedgerCheckSaysItsProblemsInChinese: kiosk ledger check --lang zh
// on a ledger whose open index names a sale that is not there, and whose
// second header page is scribbled on, says so in Chinese, with no English
// sentence, and fails.
func TestLedgerCheckSaysItsProblemsInChinese(t *testing.T) {
	dir := seedDataDir(t)
	db, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Twice, so that both header pages hold it: one is scribbled on below.
	for range 2 {
		if err == nil {
			err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("open")).Put([]byte("KT1_GHOST"), []byte{}) })
		}
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	// Header page 1 no longer verifies: a note, not a problem.
	pageSize, _ := salesRoot(t, filepath.Join(dir, "ledger.db"))
	overwrite(t, filepath.Join(dir, "ledger.db"), pageSize+16+60, "scribble")
	for _, tt := range []struct{ lang, want, note string }{
		{"en", "open index lists KT1_GHOST, which is not in the ledger", "Note: header page 1 does not verify; bbolt uses header page 0"},
		{"zh", "未结交易索引列出了 KT1_GHOST，账本中没有这笔交易", "注意：第 1 个文件头页校验不通过；账本引擎改用第 0 个文件头页"},
	} {
		out, diag, status := kioskRunIn(t, tt.lang, "ledger", "check", "--data", dir)
		if status == exitOK || !strings.Contains(out, tt.want) || !strings.Contains(out, tt.note) {
			t.Errorf("kiosk ledger check --lang %s: status %d\n%s%s\nwant %q and %q", tt.lang, status, out, diag, tt.want, tt.note)
		}
		// KiB is a unit, as Chinese writes it too.
		if en := latin.Words(out+diag, "KiB"); tt.lang == "zh" && len(en) > 0 {
			t.Errorf("kiosk ledger check --lang zh says English %q:\n%s%s", en, out, diag)
		}
	}
}

// TestLedgerCheckSaysADamagedFileInChinese: kiosk ledger check --lang zh
// on a ledger file cut short says what its header claims in Chinese.
func TestLedgerCheckSaysADamagedFileInChinese(t *testing.T) {
	dir := seedDataDir(t)
	path := filepath.Join(dir, "ledger.db")
	if err := os.Truncate(path, 64<<10); err != nil {
		t.Fatal(err)
	}
	out, diag, status := kioskRunIn(t, "zh", "ledger", "check", "--data", dir)
	if want := "文件被截短了：只有 65536 字节"; status == exitOK || !strings.Contains(out, want) {
		t.Errorf("kiosk ledger check --lang zh: status %d\n%s%s\nwant %q", status, out, diag, want)
	}
	// The advice names the README's section "Backup and restore" as it is titled.
	if en := latin.Words(out+diag, "KiB", "Backup", "and", "restore"); len(en) > 0 {
		t.Errorf("kiosk ledger check --lang zh says English %q:\n%s%s", en, out, diag)
	}
}
