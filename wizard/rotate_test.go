package wizard

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/steps"
)

// graceRotating is Connect as the rotation of Grace's admin key, which is
// stored and remembered as hers, in a w×h window.
func graceRotating(t *testing.T, w, h int) (*Model, config.Store) {
	t.Helper()
	_, client := standIn(t)
	store := config.NewMemory()
	l := testLink(client, store)
	if _, err := l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	m := sized(Options{Start: steps.Connect, Link: l}, w, h, true)
	m.Update(readStored(l)())
	if !strings.Contains(shown(m), "Rotate · replace ••••7f3c") {
		t.Fatalf("not the rotation:\n%s", shown(m))
	}
	return m, store
}

func requireStored(t *testing.T, store config.Store, want string) {
	t.Helper()
	if got, err := store.Get("default"); err != nil || got != want {
		t.Errorf("stored %s (%v), want %s", lattice.Fingerprint(got), err, lattice.Fingerprint(want))
	}
}

// Rotating Grace's admin key to Ada's, who is no admin, asks before
// anything is stored, with both owners and roles in sight; n keeps the
// admin key and says that nothing changed (walk F17).
func TestARotationToAnotherPersonsKeyAsksFirst(t *testing.T) {
	m, store := graceRotating(t, 80, 24)
	run(m, typed(m, latticedemo.KeyMember))
	s := shown(m)
	for _, want := range []string{"Lattice accepted the new key, but it is another person's key",
		"Stored  ••••7f3c  Grace Hopper <grace@example.com>, an admin",
		"New     ••••2b9e  Ada Lovelace <ada@example.com>, not an admin",
		"Replace ••••7f3c with ••••2b9e? Press y to replace it, n to keep ••••7f3c."} {
		if !strings.Contains(s, want) {
			t.Errorf("the question lacks %q:\n%s", want, s)
		}
	}
	if help := lastLine(m); !strings.Contains(help, "y replace") || !strings.Contains(help, "n keep") ||
		!strings.Contains(help, "? help") {
		t.Errorf("help line %q", help)
	}
	requireStored(t, store, latticedemo.KeyAdmin)
	keys(m, "left", "p", "enter", "1") // no way around the question: it is answered first
	if connectOf(m).question == nil || m.current != m.guide[steps.Connect] {
		t.Fatalf("the question went away unanswered: %T", m.current)
	}

	keys(m, "n")
	s = shown(m)
	if !strings.Contains(s, "Nothing was changed: ••••7f3c stays stored") || strings.Contains(s, "Replace ••••7f3c") {
		t.Errorf("after n:\n%s", s)
	}
	if c := connectOf(m); !c.input.Focused() || c.input.Value() != "" || m.current != m.guide[steps.Connect] {
		t.Errorf("after n the input is not empty and ready for another key")
	}
	requireStored(t, store, latticedemo.KeyAdmin)
	requireNoKey(t, m.View().Content, latticedemo.KeyMember)
	m.Update(sizeMsg(40, 10)) // what to do about the new key stays in sight
	if s := strings.Join(strings.Fields(shown(m)), " "); !strings.Contains(s, "if nobody needs it, revoke it in Lattice.") {
		t.Errorf("at 40×10 after n:\n%s", shown(m))
	}
}

// y stores the new key, and Done says the owner changed.
func TestYesToTheOwnerQuestionRotates(t *testing.T) {
	m, store := graceRotating(t, 80, 24)
	run(m, typed(m, latticedemo.KeyMember))
	if connectOf(m).question == nil {
		t.Fatalf("no question:\n%s", shown(m))
	}
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	if _, done := m.current.(*doneScreen); !done {
		t.Fatalf("after y: %T\n%s", m.current, shown(m))
	}
	requireStored(t, store, latticedemo.KeyMember)
	if s := shown(m); !strings.Contains(s, "Rotated: the new key is stored") || !strings.Contains(s, "Changed") {
		t.Errorf("Done:\n%s", s)
	}
}

// A y or n that comes with a paste is no answer.
func TestAPastedAnswerIsNotTaken(t *testing.T) {
	m, store := graceRotating(t, 80, 24)
	run(m, typed(m, latticedemo.KeyMember))
	at := time.Unix(1_900_000_000, 0)
	m.app.now = func() time.Time { return at }
	m.Update(pasteMsg("y"))
	if _, cmd := m.Update(press("y")); cmd != nil {
		run(m, cmd)
	}
	if s := shown(m); !strings.Contains(s, "not taken as answers") && !strings.Contains(s, "Answer first") {
		t.Errorf("no word about the paste:\n%s", s)
	}
	requireStored(t, store, latticedemo.KeyAdmin)
	if connectOf(m).question == nil {
		t.Error("the paste answered the question")
	}
}

// In a running program: the question shows, n keeps the admin key, and no
// frame shows the new key.
func TestTheOwnerQuestionInAProgram(t *testing.T) {
	_, client := standIn(t)
	store := config.NewMemory()
	l := testLink(client, store)
	if _, err := l.Connect(context.Background(), latticedemo.KeyAdmin, "", false); err != nil {
		t.Fatal(err)
	}
	tm := program(t, New(Options{Start: steps.Connect, Link: l}), 80, 24)
	var seen strings.Builder
	waitForScreen(t, tm, "Rotate the key", &seen)
	tm.Type(latticedemo.KeyMember)
	tm.Send(press("enter"))
	waitForScreen(t, tm, "Press y to replace it", &seen)
	tm.Send(press("n"))
	waitForScreen(t, tm, "Nothing was changed", &seen)
	tm.Send(press("esc"))
	tm.Send(press("q"))
	m := finalModel(t, tm)
	requireStored(t, store, latticedemo.KeyAdmin)
	if m.Result.Connected {
		t.Errorf("result %+v", m.Result)
	}
	requireNoKey(t, seen.String()+m.View().Content, latticedemo.KeyMember)
}

// The question at the sizes people use, with its help line, owners and
// both keys in sight; built from link's answer, so nothing is asked of
// anyone and the hosts stay the same from run to run.
func TestGoldenOwnerQuestion(t *testing.T) {
	p := link.Pending{Fingerprint: "••••2b9e", OldPrint: "••••7f3c", Shift: link.OwnerShift{
		Before: config.Owner{Name: "Grace Hopper", Email: "grace@example.com", IsAdmin: true},
		After:  lattice.User{Name: "Ada Lovelace", Email: "ada@example.com"}}}
	for _, size := range [][2]int{{40, 10}, {50, 16}, {80, 24}, {120, 40}} {
		for _, theme := range []string{"dark", "light", "ascii"} {
			t.Run(fmt.Sprintf("%dx%d-%s", size[0], size[1], theme), func(t *testing.T) {
				store := config.NewMemory()
				_ = store.Set("default", latticedemo.KeyAdmin)
				m := New(Options{Start: steps.Connect, Link: testLink(nil, store), ASCII: theme == "ascii"})
				m.Update(readStored(m.app.link)())
				c := connectOf(m)
				m.Update(sizeMsg(size[0], size[1]))
				m.Update(background(theme != "light"))
				c.running = true // as the check the message answers would be
				m.Update(connectedMsg{to: c, id: c.id, key: latticedemo.KeyMember, old: latticedemo.KeyAdmin,
					err: &link.ConfirmError{Pending: p}})
				requireFits(t, m, size[0], size[1])
				requireFrame(t, m)
				s := shown(m)
				for _, want := range []string{"Replace", "7f3c with", "2b9e?", "Grace Hopper", "Ada Lovelace", "not an admin"} {
					if !strings.Contains(s, want) {
						t.Errorf("the question lacks %q:\n%s", want, s)
					}
				}
				if help := ansi.Strip(lastLine(m)); !strings.Contains(help, "y replace") || !strings.Contains(help, "n keep") {
					t.Errorf("help line %q", help)
				}
				golden.RequireEqual(t, m.View().Content)
			})
		}
	}
}

// A yes after another run replaced the stored key stores nothing, and says
// so: link reads the store again under its lock.
func TestYesAfterAnotherRunRotatedStoresNothing(t *testing.T) {
	m, store := graceRotating(t, 80, 24)
	run(m, typed(m, latticedemo.KeyMember))
	if err := store.Set("default", latticedemo.KeyRotated); err != nil { // another terminal rotated meanwhile
		t.Fatal(err)
	}
	_, cmd := m.Update(press("y"))
	run(m, cmd)
	requireStored(t, store, latticedemo.KeyRotated)
	if s := strings.Join(strings.Fields(shown(m)), " "); !strings.Contains(s, "Run lattice-link status to see which key is stored") {
		t.Errorf("after y:\n%s", shown(m))
	}
	if _, done := m.current.(*doneScreen); done {
		t.Error("Done after a rotation that stored nothing")
	}
}

// Walk 2 F24: rotating away from a key Lattice already rejects, the rotate
// screen still said to revoke it, and Done said twice that there was
// nothing left to revoke.
func TestRotatingARejectedKeyAsksNoRevoke(t *testing.T) {
	store := config.NewMemory()
	_ = store.Set("default", latticedemo.KeyAdmin)
	m := sized(Options{Link: testLink(nil, store), Start: steps.Connect}, 100, 40, true)
	m.Update(readStored(m.app.link)())
	m.app.remembered.CheckResult = "rejected" // as home's check found it
	m.redraw()
	m.sync()
	s := strings.Join(strings.Fields(shown(m)), " ")
	if strings.Contains(s, "Then revoke the old key") || !strings.Contains(s, "there is nothing to revoke") {
		t.Errorf("the rotate screen:\n%s", shown(m))
	}
}
