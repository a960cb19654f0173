package alipay

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"
)

// testKeySet holds the RSA keys every test in the package shares: generating
// 2048-bit keys is the slowest thing the suite would otherwise do.
type testKeySet struct {
	app    *rsa.PrivateKey // the kiosk's own key pair
	alipay *rsa.PrivateKey // plays Alipay's key pair
	other  *rsa.PrivateKey // a stranger's key
}

var (
	keysOnce   sync.Once
	sharedKeys testKeySet
	keysErr    error
)

// testKeys returns the shared keys, generating them on first use.
func testKeys(tb testing.TB) testKeySet {
	tb.Helper()
	keysOnce.Do(func() {
		keys := make([]*rsa.PrivateKey, 3)
		var wg sync.WaitGroup
		errs := make([]error, len(keys))
		for i := range keys {
			wg.Go(func() { keys[i], errs[i] = rsa.GenerateKey(rand.Reader, 2048) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				keysErr = err
			}
		}
		sharedKeys = testKeySet{app: keys[0], alipay: keys[1], other: keys[2]}
	})
	if keysErr != nil {
		tb.Fatalf("generate keys: %v", keysErr)
	}
	return sharedKeys
}
