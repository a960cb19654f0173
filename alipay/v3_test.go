package alipay

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// v3Request is a v3 request as the test gateway saw it, authorization
// checked.
type v3Request struct {
	method, uri string
	body        string
	auth        *V3Auth
	header      http.Header
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// readV3Request checks the authorization of a client request: scheme,
// fields in the SDK's order, a fresh UUID nonce, the timestamp of the
// client's clock, and the signature over the documented text.
func readV3Request(t *testing.T, r *http.Request) v3Request {
	t.Helper()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := ParseV3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatalf("authorization %q: %v", r.Header.Get("Authorization"), err)
	}
	if auth.AppID != testAppID || !uuidV4.MatchString(auth.Nonce) || !auth.Timestamp.Equal(fixedNow) {
		t.Errorf("auth = %+v", auth)
	}
	if want := V3AuthString(testAppID, auth.AppCertSN, auth.Nonce, fixedNow); auth.AuthString != want {
		t.Errorf("auth string %q, want %q", auth.AuthString, want)
	}
	content := V3SigningString(auth.AuthString, r.Method, r.RequestURI, body, "")
	if err := Verify(&testKeys(t).app.PublicKey, RSA2, []byte(content), auth.Sign); err != nil {
		t.Errorf("request signature: %v over %q", err, content)
	}
	if r.Header.Get("Accept") != "application/json" || len(r.Header.Get(HeaderV3RequestID)) != 32 {
		t.Errorf("headers %v", r.Header)
	}
	if ct := r.Header.Get("Content-Type"); (len(body) > 0) != (ct == "application/json") {
		t.Errorf("Content-Type %q with body %q", ct, body)
	}
	return v3Request{method: r.Method, uri: r.RequestURI, body: string(body), auth: auth, header: r.Header}
}

// v3Reply writes an answer signed with Alipay's test key.
func v3Reply(t *testing.T, w http.ResponseWriter, status int, body string) {
	t.Helper()
	ts, nonce := strconv.FormatInt(fixedNow.UnixMilli(), 10), NewNonce()
	sig, err := SignV3Response(testKeys(t).alipay, ts, nonce, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set(HeaderV3Timestamp, ts)
	w.Header().Set(HeaderV3Nonce, nonce)
	w.Header().Set(HeaderV3Signature, sig)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// setupV3 starts a test gateway whose handler sees every /v3/ request and
// returns a v3 client pointed at it (through a gateway.do URL, as
// configured).
func setupV3(t *testing.T, h http.HandlerFunc, mod ...func(*Config)) *Client {
	t.Helper()
	keys := testKeys(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway: srv.URL + "/gateway.do", Protocol: ProtocolV3}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewClient(cfg, WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestV3RoundTrips: every trade call goes to its REST path with its JSON
// body (the bill as a GET with a query), signed in the authorization
// header, and a signed answer decodes to the same types as in v2.
func TestV3RoundTrips(t *testing.T) {
	ctx := context.Background()
	paidAt := time.Date(2026, 1, 2, 11, 4, 9, 0, Location())
	tests := []struct {
		name, wantMethod, wantURI, wantBody, answer string
		call                                        func(*Client) (any, error)
		want                                        any
	}{
		{"precreate", "POST", "/v3/alipay/trade/precreate",
			`{"out_trade_no":"K1","total_amount":"12.34","subject":"Tea & <cake> 茶","store_id":"S1","qr_code_timeout_express":"5m","notify_url":"https://kiosk.example/notify?a=1&b=2"}`,
			`{"out_trade_no":"K1","qr_code":"https://qr.alipay.com/bax1"}`,
			func(c *Client) (any, error) {
				return c.Precreate(ctx, &PrecreateRequest{OutTradeNo: "K1", TotalFen: 1234, Subject: "Tea & <cake> 茶",
					StoreID: "S1", QRCodeTimeout: 5 * time.Minute, NotifyURL: "https://kiosk.example/notify?a=1&b=2"})
			},
			&PrecreateResponse{OutTradeNo: "K1", QRCode: "https://qr.alipay.com/bax1"}},
		{"query", "POST", "/v3/alipay/trade/query", `{"out_trade_no":"K1"}`,
			`{"trade_no":"T1","out_trade_no":"K1","buyer_logon_id":"xud***@126.com","trade_status":"TRADE_SUCCESS",` +
				`"total_amount":"12.34","send_pay_date":"2026-01-02 11:04:09"}`,
			func(c *Client) (any, error) { return c.Query(ctx, &QueryRequest{OutTradeNo: "K1"}) },
			&QueryResponse{TradeNo: "T1", OutTradeNo: "K1", BuyerLogonID: "xud***@126.com", TradeStatus: TradeSuccess,
				TotalFen: 1234, SendPayDate: paidAt}},
		{"query, amounts as numbers", "POST", "/v3/alipay/trade/query", `{"trade_no":"T1"}`,
			`{"trade_no":"T1","out_trade_no":"K1","trade_status":"WAIT_BUYER_PAY","total_amount":88.8}`,
			func(c *Client) (any, error) { return c.Query(ctx, &QueryRequest{TradeNo: "T1"}) },
			&QueryResponse{TradeNo: "T1", OutTradeNo: "K1", TradeStatus: WaitBuyerPay, TotalFen: 8880}},
		{"cancel", "POST", "/v3/alipay/trade/cancel", `{"out_trade_no":"K1"}`,
			`{"trade_no":"T1","out_trade_no":"K1","retry_flag":"N","action":"refund"}`,
			func(c *Client) (any, error) { return c.Cancel(ctx, &CancelRequest{OutTradeNo: "K1"}) },
			&CancelResponse{TradeNo: "T1", OutTradeNo: "K1", Action: "refund"}},
		{"close", "POST", "/v3/alipay/trade/close", `{"out_trade_no":"K1","operator_id":"op7"}`,
			`{"trade_no":"T1","out_trade_no":"K1"}`,
			func(c *Client) (any, error) { return c.Close(ctx, &CloseRequest{OutTradeNo: "K1", OperatorID: "op7"}) },
			&CloseResponse{OutTradeNo: "K1", TradeNo: "T1"}},
		{"refund", "POST", "/v3/alipay/trade/refund", `{"out_trade_no":"K1","refund_amount":"2.34","out_request_no":"K1-R2"}`,
			`{"trade_no":"T1","out_trade_no":"K1","fund_change":"Y","refund_fee":"12.34","gmt_refund_pay":"2026-01-02 11:04:09"}`,
			func(c *Client) (any, error) {
				return c.Refund(ctx, &RefundRequest{OutTradeNo: "K1", RefundFen: 234, OutRequestNo: "K1-R2"})
			},
			&RefundResponse{TradeNo: "T1", OutTradeNo: "K1", FundChange: true, RefundFeeFen: 1234, GmtRefundPay: paidAt}},
		{"refund query", "POST", "/v3/alipay/trade/fastpay/refund/query", `{"trade_no":"T1","out_request_no":"K1-R2"}`,
			`{"trade_no":"T1","out_trade_no":"K1","out_request_no":"K1-R2","refund_status":"REFUND_SUCCESS","total_amount":"100.00","refund_amount":"2.34"}`,
			func(c *Client) (any, error) {
				return c.RefundQuery(ctx, &RefundQueryRequest{TradeNo: "T1", OutRequestNo: "K1-R2"})
			},
			&RefundQueryResponse{OutTradeNo: "K1", TradeNo: "T1", OutRequestNo: "K1-R2", RefundStatus: RefundSuccess,
				TotalFen: 10000, RefundFen: 234}},
		{"pay", "POST", "/v3/alipay/trade/pay",
			`{"out_trade_no":"K1","scene":"bar_code","auth_code":"281234567890123456","product_code":"FACE_TO_FACE_PAYMENT","subject":"Tea","total_amount":"12.34"}`,
			`{"trade_no":"T1","out_trade_no":"K1","total_amount":"12.34","gmt_payment":"2026-01-02 11:04:09"}`,
			func(c *Client) (any, error) {
				return c.Pay(ctx, &PayRequest{OutTradeNo: "K1", AuthCode: "281234567890123456", Subject: "Tea", TotalFen: 1234})
			},
			&PayResponse{TradeNo: "T1", OutTradeNo: "K1", TotalFen: 1234, TradeStatus: TradeSuccess, GmtPayment: paidAt}},
		{"bill", "GET", "/v3/alipay/data/dataservice/bill/downloadurl/query?bill_date=2026-01-01&bill_type=trade", "",
			`{"bill_download_url":"https://dwbillcenter.alipay.com/downloadBillFile.resource?x=1"}`,
			func(c *Client) (any, error) {
				return c.BillDownloadURL(ctx, &BillRequest{BillType: BillTypeTrade, BillDate: "2026-01-01"})
			},
			&BillResponse{BillDownloadURL: "https://dwbillcenter.alipay.com/downloadBillFile.resource?x=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got v3Request
			c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
				got = readV3Request(t, r)
				v3Reply(t, w, http.StatusOK, tt.answer)
			})
			resp, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if got.method != tt.wantMethod || got.uri != tt.wantURI || got.body != tt.wantBody {
				t.Errorf("request %s %s %s\nwant    %s %s %s", got.method, got.uri, got.body, tt.wantMethod, tt.wantURI, tt.wantBody)
			}
			if !equalResponses(resp, tt.want) && !reflect.DeepEqual(resp, tt.want) {
				t.Errorf("response\n got %+v\nwant %+v", resp, tt.want)
			}
		})
	}
}

// TestV3Failures: a 4xx answer is an *Error with Alipay's code as SubCode,
// recognised by the same helpers as in v2, and believed only when signed.
func TestV3Failures(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		unsigned   bool
		check      func(error) bool
		retryable  bool
	}{
		{"trade not exist", `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在","links":[]}`, 400, false,
			IsTradeNotExist, false},
		{"unsigned trade not exist", `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在"}`, 400, true,
			func(err error) bool { return errors.Is(err, ErrUnsignedError) && !IsTradeNotExist(err) }, false},
		{"system error", `{"code":"ACQ.SYSTEM_ERROR","message":"系统错误"}`, 400, false,
			func(err error) bool { return hasSubCode(err, SubCodeSystemError) }, true},
		{"invalid signature", `{"code":"invalid-signature","message":"验签出错"}`, 401, true, IsInvalidSignature, false},
		{"invalid app id", `{"code":"invalid-app-id","message":"无效的AppID参数"}`, 401, false, IsInvalidAppID, false},
		{"signed 503", `{"code":"isp.unknow-error","message":"系统繁忙"}`, 503, false,
			func(err error) bool { return hasSubCode(err, "isp.unknow-error") }, true},
		{"signed 500, plain code", `{"code":"SYSTEM_ERROR","message":"系统繁忙"}`, 500, false,
			func(err error) bool { return hasSubCode(err, "SYSTEM_ERROR") }, true},
		{"signed 429", `{"code":"too-many-requests","message":"请求过于频繁"}`, 429, false,
			func(err error) bool { return hasSubCode(err, "too-many-requests") }, true},
		{"proxy page", `<html>502 Bad Gateway</html>`, 502, true,
			func(err error) bool { return errors.Is(err, ErrTransport) }, true},
		{"unsigned 404 page", `<html>not found</html>`, 404, true,
			func(err error) bool { return errors.Is(err, ErrTransport) }, false},
		{"signed answer without a code", `{"message":"?"}`, 400, false,
			func(err error) bool { return errors.Is(err, ErrUnexpectedResponse) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
				readV3Request(t, r)
				if tt.unsigned {
					w.WriteHeader(tt.status)
					_, _ = io.WriteString(w, tt.body)
					return
				}
				v3Reply(t, w, tt.status, tt.body)
			})
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if err == nil || !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v", err, !tt.retryable)
			}
			var e *Error
			if errors.As(err, &e) && (e.HTTPStatus != tt.status || e.Code != strconv.Itoa(tt.status) || string(e.Raw) != tt.body) {
				t.Errorf("*Error = %+v", e)
			}
		})
	}
}

// TestV3TradeNotExistMessage: the error prints status, code and message.
func TestV3TradeNotExistMessage(t *testing.T) {
	c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
		v3Reply(t, w, http.StatusBadRequest, `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在"}`)
	})
	_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
	if want := "alipay.trade.query: 400 Bad Request (ACQ.TRADE_NOT_EXIST: 交易不存在)"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestV3Tampering: an answer whose body, signature or headers were
// changed is refused, whatever its status, and its content never reaches
// the caller.
func TestV3Tampering(t *testing.T) {
	const paid = `{"trade_no":"T1","out_trade_no":"K1","trade_status":"TRADE_SUCCESS","total_amount":"12.34"}`
	const notExist = `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在"}`
	tamper := map[string]func(w http.ResponseWriter, body string) string{
		"body changed": func(w http.ResponseWriter, body string) string { return strings.Replace(body, "T", "X", 1) },
		"signature of other bytes": func(w http.ResponseWriter, body string) string {
			sig, _ := SignV3Response(testKeys(t).alipay, w.Header().Get(HeaderV3Timestamp), w.Header().Get(HeaderV3Nonce), []byte(body+" "))
			w.Header().Set(HeaderV3Signature, sig)
			return body
		},
		"signed by a stranger": func(w http.ResponseWriter, body string) string {
			sig, _ := SignV3Response(testKeys(t).other, w.Header().Get(HeaderV3Timestamp), w.Header().Get(HeaderV3Nonce), []byte(body))
			w.Header().Set(HeaderV3Signature, sig)
			return body
		},
		"nonce changed": func(w http.ResponseWriter, body string) string {
			w.Header().Set(HeaderV3Nonce, NewNonce())
			return body
		},
		"timestamp changed":    func(w http.ResponseWriter, body string) string { w.Header().Set(HeaderV3Timestamp, "1"); return body },
		"no signature":         func(w http.ResponseWriter, body string) string { w.Header().Del(HeaderV3Signature); return body },
		"no nonce":             func(w http.ResponseWriter, body string) string { w.Header().Del(HeaderV3Nonce); return body },
		"no timestamp":         func(w http.ResponseWriter, body string) string { w.Header().Del(HeaderV3Timestamp); return body },
		"signature not base64": func(w http.ResponseWriter, body string) string { w.Header().Set(HeaderV3Signature, "!!"); return body },
	}
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable} {
		body := paid
		if status != http.StatusOK {
			body = notExist
		}
		for name, f := range tamper {
			t.Run(strconv.Itoa(status)+" "+name, func(t *testing.T) {
				c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
					ts, nonce := strconv.FormatInt(fixedNow.UnixMilli(), 10), NewNonce()
					sig, _ := SignV3Response(testKeys(t).alipay, ts, nonce, []byte(body))
					w.Header().Set(HeaderV3Timestamp, ts)
					w.Header().Set(HeaderV3Nonce, nonce)
					w.Header().Set(HeaderV3Signature, sig)
					out := f(w, body)
					w.WriteHeader(status)
					_, _ = io.WriteString(w, out)
				})
				resp, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
				if resp != nil || !(errors.Is(err, ErrBadSignature) || errors.Is(err, ErrNotSigned)) {
					t.Fatalf("Query = %+v, %v; want a signature error", resp, err)
				}
				var e *Error
				if errors.As(err, &e) || IsTradeNotExist(err) {
					t.Errorf("a refused answer still yields an *Error: %v", err)
				}
			})
		}
	}
}

// TestV3CertMode: requests carry app_cert_sn in the auth string and
// alipay-root-cert-sn as a header; an answer whose alipay-sn names another
// certificate is refused.
func TestV3CertMode(t *testing.T) {
	const appSN, rootSN, alipaySN = "app0123456789abcdef0123456789abc", "root1_root2", "ali0123456789abcdef0123456789abc"
	tests := []struct {
		name, sn string
		want     error
	}{
		{"same certificate", alipaySN, nil},
		{"no alipay-sn", "", nil},
		{"rotated certificate", "0123456789abcdef0123456789abcdef", ErrCertMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got v3Request
			c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
				got = readV3Request(t, r)
				if tt.sn != "" {
					w.Header().Set(HeaderV3SN, tt.sn)
				}
				v3Reply(t, w, http.StatusOK, `{"out_trade_no":"K1","trade_status":"WAIT_BUYER_PAY"}`)
			}, func(cfg *Config) { cfg.AppCertSN, cfg.AlipayRootCertSN, cfg.AlipayCertSN = appSN, rootSN, alipaySN })
			_, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got.auth.AppCertSN != appSN || !strings.HasPrefix(got.auth.AuthString, "app_id="+testAppID+",app_cert_sn="+appSN+",nonce=") ||
				got.header.Get(HeaderV3RootCertSN) != rootSN {
				t.Errorf("auth %q, root header %q", got.auth.AuthString, got.header.Get(HeaderV3RootCertSN))
			}
		})
	}
}

// TestV3Endpoint: the v3 base is the origin of the configured gateway.
func TestV3Endpoint(t *testing.T) {
	for gw, want := range map[string]string{
		ProductionGateway:                     "https://openapi.alipay.com/v3/alipay/trade/query",
		SandboxGateway:                        "https://openapi-sandbox.dl.alipaydev.com/v3/alipay/trade/query",
		"http://127.0.0.1:8780/gateway.do":    "http://127.0.0.1:8780/v3/alipay/trade/query",
		"https://gw.example:8443/a/b/gateway": "https://gw.example:8443/v3/alipay/trade/query",
	} {
		var got string
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return &http.Response{StatusCode: http.StatusBadGateway, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
		})
		keys := testKeys(t)
		c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
			Gateway: gw, Protocol: ProtocolV3}, WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); !errors.Is(err, ErrTransport) {
			t.Errorf("%s: %v", gw, err)
		}
		if got != want {
			t.Errorf("gateway %s: request to %s, want %s", gw, got, want)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestV3PayWithoutPaymentTime: v3 has no 10003, so a pay answer without
// gmt_payment is waiting for the buyer, never paid.
func TestV3PayWithoutPaymentTime(t *testing.T) {
	c := setupV3(t, func(w http.ResponseWriter, r *http.Request) {
		v3Reply(t, w, http.StatusOK, `{"trade_no":"T1","out_trade_no":"K1","total_amount":"12.34"}`)
	})
	resp, err := c.Pay(context.Background(), &PayRequest{OutTradeNo: "K1", AuthCode: "281234567890123456", Subject: "Tea", TotalFen: 1234})
	if !IsWaitingForBuyer(err) || resp == nil || resp.TradeNo != "T1" || !resp.Waiting() || IsRefused(err) {
		t.Errorf("Pay = %+v, %v", resp, err)
	}
}

// TestV3OddSuccess: a verified 200 that is not a JSON object, or that
// answers about another trade, is refused as in v2.
func TestV3OddSuccess(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":      `<html>ok</html>`,
		"array":         `[]`,
		"another trade": `{"out_trade_no":"K2","trade_status":"TRADE_SUCCESS"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := setupV3(t, func(w http.ResponseWriter, r *http.Request) { v3Reply(t, w, http.StatusOK, body) })
			if _, err := c.Query(context.Background(), &QueryRequest{OutTradeNo: "K1"}); !errors.Is(err, ErrUnexpectedResponse) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestParseProtocol(t *testing.T) {
	for in, want := range map[string]Protocol{"": ProtocolV2, "v2": ProtocolV2, "V3": ProtocolV3, " v3 ": ProtocolV3} {
		if got, err := ParseProtocol(in); err != nil || got != want {
			t.Errorf("ParseProtocol(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseProtocol("v4"); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("v4: %v", err)
	}
	keys := testKeys(t)
	_, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway: ProductionGateway, Protocol: "v4"})
	if !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("NewClient with protocol v4: %v", err)
	}
}

func TestParseV3Authorization(t *testing.T) {
	auth := V3AuthString("2021", "sn1", "n-1", fixedNow) + ",expired_seconds=600"
	a, err := ParseV3Authorization(V3Authorization(auth, "c2ln+/=="))
	if err != nil {
		t.Fatal(err)
	}
	if a.AuthString != auth || a.AppID != "2021" || a.AppCertSN != "sn1" || a.Nonce != "n-1" || !a.Timestamp.Equal(fixedNow) || a.Sign != "c2ln+/==" {
		t.Errorf("parsed %+v", a)
	}
	for _, bad := range []string{
		"",
		"Bearer x",
		"ALIPAY-SHA256withRSA app_id=1,nonce=n,timestamp=1",
		"ALIPAY-SHA256withRSA app_id=1,nonce=n,timestamp=1,sign=",
		"ALIPAY-SHA256withRSA nonce=n,timestamp=1,sign=x",
		"ALIPAY-SHA256withRSA app_id=1,timestamp=1,sign=x",
		"ALIPAY-SHA256withRSA app_id=1,nonce=n,timestamp=2026-01-02,sign=x",
		"ALIPAY-SHA256withRSA app_id=1,app_id=2,nonce=n,timestamp=1,sign=x",
		"ALIPAY-SHA256withRSA app_id=1,junk,nonce=n,timestamp=1,sign=x",
	} {
		if _, err := ParseV3Authorization(bad); !errors.Is(err, ErrBadAuthorization) {
			t.Errorf("ParseV3Authorization(%q) = %v", bad, err)
		}
	}
}

func TestV3SigningStrings(t *testing.T) {
	got := V3SigningString("app_id=1,nonce=n,timestamp=5", "POST", "/v3/alipay/trade/query", []byte(`{"a":1}`), "")
	if want := "app_id=1,nonce=n,timestamp=5\nPOST\n/v3/alipay/trade/query\n{\"a\":1}\n"; got != want {
		t.Errorf("request string %q", got)
	}
	got = V3SigningString("a", "GET", "/v3/x?y=1", nil, "tok")
	if want := "a\nGET\n/v3/x?y=1\n\ntok\n"; got != want {
		t.Errorf("with token %q", got)
	}
	if got := V3ResponseSigningString("5", "n", []byte("{}")); got != "5\nn\n{}\n" {
		t.Errorf("response string %q", got)
	}
	for method, path := range map[string]string{MethodRefundQuery: "/v3/alipay/trade/fastpay/refund/query", MethodQuery: "/v3/alipay/trade/query"} {
		if V3Path(method) != path || V3Method(path) != method {
			t.Errorf("%s <-> %s: %s, %s", method, path, V3Path(method), V3Method(path))
		}
	}
	for _, p := range []string{"/gateway.do", "/v3/", "/v3/a.b"} {
		if m := V3Method(p); m != "" {
			t.Errorf("V3Method(%q) = %q", p, m)
		}
	}
}

// TestV3ErrorBodyRaw keeps links available to callers that want them.
func TestV3ErrorBodyRaw(t *testing.T) {
	body := `{"code":"ACQ.TRADE_HAS_SUCCESS","message":"交易已被支付","links":[{"link":"https://example/x","desc":"d"}]}`
	c := setupV3(t, func(w http.ResponseWriter, r *http.Request) { v3Reply(t, w, http.StatusBadRequest, body) })
	_, err := c.Cancel(context.Background(), &CancelRequest{OutTradeNo: "K1"})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	var eb v3ErrorBody
	if json.Unmarshal(e.Raw, &eb) != nil || eb.Code != "ACQ.TRADE_HAS_SUCCESS" || len(eb.Links) == 0 || e.Retryable() {
		t.Errorf("*Error = %+v", e)
	}
}
