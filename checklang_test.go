package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	latin "kiosk/internal/english"
	"kiosk/internal/pgtest"
	"kiosk/ui/words"
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
	if en := latin.Words(out+diag, "KiB"); len(en) > 0 {
		t.Errorf("kiosk ledger check --lang zh says English %q:\n%s%s", en, out, diag)
	}
}

// TestADamagedLedgerIsRefusedInChinese damages the ledger in each way a
// disk can and starts the counter, and runs each command that opens the
// ledger, under --lang zh: each refuses in a Chinese sentence that names
// the file and says to restore a backup, with no English in it.
func TestADamagedLedgerIsRefusedInChinese(t *testing.T) {
	seed := seedDataDir(t)
	ps, root := salesRoot(t, filepath.Join(seed, "ledger.db"))
	damages := []struct {
		name, want string
		damage     func(path string) error
	}{
		{"cut short", "文件被截短了", func(p string) error { return os.Truncate(p, 2*ps) }},
		{"sales page scribbled", fmt.Sprintf("第 %d 页", root), func(p string) error {
			overwrite(t, p, root*ps+16, "\xff\xff\xff\x7f scribbled over an entry table")
			return nil
		}},
		{"both header pages scribbled", "两个文件头页都无效", func(p string) error {
			overwrite(t, p, 20, "scribbled")
			overwrite(t, p, ps+20, "scribbled")
			return nil
		}},
		{"deleted", "不存在", os.Remove},
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, seed, dir)
			path := filepath.Join(dir, "ledger.db")
			if err := d.damage(path); err != nil {
				t.Fatal(err)
			}
			said := map[string]string{"counter": counterRefusal(t, dir)}
			for _, args := range [][]string{
				{"ledger", "--data", dir, "--date", "2024-05-11"},
				{"ledger", "report", "--data", dir, "--date", "2024-05-11"},
				{"ledger", "backup", filepath.Join(t.TempDir(), "b.db"), "--data", dir},
				{"manager", "set-pin", "--data", dir},
			} {
				_, diag, status := kioskRunIn(t, "zh", args...)
				if status == exitOK {
					t.Errorf("%v succeeded on a damaged ledger", args)
				}
				said[strings.Join(args[:2], " ")] = diag
			}
			for cmd, diag := range said {
				// A damaged page a read meets, rather than the check at the
				// start, makes the read fault.
				found := strings.Contains(diag, d.want) || strings.Contains(diag, "读取文件时出错")
				if !strings.Contains(diag, path) || !found || !strings.Contains(diag, "备份") {
					t.Errorf("%s --lang zh says %q; want %s, %q and to restore a backup", cmd, diag, path, d.want)
				}
				// kiosk ledger check is a command to type.
				if en := latin.Words(diag, "ledger", "check"); len(en) > 0 {
					t.Errorf("%s --lang zh says English %q:\n%s", cmd, en, diag)
				}
			}
		})
	}
}

// counterRefusal is what the counter says in Chinese when it refuses to
// start on the data directory dir, as run prints it.
func counterRefusal(t *testing.T, dir string) string {
	t.Helper()
	speak(words.Chinese)
	defer speak(words.English)
	plan, err := planCounter(fileConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := openCounter(plan, dir)
	if err == nil {
		c.close()
		t.Fatalf("the counter started on %s", dir)
	}
	return "kiosk: " + err.Error() + "\n"
}

// TestLedgerCheckSaysAMissingFileInChinese: kiosk ledger check --lang zh
// where the ledger file is gone, or empty, says so in Chinese.
func TestLedgerCheckSaysAMissingFileInChinese(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		damage     func(path string) error
	}{
		{"deleted", "ledger.db 不存在，但 ", os.Remove},
		{"emptied", "ledger.db 为空，但 ", func(p string) error { return os.Truncate(p, 0) }},
	} {
		dir := seedDataDir(t)
		if err := tt.damage(filepath.Join(dir, "ledger.db")); err != nil {
			t.Fatal(err)
		}
		out, diag, status := kioskRunIn(t, "zh", "ledger", "check", "--data", dir)
		if want := tt.want + filepath.Join(dir, "ledger.marker") + " 表明该目录曾有账本"; status == exitOK || !strings.Contains(out, want) {
			t.Errorf("kiosk ledger check --lang zh, ledger %s: status %d\n%s%s\nwant %q", tt.name, status, out, diag, want)
		}
		if en := latin.Words(out + diag); len(en) > 0 {
			t.Errorf("kiosk ledger check --lang zh, ledger %s, says English %q:\n%s%s", tt.name, en, out, diag)
		}
	}
}

// TestCentralVerifyOfADamagedLedgerInChinese: kiosk central verify --lang
// zh on a ledger whose sales page a read meets is scribbled on says so in
// Chinese, as the ledger's own commands do.
func TestCentralVerifyOfADamagedLedgerInChinese(t *testing.T) {
	dsn := pgtest.DB(t)
	dir := seedDataDir(t)
	path := filepath.Join(dir, "ledger.db")
	ps, root := salesRoot(t, path)
	overwrite(t, path, root*ps+16, "\xff\xff\xff\x7f scribbled over an entry table")
	cfg := writeFile(t, t.TempDir(), "kiosk.toml", fmt.Sprintf("central_ledger = %q\n", dsn))
	_, diag, status := kioskRunIn(t, "zh", "central", "verify", "--config", cfg, "--data", dir)
	if status == exitOK || !strings.Contains(diag, path+" 已损坏") || !strings.Contains(diag, "备份") {
		t.Errorf("kiosk central verify --lang zh on a damaged ledger: status %d\n%s", status, diag)
	}
	if en := latin.Words(diag, "ledger", "check"); len(en) > 0 {
		t.Errorf("kiosk central verify --lang zh says English %q:\n%s", en, diag)
	}
}
