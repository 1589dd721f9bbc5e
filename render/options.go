package render

import (
	"runtime"

	"github.com/framecast/framecast/render/assets"
)

// Options are the settings of one render. The zero value is usable: remote assets only, all cores,
// x264 veryfast at CRF 20, MP4.
type Options struct {
	// Assets configures fetching media: cache folder, size limit, timeout, whether local files and private
	// addresses may be read.
	Assets assets.Options
	// Workers is how many frames are drawn at once (default: the number of CPUs).
	Workers int
	// Preset and CRF are the x264 settings (default "veryfast" and 20).
	Preset string
	CRF    int
	// Format is the output container: "mp4" (default), "webm" or "gif".
	Format string
	// Width, Height and FPS, when set, render the document at another size or frame rate (a proxy render for
	// previews): the whole picture is scaled, nothing is redrawn differently.
	Width, Height int
	FPS           float64
	// Progress, when set, is called after each frame written with the frames done and the total.
	Progress func(done, total int)
	// Warn, when set, receives problems that do not stop the render (a missing font face, an unknown icon).
	Warn func(msg string)
	// RandomAccess says frames will be asked for one at a time in any order (a preview's scrub) rather than
	// rendered in sequence: a video frame far from where its decoder is gets decoded alone instead of
	// restarting the decoder there (see ffmpeg.DecodeOptions.RandomAccess), and Load does not probe the sound
	// (nothing drawn needs it). The pixels are the same.
	RandomAccess bool
	// SoundLater says the sound is mixed well after the first frames are wanted (a preview's proxy publishes
	// its first seconds, without sound, before mixing it): Load fetches the sound sources but does not probe
	// them, and the mix probes them when it runs. The frames and the sound are the same.
	SoundLater bool
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (o Options) preset() string {
	if o.Preset != "" {
		return o.Preset
	}
	return "veryfast"
}

func (o Options) crf() int {
	if o.CRF > 0 {
		return o.CRF
	}
	return 20
}

func (o Options) format() string {
	if o.Format != "" {
		return o.Format
	}
	return "mp4"
}
