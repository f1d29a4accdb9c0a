package cmd

import (
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lattice-link/lattice-link/config"
	"github.com/lattice-link/lattice-link/lattice"
	"github.com/lattice-link/lattice-link/lattice/latticedemo"
	"github.com/lattice-link/lattice-link/link"
	"github.com/lattice-link/lattice-link/sanitize"
)

// settings are the options every command shares, from flags and the
// environment. They apply to this run only: what is remembered changes
// only when a key is connected.
type settings struct {
	region  string
	apiURL  string
	profile string
	store   string
	plain   bool
	demo    bool
	nango   nangoFlags

	// rotateDays is LATTICE_LINK_ROTATE_DAYS, 0 when unset.
	rotateDays int

	version string
	// secrets were taken out of the environment at start, so no child
	// process inherits them.
	secrets map[string]string
}

func (s *settings) bind(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringVar(&s.region, "region", env("LATTICE_REGION", "us"), "the US or EMEA region, also $LATTICE_REGION")
	// Its default is read in check, not here: help would print the
	// environment's value as the default.
	f.StringVar(&s.apiURL, "api-url", "",
		"Lattice API host, https, also $LATTICE_API_URL")
	f.StringVar(&s.profile, "profile", os.Getenv("LATTICE_PROFILE"),
		`one per Lattice org ("`+defaultProfile+`"), also $LATTICE_PROFILE`)
	f.StringVar(&s.store, "store", env("LATTICE_LINK_STORE", "auto"),
		"auto, keyring or file, also $LATTICE_LINK_STORE")
	f.BoolVar(&s.plain, "plain", os.Getenv("LATTICE_LINK_PLAIN") == "1",
		"prompts one by one, for screen readers")
	f.BoolVar(&s.demo, "demo", false, "a stand-in for Lattice: no network, nothing kept")
}

// defaultProfile is the profile of a run that names none.
const defaultProfile = link.DefaultProfile

// check reads what the settings take from the environment alone, once per
// run, before any command runs: a bad value is refused, not silently
// replaced by a default.
func (s *settings) check() error {
	if s.profile == "" {
		s.profile = defaultProfile
	}
	if s.apiURL == "" {
		s.apiURL = os.Getenv("LATTICE_API_URL")
	}
	if v, ok := os.LookupEnv("LATTICE_LINK_ROTATE_DAYS"); ok && v != "" {
		days, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || days <= 0 {
			return usageError("LATTICE_LINK_ROTATE_DAYS is %q: give the number of days after which a key is due for rotation, "+
				"e.g. 90 (unset, it is %d)", sanitize.Line(v, 40), link.DefaultRotateDays)
		}
		s.rotateDays = days
	}
	return nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envKey is LATTICE_API_KEY, as taken from the environment at start.
func (s *settings) envKey() (string, bool) {
	v, ok := s.secrets["LATTICE_API_KEY"]
	return v, ok && v != ""
}

// session is a built link and what goes with it for one run.
type session struct {
	link     *link.Link
	warning  string // state.json was unreadable and set aside
	demoKeys []link.DemoKey
	close    func()
}

// open builds the link for the settings. Without --region the profile's
// remembered region is used; the API host never comes from a file, only
// from --api-url or LATTICE_API_URL in this run. The store is opened on
// first use, so a slow keyring never delays a first frame, and is never
// opened at all by a run that uses LATTICE_API_KEY.
func (s *settings) open(cmd *cobra.Command) (*session, error) {
	if err := config.ValidProfile(s.profile); err != nil {
		return nil, usageError("--profile: %v", err)
	}
	sess := &session{close: func() {}}
	var folder *config.Folder
	var openStore func() (config.Store, error)
	var regionURLs map[lattice.Region]string
	if s.demo {
		srv := latticedemo.New()
		sess.close = srv.Close
		s.apiURL, regionURLs = "", srv.RegionURLs() // both regions, so the fallback can be tried
		folder = config.NewMemoryFolder()
		mem := config.NewMemory()
		openStore = func() (config.Store, error) { return mem, nil }
		sess.demoKeys = demoKeys()
	} else {
		dir, err := config.DefaultDir()
		if err != nil {
			return nil, usageError("%v", err)
		}
		folder = config.NewFolder(dir)
		st, warning, err := folder.LoadState()
		if err != nil {
			return nil, usageError("%v", err)
		}
		sess.warning = warning
		remembered := st.Profile(s.profile)
		if !explicit(cmd, "region", "LATTICE_REGION") && remembered.Region != "" {
			s.region = remembered.Region
		}
		if _, err := storeKind(s.store); err != nil {
			return nil, err
		}
		kind, storeOf := s.store, remembered.Store
		openStore = func() (config.Store, error) { return config.OpenStore(kind, storeOf, folder, nil) }
	}
	region, err := lattice.ParseRegion(s.region)
	if err != nil {
		sess.close()
		return nil, usageError("%v", err)
	}
	client, err := lattice.New(lattice.Options{Region: region, APIURL: s.apiURL, APIURLFrom: s.apiURLFrom(cmd),
		RegionURLs: regionURLs, Version: s.version})
	if err != nil {
		sess.close()
		return nil, usageError("%v", err)
	}
	sess.link = link.New(link.Config{Profile: s.profile, Client: client, Folder: folder, OpenStore: openStore,
		Demo: s.demo, RotateDays: s.rotateDays})
	return sess, nil
}

// apiURLFrom names what gave the API URL, for messages to name what the user
// set: the flag, else the environment variable check read it from.
func (s *settings) apiURLFrom(cmd *cobra.Command) string {
	if s.apiURL != "" && !cmd.Flags().Changed("api-url") {
		return "LATTICE_API_URL"
	}
	return "--api-url"
}

// storeKind checks --store before anything is opened.
func storeKind(kind string) (string, error) {
	switch kind {
	case "auto", "keyring", "file", "":
		return kind, nil
	}
	return "", usageError("unknown store %q: use auto, keyring or file (--store or LATTICE_LINK_STORE)", kind)
}

// explicit reports whether a flag was given, on the command line or in its
// environment variable.
func explicit(cmd *cobra.Command, flag, envName string) bool {
	return cmd.Flags().Changed(flag) || os.Getenv(envName) != ""
}

func demoKeys() []link.DemoKey {
	return []link.DemoKey{
		{Key: latticedemo.KeyAdmin, What: "works: an admin, SCIM on"},
		{Key: latticedemo.KeyMember, What: "works, but not an admin"},
		{Key: latticedemo.KeySCIMOff, What: "works; SCIM not enabled"},
		{Key: latticedemo.KeyRevoked, What: "revoked (401)"},
		{Key: latticedemo.KeyForbidden, What: "forbidden (403)"},
		{Key: latticedemo.KeySlow, What: "slow: answers in 3 s"},
		{Key: latticedemo.KeyRateLimited, What: "rate-limited once (429)"},
		{Key: latticedemo.KeyFlaky, What: "a server error, then works"},
		{Key: latticedemo.KeyEMEA, What: "works in the EMEA region only"},
		{Key: latticedemo.KeySCIMHang, What: "works; SCIM never answers"},
		{Key: latticedemo.KeyLongWait, What: "Lattice asks to wait minutes (429)"},
	}
}
