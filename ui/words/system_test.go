package words

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	latin "kiosk/internal/english"
	"kiosk/pos"
)

// TestSystemReasonSaysEachKindInTheLanguage: each kind of the system's
// answer that SystemReason knows, found with errors.Is/As in a chain as
// the Go packages build it (a PathError, an OpError, a SyscallError
// around an errno; the resolver's, x509's and tls's errors), is said in
// the language from the catalogue: in Chinese with no English, and never
// as the error's own text.
func TestSystemReasonSaysEachKindInTheLanguage(t *testing.T) {
	op := func(errno syscall.Errno) error {
		return &net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: errno}}
	}
	device := func(errno syscall.Errno) error { return &fs.PathError{Op: "open", Path: "/dev/usb/lp0", Err: errno} }
	cert := &x509.Certificate{NotBefore: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		name string
		err  error
		want func(*SystemWords) string
	}{
		{"ECONNRESET", op(syscall.ECONNRESET), func(s *SystemWords) string { return s.ConnReset }},
		{"EPIPE", op(syscall.EPIPE), func(s *SystemWords) string { return s.BrokenPipe }},
		{"EIO", device(syscall.EIO), func(s *SystemWords) string { return s.IOError }},
		{"EBUSY", device(syscall.EBUSY), func(s *SystemWords) string { return s.DeviceBusy }},
		{"ENXIO", device(syscall.ENXIO), func(s *SystemWords) string { return s.NoDevice }},
		{"ENODEV", device(syscall.ENODEV), func(s *SystemWords) string { return s.NoDevice }},
		{"EAGAIN", device(syscall.EAGAIN), func(s *SystemWords) string { return s.TryLater }},
		{"EMFILE", device(syscall.EMFILE), func(s *SystemWords) string { return s.TooManyFiles }},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), func(s *SystemWords) string { return s.TimedOut }},
		{"cancelled", fmt.Errorf("query: %w", context.Canceled), func(s *SystemWords) string { return s.Cancelled }},
		{"unexpected EOF", fmt.Errorf("read answer: %w", io.ErrUnexpectedEOF), func(s *SystemWords) string { return s.CutShort }},
		{"DNS not found", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "openapi.alipay.com", IsNotFound: true}},
			func(s *SystemWords) string { return s.NoHost }},
		{"DNS temporary", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", Name: "openapi.alipay.com", IsTemporary: true}},
			func(s *SystemWords) string { return s.DNSTemporary }},
		{"DNS other", &net.DNSError{Err: "cannot unmarshal DNS message", Name: "openapi.alipay.com"},
			func(s *SystemWords) string { return s.DNSFailed }},
		{"unknown authority", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}},
			func(s *SystemWords) string { return s.CertUnknownAuthority }},
		{"expired", &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}},
			func(s *SystemWords) string { return s.CertExpired.F("2024-01-02", "2025-01-02") }},
		{"invalid", x509.CertificateInvalidError{Cert: cert, Reason: x509.NotAuthorizedToSign},
			func(s *SystemWords) string { return s.CertInvalid }},
		{"wrong host", &tls.CertificateVerificationError{Err: x509.HostnameError{Certificate: cert, Host: "openapi.alipay.com"}},
			func(s *SystemWords) string { return s.CertHostname.F("openapi.alipay.com") }},
		{"not TLS", &url.Error{Op: "Post", URL: "https://openapi.alipay.com/gateway.do", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}},
			func(s *SystemWords) string { return s.NotTLS }},
		{"alert", &net.OpError{Op: "remote error", Err: tls.AlertError(40)}, func(s *SystemWords) string { return s.TLSAlert.F(40) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range All {
				got, want := w.SystemReason(tt.err), tt.want(&w.System)
				if got != want {
					t.Errorf("%s: SystemReason = %q; want %q", w.Lang.Tag, got, want)
				}
				if inner := innermost(tt.err); strings.Contains(got, inner) {
					t.Errorf("%s: %q quotes the error's own text %q", w.Lang.Tag, got, inner)
				}
			}
			if en := latin.Words(Chinese.SystemReason(tt.err)); len(en) > 0 {
				t.Errorf("English %q in Chinese %q", en, Chinese.SystemReason(tt.err))
			}
		})
	}
}

// TestSystemReasonQuotesAnUnknownKind: an error of a kind SystemReason does
// not know is the innermost error's text, marked as the system's quotation
// in both languages (never run into the sentence), without the operation
// and path before it.
func TestSystemReasonQuotesAnUnknownKind(t *testing.T) {
	err := fmt.Errorf("open /data/ledger.db: %w", errors.New(`strange "failure"`))
	for _, tt := range []struct {
		w    *Words
		want string
	}{
		{English, `the system said "strange 'failure'"`},
		{Chinese, `系统原因："strange 'failure'"`},
	} {
		if got := tt.w.SystemReason(err); got != tt.want {
			t.Errorf("%s: SystemReason = %q; want %q", tt.w.Lang.Tag, got, tt.want)
		}
	}
	if en := latin.Words(Chinese.SystemReason(err)); len(en) > 0 {
		t.Errorf("English %q outside the quotation in %q", en, Chinese.SystemReason(err))
	}
}

// TestSystemReasonSaysWhyTheLedgerFileWasRefused: each of bbolt's
// refusals of the ledger file (pos.LedgerFileError), and a ledger held
// too long by another program, has its own words in each language, none
// of them bbolt's text nor a quotation.
func TestSystemReasonSaysWhyTheLedgerFileWasRefused(t *testing.T) {
	for _, w := range All {
		seen := map[string]pos.LedgerFileProblem{}
		for _, p := range pos.LedgerFileProblems() {
			err := fmt.Errorf("record sale: %w", &pos.LedgerFileError{Path: "/d/ledger.db", Problem: p})
			got := w.SystemReason(err)
			if q, ok := seen[got]; ok || strings.Contains(got, "bbolt") || strings.Contains(got, `"`) {
				t.Errorf("%s: problem %d says %q (as problem %d does: %v)", w.Lang.Tag, p, got, q, ok)
			}
			seen[got] = p
			if en := latin.Words(got); w == Chinese && len(en) > 0 {
				t.Errorf("English %q in %q", en, got)
			}
		}
		if got := w.SystemReason(fmt.Errorf("open: %w", pos.ErrLedgerBusy)); got != w.System.LedgerBusy {
			t.Errorf("%s: a busy ledger: %q", w.Lang.Tag, got)
		}
	}
}

// TestAProblemOfNoKindSaysTheSystemsReason: an error pos sorts into no
// kind is said from the system's typed errors when it holds one (an I/O
// error), else as the system's text marked as a quotation; a note read
// back from the ledger, which keeps only the text, quotes it so too.
func TestAProblemOfNoKindSaysTheSystemsReason(t *testing.T) {
	eio := fmt.Errorf("print receipt: %w", &fs.PathError{Op: "write", Path: "/dev/usb/lp0", Err: syscall.EIO})
	odd := errors.New(`print receipt: the "printer" sulks`)
	for _, w := range All {
		for _, tt := range []struct {
			got, want string
		}{
			{w.Explain(eio), w.Problem.Other.F(w.System.IOError)},
			{w.Explain(odd), w.Problem.Other.F(w.System.Quoted.F("print receipt: the 'printer' sulks"))},
			{w.ExplainProblem(pos.Problem{Kind: pos.KindOther, Detail: "print receipt: sulks"}), w.Problem.Other.F(w.System.Quoted.F("print receipt: sulks"))},
		} {
			if tt.got != tt.want {
				t.Errorf("%s: %q; want %q", w.Lang.Tag, tt.got, tt.want)
			}
			if en := latin.Words(tt.got); w == Chinese && len(en) > 0 {
				t.Errorf("English %q in %q", en, tt.got)
			}
		}
	}
}

// TestSystemReasonSaysTheTLSAlertTheOtherSideSent: a TLS server that
// refuses the client (it wants a client certificate) sends an alert,
// which crypto/tls hands the client as a "remote error"; it is said with
// the alert's number, not crypto/tls's English.
func TestSystemReasonSaysTheTLSAlertTheOtherSideSent(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"gateway.test"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	serverSide, clientSide := net.Pipe()
	server := tls.Server(serverSide, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		ClientAuth: tls.RequireAnyClientCert, MaxVersion: tls.VersionTLS12})
	go func() {
		_ = server.Handshake() // refuses the client: no certificate
		_ = server.Close()
	}()
	client := tls.Client(clientSide, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
	defer client.Close()
	err = client.Handshake()
	if err == nil {
		t.Fatal("the handshake succeeded without a client certificate")
	}
	n, ok := remoteAlert(err)
	if !ok || n == 0 {
		t.Fatalf("%v: no remote alert found (%d)", err, n)
	}
	for _, w := range All {
		if got := w.SystemReason(err); got != w.System.TLSAlert.F(n) {
			t.Errorf("%s: %q; want %q", w.Lang.Tag, got, w.System.TLSAlert.F(n))
		}
	}
}

// TestALedgerWithoutABucketIsSaidInTheLanguage: a database that is not a
// ledger (a bucket missing) is said from that fact, naming the bucket,
// never the ledger's English.
func TestALedgerWithoutABucketIsSaidInTheLanguage(t *testing.T) {
	err := fmt.Errorf("record sale: %w", &pos.LedgerNoBucketError{Path: "/d/ledger.db", Bucket: "zreports"})
	for _, w := range All {
		got := w.SystemReason(err)
		if want := w.System.LedgerNoBucket.F("zreports"); got != want {
			t.Errorf("%s: SystemReason = %q; want %q", w.Lang.Tag, got, want)
		}
		if ex := w.Explain(err); !strings.Contains(ex, `"zreports"`) {
			t.Errorf("%s: Explain = %q; want the bucket named", w.Lang.Tag, ex)
		} else if en := latin.Words(ex); w == Chinese && len(en) > 0 {
			t.Errorf("English %q in %q", en, ex)
		}
	}
}

// TestSystemReasonSaysWhyJSONDidNotDecode: encoding/json's syntax and type
// errors, wherever they come from (head office's sales, an answer read
// back), are said from their facts, the byte and the field with the kind
// it takes and holds, in Chinese without a word of English, never as the
// decoder's text.
func TestSystemReasonSaysWhyJSONDidNotDecode(t *testing.T) {
	var sale struct {
		Fen int64 `json:"amount_fen"`
	}
	syntax := json.Unmarshal([]byte(`{"amount_fen":x}`), &sale)
	typed := json.Unmarshal([]byte(`{"amount_fen":"12"}`), &sale)
	for _, w := range All {
		for _, tt := range []struct {
			err  error
			want string
		}{
			{fmt.Errorf("read head office's sales: %w", syntax), w.System.JSONSyntax.F(15)},
			{fmt.Errorf("read head office's sales: %w", typed), w.System.JSONType.F("amount_fen", w.System.JSONNumber, w.System.JSONText)},
		} {
			got := w.SystemReason(tt.err)
			if got != tt.want {
				t.Errorf("%s: SystemReason(%v) = %q; want %q", w.Lang.Tag, tt.err, got, tt.want)
			}
			if en := latin.Words(got); w == Chinese && len(en) > 0 {
				t.Errorf("English %q in %q", en, got)
			}
		}
	}
}
