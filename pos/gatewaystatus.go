package pos

import "kiosk/alipay"

// GatewayStatus is the HTTP status the gateway answered with instead of an
// answer (a 502 from a proxy, a 404 at a wrong address), when err holds
// one; else 0.
func GatewayStatus(err error) int {
	if f := alipay.ClassifyFailure(err); f.Kind == alipay.FailureHTTPStatus {
		return f.HTTPStatus
	}
	return 0
}
