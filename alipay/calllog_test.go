package alipay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// logRecords reads the JSON records a logger wrote.
func logRecords(t *testing.T, b *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	for dec.More() {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("log is not JSON lines: %v\n%s", err, b)
		}
		out = append(out, rec)
	}
	return out
}

// onlyRecord is the single record of a log.
func onlyRecord(t *testing.T, b *bytes.Buffer) map[string]any {
	t.Helper()
	recs := logRecords(t, b)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1:\n%s", len(recs), b)
	}
	return recs[0]
}

// nxdomainResolver is a resolver that asks a DNS server on loopback which
// answers every question "no such name" (NXDOMAIN), as the real resolver
// does for a mistyped gateway host, without leaving the machine.
func nxdomainResolver(t *testing.T) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if reply := nxdomain(buf[:n]); reply != nil {
				_, _ = pc.WriteTo(reply, from)
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

// nxdomain answers a DNS query (RFC 1035 §4.1) with its header and
// question and RCODE 3, or nil for what is not a query.
func nxdomain(q []byte) []byte {
	if len(q) < 12 {
		return nil
	}
	end := 12
	for end < len(q) && q[end] != 0 {
		end += int(q[end]) + 1
	}
	end += 5 // the root label, QTYPE and QCLASS
	if end > len(q) {
		return nil
	}
	r := append([]byte(nil), q[:end]...)
	r[2] = 0x80 | q[2]&0x01 // a response, recursion desired as asked
	r[3] = 0x80 | 3         // recursion available, NXDOMAIN
	r[4], r[5] = 0, 1       // one question
	clear(r[6:12])          // no answers, authorities or additional records
	return r
}

// loggedClient is a v2 or v3 client of gateway that logs to the buffer.
func loggedClient(t *testing.T, gateway string, protocol Protocol, h *http.Client) (*Client, *bytes.Buffer) {
	t.Helper()
	keys := testKeys(t)
	var logged bytes.Buffer
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway: gateway, Protocol: protocol},
		WithClock(func() time.Time { return fixedNow }), WithHTTPClient(h),
		WithLogger(slog.New(slog.NewJSONHandler(&logged, nil))))
	if err != nil {
		t.Fatal(err)
	}
	return c, &logged
}

// closedAddr is a loopback address nobody listens on: port 1, since a port
// freed after listening may be taken by another test or process at once.
func closedAddr(t *testing.T) string { return "127.0.0.1:1" }

// notTLS is the address of a server that answers a TLS handshake with
// another protocol's greeting, as a mail or SSH port would.
func notTLS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = conn.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
			conn.Close()
		}
	}()
	return ln.Addr().String()
}

// gatewayOf serves h and returns its gateway.do URL.
func gatewayOf(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/gateway.do"
}

// TestEveryCallIsLoggedWithItsCause: a call that fails for each reason a
// gateway can fail is logged with the method, the protocol, the order, the
// time it took, its outcome and the cause, found from the error's type:
// what the cashier's "Alipay could not be reached" leaves out.
func TestEveryCallIsLoggedWithItsCause(t *testing.T) {
	quick := &http.Client{Timeout: 10 * time.Second}
	tests := []struct {
		name    string
		gateway func(t *testing.T) (string, *http.Client)
		cause   FailureKind
		outcome string
		codes   map[string]string
	}{
		{"dns", func(t *testing.T) (string, *http.Client) {
			dialer := &net.Dialer{Resolver: nxdomainResolver(t)}
			return "https://gateway.kiosk-test.invalid/gateway.do", &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
		}, FailureDNS, OutcomeFailed, nil},
		{"connection refused", func(t *testing.T) (string, *http.Client) {
			return "http://" + closedAddr(t) + "/gateway.do", quick
		}, FailureConnectionRefused, OutcomeFailed, nil},
		{"untrusted certificate", func(t *testing.T) (string, *http.Client) {
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake it refuses is the point
			srv.StartTLS()
			t.Cleanup(srv.Close)
			return srv.URL + "/gateway.do", quick
		}, FailureTLSCertificate, OutcomeFailed, nil},
		{"https to a port that does not speak TLS", func(t *testing.T) (string, *http.Client) {
			return "https://" + notTLS(t) + "/gateway.do", quick
		}, FailureTLS, OutcomeFailed, nil},
		{"timeout", func(t *testing.T) (string, *http.Client) {
			stuck := make(chan struct{})
			gw := gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client leave
				select {                           // never answers: the client's deadline ends the call
				case <-r.Context().Done():
				case <-stuck:
				}
			})
			t.Cleanup(func() { close(stuck) }) // before the server's Close, which waits for the handler
			return gw, &http.Client{Timeout: 200 * time.Millisecond}
		}, FailureTimeout, OutcomeFailed, nil},
		{"connection closed", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					conn.Close()
				}
			}), quick
		}, FailureConnectionClosed, OutcomeFailed, nil},
		{"HTTP 502", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }), quick
		}, FailureHTTPStatus, OutcomeFailed, nil},
		{"a proxy's page", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>login</html>")) }), quick
		}, FailureMalformed, OutcomeFailed, nil},
		{"signed by a stranger", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				raw, _ := SignResponse(testKeys(t).other, RSA2, MethodQuery, []byte(`{"code":"10000","msg":"Success","out_trade_no":"K1","trade_status":"TRADE_SUCCESS"}`))
				_, _ = w.Write(raw)
			}), quick
		}, FailureSignature, OutcomeFailed, nil},
		{"unsigned", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(`{"alipay_trade_query_response":{"code":"10000","msg":"Success","out_trade_no":"K1"}}`))
			}), quick
		}, FailureUnsigned, OutcomeFailed, nil},
		{"unknown app id", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(`{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}`))
			}), quick
		}, FailureAlipayUnsigned, OutcomeFailed, map[string]string{"code": "40002", "sub_code": SubCodeInvalidAppID}},
		{"Alipay's refusal", func(t *testing.T) (string, *http.Client) {
			return gatewayOf(t, func(w http.ResponseWriter, r *http.Request) {
				reply(t, w, MethodQuery, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`)
			}), quick
		}, FailureAlipay, OutcomeRefused, map[string]string{"code": "40004", "sub_code": SubCodeTradeNotExist, "sub_msg": "交易不存在"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw, h := tt.gateway(t)
			c, logged := loggedClient(t, gw, ProtocolV2, h)
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if err == nil {
				t.Fatal("the call succeeded")
			}
			if got := ClassifyFailure(err).Kind; got != tt.cause {
				t.Errorf("ClassifyFailure(%v) = %q, want %q", err, got, tt.cause)
			}
			rec := onlyRecord(t, logged)
			want := map[string]string{"msg": "alipay call", "method": MethodQuery, "protocol": "v2", "out_trade_no": "K1",
				"outcome": tt.outcome, "cause": string(tt.cause)}
			for k, v := range tt.codes {
				want[k] = v
			}
			for k, v := range want {
				if rec[k] != v {
					t.Errorf("%s = %v, want %q; record %v", k, rec[k], v, rec)
				}
			}
			if _, ok := rec["duration_ms"].(float64); !ok {
				t.Errorf("no duration: %v", rec)
			}
		})
	}
}

// TestCallsAreLoggedOverV3: over v3 the same record, with Alipay's code in
// sub_code and the HTTP status in code, and a success with the trade's
// state.
func TestCallsAreLoggedOverV3(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter){
		"K1": func(w http.ResponseWriter) {
			v3Reply(t, w, http.StatusOK, `{"out_trade_no":"K1","trade_no":"T1","trade_status":"WAIT_BUYER_PAY","total_amount":"1.00"}`)
		},
		"K2": func(w http.ResponseWriter) {
			v3Reply(t, w, http.StatusNotFound, `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在"}`)
		},
	}
	var logged bytes.Buffer
	c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
		var biz struct {
			OutTradeNo string `json:"out_trade_no"`
		}
		_ = json.NewDecoder(r.Body).Decode(&biz)
		answers[biz.OutTradeNo](w)
	})
	c = withOptions(t, c, WithLogger(slog.New(slog.NewJSONHandler(&logged, nil))))
	if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K2"}); !IsTradeNotExist(err) {
		t.Fatalf("K2: %v", err)
	}
	if _, err := c.Query(AwaitingScan(context.Background()), &QueryRequest{OutTradeNo: "K2"}); !IsTradeNotExist(err) {
		t.Fatalf("K2 awaiting the scan: %v", err)
	}
	recs := logRecords(t, &logged)
	if len(recs) != 3 {
		t.Fatalf("%d records:\n%s", len(recs), &logged)
	}
	for i, want := range []map[string]any{
		{"protocol": "v3", "out_trade_no": "K1", "outcome": OutcomeOK, "trade_status": "WAIT_BUYER_PAY", "level": "INFO"},
		{"protocol": "v3", "out_trade_no": "K2", "outcome": OutcomeRefused, "cause": "alipay", "code": "404", "sub_code": SubCodeTradeNotExist, "level": "INFO"},
		{"protocol": "v3", "out_trade_no": "K2", "outcome": OutcomeNotYet, "cause": nil, "code": "404", "sub_code": SubCodeTradeNotExist, "level": "INFO"},
	} {
		for k, v := range want {
			if recs[i][k] != v {
				t.Errorf("record %d: %s = %v, want %v; %v", i, k, recs[i][k], v, recs[i])
			}
		}
	}
}

// TestTheLogOfASaleHoldsNoSecret: the log of a whole sale (precreate,
// queries until paid, a refund, a cancel, and a call that fails) holds no
// private key, no signature sent or received, and no buyer account as
// Alipay sent it, unmasked: only the order's numbers and states.
func TestTheLogOfASaleHoldsNoSecret(t *testing.T) {
	const buyer = "13812345678" // unmasked, as a misbehaving gateway might send it
	var (
		trace Trace
		signs []string
	)
	var logged bytes.Buffer
	c, mux := setup(t, WithTrace(&trace), WithLogger(slog.New(slog.NewJSONHandler(&logged, nil))))
	queries := 0
	mux.HandleFunc("/gateway.do", func(w http.ResponseWriter, r *http.Request) {
		got := readRequest(t, r, RSA2)
		method := got.query.Get("method")
		var body string
		switch method {
		case MethodPrecreate:
			body = `{"code":"10000","msg":"Success","out_trade_no":"K1","qr_code":"https:\/\/qr.alipay.com\/bax1"}`
		case MethodQuery:
			queries++
			body = `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_no":"T1","trade_status":"WAIT_BUYER_PAY","buyer_logon_id":"` + buyer + `","total_amount":"12.34"}`
			if queries > 1 {
				body = `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_no":"T1","trade_status":"TRADE_SUCCESS","buyer_logon_id":"` + buyer + `","buyer_user_id":"2088102177846875","total_amount":"12.34","send_pay_date":"2026-01-02 11:04:09"}`
			}
		case MethodRefund:
			body = `{"code":"10000","msg":"Success","out_trade_no":"K1","trade_no":"T1","buyer_logon_id":"` + buyer + `","fund_change":"Y","refund_fee":"1.00"}`
		case MethodCancel:
			body = `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已支付 ` + buyer + `","out_trade_no":"K1","retry_flag":"N"}`
		}
		raw, err := SignResponse(testKeys(t).alipay, RSA2, method, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var members struct{ Sign string }
		_ = json.Unmarshal(raw, &members)
		signs = append(signs, got.query.Get("sign"), members.Sign)
		_, _ = w.Write(raw)
	})
	ctx := context.Background()
	if _, err := c.Precreate(ctx, &PrecreateRequest{OutTradeNo: "K1", TotalFen: 1234, Subject: "Corner Shop"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Refund(ctx, &RefundRequest{OutTradeNo: "K1", RefundFen: 100, OutRequestNo: "R1"}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Cancel(ctx, &CancelRequest{OutTradeNo: "K1"}) // refused: the sub_msg holds the account
	signs = append(signs, trace.Last().Sign)

	text := logged.String()
	if n := len(logRecords(t, &logged)); n != 5 {
		t.Fatalf("%d records for 5 calls:\n%s", n, text)
	}
	pem := string(EncodePrivateKeyPEM(testKeys(t).app))
	forbidden := []string{"PRIVATE KEY", buyer}
	for _, line := range strings.Split(pem, "\n")[1:3] {
		forbidden = append(forbidden, line) // lines of the key's body
	}
	for _, s := range signs {
		if s == "" {
			t.Fatal("a signature was not captured")
		}
		forbidden = append(forbidden, s, s[:40])
	}
	for _, s := range forbidden {
		if strings.Contains(text, s) {
			t.Errorf("the log holds %q:\n%s", s, text)
		}
	}
	if !strings.Contains(text, `"out_request_no":"R1"`) || !strings.Contains(text, `"trade_status":"TRADE_SUCCESS"`) ||
		!strings.Contains(text, `"buyer":"138******78"`) {
		t.Errorf("the log lacks the order's facts:\n%s", text)
	}
}

// TestRedactCutsSecrets: a signature, a buyer's account or a payment
// code in an error text or a sub_msg does not reach the log; order and
// trade numbers do.
func TestRedactCutsSecrets(t *testing.T) {
	sig, err := Sign(testKeys(t).app, RSA2, []byte("a=b"))
	if err != nil {
		t.Fatal(err)
	}
	got := Redact("sign " + sig + " for KT1_20261122180000000_ABCDEF trade 2026112222001400000000000001 " +
		"buyer 13812345678 or abc.buyer@example.com code 287654321098765432")
	for _, gone := range []string{sig[:64], "13812345678", "abc.buyer@", "287654321098765432"} {
		if strings.Contains(got, gone) {
			t.Errorf("Redact left %q in %q", gone, got)
		}
	}
	for _, kept := range []string{"KT1_20261122180000000_ABCDEF", "2026112222001400000000000001", "138******78", "@example.com"} {
		if !strings.Contains(got, kept) {
			t.Errorf("Redact dropped %q: %q", kept, got)
		}
	}
}

// TestAMalformedAnswerIsToldByItsFactsNotItsBytes: an answer cut short,
// as the emulator's malformed fault sends it, fails with a
// *MalformedError whose text, and the log's record of the call, hold its
// length and where it broke but no run of its bytes (the buyer's account,
// the amount); nor does an unsigned v3 refusal without a code, nor a
// notification with a bad key.
func TestAMalformedAnswerIsToldByItsFactsNotItsBytes(t *testing.T) {
	const body = `{"alipay_trade_query_response":{"code":"10000","msg":"Success","buyer_logon_id":"159******88","buyer_pay_amount":"1.23","trade_no":"2026120122001","trade_sta`
	gw := gatewayOf(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
	c, logged := loggedClient(t, gw, ProtocolV2, &http.Client{Timeout: 10 * time.Second})
	_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	me, ok := errors.AsType[*MalformedError](err)
	if !ok || !errors.Is(err, ErrUnexpectedResponse) {
		t.Fatalf("Query of a cut answer = %v, want a *MalformedError", err)
	}
	if me.Length != len(body) || me.Offset != len(body) || me.Starts != `'{'` {
		t.Errorf("facts %+v, want length and offset %d", me, len(body))
	}
	logText := logged.String()
	for what, text := range map[string]string{"the error": err.Error(), "the log": logText} {
		// Pieces a log line could hold by chance (digits in a timestamp or
		// a duration) are left out: the 12-byte runs below cover the rest.
		for _, piece := range []string{"159******88", "******", "buyer", "logon", "amount", "Success", "trade_sta", "query_response", "2026120122001"} {
			if strings.Contains(text, piece) {
				t.Errorf("%s quotes the answer's %q:\n%s", what, piece, text)
			}
		}
		if run := sharedRun(body, text, 12); run != "" {
			t.Errorf("%s quotes the answer (%q):\n%s", what, run, text)
		}
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("%d bytes", len(body))) {
		t.Errorf("the error does not say the answer's length: %v", err)
	}

	form := "x1=1&buyer%zz=159******88"
	if _, err := ParseNotification([]byte(form), "application/x-www-form-urlencoded"); err == nil || strings.Contains(err.Error(), "buyer") || strings.Contains(err.Error(), "%zz") {
		t.Errorf("a notification with a bad key: %v", err)
	}
}

// sharedRun is the first run of n bytes of a found in b, "" when none.
func sharedRun(a, b string, n int) string {
	for i := 0; i+n <= len(a); i++ {
		if strings.Contains(b, a[i:i+n]) {
			return a[i : i+n]
		}
	}
	return ""
}

// TestAQueryAwaitingTheScanIsLoggedNotYet: a query made under
// AwaitingScan that Alipay answers with a signed ACQ.TRADE_NOT_EXIST is
// the wait for the customer, logged at Info as not_yet with Alipay's
// codes and no cause; the same answer to a query not so marked (a sale
// that should exist) stays a refusal, and under AwaitingScan an unsigned
// one, or another refusal, stays what it is.
func TestAQueryAwaitingTheScanIsLoggedNotYet(t *testing.T) {
	notExist := func(w http.ResponseWriter, r *http.Request) {
		reply(t, w, MethodQuery, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}`)
	}
	other := func(w http.ResponseWriter, r *http.Request) {
		reply(t, w, MethodQuery, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"}`)
	}
	unsigned := func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"error_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}}`))
	}
	for _, tt := range []struct {
		name     string
		answer   http.HandlerFunc
		awaiting bool
		want     map[string]any
	}{
		{"awaiting the scan", notExist, true, map[string]any{"level": "INFO", "outcome": OutcomeNotYet, "code": "40004", "sub_code": SubCodeTradeNotExist, "cause": nil, "error": nil}},
		{"a sale that should exist", notExist, false, map[string]any{"level": "INFO", "outcome": OutcomeRefused, "cause": string(FailureAlipay), "sub_code": SubCodeTradeNotExist}},
		{"another refusal", other, true, map[string]any{"outcome": OutcomeRefused, "cause": string(FailureAlipay), "sub_code": "ACQ.SYSTEM_ERROR"}},
		{"unsigned", unsigned, true, map[string]any{"level": "WARN", "outcome": OutcomeFailed, "cause": string(FailureAlipayUnsigned)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, logged := loggedClient(t, gatewayOf(t, tt.answer), ProtocolV2, &http.Client{Timeout: 10 * time.Second})
			ctx := context.Background()
			if tt.awaiting {
				ctx = AwaitingScan(ctx)
			}
			if _, err := c.Query(ctx, &QueryRequest{OutTradeNo: "K1"}); err == nil {
				t.Fatal("the query succeeded")
			}
			rec := onlyRecord(t, logged)
			for k, v := range tt.want {
				if rec[k] != v {
					t.Errorf("%s = %v, want %v; record %v", k, rec[k], v, rec)
				}
			}
		})
	}
	if IsAwaitingScan(context.Background()) || !IsAwaitingScan(AwaitingScan(context.Background())) {
		t.Error("IsAwaitingScan does not tell a marked context")
	}
}
