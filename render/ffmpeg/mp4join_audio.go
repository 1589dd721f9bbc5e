package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The sound of a Go join: the AAC track of an MP4 (.m4a, as render's MixAudio writes it) copied beside the
// video, packet for packet what FFmpeg's Join writes with -c:a copy -t: the packets as FFmpeg's mov demuxer
// reads them (the encoder's priming skipped by the file's edit list, the last packet shortened to the edit's
// end), all of them when the sound ends before the video's duration (FFmpeg's -t keeps the packets that start
// before it; a sound longer than that goes through FFmpeg), interleaved with the video by decode time.

// audioFile is the parsed sound to join.
type audioFile struct {
	path string
	mp4Track
	stsd        []byte
	esID, rates int // in stsd: the ES_ID of esds, and its buffer size (3 bytes), maximum and average bit rates
	btrt        int // in stsd: btrt's payload, or -1
	sgpd        []byte
	sbgp        bool  // a roll group over every sample (sbgp), rewritten with sgpd
	mediaTime   int64 // the priming the edit list skips
	sizes       []uint32
	offsets     []int64
	durations   []uint32 // as FFmpeg's demuxer gives them
	dts         []int64  // idem: from -mediaTime
}

// readAudio parses an MP4 with one AAC track and checks that all of it goes in a join of seconds seconds.
func readAudio(path string, seconds float64) (*audioFile, error) {
	_, moov, size, err := readMovie(path)
	if err != nil {
		return nil, err
	}
	a := &audioFile{path: path, btrt: -1}
	if err := a.parseMoov(moov, size); err != nil {
		return nil, err
	}
	if err := checkInside(a.offsets, a.sizes, size); err != nil {
		return nil, err
	}
	var ticks uint64
	for _, d := range a.durations {
		ticks += uint64(d)
	}
	if ticks == 0 || ticks > 0xffffffff {
		return nil, errors.New("the sound lasts no time or too long for 32-bit durations")
	}
	last := len(a.dts) - 1
	// FFmpeg's -t drops the packets whose decode time is at or after the cut; keep a millisecond of margin
	// either way from it rather than follow its rounding.
	if float64(a.dts[last])/float64(a.timescale) > seconds-0.001 {
		return nil, fmt.Errorf("the sound lasts beyond the video's %v s", seconds)
	}
	return a, nil
}

// parseMoov reads the movie box of the sound.
func (a *audioFile) parseMoov(moov []byte, fileSize int64) error {
	var stbl, edts []byte
	var err error
	if a.mp4Track, stbl, edts, err = parseTrack(moov, "soun"); err != nil {
		return err
	}
	if a.mediaDuration == 0 {
		return errors.New("media duration 0")
	}
	if err := a.parseStbl(stbl, fileSize); err != nil {
		return err
	}
	return a.parseEdts(edts)
}

// parseEdts reads the edit list (one edit skipping the priming) and works out the packets' times as FFmpeg's
// mov demuxer gives them: from -mediaTime, each lasting its stts delta, but the last ends at the edit's end.
func (a *audioFile) parseEdts(edts []byte) error {
	duration, media, err := parseEdit(edts)
	if err != nil {
		return err
	}
	a.mediaTime = media
	// The edit's end on the demuxed time line, rescaled as av_rescale does (to nearest).
	rescaled, ok := rescaleNearest(duration, uint64(a.timescale), uint64(a.mvhdScale))
	if !ok {
		return errors.New("an edit too long to rescale")
	}
	end := int64(rescaled)
	t := -media
	for i, d := range a.durations {
		a.dts[i] = t
		if t+int64(d) > end {
			if i != len(a.durations)-1 || end <= t {
				return errors.New("the edit ends before the last packet")
			}
			a.durations[i] = uint32(end - t)
		}
		t += int64(d)
	}
	return nil
}

// parseStbl reads the sample tables.
func (a *audioFile) parseStbl(stbl []byte, fileSize int64) error {
	boxes, err := knownBoxes(stbl, "stbl", "stsd", "stts", "stsc", "stsz", "stco", "co64", "sgpd", "sbgp")
	if err != nil {
		return err
	}
	if err := a.parseStsd(boxes); err != nil {
		return err
	}
	if a.sizes, err = sampleSizes(boxes, fileSize); err != nil {
		return err
	}
	if a.durations, err = sampleDeltas(boxes, len(a.sizes)); err != nil {
		return err
	}
	a.dts = make([]int64, len(a.sizes))
	if a.offsets, err = sampleOffsets(boxes, a.sizes); err != nil {
		return err
	}
	return a.parseGroups(boxes)
}

// parseGroups keeps the AAC roll group: sgpd as it is, and sbgp when it puts every sample in it.
func (a *audioFile) parseGroups(boxes []mp4Box) error {
	sgpd, err := optional(boxes, "sgpd")
	if err != nil {
		return err
	}
	sbgp, err := optional(boxes, "sbgp")
	if err != nil {
		return err
	}
	if sgpd.typ == "" && sbgp.typ == "" {
		return nil
	}
	g, err := fullBox(sbgp, 0, 16)
	if sgpd.typ == "" || err != nil {
		return errors.New("sample groups other than one roll group")
	}
	if string(g[:4]) != "roll" || binary.BigEndian.Uint32(g[4:]) != 1 ||
		int(binary.BigEndian.Uint32(g[8:])) != len(a.sizes) || binary.BigEndian.Uint32(g[12:]) != 1 {
		return errors.New("sample groups other than one roll group over every sample")
	}
	a.sgpd, a.sbgp = sgpd.raw, true
	return nil
}

// esdsAudio finds, in an esds box's payload, the ES_Descriptor's ES_ID and the DecoderConfigDescriptor's
// object type (their offsets): tag 3, length, ES_ID, flags (none: no dependence, URL or OCR stream), then tag
// 4, length, object type (0x40, MPEG-4 audio), stream type, buffer size, max and avg bit rate.
func esdsAudio(e []byte) (esID, config int, err error) {
	at, err := descriptor(e, 0, 0x03)
	if err != nil || at+3 > len(e) || e[at+2] != 0 {
		return 0, 0, errors.New("esds: not a plain ES descriptor")
	}
	esID = at
	at, err = descriptor(e, at+3, 0x04)
	if err != nil || at+13 > len(e) || e[at] != 0x40 {
		return 0, 0, errors.New("esds: not MPEG-4 audio")
	}
	return esID, at, nil
}

// parseStsd keeps the sample description: one mp4a entry of MPEG-4 audio (AAC), and where its bit rates and
// ES_ID are, which the muxer writes anew.
func (a *audioFile) parseStsd(boxes []mp4Box) error {
	stsd, entry, ext, err := sampleEntry(boxes, "mp4a", 28)
	if err != nil {
		return err
	}
	if binary.BigEndian.Uint16(entry[8:]) != 0 {
		return errors.New("the sample description is not a version 0 mp4a")
	}
	a.stsd = stsd.raw
	esds, e, err := onlyFull(ext, "esds", 0, 0)
	if err != nil {
		return err
	}
	base := bytes.Index(stsd.raw, esds.raw) + 12 // esds's bytes lie within stsd's
	esID, config, err := esdsAudio(e)
	if err != nil {
		return err
	}
	a.esID, a.rates = base+esID, base+config+2
	btrt, err := optional(ext, "btrt")
	if err != nil {
		return err
	}
	if btrt.typ != "" {
		if len(btrt.body) != 12 {
			return errors.New("a btrt box of another size")
		}
		a.btrt = bytes.Index(stsd.raw, btrt.raw) + 8
	}
	return nil
}

// descriptor checks that an MPEG-4 descriptor with tag starts at b[at] and returns where its payload starts.
func descriptor(b []byte, at int, tag byte) (int, error) {
	start, _, err := descriptorSpan(b, at, tag)
	return start, err
}

// descriptorSpan checks that an MPEG-4 descriptor with tag starts at b[at] and returns where its payload
// starts and how long it is by its length field.
func descriptorSpan(b []byte, at int, tag byte) (start, length int, err error) {
	if at >= len(b) || b[at] != tag {
		return 0, 0, fmt.Errorf("no descriptor %d", tag)
	}
	at++
	for i := 0; i < 4; i++ { // the length: 7 bits a byte, the top bit says another follows
		if at >= len(b) {
			return 0, 0, errors.New("truncated descriptor")
		}
		length = length<<7 | int(b[at]&0x7f)
		more := b[at]&0x80 != 0
		at++
		if !more {
			return at, length, nil
		}
	}
	return 0, 0, errors.New("descriptor length too long")
}

// movieDuration is the sound's duration in the movie timescale, as the muxer writes it in tkhd and the edit:
// from 0 (the priming skipped) to the end of the last packet, rounded up. 0 without sound.
func (a *audioFile) movieDuration() uint32 {
	if a == nil {
		return 0
	}
	last := len(a.dts) - 1
	end := uint64(a.dts[last] + int64(a.durations[last]))
	return uint32(ceilDiv(end*uint64(a.mvhdScale), uint64(a.timescale)))
}

// trak writes the sound's track of the joined file (track 2).
func (a *audioFile) trak(w *boxWriter, c *chunks, dataStart int64, co64 bool) {
	var ticks uint64
	for _, d := range a.durations {
		ticks += uint64(d)
	}
	movieDur := a.movieDuration()
	// tkhd: track id, duration
	a.writeTrak(w, patched(patched(a.tkhd, 8, 2), 16, movieDur), movieDur, a.mediaTime, ticks, func() {
		// Bit rates as the mp4 muxer computes them (bitRates); the demuxer's bit rate of the file is its
		// bytes over mdhd's duration.
		total := bytesOf(a.sizes)
		maxRate, avg := bitRates(total, uint64(a.timescale), ticks, bitRate(total, uint64(a.timescale), a.mediaDuration))
		stsd := append([]byte(nil), a.stsd...)
		binary.BigEndian.PutUint16(stsd[a.esID:], 2)
		copy(stsd[a.rates:], []byte{0, 0, 0})
		binary.BigEndian.PutUint32(stsd[a.rates+3:], maxRate)
		binary.BigEndian.PutUint32(stsd[a.rates+7:], avg)
		if a.btrt >= 0 {
			putBtrt(stsd[a.btrt:], maxRate, avg)
		}
		w.raw(stsd)
		writeRuns(w, "stts", a.durations)
		c.write(w, a.sizes, dataStart, co64)
		if a.sgpd != nil {
			w.raw(a.sgpd)
			sbgp := w.full("sbgp", 0, 0)
			w.raw([]byte("roll"))
			w.u32(1)
			w.u32(uint32(len(a.sizes)))
			w.u32(1)
			w.close(sbgp)
		}
	})
}
