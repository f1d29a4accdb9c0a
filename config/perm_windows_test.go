package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// fileAllAccess is FILE_ALL_ACCESS, what SDDL's FA grants.
const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff

func currentUser(t *testing.T) *windows.SID {
	t.Helper()
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	return user.User.Sid
}

// underWine: Wine 8.0 keeps no security descriptors, only Unix mode bits,
// and reports one made from them (the owner, SYSTEM, and Everyone for the
// "other" bits); an access list set on a file reads back as that.
var underWine = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil

func dacl(t *testing.T, path string) *windows.SECURITY_DESCRIPTOR {
	t.Helper()
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	return sd
}

// setDACL gives path the access list an SDDL "D:" string describes. Under
// Wine the test is skipped unless the list read back still holds mustKeep,
// the part of it the test is about.
func setDACL(t *testing.T, path, sddl, mustKeep string) {
	t.Helper()
	defer func() {
		if got := dacl(t, path).String(); underWine && !strings.Contains(got, mustKeep) {
			t.Skipf("Wine cannot keep the access list %s (it reads back as %s)", sddl, got)
		}
	}()
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		t.Fatal(err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		t.Fatal(err)
	}
	info := windows.SECURITY_INFORMATION(windows.DACL_SECURITY_INFORMATION)
	if strings.HasPrefix(sddl, "D:P") {
		info |= windows.PROTECTED_DACL_SECURITY_INFORMATION
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, info, nil, nil, dacl, nil); err != nil {
		t.Fatal(err)
	}
}

func TestTheFileStoreWritesAnOwnerOnlyFile(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "lattice-link"))
	f := NewFile(folder)
	for _, k := range []string{key, "second-key-abcdefgh"} { // created, then replaced
		if err := f.Set("default", k); err != nil {
			t.Fatal(err)
		}
		if got, err := f.Get("default"); err != nil || got != k {
			t.Fatalf("Get = %q, %v", got, err)
		}
	}
	path := filepath.Join(folder.Path, "credentials.json")
	sd := dacl(t, path)
	if underWine {
		// What this test can see here: no other account may read the file.
		if _, readers, err := otherReaders(path); err != nil || len(readers) > 0 {
			t.Errorf("other readers %v, %v: %s", readers, err, sd)
		}
		t.Logf("Wine keeps no access lists: the exact one is checked on Windows only (%s)", sd)
	} else {
		requireOwnerOnly(t, sd)
	}
	if note := f.Where(); strings.Contains(note, "mode") {
		t.Errorf("Where() = %q speaks of Unix modes", note)
	}
}

// TestTheOwnerOnlyDescriptor checks the descriptor files are created with,
// which Wine, unlike Windows, does not keep whole.
func TestTheOwnerOnlyDescriptor(t *testing.T) {
	sd, err := ownerOnly()
	if err != nil {
		t.Fatal(err)
	}
	requireOwnerOnly(t, sd)
}

// TestTheConfigFolderIsCreatedOwnerOnly: the config folder lattice-link
// creates is its user's alone from the start (not %AppData%'s entries), and
// what is made inside it without a descriptor of its own (the lock) inherits
// that.
func TestTheConfigFolderIsCreatedOwnerOnly(t *testing.T) {
	folder := NewFolder(filepath.Join(t.TempDir(), "lattice-link"))
	unlock, err := folder.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if _, readers, err := otherReaders(folder.Path); err != nil || len(readers) > 0 {
		t.Errorf("other readers %v, %v: %s", readers, err, dacl(t, folder.Path))
	}
	if underWine {
		// Wine makes a descriptor from the Unix mode, which the one given
		// at creation set (0700 whatever the umask), and inherits nothing.
		t.Logf("Wine keeps no access lists: the exact one and its inheritance are checked on Windows only (%s)",
			dacl(t, folder.Path))
		return
	}
	requireOwnerOnlyWith(t, dacl(t, folder.Path), windows.OBJECT_INHERIT_ACE|windows.CONTAINER_INHERIT_ACE)
	if _, readers, err := otherReaders(folder.lockPath()); err != nil || len(readers) > 0 {
		t.Errorf("the lock: other readers %v, %v: %s", readers, err, dacl(t, folder.lockPath()))
	}
}

// TestTheOwnerOnlyFolderDescriptor checks the descriptor the config folder
// is created with, which Wine does not keep whole.
func TestTheOwnerOnlyFolderDescriptor(t *testing.T) {
	sd, err := ownerOnlyFolder()
	if err != nil {
		t.Fatal(err)
	}
	requireOwnerOnlyWith(t, sd, windows.OBJECT_INHERIT_ACE|windows.CONTAINER_INHERIT_ACE)
}

// requireOwnerOnly: one entry, full control for the current user, nothing
// inherited from the folder.
func requireOwnerOnly(t *testing.T, sd *windows.SECURITY_DESCRIPTOR) {
	t.Helper()
	requireOwnerOnlyWith(t, sd, 0)
}

// requireOwnerOnlyWith is requireOwnerOnly for an entry with the given
// inheritance flags (a folder's, passed on to what is made inside).
func requireOwnerOnlyWith(t *testing.T, sd *windows.SECURITY_DESCRIPTOR, aceFlags uint8) {
	t.Helper()
	control, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	if control&windows.SE_DACL_PROTECTED == 0 {
		t.Errorf("the DACL is not protected, so the folder's entries are inherited: %s", sd)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("DACL = %v, %v", dacl, err)
	}
	if dacl.AceCount != 1 {
		t.Fatalf("%d entries, want 1: %s", dacl.AceCount, sd)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
	if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Header.AceFlags != aceFlags ||
		ace.Mask != fileAllAccess || !sid.Equals(currentUser(t)) {
		t.Errorf("want full control for %s alone: %s", currentUser(t), sd)
	}
}

func TestAFileOtherAccountsCanReadIsRefusedInWindowsWords(t *testing.T) {
	user := currentUser(t).String()
	for _, c := range []struct {
		name, sddl, mustKeep string
		readers              []string // nil when the file is to be read
	}{
		{"Everyone may read", "D:P(A;;FA;;;" + user + ")(A;;FR;;;WD)", ";;;WD)", []string{"Everyone", "*S-1-1-0"}},
		{"Users may change its access list", "D:P(A;;FA;;;" + user + ")(A;;WD;;;BU)", ";;;BU)", []string{"*S-1-5-32-545"}},
		{"no DACL at all", "D:NO_ACCESS_CONTROL", "NO_ACCESS_CONTROL", []string{"Everyone"}},
		{"a profile folder's entries, as an older version left it", "D:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;" + user + ")", ";;;BA)", nil},
		{"Everyone denied", "D:P(D;;FA;;;WD)(A;;FA;;;" + user + ")", "(D;;FA;;;WD)", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			folder := NewFolder(t.TempDir())
			f := NewFile(folder)
			if err := f.Set("default", key); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(folder.Path, "credentials.json")
			setDACL(t, path, c.sddl, c.mustKeep)
			got, err := f.Get("default")
			if c.readers == nil {
				if err != nil || got != key {
					t.Fatalf("Get = %q, %v", got, err)
				}
				return
			}
			if err == nil {
				t.Fatal("the key was read")
			}
			msg := err.Error()
			for _, want := range append([]string{path + " can be read by other Windows accounts", "icacls \"" + path + "\"",
				"rotating the key"}, c.readers...) {
				if !strings.Contains(msg, want) {
					t.Errorf("%q is not in: %s", want, msg)
				}
			}
			for _, unix := range []string{"chmod", "mode 0", key} {
				if strings.Contains(msg, unix) {
					t.Errorf("%q is in: %s", unix, msg)
				}
			}
		})
	}
}
