package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kiosk/alipay"
)

// billLinkLife is how long a bill_download_url works: Alipay's stops 30
// seconds after it was handed out.
const billLinkLife = 30 * time.Second

// billDownloadPath is where the emulator serves bills, after Alipay's
// dwbillcenter.alipay.com/downloadBillFile.resource.
const billDownloadPath = "/downloadBillFile.resource"

// billBiz is the biz_content of alipay.data.dataservice.bill.downloadurl.query.
type billBiz struct {
	BillType string `json:"bill_type"`
	BillDate string `json:"bill_date"`
}

// billPeriod is what a bill_date names: a Beijing day or month.
type billPeriod struct {
	from, to time.Time
	compact  string // 20261122 or 202611, as in Alipay's file names
}

// parseBillDate reads bill_date, yyyy-MM-dd or yyyy-MM.
func parseBillDate(s string) (billPeriod, bool) {
	if day, err := time.ParseInLocation("2006-01-02", s, alipay.Location()); err == nil && len(s) == len("2006-01-02") {
		return billPeriod{from: day, to: day.AddDate(0, 0, 1), compact: day.Format("20060102")}, true
	}
	if month, err := time.ParseInLocation("2006-01", s, alipay.Location()); err == nil && len(s) == len("2006-01") {
		return billPeriod{from: month, to: month.AddDate(0, 1, 0), compact: month.Format("200601")}, true
	}
	return billPeriod{}, false
}

// parseCompactBillDate reads the bizDates of a download link.
func parseCompactBillDate(s string) (billPeriod, bool) {
	switch len(s) {
	case len("20060102"):
		if day, err := time.ParseInLocation("20060102", s, alipay.Location()); err == nil {
			return parseBillDate(day.Format("2006-01-02"))
		}
	case len("200601"):
		if month, err := time.ParseInLocation("200601", s, alipay.Location()); err == nil {
			return parseBillDate(month.Format("2006-01"))
		}
	}
	return billPeriod{}, false
}

// billAccount is the merchant's account as a bill names it: the partner
// id with 0156 after it.
func (e *Emulator) billAccount() string { return e.cfg.SellerID + "0156" }

// billURL is alipay.data.dataservice.bill.downloadurl.query for the trade
// bill of a day or a month: it answers a link to this emulator's
// /downloadBillFile.resource, with the query Alipay's links have (bizType,
// userId, fileType, bizDates, downloadFileName, timestamp, token), which
// works for 30 seconds. Alipay refuses today's and this month's bill,
// which are not final; the emulator serves them, so that a demonstration
// can reconcile at once. A period that has not begun in Beijing is 40004
// isp.bill_not_exist; the signcustomer bill is not emulated.
func (e *Emulator) billURL(c *call) ([]field, *failure) {
	var biz billBiz
	if fail := decodeBiz(c, &biz); fail != nil {
		return nil, fail
	}
	switch biz.BillType {
	case "trade":
	case "":
		return nil, badParam("bill_type is required")
	default:
		return nil, badParam("bill_type %q: only trade is emulated", biz.BillType)
	}
	p, ok := parseBillDate(biz.BillDate)
	if !ok {
		return nil, badParam("bill_date %q: want yyyy-MM-dd or yyyy-MM", biz.BillDate)
	}
	now := e.now()
	if p.from.After(now) {
		return nil, businessFailed("isp.bill_not_exist", "账单不存在")
	}
	return []field{{"bill_download_url", c.baseURL + e.billLink(p, now)}}, nil
}

// billLink is the path and query of the download link of p handed out at
// now. Parameters in the order of Alipay's links.
func (e *Emulator) billLink(p billPeriod, now time.Time) string {
	account, ts := e.billAccount(), strconv.FormatInt(now.UnixMilli(), 10)
	q := []string{
		"bizType=trade",
		"userId=" + account,
		"fileType=csv.zip",
		"bizDates=" + p.compact,
		"downloadFileName=" + url.QueryEscape(account+"_"+p.compact+".csv.zip"),
		"timestamp=" + ts,
		"token=" + e.billToken(account, p.compact, ts),
	}
	return billDownloadPath + "?" + strings.Join(q, "&")
}

// billToken signs a link's account, period and time with a key derived
// from the Alipay private key, so that only links this emulator made work
// and a link cannot be stretched to another day or made younger.
func (e *Emulator) billToken(account, dates, ts string) string {
	key := sha256.Sum256(append([]byte("kiosk emulator bill link\n"), x509.MarshalPKCS1PrivateKey(e.cfg.AlipayPrivateKey)...))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte("trade\n" + account + "\n" + dates + "\n" + ts))
	return hex.EncodeToString(mac.Sum(nil))
}

// serveBillFile is GET /downloadBillFile.resource: the zip of the trade
// bill a link names. A link this emulator did not make is 404; one used
// more than 30 seconds after it was handed out is 410 with 下载超时，请重新下载
// (Alipay's words for it; the status is the emulator's choice).
func (e *Emulator) serveBillFile(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	account, dates, ts := q.Get("userId"), q.Get("bizDates"), q.Get("timestamp")
	p, okDate := parseCompactBillDate(dates)
	ms, errTS := strconv.ParseInt(ts, 10, 64)
	if q.Get("bizType") != "trade" || q.Get("fileType") != "csv.zip" || account != e.billAccount() || !okDate || errTS != nil ||
		!hmac.Equal([]byte(q.Get("token")), []byte(e.billToken(account, dates, ts))) {
		http.Error(w, "账单下载地址无效 (not a bill link this emulator made)", http.StatusNotFound)
		return
	}
	now := e.now()
	if now.Sub(time.UnixMilli(ms)) > billLinkLife {
		http.Error(w, "下载超时，请重新下载", http.StatusGone)
		return
	}
	zip := e.tradeBillZip(p, now)
	name := account + "_" + p.compact + ".csv.zip"
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(zip)))
	_, _ = w.Write(zip)
}
