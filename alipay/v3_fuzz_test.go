package alipay

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
)

// FuzzV3Answer feeds arbitrary v3 answers (status, body, signature
// headers) to the client's check. Nothing may panic, and nothing is
// believed that is not signed: a result or an *Error not marked unsigned
// needs headers that verify over the body.
func FuzzV3Answer(f *testing.F) {
	keys := testKeys(f)
	c, err := NewClient(Config{AppID: testAppID, PrivateKey: keys.app, AlipayPublicKey: &keys.alipay.PublicKey,
		Gateway: ProductionGateway, Protocol: ProtocolV3})
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"out_trade_no":"K1","trade_status":"TRADE_SUCCESS","total_amount":12.34}`},
		{400, `{"code":"ACQ.TRADE_NOT_EXIST","message":"交易不存在","links":[]}`},
		{503, `{"code":"isp.unknow-error","message":"系统繁忙"}`},
		{502, `<html>502</html>`},
		{200, `[]`},
	} {
		sig, err := SignV3Response(keys.alipay, "1", "n", []byte(seed.body))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed.status, []byte(seed.body), "1", "n", sig)
		f.Add(seed.status, []byte(seed.body), "", "", "")
	}
	pub := &keys.alipay.PublicKey
	f.Fuzz(func(t *testing.T, status int, body []byte, ts, nonce, sig string) {
		h := http.Header{}
		for k, v := range map[string]string{HeaderV3Timestamp: ts, HeaderV3Nonce: nonce, HeaderV3Signature: sig} {
			if v != "" {
				h.Set(k, v)
			}
		}
		out, err := c.checkV3(MethodQuery, status, h, body, nil)
		signed := VerifyV3Response(pub, h, body) == nil
		var e *Error
		switch {
		case err == nil:
			if status != http.StatusOK || !signed || out.body == nil {
				t.Fatalf("believed: status %d signed %v", status, signed)
			}
		case errors.As(err, &e) && !errors.Is(err, ErrUnsignedError):
			if !signed || e.HTTPStatus != status || e.Code != strconv.Itoa(status) {
				t.Fatalf("*Error %+v from status %d, signed %v", e, status, signed)
			}
		case IsTradeNotExist(err) && !signed:
			t.Fatalf("an unsigned answer counts as trade-not-exist: %v", err)
		}
	})
}
