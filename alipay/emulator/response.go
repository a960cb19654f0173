package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"kiosk/alipay"
)

// Result codes of the gateway's envelope, with the msg Alipay pairs with
// each.
const (
	codeSuccess     = "10000"
	codeUnavailable = "20000"
	codeMissing     = "40001"
	codeInvalid     = "40002"
	codeBusiness    = "40004"
)

// codeMsg is the msg that goes with each code.
var codeMsg = map[string]string{
	codeSuccess:     "Success",
	codeWaiting:     "Order success pay inprocess",
	codeUnavailable: "Service Currently Unavailable",
	codeMissing:     "Missing Required Arguments",
	codeInvalid:     "Invalid Arguments",
	codeBusiness:    "Business Failed",
}

// field is one string member of a response object. Alipay writes every
// value of these responses as a JSON string, amounts included.
type field struct {
	key, value string
}

// failure is a non-10000 answer: the envelope codes plus any fields Alipay
// adds to that particular error.
type failure struct {
	code, subCode, subMsg string
	fields                []field
}

// missingArg, invalidArg and businessFailed build the three kinds of failure.
func missingArg(subCode, subMsg string) *failure {
	return &failure{code: codeMissing, subCode: subCode, subMsg: subMsg}
}

func invalidArg(subCode, subMsg string) *failure {
	return &failure{code: codeInvalid, subCode: subCode, subMsg: subMsg}
}

func businessFailed(subCode, subMsg string, fields ...field) *failure {
	return &failure{code: codeBusiness, subCode: subCode, subMsg: subMsg, fields: fields}
}

// reply is a gateway answer before it is written. Keeping it a value lets
// the fault layer damage it (wrong signature, no signature, cut short)
// without knowing how it was produced.
type reply struct {
	method   string          // sign under ResponseKey(method); "" for an unsigned error_response
	signType alipay.SignType // algorithm of the response signature
	body     []byte          // the exact bytes of the *_response object
}

// successBody writes {"code":"10000","msg":"Success",...fields}.
func successBody(fields []field) []byte {
	return responseObject(codeSuccess, "", "", fields)
}

// body writes the failure's response object.
func (f *failure) body() []byte {
	return responseObject(f.code, f.subCode, f.subMsg, f.fields)
}

// responseObject lays out a response the way Alipay does: code, msg,
// sub_code, sub_msg, then the other members sorted by key. Members with an
// empty value are left out, as Alipay leaves out absent ones.
func responseObject(code, subCode, subMsg string, fields []field) []byte {
	head := []field{{"code", code}, {"msg", codeMsg[code]}, {"sub_code", subCode}, {"sub_msg", subMsg}}
	return writeObject(append(head, sortedFields(fields)...))
}

// sortedFields is a copy of fields sorted by key.
func sortedFields(fields []field) []field {
	sorted := slices.Clone(fields)
	slices.SortStableFunc(sorted, func(a, b field) int { return strings.Compare(a.key, b.key) })
	return sorted
}

// writeObject writes fields in order as a JSON object of strings, leaving
// out empty values.
func writeObject(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.Write(jsonString(f.key))
		b.WriteByte(':')
		b.Write(jsonString(f.value))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// jsonString quotes s as Alipay's JSON writer does: non-ASCII text raw,
// no HTML escaping of <, > and &, and '/' written as `\/`. Go's escapes
// never contain '/', so replacing it after quoting touches only the text.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes (invalid UTF-8 becomes U+FFFD)
	quoted := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return bytes.ReplaceAll(quoted, []byte("/"), []byte(`\/`))
}

// encodeReply lays out rep: signed under the method's response key, or as
// an unsigned error_response when rep.method is empty.
func (e *Emulator) encodeReply(rep reply) ([]byte, error) {
	if rep.method == "" {
		return append(append([]byte(`{"error_response":`), rep.body...), '}'), nil
	}
	return alipay.SignResponse(e.cfg.AlipayPrivateKey, rep.signType, rep.method, rep.body)
}

// writeReply sends rep as encodeReply lays it out.
func (e *Emulator) writeReply(w http.ResponseWriter, rep reply) {
	out, err := e.encodeReply(rep)
	if err != nil {
		e.log.Error("sign response", "method", rep.method, "err", err)
		http.Error(w, "emulator: sign response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = w.Write(out)
}
