package alipay

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"crypto/x509"
)

// The v3 half of the interop test, our side: our v3 client against
// testdata/node/v3gateway.mjs, a gateway that checks every request's
// authorization by the Node SDK's rules (the SDK's verifySignatureV3 over
// the string curl() signs) and signs its answers with the SDK's
// signatureV3. The other half, the SDK's curl() against our emulator, is in
// alipay/emulator/interop_test.go.

// checkTap records the gateway's verdict on each request.
type checkTap struct {
	mu      sync.Mutex
	verdict []string
}

func (t *checkTap) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		t.mu.Lock()
		t.verdict = append(t.verdict, resp.Header.Get("x-interop-check"))
		t.mu.Unlock()
	}
	return resp, err
}

// last returns the verdict on the latest request.
func (t *checkTap) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.verdict) == 0 {
		return ""
	}
	return t.verdict[len(t.verdict)-1]
}

// v3GatewayConfig is what v3gateway.mjs reads from $INTEROP_V3_CONFIG.
type v3GatewayConfig struct {
	AppID            string `json:"appId"`
	AppPublicKey     string `json:"appPublicKey"`
	AlipayPrivateKey string `json:"alipayPrivateKey"`
	AppCertSN        string `json:"appCertSn"`
	AlipayRootCertSN string `json:"alipayRootCertSn"`
	AlipayCertSN     string `json:"alipayCertSn"`
}

// startNodeV3Gateway runs v3gateway.mjs until the test ends and returns
// its gateway.do URL.
func startNodeV3Gateway(t *testing.T, node string, cfg v3GatewayConfig) string {
	t.Helper()
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "v3gateway.mjs")
	cmd.Dir = interopDir
	cmd.Env = append(os.Environ(), "INTEROP_V3_CONFIG="+string(js))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close() // the gateway exits when its stdin closes
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("v3gateway.mjs did not start: %v", err)
	}
	var ready struct{ Port int }
	if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.Port == 0 {
		t.Fatalf("v3gateway.mjs said %q", line)
	}
	return "http://127.0.0.1:" + strconv.Itoa(ready.Port) + "/gateway.do"
}

func TestInteropV3ClientAgainstSDKRules(t *testing.T) {
	node := interopNode(t)
	keys := testKeys(t)
	const appSN, rootSN, alipaySN = "a4b5c6d7e8f90123456789abcdef0123", "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6", "866efef280dec9137a87d047ac446315"
	gw := startNodeV3Gateway(t, node, v3GatewayConfig{
		AppID:            testAppID,
		AppPublicKey:     string(EncodePublicKeyPEM(&keys.app.PublicKey)),
		AlipayPrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys.alipay)})),
		AppCertSN:        appSN, AlipayRootCertSN: rootSN, AlipayCertSN: alipaySN,
	})
	client := func(t *testing.T, cert bool) (*Client, *checkTap) {
		tap := &checkTap{}
		cfg := Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey, Gateway: gw, Protocol: ProtocolV3}
		if cert {
			cfg.AppCertSN, cfg.AlipayRootCertSN, cfg.AlipayCertSN = appSN, rootSN, alipaySN
		}
		c, err := NewClient(cfg, WithHTTPClient(&http.Client{Transport: tap, Timeout: 20 * time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		return c, tap
	}
	ctx := context.Background()
	for _, cert := range []bool{false, true} {
		name := "public key mode"
		if cert {
			name = "certificate mode"
		}
		t.Run(name, func(t *testing.T) {
			c, tap := client(t, cert)
			calls := map[string]func() error{
				"precreate": func() error {
					r, err := c.Precreate(ctx, &PrecreateRequest{OutTradeNo: "K20260102_1", TotalFen: 1234, Subject: "茶 a+b&c=d 100% <b> / \u2028",
						StoreID: "S1", QRCodeTimeout: 5 * time.Minute, NotifyURL: "https://kiosk.example.com/notify?a=1&b=2"})
					if err == nil && r.QRCode != "https://qr.alipay.com/bax08431" {
						t.Errorf("precreate = %+v", r)
					}
					return err
				},
				"query": func() error {
					q, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"})
					if err == nil && (!q.TradeStatus.Paid() || q.TotalFen != 1234) {
						t.Errorf("query = %+v", q)
					}
					return err
				},
				"query not exist": func() error {
					_, err := c.Query(ctx, &QueryRequest{OutTradeNo: "NOT_EXIST"})
					if !IsTradeNotExist(err) {
						t.Errorf("query of an unscanned trade: %v", err)
					}
					return nil
				},
				"cancel": func() error { _, err := c.Cancel(ctx, &CancelRequest{OutTradeNo: "K1"}); return err },
				"close":  func() error { _, err := c.Close(ctx, &CloseRequest{OutTradeNo: "K1"}); return err },
				"refund": func() error {
					_, err := c.Refund(ctx, &RefundRequest{OutTradeNo: "K1", RefundFen: 200, OutRequestNo: "R1", Reason: "退款 & co"})
					return err
				},
				"refund query": func() error {
					_, err := c.RefundQuery(ctx, &RefundQueryRequest{OutTradeNo: "K1", OutRequestNo: "R1"})
					return err
				},
				"pay": func() error {
					_, err := c.Pay(ctx, &PayRequest{OutTradeNo: "K1", AuthCode: "281234567890123456", Subject: "Tea", TotalFen: 1234})
					return err
				},
				"bill (GET)": func() error {
					_, err := c.BillDownloadURL(ctx, &BillRequest{BillType: BillTypeTrade, BillDate: "2026-01-01"})
					return err
				},
			}
			for what, call := range calls {
				if err := call(); err != nil {
					t.Errorf("%s: %v", what, err)
				}
				if v := tap.last(); v != "ok" {
					t.Errorf("%s: the SDK-rule gateway refused our request (%q)", what, v)
				}
			}
		})
	}

	t.Run("a request signed with another key is refused", func(t *testing.T) {
		tap := &checkTap{}
		c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.other, AlipayPublicKey: &keys.alipay.PublicKey, Gateway: gw,
			Protocol: ProtocolV3}, WithHTTPClient(&http.Client{Transport: tap}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"}); !IsInvalidSignature(err) || tap.last() != "fail" {
			t.Errorf("query signed with a stranger's key: %v (gateway said %q)", err, tap.last())
		}
	})

	t.Run("tampered answers", func(t *testing.T) {
		c, _ := client(t, true)
		for no, want := range map[string]error{
			"TAMPER_BODY":        ErrBadSignature,
			"TAMPER_SIG":         ErrBadSignature,
			"NO_SIGNATURE":       ErrNotSigned,
			"NO_NONCE":           ErrNotSigned,
			"NO_TIMESTAMP":       ErrNotSigned,
			"ROTATED_SN":         ErrCertMismatch,
			"NOT_EXIST_TAMPERED": ErrBadSignature,
			"NOT_EXIST_UNSIGNED": ErrUnsignedError,
		} {
			q, err := c.Query(ctx, &QueryRequest{OutTradeNo: no})
			if q != nil || !errors.Is(err, want) {
				t.Errorf("%s: %+v, %v; want %v", no, q, err, want)
			}
			if IsTradeNotExist(err) {
				t.Errorf("%s: a damaged answer was believed: %v", no, err)
			}
		}
	})
}
