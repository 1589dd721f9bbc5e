package jobs

import (
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// renderRef names a render: what every render job carries.
type renderRef struct {
	TaskID       string `json:"task_id"`
	RenderTaskID string `json:"render_task_id"`
	AccountID    string `json:"account_id"`
}

// segmentArgs is a job rendering run Index of Count of a render's segments: the render's reuse segments
// (render.Timeline.Segments, computed from the document by the worker, so the job is the same whichever
// machine runs it) split into Count contiguous runs by render.SplitFrames.
type segmentArgs struct {
	renderRef
	Index int `json:"index"`
	Count int `json:"count"`
}

// Kind implements river.JobArgs.
func (segmentArgs) Kind() string { return "framecast_render_segment" }

// finalizeArgs is the job that waits for a render's segments and assembles the video.
type finalizeArgs struct {
	renderRef
	Count         int     `json:"count"`
	SegmentJobIDs []int64 `json:"segment_job_ids"`
}

// Kind implements river.JobArgs.
func (finalizeArgs) Kind() string { return "framecast_render_finalize" }

// webhookArgs is the delivery of an ended render's webhook, or, with BatchID, of a completed batch's
// batch.completed webhook.
type webhookArgs struct {
	TaskID       string `json:"task_id"`
	RenderTaskID string `json:"render_task_id"`
	BatchID      string `json:"batch_id,omitempty"`
	// Redelivery, set by RedeliverWebhook, makes a delivery asked for again from the console a job of its
	// own (webhook jobs are unique by their arguments).
	Redelivery string `json:"redelivery,omitempty"`
}

// Kind implements river.JobArgs.
func (webhookArgs) Kind() string { return "framecast_webhook" }

// purgeArgs is the periodic deletion of expired previews.
type purgeArgs struct{}

// Kind implements river.JobArgs.
func (purgeArgs) Kind() string { return "framecast_purge_previews" }

// InsertOpts implements river.JobArgsWithInsertOpts: purges run on the events queue, one at a time.
func (purgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: eventQueue, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable,
		rivertype.JobStateScheduled}}}
}

// SegmentKey is the blob key under which versions before segment reuse stored segment index of a render
// until it was assembled; the purge job deletes those left behind.
func SegmentKey(renderTaskID string, index int) string {
	return fmt.Sprintf("renders/%s/seg-%03d.mp4", renderTaskID, index)
}

// SegmentStoreKey is the blob key of an account's stored segment with key segmentKey (a
// render.Segment.Key). Segments stay stored for later renders of the account to reuse.
func SegmentStoreKey(accountID, segmentKey string) string {
	return "accounts/" + accountID + "/segments/" + segmentKey + ".mp4"
}

// segmentProgress is what a segment job records as its River output while it runs: frames written, and
// segments found stored rather than drawn.
type segmentProgress struct {
	Done   int `json:"done"`
	Total  int `json:"total"`
	Reused int `json:"reused,omitempty"`
}
