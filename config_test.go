package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
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
