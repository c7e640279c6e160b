package azurite

import "syscall"

// sysProcAttr ends the emulator with the process that started it, should that one die without Stop.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
