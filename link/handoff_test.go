package link

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/nango"
	"github.com/lattice-link/lattice-link/nango/nangodemo"
)

// wire records every request both clients send, in the order they were
// answered, so a test can see which service was asked first.
type wire struct {
	mu    sync.Mutex
	calls []string
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(r)
	status := 0
	if err == nil {
		status = res.StatusCode
	}
	w.mu.Lock()
	w.calls = append(w.calls, r.Method+" "+r.URL.Path+" "+http.StatusText(status))
	w.mu.Unlock()
	return res, err
}

func (w *wire) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.calls...)
}

// handOffFixture is a Link against latticedemo and a nangodemo app, both
// through one recording transport.
type handOffFixture struct {
	*fixture
	ns   *nangodemo.Server
	wire *wire
}

func newHandOffFixture(t *testing.T, opts ...func(*lattice.Options)) *handOffFixture {
	t.Helper()
	f := newFixture(t)
	w := &wire{}
	o := lattice.Options{APIURL: f.srv.URL, Version: "test", HTTP: &http.Client{Transport: w}}
	for _, opt := range opts {
		opt(&o)
	}
	client, err := lattice.New(o)
	if err != nil {
		t.Fatal(err)
	}
	client.Backoff = 10 * time.Millisecond
	f.l.Client = client
	ns := nangodemo.New()
	t.Cleanup(ns.Close)
	return &handOffFixture{fixture: f, ns: ns, wire: w}
}

func (f *handOffFixture) client(t *testing.T, token string) *nango.Client {
	t.Helper()
	nl, err := nango.ParseLink(f.ns.Link(token), f.ns.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := nango.New(nl, nango.Options{Version: "test", HTTP: &http.Client{Transport: f.wire}})
	c.Backoff = 10 * time.Millisecond
	return c
}

func (f *handOffFixture) latticeCalls() int {
	n := 0
	for _, c := range f.wire.list() {
		if strings.Contains(c, "/v1/me") {
			n++
		}
	}
	return n
}

func (f *handOffFixture) handoffs(t *testing.T) []config.Handoff {
	t.Helper()
	list, err := f.l.Handoffs()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestHandOffAsksLatticeFirstAndPostsOnlyAnAcceptedKey(t *testing.T) {
	f := newHandOffFixture(t)
	ctx := context.Background()

	// A rejected key: the session was read, Lattice said no, nothing posted.
	_, err := f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyRevoked, false, "")
	if lattice.KindOf(err) != lattice.Rejected {
		t.Fatalf("revoked key: %v", err)
	}
	if posts := f.ns.Posts(); len(posts) != 0 {
		t.Fatalf("a rejected key reached Nango: %+v", posts)
	}
	if msg := f.l.ExplainHandOff(err, Piped, true); !strings.Contains(msg, "Nothing was sent to Nango") {
		t.Errorf("explained as %q", msg)
	}
	if got := f.handoffs(t); len(got) != 0 {
		t.Errorf("a failed hand-off was recorded: %+v", got)
	}

	// An accepted key: session, integrations, Lattice's 200, then the POST.
	f.wire.mu.Lock()
	f.wire.calls = nil
	f.wire.mu.Unlock()
	var stages []Stage
	hctx := WithStageHook(ctx, func(s Stage) { stages = append(stages, s) })
	h, err := f.l.HandOff(hctx, f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, false, "")
	if err != nil {
		t.Fatal(err)
	}
	calls := f.wire.list()
	want := []string{"GET /connect/session OK", "GET /integrations OK", "GET /v1/me OK", "POST /api-auth/api-key/" + nangodemo.LatticeKey + " OK"}
	if len(calls) != len(want) {
		t.Fatalf("calls %q", calls)
	}
	for i, c := range calls {
		if c != want[i] {
			t.Fatalf("call %d: %q, want %q (all: %q)", i, c, want[i], calls)
		}
	}
	if len(stages) != 3 || stages[0] != StageSession || stages[1] != StageLattice || stages[2] != StageNango {
		t.Errorf("stages %v", stages)
	}
	conns := f.ns.Connections()
	if len(conns) != 1 || conns[0].APIKey != latticedemo.KeyAdmin || conns[0].ProviderConfigKey != nangodemo.LatticeKey {
		t.Fatalf("connections %+v", conns)
	}
	if h.Connection.ID != conns[0].ID || h.Action() != "created" || h.EMEAOnly || h.Kept != nil || h.AlreadyStored {
		t.Errorf("result %+v", h)
	}
	if h.Target.Session.EndUser == nil || h.Target.Session.EndUser.Email != nangodemo.DemoUser.Email ||
		h.Target.Integration.UniqueKey != nangodemo.LatticeKey {
		t.Errorf("target %+v", h.Target)
	}
	if h.Checked.Identity.User.Email != latticedemo.Grace.Email {
		t.Errorf("checked %+v", h.Checked)
	}
}

func TestHandOffFailsOnABadLinkBeforeLatticeIsAsked(t *testing.T) {
	f := newHandOffFixture(t)
	ctx := context.Background()
	for name, c := range map[string]struct {
		token string
		kind  nango.Kind
	}{
		"expired":         {f.ns.ExpiredSession(), nango.SessionExpired},
		"unknown":         {nangodemo.NewToken(), nango.SessionExpired},
		"not for Lattice": {f.ns.NewSessionWithoutLattice(), nango.NotAllowed},
	} {
		_, err := f.l.HandOff(ctx, f.client(t, c.token), latticedemo.KeyAdmin, true, "")
		if nango.KindOf(err) != c.kind {
			t.Errorf("%s: %v", name, err)
		}
		if msg := f.l.ExplainHandOff(err, Piped, true); !strings.Contains(msg, ".\n") || strings.Contains(msg, c.token) {
			t.Errorf("%s: explained as %q", name, msg)
		}
	}
	if n := f.latticeCalls(); n != 0 {
		t.Errorf("Lattice was asked %d times for a link that could not work", n)
	}
	if len(f.ns.Posts()) != 0 || f.stored(t) != "" {
		t.Error("something was posted or stored")
	}
}

func TestHandOffWithAReconnectLinkUpdatesTheConnection(t *testing.T) {
	f := newHandOffFixture(t)
	ctx := context.Background()
	first, err := f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, false, "")
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.l.HandOff(ctx, f.client(t, f.ns.NewReconnectSession(first.Connection.ID)), latticedemo.KeyRotated, false, "")
	if err != nil {
		t.Fatal(err)
	}
	conns := f.ns.Connections()
	if len(conns) != 1 || conns[0].APIKey != latticedemo.KeyRotated || conns[0].Updates != 1 {
		t.Fatalf("connections %+v", conns)
	}
	if h.Connection.ID != first.Connection.ID || h.Action() != "updated" || !h.Target.Session.IsReconnecting {
		t.Errorf("result %+v", h)
	}
	list := f.handoffs(t)
	if len(list) != 2 || list[0].Action() != "created" || list[1].Action() != "updated" ||
		list[1].ConnectionID != first.Connection.ID || list[1].Fingerprint != lattice.Fingerprint(latticedemo.KeyRotated) ||
		list[1].Integration != nangodemo.LatticeKey || list[1].Host == "" || list[1].At.IsZero() {
		t.Errorf("recorded %+v", list)
	}
}

func TestHandOffKeepsACopyOnlyWhenAsked(t *testing.T) {
	f := newHandOffFixture(t)
	ctx := context.Background()
	h, err := f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.stored(t) != "" || h.Kept != nil || !strings.Contains(h.KeptWords(), "no copy") {
		t.Fatalf("stored without --keep: %+v", h)
	}

	h, err = f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.stored(t) != latticedemo.KeyAdmin || h.Kept == nil || h.Kept.StoreKind != "file" || !strings.Contains(h.KeptWords(), "stored in") {
		t.Fatalf("keep: %+v", h)
	}
	if p, _, _ := f.l.Remembered(); p.Fingerprint != "••••7f3c" || len(p.Handoffs) != 2 {
		t.Errorf("remembered %+v", p)
	}

	// The stored key handed over again: it stays, and nothing is rewritten.
	h, err = f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, false, latticedemo.KeyAdmin)
	if err != nil || !h.AlreadyStored || h.Kept != nil || f.stored(t) != latticedemo.KeyAdmin {
		t.Fatalf("stored key: %+v %v", h, err)
	}

	// keep with another key stored meanwhile: handed over, not stored.
	h, err = f.l.HandOff(ctx, f.client(t, f.ns.NewSession()), latticedemo.KeyRotated, true, "")
	if err != nil || h.KeepErr == nil || !errors.Is(h.KeepErr, config.ErrReplaced) || f.stored(t) != latticedemo.KeyAdmin {
		t.Fatalf("compare-and-swap: %+v %v", h, err)
	}

	// Nango refuses: nothing is stored, even with keep.
	f2 := newHandOffFixture(t)
	f2.ns.FailNext(nangodemo.Fault{Method: http.MethodPost, Status: 400, Code: "connection_validation_failed", Message: "nope"})
	_, err = f2.l.HandOff(ctx, f2.client(t, f2.ns.NewSession()), latticedemo.KeyAdmin, true, "")
	if nango.KindOf(err) != nango.KeyRefused || f2.stored(t) != "" || len(f2.handoffs(t)) != 0 {
		t.Fatalf("refused: %v", err)
	}
	if len(f2.ns.Posts()) != 1 {
		t.Errorf("the POST was retried: %d", len(f2.ns.Posts()))
	}
}

func TestHandOffOfAnEMEAKeySaysWhatTheAppMustDo(t *testing.T) {
	f := newHandOffFixture(t)
	client, err := lattice.New(lattice.Options{RegionURLs: f.srv.RegionURLs(), Version: "test", HTTP: &http.Client{Transport: f.wire}})
	if err != nil {
		t.Fatal(err)
	}
	f.l.Client = client
	h, err := f.l.HandOff(context.Background(), f.client(t, f.ns.NewSession()), latticedemo.KeyEMEA, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if !h.EMEAOnly || !strings.Contains(h.EMEANote(), "Base-Url-Override: https://api.emea.latticehq.com") {
		t.Fatalf("EMEA: %+v %q", h.EMEAOnly, h.EMEANote())
	}
	found := false
	for _, fact := range h.Facts() {
		found = found || (fact.Warn && strings.Contains(fact.Value, "Base-Url-Override"))
	}
	if !found || !strings.Contains(h.Summary(false), "Base-Url-Override") {
		t.Errorf("facts %+v", h.Facts())
	}
	// A US key gets no such note.
	us, err := f.l.HandOff(context.Background(), f.client(t, f.ns.NewSession()), latticedemo.KeyAdmin, false, "")
	if err != nil || us.EMEAOnly || us.EMEANote() != "" {
		t.Errorf("US key: %+v %v", us, err)
	}
}

func TestHandOffRecordsNoSecret(t *testing.T) {
	f := newHandOffFixture(t)
	token := f.ns.NewSession()
	if _, err := f.l.HandOff(context.Background(), f.client(t, token), latticedemo.KeyAdmin, true, ""); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(f.folder.Path, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st config.State
	if err := json.Unmarshal(b, &st); err != nil || len(st.Profiles["acme"].Handoffs) != 1 {
		t.Fatalf("state.json: %v\n%s", err, b)
	}
	for _, secret := range []string{token, token[len(nango.TokenPrefix):], latticedemo.KeyAdmin} {
		if strings.Contains(string(b), secret) {
			t.Errorf("state.json holds a secret:\n%s", b)
		}
	}
}

// TestEveryNangoFailureIsWorded: each Kind has its own words — what
// happened, whether the key was sent, and what to do — and none falls
// through to the generic "unexpected answer".
func TestEveryNangoFailureIsWorded(t *testing.T) {
	generic := ExplainNango(&nango.Error{Kind: nango.Unexpected, Host: "api.nango.dev"}, false)
	for _, k := range nango.Kinds() {
		for _, shell := range []bool{false, true} {
			e := &nango.Error{Kind: k, Host: "api.nango.dev", Choices: []nango.Integration{{UniqueKey: "lattice"}}}
			s := ExplainNango(e, shell)
			lines := strings.Split(s, "\n")
			if len(lines) < 3 || !strings.Contains(s, NotSent) || (k != nango.Unexpected && s == generic) {
				t.Errorf("%v (shell %v): %q", k, shell, s)
			}
			if !shell && strings.Contains(s, "--") {
				t.Errorf("%v: a flag named where none can be given: %q", k, s)
			}
		}
	}
}

// TestNangoWordsSayWhetherLatticeSawTheKey: a failure before the POST says
// the key went nowhere; after it, that Lattice accepted it.
func TestNangoWordsSayWhetherLatticeSawTheKey(t *testing.T) {
	before := ExplainNango(&nango.Error{Kind: nango.SessionExpired, Call: nango.CallSession, Code: "unknown_connect_session_token"}, true)
	if !strings.Contains(before, NotSent) || strings.Contains(before, "Lattice accepted") || strings.Contains(before, "replaced") ||
		strings.Contains(before, "newer link") {
		t.Errorf("before: %q", before)
	}
	after := ExplainNango(&nango.Error{Kind: nango.KeyRefused, Call: nango.CallHandOff, Code: "connection_validation_failed"}, true)
	if !strings.Contains(after, "Lattice accepted the key") || strings.Contains(after, NotSent) ||
		!strings.Contains(after, "Nango deleted the connection it had made") {
		t.Errorf("after: %q", after)
	}
	reconnect := ExplainNango(&nango.Error{Kind: nango.KeyRefused, Call: nango.CallHandOff, Code: "connection_validation_failed", Reconnect: true}, true)
	if !strings.Contains(reconnect, "existing Lattice connection now holds this key and is marked as failed") || strings.Contains(reconnect, "deleted") {
		t.Errorf("reconnect: %q", reconnect)
	}
	uncertain := ExplainNango(&nango.Error{Kind: nango.Timeout, Call: nango.CallHandOff, Uncertain: true}, true)
	if !strings.Contains(uncertain, "may already have reached the app") {
		t.Errorf("uncertain: %q", uncertain)
	}
	for code, want := range map[string]string{
		"unknown_account": "does not know the account", "plan_not_found": "has no plan",
	} {
		if s := ExplainNango(&nango.Error{Kind: nango.AccountGone, Code: code}, false); !strings.Contains(s, want) {
			t.Errorf("%s: %q", code, s)
		}
	}
	approve := ExplainNango(&nango.Error{Kind: nango.HostNotApproved, Host: "nango.evil.example"}, true)
	if !strings.Contains(approve, "--nango-url https://nango.evil.example") {
		t.Errorf("host not approved: %q", approve)
	}
	several := ExplainNango(&nango.Error{Kind: nango.SeveralIntegrations, Choices: []nango.Integration{
		{UniqueKey: "lattice-us", DisplayName: "Lattice US"}, {UniqueKey: "lattice-emea"}}}, true)
	if !strings.Contains(several, "--integration KEY: lattice-us (Lattice US), lattice-emea") {
		t.Errorf("several: %q", several)
	}
}
