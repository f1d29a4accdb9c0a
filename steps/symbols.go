package steps

import "strings"

// asciiSymbols replaces every symbol the project's text uses with ASCII or
// a word, for terminals and locales that cannot show them, and for screen
// readers, which read symbols out. Both faces use this one table.
var asciiSymbols = strings.NewReplacer(
	"›", ">", "·", "-", "•", "*", "…", "...", "─", "-", "│", "|", "●", "=", "○", "-",
	"✓", "+", "↓", "down", "↑", "up", "→", "->", "←", "<-", "×", "x", "–", "-",
)

// ASCII replaces the project's symbols in s with ASCII.
func ASCII(s string) string { return asciiSymbols.Replace(s) }
