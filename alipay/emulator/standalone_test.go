package emulator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/alipay"
)

// TestEmbeddedEmulatorSaysWhereItListens: the embedded emulator records its
// address in the data directory, where `kiosk emulator pay` finds it, and a
// real client with its keys talks to it.
func TestEmbeddedEmulatorSaysWhereItListens(t *testing.T) {
	dir := t.TempDir()
	if _, err := EmbeddedURL(dir); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("EmbeddedURL before any kiosk = %v, want ErrNotRunning", err)
	}
	srv, keys, err := StartEmbedded(dir, testKeys(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if got, err := EmbeddedURL(dir); err != nil || got != srv.URL {
		t.Errorf("EmbeddedURL = %q, %v; want %q", got, err, srv.URL)
	}
	client, err := alipay.NewClient(ClientConfig(srv.GatewayURL(), keys, alipay.ProtocolV3))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Query(context.Background(), &alipay.QueryRequest{OutTradeNo: "K1"}); !alipay.IsTradeNotExist(err) {
		t.Errorf("query of an unknown trade = %v, want ACQ.TRADE_NOT_EXIST", err)
	}
	if err := RemoveAddr(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := EmbeddedURL(dir); !errors.Is(err, ErrNotRunning) {
		t.Errorf("EmbeddedURL after the kiosk = %v, want ErrNotRunning", err)
	}
}

func TestKioskConfigPointsAtTheEmulator(t *testing.T) {
	dir := t.TempDir()
	path, err := WriteKioskConfig(dir, "http://127.0.0.1:8780")
	if err != nil || path != filepath.Join(dir, "kiosk.toml") {
		t.Fatalf("WriteKioskConfig = %q, %v", path, err)
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{`app_id = "` + DefaultAppID + `"`, `app_private_key = "app_private_key.pem"`,
		`alipay_public_key = "alipay_public_key.pem"`, `gateway = "http://127.0.0.1:8780/gateway.do"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("kiosk.toml lacks %s:\n%s", want, b)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("kiosk.toml mode %v", fi.Mode().Perm())
	}
}

func TestEmulatorAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"http://0.0.0.0:8780": "http://127.0.0.1:8780", "http://[::]:8780": "http://127.0.0.1:8780",
		"http://192.168.1.5:8780": "http://192.168.1.5:8780",
	} {
		if got := ReachableURL(in); got != want {
			t.Errorf("ReachableURL(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"127.0.0.1:8780": "http://127.0.0.1:8780", "http://h:1/": "http://h:1"} {
		if got := BaseURL(in); got != want {
			t.Errorf("BaseURL(%s) = %s, want %s", in, got, want)
		}
	}
}
