package mapi

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary forms and keys to Verify. It must never panic,
// and whatever it accepts must be exactly what Sign produces for that form.
func FuzzVerify(f *testing.F) {
	f.Add(notification().Encode(), testKey)
	f.Add("sign=&sign_type=MD5", testKey)
	f.Add("a=1&a=2&sign=00000000000000000000000000000000&sign_type=MD5", testKey)
	f.Add("%zz=1&sign_type=md5", "")
	f.Add(";;&&==", testKey)
	f.Fuzz(func(t *testing.T, query, key string) {
		params, _ := url.ParseQuery(query) // keeps what parsed, like a lenient server
		err := Verify(params, key)
		if err == nil && strings.ToLower(params.Get("sign")) != Sign(params, key) {
			t.Fatalf("accepted a form whose sign is not its MD5 signature: %q", query)
		}
		if len(key) == keyLen && checkKey(key) == nil {
			params.Set("sign", Sign(params, key))
			params.Set("sign_type", SignTypeMD5)
			if err := Verify(params, key); err != nil {
				t.Fatalf("rejects its own signature: %v (form %q)", err, query)
			}
		}
	})
}
