package words

import "kiosk/pos"

// KeyFaultText says what is wrong with a key file, a clause to follow the
// setting and the path; a file unreadable for a reason the kiosk does not
// name gets the system's reason (SystemReason).
func (w *Words) KeyFaultText(f pos.KeyFault) string {
	kw := &w.KeyFault
	switch f.Finding {
	case pos.ProblemUnreadable:
		switch f.Read {
		case pos.ReadMissing:
			return kw.Missing
		case pos.ReadDenied:
			return kw.Denied
		}
		return w.SystemReason(f.Err)
	case pos.ProblemPublicKeyGiven:
		return kw.PublicGiven.F(f.Format)
	case pos.ProblemPrivateKeyGiven:
		return kw.PrivateGiven.F(f.Format)
	case pos.ProblemNotRSA:
		return kw.NotRSA.F(f.Algorithm, f.Format)
	case pos.ProblemWeakKey:
		return kw.Weak.F(f.Bits, f.MinBits)
	}
	switch f.Malformed {
	case pos.MalformedTooLarge:
		return kw.TooLarge.F(f.Size)
	case pos.MalformedEncrypted:
		return kw.Encrypted
	case pos.MalformedPEMBlock:
		return kw.PEMBlock
	case pos.MalformedNoPrivateKey:
		return kw.NoPrivateKey.F(f.Encoding)
	case pos.MalformedNoPublicKey:
		return kw.NoPublicKey.F(f.Encoding)
	}
	return kw.NotEncoded
}

// CertFaultText says what is wrong with a certificate file: its setting
// and the problem; an error alipay did not type, as it is.
func (w *Words) CertFaultText(f pos.CertFault) string {
	kw := &w.KeyFault
	var what string
	switch f.Problem {
	case pos.CertNoPEM:
		what = kw.CertNoPEM
	case pos.CertUndecodable:
		what = kw.CertUndecodable
	case pos.CertNoRSARoot:
		what = kw.CertNoRSARoot
	case pos.CertIssuer:
		what = kw.CertIssuer
	case pos.CertNotRSA:
		what = kw.CertNotRSA.F(f.Algorithm)
	case pos.CertWeak:
		what = kw.CertWeak.F(f.Bits, f.MinBits)
	default:
		return f.Detail
	}
	return string(f.File) + " " + what
}
