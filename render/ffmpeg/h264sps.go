package ffmpeg

import (
	"errors"
	"fmt"
)

// This file reads what a probe needs from an H.264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1
// and annex E), as FFmpeg's h264 decoder reads it (its SPS parser, and the decoder's choice of pixel format
// and colour tags from it): the chroma format and bit depth, the cropped picture size and the colour
// description of the VUI. The whole SPS is read, so that one FFmpeg would refuse is refused here too.

// h264SPS is what probeMP4 keeps of a sequence parameter set.
type h264SPS struct {
	id, profile, chromaFormat, bitDepthLuma, bitDepthChroma int
	frameMBsOnly                                            bool
	width, height                                           int // after cropping
	// The VUI's video signal type: present, full range (video_full_range_flag), and its colour description's
	// matrix_coefficients when one is present (-1 otherwise).
	signalType, fullRange bool
	matrix                int
}

// bitReader reads the bits of a raw byte sequence payload, most significant first.
type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

func (r *bitReader) bit() int {
	if r.pos >= 8*len(r.b) {
		r.err = errors.New("SPS ends early")
		return 0
	}
	v := int(r.b[r.pos/8]>>(7-r.pos%8)) & 1
	r.pos++
	return v
}

func (r *bitReader) bits(n int) int {
	v := 0
	for i := 0; i < n; i++ {
		v = v<<1 | r.bit()
	}
	return v
}

func (r *bitReader) flag() bool { return r.bit() == 1 }

// ue reads an unsigned Exp-Golomb code.
func (r *bitReader) ue() int {
	zeros := 0
	for r.bit() == 0 {
		if zeros++; zeros > 31 || r.err != nil {
			r.err = errors.New("bad Exp-Golomb code in SPS")
			return 0
		}
	}
	return (1<<zeros - 1) + r.bits(zeros)
}

// se reads a signed Exp-Golomb code.
func (r *bitReader) se() int {
	k := r.ue()
	if k%2 == 1 {
		return (k + 1) / 2
	}
	return -k / 2
}

// unescapeRBSP removes the emulation prevention bytes (the 3 of 00 00 03) from a NAL unit's payload.
func unescapeRBSP(nal []byte) []byte {
	out := make([]byte, 0, len(nal))
	zeros := 0
	for _, c := range nal {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		out = append(out, c)
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

// parseSPS reads an SPS NAL unit (with its one-byte header).
func parseSPS(nal []byte) (*h264SPS, error) {
	if len(nal) < 4 || nal[0]&0x1f != 7 {
		return nil, errors.New("not an SPS NAL unit")
	}
	r := &bitReader{b: unescapeRBSP(nal[1:])}
	s := &h264SPS{matrix: -1, chromaFormat: 1, bitDepthLuma: 8, bitDepthChroma: 8}
	s.profile = r.bits(8)
	r.bits(16) // constraint flags, reserved bits, level_idc
	if s.id = r.ue(); s.id > 31 {
		return nil, errors.New("SPS id out of range")
	}
	switch s.profile {
	case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 144:
		s.chromaFormat = r.ue()
		if s.chromaFormat == 3 {
			r.bit() // separate_colour_plane_flag
		}
		s.bitDepthLuma, s.bitDepthChroma = r.ue()+8, r.ue()+8
		r.bit() // qpprime_y_zero_transform_bypass_flag
		if r.flag() {
			lists := 8
			if s.chromaFormat == 3 {
				lists = 12
			}
			for i := 0; i < lists; i++ {
				size := 16
				if i >= 6 {
					size = 64
				}
				if r.flag() {
					if err := skipScalingList(r, size); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if s.chromaFormat > 3 || s.bitDepthLuma > 14 || s.bitDepthChroma > 14 {
		return nil, fmt.Errorf("chroma format %d, bit depth %d", s.chromaFormat, s.bitDepthLuma)
	}
	if r.ue() > 12 { // log2_max_frame_num_minus4
		return nil, errors.New("log2_max_frame_num out of range")
	}
	switch r.ue() { // pic_order_cnt_type
	case 0:
		if r.ue() > 12 {
			return nil, errors.New("log2_max_poc_lsb out of range")
		}
	case 1:
		r.bit()
		r.se()
		r.se()
		n := r.ue()
		if n >= 256 {
			return nil, errors.New("poc_cycle_length out of range")
		}
		for i := 0; i < n; i++ {
			r.se()
		}
	case 2:
	default:
		return nil, errors.New("bad pic_order_cnt_type")
	}
	if r.ue() > 16 { // max_num_ref_frames
		return nil, errors.New("too many reference frames")
	}
	r.bit() // gaps_in_frame_num_value_allowed_flag
	mbWidth, mbHeight := r.ue()+1, r.ue()+1
	s.frameMBsOnly = r.flag()
	if !s.frameMBsOnly {
		mbHeight *= 2
		r.bit() // mb_adaptive_frame_field_flag
	}
	r.bit() // direct_8x8_inference_flag
	s.width, s.height = 16*mbWidth, 16*mbHeight
	if r.flag() { // frame_cropping_flag
		stepX, stepY := 1, 1
		if !s.frameMBsOnly {
			stepY = 2
		}
		if s.chromaFormat == 1 || s.chromaFormat == 2 {
			stepX = 2
		}
		if s.chromaFormat == 1 {
			stepY *= 2
		}
		left, right, top, bottom := r.ue(), r.ue(), r.ue(), r.ue()
		if (left+right)*stepX >= s.width || (top+bottom)*stepY >= s.height {
			return nil, errors.New("crop values invalid")
		}
		s.width -= (left + right) * stepX
		s.height -= (top + bottom) * stepY
	}
	if r.flag() { // vui_parameters_present_flag
		if err := s.parseVUI(r); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return s, nil
}

// skipScalingList reads one scaling list of size entries (7.3.2.1.1.1).
func skipScalingList(r *bitReader, size int) error {
	last, next := 8, 8
	for j := 0; j < size; j++ {
		if next != 0 {
			delta := r.se()
			if delta < -128 || delta > 127 {
				return errors.New("scaling list delta out of range")
			}
			next = (last + delta + 256) % 256
		}
		if next != 0 {
			last = next
		}
	}
	return nil
}

// parseVUI reads the VUI parameters (E.1.1), keeping the video signal type.
func (s *h264SPS) parseVUI(r *bitReader) error {
	if r.flag() { // aspect_ratio_info_present_flag
		switch idc := r.bits(8); {
		case idc == 255:
			r.bits(32)
		case idc > 16:
			return errors.New("illegal aspect ratio")
		}
	}
	if r.flag() { // overscan_info_present_flag
		r.bit()
	}
	if s.signalType = r.flag(); s.signalType {
		r.bits(3) // video_format
		s.fullRange = r.flag()
		if r.flag() { // colour_description_present_flag
			r.bits(16) // colour_primaries, transfer_characteristics
			s.matrix = r.bits(8)
		}
	}
	if r.flag() { // chroma_loc_info_present_flag
		r.ue()
		r.ue()
	}
	if r.flag() { // timing_info_present_flag
		r.bits(32)
		r.bits(32)
		r.bit()
	}
	nalHRD := r.flag()
	if nalHRD {
		if err := skipHRD(r); err != nil {
			return err
		}
	}
	vclHRD := r.flag()
	if vclHRD {
		if err := skipHRD(r); err != nil {
			return err
		}
	}
	if nalHRD || vclHRD {
		r.bit() // low_delay_hrd_flag
	}
	r.bit()       // pic_struct_present_flag
	if r.flag() { // bitstream_restriction_flag
		r.bit()
		for i := 0; i < 4; i++ {
			r.ue()
		}
		if reorder, buffering := r.ue(), r.ue(); reorder > 16 || buffering > 16 {
			return errors.New("bitstream restriction out of range")
		}
	}
	return r.err
}

// skipHRD reads HRD parameters (E.1.2).
func skipHRD(r *bitReader) error {
	count := r.ue() + 1
	if count > 32 {
		return errors.New("too many CPBs")
	}
	r.bits(8)
	for i := 0; i < count; i++ {
		r.ue()
		r.ue()
		r.bit()
	}
	r.bits(20)
	return r.err
}

// ppsSPSID returns the id of the SPS a PPS NAL unit (with its one-byte header) refers to.
func ppsSPSID(nal []byte) (int, error) {
	if len(nal) < 2 || nal[0]&0x1f != 8 {
		return 0, errors.New("not a PPS NAL unit")
	}
	r := &bitReader{b: unescapeRBSP(nal[1:])}
	r.ue() // pic_parameter_set_id
	id := r.ue()
	return id, r.err
}
