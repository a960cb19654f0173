package escpos

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// DefaultPort is the raw printing port network receipt printers listen on
// (often called JetDirect or "port 9100"); tcp://HOST means tcp://HOST:9100.
const DefaultPort = 9100

// An Address names one printer: a device file or a network printer.
// The zero Address names nothing; get one from ParseAddress.
type Address struct {
	// Device is the device file ("/dev/usb/lp0") for a printer attached to
	// this machine; empty for a network printer.
	Device string
	// Host is "HOST:PORT" for a network printer; empty for a device.
	Host string
}

// IsNetwork reports whether a names a network printer.
func (a Address) IsNetwork() bool { return a.Host != "" }

// String gives the address back in the form ParseAddress reads.
func (a Address) String() string {
	if a.IsNetwork() {
		return "tcp://" + a.Host
	}
	return a.Device
}

// An AddressError says why a printer address was refused. Reason is written
// for the person who typed the address in the config, in English; Problem
// and Detail are the same facts for a caller that says them in its own
// words.
type AddressError struct {
	Input   string
	Reason  string
	Problem AddressProblem
	// Detail is the part of the input the problem is about: the scheme,
	// the port, the device path as it should be written, the address with
	// tcp:// before it; empty for the other problems.
	Detail string
}

// AddressProblem is what is wrong with a printer address.
type AddressProblem string

// The problems ParseAddress finds.
const (
	AddressEmpty       AddressProblem = "empty"
	AddressSpaces      AddressProblem = "spaces"       // around it
	AddressControl     AddressProblem = "control"      // a control character in it
	AddressScheme      AddressProblem = "scheme"       // Detail: a scheme other than tcp
	AddressNoPrefix    AddressProblem = "no_prefix"    // Detail: the address with tcp://
	AddressNotAbsolute AddressProblem = "not_absolute" // neither a path from / nor tcp://
	AddressDirectory   AddressProblem = "directory"
	AddressUnclean     AddressProblem = "unclean" // Detail: the path written plainly
	AddressPort        AddressProblem = "port"    // Detail: the port that is not one
	AddressInvalid     AddressProblem = "invalid" // not a URL
	AddressUserInfo    AddressProblem = "user_info"
	AddressAfterPort   AddressProblem = "after_port" // a path, query or fragment
	AddressNoHost      AddressProblem = "no_host"
	AddressNoPort      AddressProblem = "no_port" // a ':' with nothing after it
)

func (e *AddressError) Error() string {
	return fmt.Sprintf("printer address %q: %s", e.Input, e.Reason)
}

const addressForms = `use a device path such as "/dev/usb/lp0" or a network printer such as "tcp://192.168.1.50:9100"`

// ParseAddress reads a printer address: an absolute device path
// ("/dev/usb/lp0") or "tcp://HOST[:PORT]" (port 9100 when left out). It only
// checks the form; whether a printer is there is found out by Open.
func ParseAddress(s string) (Address, error) {
	refuse := func(p AddressProblem, detail, format string, args ...any) (Address, error) {
		return Address{}, &AddressError{Input: s, Reason: fmt.Sprintf(format, args...), Problem: p, Detail: detail}
	}
	switch {
	case s == "":
		return refuse(AddressEmpty, "", "it is empty: %s", addressForms)
	case strings.TrimSpace(s) != s:
		return refuse(AddressSpaces, "", "it has spaces around it")
	case strings.ContainsAny(s, "\x00\n\r\t"):
		return refuse(AddressControl, "", "it contains a control character")
	case strings.HasPrefix(s, "/"):
		return parseDevice(s, refuse)
	case strings.HasPrefix(strings.ToLower(s), "tcp://"):
		return parseNetwork(s, refuse)
	case strings.Contains(s, "://"):
		scheme, _, _ := strings.Cut(s, "://")
		return refuse(AddressScheme, scheme, "%q printers are not supported: %s", scheme, addressForms)
	case looksLikeHostPort(s):
		return refuse(AddressNoPrefix, "tcp://"+s, "a network printer needs the tcp:// prefix: tcp://%s", s)
	default:
		return refuse(AddressNotAbsolute, "", "not an absolute device path: %s", addressForms)
	}
}

func parseDevice(s string, refuse func(AddressProblem, string, string, ...any) (Address, error)) (Address, error) {
	if s == "/" {
		return refuse(AddressDirectory, "", "that is a directory, not a device")
	}
	if path.Clean(s) != s {
		return refuse(AddressUnclean, path.Clean(s), "write the device path plainly, as %q", path.Clean(s))
	}
	return Address{Device: s}, nil
}

func parseNetwork(s string, refuse func(AddressProblem, string, string, ...any) (Address, error)) (Address, error) {
	u, err := url.Parse(s)
	if err != nil {
		if _, port, splitErr := net.SplitHostPort(s[len("tcp://"):]); splitErr == nil && !validPort(port) {
			return refuse(AddressPort, port, "port %q is not a number from 1 to 65535", port)
		}
		return refuse(AddressInvalid, "", "not a valid tcp:// address (%v)", err)
	}
	switch {
	case u.User != nil:
		return refuse(AddressUserInfo, "", "a printer address takes no user name or password")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return refuse(AddressAfterPort, "", "write only tcp://HOST:PORT, nothing after the port")
	case u.Hostname() == "":
		return refuse(AddressNoHost, "", "the host is missing: %s", addressForms)
	}
	port := strconv.Itoa(DefaultPort)
	if p := u.Port(); p != "" {
		if !validPort(p) {
			return refuse(AddressPort, p, "port %q is not a number from 1 to 65535", p)
		}
		port = p
	} else if strings.HasSuffix(u.Host, ":") {
		return refuse(AddressNoPort, "", "the port after ':' is missing")
	}
	return Address{Host: net.JoinHostPort(u.Hostname(), port)}, nil
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && strconv.Itoa(n) == p
}

// looksLikeHostPort catches "192.168.1.50:9100" written without tcp://.
func looksLikeHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return false
	}
	_, err = strconv.Atoi(port)
	return err == nil
}
