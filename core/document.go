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

// validateDocument checks a document against the protocol and the configured limits. It returns the
// document's compact JSON, its facts and its warnings, or INVALID_CONFIG with every problem in the details.
func (s *Service) validateDocument(raw []byte) (compact []byte, info docInfo, warnings []schemas.Problem, err error) {
	res := schemas.Validate(raw, s.cfg.Limits)
	if !res.OK() {
		msg := "Invalid video configuration: " + res.Errors[0].String()
		if n := len(res.Errors) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more problem%s, listed in details.errors)", n, plural(n))
		}
		return nil, docInfo{}, nil, InvalidConfig(msg, res.Errors, res.Warnings)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, docInfo{}, nil, InvalidConfig("Invalid video configuration: "+err.Error(), []schemas.Problem{{Message: err.Error()}}, nil)
	}
	return buf.Bytes(), infoOf(res.Document), res.Warnings, nil
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
