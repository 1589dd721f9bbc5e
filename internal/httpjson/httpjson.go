// Package httpjson writes JSON answers for the adapters that serve pages beside the API (the player's
// endpoints and the console): one place for the body, its headers and the failure to encode. It imports the
// standard library only, so any adapter may use it without reaching another (internal/archtest).
//
// The REST API writes its own answers (httpapi/respond.go): their headers (Content-Length, no Cache-Control)
// are part of the wire contract.
package httpjson

import (
	"encoding/json"
	"net/http"
)

// WriteUncached answers v as JSON with status, marked "Cache-Control: no-store": the answers of the pages'
// endpoints change from one request to the next (progress, frames, problems). A value that cannot be
// encoded, a programming error, answers 500 with a plain-text message.
func WriteUncached(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding the answer failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}
