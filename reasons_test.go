package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/internal/english"
	"kiosk/ui/words"
)

// TestAPISaysTheGatewaysFailureInTheLanguage: kiosk api against a gateway
// that answers HTTP 502, one whose certificate no authority of this
// machine signed, and one that does not speak TLS on an https:// address
// says what went wrong from the typed errors, in Chinese with no English
// and in English, never in the Go packages' own English.
func TestAPISaysTheGatewaysFailureInTheLanguage(t *testing.T) {
	cfg, srv, _ := standaloneEmulator(t, nil)
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
	}))
	t.Cleanup(bad.Close)
	selfSigned := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(selfSigned.Close)
	notTLS := garbageServer(t)
	for _, tt := range []struct {
		name, gateway string
		want          func(*words.Words) string
		notWant       string
	}{
		{"HTTP 502", bad.URL, func(w *words.Words) string { return w.System.HTTPStatus.F(502) }, "Bad Gateway"},
		{"unknown authority", selfSigned.URL, func(w *words.Words) string { return w.System.CertUnknownAuthority }, "x509"},
		{"not TLS", "https://" + notTLS, func(w *words.Words) string { return w.System.NotTLS }, "record"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Dir(cfg), "kiosk-"+strings.ReplaceAll(tt.name, " ", "-")+".toml", strings.Replace(string(text), srv.URL, tt.gateway, 1))
			for _, w := range []*words.Words{words.Chinese, words.English} {
				var out, diag bytes.Buffer
				err := execute([]string{"api", "query", "--config", path, "--out-trade-no", "NONE_1", "--lang", w.Lang.Tag}, stdio{in: os.Stdin, out: &out, diag: &diag})
				speak(words.English)
				said := fmt.Sprint(err)
				if err == nil || !strings.Contains(said, tt.want(w)) || strings.Contains(said, tt.notWant) {
					t.Errorf("%s: %q; want %q, not %q", w.Lang.Tag, said, tt.want(w), tt.notWant)
				}
				if en := english.Words(said); w == words.Chinese && len(en) > 0 {
					t.Errorf("English %q in %q", en, said)
				}
			}
		})
	}
}

// garbageServer listens on loopback and answers every connection with a
// line that is neither TLS nor HTTP; it returns its address.
func garbageServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("SSH-2.0-not-a-gateway\r\n"))
			_ = c.Close()
		}
	}()
	return ln.Addr().String()
}

// TestAPISaysAlipaysRefusalInTheLanguage: kiosk api prints Alipay's
// refusal as its JSON, Alipay's own words, and says it in the shop's
// language beside: in Chinese with no English (not "Business Failed"), in
// English from the catalogue's words for the sub_code, not Alipay's.
func TestAPISaysAlipaysRefusalInTheLanguage(t *testing.T) {
	cfg, _, _ := standaloneEmulator(t, nil)
	for _, w := range []*words.Words{words.Chinese, words.English} {
		var out, diag bytes.Buffer
		err := execute([]string{"api", "query", "--config", cfg, "--out-trade-no", "NONE_1", "--lang", w.Lang.Tag}, stdio{in: os.Stdin, out: &out, diag: &diag})
		speak(words.English)
		said := fmt.Sprint(err)
		if err == nil || !strings.Contains(out.String(), `"msg": "Business Failed"`) {
			t.Fatalf("%s: %v, output %s; want Alipay's refusal as JSON", w.Lang.Tag, err, out.String())
		}
		want := w.Console.NoTradeYet // a developer's words for this one (TestAPIQueryOfAnOrderNotYetScannedSaysWhatItMeans)
		if !strings.Contains(said, want) || !strings.Contains(said, "ACQ.TRADE_NOT_EXIST") || strings.Contains(said, "Business") || strings.Contains(said, "交易不存在") {
			t.Errorf("%s: %q; want %q and the code, not Alipay's msg or sub_msg", w.Lang.Tag, said, want)
		}
		if en := english.Words(said); w == words.Chinese && len(en) > 0 {
			t.Errorf("English %q in %q", en, said)
		}
	}
}
