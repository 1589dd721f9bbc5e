package core

import "sync/atomic"

// ProxyCanceller stops the background work done for a page of an object that is gone: the low-resolution
// proxy render the player pages start for a preview or a task (core/preview.Service is one). Keys are
// PreviewProxyKey and TaskProxyKey.
type ProxyCanceller interface {
	CancelProxy(key string)
}

// PreviewProxyKey and TaskProxyKey name the proxy renders of a preview and of a task, for the player and
// the ProxyCanceller.
func PreviewProxyKey(tempID string) string { return "preview/" + tempID }
func TaskProxyKey(taskID string) string    { return "task/" + taskID }

// proxyCanceller holds the ProxyCanceller set by SetProxyCanceller.
type proxyCanceller struct {
	v atomic.Pointer[ProxyCanceller]
}

// SetProxyCanceller makes deleting a preview or a task cancel its proxy render (a render no page can show
// any more could otherwise run for up to half an hour). The HTTP layer sets it when it runs the proxies.
func (s *Service) SetProxyCanceller(c ProxyCanceller) { s.proxies.v.Store(&c) }

// cancelProxy cancels the proxy render of key, if a ProxyCanceller is set.
func (s *Service) cancelProxy(key string) {
	if c := s.proxies.v.Load(); c != nil && *c != nil {
		(*c).CancelProxy(key)
	}
}
