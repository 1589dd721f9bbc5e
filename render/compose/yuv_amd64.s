//go:build amd64 && !purego

#include "textflag.h"

// func convertBlocksAVX2(top, bottom, yTop, yBottom, u, v *byte, blocks int)
//
// Eight 2×2 blocks per step: 16 RGBA pixels of each row, in 32-bit lanes. Luma is, per pixel,
// R·yR + B·yB (one VPMADDWD on the R and B bytes as 16-bit pairs) + G·yG (yG = 2·20127: a second VPMADDWD
// and a doubling, since 40254 does not fit a signed 16-bit factor), plus the offset, shifted by 16.
// Chroma needs per block the sums of R, of B and of the unshifted luma: rows are added, then horizontal
// neighbours (VPHADDD, then VPERMQ to undo its lane order); the 32.32 fixed-point products are made four
// at a time with VPMULUDQ on the even and on the odd blocks.
TEXT ·convertBlocksAVX2(SB), NOSPLIT, $0-56
	MOVQ top+0(FP), SI
	MOVQ bottom+8(FP), DI
	MOVQ yTop+16(FP), R8
	MOVQ yBottom+24(FP), R9
	MOVQ u+32(FP), R10
	MOVQ v+40(FP), R11
	MOVQ blocks+48(FP), CX
	SHRQ $3, CX
	JZ   done

	MOVL         $0x00FF00FF, AX // R and B (or G and A after a shift) as 16-bit lanes
	VMOVD        AX, X15
	VPBROADCASTD X15, Y15
	MOVL         $0x0FE02EBE, AX // yR = 11966 (low), yB = 4064 (high)
	VMOVD        AX, X14
	VPBROADCASTD X14, Y14
	MOVL         $0x00004E9F, AX // 20127 = yG/2, and 0 for alpha
	VMOVD        AX, X13
	VPBROADCASTD X13, Y13
	MOVL         $0x00108000, AX // 16<<16 + 1<<15: +16 and rounding
	VMOVD        AX, X12
	VPBROADCASTD X12, Y12
	MOVL         $508303785, AX // cbB
	VMOVD        AX, X11
	VPBROADCASTD X11, Y11
	MOVL         $9031, AX // cbY
	VMOVD        AX, X10
	VPBROADCASTD X10, Y10
	MOVL         $598938598, AX // crR
	VMOVD        AX, X9
	VPBROADCASTD X9, Y9
	MOVL         $10641, AX // crY
	VMOVD        AX, X8
	VPBROADCASTD X8, Y8
	MOVQ         $0x0000008080000000, AX // 128<<32 + 1<<31
	VMOVQ        AX, X7
	VPBROADCASTQ X7, Y7

loop:
	VMOVDQU (SI), Y0   // top pixels 0-7
	VMOVDQU 32(SI), Y1 // top pixels 8-15
	VMOVDQU (DI), Y2   // bottom pixels 0-7
	VMOVDQU 32(DI), Y3 // bottom pixels 8-15

	// Sums of R and B per block: Y4 = ΣR | ΣB<<16 of blocks 0-7.
	VPAND   Y15, Y0, Y4
	VPAND   Y15, Y2, Y5
	VPADDD  Y5, Y4, Y4
	VPAND   Y15, Y1, Y5
	VPAND   Y15, Y3, Y6
	VPADDD  Y6, Y5, Y5
	VPHADDD Y5, Y4, Y4
	VPERMQ  $0xD8, Y4, Y4

	// Unshifted luma of each pixel, in place.
	VPAND    Y15, Y0, Y5
	VPMADDWD Y14, Y5, Y5
	VPSRLD   $8, Y0, Y6
	VPAND    Y15, Y6, Y6
	VPMADDWD Y13, Y6, Y6
	VPADDD   Y6, Y6, Y6
	VPADDD   Y6, Y5, Y0

	VPAND    Y15, Y1, Y5
	VPMADDWD Y14, Y5, Y5
	VPSRLD   $8, Y1, Y6
	VPAND    Y15, Y6, Y6
	VPMADDWD Y13, Y6, Y6
	VPADDD   Y6, Y6, Y6
	VPADDD   Y6, Y5, Y1

	VPAND    Y15, Y2, Y5
	VPMADDWD Y14, Y5, Y5
	VPSRLD   $8, Y2, Y6
	VPAND    Y15, Y6, Y6
	VPMADDWD Y13, Y6, Y6
	VPADDD   Y6, Y6, Y6
	VPADDD   Y6, Y5, Y2

	VPAND    Y15, Y3, Y5
	VPMADDWD Y14, Y5, Y5
	VPSRLD   $8, Y3, Y6
	VPAND    Y15, Y6, Y6
	VPMADDWD Y13, Y6, Y6
	VPADDD   Y6, Y6, Y6
	VPADDD   Y6, Y5, Y3

	// Sum of luma per block: Y5.
	VPADDD  Y2, Y0, Y5
	VPADDD  Y3, Y1, Y6
	VPHADDD Y6, Y5, Y5
	VPERMQ  $0xD8, Y5, Y5

	// Luma bytes: (l + offset) >> 16, packed to 16 bytes per row.
	VPADDD      Y12, Y0, Y0
	VPSRLD      $16, Y0, Y0
	VPADDD      Y12, Y1, Y1
	VPSRLD      $16, Y1, Y1
	VPADDD      Y12, Y2, Y2
	VPSRLD      $16, Y2, Y2
	VPADDD      Y12, Y3, Y3
	VPSRLD      $16, Y3, Y3
	VPACKUSDW   Y1, Y0, Y6
	VPERMQ      $0xD8, Y6, Y6
	VPACKUSDW   Y3, Y2, Y0
	VPERMQ      $0xD8, Y0, Y0
	VPACKUSWB   Y0, Y6, Y6
	VPERMQ      $0xD8, Y6, Y6
	VMOVDQU     X6, (R8)
	VEXTRACTI128 $1, Y6, X6
	VMOVDQU     X6, (R9)

	// Chroma: Y0 = ΣB, Y1 = ΣR.
	VPSRLD $16, Y4, Y0
	VPSLLD $16, Y4, Y1
	VPSRLD $16, Y1, Y1

	// U = (cbB·ΣB + offset − cbY·ΣY) >> 32, even blocks into Y2, odd into Y3.
	VPMULUDQ Y11, Y0, Y2
	VPMULUDQ Y10, Y5, Y3
	VPADDQ   Y7, Y2, Y2
	VPSUBQ   Y3, Y2, Y2
	VPSRLQ   $32, Y2, Y2
	VPSRLQ   $32, Y0, Y3
	VPMULUDQ Y11, Y3, Y3
	VPSRLQ   $32, Y5, Y6
	VPMULUDQ Y10, Y6, Y6
	VPADDQ   Y7, Y3, Y3
	VPSUBQ   Y6, Y3, Y3
	VPBLENDD $0xAA, Y3, Y2, Y2

	// V likewise with R: Y3.
	VPMULUDQ Y9, Y1, Y3
	VPMULUDQ Y8, Y5, Y6
	VPADDQ   Y7, Y3, Y3
	VPSUBQ   Y6, Y3, Y3
	VPSRLQ   $32, Y3, Y3
	VPSRLQ   $32, Y1, Y0
	VPMULUDQ Y9, Y0, Y0
	VPSRLQ   $32, Y5, Y6
	VPMULUDQ Y8, Y6, Y6
	VPADDQ   Y7, Y0, Y0
	VPSUBQ   Y6, Y0, Y0
	VPBLENDD $0xAA, Y0, Y3, Y3

	// Pack: 8 bytes of U, 8 of V.
	VPACKUSDW    Y3, Y2, Y0
	VPERMQ       $0xD8, Y0, Y0
	VPACKUSWB    Y0, Y0, Y0
	VMOVQ        X0, (R10)
	VEXTRACTI128 $1, Y0, X1
	VMOVQ        X1, (R11)

	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $16, R8
	ADDQ $16, R9
	ADDQ $8, R10
	ADDQ $8, R11
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
