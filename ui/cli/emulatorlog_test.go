package cli

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"kiosk/ui/words"
)

// TestEmulatorLogIsALineACallInTheShopsZone: kiosk emulator serve's
// terminal log shows each call as its time in the zone given (not UTC),
// its method, its order and its answer; other records as their message
// and attributes.
func TestEmulatorLogIsALineACallInTheShopsZone(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	var out bytes.Buffer
	log := slog.New(EmulatorLog(&out, shanghai))
	at := time.Date(2026, 12, 1, 16, 24, 10, 15e6, time.UTC) // 00:24:10 the next day in Shanghai
	for _, r := range []struct {
		level slog.Level
		msg   string
		attrs []any
	}{
		{slog.LevelInfo, "gateway", []any{"method", "alipay.trade.precreate", "out_trade_no", "KT1", "code", "10000"}},
		{slog.LevelInfo, "gateway", []any{"method", "alipay.trade.query", "out_trade_no", "KT1", "code", "10000", "trade_status", "TRADE_SUCCESS"}},
		{slog.LevelInfo, "gateway", []any{"method", "alipay.trade.query", "protocol", "v3", "out_trade_no", "KT2", "code", "40004", "code_msg", "Business Failed", "sub_code", "ACQ.TRADE_NOT_EXIST", "sub_msg", "交易不存在"}},
		{slog.LevelInfo, "gateway", []any{"method", "alipay.trade.pay", "out_trade_no", "KT3", "code", "10003", "code_msg", "Order success pay inprocess", "sub_code", "", "sub_msg", ""}},
		{slog.LevelWarn, "fault injected", []any{"method", "alipay.trade.query", "fault", "reset"}},
		{slog.LevelDebug, "request timestamp", []any{"skew", "1s"}},
	} {
		if !log.Handler().Enabled(t.Context(), r.level) {
			continue // as slog.Logger does
		}
		rec := slog.NewRecord(at, r.level, r.msg, 0)
		rec.Add(r.attrs...)
		if err := log.Handler().Handle(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	want := "2026-12-02 00:24:10  precreate  KT1  ok\n" +
		"2026-12-02 00:24:10  query  KT1  ok TRADE_SUCCESS\n" +
		"2026-12-02 00:24:10  query (v3)  KT2  40004 ACQ.TRADE_NOT_EXIST 交易不存在\n" +
		"2026-12-02 00:24:10  pay  KT3  10003 Order success pay inprocess\n" +
		"2026-12-02 00:24:10  WARN  fault injected  method=alipay.trade.query  fault=reset\n"
	if got := out.String(); got != want {
		t.Errorf("the emulator's log:\n%s\nwant\n%s", got, want)
	}
}

// TestEmulatorLogSpeaksTheLanguage: in Chinese, the serve's terminal
// lines say the emulator's messages and levels in Chinese; attributes
// keep their names, as the JSON log does.
func TestEmulatorLogSpeaksTheLanguage(t *testing.T) {
	t.Cleanup(func() { Speak(words.English) })
	Speak(words.Chinese)
	var out bytes.Buffer
	log := slog.New(EmulatorLog(&out, time.UTC))
	at := time.Date(2026, 12, 1, 16, 24, 10, 0, time.UTC)
	for _, r := range []struct {
		level slog.Level
		msg   string
		attrs []any
	}{
		{slog.LevelInfo, "emulator listening", []any{"url", "http://127.0.0.1:1"}},
		{slog.LevelInfo, "faults set", []any{"faults", "badsig=1"}},
		{slog.LevelInfo, "precreated", []any{"out_trade_no", "KT1"}},
		{slog.LevelWarn, "fault injected", []any{"method", "alipay.trade.query", "fault", "badsig"}},
		{slog.LevelInfo, "something new", nil},
	} {
		rec := slog.NewRecord(at, r.level, r.msg, 0)
		rec.Add(r.attrs...)
		if err := log.Handler().Handle(t.Context(), rec); err != nil {
			t.Fatal(err)
		}
	}
	want := "2026-12-01 16:24:10  模拟器已启动，地址：http://127.0.0.1:1\n" +
		"2026-12-01 16:24:10  故障已设置  faults=badsig=1\n" +
		"2026-12-01 16:24:10  已预下单  out_trade_no=KT1\n" +
		"2026-12-01 16:24:10  警告  已注入故障  method=alipay.trade.query  fault=badsig\n" +
		"2026-12-01 16:24:10  something new\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
