package pgtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestDatabaseOfItsOwn(t *testing.T) {
	ctx := context.Background()
	a, b := DB(t), DB(t)
	if a == b {
		t.Fatalf("two tests' databases share a connection string: %s", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 't'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the second database sees the first's table: %d, %v", n, err)
	}
}

func TestProxyCutAndRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, dsn := NewProxy(t, DB(t))
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	p.Cut()
	if _, err := conn.Exec(ctx, "SELECT 1"); err == nil {
		t.Fatal("a query went through a cut network")
	}
	if c, err := pgx.Connect(ctx, dsn); err == nil {
		c.Close(ctx)
		t.Fatal("a new connection went through a cut network")
	}
	p.Restore()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("after Restore: %v", err)
	}
	c.Close(ctx)
}

func TestWithParams(t *testing.T) {
	tests := []struct{ in, want string }{
		{"host=/tmp/x user=k dbname=postgres", "host=/tmp/x user=k dbname=postgres dbname='d' port='1'"},
		{"postgres://k@h:5432/postgres?sslmode=disable", "postgres://k@h:1/d?sslmode=disable"},
	}
	for _, tt := range tests {
		if got := WithParams(tt.in, map[string]string{"dbname": "d", "port": "1"}); got != tt.want {
			t.Errorf("WithParams(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNoPostgreSQLInstalled: without PostgreSQL on PATH or in Debian's
// place, the helper says so (and the tests skip with that message).
func TestNoPostgreSQLInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := debianBinaries
	debianBinaries = t.TempDir() + "/*/bin"
	defer func() { debianBinaries = old }()
	if dir, err := findBinaries(); err == nil || !strings.Contains(err.Error(), "initdb is neither on PATH") {
		t.Errorf("findBinaries = %q, %v", dir, err)
	}
}

func TestFindsTheNewestDebianPostgreSQL(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9", "15", "13"} {
		dir := filepath.Join(root, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "initdb"), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", t.TempDir())
	old := debianBinaries
	debianBinaries = root + "/*/bin"
	defer func() { debianBinaries = old }()
	if dir, err := findBinaries(); err != nil || dir != filepath.Join(root, "15", "bin") {
		t.Errorf("findBinaries = %q, %v", dir, err)
	}
}
