package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// marked is words with each sentence replaced by its field's name in
// «», its %s and %d kept, and lang x-test.
func marked[W any](words W) W {
	v := reflect.ValueOf(&words).Elem()
	for i := range v.NumField() {
		name, s := v.Type().Field(i).Name, v.Field(i).String()
		if name == "HTMLLang" {
			v.Field(i).SetString("x-test")
			continue
		}
		v.Field(i).SetString("«" + name + "»" + strings.Repeat(" %s", strings.Count(s, "%s")) + strings.Repeat(" %d", strings.Count(s, "%d")))
	}
	return words
}

// TestIndexPageSpeaksTheWordsGiven: the page at / says the words of
// Config.Index (a code's kind as Config.Page names it), its lang attribute
// included, and English without them; Alipay's names stay.
func TestIndexPageSpeaksTheWordsGiven(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Index, c.Page = marked(EnglishIndex), marked(EnglishPage) })
	index := h.get(h.srv.URL+"/", http.StatusOK)
	for _, want := range []string{`<html lang="x-test">`, "<title>«Title»</title>", "<p>«NoTrades»</p>", "<h1>«CodesTitle»</h1>", "«CodesIntro»", ">«KindPay»</button>", ">«KindRisk»</button>"} {
		if !strings.Contains(index, want) {
			t.Errorf("the empty index page lacks %q:\n%s", want, index)
		}
	}
	h.precreate("T1", "12.34")
	if _, err := h.e.IssueBuyerCode(BuyerCodeConfirm); err != nil {
		t.Fatal(err)
	}
	index = h.get(h.srv.URL+"/", http.StatusOK)
	for _, want := range []string{"<dt>«Gateway»</dt>", "<dt>app_id</dt>", `<th>«Created»</th><th title="out_trade_no">«OutTradeNo»</th><th>«Subject»</th>`, `title="«OpenAsBuyer»"`,
		"<th>«Issued»</th><th>«Code»</th><th>«Kind»</th><th>«State»</th>", "<td>«KindConfirm»</td><td>«Unused»</td>", `<td><span title="PRECREATED">«StatusPrecreated»</span></td>`,
		`<th>«State»</th><th title="out_trade_no">«OutTradeNo»</th>`} {
		if !strings.Contains(index, want) {
			t.Errorf("the index page lacks %q:\n%s", want, index)
		}
	}
	for _, english := range []string{`lang="en"`, "Alipay emulator", ">Created<", "Buyer payment codes", "pays at once", ">unused<", "Open as the buyer"} {
		if strings.Contains(index, english) {
			t.Errorf("the index page says %q in English:\n%s", english, index)
		}
	}

	english := newHarness(t)
	index = english.get(english.srv.URL+"/", http.StatusOK)
	for _, want := range []string{`<html lang="en">`, "<title>Alipay emulator</title>", "No trades yet.", "<h1>Buyer payment codes</h1>", ">pays at once</button>"} {
		if !strings.Contains(index, want) {
			t.Errorf("the index page without words lacks %q:\n%s", want, index)
		}
	}
}

// TestIndexPageSaysTradeStatusesInWords: the page at / says each trade's
// status in the words of Config.Index, Alipay's name kept in the title
// for developers, and never the bare name.
func TestIndexPageSaysTradeStatusesInWords(t *testing.T) {
	h := newHarnessWith(t, func(c *Config) { c.Index = marked(EnglishIndex) })
	h.precreate("T_PRE", "1.00")
	h.precreate("T_WAIT", "1.00")
	if err := h.e.Scan("T_WAIT"); err != nil {
		t.Fatal(err)
	}
	h.precreate("T_PAID", "1.00")
	if err := h.e.Pay("T_PAID"); err != nil {
		t.Fatal(err)
	}
	h.precreate("T_CLOSED", "1.00")
	h.cancel("T_CLOSED")
	index := h.get(h.srv.URL+"/", http.StatusOK)
	for status, said := range map[string]string{
		StatusPrecreated: "«StatusPrecreated»", StatusWaitBuyerPay: "«StatusWaiting»",
		StatusTradeSuccess: "«StatusPaid»", StatusTradeClosed: "«StatusClosed»",
	} {
		if want := `<span title="` + status + `">` + said + `</span>`; !strings.Contains(index, want) {
			t.Errorf("the index page lacks %q:\n%s", want, index)
		}
		if strings.Contains(index, ">"+status+"<") {
			t.Errorf("the index page shows the bare status %s:\n%s", status, index)
		}
	}
	if strings.Contains(index, ">out_trade_no<") {
		t.Errorf("the index page heads a column out_trade_no:\n%s", index)
	}
}
