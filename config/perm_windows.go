package config

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/lattice-link/lattice-link/sanitize"
)

// On Windows the mode bits Go reports say nothing about who may read a file
// (every writable file is "0666"); its security descriptor does. The files
// lattice-link writes in its folder get an owner-only one from the moment
// they exist, and a key is read only from a file no other account can read.

// privateFileNote says how credentials.json is kept from other users.
const privateFileNote = "readable by your Windows account alone"

// ownerOnly is the security descriptor lattice-link creates its files with:
// one entry, the current user with full control; P (protected) keeps the
// folder's entries from being inherited.
func ownerOnly() (*windows.SECURITY_DESCRIPTOR, error) { return ownerOnlyWith("") }

// ownerOnlyFolder is ownerOnly for the config folder it creates, its entry
// inherited (OICI) by what is made inside without one of its own: the lock,
// a state.json set aside.
func ownerOnlyFolder() (*windows.SECURITY_DESCRIPTOR, error) { return ownerOnlyWith("OICI") }

func ownerOnlyWith(inherit string) (*windows.SECURITY_DESCRIPTOR, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	return windows.SecurityDescriptorFromString("D:P(A;" + inherit + ";FA;;;" + user.User.Sid.String() + ")")
}

// mkdirPrivate creates the config folder with the owner-only descriptor,
// given at creation for createPrivateTemp's reason: %AppData%'s entries
// would otherwise be inherited, and an administrator's tool or a roaming
// profile may have added others there.
func mkdirPrivate(path string) error {
	sd, err := ownerOnlyFolder()
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: err}
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	name16, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: err}
	}
	if err := windows.CreateDirectory(name16, sa); err != nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: err}
	}
	return nil
}

// createPrivateTemp is os.CreateTemp(dir, prefix+"*") for a file with the
// owner-only descriptor. It is given at creation, not set afterwards: another
// account could open the file in between and keep reading through that
// handle. No sharing either: nothing else opens it while the key is written.
func createPrivateTemp(dir, prefix string) (*os.File, error) {
	sd, err := ownerOnly()
	if err != nil {
		return nil, &fs.PathError{Op: "createtemp", Path: dir, Err: err}
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		name16, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, &fs.PathError{Op: "createtemp", Path: name, Err: err}
		}
		h, err := windows.CreateFile(name16, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, sa,
			windows.CREATE_NEW, windows.FILE_ATTRIBUTE_NORMAL, 0)
		if errors.Is(err, windows.ERROR_FILE_EXISTS) {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "createtemp", Path: name, Err: err}
		}
		return os.NewFile(uintptr(h), name), nil
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"), Err: fs.ErrExist}
}

// checkPrivateFile refuses credentials.json when its access list lets an
// account read it other than its owner (OWNER RIGHTS too), the current user,
// SYSTEM and the Administrators (who, like root on Unix, can take any file anyway). A file
// lattice-link wrote has the owner-only descriptor; one an older version
// wrote inherits %AppData%'s, which grants just those.
func checkPrivateFile(path string, _ fs.FileInfo) error {
	owner, readers, err := otherReaders(path)
	if err != nil {
		return fmt.Errorf("cannot check who can read %s: %w", path, err)
	}
	if len(readers) == 0 {
		return nil
	}
	names := make([]string, len(readers))
	remove := ""
	for i, sid := range readers {
		names[i] = accountName(sid)
		remove += " *" + sid.String()
	}
	return fmt.Errorf("%s can be read by other Windows accounts (%s), so the key in it may have leaked; "+
		"make it yours alone in its Properties (Security, Advanced: disable inheritance, remove every entry but yours), "+
		"or with: icacls \"%s\" /inheritance:r /grant:r *%s:F /remove:g%s, and consider rotating the key",
		path, strings.Join(names, ", "), path, owner, remove)
}

// readAccess is what lets an account read a file, or give itself the right
// to (WRITE_DAC, WRITE_OWNER).
const readAccess = windows.FILE_READ_DATA | windows.GENERIC_READ | windows.GENERIC_ALL |
	windows.MAXIMUM_ALLOWED | windows.WRITE_DAC | windows.WRITE_OWNER

// otherReaders returns the file's owner and the accounts its DACL lets read
// it that are none of those checkPrivateFile accepts. A NULL DACL lets
// everyone in: Everyone is returned.
func otherReaders(path string) (owner *windows.SID, readers []*windows.SID, err error) {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return nil, nil, err
	}
	if owner, _, err = sd.Owner(); err != nil {
		return nil, nil, err
	}
	accepted := []*windows.SID{owner}
	if user, err := windows.GetCurrentProcessToken().GetTokenUser(); err == nil {
		accepted = append(accepted, user.User.Sid)
	}
	for _, known := range []windows.WELL_KNOWN_SID_TYPE{windows.WinLocalSystemSid, windows.WinBuiltinAdministratorsSid,
		windows.WinCreatorOwnerRightsSid} {
		if sid, err := windows.CreateWellKnownSid(known); err == nil {
			accepted = append(accepted, sid)
		}
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return nil, nil, err
	}
	if dacl == nil {
		everyone, err := windows.CreateWellKnownSid(windows.WinWorldSid)
		if err != nil {
			return nil, nil, err
		}
		return owner, []*windows.SID{everyone}, nil
	}
	for i := range uint32(dacl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return nil, nil, err
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 ||
			ace.Mask&readAccess == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !containsSID(accepted, sid) && !containsSID(readers, sid) {
			readers = append(readers, sid)
		}
	}
	return owner, readers, nil
}

func containsSID(list []*windows.SID, sid *windows.SID) bool {
	for _, s := range list {
		if s.Equals(sid) {
			return true
		}
	}
	return false
}

// accountName is DOMAIN\name for a SID, or the SID itself when it names no
// account; cleaned, as the domain's name comes from outside.
func accountName(sid *windows.SID) string {
	account, domain, _, err := sid.LookupAccount("")
	switch {
	case err != nil || account == "":
		return sid.String()
	case domain == "":
		return sanitize.Line(account, 100)
	}
	return sanitize.Line(domain+`\`+account, 200)
}
