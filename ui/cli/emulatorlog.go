package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// EmulatorLog is the handler of kiosk emulator serve's log on the
// developer's terminal: one short line a record, its time in loc, a
// gateway call as its method, its order and the answer
//
//	2026-12-02 00:24:10  precreate  KT1_20261202002409000_ABCDEF  ok
//	2026-12-02 00:24:15  query  KT1_20261202002409000_ABCDEF  40004 ACQ.TRADE_NOT_EXIST 交易不存在
//
// and any other record as its message and its attributes.
func EmulatorLog(w io.Writer, loc *time.Location) slog.Handler {
	return &emulatorLog{w: w, loc: loc, mu: new(sync.Mutex)}
}

type emulatorLog struct {
	w     io.Writer
	loc   *time.Location
	mu    *sync.Mutex
	attrs []slog.Attr
}

func (h *emulatorLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

func (h *emulatorLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *emulatorLog) WithGroup(string) slog.Handler { return h }

func (h *emulatorLog) Handle(_ context.Context, r slog.Record) error {
	attrs := append([]slog.Attr(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	parts := []string{r.Time.In(h.loc).Format(time.DateTime)}
	if r.Level > slog.LevelInfo {
		parts = append(parts, cmp.Or(say.Emulator.LogLevels[r.Level.String()], r.Level.String()))
	}
	switch {
	case r.Message == "gateway":
		parts = append(parts, gatewayLine(attrs)...)
	case r.Message == "emulator listening":
		parts = append(parts, listeningLine(attrs)...)
	default:
		parts = append(parts, cmp.Or(say.Emulator.LogSays[r.Message], r.Message))
		for _, a := range attrs {
			parts = append(parts, a.Key+"="+quoteIfSpaced(a.Value.String()))
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintln(h.w, strings.Join(parts, "  "))
	return err
}

// gatewayLine is a call's method (alipay.trade. left out), protocol if v3,
// order and answer: ok and the trade's status, or Alipay's codes and
// message.
func gatewayLine(attrs []slog.Attr) []string {
	v := map[string]string{}
	for _, a := range attrs {
		v[a.Key] = a.Value.String()
	}
	parts := []string{strings.TrimPrefix(v["method"], "alipay.trade.")}
	if v["protocol"] != "" {
		parts[0] += " (" + v["protocol"] + ")"
	}
	if v["out_trade_no"] != "" {
		parts = append(parts, v["out_trade_no"])
	}
	if v["code"] == "10000" {
		return append(parts, strings.TrimSpace(say.Emulator.LogOK+" "+v["trade_status"]))
	}
	answer := strings.Join(strings.Fields(v["status"]+" "+v["code"]+" "+v["sub_code"]), " ")
	msg := v["sub_msg"] + v["message"]
	if v["sub_code"] == "" && v["message"] == "" {
		msg = v["code_msg"] // 10003, which has no sub_code: "Order success pay inprocess"
	}
	if msg != "" {
		answer += " " + msg
	}
	if v["path"] != "" {
		answer = v["path"] + " " + answer
	}
	return append(parts, answer)
}

// listeningLine is the emulator's start in a sentence that names its URL;
// any other attribute as key=value after it.
func listeningLine(attrs []slog.Attr) []string {
	var parts, rest []string
	for _, a := range attrs {
		if a.Key == "url" && parts == nil {
			parts = []string{say.Emulator.LogListening.F(a.Value.String())}
			continue
		}
		rest = append(rest, a.Key+"="+quoteIfSpaced(a.Value.String()))
	}
	if parts == nil {
		parts = []string{cmp.Or(say.Emulator.LogSays["emulator listening"], "emulator listening")}
	}
	return append(parts, rest...)
}

func quoteIfSpaced(s string) string {
	if strings.ContainsAny(s, " \t\n\"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
