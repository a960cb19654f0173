package emulator

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/alipay"
)

// TestClientRoundTrip runs the real alipay.Client against a started Server:
// signing, verification, amounts and timestamps all take the production
// path.
func TestClientRoundTrip(t *testing.T) {
	s, err := Start("127.0.0.1:0", testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := newClient(t, s)
	ctx := context.Background()

	pre, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 1234, Subject: "咖啡 / coffee",
		StoreID: "S1", TerminalID: "K01", QRCodeTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatalf("Precreate: %v", err)
	}
	if pre.OutTradeNo != "K1" || len(pre.QRCode) <= len(s.URL+"/qr/") || pre.QRCode[:len(s.URL)] != s.URL {
		t.Errorf("Precreate = %+v", pre)
	}

	if _, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"}); !alipay.IsTradeNotExist(err) {
		t.Fatalf("Query before scan: %v", err)
	}
	if _, err := PayRemote(ctx, s.URL, "K1"); err != nil {
		t.Fatalf("PayRemote: %v", err)
	}
	q, err := c.Query(ctx, &alipay.QueryRequest{OutTradeNo: "K1"})
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	if !q.TradeStatus.Paid() || q.TotalFen != 1234 || !q.SendPayDate.Equal(testNow) || q.BuyerLogonID == "" || len(q.TradeNo) != 28 {
		t.Errorf("Query = %+v", q)
	}

	cr, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K1"})
	if err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	if cr.Action != "refund" || cr.RetryFlag || cr.TradeNo != q.TradeNo {
		t.Errorf("Cancel = %+v", cr)
	}
	if q, err := c.Query(ctx, &alipay.QueryRequest{TradeNo: q.TradeNo}); err != nil || q.TradeStatus != alipay.TradeClosed {
		t.Errorf("Query after refund = %+v, %v", q, err)
	}
	if tr, _ := s.Trade("K1"); !tr.Refunded {
		t.Errorf("trade %+v not refunded", tr)
	}
}

func TestClientSeesInvalidAppID(t *testing.T) {
	s, err := Start("127.0.0.1:0", testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k := testKeys(t)
	c, err := alipay.NewClient(alipay.Config{
		AppID: "2021999999999999", PrivateKey: k.AppPrivate, AlipayPublicKey: k.AlipayPublic, Gateway: s.GatewayURL(),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(context.Background(), &alipay.QueryRequest{OutTradeNo: "K1"})
	if !alipay.IsInvalidAppID(err) {
		t.Errorf("Query with a wrong app_id: %v", err)
	}
}

func TestServerClose(t *testing.T) {
	s, err := Start("127.0.0.1:0", testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := PayRemote(ctx, s.URL, "K1"); err == nil || errors.Is(err, ErrNoSuchTrade) {
		t.Errorf("PayRemote after Close: %v", err)
	}
}

func TestStartWildcardAddress(t *testing.T) {
	s, err := Start("0.0.0.0:0", testConfig(t))
	if err != nil {
		t.Skipf("cannot listen on 0.0.0.0: %v", err)
	}
	defer s.Close()
	if s.URL[:len("http://127.0.0.1:")] != "http://127.0.0.1:" {
		t.Errorf("URL %q, want the loopback address", s.URL)
	}
}
