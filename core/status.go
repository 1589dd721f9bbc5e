package core

import "github.com/framecast/framecast/core/store"

// TaskStatus is where a task stands, as the API reports it in "status".
type TaskStatus string

// The task statuses. A task is created, then rendering while a render runs, then completed or failed; a
// failed task may be rendered again.
const (
	TaskCreated   TaskStatus = store.TaskCreated
	TaskRendering TaskStatus = store.TaskRendering
	TaskCompleted TaskStatus = store.TaskCompleted
	TaskFailed    TaskStatus = store.TaskFailed
)

// TaskStatuses lists every TaskStatus, in lifecycle order (the values ListTasksInput.Status accepts).
var TaskStatuses = []TaskStatus{TaskCreated, TaskRendering, TaskCompleted, TaskFailed}

// Valid reports whether s is one of TaskStatuses.
func (s TaskStatus) Valid() bool {
	for _, v := range TaskStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Ended reports whether a task in status s has finished its latest render (completed or failed).
func (s TaskStatus) Ended() bool { return s == TaskCompleted || s == TaskFailed }

// RenderStatus is where one render of a task stands.
type RenderStatus string

// The render statuses. A render is queued, then running, then ends completed, failed or cancelled (its
// task was deleted).
const (
	RenderQueued    RenderStatus = store.RenderQueued
	RenderRunning   RenderStatus = store.RenderRunning
	RenderCompleted RenderStatus = store.RenderCompleted
	RenderFailed    RenderStatus = store.RenderFailed
	RenderCancelled RenderStatus = store.RenderCancelled
)

// Ended reports whether a render in status s is over.
func (s RenderStatus) Ended() bool { return s != RenderQueued && s != RenderRunning }
