package alipay

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestMoreRoundTrips sends each call beyond precreate, query and cancel to a test gateway that
// checks the request signature and answers with a SignResponse-signed body.
func TestMoreRoundTrips(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, method, body, wantBiz string
		call                        func(*Client) (any, error)
		want                        any
	}{
		{"close", MethodClose, `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1"}`,
			`{"out_trade_no":"K1","operator_id":"op7"}`,
			func(c *Client) (any, error) {
				return c.Close(ctx, &CloseRequest{OutTradeNo: "K1", OperatorID: "op7"})
			},
			&CloseResponse{OutTradeNo: "K1", TradeNo: "T1"}},
		{"refund", MethodRefund, `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1",` +
			`"buyer_logon_id":"xud***@126.com","fund_change":"Y","refund_fee":"12.34","gmt_refund_pay":"2026-01-02 11:06:07",` +
			`"buyer_user_id":"2088102534368455","send_back_fee":"12.34"}`,
			`{"out_trade_no":"K1","refund_amount":"2.34","out_request_no":"K1-R2","refund_reason":"茶 & <cake>","store_id":"S1","terminal_id":"T9"}`,
			func(c *Client) (any, error) {
				return c.Refund(ctx, &RefundRequest{OutTradeNo: "K1", RefundFen: 234, OutRequestNo: "K1-R2",
					Reason: "茶 & <cake>", StoreID: "S1", TerminalID: "T9"})
			},
			&RefundResponse{TradeNo: "T1", OutTradeNo: "K1", BuyerLogonID: "xud***@126.com", FundChange: true,
				RefundFeeFen: 1234, GmtRefundPay: time.Date(2026, 1, 2, 11, 6, 7, 0, Location())}},
		{"refund query", MethodRefundQuery, `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1",` +
			`"out_request_no":"K1-R2","refund_status":"REFUND_SUCCESS","total_amount":"100.00","refund_amount":"2.34"}`,
			`{"trade_no":"T1","out_request_no":"K1-R2"}`,
			func(c *Client) (any, error) {
				return c.RefundQuery(ctx, &RefundQueryRequest{TradeNo: "T1", OutRequestNo: "K1-R2"})
			},
			&RefundQueryResponse{OutTradeNo: "K1", TradeNo: "T1", OutRequestNo: "K1-R2", RefundStatus: RefundSuccess,
				TotalFen: 10000, RefundFen: 234}},
		{"refund query not found", MethodRefundQuery, `{"code":"10000","msg":"Success"}`,
			`{"out_trade_no":"K1","out_request_no":"K1-R3"}`,
			func(c *Client) (any, error) {
				return c.RefundQuery(ctx, &RefundQueryRequest{OutTradeNo: "K1", OutRequestNo: "K1-R3"})
			},
			&RefundQueryResponse{}},
		{"bill", MethodBillDownloadURL, `{"code":"10000","msg":"Success","bill_download_url":"http:\/\/dwbillcenter.alipay.com\/downloadBillFile.resource?bizType=X&userId=X&fileType=csv.zip"}`,
			`{"bill_type":"trade","bill_date":"2026-01-01"}`,
			func(c *Client) (any, error) {
				return c.BillDownloadURL(ctx, &BillRequest{BillType: BillTypeTrade, BillDate: "2026-01-01"})
			},
			&BillResponse{BillDownloadURL: "http://dwbillcenter.alipay.com/downloadBillFile.resource?bizType=X&userId=X&fileType=csv.zip"}},
		{"pay", MethodPay, `{"code":"10000","msg":"Success","trade_no":"T1","out_trade_no":"K1","buyer_logon_id":"xud***@126.com",` +
			`"total_amount":"12.34","receipt_amount":"12.34","gmt_payment":"2026-01-02 11:04:09"}`,
			`{"out_trade_no":"K1","scene":"bar_code","auth_code":"281234567890123456","product_code":"FACE_TO_FACE_PAYMENT","subject":"Tea","total_amount":"12.34","terminal_id":"T9"}`,
			func(c *Client) (any, error) {
				return c.Pay(ctx, &PayRequest{OutTradeNo: "K1", AuthCode: "281234567890123456", Subject: "Tea",
					TerminalID: "T9", TotalFen: 1234})
			},
			&PayResponse{TradeNo: "T1", OutTradeNo: "K1", BuyerLogonID: "xud***@126.com", TotalFen: 1234,
				TradeStatus: TradeSuccess, GmtPayment: time.Date(2026, 1, 2, 11, 4, 9, 0, Location())}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			got := gateway(t, mux, tt.method, tt.body)
			resp, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if got.biz != tt.wantBiz {
				t.Errorf("biz_content\n got %s\nwant %s", got.biz, tt.wantBiz)
			}
			if !equalResponses(resp, tt.want) {
				t.Errorf("response\n got %+v\nwant %+v", resp, tt.want)
			}
		})
	}
}

// equalResponses compares two response pointers of the same type,
// timestamps by instant.
func equalResponses(a, b any) bool {
	switch x := a.(type) {
	case *RefundResponse:
		y := *b.(*RefundResponse)
		if !x.GmtRefundPay.Equal(y.GmtRefundPay) {
			return false
		}
		y.GmtRefundPay = x.GmtRefundPay
		return *x == y
	case *PayResponse:
		y := *b.(*PayResponse)
		if !x.GmtPayment.Equal(y.GmtPayment) {
			return false
		}
		y.GmtPayment = x.GmtPayment
		return *x == y
	case *CloseResponse:
		return *x == *b.(*CloseResponse)
	case *RefundQueryResponse:
		return *x == *b.(*RefundQueryResponse)
	case *BillResponse:
		return *x == *b.(*BillResponse)
	}
	return false
}

func TestRefundQueryStatus(t *testing.T) {
	if !(&RefundQueryResponse{RefundStatus: RefundSuccess}).Refunded() || (&RefundQueryResponse{}).Refunded() {
		t.Error("Refunded() wrong")
	}
}

func TestPayWaitingForBuyer(t *testing.T) {
	c, mux := setup(t)
	gateway(t, mux, MethodPay, `{"code":"10003","msg":"Order success pay inprocess","trade_no":"T1","out_trade_no":"K1",`+
		`"buyer_logon_id":"xud***@126.com","total_amount":"88.00"}`)
	resp, err := c.Pay(context.Background(), &PayRequest{OutTradeNo: "K1", AuthCode: "2812345678901234", Subject: "s", TotalFen: 8800})
	if !IsWaitingForBuyer(err) {
		t.Fatalf("err = %v, want code 10003", err)
	}
	if resp == nil || resp.TradeNo != "T1" || resp.TotalFen != 8800 || !resp.GmtPayment.IsZero() ||
		resp.TradeStatus != WaitBuyerPay || !resp.Waiting() || resp.TradeStatus.Paid() {
		t.Fatalf("response = %+v", resp)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeWaitingForBuyer || e.Method != MethodPay || IsRetryable(err) {
		t.Errorf("error = %#v", e)
	}
	if IsWaitingForBuyer(errors.New("x")) || IsWaitingForBuyer(&Error{Code: "40004"}) {
		t.Error("IsWaitingForBuyer true for other errors")
	}
}

func TestPayFailure(t *testing.T) {
	c, mux := setup(t)
	gateway(t, mux, MethodPay, `{"code":"40004","msg":"Business Failed","sub_code":"ACQ.PAYMENT_AUTH_CODE_INVALID","sub_msg":"支付失败，获取顾客账户信息失败","out_trade_no":"K1"}`)
	resp, err := c.Pay(context.Background(), &PayRequest{OutTradeNo: "K1", AuthCode: "2812345678901234", Subject: "s", TotalFen: 1})
	var e *Error
	if resp != nil || !errors.As(err, &e) || e.SubCode != "ACQ.PAYMENT_AUTH_CODE_INVALID" || IsWaitingForBuyer(err) {
		t.Fatalf("Pay = %+v, %v", resp, err)
	}
}

// TestMoreRejectOddSuccess: verified answers that are about another trade
// or refund, or carry malformed values, are refused.
func TestMoreRejectOddSuccess(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, method, body string
		call               func(*Client) error
	}{
		{"close other trade", MethodClose, `{"code":"10000","msg":"Success","trade_no":"T2","out_trade_no":"K1"}`,
			func(c *Client) error {
				_, err := c.Close(ctx, &CloseRequest{OutTradeNo: "K1", TradeNo: "T1"})
				return err
			}},
		{"refund other order", MethodRefund, `{"code":"10000","msg":"Success","out_trade_no":"K0","fund_change":"Y","refund_fee":"1.00"}`,
			func(c *Client) error { _, err := c.Refund(ctx, okRefund()); return err }},
		{"refund bad fee", MethodRefund, `{"code":"10000","msg":"Success","out_trade_no":"K1","fund_change":"Y","refund_fee":"1.001"}`,
			func(c *Client) error { _, err := c.Refund(ctx, okRefund()); return err }},
		{"refund bad date", MethodRefund, `{"code":"10000","msg":"Success","out_trade_no":"K1","refund_fee":"1.00","gmt_refund_pay":"yesterday"}`,
			func(c *Client) error { _, err := c.Refund(ctx, okRefund()); return err }},
		{"refund query other refund", MethodRefundQuery, `{"code":"10000","msg":"Success","out_trade_no":"K1","out_request_no":"K1-R1","refund_status":"REFUND_SUCCESS"}`,
			func(c *Client) error {
				_, err := c.RefundQuery(ctx, &RefundQueryRequest{OutTradeNo: "K1", OutRequestNo: "K1-R2"})
				return err
			}},
		{"refund query bad amount", MethodRefundQuery, `{"code":"10000","msg":"Success","out_trade_no":"K1","refund_amount":"-1"}`,
			func(c *Client) error {
				_, err := c.RefundQuery(ctx, &RefundQueryRequest{OutTradeNo: "K1", OutRequestNo: "K1-R2"})
				return err
			}},
		{"bill without url", MethodBillDownloadURL, `{"code":"10000","msg":"Success"}`,
			func(c *Client) error {
				_, err := c.BillDownloadURL(ctx, &BillRequest{BillType: "trade", BillDate: "2026-01"})
				return err
			}},
		{"bill odd url", MethodBillDownloadURL, `{"code":"10000","msg":"Success","bill_download_url":"javascript:alert(1)"}`,
			func(c *Client) error {
				_, err := c.BillDownloadURL(ctx, &BillRequest{BillType: "trade", BillDate: "2026-01"})
				return err
			}},
		{"pay other order", MethodPay, `{"code":"10000","msg":"Success","out_trade_no":"K0","total_amount":"0.01"}`,
			func(c *Client) error { _, err := c.Pay(ctx, okPay()); return err }},
		{"pay other amount", MethodPay, `{"code":"10000","msg":"Success","out_trade_no":"K1","total_amount":"0.02"}`,
			func(c *Client) error { _, err := c.Pay(ctx, okPay()); return err }},
		{"pay waiting other order", MethodPay, `{"code":"10003","msg":"Order success pay inprocess","out_trade_no":"K0"}`,
			func(c *Client) error { _, err := c.Pay(ctx, okPay()); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			gateway(t, mux, tt.method, tt.body)
			if err := tt.call(c); !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("err = %v, want ErrUnexpectedResponse", err)
			}
		})
	}
}

func okRefund() *RefundRequest {
	return &RefundRequest{OutTradeNo: "K1", RefundFen: 100, OutRequestNo: "K1-R1"}
}

func okPay() *PayRequest {
	return &PayRequest{OutTradeNo: "K1", AuthCode: "2812345678901234", Subject: "s", TotalFen: 1}
}

func TestMoreInvalidRequestsAreNotSent(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/gateway.do", func(http.ResponseWriter, *http.Request) { calls.Add(1) })
	ctx := context.Background()
	refund := func(f func(*RefundRequest)) func() error {
		return func() error { r := okRefund(); f(r); _, err := c.Refund(ctx, r); return err }
	}
	pay := func(f func(*PayRequest)) func() error {
		return func() error { r := okPay(); f(r); _, err := c.Pay(ctx, r); return err }
	}
	bill := func(typ, date string) func() error {
		return func() error {
			_, err := c.BillDownloadURL(ctx, &BillRequest{BillType: typ, BillDate: date})
			return err
		}
	}
	tests := map[string]func() error{
		"close without numbers":           func() error { _, err := c.Close(ctx, &CloseRequest{OperatorID: "op"}); return err },
		"refund without out_request_no":   refund(func(r *RefundRequest) { r.OutRequestNo = "" }),
		"refund long out_request_no":      refund(func(r *RefundRequest) { r.OutRequestNo = strings.Repeat("r", 65) }),
		"refund without numbers":          refund(func(r *RefundRequest) { r.OutTradeNo = "" }),
		"refund zero":                     refund(func(r *RefundRequest) { r.RefundFen = 0 }),
		"refund over max":                 refund(func(r *RefundRequest) { r.RefundFen = MaxAmountFen + 1 }),
		"refund long reason":              refund(func(r *RefundRequest) { r.Reason = strings.Repeat("退", 257) }),
		"refund query without request":    func() error { _, err := c.RefundQuery(ctx, &RefundQueryRequest{OutTradeNo: "K1"}); return err },
		"refund query without numbers":    func() error { _, err := c.RefundQuery(ctx, &RefundQueryRequest{OutRequestNo: "R"}); return err },
		"pay without out_trade_no":        pay(func(r *PayRequest) { r.OutTradeNo = "" }),
		"pay zero":                        pay(func(r *PayRequest) { r.TotalFen = 0 }),
		"pay without subject":             pay(func(r *PayRequest) { r.Subject = "" }),
		"pay without auth code":           pay(func(r *PayRequest) { r.AuthCode = "" }),
		"pay auth code with CR":           pay(func(r *PayRequest) { r.AuthCode = "2812345678901234\r" }),
		"pay auth code too short":         pay(func(r *PayRequest) { r.AuthCode = "281234567890123" }),
		"pay auth code too long":          pay(func(r *PayRequest) { r.AuthCode = strings.Repeat("1", 25) }),
		"pay auth code is a URL":          pay(func(r *PayRequest) { r.AuthCode = "https://qr.alipay.com/x" }),
		"pay auth code of another wallet": pay(func(r *PayRequest) { r.AuthCode = "134567890123456789" }),
		"pay negative timeout":            pay(func(r *PayRequest) { r.Timeout = -time.Minute }),
		"pay timeout over 15 days":        pay(func(r *PayRequest) { r.Timeout = 15*24*time.Hour + time.Second }),
		"bill unknown type":               bill("trades", "2026-01-01"),
		"bill empty type":                 bill("", "2026-01-01"),
		"bill short month":                bill("trade", "2026-1"),
		"bill short day":                  bill("trade", "2026-01-1"),
		"bill impossible day":             bill("trade", "2026-02-30"),
		"bill month 13":                   bill("trade", "2026-13"),
		"bill slashes":                    bill("trade", "2026/01/01"),
		"bill compact":                    bill("trade", "20260101"),
		"bill trailing space":             bill("trade", "2026-01-01 "),
		"bill empty date":                 bill("signcustomer", ""),
		"bill date with time":             bill("trade", "2026-01-01 00:00:00"),
		"bill date with leading sign":     bill("trade", "+2026-01"),
		"bill date with trailing letter":  bill("trade", "2026-01x"),
	}
	for name, call := range tests {
		if err := call(); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: err = %v, want ErrInvalidRequest", name, err)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d invalid requests reached the gateway", n)
	}
	if err := refund(func(r *RefundRequest) { r.RefundFen = -5 })(); !errors.Is(err, ErrBadAmount) {
		t.Errorf("bad refund amount does not wrap ErrBadAmount: %v", err)
	}
}

func TestBillDates(t *testing.T) {
	for _, d := range []string{"2026-11-22", "2026-11", "2024-02-29", "2026-01"} {
		if err := (&BillRequest{BillType: BillTypeTrade, BillDate: d}).check(); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
}
