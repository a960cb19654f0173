package alipay

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTraceShowsWhatWasSigned: a traced v2 call records the string that was
// signed, the signature that went out and the raw answer, through the HTTP
// client the caller gave.
func TestTraceShowsWhatWasSigned(t *testing.T) {
	var tr Trace
	c, mux := setup(t, WithTrace(&tr), WithHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	if x := tr.Last(); x.Sent {
		t.Fatalf("a trace before any call: %+v", x)
	}
	var sent string
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		got := readRequest(t, r, RSA2)
		sent = RequestSigningString(union(got.query, got.form))
		reply(t, w, MethodQuery, `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_no":"T1","trade_status":"WAIT_BUYER_PAY","total_amount":"1.00"}`)
	})
	if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
	x := tr.Last()
	if !x.Sent || x.Protocol != ProtocolV2 || x.Method != MethodQuery || x.SignType != "RSA2" || x.SigningString != sent ||
		x.Sign == "" || !strings.HasPrefix(x.Status, "200") || !strings.Contains(string(x.Response), `"alipay_trade_query_response"`) {
		t.Errorf("trace = %+v\nsigned %q", x, sent)
	}
	if err := Verify(&testKeys(t).app.PublicKey, RSA2, []byte(x.SigningString), x.Sign); err != nil {
		t.Errorf("the traced signature does not verify over the traced string: %v", err)
	}
}

// TestTraceShowsWhatWasSignedV3: over v3 the trace holds the request line,
// the text the authorization signs, the answer's signature headers and the
// text they cover.
func TestTraceShowsWhatWasSignedV3(t *testing.T) {
	var tr Trace
	c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
		readV3Request(t, r)
		v3Reply(t, w, http.StatusOK, `{"out_trade_no":"K1","trade_no":"T1","trade_status":"WAIT_BUYER_PAY","total_amount":"1.00"}`)
	})
	c = withOptions(t, c, WithTrace(&tr))
	if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
	x := tr.Last()
	names := map[string]string{}
	for _, h := range x.ResponseHeaders {
		names[h.Name] = h.Value
	}
	if !x.Sent || x.Protocol != ProtocolV3 || x.HTTPMethod != http.MethodPost || x.URI != "/v3/alipay/trade/query" ||
		x.AuthError != nil || !strings.HasSuffix(x.V3SigningString, "\n") || names[HeaderV3Signature] == "" ||
		x.ResponseSigningString != V3ResponseSigningString(names[HeaderV3Timestamp], names[HeaderV3Nonce], x.Response) {
		t.Errorf("trace = %+v", x)
	}
	if len(x.RequestHeaders) == 0 || x.RequestHeaders[0].Name != "authorization" {
		t.Fatalf("request headers %+v", x.RequestHeaders)
	}
	auth, err := ParseV3Authorization(x.RequestHeaders[0].Value)
	if err != nil || Verify(&testKeys(t).app.PublicKey, RSA2, []byte(x.V3SigningString), auth.Sign) != nil {
		t.Errorf("the traced authorization does not verify over the traced text: %v", err)
	}
}

// withOptions is c rebuilt with more options.
func withOptions(t *testing.T, c *Client, opts ...Option) *Client {
	t.Helper()
	c2, err := NewClient(c.cfg, append([]Option{WithClock(c.now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c2
}
