package cmd

import (
	"fmt"
	"regexp"
	"strings"

	mango "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
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
	page, err := mango.NewManPage(1, root)
	if err != nil {
		return "", err
	}
	text := page.Build(roff.NewDocument())
	text = manShorthand.ReplaceAllString(text, `\fB-$1 --`)
	text = manHeader.ReplaceAllString(text, `.TH $1 $2 $3 "lattice-link `+version+`" "User Commands"`)
	return text, nil
}
