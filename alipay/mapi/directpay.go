package mapi

import (
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"
)

// ServiceDirectPay and ServiceNotifyVerify are the service names this
// package builds requests for.
const (
	ServiceDirectPay    = "create_direct_pay_by_user"
	ServiceNotifyVerify = "notify_verify"
)

// ErrInvalidRequest is wrapped when DirectPayURL refuses its input.
var ErrInvalidRequest = errors.New("mapi: invalid request")

// Limits of create_direct_pay_by_user.
const (
	minFeeFen        = 1               // 0.01 yuan
	maxFeeFen        = 100000000 * 100 // 100,000,000.00 yuan
	maxOutTradeNoLen = 64              // bytes
	maxSubjectLen    = 256             // characters
	partnerLen       = 16              // "2088" and twelve digits
	partnerPrefix    = "2088"          // every Alipay partner and user ID
	paymentTypeGoods = "1"             // payment_type 1: purchase of goods
	inputCharset     = "utf-8"         // the only charset this package writes
)

// DirectPay is one create_direct_pay_by_user order (即时到账).
type DirectPay struct {
	OutTradeNo  string // merchant order number, unique, ≤ 64 bytes
	Subject     string // shown at the cashier, ≤ 256 characters
	Body        string // optional description
	TotalFen    int64  // amount in fen, sent as total_fee "12.34"
	SellerID    string // optional; defaults to the partner ID when SellerEmail is empty too
	SellerEmail string // optional alternative to SellerID
	NotifyURL   string // optional async notification URL (no query allowed by Alipay)
	ReturnURL   string // optional browser redirect after payment
}

// DirectPayURL returns the signed GET URL that sends a buyer's browser to
// the cashier for p. partner is the 16-digit partner ID and key the MD5
// security key of the contract.
func DirectPayURL(gateway string, p DirectPay, partner, key string) (string, error) {
	if err := checkGateway(gateway); err != nil {
		return "", err
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	params, err := p.params(partner)
	if err != nil {
		return "", err
	}
	params.Set("sign", Sign(params, key))
	params.Set("sign_type", SignTypeMD5)
	return gateway + "?" + params.Encode(), nil
}

// params checks p and returns its unsigned parameters; empty optional
// fields are simply not set.
func (p *DirectPay) params(partner string) (url.Values, error) {
	if err := p.check(partner); err != nil {
		return nil, err
	}
	v := url.Values{
		"service":        {ServiceDirectPay},
		"partner":        {partner},
		"_input_charset": {inputCharset},
		"payment_type":   {paymentTypeGoods},
		"out_trade_no":   {p.OutTradeNo},
		"subject":        {p.Subject},
		"total_fee":      {formatFee(p.TotalFen)},
	}
	seller := p.SellerID
	if seller == "" && p.SellerEmail == "" {
		seller = partner // the usual contract: the partner receives the money
	}
	setIf(v, "seller_id", seller)
	setIf(v, "seller_email", p.SellerEmail)
	setIf(v, "body", p.Body)
	setIf(v, "notify_url", p.NotifyURL)
	setIf(v, "return_url", p.ReturnURL)
	return v, nil
}

// check reports the first problem in p.
func (p *DirectPay) check(partner string) error {
	switch {
	case !isPartnerID(partner):
		return fmt.Errorf("%w: partner %q is not 2088 followed by 12 digits", ErrInvalidRequest, partner)
	case p.OutTradeNo == "" || len(p.OutTradeNo) > maxOutTradeNoLen:
		return fmt.Errorf("%w: out_trade_no must be 1 to %d bytes", ErrInvalidRequest, maxOutTradeNoLen)
	case p.Subject == "" || utf8.RuneCountInString(p.Subject) > maxSubjectLen:
		return fmt.Errorf("%w: subject must be 1 to %d characters", ErrInvalidRequest, maxSubjectLen)
	case p.TotalFen < minFeeFen || p.TotalFen > maxFeeFen:
		return fmt.Errorf("%w: total %d fen outside [%s, %s]", ErrInvalidRequest,
			p.TotalFen, formatFee(minFeeFen), formatFee(maxFeeFen))
	}
	return nil
}

// NotifyVerifyURL returns the URL whose GET answers "true" when notifyID
// (the notify_id of a received notification, as decoded from the form) was
// really issued by Alipay for partner, and "false" otherwise. Alipay lets a
// notify_id be checked for about a minute after it is sent.
func NotifyVerifyURL(gateway, partner, notifyID string) string {
	v := url.Values{
		"service":   {ServiceNotifyVerify},
		"partner":   {partner},
		"notify_id": {notifyID},
	}
	return gateway + "?" + v.Encode()
}

// checkGateway insists on an absolute http(s) URL without a query, since
// the parameters are appended after '?'.
func checkGateway(gw string) error {
	u, err := url.Parse(gw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: gateway %q is not an http(s) URL", ErrInvalidRequest, gw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return fmt.Errorf("%w: gateway %q must not have a query", ErrInvalidRequest, gw)
	}
	return nil
}

// isPartnerID reports whether s looks like an Alipay partner ID.
func isPartnerID(s string) bool {
	if len(s) != partnerLen || s[:len(partnerPrefix)] != partnerPrefix {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatFee writes fen as yuan with two decimals. Callers have checked the
// range, so fen is positive.
func formatFee(fen int64) string {
	return fmt.Sprintf("%d.%02d", fen/100, fen%100)
}

// setIf sets k only when v is not empty: empty parameters are left out of
// the signature, so sending them would only invite disagreement about them.
func setIf(v url.Values, k, s string) {
	if s != "" {
		v.Set(k, s)
	}
}
