package ffmpeg

import (
	"encoding/binary"
	"math"
)

// A raw-video Matroska stream carries each frame with its timestamp, which a rawvideo pipe cannot: a frame
// equal to the one before is then not sent at all, and FFmpeg repeats the picture for the constant frame rate
// output (-vsync cfr). On a title card 255 of 300 frames repeat the previous one; each 1080p yuv420p frame is
// 3 MB that would otherwise cross the pipe, be copied twice and zeroed on FFmpeg's side.
//
// Only what FFmpeg's demuxer needs is written: the EBML header, a Segment of unknown size (a stream), Info
// with a 1 µs timestamp unit, one V_UNCOMPRESSED track whose ColourSpace fourcc "I420" says yuv420p, and one
// Cluster per frame holding a single keyframe SimpleBlock.

// mkvTimestampUnit is the TimecodeScale: timestamps count microseconds.
const mkvTimestampUnit = 1000 // ns

// Matroska element IDs (with their length marker bits, as written).
const (
	mkvEBML               = 0x1A45DFA3
	mkvEBMLVersion        = 0x4286
	mkvEBMLReadVersion    = 0x42F7
	mkvEBMLMaxIDLength    = 0x42F2
	mkvEBMLMaxSizeLength  = 0x42F3
	mkvDocType            = 0x4282
	mkvDocTypeVersion     = 0x4287
	mkvDocTypeReadVersion = 0x4285
	mkvSegment            = 0x18538067
	mkvInfo               = 0x1549A966
	mkvTimecodeScale      = 0x2AD7B1
	mkvMuxingApp          = 0x4D80
	mkvWritingApp         = 0x5741
	mkvTracks             = 0x1654AE6B
	mkvTrackEntry         = 0xAE
	mkvTrackNumber        = 0xD7
	mkvTrackUID           = 0x73C5
	mkvTrackType          = 0x83
	mkvFlagLacing         = 0x9C
	mkvDefaultDuration    = 0x23E383
	mkvCodecID            = 0x86
	mkvVideo              = 0xE0
	mkvPixelWidth         = 0xB0
	mkvPixelHeight        = 0xBA
	mkvColourSpace        = 0x2EB524
	mkvCluster            = 0x1F43B675
	mkvTimecode           = 0xE7
	mkvSimpleBlock        = 0xA3
)

// mkvUnknownSize is the 8-byte size that marks an element whose end is not known in advance.
var mkvUnknownSize = []byte{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}

func mkvID(b []byte, id uint32) []byte {
	switch {
	case id > 0xFFFFFF:
		return append(b, byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
	case id > 0xFFFF:
		return append(b, byte(id>>16), byte(id>>8), byte(id))
	case id > 0xFF:
		return append(b, byte(id>>8), byte(id))
	}
	return append(b, byte(id))
}

// mkvSize appends n as an 8-byte EBML variable-size integer (always 8 bytes: simple, and valid for any n).
func mkvSize(b []byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64(b, n|1<<56)
}

func mkvElement(b []byte, id uint32, payload []byte) []byte {
	b = mkvID(b, id)
	b = mkvSize(b, uint64(len(payload)))
	return append(b, payload...)
}

func mkvUint(b []byte, id uint32, v uint64) []byte {
	return mkvElement(b, id, binary.BigEndian.AppendUint64(nil, v))
}

func mkvString(b []byte, id uint32, s string) []byte { return mkvElement(b, id, []byte(s)) }

// mkvHeader returns everything before the first frame of a w × h yuv420p stream at fps.
func mkvHeader(w, h int, fps float64) []byte {
	var ebml []byte
	ebml = mkvUint(ebml, mkvEBMLVersion, 1)
	ebml = mkvUint(ebml, mkvEBMLReadVersion, 1)
	ebml = mkvUint(ebml, mkvEBMLMaxIDLength, 4)
	ebml = mkvUint(ebml, mkvEBMLMaxSizeLength, 8)
	ebml = mkvString(ebml, mkvDocType, "matroska")
	ebml = mkvUint(ebml, mkvDocTypeVersion, 4)
	ebml = mkvUint(ebml, mkvDocTypeReadVersion, 2)
	b := mkvElement(nil, mkvEBML, ebml)

	b = mkvID(b, mkvSegment)
	b = append(b, mkvUnknownSize...)
	var info []byte
	info = mkvUint(info, mkvTimecodeScale, mkvTimestampUnit)
	info = mkvString(info, mkvMuxingApp, "framecast")
	info = mkvString(info, mkvWritingApp, "framecast")
	b = mkvElement(b, mkvInfo, info)

	var video []byte
	video = mkvUint(video, mkvPixelWidth, uint64(w))
	video = mkvUint(video, mkvPixelHeight, uint64(h))
	video = mkvElement(video, mkvColourSpace, []byte("I420"))
	var track []byte
	track = mkvUint(track, mkvTrackNumber, 1)
	track = mkvUint(track, mkvTrackUID, 1)
	track = mkvUint(track, mkvTrackType, 1) // video
	track = mkvUint(track, mkvFlagLacing, 0)
	// One frame long: a frame's picture lasts until the next frame's timestamp, and the last frame one frame.
	track = mkvUint(track, mkvDefaultDuration, uint64(math.Round(1e9/fps)))
	track = mkvString(track, mkvCodecID, "V_UNCOMPRESSED")
	track = mkvElement(track, mkvVideo, video)
	return mkvElement(b, mkvTracks, mkvElement(nil, mkvTrackEntry, track))
}

// mkvFrameHeader returns the bytes that precede a frame of size bytes shown at timestamp µs: a Cluster of
// its own holding one keyframe SimpleBlock. The frame's bytes follow it.
func mkvFrameHeader(b []byte, timestamp uint64, size int) []byte {
	var tc []byte
	tc = mkvUint(tc, mkvTimecode, timestamp)
	blockHeader := []byte{0x81, 0, 0, 0x80} // track 1, relative timestamp 0, keyframe
	block := mkvID(nil, mkvSimpleBlock)
	block = mkvSize(block, uint64(len(blockHeader)+size))
	block = append(block, blockHeader...)
	b = mkvID(b, mkvCluster)
	b = mkvSize(b, uint64(len(tc)+len(block)+size))
	b = append(b, tc...)
	return append(b, block...)
}
