package alipay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{
			Error{Method: MethodQuery, Code: "40004", Msg: "Business Failed", SubCode: "ACQ.TRADE_NOT_EXIST", SubMsg: "交易不存在"},
			"alipay.trade.query: 40004 Business Failed (ACQ.TRADE_NOT_EXIST: 交易不存在)",
		},
		{Error{Code: "20000", Msg: "Service Currently Unavailable"}, "20000 Service Currently Unavailable"},
		{Error{Method: MethodCancel, Code: "40004", SubCode: "ACQ.REASON_TRADE_BEEN_FREEZEN"}, "alipay.trade.cancel: 40004 (ACQ.REASON_TRADE_BEEN_FREEZEN)"},
		{Error{Code: "40004", SubMsg: "只有消息"}, "40004 (只有消息)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestErrorRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want bool
	}{
		{"20000", Error{Code: "20000", SubCode: "isp.unknow-error"}, true},
		{"system error", Error{Code: "40004", SubCode: "ACQ.SYSTEM_ERROR"}, true},
		{"isp", Error{Code: "40004", SubCode: "isp.unknow-error"}, true},
		{"aop system error", Error{Code: "40004", SubCode: "aop.ACQ.SYSTEM_ERROR"}, true},
		{"aop busy", Error{Code: "40004", SubCode: "aop.SYSTEM-BUSY"}, true},
		{"retry_flag Y", Error{Code: "40004", SubCode: "ACQ.TRADE_STATUS_ERROR", Raw: json.RawMessage(`{"code":"40004","retry_flag":"Y"}`)}, true},
		{"retry_flag N", Error{Code: "40004", SubCode: "ACQ.TRADE_STATUS_ERROR", Raw: json.RawMessage(`{"code":"40004","retry_flag":"N"}`)}, false},
		{"not exist", Error{Code: "40004", SubCode: "ACQ.TRADE_NOT_EXIST"}, false},
		{"aop other", Error{Code: "40004", SubCode: "aop.invalid-app-auth-token"}, false},
		{"invalid signature", Error{Code: "40002", SubCode: "isv.invalid-signature"}, false},
		{"bad raw", Error{Code: "40004", Raw: json.RawMessage(`[`)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Retryable(); got != tt.want {
				t.Errorf("Retryable() = %v", got)
			}
			wrapped := fmt.Errorf("poll: %w", &tt.err)
			if got := IsRetryable(wrapped); got != tt.want {
				t.Errorf("IsRetryable(wrapped) = %v", got)
			}
		})
	}
}

func TestIsRetryableTransport(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"502", &transportError{method: MethodQuery, status: 502}, true},
		{"503", &transportError{method: MethodQuery, status: 503}, true},
		{"429", &transportError{method: MethodQuery, status: 429}, true},
		{"404", &transportError{method: MethodQuery, status: 404}, false},
		{"network", &transportError{method: MethodQuery, err: io.ErrUnexpectedEOF}, true},
		{"deadline", &transportError{method: MethodQuery, err: context.DeadlineExceeded}, true},
		{"canceled", &transportError{method: MethodQuery, err: context.Canceled}, false},
		{"bad signature", ErrBadSignature, false},
		{"unexpected", ErrUnexpectedResponse, false},
		{"bare ErrTransport", ErrTransport, true},
		{"ErrTransport with a cancelled context", fmt.Errorf("%w: %w", ErrTransport, context.Canceled), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsRetryable(fmt.Errorf("x: %w", tt.err)); got != tt.want {
				t.Errorf("IsRetryable = %v", got)
			}
		})
	}
}

func TestTransportErrorWraps(t *testing.T) {
	err := fmt.Errorf("query K1: %w", &transportError{method: MethodQuery, err: context.DeadlineExceeded})
	if !errors.Is(err, ErrTransport) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not wrap ErrTransport and the cause", err)
	}
	got := (&transportError{method: MethodQuery, status: 502}).Error()
	if want := "alipay: gateway unreachable: alipay.trade.query: HTTP 502 Bad Gateway"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPredicates(t *testing.T) {
	notExist := fmt.Errorf("w: %w", &Error{Code: "40004", SubCode: SubCodeTradeNotExist})
	badSig := &Error{Code: "40002", SubCode: SubCodeInvalidSignature}
	badApp := &Error{Code: "40002", SubCode: SubCodeInvalidAppID}
	switch {
	case !IsTradeNotExist(notExist), IsTradeNotExist(badSig), IsTradeNotExist(nil), IsTradeNotExist(ErrTransport):
		t.Error("IsTradeNotExist")
	case !IsInvalidSignature(badSig), IsInvalidSignature(badApp):
		t.Error("IsInvalidSignature")
	case !IsInvalidAppID(badApp), IsInvalidAppID(notExist):
		t.Error("IsInvalidAppID")
	}
}

func TestUnsignedTradeNotExistIsNotBelieved(t *testing.T) {
	e := &Error{Code: "40004", SubCode: SubCodeTradeNotExist}
	if !IsTradeNotExist(fmt.Errorf("x: %w", e)) {
		t.Error("a signed ACQ.TRADE_NOT_EXIST was not recognised")
	}
	if IsTradeNotExist(fmt.Errorf("%w: %w", ErrUnsignedError, e)) {
		t.Error("an unsigned ACQ.TRADE_NOT_EXIST was believed")
	}
}
