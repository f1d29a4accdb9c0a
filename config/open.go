package config

import (
	"errors"
	"fmt"
)

// OpenStore picks the credential store. kind is "keyring", "file" or
// "auto"; remembered is the kind that holds this profile's key now, if any,
// so auto finds a key where it was put: a key kept in the keyring is looked
// for there even when the keyring does not answer (locked, say), so that is
// reported rather than read as no key. Otherwise auto uses the keyring when
// it answers, else the file, and note says so: never a silent fallback.
// Over a memory folder every kind keeps keys in memory: the demo and tests
// never reach the real keyring.
func OpenStore(kind, remembered string, folder *Folder, backend KeyringBackend) (store Store, note string, err error) {
	switch {
	case kind != "file" && kind != "keyring" && kind != "auto" && kind != "":
		return nil, "", fmt.Errorf("unknown store %q: use auto, keyring or file", kind)
	case folder != nil && folder.mem != nil, kind == "file", kind != "keyring" && remembered == "file":
		return NewFile(folder), "", nil
	case kind == "keyring", remembered == "keyring":
		return NewKeyring(backend), "", nil
	}
	k := NewKeyring(backend)
	if perr := k.probe(); perr != nil {
		f := NewFile(folder)
		return f, fmt.Sprintf("The OS keyring is not available (%v), so the key is kept in %s. "+
			"Use --store keyring to insist on the keyring.", errors.Unwrap(perr), f.Where()), nil
	}
	return k, "", nil
}
