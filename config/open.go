package config

// OpenStore picks the credential store. kind is "keyring", "file" or
// "auto" ("" is auto); hint is the kind state.json says holds this
// profile's key: only a hint of where to look first, since anyone who can
// write state.json could change it. Keys are looked for wherever they can
// be, and a change leaves the key in one store only (see Stores). Which
// store auto writes to is decided at the first write, so opening never
// waits for the keyring; Stores.Fallback then says why the file was used.
// Over a memory folder every kind keeps keys in memory: the demo and tests
// never reach the real keyring.
func OpenStore(kind string, hint StoreKind, folder *Folder, backend KeyringBackend) (Store, error) {
	asked, err := ParseStoreKind(kind)
	if err != nil {
		return nil, err
	}
	if folder != nil && folder.mem != nil {
		return NewFile(folder), nil
	}
	if hint != KeyringStore && hint != FileStore {
		hint = noStoreChosen
	}
	return &Stores{asked: asked, hint: hint, file: NewFile(folder), keyring: NewKeyring(backend)}, nil
}
