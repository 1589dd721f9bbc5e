package core

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/framecast/framecast/schemas"
)

// docInfo is what the service keeps about a document besides its text.
type docInfo struct {
	Width, Height int
	FPS           float64
	Duration      float64 // seconds
}

func infoOf(doc *schemas.Document) docInfo {
	return docInfo{Width: doc.Meta.Width, Height: doc.Meta.Height, FPS: doc.Meta.FrameRate(), Duration: schemas.Duration(doc)}
}

// storedInfo reads the facts of a document stored after validation.
func storedInfo(config string) (docInfo, error) {
	doc, err := schemas.Parse([]byte(config))
	if err != nil {
		return docInfo{}, fmt.Errorf("stored document: %w", err)
	}
	return infoOf(doc), nil
}

// objectJSON checks that raw, when present, is a JSON object and returns it compact; absent (or null)
// becomes "{}". field names it in the error.
func objectJSON(raw json.RawMessage, field string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "{}", nil
	}
	var obj map[string]any
	if raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return "", InvalidRequest("%s must be a JSON object", field)
	}
	var buf bytes.Buffer
	json.Compact(&buf, raw)
	return buf.String(), nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Problem is one problem of a document, with its JSON path (schemas.Problem).
type Problem = schemas.Problem
