package escpos

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const sampleOrderNo = "K20261201140509000123"

// sampleReceipt is a receipt as the kiosk will print one, in Chinese and
// English, with the lines that stress the layout: a 28-digit trade number
// that does not fit beside its label on 58 mm, a long closing line, a QR.
func sampleReceipt(t *testing.T, p Paper) *Document {
	t.Helper()
	d := NewDocument(p)
	d.Align(Center)
	d.Bold(true)
	d.Line("示例便利店 Demo Mart")
	d.Bold(false)
	d.Line("收款小票 SALE RECEIPT")
	d.Line("重打印 / DUPLICATE")
	d.Align(Left)
	d.Rule()
	d.Pair("日期 Date", "2026-12-01 14:05:09")
	d.Pair("小票号 Receipt", "000123")
	d.Rule()
	d.Align(Center)
	d.Line("实收 Amount paid")
	d.Bold(true)
	d.Big("¥12.34")
	d.Bold(false)
	d.Align(Left)
	d.Rule()
	d.Pair("支付方式 Paid by", "支付宝扫码 Alipay QR")
	d.Pair("交易号 Trade no.", "2026120122001411231234567890")
	d.Pair("商户订单号 Order no.", sampleOrderNo)
	d.Pair("买家 Buyer", "138****8888")
	d.Rule()
	d.Align(Center)
	d.Line("谢谢惠顾，欢迎再次光临！Thank you for shopping with us.")
	d.Feed(1)
	if err := d.QR(sampleOrderNo, QR{}); err != nil {
		t.Fatalf("QR: %v", err)
	}
	d.Feed(1)
	d.Cut()
	return d
}

func TestReceiptGolden(t *testing.T) {
	for _, p := range []Paper{Paper58, Paper80} {
		t.Run(p.String(), func(t *testing.T) {
			job := sampleReceipt(t, p).Bytes()
			ops, err := parseJob(job)
			if err != nil {
				t.Fatalf("the job is not well formed: %v", err)
			}
			name := filepath.Join("testdata", strings.ReplaceAll("receipt-"+p.String(), " ", ""))
			golden(t, name+".bin", job)
			golden(t, name+".txt", []byte(listing(ops)))
		})
	}
}

// golden compares got with the file, or rewrites the file under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/escpos -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the document builds now (go test ./ui/escpos -update rewrites it after review)", path)
	}
}

// TestReceiptTextDecodesBack reads the GB18030 text back out of the job's
// bytes, as the printer would print it, line by line.
func TestReceiptTextDecodesBack(t *testing.T) {
	ops, err := parseJob(sampleReceipt(t, Paper58).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"示例便利店 Demo Mart",
		"收款小票 SALE RECEIPT",
		"重打印 / DUPLICATE",
		strings.Repeat("-", 32),
		"日期 Date    2026-12-01 14:05:09",
		"小票号 Receipt            000123",
		strings.Repeat("-", 32),
		"实收 Amount paid",
		"￥12.34",
		strings.Repeat("-", 32),
		"支付方式 Paid by",
		"            支付宝扫码 Alipay QR",
		"交易号 Trade no.",
		"    2026120122001411231234567890",
		"商户订单号 Order no.",
		"           K20261201140509000123",
		"买家 Buyer           138****8888",
		strings.Repeat("-", 32),
		"谢谢惠顾，欢迎再次光临！Thank",
		"you for shopping with us.",
	}
	if got := printedLines(ops); !reflect.DeepEqual(got, want) {
		t.Errorf("printed lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestReceiptFitsThePaper checks every printed line against the columns it
// has, at the character size it is printed in.
func TestReceiptFitsThePaper(t *testing.T) {
	for _, p := range []Paper{Paper58, Paper80} {
		ops, err := parseJob(sampleReceipt(t, p).Bytes())
		if err != nil {
			t.Fatal(err)
		}
		cols := p.Columns()
		for _, o := range ops {
			switch {
			case o.name == "GS !" && o.args[0] == 0x11:
				cols = p.Columns() / 2
			case o.name == "GS !":
				cols = p.Columns()
			case o.name == "TEXT" && Width(o.text) > cols:
				t.Errorf("%s: %q is %d columns, the line has %d", p, o.text, Width(o.text), cols)
			}
		}
	}
}

func TestQRCommands(t *testing.T) {
	d := NewDocument(Paper80)
	if err := d.QR("K1", QR{Module: 6, Level: QRLevelH}); err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x1b, '@', 0x1c, '&',
		0x1d, '(', 'k', 4, 0, 49, 65, 50, 0, // model 2
		0x1d, '(', 'k', 3, 0, 49, 67, 6, // module 6 dots
		0x1d, '(', 'k', 3, 0, 49, 69, 51, // level H
		0x1d, '(', 'k', 5, 0, 49, 80, 48, 'K', '1', // store, pL = 2 + 3
		0x1d, '(', 'k', 3, 0, 49, 81, 48, // print
		0x1c, '.',
	}
	if got := d.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("QR job\n got % x\nwant % x", got, want)
	}
}

func TestQRLongPayloadLengthBytes(t *testing.T) {
	payload := strings.Repeat("A", 300)
	d := NewDocument(Paper80)
	if err := d.QR(payload, QR{Module: 1}); err != nil {
		t.Fatal(err)
	}
	ops, err := parseJob(d.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		if o.name == "QR store" && string(o.args) != payload {
			t.Errorf("stored %d bytes, want the %d-byte payload", len(o.args), len(payload))
		}
	}
	// 300 + 3 = 303 = 0x012f: pL 0x2f, pH 0x01.
	if !bytes.Contains(d.Bytes(), []byte{0x1d, '(', 'k', 0x2f, 0x01, 49, 80, 48}) {
		t.Error("GS ( k function 180 does not carry pL 0x2f pH 0x01")
	}
}

func TestQRRefusesWhatCannotPrint(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload string
		opt     QR
		paper   Paper
	}{
		{"empty", "", QR{}, Paper80},
		{"not ASCII", "订单123", QR{}, Paper80},
		{"control byte", "K1\x10\x04\x01", QR{}, Paper80},
		{"module too big", "K1", QR{Module: 17}, Paper80},
		{"negative module", "K1", QR{Module: -1}, Paper80},
		{"unknown level", "K1", QR{Level: 9}, Paper80},
		{"too wide for 58 mm", strings.Repeat("K", 200), QR{Module: 8}, Paper58},
		{"too long for any QR", strings.Repeat("K", 5000), QR{}, Paper80},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDocument(tc.paper)
			before := d.Bytes()
			err := d.QR(tc.payload, tc.opt)
			var qe *QRError
			if !errors.As(err, &qe) {
				t.Fatalf("QR(%d bytes) = %v, want a *QRError", len(tc.payload), err)
			}
			if !bytes.Equal(d.Bytes(), before) {
				t.Error("a refused QR code still added bytes to the document")
			}
		})
	}
}

func TestQRAutoModuleFitsThePaper(t *testing.T) {
	for _, tc := range []struct {
		payload string
		paper   Paper
		want    int
	}{
		// Version 2 (25 modules + 8 of quiet zone): 384/33 = 11, capped at 8.
		{sampleOrderNo, Paper58, 8},
		// 200 alphanumeric characters at level M need version 9 (53 modules):
		// 384/61 = 6 on 58 mm, 576/61 = 9 capped at 8 on 80 mm.
		{strings.Repeat("K", 200), Paper58, 6},
		{strings.Repeat("K", 200), Paper80, 8},
	} {
		got, err := qrModule(tc.payload, QR{}, tc.paper.Dots())
		if err != nil || got != tc.want {
			t.Errorf("qrModule(%d bytes, %s) = %d, %v; want %d", len(tc.payload), tc.paper, got, err, tc.want)
		}
	}
}

func TestDocumentControls(t *testing.T) {
	d := NewDocument(Paper58)
	d.Align(Right)
	d.Bold(true)
	d.Feed(300)
	d.Feed(-1)
	d.Cut()
	want := []byte{
		0x1b, '@', 0x1c, '&',
		0x1b, 'a', 2,
		0x1b, 'E', 1,
		0x1b, 'd', 255,
		0x1b, 'd', 0,
		0x1d, 'V', 66, 0,
		0x1c, '.',
	}
	if got := d.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("got % x\nwant % x", got, want)
	}
}

func TestParsePaper(t *testing.T) {
	for in, want := range map[string]Paper{"58": Paper58, "58mm": Paper58, "80 mm": Paper80, "80MM": Paper80} {
		if got, err := ParsePaper(in); err != nil || got != want {
			t.Errorf("ParsePaper(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "76", "A4", "58inch"} {
		if _, err := ParsePaper(in); err == nil {
			t.Errorf("ParsePaper(%q) accepted", in)
		}
	}
	if Paper58.Columns() != 32 || Paper80.Columns() != 48 {
		t.Errorf("columns: 58 mm %d, 80 mm %d", Paper58.Columns(), Paper80.Columns())
	}
}

// TestPairsLineUpTheirValues: values too long to sit beside their labels
// all start in one column, the one the widest needs, whatever their
// lengths (a refund's number is three characters longer than the order's);
// a pair that fits on one line prints as Pair prints it.
func TestPairsLineUpTheirValues(t *testing.T) {
	d := NewDocument(Paper58)
	d.Pairs([2]string{"退款单号", "KT1_20261122180000000_ABCDEF-R1"}, [2]string{"支付宝交易号", "2026112222001400001234567890"},
		[2]string{"买家", "159******88"})
	var got []string
	for _, l := range strings.Split(string(d.Bytes()[len(cmdInit)+len(cmdChineseOn):]), "\n") {
		s, err := simplifiedchinese.GB18030.NewDecoder().String(l)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{"退款单号", " KT1_20261122180000000_ABCDEF-R1", "支付宝交易号", " 2026112222001400001234567890",
		"买家                 159******88", string(cmdChineseOff)}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
