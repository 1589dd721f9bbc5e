package schemas_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/framecast/framecast/schemas"
)

// Every enumerated type of the generated JSON Schema has one named constant per value in enumconst.go, in
// the schema's order, and no other: adding a value to a list in enums.go without its constant (or the
// reverse) fails here, by type and value.
func TestEnumConstants(t *testing.T) {
	raw, err := schemas.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	consts := constantsByType(t, "enumconst.go")
	for name, def := range doc.Defs {
		if def.Enum == nil {
			continue
		}
		if got := consts[name]; !slices.Equal(got, def.Enum) {
			t.Errorf("%s: the schema lists %q, the constants of enumconst.go %q", name, def.Enum, got)
		}
		delete(consts, name)
	}
	for name, values := range consts {
		t.Errorf("%s: constants %q in enumconst.go, but the JSON Schema has no enum %s", name, values, name)
	}
}

// constantsByType reads the typed string constants of a Go file: type name -> values in order.
func constantsByType(t *testing.T, file string) map[string][]string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			typ, ok := v.Type.(*ast.Ident)
			if !ok || len(v.Values) != 1 {
				t.Fatalf("%s: constant %s: write it `Name Type = \"value\"`", file, v.Names[0].Name)
			}
			lit, ok := v.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Fatalf("%s: constant %s is not a string literal", file, v.Names[0].Name)
			}
			value, _ := strconv.Unquote(lit.Value)
			out[typ.Name] = append(out[typ.Name], value)
		}
	}
	return out
}
