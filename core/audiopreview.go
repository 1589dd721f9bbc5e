package core

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/framecast/framecast/netguard"
	"github.com/framecast/framecast/render"
	"github.com/framecast/framecast/render/assets"
	"github.com/framecast/framecast/render/audio"
	"github.com/framecast/framecast/schemas"
)

// An audio preview is the soundtrack of a document mixed exactly as its render would mix it (render/audio:
// trims, loops, speeds, fades, pan, gain envelopes, volume keyframes, ducking), for an agent or a user to
// hear before paying for the render. It is free, lasts the document's duration (a document's length is
// already bounded by Limits.MaxDuration), and is encoded as Opus at audioPreviewBitrate, so a 30 s
// preview is about 240 KB.

// audioPreviewBitrate is the Opus bitrate of audio previews: speech and music stay clear at a size that
// fits a tool result.
const audioPreviewBitrate = "64k"

// AudioPreviewMIME is the media type of an audio preview.
const AudioPreviewMIME = "audio/ogg"

// AudioPreviewResult is a document's mixed soundtrack.
type AudioPreviewResult struct {
	// HasAudio is false when no clip of the document makes sound; Audio is then empty.
	HasAudio bool `json:"hasAudio"`
	// Duration is the soundtrack's length in seconds: the document's duration.
	Duration float64 `json:"duration"`
	// MIMEType is the media type of Audio (audio/ogg: Opus).
	MIMEType string `json:"mimeType"`
	// Bytes is the size of Audio.
	Bytes int `json:"bytes"`
	// Audio is the encoded soundtrack.
	Audio []byte `json:"-"`
}

// AudioPreview mixes the soundtrack of a document for accountID, reading the account's uploads from the
// object store and other media through the service's address policy (cacheDir as in AssetOptions). It
// takes one of the draw slots (AcquireDraw), since mixing is as heavy as drawing. An invalid document is
// INVALID_CONFIG with every problem; media that cannot be read is INVALID_CONFIG naming it.
func (s *Service) AudioPreview(ctx context.Context, accountID string, raw json.RawMessage, cacheDir string) (AudioPreviewResult, error) {
	compact, _, _, err := s.validateDocument(raw)
	if err != nil {
		return AudioPreviewResult{}, err
	}
	release, err := s.acquireDraw(ctx)
	if err != nil {
		return AudioPreviewResult{}, err
	}
	defer release()
	if cacheDir == "" {
		cacheDir = s.cfg.AssetCacheDir
	}
	return MixAudioPreview(ctx, compact, s.cfg.Limits, s.assetOptions(accountID, cacheDir))
}

// MixAudioPreview validates raw against lim and mixes its soundtrack, fetching media with opts. It is
// AudioPreview without an account, for a client that mixes in its own process (mcp.Remote).
func MixAudioPreview(ctx context.Context, raw json.RawMessage, lim schemas.Limits, opts assets.Options) (AudioPreviewResult, error) {
	res := schemas.Validate(raw, lim)
	if !res.OK() {
		return AudioPreviewResult{}, InvalidConfig("Invalid video configuration: "+res.Errors[0].String(), res.Errors, res.Warnings)
	}
	doc := res.Document
	out := AudioPreviewResult{Duration: schemas.Duration(doc), MIMEType: AudioPreviewMIME}
	tl, err := render.Load(ctx, doc, render.Options{Assets: opts, Width: 16, Workers: 1})
	if err != nil {
		return AudioPreviewResult{}, InvalidConfig("Invalid video configuration: "+err.Error(),
			[]schemas.Problem{{Message: err.Error() + "; check that every src can be downloaded"}}, res.Warnings)
	}
	defer tl.Close()
	dir, err := os.MkdirTemp("", "framecast-audio-preview-")
	if err != nil {
		return AudioPreviewResult{}, fmt.Errorf("audio preview: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "preview.ogg")
	has, err := tl.MixAudioAs(ctx, file, audio.Options{Codec: "opus", Bitrate: audioPreviewBitrate})
	if err != nil {
		if ctx.Err() != nil {
			return AudioPreviewResult{}, ctx.Err()
		}
		return AudioPreviewResult{}, InvalidConfig("The soundtrack cannot be mixed: "+err.Error(),
			[]schemas.Problem{{Message: err.Error()}}, res.Warnings)
	}
	if !has {
		return out, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return AudioPreviewResult{}, fmt.Errorf("audio preview: %w", err)
	}
	out.HasAudio, out.Audio, out.Bytes = true, data, len(data)
	return out, nil
}

// MixAudioPreviewFetched is MixAudioPreview in a process without a service (a client of a remote server):
// the document is checked with rules (core's one validation), and every medium is fetched over the
// network through the address policy of rules, cached in cacheDir ("" for the user cache folder).
func MixAudioPreviewFetched(ctx context.Context, raw json.RawMessage, rules Rules, cacheDir string) (AudioPreviewResult, error) {
	if res, _ := CheckDocument(raw, rules); !res.Valid {
		return AudioPreviewResult{}, res.invalidConfig()
	}
	opts := assets.Options{CacheDir: cacheDir, Policy: netguard.Policy{AllowPrivate: rules.AllowPrivateURLs}}
	return MixAudioPreview(ctx, raw, rules.Limits, opts)
}
