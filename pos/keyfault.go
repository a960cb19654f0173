package pos

import (
	"errors"
	"io/fs"

	"kiosk/alipay"
)

// KeyFault is what is wrong with a key file, with the facts alipay found,
// for the doctor's lines and the configuration's complaints to word.
type KeyFault struct {
	Finding   Finding      // ProblemUnreadable, ProblemPublicKeyGiven, ProblemPrivateKeyGiven, ProblemNotRSA, ProblemWeakKey or ProblemMalformedKey
	Format    string       // what the file holds, "PKCS#8 PEM"; "" when nothing decoded
	Bits      int          // ProblemWeakKey: the key's size
	MinBits   int          // ProblemWeakKey: what Alipay's RSA2 takes
	Algorithm string       // ProblemNotRSA: the key's kind, "EC"
	Malformed Malformation // ProblemMalformedKey: how
	Encoding  string       // ProblemMalformedKey: "PEM" or "base64", once known
	Size      int64        // MalformedTooLarge: the file's size in bytes
	Read      ReadFault    // ProblemUnreadable: why
	// Err is the system's error, for a file unreadable for a reason Read
	// does not name (a directory, a loop of links…): the words say its
	// errno, never its text with the operation and path before it.
	Err error
}

// Malformation says how key data is malformed; see alipay.Malformation.
type Malformation = alipay.Malformation

// The ways key data is malformed.
const (
	MalformedTooLarge     = alipay.MalformedTooLarge
	MalformedNotEncoded   = alipay.MalformedNotEncoded
	MalformedEncrypted    = alipay.MalformedEncrypted
	MalformedPEMBlock     = alipay.MalformedPEMBlock
	MalformedNoPrivateKey = alipay.MalformedNoPrivateKey
	MalformedNoPublicKey  = alipay.MalformedNoPublicKey
)

// ReadFault says why a file could not be read.
type ReadFault string

// The reasons a file cannot be read; "" for another (KeyFault.Err).
const (
	ReadMissing ReadFault = "missing" // no such file
	ReadDenied  ReadFault = "denied"  // the kiosk may not read it
)

// KeyFaultOf is what an error of alipay's key loading (LoadPrivateKey,
// LoadPublicKey) says is wrong, read from its type, never its text.
func KeyFaultOf(err error) KeyFault {
	var ke *alipay.KeyError
	if !errors.As(err, &ke) {
		f := KeyFault{Finding: ProblemUnreadable}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.Read = ReadMissing
		case errors.Is(err, fs.ErrPermission):
			f.Read = ReadDenied
		default:
			f.Err = err
		}
		return f
	}
	f := KeyFault{Format: string(ke.Format), Bits: ke.Bits, Algorithm: ke.Algorithm, Malformed: ke.Malformed,
		Encoding: ke.Encoding, Size: ke.Size}
	switch ke.Err {
	case alipay.ErrPublicKeyGiven:
		f.Finding = ProblemPublicKeyGiven
	case alipay.ErrPrivateKeyGiven:
		f.Finding = ProblemPrivateKeyGiven
	case alipay.ErrNotRSAKey:
		f.Finding = ProblemNotRSA
	case alipay.ErrWeakKey:
		f.Finding, f.MinBits = ProblemWeakKey, alipay.MinKeyBits
	default:
		f.Finding = ProblemMalformedKey
	}
	return f
}

// CertFault is what is wrong with one of certificate mode's files, with
// the facts alipay found (see alipay.CertError).
type CertFault struct {
	File      alipay.CertFile    // the setting: app_cert, alipay_cert, alipay_root_cert; "" when unknown
	Problem   alipay.CertProblem // "" when alipay did not say (Detail)
	Algorithm string             // CertNotRSA
	Bits      int                // CertWeak
	MinBits   int                // CertWeak: what Alipay's RSA2 takes
	Detail    string             // the error's own text, when Problem is ""
}

// The problems of a certificate file; see alipay.CertProblem.
const (
	CertNoPEM       = alipay.CertNoPEM
	CertUndecodable = alipay.CertUndecodable
	CertNotRSA      = alipay.CertNotRSA
	CertWeak        = alipay.CertWeak
	CertNoRSARoot   = alipay.CertNoRSARoot
	CertIssuer      = alipay.CertIssuer
)

// CertFaultOf is what an error of alipay.LoadCertConfig says is wrong.
func CertFaultOf(err error) CertFault {
	var ce *alipay.CertError
	if !errors.As(err, &ce) {
		return CertFault{Detail: err.Error()}
	}
	return CertFault{File: ce.Cert, Problem: ce.Problem, Algorithm: ce.Algorithm, Bits: ce.Bits, MinBits: alipay.MinKeyBits}
}
