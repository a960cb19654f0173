package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"kiosk/alipay"
)

// Keys are the two RSA key pairs of an Alipay integration: the app's (the
// kiosk signs with the private half; the gateway verifies with the public
// half) and Alipay's (the gateway signs responses; the kiosk verifies them
// with the "Alipay public key").
type Keys struct {
	AppPrivate    *rsa.PrivateKey
	AppPublic     *rsa.PublicKey
	AlipayPrivate *rsa.PrivateKey
	AlipayPublic  *rsa.PublicKey
}

// The files LoadOrCreateKeys keeps in its directory: private keys as
// PKCS#8 PEM (mode 0600), public keys as SPKI PEM. Alipay's Node SDK reads
// the private key with keyType "PKCS8".
const (
	AppPrivateKeyFile    = "app_private_key.pem"
	AppPublicKeyFile     = "app_public_key.pem"
	AlipayPrivateKeyFile = "alipay_private_key.pem"
	AlipayPublicKeyFile  = "alipay_public_key.pem"
)

// keyBits is the size Alipay requires for RSA2 keys.
const keyBits = 2048

// GenerateKeys makes a fresh app key pair and Alipay key pair, 2048 bits
// each.
func GenerateKeys() (*Keys, error) {
	// The two keys are independent; making them in parallel halves the
	// wait on a first start.
	var app, ali *rsa.PrivateKey
	var appErr, aliErr error
	var wg sync.WaitGroup
	wg.Go(func() { app, appErr = rsa.GenerateKey(rand.Reader, keyBits) })
	wg.Go(func() { ali, aliErr = rsa.GenerateKey(rand.Reader, keyBits) })
	wg.Wait()
	if err := errors.Join(appErr, aliErr); err != nil {
		return nil, fmt.Errorf("generate keys: %w", err)
	}
	return &Keys{AppPrivate: app, AppPublic: &app.PublicKey, AlipayPrivate: ali, AlipayPublic: &ali.PublicKey}, nil
}

// LoadOrCreateKeys loads the four key files from dir, or, when none of them
// exists, generates keys and writes them (dir is created with mode 0700).
// The bool reports whether the keys were created now. A partial set, a
// malformed file or a public key that does not match its private key is an
// error naming the files; existing files are never overwritten.
func LoadOrCreateKeys(dir string) (*Keys, bool, error) {
	return loadOrCreateKeys(dir, GenerateKeys)
}

// keyFile is one of the four files.
type keyFile struct {
	name    string
	private bool
}

var keyFiles = []keyFile{
	{AppPrivateKeyFile, true},
	{AppPublicKeyFile, false},
	{AlipayPrivateKeyFile, true},
	{AlipayPublicKeyFile, false},
}

// loadOrCreateKeys is LoadOrCreateKeys with the key generator as a
// parameter, so that tests need not wait for RSA key generation.
func loadOrCreateKeys(dir string, generate func() (*Keys, error)) (*Keys, bool, error) {
	present, missing, err := survey(dir)
	if err != nil {
		return nil, false, err
	}
	switch {
	case len(missing) == 0:
		k, err := loadKeys(dir)
		return k, false, err
	case len(present) > 0:
		return nil, false, fmt.Errorf("emulator keys in %s are incomplete: found %s but not %s; restore the missing files, or move the others away to generate a new set",
			dir, strings.Join(present, ", "), strings.Join(missing, ", "))
	}
	k, err := generate()
	if err != nil {
		return nil, false, err
	}
	if err := writeKeys(dir, k); err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// survey reports which key files exist in dir.
func survey(dir string) (present, missing []string, err error) {
	for _, f := range keyFiles {
		_, err := os.Lstat(filepath.Join(dir, f.name))
		switch {
		case err == nil:
			present = append(present, f.name)
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, f.name)
		default:
			return nil, nil, fmt.Errorf("emulator keys: %w", err)
		}
	}
	return present, missing, nil
}

// loadKeys reads the four files and checks that each public key belongs to
// its private key and that the two pairs differ.
func loadKeys(dir string) (*Keys, error) {
	var k Keys
	var err error
	if k.AppPrivate, k.AppPublic, err = loadPair(dir, AppPrivateKeyFile, AppPublicKeyFile); err != nil {
		return nil, err
	}
	if k.AlipayPrivate, k.AlipayPublic, err = loadPair(dir, AlipayPrivateKeyFile, AlipayPublicKeyFile); err != nil {
		return nil, err
	}
	if alipay.SameKey(k.AppPublic, k.AlipayPublic) {
		return nil, fmt.Errorf("emulator keys in %s: %s and %s hold the same key; the app and Alipay must have different key pairs",
			dir, AppPrivateKeyFile, AlipayPrivateKeyFile)
	}
	return &k, nil
}

// loadPair reads one private key file and its public key file.
func loadPair(dir, privName, pubName string) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	privPath, pubPath := filepath.Join(dir, privName), filepath.Join(dir, pubName)
	priv, _, err := alipay.LoadPrivateKey(privPath)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator keys: %w", err)
	}
	pub, _, err := alipay.LoadPublicKey(pubPath)
	if err != nil {
		return nil, nil, fmt.Errorf("emulator keys: %w", err)
	}
	if !alipay.SameKey(&priv.PublicKey, pub) {
		return nil, nil, fmt.Errorf("emulator keys: %s does not match %s", pubPath, privPath)
	}
	return priv, pub, nil
}

// writeKeys writes the four files. Each is written to a temporary file
// first and then linked into place, which fails rather than overwrite a
// file that appeared meanwhile. If any step fails, the files written by
// this call are removed again, so that no partial set is left behind.
func writeKeys(dir string, k *Keys) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("emulator keys: %w", err)
	}
	data := map[string][]byte{
		AppPrivateKeyFile:    alipay.EncodePrivateKeyPEM(k.AppPrivate),
		AppPublicKeyFile:     alipay.EncodePublicKeyPEM(k.AppPublic),
		AlipayPrivateKeyFile: alipay.EncodePrivateKeyPEM(k.AlipayPrivate),
		AlipayPublicKeyFile:  alipay.EncodePublicKeyPEM(k.AlipayPublic),
	}
	var written []string
	defer func() {
		if err != nil {
			for _, path := range written {
				os.Remove(path)
			}
		}
	}()
	for _, f := range keyFiles {
		path := filepath.Join(dir, f.name)
		perm := fs.FileMode(0o644)
		if f.private {
			perm = 0o600
		}
		if err := writeNew(path, data[f.name], perm); err != nil {
			return fmt.Errorf("emulator keys: %w", err)
		}
		written = append(written, path)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("emulator keys: %w", err)
	}
	return nil
}

// writeNew atomically creates path with data and perm; it never replaces an
// existing file.
func writeNew(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fillFile(tmp, data, perm); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// No hard links on this file system: rename, after checking the name
	// is still free.
	if _, statErr := os.Lstat(path); !errors.Is(statErr, fs.ErrNotExist) {
		return fmt.Errorf("refusing to overwrite %s", path)
	}
	return os.Rename(tmp.Name(), path)
}

// fillFile sets perm, writes data, syncs and closes f.
func fillFile(f *os.File, data []byte, perm fs.FileMode) error {
	err := f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes the new directory entries durable. Some systems cannot
// sync a directory; that is not worth failing for.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	_ = d.Sync()
	return d.Close()
}
