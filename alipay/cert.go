package alipay

import (
	"crypto/md5" //nolint:gosec // the SN is an identifier Alipay defines with MD5, not a security check
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// ErrCertMismatch means a response names an Alipay certificate other than
// Config.AlipayCertSN: Alipay has rotated its certificate.
var ErrCertMismatch = errors.New("alipay: Alipay certificate mismatch")

// ErrBadCert is wrapped by the errors of RootCertSN and LoadCertConfig.
var ErrBadCert = errors.New("alipay: malformed certificate")

// CertError is a certificate file of certificate mode refused, with its
// facts; errors.Is matches ErrBadCert.
type CertError struct {
	Cert      CertFile
	Problem   CertProblem
	Algorithm string // CertNotRSA: the kind of key the certificate holds
	Bits      int    // CertWeak: the key's size
	Err       error  // CertUndecodable: the parser's error, when there is one
}

// CertFile names one of certificate mode's three files.
type CertFile string

// The files of certificate mode.
const (
	CertApp    CertFile = "app_cert"         // appCertPublicKey_<appid>.crt
	CertAlipay CertFile = "alipay_cert"      // alipayCertPublicKey_RSA2.crt
	CertRoot   CertFile = "alipay_root_cert" // alipayRootCert.crt
)

// CertProblem says what is wrong with a certificate file.
type CertProblem string

// The problems of a certificate file.
const (
	CertNoPEM       CertProblem = "no-pem"      // no PEM CERTIFICATE block
	CertUndecodable CertProblem = "undecodable" // a certificate that does not decode
	CertNotRSA      CertProblem = "not-rsa"     // Alipay's certificate holds a key that is not RSA
	CertWeak        CertProblem = "weak"        // Alipay's certificate holds an RSA key shorter than MinKeyBits
	CertNoRSARoot   CertProblem = "no-rsa-root" // the root bundle holds no RSA-signed certificate
	CertIssuer      CertProblem = "issuer"      // a certificate's issuer name does not decode
)

var certNames = map[CertFile]string{CertApp: "app certificate", CertAlipay: "Alipay certificate", CertRoot: "root bundle"}

func (e *CertError) Error() string {
	what := certNames[e.Cert]
	var s string
	switch e.Problem {
	case CertNoPEM:
		s = what + ": no PEM CERTIFICATE block"
	case CertUndecodable:
		s = what + ": certificate does not decode"
		if e.Err != nil {
			s = fmt.Sprintf("%s: %v", what, e.Err)
		}
	case CertNotRSA:
		s = fmt.Sprintf("the Alipay certificate holds a %s key, not an RSA key", e.Algorithm)
	case CertWeak:
		s = fmt.Sprintf("the Alipay certificate's key: %d bits, and Alipay's RSA2 needs %d", e.Bits, MinKeyBits)
	case CertNoRSARoot:
		s = "no RSA-signed certificate in the root bundle"
	case CertIssuer:
		s = what + ": issuer name does not decode"
	}
	return ErrBadCert.Error() + ": " + s
}

// Unwrap is ErrBadCert.
func (e *CertError) Unwrap() error { return ErrBadCert }

// CertConfig is what certificate mode adds to a Config: copy the three SNs
// into Config.AppCertSN, AlipayRootCertSN and AlipayCertSN, and
// AlipayPublicKey into Config.AlipayPublicKey.
type CertConfig struct {
	AppCertSN        string         // SN of appCertPublicKey_<appid>.crt
	AlipayRootCertSN string         // SNs of the RSA certificates in alipayRootCert.crt, joined by "_"
	AlipayCertSN     string         // SN of alipayCertPublicKey_RSA2.crt
	AlipayPublicKey  *rsa.PublicKey // taken from the Alipay certificate
}

// LoadCertConfig reads the three files the Alipay console hands out in
// certificate mode (PEM text) and computes what requests and responses need.
// Alipay doc: 公钥证书方式.
func LoadCertConfig(appCertPEM, alipayCertPEM, rootBundlePEM []byte) (CertConfig, error) {
	app, err := firstCert(CertApp, appCertPEM)
	if err != nil {
		return CertConfig{}, err
	}
	ali, err := firstCert(CertAlipay, alipayCertPEM)
	if err != nil {
		return CertConfig{}, err
	}
	pub, ok := ali.PublicKey.(*rsa.PublicKey)
	if !ok {
		return CertConfig{}, &CertError{Cert: CertAlipay, Problem: CertNotRSA, Algorithm: algorithm(ali.PublicKey)}
	}
	if n := pub.N.BitLen(); n < MinKeyBits {
		return CertConfig{}, &CertError{Cert: CertAlipay, Problem: CertWeak, Bits: n}
	}
	root, err := RootCertSN(rootBundlePEM)
	if err != nil {
		return CertConfig{}, err
	}
	return CertConfig{AppCertSN: CertSN(app), AlipayRootCertSN: root, AlipayCertSN: CertSN(ali), AlipayPublicKey: pub}, nil
}

// firstCert parses the first CERTIFICATE block. The Alipay certificate file
// carries its intermediate CA after it; the first one is Alipay's own.
func firstCert(which CertFile, data []byte) (*x509.Certificate, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, &CertError{Cert: which, Problem: CertNoPEM}
		}
		if block.Type == "CERTIFICATE" {
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, &CertError{Cert: which, Problem: CertUndecodable, Err: err}
			}
			return cert, nil
		}
	}
}

// CertSN computes the SN Alipay gives a certificate: the lowercase hex MD5
// of its issuer written "CN=…,OU=…,O=…,C=…" (attributes in reverse order of
// the encoded name) followed by its serial number in decimal.
// Alipay doc: 公钥证书方式, 证书序列号 (app_cert_sn).
func CertSN(cert *x509.Certificate) string {
	if sn, err := certSN(cert.RawIssuer, cert.SerialNumber); err == nil {
		return sn
	}
	// Only a certificate built by hand, never parsed, lacks RawIssuer. Go's
	// canonical order (C, ..., O, OU, CN) is then the best guess, and it is
	// the order Alipay's own CAs are encoded in.
	return snOf(cert.Issuer.ToRDNSequence(), cert.SerialNumber)
}

// certSN decodes the DER issuer and computes the SN.
func certSN(rawIssuer []byte, serial *big.Int) (string, error) {
	var rdns pkix.RDNSequence
	rest, err := asn1.Unmarshal(rawIssuer, &rdns)
	if err != nil || len(rest) != 0 {
		return "", &CertError{Cert: CertRoot, Problem: CertIssuer}
	}
	return snOf(rdns, serial), nil
}

// snOf hashes the reversed issuer text and the decimal serial. The order is
// the encoded one, not pkix.Name's, because that is what Alipay's tools read.
func snOf(rdns pkix.RDNSequence, serial *big.Int) string {
	var atvs []pkix.AttributeTypeAndValue
	for _, rdn := range rdns {
		atvs = append(atvs, rdn...)
	}
	parts := make([]string, 0, len(atvs))
	for i := len(atvs) - 1; i >= 0; i-- {
		parts = append(parts, shortName(atvs[i].Type)+"="+fmt.Sprint(atvs[i].Value))
	}
	if serial == nil {
		serial = new(big.Int)
	}
	sum := md5.Sum([]byte(strings.Join(parts, ",") + serial.String())) //nolint:gosec // see import
	return hex.EncodeToString(sum[:])
}

// shortNames are the attribute abbreviations certificate tools print.
var shortNames = map[string]string{
	"2.5.4.3":              "CN",
	"2.5.4.6":              "C",
	"2.5.4.7":              "L",
	"2.5.4.8":              "ST",
	"2.5.4.9":              "STREET",
	"2.5.4.10":             "O",
	"2.5.4.11":             "OU",
	"1.2.840.113549.1.9.1": "E",
}

// shortName abbreviates a well-known attribute; others keep their dotted
// OID, which Alipay's own certificates never need.
func shortName(oid asn1.ObjectIdentifier) string {
	if s, ok := shortNames[oid.String()]; ok {
		return s
	}
	return oid.String()
}

// rsaSignatureArc is PKCS #1 (1.2.840.113549.1.1): every RSA signature
// algorithm, from MD5withRSA to RSASSA-PSS, sits under it.
var rsaSignatureArc = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1}

// rawCert is the outer shape of a certificate. Parsing only this much lets RootCertSN walk past the SM2
// certificate of Alipay's root bundle, which crypto/x509 cannot parse.
type rawCert struct {
	TBS    asn1.RawValue
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

// tbsHead is the start of a certificate's signed part, up to the issuer.
type tbsHead struct {
	Version int `asn1:"optional,explicit,default:0,tag:0"`
	Serial  *big.Int
	SigAlg  pkix.AlgorithmIdentifier
	Issuer  asn1.RawValue
}

// RootCertSN computes alipay_root_cert_sn from alipayRootCert.crt: the SNs of
// the certificates signed with an RSA algorithm, in file order, joined by
// "_". ECDSA and SM2 certificates in the bundle are skipped.
// Alipay doc: 公钥证书方式, 根证书序列号 (alipay_root_cert_sn).
func RootCertSN(pemBundle []byte) (string, error) {
	var sns []string
	for rest := pemBundle; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		sn, isRSA, err := rootSN(block.Bytes)
		if err != nil {
			return "", err
		}
		if isRSA {
			sns = append(sns, sn)
		}
	}
	if len(sns) == 0 {
		return "", &CertError{Cert: CertRoot, Problem: CertNoRSARoot}
	}
	return strings.Join(sns, "_"), nil
}

// rootSN returns the SN of one DER certificate and whether it is RSA-signed.
func rootSN(der []byte) (string, bool, error) {
	var c rawCert
	if rest, err := asn1.Unmarshal(der, &c); err != nil || len(rest) != 0 {
		return "", false, &CertError{Cert: CertRoot, Problem: CertUndecodable}
	}
	var h tbsHead
	if _, err := asn1.Unmarshal(c.TBS.FullBytes, &h); err != nil {
		return "", false, &CertError{Cert: CertRoot, Problem: CertUndecodable, Err: err}
	}
	oid := c.SigAlg.Algorithm
	if len(oid) <= len(rsaSignatureArc) || !oid[:len(rsaSignatureArc)].Equal(rsaSignatureArc) {
		return "", false, nil
	}
	sn, err := certSN(h.Issuer.FullBytes, h.Serial)
	return sn, true, err
}

// checkCertSN refuses a response whose alipay_cert_sn differs from the
// configured one. The member sits outside the signed value, so it is read
// only to explain a failure, never to accept anything.
func (c *Client) checkCertSN(method string, r *gatewayResponse) error {
	want, sn := c.cfg.AlipayCertSN, r.certSN
	if want == "" || sn == nil {
		return nil
	}
	got, ok := sn.str(r.data)
	if !ok || len(got) == 0 || string(got) == want {
		return nil
	}
	return fmt.Errorf("%w: %s: the response was signed with Alipay certificate %s, not the configured %s; "+
		"download the new Alipay public key certificate", ErrCertMismatch, method, printableSN(string(got)), want)
}

// printableSN keeps an unexpected SN readable in a log line: a real one is
// 32 hex digits; anything else is quoted and cut short.
func printableSN(sn string) string {
	if len(sn) <= 64 && strings.Trim(sn, "0123456789abcdefABCDEF") == "" {
		return sn
	}
	if len(sn) > 64 {
		sn = sn[:64]
	}
	return fmt.Sprintf("%q", sn)
}
