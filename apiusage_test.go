package main

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kiosk/pos"
)

// TestEachAPIMethodsUsageIsTheFlagsItTakes: kiosk help api METHOD lists,
// in its synopsis and in its flags, exactly the flags kiosk api METHOD
// accepts: every flag any api method takes is tried on each method. And
// precreate's are the few it sends.
func TestEachAPIMethodsUsageIsTheFlagsItTakes(t *testing.T) {
	discard := stdio{in: strings.NewReader(""), out: io.Discard, diag: io.Discard}
	flagRow := regexp.MustCompile(`(?m)^  --([a-z-]+)`)
	inSynopsis := regexp.MustCompile(`\[--([a-z-]+)`)
	usages := map[string][]string{}
	var every []string
	for _, m := range pos.APIMethods {
		var out strings.Builder
		if err := execute([]string{"help", "api", m}, stdio{in: strings.NewReader(""), out: &out, diag: io.Discard}); err != nil {
			t.Fatal(err)
		}
		synopsis, rows, _ := strings.Cut(out.String(), "\n\n")
		var listed, synopsised []string
		for _, f := range flagRow.FindAllStringSubmatch(rows, -1) {
			listed = append(listed, f[1])
		}
		for _, f := range inSynopsis.FindAllStringSubmatch(synopsis, -1) {
			synopsised = append(synopsised, f[1])
		}
		if !slices.Equal(listed, synopsised) || !strings.HasPrefix(synopsis, "usage: kiosk api "+m+" [") {
			t.Errorf("kiosk help api %s: synopsis flags %v, described %v:\n%s", m, synopsised, listed, out.String())
		}
		usages[m] = listed
		every = append(every, listed...)
	}
	slices.Sort(every)
	every = slices.Compact(every)
	for _, m := range pos.APIMethods {
		for _, f := range every {
			_, _, err := parse([]string{"api", m, "--" + f, "1"}, discard)
			refused := err != nil && strings.Contains(err.Error(), "takes no flag --"+f)
			if listed := slices.Contains(usages[m], f); listed == refused {
				t.Errorf("kiosk api %s --%s: refused %v (%v), but its usage lists it: %v", m, f, refused, err, listed)
			}
		}
	}
	if want := []string{"amount", "config", "lang", "out-trade-no", "protocol", "subject", "timeout", "verbose"}; !slices.Equal(usages["precreate"], want) {
		t.Errorf("precreate's flags: %v, want %v", usages["precreate"], want)
	}
}
