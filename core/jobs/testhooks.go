package jobs

import "time"

// WithFrameDelay returns c with every drawn frame slowed down by d. It is for tests that must stop a
// worker process in the middle of a segment (the cluster test of cmd/framecast sets it in the worker
// processes through FRAMECAST_TEST_FRAME_DELAY); nothing else should use it.
func (c Config) WithFrameDelay(d time.Duration) Config {
	c.frameDelay = d
	return c
}
