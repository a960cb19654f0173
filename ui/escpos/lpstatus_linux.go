package escpos

import (
	"os"
	"syscall"
	"unsafe"
)

// lpGetStatus is LPGETSTATUS from <linux/lp.h>: the usblp and lp drivers
// answer it with the printer's IEEE 1284 status byte.
const lpGetStatus = 0x060b

// deviceStatus asks a printer device's driver for the printer's status.
// Anything that is not such a device (a FIFO, a regular file) has Known
// false.
func deviceStatus(p port) Status {
	var f *os.File
	switch p := p.(type) {
	case *os.File:
		f = p
	case *timedFile:
		f = p.f
	default:
		return Status{}
	}
	// SyscallConn, not Fd: Fd would put the file back in blocking mode and
	// so turn off its write deadlines.
	rc, err := f.SyscallConn()
	if err != nil {
		return Status{}
	}
	var status int32
	var errno syscall.Errno
	err = rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, lpGetStatus, uintptr(unsafe.Pointer(&status)))
	})
	if err != nil || errno != 0 {
		return Status{}
	}
	return parseLPStatus(byte(status))
}
