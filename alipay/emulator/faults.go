package emulator

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/alipay"
)

// Faults describes what goes wrong on the gateway, for tests and
// demonstrations. The zero value is a healthy gateway.
//
// Each gateway request of a matching method waits Latency, then suffers at
// most one of the rate faults: one number is drawn per request and the
// rates are the probabilities of disjoint outcomes, so they add up to at
// most 1. The draws come from a PCG generator seeded with Seed, so a
// sequential test sees the same faults on every run.
type Faults struct {
	// Latency delays every answer (the method runs first, so a client
	// that gives up meanwhile has a trade in an unknown state).
	Latency time.Duration
	// ResetRate: the connection is closed with a TCP reset, no response.
	ResetRate float64
	// HTTP5xxRate: 502 Bad Gateway with an HTML page, as from Alipay's
	// front proxies.
	HTTP5xxRate float64
	// MalformedRate: the response is cut in the middle of its JSON.
	MalformedRate float64
	// BadSignatureRate: a well-formed response whose sign is for other
	// bytes.
	BadSignatureRate float64
	// UnsignedRate: a well-formed response without sign.
	UnsignedRate float64
	// SystemErrorRate: the method does not run; the answer is a signed
	// 20000 "Service Currently Unavailable" with sub_code isp.unknow-error.
	SystemErrorRate float64
	// CancelRetries: the first N alipay.trade.cancel calls for each trade
	// do nothing and answer 40004 ACQ.SYSTEM_ERROR with retry_flag Y.
	// Methods does not limit it.
	CancelRetries int
	// Methods limits Latency and the rates to these API methods; empty
	// means all of them.
	Methods []string
	// Seed seeds the generator that draws the rate faults.
	Seed int64
}

// faultKind is what one gateway request suffers.
type faultKind int

const (
	faultNone faultKind = iota
	faultReset
	fault5xx
	faultMalformed
	faultBadSignature
	faultUnsigned
	faultSystemError
)

// faultNames are the spec keys of the rate faults, in draw order.
var faultNames = []string{faultReset: "reset", fault5xx: "5xx", faultMalformed: "malformed",
	faultBadSignature: "badsig", faultUnsigned: "unsigned", faultSystemError: "syserr"}

// String returns the fault's spec key.
func (k faultKind) String() string {
	if k <= faultNone || int(k) >= len(faultNames) {
		return "none"
	}
	return faultNames[k]
}

// rates returns pointers to the rate fields in faultKind order (index 0
// unused), so that parsing and drawing share one list.
func (f *Faults) rates() []*float64 {
	return []*float64{nil, &f.ResetRate, &f.HTTP5xxRate, &f.MalformedRate, &f.BadSignatureRate, &f.UnsignedRate, &f.SystemErrorRate}
}

// FaultSpecError is a fault spec (or Faults) the emulator refuses: what
// is wrong, with the facts a message says it with. Error is a diagnostic
// in English; a person reads the Problem in words.
type FaultSpecError struct {
	Problem FaultSpecProblem
	Key     string   // the setting: "reset", "latency"…; for FaultNotKeyValue the item as written
	Value   string   // its value as written (a method's name for FaultUnknownMethod)
	Known   []string // for FaultUnknownKey and FaultUnknownMethod: the ones there are
	Sum     float64  // for FaultRatesSum: what the rates add up to
	text    string
}

// FaultSpecProblem is what is wrong in a fault spec.
type FaultSpecProblem string

// The problems of a fault spec.
const (
	FaultNotKeyValue   FaultSpecProblem = "not-key-value"  // an item without key=value
	FaultGivenTwice    FaultSpecProblem = "given-twice"    // a key given twice
	FaultUnknownKey    FaultSpecProblem = "unknown-key"    // a key that is none of the spec's
	FaultBadRate       FaultSpecProblem = "bad-rate"       // a rate that is no number in [0, 1] (0% to 100%)
	FaultBadDuration   FaultSpecProblem = "bad-duration"   // a latency that is no Go duration
	FaultBadNumber     FaultSpecProblem = "bad-number"     // a count or seed that is no whole number
	FaultNegative      FaultSpecProblem = "negative"       // a latency or count below zero
	FaultRatesSum      FaultSpecProblem = "rates-sum"      // rates adding up to more than 1
	FaultUnknownMethod FaultSpecProblem = "unknown-method" // a method the gateway does not serve
)

func (e *FaultSpecError) Error() string { return "emulator faults: " + e.text }

// faultSpecError is a FaultSpecError with its English diagnostic.
func faultSpecError(e FaultSpecError, format string, args ...any) *FaultSpecError {
	e.text = fmt.Sprintf(format, args...)
	return &e
}

// validate reports the first problem in f, a *FaultSpecError.
func (f *Faults) validate() error {
	if f.Latency < 0 {
		return faultSpecError(FaultSpecError{Problem: FaultNegative, Key: "latency", Value: f.Latency.String()},
			"latency %v is negative", f.Latency)
	}
	var sum float64
	for k, r := range f.rates() {
		if r == nil {
			continue
		}
		if math.IsNaN(*r) || *r < 0 || *r > 1 {
			return faultSpecError(FaultSpecError{Problem: FaultBadRate, Key: faultKind(k).String(), Value: strconv.FormatFloat(*r, 'g', -1, 64)},
				"%s rate %v is outside [0, 1]", faultKind(k), *r)
		}
		sum += *r
	}
	if sum > 1+1e-9 {
		return faultSpecError(FaultSpecError{Problem: FaultRatesSum, Sum: sum},
			"the rates add up to %v; each request suffers at most one fault, so they must add up to at most 1", sum)
	}
	if f.CancelRetries < 0 {
		return faultSpecError(FaultSpecError{Problem: FaultNegative, Key: "cancel-retries", Value: strconv.Itoa(f.CancelRetries)},
			"cancel-retries %d is negative", f.CancelRetries)
	}
	for _, m := range f.Methods {
		if methods[m] == nil {
			return faultSpecError(FaultSpecError{Problem: FaultUnknownMethod, Key: "methods", Value: m, Known: methodNames()},
				"unknown method %q (known: %s)", m, strings.Join(methodNames(), ", "))
		}
	}
	return nil
}

// methodNames lists the gateway's methods, sorted.
func methodNames() []string {
	names := make([]string, 0, len(methods))
	for m := range methods {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}

// String renders f in ParseFaults's syntax ("none" for no faults), keys in
// a fixed order.
func (f Faults) String() string {
	var parts []string
	if f.Latency != 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	for k, r := range f.rates() {
		if r != nil && *r != 0 {
			parts = append(parts, faultKind(k).String()+"="+strconv.FormatFloat(*r, 'g', -1, 64))
		}
	}
	if f.CancelRetries != 0 {
		parts = append(parts, "cancel-retries="+strconv.Itoa(f.CancelRetries))
	}
	if len(f.Methods) > 0 {
		parts = append(parts, "methods="+strings.Join(f.Methods, "+"))
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatInt(f.Seed, 10))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// ParseFaults reads a fault spec such as
// "latency=2s,reset=0.1,5xx=0.2,malformed=0.1,badsig=0.1,unsigned=0.1,syserr=0.2,cancel-retries=2,methods=alipay.trade.query,seed=7":
// comma-separated key=value items; latency is a Go duration, the rates
// (reset, 5xx, malformed, badsig, unsigned, syserr) are numbers in [0, 1]
// or percentages ("10%"), several methods are joined with '+'. "" and
// "none" mean no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" {
		return f, nil
	}
	seen := map[string]bool{}
	for item := range strings.SplitSeq(spec, ",") {
		key, val, ok := strings.Cut(item, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" || val == "" {
			item = strings.TrimSpace(item)
			return Faults{}, faultSpecError(FaultSpecError{Problem: FaultNotKeyValue, Key: item}, "%q is not key=value", item)
		}
		if seen[key] {
			return Faults{}, faultSpecError(FaultSpecError{Problem: FaultGivenTwice, Key: key}, "%s given twice", key)
		}
		seen[key] = true
		if problem, err := f.set(key, val); err != nil {
			e := FaultSpecError{Problem: problem, Key: key, Value: val}
			if problem == FaultUnknownKey {
				e.Known = faultKeys()
			}
			return Faults{}, faultSpecError(e, "%s=%s: %v", key, val, err)
		}
	}
	return f, f.validate()
}

// faultKeys are the keys of a spec, in the order ParseFaults documents.
func faultKeys() []string {
	return slices.Concat([]string{"latency"}, faultNames[1:], []string{"cancel-retries", "methods", "seed"})
}

// set applies one key=value item of a spec; an error comes with its
// problem.
func (f *Faults) set(key, val string) (FaultSpecProblem, error) {
	if i := slices.Index(faultNames, key); i > 0 {
		r, err := parseRate(val)
		*f.rates()[i] = r
		return FaultBadRate, err
	}
	var err error
	problem := FaultBadNumber
	switch key {
	case "latency":
		f.Latency, err = time.ParseDuration(val)
		problem = FaultBadDuration
	case "cancel-retries":
		f.CancelRetries, err = strconv.Atoi(val)
	case "methods":
		f.Methods = strings.Split(val, "+")
	case "seed":
		f.Seed, err = strconv.ParseInt(val, 10, 64)
	default:
		return FaultUnknownKey, fmt.Errorf("unknown key (known: %s)", strings.Join(faultKeys(), ", "))
	}
	if ne, ok := errors.AsType[*strconv.NumError](err); ok {
		err = ne.Err // the key and value are already in the message
	}
	return problem, err
}

// parseRate reads "0.25" or "25%".
func parseRate(s string) (float64, error) {
	pct, isPct := strings.CutSuffix(s, "%")
	r, err := strconv.ParseFloat(pct, 64)
	if err != nil {
		return 0, errors.New("not a number")
	}
	if isPct {
		r /= 100
	}
	if math.IsNaN(r) || r < 0 || r > 1 {
		return 0, errors.New("a rate must be between 0 and 1 (or 0% and 100%)")
	}
	return r, nil
}

// faultState is the faults in force and the generator drawing them.
type faultState struct {
	mu      sync.Mutex
	f       Faults
	rng     *rand.Rand
	cancels map[string]int // cancel calls answered with a retry, per trade
}

// SetFaults replaces the faults in force, restarting the generator from
// f.Seed and the CancelRetries count of every trade. It is safe to call
// while requests are served.
func (e *Emulator) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	f.Methods = slices.Clone(f.Methods)
	e.faults.mu.Lock()
	e.faults.f = f
	e.faults.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0))
	e.faults.cancels = map[string]int{}
	e.faults.mu.Unlock()
	e.log.Info("faults set", "faults", f.String())
	return nil
}

// Faults returns the faults in force.
func (e *Emulator) Faults() Faults {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	f := e.faults.f
	f.Methods = slices.Clone(f.Methods)
	return f
}

// drawFault decides what a gateway request for method suffers. Requests
// with an unknown method are never faulted: they have no response key.
func (e *Emulator) drawFault(method string) (faultKind, time.Duration) {
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := &fs.f
	if methods[method] == nil || len(f.Methods) > 0 && !slices.Contains(f.Methods, method) {
		return faultNone, 0
	}
	rates := f.rates()
	var sum float64
	for _, r := range rates[1:] {
		sum += *r
	}
	if sum == 0 {
		return faultNone, f.Latency
	}
	u := fs.rng.Float64()
	for k, r := range rates[1:] {
		if u < *r {
			return faultKind(k + 1), f.Latency
		}
		u -= *r
	}
	return faultNone, f.Latency
}

// cancelRetry reports whether this cancel of ref is one of the first
// CancelRetries for its trade, to be answered with retry_flag Y.
func (e *Emulator) cancelRetry(ref tradeRef) bool {
	fs := &e.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.f.CancelRetries == 0 {
		return false
	}
	key := "out_trade_no:" + ref.OutTradeNo
	if ref.OutTradeNo == "" {
		key = "trade_no:" + ref.TradeNo
	}
	if fs.cancels[key] >= fs.f.CancelRetries {
		return false
	}
	fs.cancels[key]++
	e.log.Warn("fault injected", "method", alipay.MethodCancel, "fault", "cancel-retry", "n", fs.cancels[key],
		"out_trade_no", ref.OutTradeNo, "trade_no", ref.TradeNo)
	return true
}

// badGatewayPage is what Alipay's front proxies (Tengine) answer when the
// gateway behind them fails.
const badGatewayPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>Tengine</center>
</body>
</html>
`

// systemError is the answer of a gateway that is not available: signed,
// under the method's key, and nothing done.
func (e *Emulator) systemError(c *call) reply {
	c.method = c.params.Get("method")
	rep := reply{method: c.method, signType: requestSignType(c.params)}
	fail := &failure{code: codeUnavailable, subCode: "isp.unknow-error", subMsg: "系统繁忙"}
	e.logCall(c, nil, fail)
	rep.body = fail.body()
	return rep
}

// writeFaulty writes rep, damaged as kind says.
func (e *Emulator) writeFaulty(w http.ResponseWriter, rep reply, kind faultKind) {
	switch kind {
	case faultNone, faultSystemError:
		e.writeReply(w, rep)
		return
	}
	if writeNoAnswer(w, kind) {
		return
	}
	out, err := e.encodeReply(rep)
	if err != nil {
		e.log.Error("sign response", "method", rep.method, "err", err)
		http.Error(w, "emulator: sign response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	switch kind {
	case faultMalformed:
		out = out[:len(out)/2]
	case faultUnsigned:
		out = envelope(rep.method, rep.body, "")
	case faultBadSignature:
		// A genuine signature, over bytes that differ by one space.
		sig, err := alipay.Sign(e.cfg.AlipayPrivateKey, rep.signType, append(slices.Clip(rep.body), ' '))
		if err != nil {
			e.log.Error("sign response", "method", rep.method, "err", err)
		}
		out = envelope(rep.method, rep.body, sig)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = w.Write(out)
}

// writeNoAnswer plays the faults that leave no gateway answer, a reset
// and a proxy's 502 page, the same in both protocols, and reports whether
// kind was one of them.
func writeNoAnswer(w http.ResponseWriter, kind faultKind) bool {
	switch kind {
	case faultReset:
		resetConn(w)
	case fault5xx:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(badGatewayPage))
	default:
		return false
	}
	return true
}

// envelope lays out a response like alipay.SignResponse, with the given
// sign ("" for none).
func envelope(method string, body []byte, sig string) []byte {
	out := append([]byte(`{"`+alipay.ResponseKey(method)+`":`), body...)
	if sig != "" {
		out = append(out, `,"sign":"`+sig+`"`...)
	}
	return append(out, '}')
}

// resetConn drops the connection without a response: a TCP reset where the
// connection can be taken over, an aborted response otherwise.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST, not FIN
	}
	_ = conn.Close()
}
