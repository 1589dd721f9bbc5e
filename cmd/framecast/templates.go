package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/schemas"
)

// Templates on the command line: `framecast render template.json --vars vars.json` renders one variable
// set, `--csv rows.csv -o out/{{slug}}.mp4` one video per CSV row. The template file is either the body
// POST /api/v1/templates takes ({"config": <document>, "variables": {declarations}}) or a bare document
// with {{name}} placeholders, whose values are then used as given (like POST /api/v1/video's "variables").

// templateSource is a template read from a file.
type templateSource struct {
	config   []byte
	vars     schemas.Variables
	declared bool // the file declares its variables
}

// readTemplate reads a template file (path "-" for standard input) and prints its warnings.
func readTemplate(path string) (templateSource, error) {
	raw, err := readInput(path)
	if err != nil {
		return templateSource{}, fmt.Errorf("reading the template: %w", err)
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) != nil {
		_, _, err := checkDocument(raw, path) // reports the syntax error with its line
		return templateSource{}, err
	}
	config, ok := probe["config"]
	if !ok {
		return templateSource{config: raw}, nil
	}
	t := templateSource{config: config, vars: schemas.Variables{}, declared: true}
	if v, ok := probe["variables"]; ok {
		if err := json.Unmarshal(v, &t.vars); err != nil {
			return templateSource{}, fmt.Errorf("%s: variables: %v", path, err)
		}
	}
	errs, warnings := schemas.CheckTemplate(t.config, t.vars)
	printProblems("warning", warnings)
	if len(errs) > 0 {
		printProblems("error", errs)
		fmt.Fprintf(os.Stderr, "%s: %d error(s)\n", path, len(errs))
		return templateSource{}, exitError{code: 1}
	}
	return t, nil
}

// readInput reads a file, or standard input for "-".
func readInput(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(path)
}

func printProblems(kind string, problems []schemas.Problem) {
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "%s: %s\n", kind, p.String())
	}
}

// merge returns the document of one variable set, or the problems of the set.
func (t templateSource) merge(given map[string]any) ([]byte, []schemas.Problem) {
	var values map[string]any
	var problems []schemas.Problem
	if t.declared {
		values, problems = t.vars.Resolve(given)
	} else {
		values, problems = schemas.InlineValues(t.config, given)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return schemas.Merge(t.config, values)
}

// loadMerged reads a template and a JSON file of variable values, merges them and validates the result.
func loadMerged(templatePath, varsPath string) (*schemas.Document, error) {
	t, err := readTemplate(templatePath)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(varsPath)
	if err != nil {
		return nil, fmt.Errorf("reading the variables: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var given map[string]any
	if err := dec.Decode(&given); err != nil || given == nil {
		return nil, fmt.Errorf("%s: the variables must be a JSON object of values by name: %v", varsPath, err)
	}
	merged, problems := t.merge(given)
	if len(problems) > 0 {
		printProblems("error", problems)
		fmt.Fprintf(os.Stderr, "%s: %d error(s)\n", varsPath, len(problems))
		return nil, exitError{code: 1}
	}
	doc, _, err := checkDocument(merged, templatePath+" with "+varsPath)
	return doc, err
}

// outputPlaceholder matches a {{column}} of an output path pattern.
var outputPlaceholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}`)

// rowOutput fills an output path pattern with a row's cells ({{row}} is the row's number from 1), each
// cell made safe as one file name (no folders, no leading dots).
func rowOutput(pattern string, index int, cells map[string]string) (string, error) {
	var missing []string
	out := outputPlaceholder.ReplaceAllStringFunc(pattern, func(p string) string {
		name := outputPlaceholder.FindStringSubmatch(p)[1]
		if name == "row" {
			return strconv.Itoa(index + 1)
		}
		cell, ok := cells[name]
		if !ok {
			missing = append(missing, name)
			return p
		}
		return safeFileName(cell)
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("-o %s: the CSV has no column %s ({{row}} is the row number)", pattern, strings.Join(missing, ", "))
	}
	return out, nil
}

// safeFileName turns a cell into a file name: path separators and characters shells and file systems
// dislike become "-", and leading dots are dropped.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < ' ' || strings.ContainsRune(`*?"<>|`, r):
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimLeft(s, ".")
	if s == "" {
		return "_"
	}
	return s
}

// renderCSV renders one video per row of a CSV of variable sets. Every row is merged and validated before
// anything is drawn; columns the -o pattern names that the template does not use only name the files.
func renderCSV(ctx context.Context, templatePath, csvPath, pattern string, job renderJob) error {
	t, err := readTemplate(templatePath)
	if err != nil {
		return err
	}
	f, err := os.Open(csvPath)
	if err != nil {
		return fmt.Errorf("reading the CSV: %w", err)
	}
	rows, err := core.ReadCSVRows(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %s", csvPath, core.AsError(err).Message)
	}
	if pattern == "" {
		pattern = strings.TrimSuffix(filepath.Base(templatePath), filepath.Ext(templatePath)) + "-{{row}}." + job.format
	}
	naming := map[string]bool{}
	for _, m := range outputPlaceholder.FindAllStringSubmatch(pattern, -1) {
		naming[m[1]] = true
	}
	uses, _ := schemas.Placeholders(t.config)
	used := map[string]bool{}
	for _, u := range uses {
		used[u.Name] = true
	}

	type item struct {
		doc *schemas.Document
		out string
	}
	items := make([]item, len(rows))
	outputs := map[string]int{}
	failed := 0
	for i, row := range rows {
		where := fmt.Sprintf("%s row %d", csvPath, row.Line)
		cells := map[string]string{}
		for name, cell := range row.Cells {
			if _, declared := t.vars[name]; naming[name] && !declared && !used[name] {
				continue // a column that only names the file
			}
			cells[name] = cell
		}
		given, _, problems := core.CSVRow{Line: row.Line, Cells: cells}.VariableSet(t.vars)
		var merged []byte
		if len(problems) == 0 {
			merged, problems = t.merge(given)
		}
		if len(problems) > 0 {
			for _, p := range problems {
				fmt.Fprintf(os.Stderr, "error: %s: %s\n", where, p.String())
			}
			failed++
			continue
		}
		doc, _, err := checkDocument(merged, where)
		if err != nil {
			failed++
			continue
		}
		out, err := rowOutput(pattern, i, row.Cells)
		if err != nil {
			return err
		}
		if j, dup := outputs[out]; dup {
			return fmt.Errorf("rows %d and %d would both write %s: put a column that differs in -o (such as {{row}})", rows[j].Line, row.Line, out)
		}
		outputs[out] = i
		items[i] = item{doc: doc, out: out}
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d of %d rows have errors; nothing was rendered\n", csvPath, failed, len(rows))
		return exitError{code: 1}
	}
	for i, it := range items {
		if dir := filepath.Dir(it.out); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "[%d/%d] %s\n", i+1, len(items), it.out)
		if err := job.run(ctx, it.doc, templatePath, it.out); err != nil {
			return fmt.Errorf("%s row %d: %w", csvPath, rows[i].Line, err)
		}
	}
	return nil
}
