/* SPDX-License-Identifier: BSD-2-Clause */
#include "untorn.h"

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BIG_ENDIAN true
#else
#define HOST_BIG_ENDIAN false
#endif

static inline uint32_t load32(const uint32_t *p, bool swap)
{
	uint32_t v = __atomic_load_n(p, __ATOMIC_RELAXED);

	return swap ? __builtin_bswap32(v) : v;
}

/* One counter, retried until its two high-word loads agree. */
static bool read_one(const uint32_t *hi, const uint32_t *lo, bool swap,
		     uint64_t *out)
{
	for (unsigned tries = 0; tries < UNTORN_MAX_RETRIES; tries++) {
		uint32_t h1, l, h2;

		h1 = load32(hi, swap);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		l = load32(lo, swap);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		h2 = load32(hi, swap);
		if (h1 == h2) {
			*out = (uint64_t)h1 << 32 | l;
			return true;
		}
	}
	return false;
}

bool untorn_read_words(const void *src, size_t n, bool big_endian,
		       uint64_t *out)
{
	const uint32_t *words = src;
	bool swap = big_endian != HOST_BIG_ENDIAN;
	/* Word index of the high and the low half within a counter. */
	size_t hi = big_endian ? 0 : 1, lo = 1 - hi;

	/* Three passes with two fences in all, rather than two fences per
	 * counter: every H1, then every L, then every H2. */
	for (size_t i = 0; i < n; i++)
		out[i] = (uint64_t)load32(&words[2 * i + hi], swap) << 32;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	for (size_t i = 0; i < n; i++)
		out[i] |= load32(&words[2 * i + lo], swap);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	for (size_t i = 0; i < n; i++)
		if (load32(&words[2 * i + hi], swap) !=
			    (uint32_t)(out[i] >> 32) &&
		    !read_one(&words[2 * i + hi], &words[2 * i + lo], swap,
			      &out[i]))
			return false;
	return true;
}

bool untorn_read(const void *src, size_t n, bool big_endian, uint64_t *out)
{
#if UINTPTR_MAX == UINT64_MAX
	if ((uintptr_t)src % 8 == 0) {
		const uint64_t *values = src;

		if (big_endian != HOST_BIG_ENDIAN) {
			for (size_t i = 0; i < n; i++)
				out[i] = __builtin_bswap64(__atomic_load_n(
					&values[i], __ATOMIC_RELAXED));
		} else {
			for (size_t i = 0; i < n; i++)
				out[i] = __atomic_load_n(&values[i],
							 __ATOMIC_RELAXED);
		}
		return true;
	}
#endif
	return untorn_read_words(src, n, big_endian, out);
}
