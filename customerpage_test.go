package main

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"kiosk/alipay"
	"kiosk/alipay/emulator"
	"kiosk/ui/words"
)

// TestCustomerPageWordsOfEveryLanguage: every language gives the
// emulator's customer pages each of their sentences, with the values the
// English ones take (%s), and names its own lang attribute.
func TestCustomerPageWordsOfEveryLanguage(t *testing.T) {
	saysEverything(t, "the customer page", emulator.EnglishPage, func(w *words.Words) any { return emulator.PageWords(w.Emulator.Page) })
}

// TestEmulatorIndexWordsOfEveryLanguage: every language gives the
// emulator's page at / each of its sentences, with the values the English
// ones take (%d), and names its own lang attribute.
func TestEmulatorIndexWordsOfEveryLanguage(t *testing.T) {
	saysEverything(t, "the emulator's page at /", emulator.EnglishIndex, func(w *words.Words) any { return emulator.IndexWords(w.Emulator.Index) })
}

// saysEverything checks the emulator's words of what in each language,
// of(language): every sentence given, with as many values as the
// emulator's English (english) takes, a lang attribute of its own, and the
// English catalogue's the emulator's own.
func saysEverything(t *testing.T, what string, english any, of func(*words.Words) any) {
	t.Helper()
	en := reflect.ValueOf(english)
	for _, w := range words.All {
		page := reflect.ValueOf(of(w))
		for i := range page.NumField() {
			name, s := page.Type().Field(i).Name, page.Field(i).String()
			if s == "" || strings.Count(s, "%") != strings.Count(en.Field(i).String(), "%") {
				t.Errorf("%s: %s's %s is %q", w.Lang.Tag, what, name, s)
			}
		}
		if w.Lang.Tag != "en" && page.FieldByName("HTMLLang").String() == "en" {
			t.Errorf("%s: %s says it is English", w.Lang.Tag, what)
		}
	}
	if of(words.English) != english {
		t.Errorf("the emulator's English words of %s and the catalogue's differ", what)
	}
}

// TestTheCustomerPageFollowsTheKiosksLanguage: the page the QR code opens
// (the customer's Alipay app) speaks the kiosk's language: the embedded
// emulator's, in the counter's language and with the shop's name; so does
// the emulator's page at /, Alipay's names kept.
func TestTheCustomerPageFollowsTheKiosksLanguage(t *testing.T) {
	inLocale(t, "C", "", "")
	speak(words.Chinese)
	c, err := openCounter(mustPlan(t, fileConfig{ShopName: "街角小店"}), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	client, err := emulatorClient(c.server, c.emulatorKeys, alipay.ProtocolV2)
	if err != nil {
		t.Fatal(err)
	}
	pre, err := client.Precreate(context.Background(), &alipay.PrecreateRequest{OutTradeNo: "ZH_1", TotalFen: 99, Subject: "s"})
	if err != nil {
		t.Fatal(err)
	}
	page := buyerRequest(t, "GET", pre.QRCode)
	for _, want := range []string{`<html lang="zh-CN">`, "<h1>街角小店</h1>", "付款 ¥0.99</button>", "<dt>订单号</dt>", ">不付款</button>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the customer's page lacks %q:\n%s", want, page)
		}
	}
	for _, english := range []string{`lang="en"`, "Pay ¥", ">Decline<", "<dt>Order</dt>", "Kiosk Emulator Shop"} {
		if strings.Contains(page, english) {
			t.Errorf("the customer's page of a Chinese kiosk says %q:\n%s", english, page)
		}
	}
	index := buyerRequest(t, "GET", c.server.URL+"/")
	for _, want := range []string{`<html lang="zh-CN">`, "<title>支付宝模拟器</title>", "<h1>街角小店</h1>", "<dt>网关</dt>", "<dt>app_id</dt>",
		`<th>创建时间</th><th title="out_trade_no">商户订单号</th><th>商品</th>`, `title="以买家身份打开（相当于扫码）"`, "<h1>买家付款码</h1>", ">立即付款</button>"} {
		if !strings.Contains(index, want) {
			t.Errorf("the emulator's page at / lacks %q:\n%s", want, index)
		}
	}
	if err := c.server.Pay("ZH_1"); err != nil {
		t.Fatal(err)
	}
	index = buyerRequest(t, "GET", c.server.URL+"/")
	if want := `<span title="TRADE_SUCCESS">支付成功</span>`; !strings.Contains(index, want) {
		t.Errorf("the emulator's page at / lacks %q:\n%s", want, index)
	}
	for _, english := range []string{`lang="en"`, "Alipay emulator", ">Created<", "Buyer payment codes", "pays at once", ">TRADE_SUCCESS<", ">out_trade_no<"} {
		if strings.Contains(index, english) {
			t.Errorf("the emulator's page at / of a Chinese kiosk says %q:\n%s", english, index)
		}
	}
}
