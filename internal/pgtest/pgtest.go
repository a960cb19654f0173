// Package pgtest gives tests a PostgreSQL database of their own.
//
// With KIOSK_TEST_POSTGRES set to a connection string (.ci/run sets it to
// the cluster it starts), each test gets a new database on that server,
// and a server that cannot be reached fails the test. Without it, the
// first test that asks starts a throwaway cluster from the PostgreSQL
// installed on the machine (initdb and postgres on PATH or under
// /usr/lib/postgresql/*/bin) in a temporary directory, listening on a Unix
// socket only; it runs as nobody when the tests run as root, because
// initdb refuses root. The cluster stops and its directory is removed when
// the test process exits, however it exits: a shell beside postgres waits
// for the end of a pipe that only the test process holds. Only where no
// PostgreSQL is installed do the tests skip, saying so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable holding the server's connection string.
const EnvDSN = "KIOSK_TEST_POSTGRES"

var (
	once      sync.Once
	serverDSN string
	serverErr error
	noServer  bool // no PostgreSQL installed and none named: skip
)

// Server returns the connection string of the server's maintenance
// database, as a superuser: for creating databases and cutting
// connections. It skips t where no PostgreSQL is installed.
func Server(t testing.TB) string {
	t.Helper()
	once.Do(func() { serverDSN, serverErr = findServer() })
	switch {
	case noServer:
		t.Skipf("no PostgreSQL: set %s to a server's connection string, or install PostgreSQL (initdb and postgres) "+
			"for the tests to start their own: %v", EnvDSN, serverErr)
	case serverErr != nil:
		t.Fatalf("PostgreSQL for the tests: %v", serverErr)
	}
	return serverDSN
}

// DB creates an empty database for t, dropped when t ends, and returns its
// connection string.
func DB(t testing.TB) string {
	t.Helper()
	admin := Server(t)
	name := "kiosk_" + sanitize(t.Name()) + "_" + randomHex(4)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := exec1(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := exec1(ctx, admin, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithParams(admin, map[string]string{"dbname": name})
}

// WithParams returns dsn with the given connection parameters (dbname,
// host, port, ...) replaced, in either form PostgreSQL accepts: a URL or
// keyword=value pairs.
func WithParams(dsn string, params map[string]string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			host, port := u.Hostname(), u.Port()
			for _, k := range slices.Sorted(maps.Keys(params)) {
				switch k {
				case "dbname":
					u.Path = "/" + params[k]
				case "host":
					host = params[k]
				case "port":
					port = params[k]
				default:
					q.Set(k, params[k])
				}
			}
			u.Host = host
			if port != "" {
				u.Host = net.JoinHostPort(host, port)
			}
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		dsn += " " + k + "='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(params[k]) + "'"
	}
	return dsn
}

func exec1(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// sanitize keeps a test's name usable in a database name (at most 63 bytes).
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func findServer() (string, error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec1(ctx, dsn, "SELECT 1"); err != nil {
			return "", fmt.Errorf("%s names a server that does not answer: %w", EnvDSN, err)
		}
		return dsn, nil
	}
	bin, err := findBinaries()
	if err != nil {
		noServer = true
		return "", err
	}
	return startCluster(bin)
}

// findBinaries returns the directory holding initdb and postgres: PATH
// first, then the newest of Debian's /usr/lib/postgresql/*/bin.
func findBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob(debianBinaries)
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(b) - majorOf(a) })
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", errors.New("initdb is neither on PATH nor under /usr/lib/postgresql/*/bin")
}

// debianBinaries is where Debian's postgresql packages put the programs.
var debianBinaries = "/usr/lib/postgresql/*/bin"

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// superuser is the role initdb creates for the tests.
const superuser = "kiosk"

// startCluster initialises and starts a cluster in a new directory and
// returns the connection string of its postgres database.
func startCluster(bin string) (string, error) {
	// Under /tmp rather than TMPDIR: a Unix socket's path may not exceed
	// about 100 bytes.
	base, err := os.MkdirTemp("/tmp", "kiosk-pg-")
	if err != nil {
		return "", err
	}
	cred, err := clusterOwner(base)
	if err != nil {
		os.RemoveAll(base)
		return "", err
	}
	data := filepath.Join(base, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", superuser, "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	initdb.Dir = base // nobody may not be allowed into the package's directory
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(base)
		return "", fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if err := runPostgres(bin, base, cred); err != nil {
		return "", err
	}
	dsn := fmt.Sprintf("host=%s port=5432 user=%s dbname=postgres sslmode=disable", base, superuser)
	return dsn, waitReady(dsn, filepath.Join(base, "postgres.log"))
}

// clusterOwner makes base the cluster's: nobody's when we are root, ours
// otherwise (nil credentials).
func clusterOwner(base string) (*syscall.Credential, error) {
	if err := os.Chmod(base, 0o755); err != nil {
		return nil, err
	}
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("initdb refuses to run as root, and there is no user nobody to run it as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(base, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// watchdog runs postgres in the background and, when its standard input
// ends (the test process exited and the pipe closed), stops it with a fast
// shutdown and removes the cluster's directory.
const watchdog = `"$PGBIN/postgres" -D "$PGBASE/data" -k "$PGBASE" -c listen_addresses= -c max_connections=200 ` +
	`-c shared_buffers=64MB -c max_wal_size=1GB -c log_min_messages=warning 2>>"$PGBASE/postgres.log" &
pid=$!
cat >/dev/null
kill -INT $pid
wait $pid
rm -rf "$PGBASE"`

// keepAlive holds the write end of the watchdog's pipe for the life of the
// test process.
var keepAlive *os.File

func runPostgres(bin, base string, cred *syscall.Credential) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd := exec.Command("/bin/sh", "-c", watchdog)
	cmd.Env = append(os.Environ(), "PGBIN="+bin, "PGBASE="+base, "LC_ALL=C", "TZ=UTC")
	cmd.Dir = base
	cmd.Stdin = r // not inherited output: go test would wait for the shell to close it
	// Its own process group, so that a Ctrl+C aimed at the tests leaves
	// the shutdown to the watchdog.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return fmt.Errorf("start postgres: %w", err)
	}
	r.Close()
	keepAlive = w
	go func() { _ = cmd.Wait() }()
	return nil
}

// waitReady waits until the server takes connections, for at most a minute
// on a loaded machine.
func waitReady(dsn, logPath string) error {
	deadline := time.Now().Add(time.Minute)
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = exec1(ctx, dsn, "SELECT 1")
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(logPath)
	return fmt.Errorf("postgres did not start: %v\n%s", err, log)
}
