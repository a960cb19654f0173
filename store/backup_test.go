package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// restore puts a backup in place as the ledger of a fresh directory, as
// the README's restore procedure does, and returns the directory.
func restore(t *testing.T, backup string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dbName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBackupWhileTheKioskSells copies the ledger while the kiosk keeps
// selling: a sale recorded while the copy's read transaction is open waits
// for it, is not in the copy, and is not lost; the copy passes the check
// and a kiosk starts on it.
func TestBackupWhileTheKioskSells(t *testing.T) {
	dir := t.TempDir()
	kiosk := mustOpenDir(t, dir, Options{})
	mustCreate(t, kiosk, newSale("B0", 100, at(17, 9, 0, 0)))
	mustPay(t, kiosk, "B0", at(17, 9, 0, 5))

	sold := make(chan error, 1)
	afterCopy = func() { go func() { sold <- kiosk.Create(newSale("DURING", 100, at(17, 9, 1, 0))) }() }
	t.Cleanup(func() { afterCopy = func() {} })
	reader := mustOpenDir(t, dir, Options{ReadOnly: true})
	backup := filepath.Join(t.TempDir(), "ledger-backup.db")
	size, err := reader.Backup(backup, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-sold; err != nil {
		t.Errorf("the sale during the backup: %v", err)
	}
	mustGet(t, kiosk, "DURING")
	if fi, err := os.Stat(backup); err != nil || fi.Size() != size || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v; want %d bytes, mode 0600", fi, err, size)
	}

	restored := mustOpenDir(t, restore(t, backup), Options{})
	if res, err := restored.Verify(); err != nil || !res.OK() || res.Sales != 1 {
		t.Errorf("the restored backup: %v, %v; want B0 alone", res, err)
	}
	if got := mustGet(t, restored, "B0"); got.Status != StatusPaid || got.ReceiptNo != 1 {
		t.Errorf("restored B0 = %+v", got)
	}
	mustCreate(t, restored, newSale("AFTER", 100, at(17, 11, 0, 0))) // a kiosk can sell on it
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	dir := seedLedger(t)
	s := mustOpenDir(t, dir, Options{ReadOnly: true})
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(backup, []byte("yesterday's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(backup, false); !errors.Is(err, ErrFileExists) {
		t.Errorf("Backup over an existing file = %v, want ErrFileExists", err)
	}
	if b, _ := os.ReadFile(backup); string(b) != "yesterday's backup" {
		t.Errorf("the existing file was changed to %d bytes", len(b))
	}
	if _, err := s.Backup(backup, true); err != nil {
		t.Errorf("Backup with replace = %v", err)
	}
	if res, err := mustOpenDir(t, restore(t, backup), Options{ReadOnly: true}).Verify(); err != nil || !res.OK() || res.Sales != 300 {
		t.Errorf("the replaced backup: %v, %v", res, err)
	}
	if _, err := s.Backup(filepath.Join(dir, dbName), true); err == nil || !strings.Contains(err.Error(), "the ledger itself") {
		t.Errorf("Backup onto the ledger = %v", err)
	}
	assertNoTempFiles(t, filepath.Dir(backup))
}

// TestBackupOfADamagedLedger writes nothing: a backup must be sound.
func TestBackupOfADamagedLedger(t *testing.T) {
	seed := seedLedger(t)
	_, ps := dataEnd(t, filepath.Join(seed, dbName))
	_, leaf := bucketPages(t, filepath.Join(seed, dbName), bucketSales)
	for name, damage := range map[string]func(path string){
		"cut short":      func(p string) { _ = os.Truncate(p, 3*ps) },
		"leaf scribbled": func(p string) { scribble(t, p, int64(leaf)*ps+16, []byte("scribbled over the entries......")) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := copyLedger(t, seed)
			damage(filepath.Join(dir, dbName))
			s := mustOpenDir(t, dir, Options{ReadOnly: true})
			out := t.TempDir()
			_, err := s.Backup(filepath.Join(out, "b.db"), false)
			wantDamaged(t, "Backup", err, filepath.Join(dir, dbName), "")
			if _, err := os.Stat(filepath.Join(out, "b.db")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a backup of a damaged ledger was written: %v", err)
			}
			assertNoTempFiles(t, out)
		})
	}
}

func TestBackupWithoutALedger(t *testing.T) {
	s := mustOpenDir(t, t.TempDir(), Options{ReadOnly: true})
	out := t.TempDir()
	if _, err := s.Backup(filepath.Join(out, "b.db"), false); !errors.Is(err, ErrNoLedger) {
		t.Errorf("Backup of an empty directory = %v, want ErrNoLedger", err)
	}
	assertNoTempFiles(t, out)
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
