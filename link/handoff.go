package link

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/nango"
)

// EMEABaseURL is what an app must send as Base-Url-Override to Nango's
// proxy for a key that works only on Lattice's EMEA host: Nango's Lattice
// integration always calls the US host.
const EMEABaseURL = "https://api.emea.latticehq.com"

// HandedOff is a key Lattice accepted and an app's Nango integration took.
type HandedOff struct {
	// Target is where the key went: the Connect session (end user,
	// organization, reconnect) and the app's Lattice integration.
	Target nango.Target
	// Connection is what Nango made: its id, and whether an existing
	// connection was updated (a reconnect link) or a new one created.
	Connection nango.Connection
	// Checked is what Lattice said about the key before it was sent.
	Checked     Checked
	Fingerprint string
	// EMEAOnly is set when the key works on Lattice's EMEA host: Nango calls
	// the US host, so the app must call Nango's proxy with
	// Base-Url-Override: EMEABaseURL, or its calls will fail.
	EMEAOnly bool
	// Kept is the copy stored on this machine (keep was asked for); nil
	// when none was stored by this hand-off.
	Kept *Connected
	// AlreadyStored: the key handed over is the one stored here already
	// (it stays, kept or not); Where says where it is.
	AlreadyStored bool
	Where         string
	// KeepErr is set when keep was asked for and the key went to Nango but
	// could not be stored here (another run changed the stored key, say).
	KeepErr error
	// RecordErr is set when state.json could not record the hand-off.
	RecordErr error
	// Profile is the profile it was handed over from, which the commands
	// its words name act on.
	Profile string
}

// Stage is a part of a hand-off or of a check with SCIM, for a face's
// progress line.
type Stage int

const (
	StageSession Stage = iota + 1 // reading the Connect session
	StageLattice                  // checking the key with Lattice
	StageNango                    // posting the key to Nango
	StageStore                    // storing the copy here
	StageSCIM                     // Lattice accepted the key; its SCIM API has not answered yet
)

// String is the stage as a face says it while it runs.
func (s Stage) String() string {
	switch s {
	case StageSession:
		return "Reading the Connect link"
	case StageLattice:
		return "Checking the key with Lattice"
	case StageNango:
		return "Handing the key to Nango"
	case StageStore:
		return "Storing a copy here"
	case StageSCIM:
		return "Lattice accepted the key; waiting for its SCIM API to answer"
	}
	return ""
}

type stageHookKey struct{}

// WithStageHook returns a context whose hand-offs and checks call hook as
// each stage starts. The hook must not block.
func WithStageHook(ctx context.Context, hook func(Stage)) context.Context {
	return context.WithValue(ctx, stageHookKey{}, hook)
}

func stage(ctx context.Context, s Stage) {
	if hook, ok := ctx.Value(stageHookKey{}).(func(Stage)); ok && hook != nil {
		hook(s)
	}
}

// HandOff gives key to the app behind nc's Connect link. The order is
// fixed, and each step runs only when the one before succeeded:
//
//  1. the Connect session is read and the app's Lattice integration found,
//     so an expired or foreign link fails before Lattice is asked;
//  2. Lattice checks the key (Nango's Lattice integration checks nothing
//     and would store any string), so a rejected key never reaches Nango;
//  3. the key is posted to Nango, once, never retried;
//  4. when keep is set, the key is also stored here in place of expected,
//     the key the caller found stored ("" for none), under the same
//     compare-and-swap as Connect; the store is opened before the POST, so
//     a store that cannot be opened fails before anything is sent;
//  5. the hand-off is recorded in state.json (host, integration, connection
//     id, created or updated, when, fingerprint: never the token or key).
//
// When key is expected (the stored key handed over), it simply stays
// stored. Errors are lattice's and *nango.Error; after step 3 nothing fails
// the hand-off: what went wrong is in KeepErr and RecordErr.
func (l *Link) HandOff(ctx context.Context, nc *nango.Client, key string, keep bool, expected string) (HandedOff, error) {
	stage(ctx, StageSession)
	target, err := nc.Lookup(ctx)
	if err != nil {
		return HandedOff{}, err
	}
	stage(ctx, StageLattice)
	checked, err := l.Check(ctx, key, false)
	if err != nil {
		return HandedOff{}, err
	}
	h := HandedOff{Target: target, Checked: checked, Fingerprint: lattice.Fingerprint(key),
		EMEAOnly: checked.Identity.Endpoint.Region == lattice.EMEA, Profile: l.Profile}
	h.AlreadyStored = expected != "" && key == expected
	storing := keep && !h.AlreadyStored
	if storing || h.AlreadyStored {
		if _, err := l.Store(); err != nil {
			if storing {
				return HandedOff{}, &NotStoredError{err}
			}
		}
		h.Where = l.Where()
	}
	stage(ctx, StageNango)
	h.Connection, err = nc.HandOff(ctx, target, key)
	if err != nil {
		return HandedOff{}, err
	}
	if storing && expected != "" {
		// A copy that would replace another person's key, or an admin's
		// with a non-admin's, needs a yes no hand-off asks for: the key
		// goes to the app, and the stored one stays.
		if held := l.holdForYes(checked, key, expected); held != nil {
			storing, h.KeepErr = false, held
		}
	}
	if storing {
		stage(ctx, StageStore)
		c, err := l.keep(checked, key, expected)
		if err != nil {
			h.KeepErr = err
		} else {
			h.Kept, h.Where = &c, c.Where
		}
	}
	h.RecordErr = l.recordHandOff(h)
	return h, nil
}

func (l *Link) recordHandOff(h HandedOff) error {
	rec := config.Handoff{Host: h.Connection.Host, Integration: h.Connection.ProviderConfigKey,
		ConnectionID: h.Connection.ID, Updated: h.Connection.Updated, At: h.Connection.At.UTC(),
		Fingerprint: h.Fingerprint}
	_, err := l.Folder.Update(l.Profile, func(p *config.Profile) {
		// A new slice: the state read may share its array with another copy.
		list := append(slices.Clone(p.Handoffs), rec)
		if len(list) > config.MaxHandoffs {
			list = list[len(list)-config.MaxHandoffs:]
		}
		p.Handoffs = list
	})
	if err != nil {
		return fmt.Errorf("the hand-off could not be recorded in state.json: %w", err)
	}
	return nil
}

// Handoffs are the hand-offs state.json remembers for the profile, newest
// last.
func (l *Link) Handoffs() ([]config.Handoff, error) {
	p, _, err := l.Remembered()
	return p.Handoffs, err
}

// ExplainHandOff says what went wrong in a hand-off and what to do next,
// and whether Lattice saw the key: a key Lattice refused is said to have
// gone nowhere else.
func (l *Link) ExplainHandOff(err error, src Source, flags bool) string {
	var ne *nango.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ne):
		return ExplainNango(err, flags)
	case lattice.KindOf(err) != 0:
		return l.Explain(err, src, flags) + "\nNothing was sent to Nango."
	case errors.Is(err, context.Canceled):
		return "Cancelled. Nothing was sent to Nango."
	}
	var ns *NotStoredError
	if errors.As(err, &ns) {
		return "Lattice accepted the key, but it could not be stored here as --keep asked: " + ns.Err.Error() +
			".\nNothing was sent to Nango. Fix that, or hand the key over without keeping a copy."
	}
	return l.Explain(err, src, flags)
}

// SessionFacts say who a Connect link is for, before anything is sent.
func SessionFacts(t nango.Target, host string) []Fact {
	s := t.Session
	var facts []Fact
	if u := s.EndUser; u != nil {
		who := Owner(u.DisplayName, u.Email)
		if who == "" {
			who = u.ID
		}
		facts = append(facts, Fact{Label: "For", Value: who})
	}
	if o := s.Organization; o != nil {
		name := o.DisplayName
		if name == "" {
			name = o.ID
		}
		facts = append(facts, Fact{Label: "Org", Value: name})
	}
	// Nango does not name the app behind a link, only the integration the
	// app set up in it: the row says that, and is labelled so.
	integration := t.Integration.UniqueKey
	if d := t.Integration.DisplayName; d != "" && d != t.Integration.UniqueKey {
		integration += " (" + d + ")"
	}
	facts = append(facts, Fact{Label: "Integration", Value: integration + " at " + host})
	if s.IsReconnecting {
		facts = append(facts, Fact{Label: "Link", Value: "a reconnect: it replaces the key of the app's existing Lattice connection"})
	} else {
		facts = append(facts, Fact{Label: "Link", Value: "makes a new Lattice connection for the app"})
	}
	return facts
}

// Action is "updated" when a reconnect link replaced the key of an
// existing connection, else "created".
func (h HandedOff) Action() string {
	if h.Connection.Updated {
		return "updated"
	}
	return "created"
}

// ReplacedWords is what is left after a reconnect: the key the app used
// before still works in Lattice until it is revoked there (its last four
// are not known here); "" when a new connection was made.
func (h HandedOff) ReplacedWords() string {
	if !h.Connection.Updated {
		return ""
	}
	return "The key the app used before still works in Lattice: unless it was this one (" + h.Fingerprint +
		"), revoke it in " + KeysPage + "."
}

// EMEANote tells an EMEA user what the app must do; "" for a US key.
func (h HandedOff) EMEANote() string {
	if !h.EMEAOnly {
		return ""
	}
	return "This key works on Lattice's EMEA host, but Nango calls " + lattice.Hosts[lattice.US] +
		" for every Lattice connection. The app must call Nango's proxy with the header\n" +
		"  Base-Url-Override: " + EMEABaseURL + "\n" +
		"or its calls with this connection will fail: tell the app's admins."
}

// KeptWords says whether a copy of the key stays on this machine, and where.
func (h HandedOff) KeptWords() string {
	switch {
	case h.Kept != nil:
		return "a copy is stored in " + storeWords(h.Kept.StoreKind, h.Kept.Where)
	case h.AlreadyStored && h.Where != "":
		return "it stays stored in " + h.Where + ", as before"
	case h.AlreadyStored:
		return "it stays stored here, as before"
	case h.KeepErr != nil:
		if p, held := AsPending(h.KeepErr); held {
			return "no copy was stored here: " + p.why() + ", and " + p.OldPrint + " stays stored. " +
				"To replace it, run " + (&Link{Profile: h.Profile}).Command("connect") + " with the new key; it asks first"
		}
		return "no copy was stored here: " + h.KeepErr.Error()
	}
	return "no copy was kept on this machine"
}

// Facts are what a face tells once the key is handed over: who the link
// was for, then ResultFacts.
func (h HandedOff) Facts() []Fact {
	return append(SessionFacts(h.Target, h.Connection.Host), h.ResultFacts()...)
}

// ResultFacts are what the hand-off did, for a face that has shown the
// session already.
func (h HandedOff) ResultFacts() []Fact {
	u, ep := h.Checked.Identity.User, h.Checked.Identity.Endpoint
	c := h.Connection
	facts := []Fact{}
	facts = append(facts,
		Fact{Label: "Connection", Value: c.ID + " (" + h.Action() + ")"},
		Fact{Label: "Owner", Value: Owner(u.Name, u.Email)},
		Fact{Label: "Region", Value: ep.Region.Label() + " · " + ep.Host()},
		Fact{Label: "Key", Value: h.Fingerprint + "  (match it in " + KeysPage + ")"},
		Fact{Label: "Kept", Value: h.KeptWords(), Warn: h.KeepErr != nil})
	if !u.IsAdmin {
		facts = append(facts, Fact{Label: "Role", Value: "Not an admin: the app can do only what " + firstName(u) + " can", Warn: true})
	}
	if h.EMEAOnly {
		facts = append(facts, Fact{Label: "EMEA", Value: h.EMEANote(), Warn: true})
	}
	if h.Kept != nil && h.Kept.Rotated() {
		facts = append(facts, Fact{Label: "Replaced", Value: lattice.Fingerprint(h.Kept.Old) +
			", which was stored here: revoke it in Lattice (" + KeysPage + ")", Warn: true})
	}
	if h.Kept != nil && h.Kept.StoreNote != "" {
		facts = append(facts, Fact{Value: h.Kept.StoreNote, Warn: true})
	}
	if h.RecordErr != nil {
		facts = append(facts, Fact{Value: h.RecordErr.Error(), Warn: true})
	}
	return facts
}

// Summary is one line for the normal screen once a face is done.
func (h HandedOff) Summary(demo bool) string {
	u := h.Checked.Identity.User
	kept := h.KeptWords()
	if demo {
		kept = "demo: nothing was stored or sent"
	}
	s := fmt.Sprintf("✓ Handed Lattice key %s (%s) to the app: connection %s %s at %s; %s",
		h.Fingerprint, Owner(u.Name, u.Email), h.Connection.ID, h.Action(), h.Connection.Host, kept)
	if h.EMEAOnly {
		s += "\n! EMEA key: the app must call Nango's proxy with Base-Url-Override: " + EMEABaseURL
	}
	return strings.TrimSpace(s)
}
