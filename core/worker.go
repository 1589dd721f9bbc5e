package core

import "github.com/framecast/framecast/core/blob"

// Worker is the side of the service that works behind the API, for the processes that do that work: the
// render workers (package jobs) report a render's start, progress and end through it, deliver and record
// webhooks, purge expired previews and read and write the object store; the process wiring
// (cmd/framecast) gives the proxy renderer its draw slots and asset settings through it.
//
// It is split from Service by audience. Service's methods are the API operations the adapters (REST, MCP,
// pages) call on behalf of an account; none of Worker's is reachable from a request, so an adapter that is
// handed a *Service cannot complete a render, refund a charge or write to the object store. A consumer
// declares the few methods it needs as its own interface (jobs.Core), as the adapters do with Service.
//
// A Worker is obtained with Service.Worker and shares the Service's store, object store and settings.
type Worker struct{ s *Service }

// Worker returns the worker-facing side of s.
func (s *Service) Worker() *Worker { return &Worker{s: s} }

// Blob returns the object store, where render workers read segments and write the videos and thumbnails.
func (w *Worker) Blob() blob.Store { return w.s.blob }
