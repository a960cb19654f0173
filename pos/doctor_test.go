package pos

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
)

var (
	doctorKeysOnce sync.Once
	doctorKeys     *emulator.Keys
	strangerKey    *rsa.PrivateKey
	doctorKeysErr  error
)

// sharedDoctorKeys are the app's and Alipay's key pairs and a stranger's,
// made once for every doctor test.
func sharedDoctorKeys(t *testing.T) (*emulator.Keys, *rsa.PrivateKey) {
	t.Helper()
	doctorKeysOnce.Do(func() {
		doctorKeys, doctorKeysErr = emulator.GenerateKeys()
		if doctorKeysErr == nil {
			var other *emulator.Keys
			other, doctorKeysErr = emulator.GenerateKeys()
			if other != nil {
				strangerKey = other.AppPrivate
			}
		}
	})
	if doctorKeysErr != nil {
		t.Fatal(doctorKeysErr)
	}
	return doctorKeys, strangerKey
}

// doctorRig is an emulator and the key files of a shop that uses it, with
// a doctor's configuration that is right until a test makes it wrong.
type doctorRig struct {
	dir  string
	keys *emulator.Keys
	emu  emulator.Config
	cfg  DoctorConfig
	// Key files: the app's pair, Alipay's pair, a stranger's public key.
	appPrivate, appPublic, alipayPrivate, alipayPublic, strangerPublic string
}

func newDoctorRig(t *testing.T, protocol alipay.Protocol) *doctorRig {
	t.Helper()
	keys, stranger := sharedDoctorKeys(t)
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	r := &doctorRig{dir: dir, keys: keys, emu: emulator.ServerConfig(keys, nil)}
	r.appPrivate = write("app_private_key.pem", alipay.EncodePrivateKeyPEM(keys.AppPrivate), 0o600)
	r.appPublic = write("app_public_key.pem", alipay.EncodePublicKeyPEM(keys.AppPublic), 0o644)
	r.alipayPrivate = write("alipay_private_key.pem", alipay.EncodePrivateKeyPEM(keys.AlipayPrivate), 0o600)
	r.alipayPublic = write("alipay_public_key.pem", alipay.EncodePublicKeyPEM(keys.AlipayPublic), 0o644)
	r.strangerPublic = write("stranger_public_key.pem", alipay.EncodePublicKeyPEM(&stranger.PublicKey), 0o644)
	r.cfg = DoctorConfig{
		AppID: emulator.DefaultAppID, AppPrivateKey: r.appPrivate, AppPublicKey: r.appPublic,
		AlipayPublicKey: r.alipayPublic, Protocol: protocol, Mode: ModeEmulator,
		HTTP: &http.Client{Timeout: 10 * time.Second},
	}
	return r
}

// start runs the emulator as the rig says and points the configuration at
// it, unless the test pointed it elsewhere.
func (r *doctorRig) start(t *testing.T) {
	t.Helper()
	srv, err := emulator.Start("127.0.0.1:0", r.emu)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if r.cfg.Gateway == "" {
		r.cfg.Gateway = srv.GatewayURL()
	}
}

// run starts the emulator and the doctor.
func (r *doctorRig) run(t *testing.T) []Check {
	t.Helper()
	r.start(t)
	return NewDoctor(r.cfg).Run(context.Background())
}

// freeAddr is a loopback address free when it is returned.
// refusingAddr is an address nothing listens on, for a connection that is
// refused. A port freed by freeAddr will not do: on a busy machine another
// test, or another process, may take it before the doctor dials it.
const refusingAddr = "127.0.0.1:1"

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// outcome is a check's status and problem, as a test writes it.
func outcome(c Check) string {
	if c.Problem == "" {
		return string(c.Status)
	}
	return string(c.Status) + " " + string(c.Problem)
}

// checkOutcomes compares every check with want: the checks named there
// come out as written, every other one passes.
func checkOutcomes(t *testing.T, checks []Check, want map[CheckID]string) {
	t.Helper()
	seen := map[CheckID]bool{}
	for _, c := range checks {
		seen[c.ID] = true
		w, ok := want[c.ID]
		if !ok {
			w = string(StatusPass)
		}
		if got := outcome(c); got != w {
			t.Errorf("%s: %s, want %s (%+v)", c.ID, got, w, c)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("no %s check was made", id)
		}
	}
	if (len(want) == 0) != Passed(checks) {
		t.Errorf("Passed = %v", Passed(checks))
	}
}

func find(t *testing.T, checks []Check, id CheckID) Check {
	t.Helper()
	i := slices.IndexFunc(checks, func(c Check) bool { return c.ID == id })
	if i < 0 {
		t.Fatalf("no %s check", id)
	}
	return checks[i]
}

var bothProtocols = []alipay.Protocol{alipay.ProtocolV2, alipay.ProtocolV3}

// TestDoctorPassesARightConfiguration: keys of the right kinds that belong
// together, a gateway that answers, a clock that agrees, and a signed query
// answered signed ACQ.TRADE_NOT_EXIST, in both protocols.
func TestDoctorPassesARightConfiguration(t *testing.T) {
	for _, p := range bothProtocols {
		t.Run(string(p), func(t *testing.T) {
			r := newDoctorRig(t, p)
			checks := r.run(t)
			checkOutcomes(t, checks, nil)
			call := find(t, checks, CheckSignedCall)
			if call.Protocol != string(p) || !strings.HasPrefix(call.OutTradeNo, "DOCTOR_") {
				t.Errorf("signed call %+v", call)
			}
			if key := find(t, checks, CheckAppKey); key.Bits != 2048 || key.Format != "PKCS#8 PEM" {
				t.Errorf("app key %+v", key)
			}
		})
	}
}

// TestDoctorFindsEachMistake: the emulator, or the shop's configuration,
// wrong in each way a shop gets it wrong; the doctor names the problem
// (one failed check) and skips only what cannot be checked after it.
// answerSignatureFacts: an answer whose signature does not verify is
// told with the key that did not verify it, by its setting and file, for
// that key is what is wrong (or the answer was altered), not the app's.
func answerSignatureFacts(t *testing.T, r *doctorRig, checks []Check) {
	t.Helper()
	if c := find(t, checks, CheckSignedCall); c.KeySetting != "alipay_public_key" || c.Path != r.cfg.AlipayPublicKey || c.GatewayMode != ModeEmulator {
		t.Errorf("facts %+v", c)
	}
}

func TestDoctorFindsEachMistake(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, r *doctorRig)
		want  map[CheckID]string
		facts func(t *testing.T, r *doctorRig, checks []Check)
	}{
		{"wrong app id", func(t *testing.T, r *doctorRig) { r.cfg.AppID = "2021000000009999" },
			map[CheckID]string{CheckSignedCall: "fail invalid_app_id"}, func(t *testing.T, r *doctorRig, checks []Check) {
				if c := find(t, checks, CheckSignedCall); !strings.Contains(c.SubCode, "invalid-app-id") || c.AppID != "2021000000009999" {
					t.Errorf("facts %+v", c)
				}
			}},
		{"sandbox app id against the production gateway", func(t *testing.T, r *doctorRig) {
			r.cfg.AppID, r.cfg.Mode = "9021000000000042", ModeProduction
		}, map[CheckID]string{CheckSignedCall: "fail sandbox_app_on_production"}, nil},
		{"production app id against the sandbox gateway", func(t *testing.T, r *doctorRig) {
			r.emu.AppID = "9021000000000042" // the sandbox knows only its own apps
			r.cfg.Mode = ModeSandbox
		}, map[CheckID]string{CheckSignedCall: "fail production_app_on_sandbox"}, nil},
		{"keys swapped", func(t *testing.T, r *doctorRig) {
			r.cfg.AppPrivateKey, r.cfg.AlipayPublicKey = r.alipayPublic, r.appPrivate
		}, map[CheckID]string{
			CheckAppKey: "fail public_key_given", CheckAlipayKey: "fail private_key_given",
			CheckConsoleKey: "skip", CheckNotAppKey: "skip", CheckPermissions: "skip", CheckSignedCall: "skip",
		}, nil},
		{"the app's public key as Alipay's", func(t *testing.T, r *doctorRig) { r.cfg.AlipayPublicKey = r.appPublic },
			map[CheckID]string{CheckNotAppKey: "fail alipay_key_is_app_key", CheckSignedCall: "skip"}, nil},
		{"a console key that is not the private key's", func(t *testing.T, r *doctorRig) {
			r.cfg.AppPublicKey = r.strangerPublic       // what the shop says it pasted…
			r.emu.AppPublicKey = &strangerKey.PublicKey // …and what the gateway holds
		}, map[CheckID]string{CheckConsoleKey: "fail pair_mismatch", CheckSignedCall: "fail request_signature"}, nil},
		{"the gateway holds another app key", func(t *testing.T, r *doctorRig) {
			r.emu.AppPublicKey = &strangerKey.PublicKey
		}, map[CheckID]string{CheckSignedCall: "fail request_signature"}, nil},
		{"another Alipay key", func(t *testing.T, r *doctorRig) { r.cfg.AlipayPublicKey = r.strangerPublic },
			map[CheckID]string{CheckSignedCall: "fail answer_signature"}, answerSignatureFacts},
		{"the emulator's badsig fault", func(t *testing.T, r *doctorRig) {
			r.emu.Faults = &emulator.Faults{BadSignatureRate: 1, Methods: []string{alipay.MethodQuery}}
		}, map[CheckID]string{CheckSignedCall: "fail answer_signature"}, answerSignatureFacts},
		{"not a gateway", func(t *testing.T, r *doctorRig) {
			srv := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			r.cfg.Gateway = srv.URL + "/gateway.do"
		}, map[CheckID]string{CheckSignedCall: "fail unexpected_answer"}, func(t *testing.T, r *doctorRig, checks []Check) {
			if c := find(t, checks, CheckSignedCall); c.HTTPStatus != http.StatusNotFound {
				t.Errorf("facts %+v", c)
			}
		}},
		{"unreachable gateway", func(t *testing.T, r *doctorRig) { r.cfg.Gateway = "http://" + refusingAddr + "/gateway.do" },
			map[CheckID]string{CheckGateway: "fail unreachable", CheckClock: "skip", CheckSignedCall: "skip"},
			func(t *testing.T, r *doctorRig, checks []Check) {
				if c := find(t, checks, CheckGateway); c.Cause != CauseConnectionRefused {
					t.Errorf("cause %q", c.Cause)
				}
			}},
		{"a clock ten minutes fast", func(t *testing.T, r *doctorRig) {
			r.emu.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
		}, map[CheckID]string{CheckClock: "fail clock_skew"}, func(t *testing.T, r *doctorRig, checks []Check) {
			if c := find(t, checks, CheckClock); c.Skew < 9*time.Minute || c.Skew > 11*time.Minute {
				t.Errorf("skew %v", c.Skew)
			}
		}},
		{"a private key others can read", func(t *testing.T, r *doctorRig) {
			if err := os.Chmod(r.appPrivate, 0o644); err != nil {
				t.Fatal(err)
			}
		}, map[CheckID]string{CheckPermissions: "fail loose_permissions"}, func(t *testing.T, r *doctorRig, checks []Check) {
			if c := find(t, checks, CheckPermissions); c.Mode != 0o644 || c.Path != r.appPrivate {
				t.Errorf("facts %+v", c)
			}
		}},
		{"a malformed Alipay key", func(t *testing.T, r *doctorRig) {
			r.cfg.AlipayPublicKey = filepath.Join(r.dir, "pasted.pem")
			if err := os.WriteFile(r.cfg.AlipayPublicKey, []byte("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, map[CheckID]string{CheckAlipayKey: "fail malformed_key", CheckNotAppKey: "skip", CheckSignedCall: "skip"},
			func(t *testing.T, r *doctorRig, checks []Check) {
				if c := find(t, checks, CheckAlipayKey); c.Key != (KeyFault{Finding: ProblemMalformedKey, Malformed: MalformedNoPublicKey, Encoding: "base64"}) {
					t.Errorf("facts %+v", c.Key)
				}
			}},
		{"a 1024-bit app key", func(t *testing.T, r *doctorRig) {
			weak, err := rsa.GenerateKey(rand.Reader, 1024)
			if err != nil {
				t.Fatal(err)
			}
			r.cfg.AppPrivateKey = filepath.Join(r.dir, "weak.pem")
			if err := os.WriteFile(r.cfg.AppPrivateKey, alipay.EncodePrivateKeyPEM(weak), 0o600); err != nil {
				t.Fatal(err)
			}
		}, map[CheckID]string{CheckAppKey: "fail weak_key", CheckConsoleKey: "skip", CheckNotAppKey: "skip", CheckPermissions: "skip", CheckSignedCall: "skip"},
			func(t *testing.T, r *doctorRig, checks []Check) {
				want := KeyFault{Finding: ProblemWeakKey, Format: "PKCS#8 PEM", Bits: 1024, MinBits: alipay.MinKeyBits}
				if c := find(t, checks, CheckAppKey); c.Key != want || c.Bits != 1024 {
					t.Errorf("facts %+v, %d bits; want %+v", c.Key, c.Bits, want)
				}
			}},
		{"no app key file", func(t *testing.T, r *doctorRig) { r.cfg.AppPrivateKey = filepath.Join(r.dir, "missing.pem") },
			map[CheckID]string{CheckAppKey: "fail unreadable", CheckConsoleKey: "skip", CheckNotAppKey: "skip", CheckPermissions: "skip", CheckSignedCall: "skip"},
			func(t *testing.T, r *doctorRig, checks []Check) {
				if c := find(t, checks, CheckAppKey); c.Key != (KeyFault{Finding: ProblemUnreadable, Read: ReadMissing}) {
					t.Errorf("facts %+v", c.Key)
				}
			}},
		{"the retired sandbox", func(t *testing.T, r *doctorRig) {
			// Every connection goes to a closed loopback port, so nothing
			// leaves the machine: the URL alone is the problem named.
			closed := refusingAddr
			dialer := &net.Dialer{}
			r.cfg.Gateway = "https://openapi.alipaydev.com/gateway.do"
			r.cfg.HTTP = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, closed)
			}}}
		}, map[CheckID]string{CheckGatewayURL: "fail old_sandbox", CheckGateway: "fail unreachable", CheckClock: "skip", CheckSignedCall: "skip"}, nil},
		{"notify_url unreachable", func(t *testing.T, r *doctorRig) {
			r.cfg.NotifyURL, r.cfg.NotifyAddr = "http://"+refusingAddr+NotifyPath, freeAddr(t)
		}, map[CheckID]string{CheckNotification: "fail unreachable"}, func(t *testing.T, r *doctorRig, checks []Check) {
			if c := find(t, checks, CheckNotification); c.Cause != CauseConnectionRefused {
				t.Errorf("facts %+v", c)
			}
		}},
		{"notify_url leads elsewhere", func(t *testing.T, r *doctorRig) {
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "a web shop") }))
			t.Cleanup(other.Close)
			r.cfg.NotifyURL, r.cfg.NotifyAddr = other.URL+NotifyPath, freeAddr(t)
		}, map[CheckID]string{CheckNotification: "fail notify_elsewhere"}, nil},
		{"notify_url on a private address for the sandbox", func(t *testing.T, r *doctorRig) {
			r.cfg.NotifyURL, r.cfg.NotifyAddr, r.cfg.Mode = "http://192.168.1.20:8443"+NotifyPath, "0.0.0.0:8443", ModeSandbox
		}, map[CheckID]string{CheckNotification: "fail notify_not_public"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newDoctorRig(t, alipay.ProtocolV2)
			tt.setup(t, r)
			checks := r.run(t)
			checkOutcomes(t, checks, tt.want)
			if tt.facts != nil {
				tt.facts(t, r, checks)
			}
		})
	}
}

// TestDoctorFindsMistakesOverV3: the mistakes the signed call shows come
// out the same over OpenAPI v3, whose gateway spells its codes without
// the isv. prefix and answers with HTTP statuses.
func TestDoctorFindsMistakesOverV3(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *doctorRig)
		want  string
	}{
		{"wrong app id", func(r *doctorRig) { r.cfg.AppID = "2021000000009999" }, "fail invalid_app_id"},
		{"sandbox app id against production", func(r *doctorRig) { r.cfg.AppID, r.cfg.Mode = "9021000000000042", ModeProduction }, "fail sandbox_app_on_production"},
		{"the gateway holds another app key", func(r *doctorRig) { r.emu.AppPublicKey = &strangerKey.PublicKey }, "fail request_signature"},
		{"another Alipay key", func(r *doctorRig) { r.cfg.AlipayPublicKey = r.strangerPublic }, "fail answer_signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newDoctorRig(t, alipay.ProtocolV3)
			tt.setup(r)
			checkOutcomes(t, r.run(t), map[CheckID]string{CheckSignedCall: tt.want})
		})
	}
}

// TestDoctorHearsItselfOnNotifyAddr: with no kiosk on notify_addr, the
// doctor listens there and finds that notify_url leads to it.
func TestDoctorHearsItselfOnNotifyAddr(t *testing.T) {
	r := newDoctorRig(t, alipay.ProtocolV2)
	addr := freeAddr(t)
	r.cfg.NotifyURL, r.cfg.NotifyAddr = "http://"+addr+NotifyPath, addr
	checks := r.run(t)
	checkOutcomes(t, checks, nil)
	if c := find(t, checks, CheckNotification); !c.Listened || c.ReachedKiosk {
		t.Errorf("facts %+v", c)
	}
}

func TestKindOfAppID(t *testing.T) {
	for id, want := range map[string]AppIDKind{
		"9021000122684386": AppIDSandbox, "2021003141678513": AppIDProduction, "2016080300154586": AppIDProduction,
		"902100012268438": AppIDUnknown, "abc": AppIDUnknown, "": AppIDUnknown,
	} {
		if got := KindOfAppID(id); got != want {
			t.Errorf("KindOfAppID(%q) = %s, want %s", id, got, want)
		}
	}
}

// certFile writes a self-signed certificate of key, as the console hands
// them out (PEM).
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
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDoctorInCertificateMode: the three certificates load, Alipay's key
// comes from its certificate for the signed call, and an app certificate
// of another key than app_private_key is named.
func TestDoctorInCertificateMode(t *testing.T) {
	r := newDoctorRig(t, alipay.ProtocolV2)
	r.cfg.AlipayPublicKey = ""
	r.cfg.AppCert = certFile(t, r.dir, "appCertPublicKey.crt", r.keys.AppPrivate, 11)
	r.cfg.AlipayCert = certFile(t, r.dir, "alipayCertPublicKey_RSA2.crt", r.keys.AlipayPrivate, 22)
	r.cfg.AlipayRootCert = certFile(t, r.dir, "alipayRootCert.crt", strangerKey, 33)
	checks := r.run(t)
	checkOutcomes(t, checks, nil)
	if c := find(t, checks, CheckAlipayKey); c.Format != "certificates" || c.Path != r.cfg.AppCert {
		t.Errorf("facts %+v", c)
	}

	r.cfg.AppCert = certFile(t, r.dir, "someone-elses.crt", strangerKey, 44)
	checkOutcomes(t, NewDoctor(r.cfg).Run(context.Background()), map[CheckID]string{
		CheckAlipayKey: "fail pair_mismatch", CheckNotAppKey: "skip", CheckSignedCall: "skip"})

	// A certificate file missing, or holding no RSA root: each with its facts.
	r.cfg.AppCert = filepath.Join(r.dir, "missing.crt")
	checks = NewDoctor(r.cfg).Run(context.Background())
	if c := find(t, checks, CheckAlipayKey); c.Problem != ProblemUnreadable || c.Key != (KeyFault{Finding: ProblemUnreadable, Read: ReadMissing}) {
		t.Errorf("a missing app_cert: %s, facts %+v", c.Problem, c.Key)
	}
	r.cfg.AppCert, r.cfg.AlipayRootCert = certFile(t, r.dir, "appCertPublicKey.crt", r.keys.AppPrivate, 11), r.cfg.AppPrivateKey
	checks = NewDoctor(r.cfg).Run(context.Background())
	want := CertFault{File: alipay.CertRoot, Problem: CertNoRSARoot, MinBits: alipay.MinKeyBits}
	if c := find(t, checks, CheckAlipayKey); c.Problem != ProblemCertificates || c.Cert != want {
		t.Errorf("a root bundle without a certificate: %s, facts %+v; want %+v", c.Problem, c.Cert, want)
	}
}
