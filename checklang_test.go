package main

import (
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	latin "kiosk/internal/english"
)

// TestLedgerCheckSaysItsProblemsInChinese: kiosk ledger check --lang zh
// on a ledger whose open index names a sale that is not there says so in
// Chinese, with no English sentence, and fails.
func TestLedgerCheckSaysItsProblemsInChinese(t *testing.T) {
	dir := seedDataDir(t)
	db, err := bolt.Open(filepath.Join(dir, "ledger.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("open")).Put([]byte("KT1_GHOST"), []byte{}) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, want string }{
		{"en", "open index lists KT1_GHOST, which is not in the ledger"},
		{"zh", "未结交易索引列出了 KT1_GHOST，账本中没有这笔交易"},
	} {
		out, diag, status := kioskRunIn(t, tt.lang, "ledger", "check", "--data", dir)
		if status == exitOK || !strings.Contains(out, tt.want) {
			t.Errorf("kiosk ledger check --lang %s: status %d\n%s%s\nwant %q", tt.lang, status, out, diag, tt.want)
		}
		// KiB is a unit, as Chinese writes it too.
		if en := latin.Words(out+diag, "KiB"); tt.lang == "zh" && len(en) > 0 {
			t.Errorf("kiosk ledger check --lang zh says English %q:\n%s%s", en, out, diag)
		}
	}
}
