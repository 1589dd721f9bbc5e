package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/schemas"
)

// ValidationResult is the outcome of checking a document (Validate): every problem, each with its JSON
// path; messages for misspelled names end with a did-you-mean suggestion. It is the result of MCP's
// validate_document and of `framecast validate --json`.
type ValidationResult struct {
	Valid    bool      `json:"valid"`
	Errors   []Problem `json:"errors"`
	Warnings []Problem `json:"warnings"`
	// Width, Height, FPS and Duration describe a valid document's video.
	Width    int     `json:"width,omitempty"`
	Height   int     `json:"height,omitempty"`
	FPS      float64 `json:"fps,omitempty"`
	Duration float64 `json:"duration,omitempty"`
	// Quality and Cost are what rendering the document would be charged (see the capabilities).
	Quality string `json:"quality,omitempty"`
	Cost    int64  `json:"cost,omitempty"`
}

// Rules are what a document is checked against besides the protocol: the one validation that REST, MCP
// and the command line share.
type Rules struct {
	// Limits bound size, frame rate, duration, clips and bytes; the zero value means schemas.DefaultLimits().
	Limits schemas.Limits
	// PublicURL is the base of this server's URLs: media under PublicURL + FilesPath are its uploads.
	PublicURL string
	// AllowPrivateURLs accepts media at literal loopback, private and metadata addresses and "localhost".
	AllowPrivateURLs bool
	// AllowLocalFiles accepts any media reference, local paths included: the command-line renderer reads
	// local files, the service never does.
	AllowLocalFiles bool
}

// rules returns the service's validation rules.
func (s *Service) rules() Rules {
	return Rules{Limits: s.cfg.Limits, PublicURL: s.cfg.PublicURL, AllowPrivateURLs: s.cfg.AllowPrivateURLs}
}

// Validate checks a document as creating a task or a preview would, for free: the protocol, the limits
// and the media URLs. An invalid document is a result with Valid false, not an error.
func (s *Service) Validate(ctx context.Context, raw json.RawMessage) (ValidationResult, error) {
	res, _ := CheckDocument(raw, s.rules())
	return res, nil
}

// CheckDocument validates raw against the protocol and rules and describes the video a valid document
// makes. It also returns the parsed document when it is valid (nil otherwise).
//
// Media URLs a render could never read are errors: local paths and schemes other than http(s) and data:
// (unless rules.AllowLocalFiles), and literal loopback, private or metadata addresses (unless
// rules.AllowPrivateURLs). Host names are resolved at render time, where the same guard applies at dial
// time. The media check runs only on a document that passes the protocol.
func CheckDocument(raw []byte, rules Rules) (ValidationResult, *schemas.Document) {
	if rules.Limits == (schemas.Limits{}) {
		rules.Limits = schemas.DefaultLimits()
	}
	res := schemas.Validate(raw, rules.Limits)
	out := ValidationResult{Errors: res.Errors, Warnings: res.Warnings}
	if res.OK() && !rules.AllowLocalFiles {
		out.Errors = checkMediaURLs(res.Document, rules)
	}
	if out.Errors == nil {
		out.Errors = []Problem{}
	}
	if out.Warnings == nil {
		out.Warnings = []Problem{}
	}
	out.Valid = len(out.Errors) == 0
	if !out.Valid {
		return out, nil
	}
	info := infoOf(res.Document)
	q, cost := RenderCost(info.Width, info.Height, info.Duration)
	out.Width, out.Height, out.FPS, out.Duration, out.Quality, out.Cost = info.Width, info.Height, info.FPS, info.Duration, q.Name, cost
	return out, res.Document
}

// invalidConfig is the INVALID_CONFIG error of an invalid result: the first problem in the message, every
// problem in the details.
func (r ValidationResult) invalidConfig() *Error {
	msg := "Invalid video configuration: " + r.Errors[0].String()
	if n := len(r.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more problem%s, listed in details.errors)", n, plural(n))
	}
	return InvalidConfig(msg, r.Errors, r.Warnings)
}

// validateDocument checks a document that is about to be stored. It returns the document's compact JSON,
// its facts and its warnings, or INVALID_CONFIG with every problem in the details.
func (s *Service) validateDocument(raw []byte) (compact []byte, info docInfo, warnings []Problem, err error) {
	res, doc := CheckDocument(raw, s.rules())
	if !res.Valid {
		return nil, docInfo{}, nil, res.invalidConfig()
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, docInfo{}, nil, InvalidConfig("Invalid video configuration: "+err.Error(), []Problem{{Message: err.Error()}}, nil)
	}
	if len(res.Warnings) == 0 {
		res.Warnings = nil
	}
	return buf.Bytes(), infoOf(doc), res.Warnings, nil
}

// checkMediaURLs lists the media URLs of doc a render could never read (see CheckDocument).
func checkMediaURLs(doc *schemas.Document, rules Rules) []Problem {
	var problems []Problem
	policy := netguard.Policy{AllowPrivate: rules.AllowPrivateURLs}
	for _, m := range doc.MediaURLs() {
		if strings.HasPrefix(m.URL, "data:") || strings.HasPrefix(m.URL, FilesPath) ||
			(rules.PublicURL != "" && strings.HasPrefix(m.URL, rules.PublicURL+FilesPath)) {
			continue
		}
		u, err := url.Parse(m.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, Problem{Path: m.Path, Message: fmt.Sprintf(
				"%q is not an http(s) URL: use an https:// URL, a data: URL or the url of an uploaded file (POST /api/v1/upload)", m.URL)})
			continue
		}
		host := strings.ToLower(u.Hostname())
		if ip, err := netip.ParseAddr(host); err == nil {
			if err := policy.CheckAddr(ip); err != nil {
				problems = append(problems, Problem{Path: m.Path, Message: fmt.Sprintf("%s cannot be fetched: %v", m.URL, err)})
			}
		} else if !rules.AllowPrivateURLs && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			problems = append(problems, Problem{Path: m.Path, Message: fmt.Sprintf("%s points at this server's own network, which renders may not reach", m.URL)})
		}
	}
	return problems
}
