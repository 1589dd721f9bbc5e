package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"unicode/utf8"

	"github.com/framecast/framecast/schemas"
)

// budget is the engine's resource budget, the same one Validate checks (schemas.DrawBudget).
var budget = schemas.DrawBudget()

// DocumentError is a failure caused by the document itself — a clip asks for more than the budget allows,
// an image that does not decode, a value the engine cannot draw — as opposed to a failure of the machine
// (storage, network, FFmpeg missing). Retrying cannot help; the document must change. Services answer it as
// an invalid document (INVALID_CONFIG) with Path, never as a server failure.
//
// Its message names the document's own words (the clip's path, its src URL) and never a server path.
type DocumentError struct {
	// Path is the JSON path of the part at fault, such as "tracks[0].clips[2]" or "meta".
	Path string
	// Message says what is wrong and how to fix it.
	Message string
	// Cause is the underlying error, for logs; it is not part of Error().
	Cause error
}

// Error returns "path: message".
func (e *DocumentError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Unwrap returns the cause.
func (e *DocumentError) Unwrap() error { return e.Cause }

// documentError returns err as a DocumentError at path, unless it is a cancellation (the caller left) or
// already a DocumentError (which keeps its own, more precise, path).
func documentError(path string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var de *DocumentError
	if errors.As(err, &de) {
		if de.Path == "" {
			de.Path = path
		}
		return err
	}
	var me machineError
	var pe *fs.PathError
	if errors.As(err, &me) || errors.As(err, &pe) || errors.Is(err, exec.ErrNotFound) {
		return err // not the document's fault: reading the cache, the network, FFmpeg missing
	}
	return &DocumentError{Path: path, Message: err.Error(), Cause: err}
}

// docErrorf returns a DocumentError at path with a formatted message.
func docErrorf(path, format string, args ...any) error {
	return &DocumentError{Path: path, Message: fmt.Sprintf(format, args...)}
}

// mediaName names a media reference as the document wrote it: its URL or {"$ref": id}.
func mediaName(m schemas.MediaRef) string {
	if m.Ref != "" {
		return fmt.Sprintf("{\"$ref\": %q}", m.Ref)
	}
	u := m.URL
	if len(u) > 120 { // a data: URL can be megabytes
		u = u[:117] + "…"
	}
	return u
}

// imageProblem says why an image could not be used, without the decoder's file paths.
func imageProblem(err error) string {
	var de *DocumentError
	switch {
	case errors.As(err, &de):
		return de.Message
	case strings.Contains(err.Error(), "limit is"):
		return err.Error() // a budget error: it names sizes only
	}
	return "it is not a PNG, JPEG, GIF, WebP, SVG, AVIF or HEIC image that can be decoded"
}

// checkTextLength refuses text longer than the budget before it is laid out (a 4 MB text clip took 55 s).
func checkTextLength(what, s string) error {
	if n := utf8.RuneCountInString(s); n > budget.MaxTextLength {
		return fmt.Errorf("the %s has %d characters; the limit is %d per clip: split it into several clips", what, n, budget.MaxTextLength)
	}
	return nil
}

// machineError marks a failure of the machine (network, disk, cache) met while preparing a clip, so that
// documentError does not class it as the document's.
type machineError struct{ err error }

func (e machineError) Error() string { return e.err.Error() }
func (e machineError) Unwrap() error { return e.err }
