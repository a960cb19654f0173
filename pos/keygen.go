package pos

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"kiosk/alipay"
)

// The files kiosk keys gen writes, named as the emulator names its own
// (so a directory of them reads the same way).
const (
	AppPrivateKeyFile = "app_private_key.pem"
	AppPublicKeyFile  = "app_public_key.pem"
)

// AppKeyBits is the size of the key pair kiosk keys gen makes: Alipay's
// RSA2 takes 2048-bit keys.
const AppKeyBits = 2048

// AppKeys is a key pair kiosk keys gen wrote, and the public key as the
// single base64 line Alipay's console takes.
type AppKeys struct {
	PrivatePath, PublicPath string
	PrivateFormat           string // "PKCS#8 PEM"
	Bits                    int
	ConsoleLine             string // base64 of the SPKI DER, no armour, no line breaks
}

// KeysExistError refuses to write over key files: the console may hold
// the public half of the key already there, and the shop's sales are
// signed with it.
type KeysExistError struct{ Paths []string }

func (e *KeysExistError) Error() string { return fmt.Sprintf("key files exist: %v", e.Paths) }

// KeysDirError refuses a directory for the keys that is a file, or lies
// under one.
type KeysDirError struct{ Dir string }

func (e *KeysDirError) Error() string { return fmt.Sprintf("%s is not a directory", e.Dir) }

// GenerateAppKeys makes an RSA-2048 app key pair in dir (created 0700 if
// absent): the private key as PKCS#8 PEM, mode 0600, and the public key
// as SPKI PEM. It writes nothing when either file exists.
//
// PKCS#8 rather than PKCS#1: it is the standard container, which names
// its algorithm; it is what openssl 3 writes, what Alipay's key tool gives
// by default (for Java) and what the emulator writes, and the kiosk reads
// PKCS#1 too. Alipay's Node SDK reads it with keyType "PKCS8".
func GenerateAppKeys(dir string) (AppKeys, error) {
	k := AppKeys{PrivatePath: filepath.Join(dir, AppPrivateKeyFile), PublicPath: filepath.Join(dir, AppPublicKeyFile)}
	if fi, err := os.Stat(dir); (err == nil && !fi.IsDir()) || errors.Is(err, syscall.ENOTDIR) {
		return AppKeys{}, &KeysDirError{Dir: dir}
	}
	var exist []string
	for _, p := range []string{k.PrivatePath, k.PublicPath} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			exist = append(exist, p)
		}
	}
	if len(exist) > 0 {
		return AppKeys{}, &KeysExistError{Paths: exist}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return AppKeys{}, err
	}
	key, err := rsa.GenerateKey(rand.Reader, AppKeyBits)
	if err != nil {
		return AppKeys{}, fmt.Errorf("generate the key pair: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return AppKeys{}, err
	}
	if err := writeNew(k.PrivatePath, alipay.EncodePrivateKeyPEM(key), 0o600); err != nil {
		return AppKeys{}, err
	}
	if err := writeNew(k.PublicPath, alipay.EncodePublicKeyPEM(&key.PublicKey), 0o644); err != nil {
		_ = os.Remove(k.PrivatePath) // half a pair is no use; the private key was never shown
		return AppKeys{}, err
	}
	k.PrivateFormat, k.Bits, k.ConsoleLine = "PKCS#8 PEM", key.N.BitLen(), base64.StdEncoding.EncodeToString(der)
	return k, nil
}

// writeNew writes a file that must not exist yet, with mode perm whatever
// the umask, synced before it counts as written.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return &KeysExistError{Paths: []string{path}}
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}
