/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading 64-bit gcov counters while the hypervisor's CPUs update them, so
 * that no value is ever torn (half of one value, half of another).
 *
 * What the hypervisor must do: update every counter with single-copy-atomic
 * 64-bit stores, which -fprofile-update=atomic (HVCOV_CFLAGS) gives on every
 * supported target: an aligned 64-bit store on x86_64 and arm64, an
 * ldrexd/strexd loop on 32-bit arm.  Counters of the kinds live snapshots
 * accept (add and ior merges) then only ever grow as unsigned integers.
 *
 * 64-bit hosts, counter 8-byte aligned in the mapping: one relaxed 64-bit
 * atomic load, which x86_64 and arm64 perform single-copy atomically.
 *
 * 32-bit hosts (or a counter only 4-byte aligned): two 32-bit loads can tear,
 * so each counter is read as high word H1, then low word L, then high word
 * H2, each load ordered after the previous one (an acquire fence between the
 * passes: dmb on arm), and the pair (H1, L) is kept only when H1 == H2;
 * otherwise the counter is read again the same way.  Why an agreeing read is
 * a value the counter really had: let v(t) be the counter's value at time t.
 * v never decreases, so neither does its high word hi(v(t)).  The three
 * loads happen at t1 < t2 < t3 and saw hi(v(t1)) = H1, lo(v(t2)) = L,
 * hi(v(t3)) = H2.  With H1 == H2 the non-decreasing hi(v(t)) is constant on
 * [t1, t3], so hi(v(t2)) = H1 and v(t2) = H1 * 2^32 + L exactly.  No bound
 * on how fast the counter grows or how long the reader is preempted is
 * needed.  A retry happens only when a carry into the high word fell between
 * the two high loads, which ends as soon as the counter pauses for the
 * length of one read; the retry loop is bounded and reports failure rather
 * than spin for ever.
 */
#ifndef HVCOV_UNTORN_H
#define HVCOV_UNTORN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Re-reads of one counter before untorn_read gives up. */
#define UNTORN_MAX_RETRIES 1000000u

/* Copy n counters from live memory at src (stored in the image's byte
 * order: big_endian) into host integers out[0..n).  src must be 4-byte
 * aligned; it takes the 64-bit path when it is 8-byte aligned on a 64-bit
 * host.  false only when a counter kept changing its high word for
 * UNTORN_MAX_RETRIES re-reads (out is then incomplete). */
bool untorn_read(const void *src, size_t n, bool big_endian, uint64_t *out);

/* The 32-bit method above, whatever the host: exported so that it is tested
 * on every host, not only on 32-bit ones. */
bool untorn_read_words(const void *src, size_t n, bool big_endian,
		       uint64_t *out);

#endif
