package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/internal/english"
	"kiosk/ui/cli"
	"kiosk/ui/words"
)

// certFile writes a self-signed certificate for key, as the Alipay console
// hands them out (PEM), and returns its path.
func certFile(t *testing.T, dir, name string, key *rsa.PrivateKey, serial int64) string {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: name, Organization: []string{"Ant Financial"}, Country: []string{"CN"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
}

func TestConfigCertificateMode(t *testing.T) {
	dir := t.TempDir()
	keys, _, err := emulator.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	rootKey, err := rsa.GenerateKey(rand.Reader, 1024) // only signs the root certificate here
	if err != nil {
		t.Fatal(err)
	}
	appCert := certFile(t, dir, "appCertPublicKey.crt", keys.AppPrivate, 11)
	alipayCert := certFile(t, dir, "alipayCertPublicKey_RSA2.crt", keys.AlipayPrivate, 22)
	root := certFile(t, dir, "alipayRootCert.crt", rootKey, 33)
	path := writeFile(t, dir, "kiosk.toml", `app_id = "2021000000000001"
gateway = "sandbox"
app_private_key = "app_private_key.pem"
app_cert = "appCertPublicKey.crt"
alipay_cert = "alipayCertPublicKey_RSA2.crt"
alipay_root_cert = "alipayRootCert.crt"
`)
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	acfg, _, err := cfg.clientConfig()
	if err != nil {
		t.Fatal(err)
	}
	want := readCertConfig(t, appCert, alipayCert, root)
	if acfg.AppCertSN != want.AppCertSN || acfg.AlipayRootCertSN != want.AlipayRootCertSN || acfg.AlipayCertSN != want.AlipayCertSN {
		t.Errorf("serial numbers %q %q %q, want %+v", acfg.AppCertSN, acfg.AlipayRootCertSN, acfg.AlipayCertSN, want)
	}
	if !alipay.SameKey(acfg.AlipayPublicKey, keys.AlipayPublic) {
		t.Error("Alipay's public key was not taken from its certificate")
	}
	if _, err := alipay.NewClient(acfg); err != nil {
		t.Errorf("NewClient: %v", err)
	}
}

func readCertConfig(t *testing.T, paths ...string) alipay.CertConfig {
	t.Helper()
	var pems [3][]byte
	for i, p := range paths {
		b, err := os.ReadFile(filepath.Clean(p))
		if err != nil {
			t.Fatal(err)
		}
		pems[i] = b
	}
	cc, err := alipay.LoadCertConfig(pems[0], pems[1], pems[2])
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// An RSA key under 2048 bits, the app's or Alipay's, is refused in one
// line with exit status 2, before the data directory is touched.
func TestShortRSAKeysAreRefused(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "weak_private.pem", string(alipay.EncodePrivateKeyPEM(weak)))
	writeFile(t, dir, "weak_public.pem", string(alipay.EncodePublicKeyPEM(&weak.PublicKey)))
	for name, tt := range map[string]struct{ keys, fix string }{
		"app_private_key":   {"app_private_key = \"weak_private.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n", "Alipay's key tool"},
		"alipay_public_key": {"app_private_key = \"app_private_key.pem\"\nalipay_public_key = \"weak_public.pem\"\n", "RSA2 Alipay public key"},
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, dir, "kiosk.toml", "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\n"+tt.keys)
			data := filepath.Join(t.TempDir(), "data")
			err := dispatch([]string{"--config", path, "--data", data})
			if !errors.As(err, new(cli.UsageError)) {
				t.Fatalf("dispatch = %v; want a usage error (exit status 2)", err)
			}
			if msg := err.Error(); !strings.Contains(msg, name) || !strings.Contains(msg, "1024 bits") || !strings.Contains(msg, "2048") || !strings.Contains(msg, tt.fix) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line naming %s, its 1024 bits, the 2048 needed and %q", msg, name, tt.fix)
			}
			if _, err := os.Stat(data); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the data directory was created for a refused key: %v", err)
			}
		})
	}
}

// A private key file others can read is said at start (the plan's
// warnings, which the counter prints, logs and shows under the title) and
// by kiosk api --verbose; the kiosk still runs.
func TestLooseKeyFileIsWarnedAbout(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, dir, "kiosk.toml", "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\n"+
		"app_private_key = \"app_private_key.pem\"\nalipay_public_key = \"alipay_public_key.pem\"\n")
	key := filepath.Join(dir, emulator.AppPrivateKeyFile)
	warnings := func() []string {
		cfg, err := loadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := planCounter(cfg)
		if err != nil {
			t.Fatalf("a loose key file must not stop the kiosk: %v", err)
		}
		return plan.warnings
	}
	if w := warnings(); len(w) != 0 {
		t.Fatalf("a 0600 key file was warned about: %q", w)
	}
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	w := warnings()
	if len(w) != 1 || !strings.Contains(w[0], key) || !strings.Contains(w[0], "0644") || !strings.Contains(w[0], "chmod 600") {
		t.Fatalf("warnings %q; want one naming %s, its mode 0644 and the fix", w, key)
	}
	// What kiosk api --verbose is given to say (ui/cli's
	// TestVerboseSaysWhatKeysThereAre prints it).
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if k := cfg.keyFacts(); len(k.Warnings) != 1 || k.Warnings[0] != w[0] || k.AppKey != key || k.AppKeyFormat == "" {
		t.Errorf("kiosk api --verbose is not told of the loose key: %+v", k)
	}
}

// TestKeyComplaintsSpeakTheShopsLanguage: a key file the kiosk cannot
// use is refused in one line that names its setting and its file and says
// what is wrong in the shop's language, from the facts of the mistake, not
// alipay's English.
func TestKeyComplaintsSpeakTheShopsLanguage(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := emulator.LoadOrCreateKeys(dir); err != nil {
		t.Fatal(err)
	}
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "weak.pem", string(alipay.EncodePrivateKeyPEM(weak)))
	writeFile(t, dir, "ec.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})))
	writeFile(t, dir, "junk.pem", "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n")
	writeFile(t, dir, "encrypted.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	for _, tt := range []struct {
		name, appKey, alipayKey string
		setting, zh, en         string
	}{
		{"too short", "weak.pem", "alipay_public_key.pem", "app_private_key", "1024 位", "1024 bits"},
		{"not RSA", "ec.pem", "alipay_public_key.pem", "app_private_key", "EC 密钥", "EC key"},
		{"malformed", "junk.pem", "alipay_public_key.pem", "app_private_key", "PEM 块无法解码", "PEM block does not decode"},
		{"encrypted", "encrypted.pem", "alipay_public_key.pem", "app_private_key", "口令加密", "passphrase"},
		{"a public key as the private key", "alipay_public_key.pem", "alipay_public_key.pem", "app_private_key", "是公钥", "holds a public key"},
		{"a private key as Alipay's", "app_private_key.pem", "app_private_key.pem", "alipay_public_key", "是私钥", "holds a private key"},
		{"missing", "missing.pem", "alipay_public_key.pem", "app_private_key", "文件不存在", "does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "kiosk.toml", "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\n"+
				"app_private_key = \""+tt.appKey+"\"\nalipay_public_key = \""+tt.alipayKey+"\"\n")
			file := tt.appKey
			if tt.setting == "alipay_public_key" {
				file = tt.alipayKey
			}
			for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
				err := dispatch([]string{"--config", path, "--data", filepath.Join(t.TempDir(), "data"), "--lang", lang})
				speak(words.English)
				if !errors.As(err, new(cli.UsageError)) {
					t.Fatalf("%s: dispatch = %v; want a usage error", lang, err)
				}
				msg := err.Error()
				if !strings.Contains(msg, tt.setting) || !strings.Contains(msg, filepath.Join(dir, file)) || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
					t.Errorf("%s: %q; want one line naming %s, its file and saying %q", lang, msg, tt.setting, want)
				}
				if en := english.Words(msg); lang == "zh" && len(en) > 0 {
					t.Errorf("English %q in the Chinese complaint %q", en, msg)
				}
			}
		})
	}
}

// TestCertificateComplaintsSpeakTheShopsLanguage: in certificate mode a
// certificate file that is missing or holds the wrong thing is refused in
// one line of the shop's language naming its setting, from the facts of
// the mistake.
func TestCertificateComplaintsSpeakTheShopsLanguage(t *testing.T) {
	dir := t.TempDir()
	keys, _, err := emulator.LoadOrCreateKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	certFile(t, dir, "app.crt", keys.AppPrivate, 11)
	certFile(t, dir, "alipay.crt", keys.AlipayPrivate, 22)
	root := certFile(t, dir, "root.crt", keys.AlipayPrivate, 33)
	writeFile(t, dir, "junk.crt", "not a certificate")
	for _, tt := range []struct {
		name, app, root string
		zh, en          string
	}{
		{"missing", "nowhere.crt", root, "app_cert " + filepath.Join(dir, "nowhere.crt") + "：文件不存在", "app_cert " + filepath.Join(dir, "nowhere.crt") + ": the file does not exist"},
		{"no certificate", "junk.crt", root, "app_cert 中没有 PEM 证书", "app_cert holds no PEM certificate"},
		{"no RSA root", "app.crt", "app_private_key.pem", "alipay_root_cert 中没有 RSA 签名的根证书", "alipay_root_cert holds no RSA-signed root certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "kiosk.toml", "app_id = \"2021000000000001\"\ngateway = \"sandbox\"\napp_private_key = \"app_private_key.pem\"\n"+
				"app_cert = \""+tt.app+"\"\nalipay_cert = \"alipay.crt\"\nalipay_root_cert = \""+tt.root+"\"\n")
			for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
				err := dispatch([]string{"--config", path, "--data", filepath.Join(t.TempDir(), "data"), "--lang", lang})
				speak(words.English)
				if !errors.As(err, new(cli.UsageError)) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
					t.Errorf("%s: %v; want one line of a usage error saying %q", lang, err, want)
				}
				if en := english.Words(fmt.Sprint(err)); lang == "zh" && len(en) > 0 {
					t.Errorf("English %q in the Chinese complaint %q", en, err)
				}
			}
		})
	}
}
