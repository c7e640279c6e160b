//go:build !linux

package azurite

import "syscall"

// sysProcAttr: outside Linux there is no parent-death signal; Stop ends the emulator.
func sysProcAttr() *syscall.SysProcAttr { return nil }
