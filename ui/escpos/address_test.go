package escpos

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	for in, want := range map[string]Address{
		"/dev/usb/lp0":             {Device: "/dev/usb/lp0"},
		"/dev/lp0":                 {Device: "/dev/lp0"},
		"tcp://192.168.1.50:9100":  {Host: "192.168.1.50:9100"},
		"tcp://192.168.1.50":       {Host: "192.168.1.50:9100"},
		"TCP://printer.local:9101": {Host: "printer.local:9101"},
		"tcp://[fe80::1]:9100":     {Host: "[fe80::1]:9100"},
		"tcp://[::1]":              {Host: "[::1]:9100"},
		"tcp://printer/":           {Host: "printer:9100"},
	} {
		got, err := ParseAddress(in)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}

func TestParseAddressRoundTrips(t *testing.T) {
	for _, in := range []string{"/dev/usb/lp0", "tcp://10.0.0.9:9100", "tcp://[fe80::1]:9100"} {
		a, err := ParseAddress(in)
		if err != nil {
			t.Fatal(err)
		}
		if a.String() != in {
			t.Errorf("ParseAddress(%q).String() = %q", in, a.String())
		}
	}
}

func TestParseAddressExplainsRefusals(t *testing.T) {
	for in, reason := range map[string]string{
		"":                         "empty",
		" /dev/usb/lp0":            "spaces",
		"/dev/usb/lp0\n":           "spaces",
		"lp0":                      "absolute device path",
		"dev/usb/lp0":              "absolute device path",
		"/dev/usb/../usb/lp0":      `"/dev/usb/lp0"`,
		"/dev/usb/lp0/":            `"/dev/usb/lp0"`,
		"/":                        "directory",
		"192.168.1.50:9100":        "tcp://192.168.1.50:9100",
		"usb://lp0":                `"usb" printers are not supported`,
		"http://192.168.1.50":      `"http" printers are not supported`,
		"tcp://":                   "host is missing",
		"tcp://:9100":              "host is missing",
		"tcp://printer:":           "port after ':' is missing",
		"tcp://printer:0":          "1 to 65535",
		"tcp://printer:70000":      "1 to 65535",
		"tcp://printer:abc":        `port "abc" is not a number`,
		"tcp://pri nter:9100":      "not a valid tcp:// address",
		"tcp://admin:pw@printer":   "no user name",
		"tcp://printer:9100/queue": "nothing after the port",
		"tcp://printer:9100?x=1":   "nothing after the port",
		"/dev/usb/lp\x000":         "control character",
	} {
		_, err := ParseAddress(in)
		var ae *AddressError
		if !errors.As(err, &ae) {
			t.Errorf("ParseAddress(%q) = %v, want an *AddressError", in, err)
			continue
		}
		if ae.Input != in || !strings.Contains(ae.Error(), reason) {
			t.Errorf("ParseAddress(%q): %q does not say %q", in, ae.Error(), reason)
		}
		if ae.Problem == "" {
			t.Errorf("ParseAddress(%q): no Problem for a caller's own words", in)
		}
	}
}
