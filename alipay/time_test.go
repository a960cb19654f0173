package alipay

import (
	"testing"
	"time"
)

func TestTimeHelpers(t *testing.T) {
	if name := Location().String(); name != "Asia/Shanghai" {
		t.Errorf("Location() = %q", name)
	}
	if got := FormatTime(fixedNow); got != "2026-01-02 11:04:05" {
		t.Errorf("FormatTime = %q", got)
	}
	got, err := ParseTime("2026-01-02 11:04:05")
	if err != nil || !got.Equal(fixedNow) {
		t.Errorf("ParseTime = %v, %v; want %v", got, err, fixedNow)
	}
	if _, err := ParseTime("2026-01-02T11:04:05Z"); err == nil {
		t.Error("ParseTime accepted RFC 3339")
	}
	// China has kept +08:00 all year since 1991.
	summer := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	if got := FormatTime(summer); got != "2026-07-01 08:00:00" {
		t.Errorf("summer FormatTime = %q", got)
	}
}
