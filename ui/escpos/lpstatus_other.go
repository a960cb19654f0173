//go:build !linux

package escpos

// deviceStatus knows no printer driver's status outside Linux.
func deviceStatus(port) Status { return Status{} }
