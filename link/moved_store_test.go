package link

import (
	"context"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
)

// memKeyring is an OS keyring that works, in memory.
type memKeyring struct {
	mu   sync.Mutex
	keys map[string]string
}

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.keys[service+"/"+user]; ok {
		return v, nil
	}
	return "", keyring.ErrNotFound
}

func (k *memKeyring) Set(service, user, password string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys[service+"/"+user] = password
	return nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.keys[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.keys, service+"/"+user)
	return nil
}

// TestAKeyStoredElsewhereNowSaysWhereItMovedFrom: a connect that puts the
// key in the file when the one it replaces was in the keyring says the
// keyring holds no key now; one that stays in the same store says nothing
// moved.
func TestAKeyStoredElsewhereNowSaysWhereItMovedFrom(t *testing.T) {
	f := newFixture(t)
	kr := &memKeyring{keys: map[string]string{}}
	linkWith := func(asked string) *Link {
		return New(Config{Profile: "acme", Client: f.l.Client, Folder: f.folder,
			OpenStore: func() (config.Store, error) { return config.OpenStore(asked, "", f.folder, kr) }})
	}
	first, err := linkWith("keyring").Connect(context.Background(), latticedemo.KeyAdmin, "", false)
	if err != nil || first.StoreKind != config.KeyringStore || first.Moved != nil {
		t.Fatalf("the first connect: %+v, %v", first, err)
	}
	again := confirmed(t, linkWith("keyring"), latticedemo.KeyRotated, latticedemo.KeyAdmin)
	if again.StoreKind != config.KeyringStore || again.Moved != nil {
		t.Errorf("a rotation in the same store: kind %s, moved %+v", again.StoreKind, again.Moved)
	}
	moved := confirmed(t, linkWith("file"), latticedemo.KeyAdmin, latticedemo.KeyRotated)
	if moved.StoreKind != config.FileStore || moved.Moved == nil || moved.Moved.Kind != config.KeyringStore {
		t.Errorf("a rotation into the file: kind %s, moved %+v", moved.StoreKind, moved.Moved)
	}
}
