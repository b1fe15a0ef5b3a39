/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The clang ground-truth workload: decisions of several conditions (MC/DC),
 * loops, a switch and a function never called, so that counters, bitmaps
 * and names all have something to say.  Built once, linked twice: with the
 * hvcov stub (an image) and with compiler-rt's profile runtime (the truth).
 */
#include "workload.h"

static int classify(int a, int b, int c)
{
	if ((a > 0 && b > 0) || c == 3)
		return 1;
	if (a < 0 || (b < 0 && c < 0))
		return 2;
	return 0;
}

int never_called(int x)
{
	return x > 1 && x < 5 ? x : -x;
}

static unsigned mix(unsigned v, int round)
{
	switch (round % 3) {
	case 0:
		return v * 33u + 7u;
	case 1:
		return v ^ (v >> 3);
	default:
		return v + (unsigned)round;
	}
}

unsigned workload(int rounds)
{
	unsigned v = 1;

	for (int i = 0; i < rounds; i++) {
		int kind = classify(i % 5 - 2, i % 3 - 1, i % 7 - 3);

		v = mix(v + (unsigned)kind, i);
		if (kind == 2 && (v & 1) && i > 10)
			v++;
	}
	return v;
}
