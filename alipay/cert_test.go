package alipay

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// antIssuer is the issuer of the SDK's fixture certificate.
var antIssuer = pkix.Name{
	Country:            []string{"CN"},
	Organization:       []string{"Ant Financial"},
	OrganizationalUnit: []string{"Certification Authority"},
	CommonName:         "Ant Financial Certification Authority Class 1 R1",
}

// makeCert creates a certificate for pub signed by signer, issued by parent
// (self-signed when parent is nil), and returns it parsed.
func makeCert(t *testing.T, subject pkix.Name, serial *big.Int, pub, signer any, parent *x509.Certificate, alg x509.SignatureAlgorithm) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		Subject:            subject,
		NotBefore:          time.Date(2020, 5, 18, 0, 0, 0, 0, time.UTC),
		NotAfter:           time.Date(2040, 5, 18, 0, 0, 0, 0, time.UTC),
		SignatureAlgorithm: alg,
		IsCA:               true,
		KeyUsage:           x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer.(crypto.Signer))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func pemCerts(certs ...*x509.Certificate) []byte {
	var buf bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&buf, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return buf.Bytes()
}

func serialHex(t *testing.T, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatal(s)
	}
	return n
}

// TestCertSNFixture reproduces the SN of the official SDK's test fixture.
func TestCertSNFixture(t *testing.T) {
	k := testKeys(t).alipay
	serial := serialHex(t, "2020051862039d4090897ba4d51c2126")
	cert := makeCert(t, antIssuer, serial, &k.PublicKey, k, nil, x509.SHA256WithRSA)
	const want = "866efef280dec9137a87d047ac446315"
	if got := CertSN(cert); got != want {
		t.Fatalf("CertSN = %s, want %s", got, want)
	}
	// A certificate that was never parsed has no RawIssuer.
	if got := CertSN(&x509.Certificate{Issuer: antIssuer, SerialNumber: serial}); got != want {
		t.Errorf("CertSN of an unparsed certificate = %s, want %s", got, want)
	}
}

// TestCertSNOrder: the SN follows the issuer as encoded, reversed, not
// Go's canonical order.
func TestCertSNOrder(t *testing.T) {
	k := testKeys(t).alipay
	rdns := pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "Root"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: "Example"}},
		{{Type: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, Value: "ca@example.com"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "CN"}},
	}
	raw, err := asn1.Marshal(rdns)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(255), RawSubject: raw,
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<31, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum([]byte("C=CN,E=ca@example.com,O=Example,CN=Root255"))
	if got, want := CertSN(cert), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("CertSN = %s, want %s", got, want)
	}
}

// sm2Like builds the DER of a certificate signed with SM3withSM2, which
// crypto/x509 cannot parse: only its outer structure is valid.
func sm2Like(t *testing.T) []byte {
	t.Helper()
	issuer, err := asn1.Marshal(pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "SM2 Root"}}})
	if err != nil {
		t.Fatal(err)
	}
	alg := pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 501}}
	tbs, err := asn1.Marshal(tbsHead{Version: 2, Serial: big.NewInt(7), SigAlg: alg, Issuer: asn1.RawValue{FullBytes: issuer}})
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(rawCert{TBS: asn1.RawValue{FullBytes: tbs}, SigAlg: alg, Sig: asn1.BitString{Bytes: []byte{1}, BitLength: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCertificate(der); err == nil {
		t.Fatal("crypto/x509 parsed the SM2 stand-in; the test no longer proves anything")
	}
	return der
}

func TestRootCertSN(t *testing.T) {
	keys := testKeys(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaRoot := makeCert(t, antIssuer, big.NewInt(1), &keys.alipay.PublicKey, keys.alipay, nil, x509.SHA256WithRSA)
	ecRoot := makeCert(t, pkix.Name{CommonName: "EC Root"}, big.NewInt(2), &ec.PublicKey, ec, nil, x509.ECDSAWithSHA256)
	rsaOld := makeCert(t, pkix.Name{CommonName: "Old Root", Country: []string{"CN"}}, big.NewInt(3), &keys.other.PublicKey, keys.other, nil, x509.SHA384WithRSA)
	var bundle bytes.Buffer
	bundle.Write(pemCerts(rsaRoot))
	_ = pem.Encode(&bundle, &pem.Block{Type: "CERTIFICATE", Bytes: sm2Like(t)})
	bundle.Write(pemCerts(ecRoot))
	_ = pem.Encode(&bundle, &pem.Block{Type: "PUBLIC KEY", Bytes: []byte("not a certificate")})
	bundle.Write(pemCerts(rsaOld))
	got, err := RootCertSN(bundle.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := CertSN(rsaRoot) + "_" + CertSN(rsaOld); got != want {
		t.Errorf("RootCertSN = %s, want %s", got, want)
	}
	bad := map[string][]byte{
		"empty":       nil,
		"no RSA cert": pemCerts(ecRoot),
		"garbage":     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 1, 2, 3}}),
		"not PEM":     rsaRoot.Raw,
	}
	for name, b := range bad {
		if _, err := RootCertSN(b); !errors.Is(err, ErrBadCert) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// certFiles are the three files of certificate mode, made in the test.
type certFiles struct {
	app, alipay, root []byte
	appLeaf, aliLeaf  *x509.Certificate
	rootCert          *x509.Certificate
}

func makeCertFiles(t *testing.T) certFiles {
	t.Helper()
	keys := testKeys(t)
	root := makeCert(t, pkix.Name{CommonName: "Test Root", Country: []string{"CN"}}, big.NewInt(1), &keys.other.PublicKey, keys.other, nil, x509.SHA256WithRSA)
	ca := makeCert(t, antIssuer, big.NewInt(2), &keys.other.PublicKey, keys.other, root, x509.SHA256WithRSA)
	app := makeCert(t, pkix.Name{CommonName: testAppID}, serialHex(t, "2020051862039d4090897ba4d51c2126"), &keys.app.PublicKey, keys.other, ca, x509.SHA256WithRSA)
	ali := makeCert(t, pkix.Name{CommonName: "Alipay"}, big.NewInt(4), &keys.alipay.PublicKey, keys.other, ca, x509.SHA256WithRSA)
	return certFiles{app: pemCerts(app), alipay: pemCerts(ali, ca), root: pemCerts(root),
		appLeaf: app, aliLeaf: ali, rootCert: root}
}

func TestLoadCertConfig(t *testing.T) {
	f := makeCertFiles(t)
	cc, err := LoadCertConfig(f.app, f.alipay, f.root)
	if err != nil {
		t.Fatal(err)
	}
	if cc.AppCertSN != "866efef280dec9137a87d047ac446315" {
		t.Errorf("AppCertSN = %s (issued by the fixture's CA with the fixture's serial)", cc.AppCertSN)
	}
	if cc.AlipayCertSN != CertSN(f.aliLeaf) || cc.AlipayRootCertSN != CertSN(f.rootCert) {
		t.Errorf("config = %+v", cc)
	}
	if !SameKey(cc.AlipayPublicKey, &testKeys(t).alipay.PublicKey) {
		t.Error("AlipayPublicKey is not the Alipay certificate's key")
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecCert := pemCerts(makeCert(t, pkix.Name{CommonName: "EC"}, big.NewInt(9), &ec.PublicKey, ec, nil, x509.ECDSAWithSHA256))
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weakCert := pemCerts(makeCert(t, pkix.Name{CommonName: "Alipay"}, big.NewInt(10), &weak.PublicKey, weak, nil, x509.SHA256WithRSA))
	bad := map[string]struct {
		in   [3][]byte
		want CertError // its facts
	}{
		"1024-bit Alipay cert": {[3][]byte{f.app, weakCert, f.root}, CertError{Cert: CertAlipay, Problem: CertWeak, Bits: 1024}},
		"no app cert":          {[3][]byte{nil, f.alipay, f.root}, CertError{Cert: CertApp, Problem: CertNoPEM}},
		"app cert garbage": {[3][]byte{pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}), f.alipay, f.root},
			CertError{Cert: CertApp, Problem: CertUndecodable}},
		"no Alipay cert": {[3][]byte{f.app, []byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"), f.root},
			CertError{Cert: CertAlipay, Problem: CertNoPEM}},
		"EC Alipay cert":    {[3][]byte{f.app, ecCert, f.root}, CertError{Cert: CertAlipay, Problem: CertNotRSA, Algorithm: "EC"}},
		"no root bundle":    {[3][]byte{f.app, f.alipay, nil}, CertError{Cert: CertRoot, Problem: CertNoRSARoot}},
		"EC-only root cert": {[3][]byte{f.app, f.alipay, ecCert}, CertError{Cert: CertRoot, Problem: CertNoRSARoot}},
	}
	for name, tt := range bad {
		_, err := LoadCertConfig(tt.in[0], tt.in[1], tt.in[2])
		var ce *CertError
		if !errors.Is(err, ErrBadCert) || !errors.As(err, &ce) {
			t.Errorf("%s: err = %v", name, err)
			continue
		}
		got := *ce
		got.Err = nil // the parser's own error
		if got != tt.want {
			t.Errorf("%s: facts %+v, want %+v", name, got, tt.want)
		}
	}
}

// certClient returns a client in certificate mode whose gateway answers
// alipay.trade.query with the given alipay_cert_sn ("" for none), signed
// with signer.
func certClient(t *testing.T, cc CertConfig, responseSN string, signer SignType, key *testKeySet) (*Client, *gotRequest) {
	t.Helper()
	var got gotRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = readRequest(t, r, RSA2)
		raw, err := SignResponse(key.alipay, signer, MethodQuery, []byte(`{"code":"10000","msg":"Success","out_trade_no":"K1","trade_status":"WAIT_BUYER_PAY"}`))
		if err != nil {
			t.Error(err)
		}
		if responseSN != "" {
			raw = bytes.Replace(raw, []byte(`,"sign":`), []byte(`,"alipay_cert_sn":"`+responseSN+`","sign":`), 1)
		}
		_, _ = w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{
		AppID: testAppID, PrivateKey: testKeys(t).app, AlipayPublicKey: cc.AlipayPublicKey, Gateway: srv.URL,
		AppCertSN: cc.AppCertSN, AlipayRootCertSN: cc.AlipayRootCertSN, AlipayCertSN: cc.AlipayCertSN,
	}, WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	return c, &got
}

func TestCertModeRequests(t *testing.T) {
	f := makeCertFiles(t)
	cc, err := LoadCertConfig(f.app, f.alipay, f.root)
	if err != nil {
		t.Fatal(err)
	}
	keys := testKeys(t)
	other := testKeySet{alipay: keys.other}
	tests := []struct {
		name       string
		responseSN string
		key        *testKeySet
		want       error
	}{
		{"same certificate", cc.AlipayCertSN, &keys, nil},
		{"no alipay_cert_sn", "", &keys, nil},
		{"rotated certificate", "0123456789abcdef0123456789abcdef", &keys, ErrCertMismatch},
		{"rotated certificate and key", "0123456789abcdef0123456789abcdef", &other, ErrCertMismatch},
		{"same SN, other key", cc.AlipayCertSN, &other, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := certClient(t, cc, tt.responseSN, RSA2, tt.key)
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got.query.Get("app_cert_sn") != cc.AppCertSN || got.query.Get("alipay_root_cert_sn") != cc.AlipayRootCertSN {
				t.Errorf("query = %v", got.query)
			}
			if tt.want == ErrCertMismatch && !strings.Contains(err.Error(),
				"signed with Alipay certificate 0123456789abcdef0123456789abcdef, not the configured "+cc.AlipayCertSN) {
				t.Errorf("message: %v", err)
			}
		})
	}
}

func TestCertModeConfig(t *testing.T) {
	keys := testKeys(t)
	base := Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey, Gateway: ProductionGateway}
	for name, change := range map[string]func(*Config){
		"app SN only":  func(c *Config) { c.AppCertSN = "a" },
		"root SN only": func(c *Config) { c.AlipayRootCertSN = "r" },
	} {
		cfg := base
		change(&cfg)
		if _, err := NewClient(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	c, mux := setup(t)
	got := gateway(t, mux, MethodQuery, `{"code":"10000","msg":"Success","out_trade_no":"K1"}`)
	if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := got.query["app_cert_sn"]; ok {
		t.Error("app_cert_sn sent outside certificate mode")
	}
}

func TestPrintableSN(t *testing.T) {
	if got := printableSN("866efef280dec9137a87d047ac446315"); got != "866efef280dec9137a87d047ac446315" {
		t.Error(got)
	}
	if got := printableSN("a\nb"); got != `"a\nb"` {
		t.Error(got)
	}
	if got := printableSN(strings.Repeat("z", 100)); len(got) != 66 {
		t.Error(got)
	}
}
