//go:build linux

package procguard

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// harden keeps the key out of core dumps and out of reach of other processes
// of the same user.
func harden() (notes []string) {
	// Both limits go to 0 so nothing later in the process can raise them.
	// This alone is not enough: when core_pattern pipes to a helper
	// (systemd-coredump, apport) the kernel hands it the dump whatever the
	// limit, and leaves the decision to the helper.
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}); err != nil {
		notes = append(notes, "Core dumps could not be limited ("+err.Error()+"); a crash could write the API key to disk.")
	}
	// A non-dumpable process is not dumped at all (with fs.suid_dumpable=2,
	// only into a root-only file), cannot be ptrace-attached by the same
	// user, and its /proc/<pid>/{mem,environ,maps,fd,...} become root's, so a
	// same-user process cannot read the key out of memory either. Execve
	// resets the flag, so the clipboard tool or browser we start are normal.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		notes = append(notes, "The process could not be made non-dumpable ("+err.Error()+"); a crash or a debugger could read the API key.")
	}
	return notes
}

// scrubInitialEnv blanks the values of the named variables in the
// environment block the process was started with. os.Unsetenv only edits the
// Go runtime's copy; the kernel serves /proc/<pid>/environ (and `ps e`) from
// the original block on the process's stack, so without this the key stays
// readable there for as long as the program runs.
//
// Nothing reads that block after start-up: the runtime copied every entry
// (runtime/runtime1.go goenvs_unix), and with cgo, libc's environ loses the
// entry in the os.Unsetenv that TakeSecrets did first.
func scrubInitialEnv(names []string) error {
	start, end, err := envBounds()
	if err != nil {
		return err
	}
	// An environment is at most a few MiB (ARG_MAX); anything bigger means
	// the bounds were misread, and writing there would corrupt memory.
	if end <= start || end-start > 16<<20 {
		return fmt.Errorf("procguard: implausible environment bounds %#x-%#x", start, end)
	}
	block := make([]byte, end-start)
	if err := selfMem(start, block, false); err != nil {
		return err
	}

	var firstErr error
	off := uintptr(0)
	for _, entry := range bytes.Split(block, []byte{0}) {
		at := off
		off += uintptr(len(entry)) + 1
		eq := bytes.IndexByte(entry, '=')
		if eq <= 0 || eq == len(entry)-1 {
			continue
		}
		name := string(entry[:eq])
		for _, n := range names {
			if n == name { // Linux environment names are case-sensitive
				zeros := make([]byte, len(entry)-eq-1)
				if err := selfMem(start+at+uintptr(eq)+1, zeros, true); err != nil && firstErr == nil {
					firstErr = err
				}
				break
			}
		}
	}
	return firstErr
}

// envBounds reads env_start and env_end, fields 50 and 51 of
// /proc/self/stat (proc(5), Linux 3.5 and later). stat stays world-readable
// after PR_SET_DUMPABLE 0, and the kernel fills these in for the process
// itself.
func envBounds() (start, end uintptr, err error) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) may hold spaces and parentheses; fields
	// after the last ')' are plain numbers, starting with field 3.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, errors.New("procguard: unexpected /proc/self/stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 49 {
		return 0, 0, errors.New("procguard: /proc/self/stat has no env_start/env_end")
	}
	s, err1 := strconv.ParseUint(f[47], 10, 64)
	e, err2 := strconv.ParseUint(f[48], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, err
	}
	return uintptr(s), uintptr(e), nil
}

// selfMem reads or writes this process's memory at addr. It goes through
// process_vm_readv/writev rather than a Go pointer so that no address has to
// be turned into an unsafe.Pointer, and because, unlike /proc/self/mem, it is
// not blocked by the root ownership that PR_SET_DUMPABLE 0 gives /proc/self.
// /proc/self/mem remains the fallback where a seccomp filter refuses those
// calls.
func selfMem(addr uintptr, buf []byte, write bool) error {
	if len(buf) == 0 {
		return nil
	}
	local := []unix.Iovec{{Base: &buf[0]}}
	local[0].SetLen(len(buf))
	remote := []unix.RemoteIovec{{Base: addr, Len: len(buf)}}
	var n int
	var err error
	if write {
		n, err = unix.ProcessVMWritev(os.Getpid(), local, remote, 0)
	} else {
		n, err = unix.ProcessVMReadv(os.Getpid(), local, remote, 0)
	}
	if err == nil && n == len(buf) {
		return nil
	}

	flag := os.O_RDONLY
	if write {
		flag = os.O_RDWR
	}
	f, ferr := os.OpenFile("/proc/self/mem", flag, 0)
	if ferr != nil {
		return errors.Join(err, ferr)
	}
	defer f.Close()
	if write {
		_, ferr = f.WriteAt(buf, int64(addr))
	} else {
		_, ferr = f.ReadAt(buf, int64(addr))
	}
	return ferr
}
