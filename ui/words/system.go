package words

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math"
	"net"
	"reflect"
	"strings"
	"syscall"
	"time"

	"kiosk/pos"
)

// SystemReason says in the language why the system refused a file, a
// device or a connection, from the typed errors behind err (errors.Is and
// errors.As on the standard library's errnos, *net.DNSError, crypto/x509's
// and crypto/tls's errors, encoding/json's, the gateway's HTTP status), never from their
// text. An error of no kind known here is the innermost error's own text,
// marked as the system's quotation (System.Quoted), never the operations
// and paths the Go packages put before it.
func (w *Words) SystemReason(err error) string {
	sw := &w.System
	if fe, ok := errors.AsType[*pos.LedgerFileError](err); ok {
		return w.ledgerFileReason(fe.Problem)
	}
	if nb, ok := errors.AsType[*pos.LedgerNoBucketError](err); ok {
		return sw.LedgerNoBucket.F(nb.Bucket)
	}
	if rec, ok := errors.AsType[*pos.LedgerRecordError](err); ok {
		return w.RecordText(rec)
	}
	if say, ok := w.jsonReason(err); ok {
		return say
	}
	if errors.Is(err, pos.ErrLedgerBusy) {
		return sw.LedgerBusy
	}
	if say, ok := w.tlsReason(err); ok {
		return say
	}
	if dns, ok := errors.AsType[*net.DNSError](err); ok {
		return w.dnsReason(dns)
	}
	if st := pos.GatewayStatus(err); st != 0 {
		return sw.HTTPStatus.F(st)
	}
	for _, r := range []struct {
		target error
		say    string
	}{
		{syscall.ENOTDIR, sw.NotDir},
		{syscall.EISDIR, sw.IsDir},
		{fs.ErrNotExist, sw.NotExist},
		{fs.ErrPermission, sw.Permission},
		{syscall.ENOSPC, sw.DiskFull},
		{syscall.EROFS, sw.ReadOnly},
		{syscall.ECONNREFUSED, sw.Refused},
		{syscall.EADDRINUSE, sw.AddrInUse},
		{syscall.ETIMEDOUT, sw.TimedOut},
		{syscall.EHOSTUNREACH, sw.Unreachable},
		{syscall.ENETUNREACH, sw.Unreachable},
		{syscall.ECONNRESET, sw.ConnReset},
		{syscall.ECONNABORTED, sw.ConnReset},
		{syscall.EPIPE, sw.BrokenPipe},
		{syscall.EIO, sw.IOError},
		{syscall.EBUSY, sw.DeviceBusy},
		{syscall.ENXIO, sw.NoDevice},
		{syscall.ENODEV, sw.NoDevice},
		{syscall.EAGAIN, sw.TryLater},
		{syscall.EMFILE, sw.TooManyFiles},
		{syscall.ENFILE, sw.TooManyFiles},
		{context.DeadlineExceeded, sw.TimedOut},
		{context.Canceled, sw.Cancelled},
		{io.ErrUnexpectedEOF, sw.CutShort},
		{io.EOF, sw.CutShort},
	} {
		if errors.Is(err, r.target) {
			return r.say
		}
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return sw.TimedOut
	}
	return w.quoted(innermost(err))
}

// RecordText says which record of the ledger does not decode, and why:
// from the decoder's typed facts (DecodeText), else its text, quoted.
func (w *Words) RecordText(e *pos.LedgerRecordError) string {
	sw := &w.System
	why, ok := w.DecodeText(e.Fault)
	if !ok {
		why = w.quoted(innermost(e))
	}
	var record string
	switch e.Bucket {
	case "sales":
		record = sw.RecordSale.F(e.Key)
	case "zreports":
		record = sw.RecordZ.F(e.Key)
	case "outbox":
		record = sw.RecordOutbox.F(e.Key)
	case "settings":
		record = sw.RecordPINTries
	default:
		record = sw.RecordOther.F(e.Key, e.Bucket)
	}
	return sw.LedgerRecord.F(record, why)
}

// DecodeText says why a record of JSON does not decode, from the facts of
// encoding/json's typed errors (pos.DecodeFault); false for a fault of no
// kind known, whose only words are the decoder's.
func (w *Words) DecodeText(f pos.DecodeFault) (string, bool) {
	sw := &w.System
	switch f.Problem {
	case pos.DecodeSyntax:
		return sw.JSONSyntax.F(f.Offset), true
	case pos.DecodeCutShort:
		return sw.JSONCutShort.F(f.Offset), true
	case pos.DecodeType:
		if f.Field == "" {
			return sw.JSONWhole.F(w.jsonKind(f.Want), w.jsonKind(f.Has)), true
		}
		return sw.JSONType.F(f.Field, w.jsonKind(f.Want), w.jsonKind(f.Has)), true
	}
	return "", false
}

// jsonReason says why JSON of unknown length did not decode, when err
// holds encoding/json's syntax or type error: head office's sales, an
// answer read back.
func (w *Words) jsonReason(err error) (string, bool) {
	if !errors.As(err, new(*json.SyntaxError)) && !errors.As(err, new(*json.UnmarshalTypeError)) {
		return "", false
	}
	return w.DecodeText(pos.JSONFaultOf(err, math.MaxInt))
}

// jsonKind names a kind of JSON value.
func (w *Words) jsonKind(k pos.JSONKind) string {
	sw := &w.System
	switch k {
	case pos.JSONText:
		return sw.JSONText
	case pos.JSONNumber:
		return sw.JSONNumber
	case pos.JSONBool:
		return sw.JSONBool
	case pos.JSONList:
		return sw.JSONList
	case pos.JSONObject:
		return sw.JSONObject
	case pos.JSONNull:
		return sw.JSONNull
	}
	return sw.JSONValue
}

// quoted is text, another program's, marked as the system's quotation, on
// one line.
func (w *Words) quoted(text string) string {
	return w.System.Quoted.F(strings.ReplaceAll(strings.Join(strings.Fields(text), " "), `"`, "'"))
}

// ledgerFileReason says why bbolt refused the ledger file.
func (w *Words) ledgerFileReason(p pos.LedgerFileProblem) string {
	sw := &w.System
	switch p {
	case pos.LedgerFileBusy:
		return sw.LedgerBusy
	case pos.LedgerFileNotBolt:
		return sw.LedgerNotBolt
	case pos.LedgerFileVersion:
		return sw.LedgerVersion
	case pos.LedgerFileChecksum:
		return sw.LedgerChecksum
	case pos.LedgerFileMapping:
		return sw.LedgerMapping
	case pos.LedgerFileReadOnly:
		return sw.LedgerReadOnly
	}
	return sw.LedgerTooLarge
}

// dnsReason says what the resolver answered.
func (w *Words) dnsReason(e *net.DNSError) string {
	sw := &w.System
	switch {
	case e.IsNotFound:
		return sw.NoHost
	case e.IsTimeout:
		return sw.TimedOut
	case e.IsTemporary:
		return sw.DNSTemporary
	}
	return sw.DNSFailed
}

// tlsReason says why a TLS handshake failed: a certificate this machine
// does not trust, out of its dates, for another host; an answer that is
// not TLS; the other side's alert.
func (w *Words) tlsReason(err error) (string, bool) {
	sw := &w.System
	if e, ok := errors.AsType[x509.HostnameError](err); ok {
		return sw.CertHostname.F(e.Host), true
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return sw.CertUnknownAuthority, true
	}
	if e, ok := errors.AsType[x509.CertificateInvalidError](err); ok {
		if e.Reason == x509.Expired && e.Cert != nil {
			return sw.CertExpired.F(e.Cert.NotBefore.UTC().Format(time.DateOnly), e.Cert.NotAfter.UTC().Format(time.DateOnly)), true
		}
		return sw.CertInvalid, true
	}
	if _, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return sw.NotTLS, true
	}
	if e, ok := errors.AsType[tls.AlertError](err); ok {
		return sw.TLSAlert.F(int(e)), true
	}
	if n, ok := remoteAlert(err); ok {
		return sw.TLSAlert.F(n), true
	}
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return sw.CertInvalid, true
	}
	return "", false
}

// remoteAlert is the number of the TLS alert the other side sent, when
// err holds one: crypto/tls gives it as a *net.OpError of Op "remote
// error" around its own alert type, a uint8 of the alert's number (RFC
// 8446, 6), which it does not export.
func remoteAlert(err error) (int, bool) {
	op, ok := errors.AsType[*net.OpError](err)
	if !ok || op.Op != "remote error" || op.Err == nil {
		return 0, false
	}
	if v := reflect.ValueOf(op.Err); v.Kind() == reflect.Uint8 && v.Type().PkgPath() == "crypto/tls" {
		return int(v.Uint()), true
	}
	return 0, false
}

// innermost is the text of the error at the bottom of err's chain, on one
// line. Of an error that wraps several, the last is followed: the cause,
// after the sentinels that mark its kind.
func innermost(err error) string {
	for {
		var inner error
		switch e := err.(type) {
		case interface{ Unwrap() error }:
			inner = e.Unwrap()
		case interface{ Unwrap() []error }:
			if errs := e.Unwrap(); len(errs) > 0 {
				inner = errs[len(errs)-1]
			}
		}
		if inner == nil {
			return strings.Join(strings.Fields(err.Error()), " ")
		}
		err = inner
	}
}
