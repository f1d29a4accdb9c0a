package plain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lattice-link/lattice-link/steps"
)

func (f *face) generateKey() (steps.ID, error) {
	if u := steps.KeysPageURL(f.prof.Subdomain); u != "" {
		f.say("Your company's API keys page (a hint: some accounts show it elsewhere): %s", u)
	} else {
		for {
			in, err := f.ask("The first part of your company's Lattice address, e.g. acme for acme.latticehq.com, " +
				"for a link to its API keys page (enter to skip): ")
			if err != nil {
				return 0, err
			}
			if strings.TrimSpace(in) == "" {
				break
			}
			sub, err := steps.ParseSubdomain(in)
			if err != nil {
				f.say("%s", sentence(err.Error()))
				continue
			}
			f.note(f.l.SaveSubdomain(sub))
			f.say("The API keys page (a hint: some accounts show it elsewhere): %s", steps.KeysPageURL(sub))
			break
		}
	}
	if _, err := f.ask("Press enter once you have copied the new key: "); err != nil {
		return 0, err
	}
	return steps.Next(steps.GenerateKey), nil
}

// sentence is an error's words as a sentence of their own: a capital first,
// a full stop last.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
