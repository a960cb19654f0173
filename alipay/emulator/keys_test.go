package emulator

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/alipay"
)

// sharedGenerator hands out the test binary's keys instead of generating.
func sharedGenerator(tb testing.TB) func() (*Keys, error) {
	return func() (*Keys, error) { return testKeys(tb), nil }
}

// createKeys makes a fresh key directory for a test.
func createKeys(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "keys")
	if _, created, err := loadOrCreateKeys(dir, sharedGenerator(t)); err != nil || !created {
		t.Fatalf("create: created=%v err=%v", created, err)
	}
	return dir
}

func TestLoadOrCreateKeysCreatesThenLoads(t *testing.T) {
	dir := createKeys(t)
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode: %v %v", fi.Mode(), err)
	}
	for _, f := range keyFiles {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil {
			t.Fatal(err)
		}
		if f.private && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f.name, fi.Mode().Perm())
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	k, created, err := loadOrCreateKeys(dir, func() (*Keys, error) {
		t.Fatal("generated keys although all files exist")
		return nil, nil
	})
	if err != nil || created {
		t.Fatalf("reload: created=%v err=%v", created, err)
	}
	want := testKeys(t)
	if !alipay.SameKey(k.AppPublic, want.AppPublic) || !alipay.SameKey(&k.AppPrivate.PublicKey, want.AppPublic) ||
		!alipay.SameKey(k.AlipayPublic, want.AlipayPublic) || !alipay.SameKey(&k.AlipayPrivate.PublicKey, want.AlipayPublic) {
		t.Error("reloaded keys differ from the created ones")
	}
}

func TestLoadOrCreateKeysRefusesPartialSet(t *testing.T) {
	dir := createKeys(t)
	if err := os.Remove(filepath.Join(dir, AlipayPublicKeyFile)); err != nil {
		t.Fatal(err)
	}
	_, _, err := loadOrCreateKeys(dir, sharedGenerator(t))
	if err == nil || !strings.Contains(err.Error(), "incomplete") || !strings.Contains(err.Error(), AlipayPublicKeyFile) {
		t.Fatalf("partial set: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, AlipayPublicKeyFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file was recreated: %v", err)
	}
}

func TestLoadOrCreateKeysRefusesCorruptFile(t *testing.T) {
	dir := createKeys(t)
	path := filepath.Join(dir, AppPrivateKeyFile)
	junk := []byte("not a key\n")
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := loadOrCreateKeys(dir, sharedGenerator(t))
	if err == nil || !strings.Contains(err.Error(), AppPrivateKeyFile) {
		t.Fatalf("corrupt file: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, junk) {
		t.Error("corrupt file was overwritten")
	}
}

func TestLoadOrCreateKeysRefusesMismatch(t *testing.T) {
	dir := createKeys(t)
	app := filepath.Join(dir, AppPublicKeyFile)
	ali, err := os.ReadFile(filepath.Join(dir, AlipayPublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, ali, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = loadOrCreateKeys(dir, sharedGenerator(t))
	if err == nil || !strings.Contains(err.Error(), AppPublicKeyFile+" does not match") {
		t.Fatalf("mismatched pair: %v", err)
	}
}

func TestLoadOrCreateKeysRefusesPublicAsPrivate(t *testing.T) {
	dir := createKeys(t)
	pub, err := os.ReadFile(filepath.Join(dir, AppPublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, AppPrivateKeyFile), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = loadOrCreateKeys(dir, sharedGenerator(t))
	if !errors.Is(err, alipay.ErrPublicKeyGiven) || !strings.Contains(err.Error(), AppPrivateKeyFile) {
		t.Fatalf("public key in the private file: %v", err)
	}
}

func TestWriteNewNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeNew(path, []byte("new"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Errorf("writeNew over an existing file: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file now holds %q", got)
	}
}
