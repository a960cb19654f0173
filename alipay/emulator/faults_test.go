package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/alipay"
)

func TestFaultsSeenByClient(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		check  func(error) bool
		ran    bool // the precreate took effect despite the fault
	}{
		{"reset", Faults{ResetRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrTransport) && alipay.IsRetryable(err)
		}, true},
		{"5xx", Faults{HTTP5xxRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrTransport) && alipay.IsRetryable(err) && strings.Contains(err.Error(), "502")
		}, true},
		{"malformed", Faults{MalformedRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrUnexpectedResponse)
		}, true},
		{"badsig", Faults{BadSignatureRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrBadSignature)
		}, true},
		{"unsigned", Faults{UnsignedRate: 1}, func(err error) bool {
			return errors.Is(err, alipay.ErrNotSigned)
		}, true},
		{"syserr", Faults{SystemErrorRate: 1}, func(err error) bool {
			var e *alipay.Error
			return alipay.IsRetryable(err) && errors.As(err, &e) && e.Code == "20000" &&
				e.Msg == "Service Currently Unavailable" && e.SubCode == "isp.unknow-error"
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, func(c *Config) { c.Faults = &tc.faults })
			c := newClient(t, s)
			_, err := c.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"})
			if err == nil || !tc.check(err) {
				t.Errorf("Precreate: %v", err)
			}
			if _, ok := s.Trade("K1"); ok != tc.ran {
				t.Errorf("trade exists: %v, want %v", ok, tc.ran)
			}
			if err := s.SetFaults(Faults{}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"}); err != nil {
				t.Errorf("Precreate without faults: %v", err)
			}
		})
	}
}

func TestFaultBodies(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Faults = &Faults{HTTP5xxRate: 1} })
	resp, err := http.Post(h.srv.URL+"/gateway.do?"+h.signedRequest(methodQuery, `{"out_trade_no":"T1"}`).Encode(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if body := string(readBody(t, resp, http.StatusBadGateway)); !strings.Contains(body, "<h1>502 Bad Gateway</h1>") {
		t.Errorf("5xx body %q", body)
	}

	check := func(f Faults, want func(raw []byte) bool) {
		t.Helper()
		if err := h.e.SetFaults(f); err != nil {
			t.Fatal(err)
		}
		if raw := h.post(h.signedRequest(methodQuery, `{"out_trade_no":"T1"}`)); !want(raw) {
			t.Errorf("%v: %s", f, raw)
		}
	}
	check(Faults{MalformedRate: 1}, func(raw []byte) bool {
		return !json.Valid(raw) && strings.HasPrefix(string(raw), `{"alipay_trade_query_response":{"code":"40004"`)
	})
	check(Faults{UnsignedRate: 1}, func(raw []byte) bool {
		return json.Valid(raw) && !strings.Contains(string(raw), `"sign"`)
	})
	check(Faults{BadSignatureRate: 1}, func(raw []byte) bool {
		_, err := alipay.VerifyResponse(h.keys.AlipayPublic, alipay.RSA2, methodQuery, raw)
		return json.Valid(raw) && strings.Contains(string(raw), `},"sign":"`) && errors.Is(err, alipay.ErrBadSignature)
	})
	check(Faults{SystemErrorRate: 1}, func(raw []byte) bool {
		m := h.verified(methodQuery, raw)
		return m["code"] == "20000" && m["sub_msg"] != ""
	})
	// Unknown methods have no response key and are never faulted.
	check(Faults{MalformedRate: 1}, func([]byte) bool { return true })
	p := h.signedRequest("alipay.trade.create", `{}`)
	if raw := h.post(p); !json.Valid(raw) {
		t.Errorf("unknown method faulted: %s", raw)
	}
}

func TestFaultMethods(t *testing.T) {
	s := startServer(t, func(c *Config) { c.Faults = &Faults{ResetRate: 1, Methods: []string{alipay.MethodQuery}} })
	c := newClient(t, s)
	if _, err := c.Precreate(t.Context(), &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"}); err != nil {
		t.Fatalf("Precreate: %v", err)
	}
	if _, err := c.Query(t.Context(), &alipay.QueryRequest{OutTradeNo: "K1"}); !errors.Is(err, alipay.ErrTransport) {
		t.Errorf("Query: %v", err)
	}
}

func TestFaultLatency(t *testing.T) {
	s := startServer(t, func(c *Config) { c.Faults = &Faults{Latency: time.Hour} })
	c := newClient(t, s)
	// The caller gives up once the emulator holds the trade, not after a
	// fixed time: on a loaded machine a short deadline could pass before
	// the request even arrived.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	created := make(chan struct{})
	go func() {
		defer close(created)
		for ctx.Err() == nil {
			if _, ok := s.Trade("K1"); ok {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: "K1", TotalFen: 100, Subject: "s"})
	<-created
	// The method ran before the delay: the kiosk's unknown outcome.
	if _, ok := s.Trade("K1"); !ok {
		t.Error("the delayed precreate did not take effect")
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, alipay.ErrTransport) {
		t.Errorf("Precreate: %v", err)
	}
}

func TestCancelRetries(t *testing.T) {
	s := startServer(t, func(c *Config) { c.Faults = &Faults{CancelRetries: 2, Methods: []string{alipay.MethodQuery}} })
	c := newClient(t, s)
	ctx := t.Context()
	for _, no := range []string{"K1", "K2"} {
		if _, err := c.Precreate(ctx, &alipay.PrecreateRequest{OutTradeNo: no, TotalFen: 100, Subject: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		_, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K1"})
		var e *alipay.Error
		if !errors.As(err, &e) || e.SubCode != alipay.SubCodeSystemError || !e.Retryable() || !strings.Contains(string(e.Raw), `"retry_flag":"Y"`) {
			t.Fatalf("cancel %d: %v", i+1, err)
		}
		if tr, _ := s.Trade("K1"); tr.Status != StatusPrecreated {
			t.Fatalf("cancel %d with retry_flag Y changed the trade: %s", i+1, tr.Status)
		}
	}
	cr, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K1"})
	if err != nil || cr.Action != "close" || cr.RetryFlag {
		t.Fatalf("third cancel: %+v, %v", cr, err)
	}
	// The count is per trade.
	if _, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K2"}); !alipay.IsRetryable(err) {
		t.Errorf("first cancel of K2: %v", err)
	}
	// SetFaults starts the count again.
	if err := s.SetFaults(Faults{CancelRetries: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Cancel(ctx, &alipay.CancelRequest{OutTradeNo: "K1"}); !alipay.IsRetryable(err) {
		t.Errorf("cancel after SetFaults: %v", err)
	}
}

// drawKinds draws n faults for the query method.
func drawKinds(e *Emulator, n int) []faultKind {
	out := make([]faultKind, n)
	for i := range out {
		out[i], _ = e.drawFault(alipay.MethodQuery)
	}
	return out
}

func TestFaultDrawsAreRepeatable(t *testing.T) {
	f := Faults{ResetRate: 0.1, HTTP5xxRate: 0.1, MalformedRate: 0.1, BadSignatureRate: 0.1, UnsignedRate: 0.1, SystemErrorRate: 0.1, Seed: 42}
	newEmu := func() *Emulator {
		cfg := testConfig(t)
		cfg.Faults = &f
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := newEmu(), newEmu()
	first := drawKinds(a, 1000)
	if !reflect.DeepEqual(first, drawKinds(b, 1000)) {
		t.Error("two emulators with the same seed drew different faults")
	}
	counts := map[faultKind]int{}
	for _, k := range first {
		counts[k]++
	}
	for k := faultNone; k <= faultSystemError; k++ {
		lo, hi := 60, 140 // 10% of 1000, loosely
		if k == faultNone {
			lo, hi = 340, 460
		}
		if counts[k] < lo || counts[k] > hi {
			t.Errorf("%s drawn %d times in 1000", k, counts[k])
		}
	}
	// SetFaults restarts the sequence.
	if err := a.SetFaults(f); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first[:50], drawKinds(a, 50)) {
		t.Error("SetFaults did not restart the generator")
	}
	f.Seed = 43
	if err := a.SetFaults(f); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(first[:50], drawKinds(a, 50)) {
		t.Error("another seed drew the same faults")
	}
}

func TestSetFaultsConcurrently(t *testing.T) {
	h := newHarnessWith(t, func(*Config) {})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 10 {
				f := Faults{MalformedRate: float64((i+j)%2) / 2, Seed: int64(j)}
				if err := h.e.SetFaults(f); err != nil {
					t.Error(err)
				}
				_ = h.e.Faults()
			}
		})
		wg.Go(func() {
			for range 5 {
				h.post(h.signedRequest(methodQuery, `{"out_trade_no":"T1"}`))
			}
		})
	}
	wg.Wait()
}

func TestInvalidFaultsRefused(t *testing.T) {
	bad := []Faults{
		{ResetRate: 1.5},
		{ResetRate: -0.1},
		{ResetRate: 0.6, SystemErrorRate: 0.6},
		{Latency: -time.Second},
		{CancelRetries: -1},
		{Methods: []string{"alipay.trade.create"}},
	}
	h := newHarness(t)
	for _, f := range bad {
		if err := h.e.SetFaults(f); err == nil {
			t.Errorf("SetFaults(%+v) accepted", f)
		}
		cfg := testConfig(t)
		cfg.Faults = &f
		if _, err := New(cfg); err == nil {
			t.Errorf("New with Faults %+v accepted", f)
		}
	}
	if got := h.e.Faults(); got.String() != "none" {
		t.Errorf("refused faults took effect: %v", got)
	}
}

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec string
		want Faults
	}{
		{"", Faults{}},
		{"none", Faults{}},
		{"latency=2s,reset=0.1,5xx=0.2,malformed=0.1,badsig=0.1,unsigned=0.1,syserr=0.2,cancel-retries=2,methods=alipay.trade.query",
			Faults{Latency: 2 * time.Second, ResetRate: 0.1, HTTP5xxRate: 0.2, MalformedRate: 0.1, BadSignatureRate: 0.1,
				UnsignedRate: 0.1, SystemErrorRate: 0.2, CancelRetries: 2, Methods: []string{"alipay.trade.query"}}},
		{" reset = 25% , seed=-7 ", Faults{ResetRate: 0.25, Seed: -7}},
		{"methods=alipay.trade.query+alipay.trade.cancel,syserr=1", Faults{SystemErrorRate: 1,
			Methods: []string{"alipay.trade.query", "alipay.trade.cancel"}}},
		{"latency=150ms", Faults{Latency: 150 * time.Millisecond}},
	}
	for _, tc := range tests {
		got, err := ParseFaults(tc.spec)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
			continue
		}
		// String is the spec again.
		again, err := ParseFaults(got.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("ParseFaults(%q.String() = %q) = %+v, %v", tc.spec, got.String(), again, err)
		}
	}
}

func TestParseFaultsErrors(t *testing.T) {
	tests := []struct {
		spec, want string // want: a piece of the message
	}{
		{"reset", `"reset" is not key=value`},
		{"reset=", `"reset=" is not key=value`},
		{"=0.1", `"=0.1" is not key=value`},
		{"reset=0.1,,5xx=0.1", `"" is not key=value`},
		{"jitter=1s", "jitter=1s: unknown key (known: latency, reset, 5xx, malformed, badsig, unsigned, syserr, cancel-retries, methods, seed)"},
		{"reset=0.1,reset=0.2", "reset given twice"},
		{"reset=lots", "reset=lots: not a number"},
		{"reset=1.5", "reset=1.5: a rate must be between 0 and 1"},
		{"5xx=150%", "5xx=150%: a rate must be between 0 and 1"},
		{"syserr=-0.1", "a rate must be between 0 and 1"},
		{"syserr=NaN", "a rate must be between 0 and 1"},
		{"reset=0.6,syserr=0.6", "the rates add up to 1.2"},
		{"latency=2", `latency=2: time: missing unit in duration "2"`},
		{"latency=-1s", "latency -1s is negative"},
		{"cancel-retries=two", "cancel-retries=two: invalid syntax"},
		{"cancel-retries=-1", "cancel-retries -1 is negative"},
		{"seed=1.5", "seed=1.5: invalid syntax"},
		{"methods=alipay.trade.create", `unknown method "alipay.trade.create" (known: alipay.data.dataservice.bill.downloadurl.query, `},
	}
	for _, tc := range tests {
		_, err := ParseFaults(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "emulator faults: ") {
			t.Errorf("ParseFaults(%q) = %v, want an error containing %q", tc.spec, err, tc.want)
		}
	}
}

func TestIndexShowsFaults(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Faults = &Faults{ResetRate: 0.5, Seed: 3} })
	if page := h.get(h.srv.URL+"/", http.StatusOK); !strings.Contains(page, "reset=0.5,seed=3") {
		t.Errorf("index does not show the faults:\n%s", page)
	}
}

// TestFaultSpecErrorsAreTyped: a refused spec is a *FaultSpecError whose
// problem and facts say what is wrong, for the kiosk to word.
func TestFaultSpecErrorsAreTyped(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want FaultSpecError
	}{
		{"reset", FaultSpecError{Problem: FaultNotKeyValue, Key: "reset"}},
		{"reset=0.1,reset=0.2", FaultSpecError{Problem: FaultGivenTwice, Key: "reset"}},
		{"bogus=1", FaultSpecError{Problem: FaultUnknownKey, Key: "bogus", Value: "1",
			Known: []string{"latency", "reset", "5xx", "malformed", "badsig", "unsigned", "syserr", "cancel-retries", "methods", "seed"}}},
		{"reset=2", FaultSpecError{Problem: FaultBadRate, Key: "reset", Value: "2"}},
		{"reset=lots", FaultSpecError{Problem: FaultBadRate, Key: "reset", Value: "lots"}},
		{"latency=2", FaultSpecError{Problem: FaultBadDuration, Key: "latency", Value: "2"}},
		{"latency=-1s", FaultSpecError{Problem: FaultNegative, Key: "latency", Value: "-1s"}},
		{"seed=x", FaultSpecError{Problem: FaultBadNumber, Key: "seed", Value: "x"}},
		{"reset=0.6,syserr=0.6", FaultSpecError{Problem: FaultRatesSum, Sum: 1.2}},
	} {
		_, err := ParseFaults(tc.spec)
		fe, ok := errors.AsType[*FaultSpecError](err)
		if !ok {
			t.Errorf("ParseFaults(%q) = %v, not a *FaultSpecError", tc.spec, err)
			continue
		}
		got := *fe
		got.text = ""
		if got.Problem != tc.want.Problem || got.Key != tc.want.Key || got.Value != tc.want.Value ||
			!slices.Equal(got.Known, tc.want.Known) || math.Abs(got.Sum-tc.want.Sum) > 1e-9 {
			t.Errorf("ParseFaults(%q): %+v, want %+v", tc.spec, got, tc.want)
		}
	}
	_, err := ParseFaults("methods=alipay.trade.create")
	if fe, ok := errors.AsType[*FaultSpecError](err); !ok || fe.Problem != FaultUnknownMethod || fe.Value != "alipay.trade.create" || len(fe.Known) == 0 {
		t.Errorf("an unknown method: %#v", err)
	}
}
