package player

import (
	"context"
	"encoding/json"

	"github.com/framecast/framecast/core"
)

// Service is what the pages need of package core (core.Service implements it): they read documents by
// their public id and never act for an account.
type Service interface {
	// The public pages read documents by id, without an account.
	PublicPreview(ctx context.Context, tempID string) (core.PreviewResult, error)
	PublicTask(ctx context.Context, taskID string) (core.TaskView, json.RawMessage, error)

	// Settings, and the hook that stops a proxy render when its preview or task is deleted.
	Config() core.Config
	SetProxyCanceller(c core.ProxyCanceller)
}
