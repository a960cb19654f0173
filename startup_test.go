package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/alipay/emulator"
	"kiosk/pos"
	"kiosk/ui/cli"
)

// dirState is what a directory holds: every path with its mode, size and
// modification time; nil when the directory does not exist.
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	state := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		state[p] = fmt.Sprintf("%v %d %s", fi.Mode(), fi.Size(), fi.ModTime().Format(time.RFC3339Nano))
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// earlierRun leaves in dir what a kiosk on the emulator leaves: ledger,
// log, lock, the emulator's keys and trades.
func earlierRun(t *testing.T, dir string) {
	t.Helper()
	c, err := openCounter(mustPlan(t, fileConfig{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.register.Start(t.Context(), 100, "earlier run"); err != nil {
		t.Fatal(err)
	}
	c.close()
}

// A start refused for a usage reason (exit status 2, "nothing was done")
// creates and changes nothing in the data directory: a busy notify_addr,
// damaged emulator keys.
func TestRefusedStartLeavesTheDataDirectoryAlone(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyCfg := fileConfig{NotifyAddr: busy.Addr().String(), NotifyURL: "http://" + busy.Addr().String() + pos.NotifyPath}
	tests := []struct {
		name    string
		cfg     fileConfig
		prepare func(t *testing.T, dir string)
		want    string
	}{
		{"busy notify_addr, new directory", busyCfg, nil, "notify_addr " + busy.Addr().String()},
		{"busy notify_addr after an earlier run", busyCfg, earlierRun, "notify_addr " + busy.Addr().String()},
		{"emulator keys incomplete", fileConfig{}, func(t *testing.T, dir string) {
			writeFile(t, mkdir(t, filepath.Join(dir, emulator.KeysDir)), emulator.AppPrivateKeyFile, "left over")
		}, "incomplete"},
		{"emulator keys damaged after an earlier run", fileConfig{}, func(t *testing.T, dir string) {
			earlierRun(t, dir)
			writeFile(t, filepath.Join(dir, emulator.KeysDir), emulator.AlipayPublicKeyFile, "scribbled")
		}, emulator.AlipayPublicKeyFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if tt.prepare != nil {
				tt.prepare(t, dir)
			}
			before := dirState(t, dir)
			_, err := openCounter(mustPlan(t, tt.cfg), dir)
			if !errors.As(err, new(cli.UsageError)) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("openCounter = %v; want a usage error about %q", err, tt.want)
			}
			if after := dirState(t, dir); !maps.Equal(before, after) {
				t.Errorf("the refused start changed the data directory:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func mkdir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}
