package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kiosk/pos"
	"kiosk/ui/words"
)

// fakeGateway answers every call with its fields.
type fakeGateway struct {
	answer json.RawMessage
	err    error
	x      pos.Exchange
	got    []pos.APIRequest
}

func (g *fakeGateway) Call(_ context.Context, r pos.APIRequest) (json.RawMessage, error) {
	g.got = append(g.got, r)
	return g.answer, g.err
}

func (g *fakeGateway) LastExchange() pos.Exchange { return g.x }

// TestVerboseSaysWhatKeysThereAre: --verbose names each key file with its
// kind, and warns of one others can read, before the exchange.
func TestVerboseSaysWhatKeysThereAre(t *testing.T) {
	g := &fakeGateway{answer: json.RawMessage(`{"out_trade_no":"K1","note":"a & b"}`),
		x: pos.Exchange{Sent: true, Method: "alipay.trade.query", SignType: "RSA2", SigningString: "app_id=1&method=x", Sign: "c2ln",
			Status: "200 OK", Response: []byte(`{"alipay_trade_query_response":{}}`)}}
	keys := KeyFacts{AppKey: "/k/app.pem", AppKeyFormat: "PKCS#8 PEM", AlipayKey: "/k/alipay.pem", AlipayKeyFormat: "PKIX PEM",
		Warnings: []string{"app_private_key /k/app.pem is open to other users"}}
	var out, diag bytes.Buffer
	if err := API(context.Background(), &out, &diag, g, APICall{Method: "query", OutTradeNo: "K1", Verbose: true, Keys: keys}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-- app private key /k/app.pem: PKCS#8 PEM\n-- warning: app_private_key /k/app.pem is open to other users\n-- Alipay public key /k/alipay.pem: PKIX PEM\n",
		"-- string signed (alipay.trade.query, sign_type RSA2):\napp_id=1&method=x\n-- sign:\nc2ln\n-- raw response (200 OK):\n",
	} {
		if !strings.Contains(diag.String(), want) {
			t.Errorf("--verbose lacks %q:\n%s", want, diag.String())
		}
	}
	if out.String() != "{\n  \"out_trade_no\": \"K1\",\n  \"note\": \"a & b\"\n}\n" {
		t.Errorf("answer printed as\n%s", out.String())
	}
}

// TestAPIArgumentsAreCheckedBeforeAnythingIsSent: a missing or bad amount,
// or a refund without its request number, is the user's to fix, and no call
// is made.
func TestAPIArgumentsAreCheckedBeforeAnythingIsSent(t *testing.T) {
	for _, c := range []APICall{
		{Method: "precreate"},
		{Method: "precreate", Amount: "12.345"},
		{Method: "refund", Amount: "1.00", OutTradeNo: "K1"},
	} {
		g := &fakeGateway{}
		var diag bytes.Buffer
		c.Verbose = true
		err := API(context.Background(), &bytes.Buffer{}, &diag, g, c)
		if !errors.As(err, new(UsageError)) || len(g.got) != 0 || !strings.Contains(diag.String(), "-- nothing was sent") {
			t.Errorf("%+v: %v, %d calls, verbose %q", c, err, len(g.got), diag.String())
		}
	}
	g := &fakeGateway{answer: json.RawMessage(`{}`)}
	if err := API(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, g, APICall{Method: "refund", Amount: "1.50", OutRequestNo: "R1", OutTradeNo: "K1"}); err != nil ||
		g.got[0].AmountFen != 150 || g.got[0].OutRequestNo != "R1" {
		t.Errorf("refund: %v, %+v", err, g.got)
	}
}

// TestACallTimingOutSaysSoOnce: a call that got no answer in time says so
// once, not again in brackets in the system's words.
func TestACallTimingOutSaysSoOnce(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	for _, w := range []*words.Words{words.English, words.Chinese} {
		Speak(w)
		err := printAnswer(new(bytes.Buffer), nil, fmt.Errorf("alipay.trade.query: %w", context.DeadlineExceeded))
		if got, want := err.Error(), w.Problem.Timeout; got != want {
			t.Errorf("a call timing out says %q, want %q", got, want)
		}
	}
}
