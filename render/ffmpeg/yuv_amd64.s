//go:build amd64 && !purego

#include "textflag.h"

// func yuvRowAVX2(dst, ys, us, vs *byte, pixels int, k *yuvConstants)
//
// Eight pixels per step, one per 32-bit lane: Y' = Y·lumaScale − lumaOffset, the chroma of four samples
// each widened to two lanes (VPMOVZXDQ, then a copy shifted into the upper half) and centred, the four
// products (VPMULLD), R, G and B shifted down by 16, clamped to 0..255 and packed with opaque alpha.
TEXT ·yuvRowAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ ys+8(FP), SI
	MOVQ us+16(FP), R8
	MOVQ vs+24(FP), R9
	MOVQ pixels+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $3, CX
	JZ   done

	VPBROADCASTD 0(AX), Y15  // crv
	VPBROADCASTD 4(AX), Y14  // cbu
	VPBROADCASTD 8(AX), Y13  // cgu
	VPBROADCASTD 12(AX), Y12 // cgv
	VPBROADCASTD 16(AX), Y11 // lumaScale
	VPBROADCASTD 20(AX), Y10 // lumaOffset
	VPBROADCASTD 24(AX), Y9  // 128
	VPBROADCASTD 28(AX), Y8  // 255
	VPBROADCASTD 32(AX), Y7  // opaque alpha
	VPXOR        Y6, Y6, Y6  // 0

loop:
	VPMOVZXBD (SI), Y0 // 8 luma samples
	VPMULLD   Y11, Y0, Y0
	VPSUBD    Y10, Y0, Y0 // Y'

	VPMOVZXBD (R8), X1 // 4 Cb samples, each to two lanes
	VPMOVZXDQ X1, Y1
	VPSLLQ    $32, Y1, Y2
	VPOR      Y2, Y1, Y1
	VPSUBD    Y9, Y1, Y1
	VPMOVZXBD (R9), X2 // 4 Cr samples, each to two lanes
	VPMOVZXDQ X2, Y2
	VPSLLQ    $32, Y2, Y3
	VPOR      Y3, Y2, Y2
	VPSUBD    Y9, Y2, Y2

	VPMULLD Y15, Y2, Y3 // crv·Cr
	VPMULLD Y14, Y1, Y4 // cbu·Cb
	VPMULLD Y13, Y1, Y1 // cgu·Cb
	VPMULLD Y12, Y2, Y2 // cgv·Cr
	VPADDD  Y2, Y1, Y1

	VPADDD  Y0, Y3, Y3 // R
	VPSUBD  Y1, Y0, Y1 // G
	VPADDD  Y0, Y4, Y4 // B
	VPSRAD  $16, Y3, Y3
	VPSRAD  $16, Y1, Y1
	VPSRAD  $16, Y4, Y4
	VPMAXSD Y6, Y3, Y3
	VPMAXSD Y6, Y1, Y1
	VPMAXSD Y6, Y4, Y4
	VPMINSD Y8, Y3, Y3
	VPMINSD Y8, Y1, Y1
	VPMINSD Y8, Y4, Y4

	VPSLLD  $8, Y1, Y1
	VPSLLD  $16, Y4, Y4
	VPOR    Y1, Y3, Y3
	VPOR    Y4, Y3, Y3
	VPOR    Y7, Y3, Y3
	VMOVDQU Y3, (DI)

	ADDQ $8, SI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
