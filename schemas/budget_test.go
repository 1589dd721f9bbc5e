package schemas

import (
	"strings"
	"testing"
)

// Suggestions compare names of at most maxSuggestLength letters: the edit distance of a 4 MB key against
// every field name cost 7–15 CPU-seconds per request.
func TestSuggestSkipsLongNames(t *testing.T) {
	near := strings.Repeat("x", 99)
	if got := suggest(strings.Repeat("x", 40)+"y", []string{strings.Repeat("x", 41)}); got == "" {
		t.Errorf("a 41-letter near miss gets no suggestion; want one")
	}
	if got := suggest(strings.Repeat("x", 100), []string{near}); got != "" {
		t.Errorf("suggest(100 letters) = %q; want no suggestion past %d letters", got, maxSuggestLength)
	}
}

// A document with a 4 MB unknown key validates with a warning that quotes only the start of the key.
func TestHugeUnknownKeyIsCheap(t *testing.T) {
	key := strings.Repeat("k", 4<<20)
	doc := `{"meta": {"version": "2.0.0", "width": 320, "height": 180}, "tracks": [{"clips": [{"type": "rect", "start": 0, "duration": 1, "` + key + `": 1}]}]}`
	lim := DefaultLimits()
	lim.MaxBytes = 0
	res := Validate([]byte(doc), lim)
	if !res.OK() || len(res.Warnings) != 1 {
		t.Fatalf("errors %v, %d warnings; want valid with one warning", res.Errors, len(res.Warnings))
	}
	w := res.Warnings[0]
	if len(w.Path)+len(w.Message) > 1000 || !strings.Contains(w.Message, "unknown field") {
		t.Errorf("warning is %d bytes long: %.200s; want the key cut short", len(w.Path)+len(w.Message), w.String())
	}
}

// The capabilities' budget map names every bound (a new field of Budget must be added to Map).
func TestBudgetMapIsComplete(t *testing.T) {
	m := DrawBudget().Map()
	if n := typeOf[Budget]().NumField(); len(m) != n {
		t.Errorf("Budget.Map has %d entries for %d fields", len(m), n)
	}
	for k, v := range m {
		if f, ok := v.(float64); ok && f <= 0 {
			t.Errorf("%s = %v; want a positive bound", k, v)
		}
		if i, ok := v.(int); ok && i <= 0 {
			t.Errorf("%s = %v; want a positive bound", k, v)
		}
	}
}
