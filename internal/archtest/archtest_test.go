// Package archtest holds the tests that keep Framecast's arrows pointing one way (the developers' guide,
// "The house"): the adapters (httpapi, mcp, player) reach the service only through package core, the
// engine knows nothing of the service, and core knows no transport. They read the import graph with
// `go list`, so a forbidden import fails here, by name, before review.
package archtest

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/framecast/framecast"

// pkg is a package of the module as `go list` sees it (without its tests).
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string // direct
	Deps       []string // transitive
}

// packages lists every package of the module.
func packages(t *testing.T) map[string]pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,Imports,Deps", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")] = p
	}
	return pkgs
}

// local returns the module's packages among paths, relative to the module ("core/store").
func local(paths []string) []string {
	var out []string
	for _, p := range paths {
		if rel, ok := strings.CutPrefix(p, module+"/"); ok {
			out = append(out, rel)
		}
	}
	return out
}

// under reports whether p is the package root or one below it.
func under(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }

// TestAdaptersImportOnlyCore: httpapi, mcp, player and console import core (player also core/preview, the proxies
// it shows) and schemas for the document types — never core/store, core/blob, core/jobs, render, netguard
// or each other. docs and examples are embedded content, no code. mcp also imports client, the Go client
// of the REST API, for its Remote backend (`framecast mcp --server`): it speaks to another server over
// HTTP, the way any user program does, and client imports nothing of the module (TestClientIsLight).
func TestAdaptersImportOnlyCore(t *testing.T) {
	pkgs := packages(t)
	allowed := map[string][]string{
		"httpapi": {"core", "schemas", "docs"},
		"mcp":     {"core", "schemas", "docs", "examples", "client"},
		"player":  {"core", "core/preview", "schemas", "internal/httpjson"},
		"console": {"core", "schemas", "examples", "internal/httpjson"},
	}
	for adapter, ok := range allowed {
		p, found := pkgs[adapter]
		if !found {
			t.Fatalf("no package %s", adapter)
		}
		for _, imp := range local(p.Imports) {
			if !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s; adapters import only %v", adapter, imp, ok)
			}
		}
	}
}

// TestRenderKnowsNoService: the engine (render and below) depends on no part of the service or its
// adapters: no accounts, databases, queues or HTTP API.
func TestRenderKnowsNoService(t *testing.T) {
	for name, p := range packages(t) {
		if !under(name, "render") {
			continue
		}
		for _, dep := range local(p.Deps) {
			for _, banned := range []string{"core", "httpapi", "mcp", "player", "console", "cmd"} {
				if under(dep, banned) {
					t.Errorf("%s depends on %s", name, dep)
				}
			}
		}
	}
}

// TestCoreKnowsNoTransport: core and its subpackages depend on no adapter and no router, and core itself
// uses no HTTP status, request or handler (the status of an error code is httpapi's; net/http's content
// sniffing is allowed).
func TestCoreKnowsNoTransport(t *testing.T) {
	pkgs := packages(t)
	for name, p := range pkgs {
		if !under(name, "core") {
			continue
		}
		for _, dep := range p.Deps {
			rel := strings.TrimPrefix(dep, module+"/")
			if under(rel, "httpapi") || under(rel, "mcp") || under(rel, "player") || under(rel, "console") || strings.HasPrefix(dep, "github.com/go-chi/") ||
				strings.HasPrefix(dep, "github.com/mark3labs/") {
				t.Errorf("%s depends on %s", name, dep)
			}
		}
	}
	core := pkgs["core"]
	fset := token.NewFileSet()
	for _, file := range core.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(core.Dir, file), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		httpName := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"net/http"` {
				httpName = "http"
				if imp.Name != nil {
					httpName = imp.Name.Name
				}
			}
		}
		if httpName == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == httpName && sel.Sel.Name != "DetectContentType" {
				t.Errorf("%s: core uses http.%s", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// TestClientIsLight: the Go client of the REST API (package client) depends on the standard library only,
// so a program that calls a Framecast server links no database driver, FFmpeg wrapper or render engine.
// Its types are kept in step with core's by client's own tests, not by importing core.
func TestClientIsLight(t *testing.T) {
	p, ok := packages(t)["client"]
	if !ok {
		t.Fatal("no package client")
	}
	for _, dep := range p.Deps {
		first, _, _ := strings.Cut(dep, "/")
		if strings.Contains(first, ".") {
			t.Errorf("client depends on %s; it may use the standard library only", dep)
		}
	}
}
