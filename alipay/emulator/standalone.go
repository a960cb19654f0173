package emulator

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"kiosk/alipay"
)

// The emulator as the kiosk runs it: embedded in a counter, with its keys
// and trades in the counter's data directory, or standalone (`kiosk
// emulator serve`), with a kiosk.toml that points a kiosk at it.

// In a kiosk's data directory: KeysDir holds the embedded emulator's keys
// and trades, and AddrFile says where it listens while the kiosk runs, for
// `kiosk emulator pay` and `kiosk ledger reconcile`.
const (
	KeysDir  = "emulator"
	AddrFile = "emulator.url"
)

// ErrNotRunning means no kiosk with an embedded emulator runs on a data
// directory.
var ErrNotRunning = errors.New("emulator: no kiosk with an embedded emulator is running here")

// ServerConfig is the emulator's configuration for keys: the default app
// and seller, logging to logger.
func ServerConfig(keys *Keys, logger *slog.Logger) Config {
	return Config{
		AppID:            DefaultAppID,
		SellerID:         DefaultSellerID,
		AppPublicKey:     keys.AppPublic,
		AlipayPrivateKey: keys.AlipayPrivate,
		Logger:           logger,
	}
}

// ClientConfig is the configuration of an alipay.Client that talks to the
// emulator at gateway with keys, in either protocol: the emulator serves
// both. The client is the real one, so signing and verification always run.
func ClientConfig(gateway string, keys *Keys, protocol alipay.Protocol) alipay.Config {
	return alipay.Config{
		AppID:           DefaultAppID,
		PrivateKey:      keys.AppPrivate,
		AlipayPublicKey: keys.AlipayPublic,
		Gateway:         gateway,
		Protocol:        protocol,
	}
}

// StartEmbedded runs the emulator of the kiosk whose data directory is dir,
// on a free loopback port, with the keys given or else those kept under
// dir/KeysDir (made there on the first run; an error loading them is
// returned as it is). Its trades outlive the process, so a kiosk restarted
// after a crash finds what its customers paid, as it would at Alipay. It
// records its address in dir/AddrFile; Close the server and RemoveAddr
// when the kiosk stops. Each of with changes its configuration first: the
// shop's name, the words of the customer's pages.
func StartEmbedded(dir string, keys *Keys, logger *slog.Logger, with ...func(*Config)) (*Server, *Keys, error) {
	if keys == nil {
		var err error
		if keys, _, err = LoadOrCreateKeys(filepath.Join(dir, KeysDir)); err != nil {
			return nil, nil, err
		}
	}
	cfg := ServerConfig(keys, logger)
	cfg.StatePath = filepath.Join(dir, KeysDir, "trades.json")
	for _, change := range with {
		change(&cfg)
	}
	srv, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("start the embedded emulator: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, AddrFile), []byte(srv.URL+"\n"), 0o600); err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("record the emulator address: %w", err)
	}
	return srv, keys, nil
}

// RemoveAddr removes the address StartEmbedded recorded in dir.
func RemoveAddr(dir string) error { return os.Remove(filepath.Join(dir, AddrFile)) }

// EmbeddedURL is the base URL of the emulator of the kiosk running on dir,
// ErrNotRunning when none runs there.
func EmbeddedURL(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, AddrFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w (%s)", ErrNotRunning, dir)
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// BaseURL is the base URL of a standalone emulator given as host:port or
// as a URL.
func BaseURL(addr string) string {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return strings.TrimSuffix(addr, "/")
}

// ReachableURL replaces a wildcard listen address with loopback, which a
// kiosk on the same machine can dial.
func ReachableURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
	}
	return u.String()
}

// ConfigWords are the comments of the kiosk.toml WriteKioskConfigWith
// writes, in the kiosk's language: the kiosk fills them from its
// catalogue (EnglishConfig without them). The file is UTF-8, so a comment
// may be Chinese.
type ConfigWords struct {
	WrittenBy string // the first line: %s the command that runs a kiosk on the file
	Protocol  string // beside the commented-out protocol = "v3"
}

// EnglishConfig is the kiosk.toml's comments in English, the words the
// kiosk's English catalogue gives them too.
var EnglishConfig = ConfigWords{
	WrittenBy: `Written by "kiosk emulator serve". Run: %s`,
	Protocol:  "OpenAPI v3 instead of v2; this emulator serves both",
}

// WriteKioskConfig is WriteKioskConfigWith in English.
func WriteKioskConfig(dir, baseURL string) (string, error) {
	return WriteKioskConfigWith(dir, baseURL, EnglishConfig)
}

// WriteKioskConfigWith writes dir/kiosk.toml, which points a kiosk at the
// standalone emulator at baseURL with the key files in dir, its comments
// in w, and returns its path.
func WriteKioskConfigWith(dir, baseURL string, w ConfigWords) (string, error) {
	path := filepath.Join(dir, "kiosk.toml")
	body := fmt.Sprintf(`# %s
app_id = %q
seller_id = %q
app_private_key = %q
alipay_public_key = %q
gateway = %q
# protocol = "v3"   # %s
`, tomlComment(fmt.Sprintf(w.WrittenBy, "kiosk --config "+path)), DefaultAppID, DefaultSellerID, AppPrivateKeyFile, AlipayPublicKeyFile,
		baseURL+"/gateway.do", tomlComment(w.Protocol))
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// tomlComment keeps a comment on its line: a line break in it would end
// the comment and leave the rest to be read as TOML.
func tomlComment(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
