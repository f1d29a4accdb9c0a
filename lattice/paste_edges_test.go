package lattice

import (
	"errors"
	"testing"
)

// TestAnAssignmentIsCutOnlyForAVariablesName: LATTICE_API_KEY=KEY gives
// KEY when the name is an environment variable's (upper-case letters,
// digits and '_', a letter first); any other text before "=" is part of
// the key.
func TestAnAssignmentIsCutOnlyForAVariablesName(t *testing.T) {
	const key = "key-0123456789-abcdef"
	for name, cut := range map[string]bool{
		"A": true, "Z": true, "A0_9Z": true, "export LATTICE_API_KEY": true,
		"@": false, "[": false, "0A": false, "A@": false, "A[": false, "A/": false, "A:": false, "a": false, "": false,
	} {
		got, ok := cutAssignment(name + "=" + key)
		if ok != cut || (cut && got != key) || (!cut && got != name+"="+key) {
			t.Errorf("cutAssignment(%q=…) = %q, %v", name, got, ok)
		}
	}
}

// TestQuotesAloneAreNoKey: a pair of quotes with nothing inside is an empty
// paste, and a lone quote is no pair.
func TestQuotesAloneAreNoKey(t *testing.T) {
	if _, _, err := NormalizeKey(`""`); !errors.Is(err, ErrEmptyKey) {
		t.Errorf(`NormalizeKey("") = %v, want ErrEmptyKey`, err)
	}
	if _, _, err := NormalizeKey(`"`); !errors.Is(err, ErrKeyTooShort) {
		t.Errorf(`NormalizeKey(") = %v, want ErrKeyTooShort`, err)
	}
}

// TestAShortKeysFingerprintGivesNothingAway: a key of 8 characters or fewer
// is fingerprinted "?", one of 9 by its last four.
func TestAShortKeysFingerprintGivesNothingAway(t *testing.T) {
	if got := Fingerprint("12345678"); got != "••••?" {
		t.Errorf("8 characters: %q", got)
	}
	if got := Fingerprint("123456789"); got != "••••6789" {
		t.Errorf("9 characters: %q", got)
	}
}
