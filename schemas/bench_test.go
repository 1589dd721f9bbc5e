package schemas

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"
)

// bigDocument returns a valid document with n clips copied from testdata/valid/basic.json.
func bigDocument(tb testing.TB, n int) []byte {
	tb.Helper()
	raw, err := os.ReadFile("testdata/valid/basic.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	var pool []any
	for _, tr := range doc["tracks"].([]any) {
		pool = append(pool, tr.(map[string]any)["clips"].([]any)...)
	}
	clips := make([]any, n)
	for i := range clips {
		clip := map[string]any{}
		for k, v := range pool[i%len(pool)].(map[string]any) {
			clip[k] = v
		}
		clip["id"] = fmt.Sprintf("clip%d", i) // ids must stay unique
		clips[i] = clip
	}
	doc["tracks"] = []any{map[string]any{"clips": clips}}
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{10, 1000} {
		raw := bigDocument(b, n)
		b.Run(fmt.Sprintf("clips=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if res := Validate(raw, DefaultLimits()); !res.OK() {
					b.Fatal(res.Errors)
				}
			}
		})
	}
}

func BenchmarkJSONSchema(b *testing.B) {
	for b.Loop() {
		if _, err := JSONSchema(); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzValidate checks that no input makes Validate panic, and that an accepted document is decoded.
func FuzzValidate(f *testing.F) {
	files, _ := os.ReadDir("testdata/valid")
	for _, e := range files {
		raw, err := os.ReadFile("testdata/valid/" + e.Name())
		if err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(docWith(rect(`"animations": [{"type": "fadein"}]`))))
	addExampleSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		res := Validate(raw, DefaultLimits())
		if res.OK() != (res.Document != nil) {
			t.Fatalf("OK %v but Document %v: %v", res.OK(), res.Document != nil, res.Errors)
		}
		for _, p := range append(res.Errors, res.Warnings...) {
			if strings.TrimSpace(p.Message) == "" {
				t.Fatalf("empty message at %q", p.Path)
			}
		}
	})
}

// TestValidateSurvivesMutations feeds randomly damaged copies of the valid documents to Validate: it must
// never panic, and whatever it accepts must decode (the validator and the decoder agree).
func TestValidateSurvivesMutations(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, path := range validFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2000; i++ {
			b := mutate(rng, raw)
			res := Validate(b, DefaultLimits())
			for _, p := range res.Errors {
				if strings.HasPrefix(p.Message, "decode video document") {
					t.Fatalf("%s: accepted by the checks but not decodable: %s\n%s", path, p.Message, b)
				}
			}
			if res.OK() != (res.Document != nil) {
				t.Fatalf("%s: OK %v but Document %v", path, res.OK(), res.Document != nil)
			}
		}
	}
}

// mutate returns a copy of raw with a few bytes changed, cut or duplicated.
func mutate(rng *rand.Rand, raw []byte) []byte {
	b := append([]byte(nil), raw...)
	for k := 0; k < 1+rng.Intn(4); k++ {
		p := rng.Intn(len(b))
		switch rng.Intn(3) {
		case 0:
			b[p] = byte(rng.Intn(128))
		case 1:
			b = append(b[:p], b[min(len(b), p+1+rng.Intn(20)):]...)
		default:
			q := rng.Intn(len(b))
			piece := append([]byte(nil), b[q:min(len(b), q+rng.Intn(30))]...)
			b = append(b[:p], append(piece, b[p:]...)...)
		}
	}
	return b
}
