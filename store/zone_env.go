package store

import (
	"os"
	"path/filepath"
	"strings"
)

// lookupTZ finds the host zone's IANA name: $TZ, else the target of
// /etc/localtime (…/zoneinfo/Asia/Shanghai).
func lookupTZ() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		return tz
	}
	target, err := filepath.EvalSymlinks("/etc/localtime")
	if err != nil {
		return ""
	}
	if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
		return name
	}
	return ""
}
