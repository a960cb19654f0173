package words

import (
	"errors"
	"io/fs"
	"net"
	"strings"
	"syscall"
)

// SystemReason says in the language why the system refused a file or a
// connection: the errno behind err (a file that does not exist, a
// permission, a refused connection…), else the innermost error's own
// text, never the operations and paths the Go packages put before it.
func (w *Words) SystemReason(err error) string {
	sw := &w.System
	for _, r := range []struct {
		target error
		say    string
	}{
		{syscall.ENOTDIR, sw.NotDir},
		{syscall.EISDIR, sw.IsDir},
		{fs.ErrNotExist, sw.NotExist},
		{fs.ErrPermission, sw.Permission},
		{syscall.ENOSPC, sw.DiskFull},
		{syscall.EROFS, sw.ReadOnly},
		{syscall.ECONNREFUSED, sw.Refused},
		{syscall.EADDRINUSE, sw.AddrInUse},
		{syscall.ETIMEDOUT, sw.TimedOut},
		{syscall.EHOSTUNREACH, sw.Unreachable},
		{syscall.ENETUNREACH, sw.Unreachable},
	} {
		if errors.Is(err, r.target) {
			return r.say
		}
	}
	if dns, ok := errors.AsType[*net.DNSError](err); ok && dns.IsNotFound {
		return sw.NoHost
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return sw.TimedOut
	}
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return strings.Join(strings.Fields(err.Error()), " ") // one line
		}
		err = inner
	}
}
