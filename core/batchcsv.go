package core

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/framecast/framecast/schemas"
)

// Limits of batches, written once.
const (
	// MaxBatchItems is the most items (variable sets) one batch holds.
	MaxBatchItems = 10_000
	// MaxCSVBytes bounds a CSV of variable sets.
	MaxCSVBytes = 32 << 20
	// CSVMetadataPrefix marks the CSV columns that go into each item's metadata instead of its variables:
	// a column "metadata.customer" sets the item's metadata {"customer": …}.
	CSVMetadataPrefix = "metadata."
)

// CSVRow is one data row of a CSV of variable sets: its number in the file (the header is row 1) and its
// cells by column name.
type CSVRow struct {
	Line  int
	Cells map[string]string
}

// ReadCSVRows reads a CSV of variable sets: a header row of column names (variable names, or
// CSVMetadataPrefix + a metadata key), then one row per item, every row with as many cells as the header.
// A UTF-8 byte order mark is skipped. It reads at most MaxBatchItems rows and MaxCSVBytes bytes.
func ReadCSVRows(r io.Reader) ([]CSVRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, InvalidRequest("reading the CSV: %v", err)
	}
	if len(data) > MaxCSVBytes {
		return nil, StorageLimitExceeded(fmt.Sprintf("The CSV is larger than %d bytes", MaxCSVBytes), MaxCSVBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, InvalidRequest("the CSV is empty: its first row names the variables, each further row is one video")
	}
	if err != nil {
		return nil, InvalidRequest("CSV: %v", err)
	}
	seen := map[string]bool{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		header[i] = name
		switch {
		case name == "":
			return nil, InvalidRequest("CSV header: column %d has no name; the header row names the variables", i+1)
		case seen[name]:
			return nil, InvalidRequest("CSV header: column %q appears twice", name)
		}
		seen[name] = true
	}
	var rows []CSVRow
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, InvalidRequest("CSV: %v", err)
		}
		if len(rows) == MaxBatchItems {
			return nil, InvalidRequest("the CSV has more than %d rows; a batch holds at most %d items: split it", MaxBatchItems, MaxBatchItems)
		}
		line, _ := cr.FieldPos(0)
		row := CSVRow{Line: line, Cells: make(map[string]string, len(header))}
		for i, cell := range record {
			row.Cells[header[i]] = cell
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, InvalidRequest("the CSV has a header but no rows: add one row per video")
	}
	return rows, nil
}

// VariableSet splits a CSV row into the item's variables, read into the declared types
// (schemas.Variable.ParseText), and its metadata (the CSVMetadataPrefix columns, as text). An empty cell
// is no value: the variable's default applies. Columns that name no declared variable are kept as text,
// for Resolve to report.
func (row CSVRow) VariableSet(vars schemas.Variables) (values, metadata map[string]any, problems []Problem) {
	cells := map[string]string{}
	for name, cell := range row.Cells {
		if key, ok := strings.CutPrefix(name, CSVMetadataPrefix); ok {
			if metadata == nil {
				metadata = map[string]any{}
			}
			metadata[key] = cell
			continue
		}
		cells[name] = cell
	}
	values, problems = vars.ParseTexts(cells)
	return values, metadata, problems
}
