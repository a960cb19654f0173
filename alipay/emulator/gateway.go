package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"kiosk/alipay"
)

// call is one parsed gateway request.
type call struct {
	method   string
	signType alipay.SignType
	params   url.Values // query and body together
	baseURL  string     // scheme://host the client used, for qr_code
	v3       bool       // arrived on /v3/ rather than /gateway.do
}

// methodFunc answers one API method with its success fields or a failure.
type methodFunc func(e *Emulator, c *call) ([]field, *failure)

// methods are the API methods the gateway knows.
var methods = map[string]methodFunc{
	alipay.MethodPrecreate: (*Emulator).precreate,
	alipay.MethodQuery:     (*Emulator).query,
	alipay.MethodCancel:    (*Emulator).cancel,
	alipay.MethodPay:       (*Emulator).pay,
	methodClose:            (*Emulator).closeTrade,
	methodRefund:           (*Emulator).refund,
	methodRefundQuery:      (*Emulator).refundQuery,
	methodBillURL:          (*Emulator).billURL,
}

// serveGateway is /gateway.do: parse, answer, write, with the faults in
// force injected around the middle step.
func (e *Emulator) serveGateway(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "emulator: "+err.Error(), status)
		return
	}
	c := &call{params: r.Form, baseURL: baseURL(r)}
	kind, latency := e.drawFault(c.params.Get("method"))
	var rep reply
	if kind == faultSystemError {
		rep = e.systemError(c)
	} else {
		rep = e.gateway(c)
	}
	if latency > 0 && !sleep(r.Context(), latency) {
		return // the client gave up; nobody reads an answer
	}
	if kind != faultNone {
		e.log.Warn("fault injected", "method", c.method, "fault", kind.String())
	}
	e.writeFaulty(w, rep, kind)
}

// requestSignType is the algorithm to sign the answer with: the request's,
// as Alipay does, or RSA2 when the request's is missing or unknown.
func requestSignType(p url.Values) alipay.SignType {
	if st := alipay.SignType(p.Get("sign_type")); st == alipay.RSA {
		return st
	}
	return alipay.RSA2
}

// baseURL is the scheme and host the request was sent to.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// gateway checks the common parameters, then runs the method.
func (e *Emulator) gateway(c *call) reply {
	c.method = c.params.Get("method")
	fn, fail := lookupMethod(c.method)
	if fail != nil {
		e.logCall(c, nil, fail)
		return reply{body: fail.body()}
	}
	rep := reply{method: c.method, signType: requestSignType(c.params)}
	var fields []field
	fail = e.checkCommon(c)
	if fail == nil {
		fields, fail = fn(e, c)
	}
	e.logCall(c, fields, fail)
	if fail != nil {
		rep.body = fail.body()
	} else {
		rep.body = successBody(fields)
	}
	return rep
}

// lookupMethod finds the method; without a known one there is no response
// key, which is why these two failures are unsigned error_responses.
func lookupMethod(name string) (methodFunc, *failure) {
	if name == "" {
		return nil, missingArg("isv.missing-method", "缺少方法名参数")
	}
	fn := methods[name]
	if fn == nil {
		return nil, invalidArg("isv.invalid-method", "不存在的方法名: "+name)
	}
	return fn, nil
}

// logCall writes one line per gateway call: the method, the order it
// names, and the answer (the trade's status where the answer has one).
func (e *Emulator) logCall(c *call, fields []field, fail *failure) {
	attrs := []any{"method", c.method}
	if c.v3 {
		attrs = append(attrs, "protocol", "v3")
	}
	var ref tradeRef
	if json.Unmarshal([]byte(c.params.Get("biz_content")), &ref) == nil && ref.OutTradeNo != "" {
		attrs = append(attrs, "out_trade_no", ref.OutTradeNo)
	}
	if fail == nil {
		attrs = append(attrs, "code", codeSuccess)
		for _, f := range fields {
			if f.key == "trade_status" {
				attrs = append(attrs, "trade_status", f.value)
			}
		}
		e.log.Info("gateway", attrs...)
		return
	}
	e.log.Info("gateway", append(attrs, "code", fail.code, "code_msg", codeMsg[fail.code], "sub_code", fail.subCode, "sub_msg", fail.subMsg)...)
}

// checkCommon validates the common parameters in Alipay's order and
// verifies the signature.
func (e *Emulator) checkCommon(c *call) *failure {
	p := c.params
	switch {
	case p.Get("app_id") == "":
		return missingArg("isv.missing-app-id", "缺少AppID参数")
	case p.Get("app_id") != e.cfg.AppID:
		return invalidArg(alipay.SubCodeInvalidAppID, "无效的AppID参数")
	case p.Get("sign") == "":
		return missingArg("isv.missing-signature", "缺少签名参数")
	case p.Get("sign_type") == "":
		return missingArg("isv.missing-signature-type", "缺少签名类型参数")
	case p.Get("timestamp") == "":
		return missingArg("isv.missing-timestamp", "缺少时间戳参数")
	case p.Get("version") == "":
		return missingArg("isv.missing-version", "缺少版本参数")
	}
	c.signType = alipay.SignType(p.Get("sign_type"))
	if c.signType != alipay.RSA2 && c.signType != alipay.RSA {
		return invalidArg("isv.invalid-signature-type", "无效的签名类型: "+string(c.signType))
	}
	if cs := p.Get("charset"); cs != "" && !strings.EqualFold(cs, "utf-8") {
		return invalidArg("isv.invalid-charset", "字符集错误: only utf-8 is emulated")
	}
	if f := p.Get("format"); f != "" && !strings.EqualFold(f, "json") {
		return invalidArg("isv.invalid-format", "无效的数据格式")
	}
	if fail := e.checkTimestamp(p.Get("timestamp")); fail != nil {
		return fail
	}
	return e.checkSignature(c)
}

// checkTimestamp rejects an unparseable timestamp and logs clock skew, which
// is how a client sending UTC instead of Beijing time shows up.
func (e *Emulator) checkTimestamp(ts string) *failure {
	t, err := alipay.ParseTime(ts)
	if err != nil {
		return invalidArg("isv.invalid-timestamp", "非法的时间戳参数: want yyyy-MM-dd HH:mm:ss (Beijing time)")
	}
	skew := e.now().Sub(t).Round(time.Second)
	if skew > 5*time.Minute || skew < -5*time.Minute {
		e.log.Warn("request timestamp is off; is the client sending Beijing time?", "timestamp", ts, "skew", skew)
	} else {
		e.log.Debug("request timestamp", "timestamp", ts, "skew", skew)
	}
	return nil
}

// checkSignature verifies sign with the app public key over the documented
// string (empty values left out) and, failing that, over the string the
// Node SDK signs (empty values kept), so that both kinds of client pass.
func (e *Emulator) checkSignature(c *call) *failure {
	sig := c.params.Get("sign")
	content := alipay.RequestSigningString(c.params)
	if alipay.Verify(e.cfg.AppPublicKey, c.signType, []byte(content), sig) == nil {
		return nil
	}
	if withEmpty := signingStringKeepEmpty(c.params); withEmpty != content &&
		alipay.Verify(e.cfg.AppPublicKey, c.signType, []byte(withEmpty), sig) == nil {
		e.log.Warn("request signed with empty parameters included; Alipay's documented rule leaves them out")
		return nil
	}
	return invalidArg(alipay.SubCodeInvalidSignature,
		"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为："+content)
}

// signingStringKeepEmpty is the Node SDK's variant of the request signing
// string: like alipay.RequestSigningString but with empty values kept as
// "k=".
func signingStringKeepEmpty(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k, vs := range params {
		if k != "sign" && len(vs) > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + params[k][0])
	}
	return b.String()
}
