package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"kiosk/alipay"
)

// V3Window is how far a v3 request's timestamp may be from the emulator's
// clock, either way, before the request is refused as stale.
const V3Window = 5 * time.Minute

// v3Reply is a v3 answer before it is written, so that the fault layer
// can damage it.
type v3Reply struct {
	status int
	body   []byte
}

// v3Fail is a v3 failure: an HTTP status with Alipay's code and message.
type v3Fail struct {
	status        int
	code, message string
}

// serveV3 is /v3/...: the same methods and trades as /gateway.do, in the
// v3 protocol, with the same faults.
func (e *Emulator) serveV3(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		status := http.StatusBadRequest
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "emulator: "+err.Error(), status)
		return
	}
	c := &call{method: alipay.V3Method(r.URL.Path), signType: alipay.RSA2, baseURL: baseURL(r), v3: true}
	kind, latency := e.drawFault(c.method)
	var rep v3Reply
	if kind == faultSystemError {
		rep = e.v3SystemError(c)
	} else {
		rep = e.v3Gateway(c, r, body)
	}
	if latency > 0 && !sleep(r.Context(), latency) {
		return
	}
	if kind != faultNone {
		e.log.Warn("fault injected", "method", c.method, "protocol", "v3", "fault", kind.String())
	}
	e.writeV3Faulty(w, r, rep, kind)
}

// v3Gateway authenticates the request, then runs its method.
func (e *Emulator) v3Gateway(c *call, r *http.Request, body []byte) v3Reply {
	fn := methods[c.method]
	if fn == nil {
		e.log.Info("gateway", "protocol", "v3", "path", r.URL.Path, "status", http.StatusNotFound)
		return v3Fail{http.StatusNotFound, "invalid-method", "不存在的方法名: " + r.URL.Path}.reply(c.baseURL)
	}
	if f := e.checkV3Auth(r, body); f != nil {
		e.log.Info("gateway", "method", c.method, "protocol", "v3", "status", f.status, "code", f.code, "message", f.message)
		return f.reply(c.baseURL)
	}
	c.params = v3Params(r, body)
	fields, fail := fn(e, c)
	e.logCall(c, fields, fail)
	if fail != nil && fail.code == codeWaiting {
		// v3 has no 10003: a pay the buyer must confirm is a 200 whose
		// fields say so by leaving out gmt_payment.
		fields, fail = fail.fields, nil
	}
	if fail != nil {
		return v3FromFailure(fail).reply(c.baseURL)
	}
	return v3Reply{status: http.StatusOK, body: v3Object(fields)}
}

// v3Params gives a v3 request the shape the methods read: the JSON body
// (or, for a GET, the query as a JSON object of strings) as biz_content,
// and the body's notify_url as the common parameter.
func v3Params(r *http.Request, body []byte) url.Values {
	if r.Method == http.MethodGet {
		q := map[string]string{}
		for k, vs := range r.URL.Query() {
			q[k] = vs[0]
		}
		body, _ = json.Marshal(q) // a map of strings always encodes
	}
	p := url.Values{"biz_content": {string(body)}}
	var top struct {
		NotifyURL string `json:"notify_url"`
	}
	if json.Unmarshal(body, &top) == nil && top.NotifyURL != "" {
		p.Set("notify_url", top.NotifyURL)
	}
	return p
}

// checkV3Auth refuses a request whose authorization is missing or
// malformed, names another app, is stale, does not verify with the app
// public key, or repeats a nonce. The codes are the v2 ones without their
// isv. prefix, after the way Alipay writes v3 gateway codes.
func (e *Emulator) checkV3Auth(r *http.Request, body []byte) *v3Fail {
	header := r.Header.Get("Authorization")
	if header == "" {
		return &v3Fail{http.StatusUnauthorized, "missing-signature", "缺少签名参数: no authorization header"}
	}
	a, err := alipay.ParseV3Authorization(header)
	if err != nil {
		return &v3Fail{http.StatusUnauthorized, alipay.SubCodeV3InvalidSignature, "无效的签名: " + err.Error()}
	}
	if a.AppID != e.cfg.AppID {
		return &v3Fail{http.StatusUnauthorized, alipay.SubCodeV3InvalidAppID, "无效的AppID参数"}
	}
	now := e.now()
	if skew := now.Sub(a.Timestamp); skew > V3Window || skew < -V3Window {
		return &v3Fail{http.StatusUnauthorized, "invalid-timestamp",
			"时间戳超出有效范围: the request was signed " + skew.Round(time.Second).String() + " away from the gateway's clock"}
	}
	content := alipay.V3SigningString(a.AuthString, r.Method, requestURI(r), body, r.Header.Get(alipay.HeaderV3AppAuthToken))
	if alipay.Verify(e.cfg.AppPublicKey, alipay.RSA2, []byte(content), a.Sign) != nil {
		return &v3Fail{http.StatusUnauthorized, alipay.SubCodeV3InvalidSignature,
			"验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + strconv.Quote(content)}
	}
	if why := e.nonces.use(a.Nonce, a.Timestamp, now); why != "" {
		return &v3Fail{http.StatusUnauthorized, "invalid-nonce", why}
	}
	return nil
}

// requestURI is the path and query exactly as the client sent them, which
// is what it signed.
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// v3FromFailure turns a method's v2 failure into its v3 form: business
// failures (ACQ.*) and parameter errors are 400, an unavailable service
// 503; isv. codes lose their prefix.
func v3FromFailure(f *failure) v3Fail {
	switch f.code {
	case codeUnavailable:
		return v3Fail{http.StatusServiceUnavailable, f.subCode, f.subMsg}
	case codeMissing, codeInvalid:
		return v3Fail{http.StatusBadRequest, strings.TrimPrefix(f.subCode, "isv."), f.subMsg}
	}
	return v3Fail{http.StatusBadRequest, f.subCode, f.subMsg}
}

// reply writes f as {"code":…,"message":…,"links":[…]}, the link pointing
// at the emulator's trade list.
func (f v3Fail) reply(base string) v3Reply {
	var b bytes.Buffer
	b.WriteString(`{"code":`)
	b.Write(jsonString(f.code))
	b.WriteString(`,"message":`)
	b.Write(jsonString(f.message))
	b.WriteString(`,"links":[{"link":`)
	b.Write(jsonString(base + "/"))
	b.WriteString(`,"desc":`)
	b.Write(jsonString("emulator trade list"))
	b.WriteString(`}]}`)
	return v3Reply{status: f.status, body: b.Bytes()}
}

// v3Object writes a success body: the fields sorted by key, string values,
// empty ones left out, written like v2's ('/' as `\/`, non-ASCII raw).
func v3Object(fields []field) []byte {
	return writeObject(sortedFields(fields))
}

// v3SystemError is the answer of an unavailable gateway: signed, 503,
// nothing done.
func (e *Emulator) v3SystemError(c *call) v3Reply {
	fail := &failure{code: codeUnavailable, subCode: "isp.unknow-error", subMsg: "系统繁忙"}
	e.logCall(c, nil, fail)
	return v3FromFailure(fail).reply(c.baseURL)
}

// writeV3Faulty writes rep signed in the alipay-timestamp, alipay-nonce
// and alipay-signature headers over its exact bytes, damaged as kind says.
// A malformed answer is cut short and signed as cut, so that it verifies
// and then fails to parse, as a gateway that wrote broken JSON would.
func (e *Emulator) writeV3Faulty(w http.ResponseWriter, r *http.Request, rep v3Reply, kind faultKind) {
	if writeNoAnswer(w, kind) {
		return
	}
	body := rep.body
	if kind == faultMalformed {
		body = body[:len(body)/2]
	}
	signed := body
	if kind == faultBadSignature {
		signed = append(slices.Clip(body), ' ') // a genuine signature over other bytes
	}
	h := w.Header()
	if kind != faultUnsigned {
		ts, nonce := strconv.FormatInt(e.now().UnixMilli(), 10), alipay.NewNonce()
		sig, err := alipay.SignV3Response(e.cfg.AlipayPrivateKey, ts, nonce, signed)
		if err != nil {
			e.log.Error("sign response", "method", alipay.V3Method(r.URL.Path), "err", err)
			http.Error(w, "emulator: sign response: "+err.Error(), http.StatusInternalServerError)
			return
		}
		h.Set(alipay.HeaderV3Timestamp, ts)
		h.Set(alipay.HeaderV3Nonce, nonce)
		h.Set(alipay.HeaderV3Signature, sig)
	}
	h.Set(alipay.HeaderV3TraceID, strings.ReplaceAll(alipay.NewNonce(), "-", ""))
	h.Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}
