package schemas

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// suggest returns the candidate closest to name, for "did you mean" hints, or "" when none is close.
// A candidate equal to name but for letter case always wins; otherwise the candidate with the fewest edits
// (Levenshtein distance, ignoring case) wins when it needs at most a third of name's letters changed
// (at least one). Ties go to the earlier candidate.
func suggest(name string, candidates []string) string {
	// The edit distance costs len(name) × len(candidate): a 4 MB unknown key cost 7–15 CPU-seconds. No name
	// is longer than a few dozen letters, so a longer one has no suggestion.
	if len(name) > maxSuggestLength*utf8.UTFMax || utf8.RuneCountInString(name) > maxSuggestLength {
		return ""
	}
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if strings.ToLower(c) == lower {
			return c
		}
	}
	best, bestDist := "", max(1, utf8.RuneCountInString(name)/3)+1
	for _, c := range candidates {
		if d := levenshtein(lower, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// maxSuggestLength is the longest name (in letters) suggest compares with the candidates.
const maxSuggestLength = 64

// shortQuote quotes s for a message, cut to its first 64 letters: an unknown name can be megabytes long.
func shortQuote(s string) string {
	if len(s) <= maxSuggestLength {
		return fmt.Sprintf("%q", s)
	}
	cut := s[:maxSuggestLength]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return fmt.Sprintf("%q… (%d bytes)", cut, len(s))
}

// shortName cuts a name to its first 64 bytes (whole letters) followed by "…", for paths.
func shortName(s string) string {
	if len(s) <= maxSuggestLength {
		return s
	}
	cut := s[:maxSuggestLength]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

// didYouMean returns ` — did you mean "x"?` for the closest candidate, or "".
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" && s != name {
		return fmt.Sprintf(" — did you mean %q?", s)
	}
	return ""
}

// levenshtein counts the single-letter insertions, deletions and substitutions that turn a into b.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// quoteList writes names as "a", "b", "c", shortened after limit names.
func quoteList(names []string, limit int) string {
	var b strings.Builder
	for i, n := range names {
		if i == limit {
			fmt.Fprintf(&b, ", … (%d more)", len(names)-limit)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	return b.String()
}
