package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// TestCustomerPagesSpeakTheWordsGiven: the QR page and a payment code's
// page, which play the customer's Alipay app, say the words of
// Config.Page, their lang attribute included, and English without them.
func TestCustomerPagesSpeakTheWordsGiven(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Page = marked(EnglishPage) })
	qr := h.precreate("T1", "12.34")
	page := h.get(qr, http.StatusOK)
	for _, want := range []string{`<html lang="x-test">`, "«PayTitle» Test Shop</title>", "«Brand»", "<dt>«Order»</dt>", "«Pay» 12.34</button>", "«Decline»</button>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the QR page lacks %q:\n%s", want, page)
		}
	}
	for _, english := range []string{`lang="en"`, "Pay ¥", ">Decline<", ">Order<", "Alipay emulator"} {
		if strings.Contains(page, english) {
			t.Errorf("the QR page says %q in English:\n%s", english, page)
		}
	}
	code, err := h.e.IssueBuyerCode(BuyerCodePay)
	if err != nil {
		t.Fatal(err)
	}
	page = h.get(h.srv.URL+"/buyer-code/"+code, http.StatusOK)
	for _, want := range []string{`<html lang="x-test">`, "«CodeTitle»", "<dt>«KindLabel»</dt><dd>«KindPay»</dd>", "«ShowCode»"} {
		if !strings.Contains(page, want) {
			t.Errorf("the payment code's page lacks %q:\n%s", want, page)
		}
	}

	english := newHarness(t)
	page = english.get(english.precreate("T1", "0.99"), http.StatusOK)
	for _, want := range []string{`<html lang="en">`, "Pay ¥0.99</button>", "<dt>Order</dt>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the QR page without words lacks %q:\n%s", want, page)
		}
	}
}

// TestTheDefaultShopSpeaksThePagesLanguage: with no merchant name, the
// pages name the shop in their own words, not in English.
func TestTheDefaultShopSpeaksThePagesLanguage(t *testing.T) {
	page := EnglishPage
	page.HTMLLang, page.DefaultShop = "zh-CN", "模拟商户"
	cfg := Config{Page: page}
	setDefaults(&cfg)
	if cfg.MerchantName != "模拟商户" {
		t.Errorf("a page in zh-CN without a merchant name names %q", cfg.MerchantName)
	}
	cfg = Config{}
	if setDefaults(&cfg); cfg.MerchantName != DefaultMerchantName {
		t.Errorf("the English default: %q", cfg.MerchantName)
	}
	cfg = Config{Page: page, MerchantName: "街角小店"}
	if setDefaults(&cfg); cfg.MerchantName != "街角小店" {
		t.Errorf("a merchant name given: %q", cfg.MerchantName)
	}
}
