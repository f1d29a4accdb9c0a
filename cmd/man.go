package cmd

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/muesli/mango"
	mpflag "github.com/muesli/mango-pflag"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newCmdMan prints the man page. fang's own is hidden from --help, splits
// the description into a paragraph per line, writes -o as --o and puts
// the one-line summary in the header, where man overprints it.
func newCmdMan(r *runner, version string) *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Print the man page (lattice-link man | man -l -)",
		Args:  r.noArgs,
		RunE: r.run(func(cmd *cobra.Command) error {
			page, err := manPage(cmd.Root(), version)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page)
			return err
		}),
	}
}

var (
	manSynopsis  = regexp.MustCompile(`\[\\fIargument[^\]]*\]`)
	manShorthand = regexp.MustCompile(`\\fB--(\w) --`)
	manHeader    = regexp.MustCompile(`(?m)^\.TH (\S+) (\d+) ("[^"]*") "[^"]*" "[^"]*"$`)
)

func manPage(root *cobra.Command, version string) (string, error) {
	// One paragraph per paragraph of --help: mango starts one at every line.
	long := root.Long
	paragraphs := strings.Split(long, "\n\n")
	for i, p := range paragraphs {
		paragraphs[i] = strings.ReplaceAll(p, "\n", " ")
	}
	root.Long = strings.Join(paragraphs, "\n")
	defer func() { root.Long = long }()
	page := mango.NewManPage(1, root.Name(), root.Short).WithLongDescription(root.Long)
	if err := addManCommand(page, root, nil); err != nil {
		return "", err
	}
	text := page.Build(roff.NewDocument())
	text = manShorthand.ReplaceAllString(text, `\fB-$1 --`)
	// lattice-link takes no argument, only a command.
	text = manSynopsis.ReplaceAllString(text, `[\fIcommand\fP]`)
	text = manHeader.ReplaceAllString(text, `.TH $1 $2 $3 "lattice-link `+version+`" "User Commands"`)
	return text + manSections, nil
}

// addManCommand adds c and its commands to the page, as mango-cobra does,
// but with only the flags each command's help lists: its own, not hidden
// (mango-cobra lists hidden ones too, and, for the command running, the
// ones it inherits).
func addManCommand(page *mango.ManPage, c *cobra.Command, parent *mango.Command) error {
	item := mango.NewCommand(c.Name(), "", "")
	if parent == nil {
		page.Root = *item
		item = &page.Root
	} else {
		item = mango.NewCommand(c.Name(), c.Short, c.Use)
		if err := parent.AddCommand(item); err != nil {
			return err
		}
	}
	for _, sub := range c.Commands() {
		// A command's own commands (completion's shells) are its help's
		// business: the page lists the commands lattice-link has.
		if !sub.Hidden && parent == nil {
			if err := addManCommand(page, sub, item); err != nil {
				return err
			}
		}
	}
	add := mpflag.PFlagCommandVisitor(item)
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden && f.Name != "help" {
			described := *f // as --help shows it: a capital first
			described.Usage = upperFirst(f.Usage)
			add(&described)
		}
	})
	return nil
}

// upperFirst is s with a capital first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// manSections are what mango does not make: the exit codes, the
// environment and the files, as the README's Commands and Storage say.
var manSections = manList("EXIT STATUS", [][2]string{
	{"0", "ok: the key is valid, connected, handed over or printed"},
	{"1", "Lattice rejected the key"},
	{"2", "a usage error: a bad flag or input, an API URL where something other than Lattice answers (such as a 404), " +
		"a file or folder to fix, a rotation to another owner's or a non-admin's key without --allow-owner-change, " +
		"or token with a terminal for its output (the key is never shown)"},
	{"3", "no key is stored (status, token, logout)"},
	{"4", "Lattice could not be reached or could not answer now (limiting requests (429), a server error): try again later; " +
		"for email --copy, no clipboard could be reached"},
	{"5", "the Connect link or Nango failed; the message says whether Lattice saw the key"},
	{"130", "cancelled"},
}) + manList("ENVIRONMENT", [][2]string{
	{"LATTICE_API_KEY", "the key status and token use instead of the stored one"},
	{"LATTICE_REGION", "us or emea, as --region"},
	{"LATTICE_API_URL", "the Lattice API host, as --api-url"},
	{"LATTICE_PROFILE", "the profile, as --profile"},
	{"LATTICE_LINK_STORE", "auto, keyring or file, as --store"},
	{"LATTICE_LINK_CONFIG_DIR", "the config folder, instead of $XDG_CONFIG_HOME/lattice-link"},
	{"LATTICE_LINK_PLAIN", "1 is --plain"},
	{"LATTICE_LINK_ASCII", "1 shows ASCII symbols only"},
	{"LATTICE_LINK_ROTATE_DAYS", "the days after which a key is due for rotation (90)"},
	{"NANGO_CONNECT_LINK", "an app's Connect link, as --nango, kept out of ps"},
	{"NANGO_SERVER_URL", "the Nango API to trust, as --nango-url"},
	{"NO_COLOR", "no colour"},
}) + manList("FILES", [][2]string{
	{"$XDG_CONFIG_HOME/lattice-link/credentials.json", "the key, mode 0600, when it is not in the OS keyring " +
		"(service lattice-link, account the profile)"},
	{"$XDG_CONFIG_HOME/lattice-link/state.json", "the key's fingerprint, owner, region, dates, rotations, " +
		"hand-offs to apps and the email's answers: never the key"},
})

// manList is a section of tagged paragraphs, in roff.
func manList(title string, items [][2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".SH %s\n", title)
	for _, it := range items {
		fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s\n", it[0], strings.ReplaceAll(it[1], "-", "\\-"))
	}
	return b.String()
}
