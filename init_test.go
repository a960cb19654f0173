package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// maxInitBytes is the most a package of the module may allocate in its
// package init. Every kiosk command, `kiosk ledger` as much as the
// counter, pays for the init of every package in the binary, so what is
// costly (compiling expressions, parsing templates, building tables) is
// done at its first use. Bytes allocated are a measure of that work
// that does not depend on the machine's load.
const maxInitBytes = 16 << 10

// TestPackageInitsAreLight runs this test binary again, doing nothing,
// with GODEBUG=inittrace=1, and reads what each of the module's packages
// allocated in its init.
func TestPackageInitsAreLight(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var trace bytes.Buffer
	cmd.Stderr = &trace
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, trace.Bytes())
	}
	// init kiosk/alipay @5.1 ms, 0.087 ms clock, 8632 bytes, 104 allocs
	line := regexp.MustCompile(`(?m)^init (kiosk/\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, (\d+) allocs$`)
	found := line.FindAllStringSubmatch(trace.String(), -1)
	if len(found) == 0 {
		t.Fatalf("no init of the module's packages in the trace:\n%s", trace.Bytes())
	}
	for _, m := range found {
		if n, _ := strconv.Atoi(m[2]); n > maxInitBytes {
			t.Errorf("package %s allocates %d bytes in %s allocations at init; keep it under %d and do the work at first use", m[1], n, m[3], maxInitBytes)
		}
	}
}
