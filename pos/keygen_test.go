package pos

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"kiosk/alipay"
)

// TestGenerateAppKeys: a 2048-bit pair, the private key PKCS#8 PEM only
// its owner reads, the public key as PEM and as the one base64 line the
// console takes, all three the same key; and never a file overwritten.
func TestGenerateAppKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	k, err := GenerateAppKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	priv, format, err := alipay.LoadPrivateKey(k.PrivatePath)
	if err != nil || format != "PKCS#8 PEM" || k.PrivateFormat != string(format) || priv.N.BitLen() != 2048 || k.Bits != 2048 {
		t.Fatalf("private key: %v, %s, %+v", err, format, k)
	}
	pub, _, err := alipay.LoadPublicKey(k.PublicPath)
	if err != nil || !alipay.SameKey(pub, &priv.PublicKey) {
		t.Fatalf("public key file: %v", err)
	}
	line, format, err := alipay.ParsePublicKey([]byte(k.ConsoleLine))
	if err != nil || format != "SPKI base64" || !alipay.SameKey(line, pub) || bytes.ContainsAny([]byte(k.ConsoleLine), "\n -") {
		t.Fatalf("console line %q: %v, %s", k.ConsoleLine, err, format)
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, k.PrivatePath: 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, want %04o (%v)", path, fi.Mode().Perm(), want, err)
			}
		}
	}

	before, _ := os.ReadFile(k.PrivatePath)
	var exist *KeysExistError
	if _, err := GenerateAppKeys(dir); !errors.As(err, &exist) || len(exist.Paths) != 2 {
		t.Fatalf("a second run: %v", err)
	}
	if after, _ := os.ReadFile(k.PrivatePath); !bytes.Equal(before, after) {
		t.Error("the private key was overwritten")
	}
	// One file of the two there is enough to refuse, and nothing is written.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, AppPublicKeyFile), []byte("pasted\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateAppKeys(other); !errors.As(err, &exist) || len(exist.Paths) != 1 {
		t.Fatalf("with a public key file there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, AppPrivateKeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a private key was written beside the existing public key: %v", err)
	}
}
