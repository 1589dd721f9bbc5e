package core

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/framecast/framecast/schemas"
)

func TestErrorConstructors(t *testing.T) {
	cause := errors.New("disk full")
	for _, c := range []struct {
		err  *Error
		code string
	}{
		{InvalidRequest("bad %s", "page"), CodeInvalidRequest},
		{InvalidConfig[Problem]("bad", nil, nil), CodeInvalidConfig},
		{NoFiles(), CodeNoFiles},
		{UnsupportedFileType("a.exe", "executable"), CodeUnsupportedFileType},
		{InsufficientCredits(10, 3), CodeInsufficientCredits},
		{NotFound("Task", "x"), CodeNotFound},
		{AlreadyRendering("t", "rt_x"), CodeAlreadyRendering},
		{StorageLimitExceeded("big", 5), CodeStorageLimitExceeded},
		{RateLimited(3), CodeRateLimited},
		{UploadFailed(cause), CodeUploadFailed},
		{RenderTriggerFailed(cause), CodeRenderTriggerFailed},
		{RemoteError(cause), CodeRemoteError},
		{MissingAPIKey(), CodeMissingAPIKey},
		{InvalidAPIKeyFormat(), CodeInvalidAPIKeyFormat},
		{InvalidAPIKey(), CodeInvalidAPIKey},
		{APIKeyInactive(), CodeAPIKeyInactive},
		{UserNotFound(), CodeUserNotFound},
		{ServerBusy("drawing", 2), CodeServerBusy},
	} {
		if c.err.Code != c.code || c.err.Message == "" {
			t.Errorf("%s: %+v", c.code, c.err)
		}
	}
	if len(Codes) != 20 {
		t.Errorf("the code list has %d codes", len(Codes))
	}
	ic := InvalidConfig[Problem]("bad", nil, nil)
	if !reflect.DeepEqual(ic.Details, map[string]any{"errors": []Problem{}, "warnings": []Problem{}}) {
		t.Errorf("empty config details %+v", ic.Details)
	}
	// Any other error is an internal error that keeps its cause, also through wrapping; core's own
	// dependencies' failures (fail) are REMOTE_ERROR.
	e := AsError(fmt.Errorf("query: %w", cause))
	if e.Code != CodeInternal || !errors.Is(e, cause) || e.Message == cause.Error() {
		t.Errorf("AsError %+v", e)
	}
	if e := AsError(fail(fmt.Errorf("query: %w", cause))); e.Code != CodeRemoteError || !errors.Is(e, cause) {
		t.Errorf("fail %+v", e)
	}
	if AsError(fmt.Errorf("ctx: %w", NotFound("Task", "x"))).Code != CodeNotFound || AsError(nil) != nil || CodeOf(nil) != "" {
		t.Error("AsError of a wrapped *Error or nil")
	}
	if fail(nil) != nil {
		t.Error("fail(nil) is a non-nil interface")
	}
}

func TestCapabilities(t *testing.T) {
	forEachBackend(t, Config{MaxWorkers: 8}, func(t *testing.T, e *env) {
		c, err := e.svc.Capabilities(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if jsonKeys(t, c) != "apiVersion,docs,features,render,schema,success" || c.APIVersion != "v1" || c.Schema.Version != schemas.Version {
			t.Fatalf("capabilities %+v", c)
		}
		if !reflect.DeepEqual(c.Schema.ClipTypes, schemas.Names(schemas.ClipTypes())) || !reflect.DeepEqual(c.Schema.EasingFunctions, schemas.Names(schemas.Easings)) ||
			len(c.Schema.AnimationTypes) == 0 || len(c.Schema.TransitionTypes) == 0 || len(c.Schema.KeyframeProperties) == 0 {
			t.Fatalf("schema lists %+v", c.Schema)
		}
		if len(c.Render.Qualities) != 3 || c.Render.Qualities[1] != (Quality{"1080p", Qualities[1].Label, 1080, 1.5}) || c.Render.MaxWorkers != 8 || c.Render.DefaultWorkers != 5 {
			t.Fatalf("render %+v", c.Render)
		}
		if keys := jsonKeys(t, c.Render.Qualities[0]); keys != "creditMultiplier,label,quality,shortEdge" {
			t.Fatalf("quality keys %s", keys)
		}
	})
}

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newTaskID()
		if len(id) != 12 || seen[id] {
			t.Fatalf("task id %q (seen %v)", id, seen[id])
		}
		seen[id] = true
	}
	if !wellFormedKey(newPlainKey()) || wellFormedKey("sk-"+string(make([]byte, 40))) {
		t.Fatal("key shape")
	}
}
