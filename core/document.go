package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/framecast/framecast/netguard"

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
	if problems := s.checkMediaURLs(res.Document); len(problems) > 0 {
		msg := "Invalid video configuration: " + problems[0].String()
		return nil, docInfo{}, nil, InvalidConfig(msg, problems, res.Warnings)
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

// checkMediaURLs refuses, before anything is stored or charged, media URLs a render could never read:
// local paths and other schemes (only the command-line renderer reads local files), and literal loopback,
// private or metadata addresses unless the server allows them. Host names are resolved at render time,
// where the same guard applies at dial time.
func (s *Service) checkMediaURLs(doc *schemas.Document) []schemas.Problem {
	var problems []schemas.Problem
	policy := netguard.Policy{AllowPrivate: s.cfg.AllowPrivateURLs}
	for _, m := range doc.MediaURLs() {
		if strings.HasPrefix(m.URL, "data:") || strings.HasPrefix(m.URL, s.cfg.PublicURL+FilesPath) || strings.HasPrefix(m.URL, FilesPath) {
			continue
		}
		u, err := url.Parse(m.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, schemas.Problem{Path: m.Path, Message: fmt.Sprintf(
				"%q is not an http(s) URL: use an https:// URL, a data: URL or the url of an uploaded file (POST /api/v1/upload)", m.URL)})
			continue
		}
		host := strings.ToLower(u.Hostname())
		if ip, err := netip.ParseAddr(host); err == nil {
			err = policy.CheckAddr(ip)
			if err != nil {
				problems = append(problems, schemas.Problem{Path: m.Path, Message: fmt.Sprintf("%s cannot be fetched: %v", m.URL, err)})
			}
		} else if !s.cfg.AllowPrivateURLs && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			problems = append(problems, schemas.Problem{Path: m.Path, Message: fmt.Sprintf("%s points at this server's own network, which renders may not reach", m.URL)})
		}
	}
	return problems
}
