/*
 * The kernel's random numbers (random.c): a ChaCha20 keystream (RFC 8439's
 * block function) keyed from the device tree's /chosen/rng-seed (QEMU virt
 * puts 32 fresh bytes there at every boot) mixed with the time CSR, the key
 * replaced from the stream after every request (fast key erasure), so that
 * what was handed out cannot be recomputed from a later state.  Without a
 * seed the time CSR alone keys it, and the boot log says it is weak.
 *
 * Locking: random_lock, a leaf lock.
 */
#ifndef KERNEL_CORE_RANDOM_H
#define KERNEL_CORE_RANDOM_H

#include "core/types.h"

void random_init(const uint8_t *seed, int len);
void random_bytes(void *buf, size_t n);

#endif
