/*
 * Random numbers for user space (getrandom, AT_RANDOM, /dev/urandom) and
 * the kernel: see random.h for the design.  The ChaCha20 block function is
 * written from RFC 8439 section 2.3 (the constants, the quarter round, 20
 * rounds of column and diagonal quarter rounds, the input added back).
 */
#include "arch/riscv/riscv.h"
#include "core/printf.h"
#include "core/proc.h"
#include "core/random.h"
#include "core/spinlock.h"
#include "core/string.h"
#include "mm/vm.h"
#include "uapi/abi.h"
#include "uapi/errno.h"

static struct spinlock random_lock = SPINLOCK_INIT("random");
static uint32_t key[8];	 /* under random_lock */
static uint64_t counter; /* under random_lock: blocks made */

static inline uint32_t rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QUARTER(a, b, c, d)                                                    \
	do {                                                                   \
		a += b;                                                        \
		d = rotl(d ^ a, 16);                                           \
		c += d;                                                        \
		b = rotl(b ^ c, 12);                                           \
		a += b;                                                        \
		d = rotl(d ^ a, 8);                                            \
		c += d;                                                        \
		b = rotl(b ^ c, 7);                                            \
	} while (0)

/* One 64-byte block of the keystream for key, block counter and nonce 0. */
static void chacha20_block(uint32_t out[16], const uint32_t k[8], uint64_t ctr)
{
	uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
	uint32_t x[16];

	memcpy(&in[4], k, 32);
	in[12] = (uint32_t)ctr;
	in[13] = (uint32_t)(ctr >> 32);
	in[14] = in[15] = 0;
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

void random_init(const uint8_t *seed, int len)
{
	uint64_t t = rdtime();

	/* the seed's bytes folded into the key, the time CSR on top */
	for (int i = 0; i < len; i++)
		((uint8_t *)key)[i % sizeof(key)] ^= seed[i];
	key[0] ^= (uint32_t)t;
	key[1] ^= (uint32_t)(t >> 32);
	if (len < 16)
		kprintf("random: no rng-seed in the device tree: weak "
			"randomness (the time CSR only)\n");
}

/* n bytes of the keystream, then a new key from it (fast key erasure). */
void random_bytes(void *buf, size_t n)
{
	uint32_t block[16];
	uint8_t *dst = buf;

	spin_lock(&random_lock);
	while (n) {
		size_t m = MIN(n, sizeof(block));

		chacha20_block(block, key, counter++);
		memcpy(dst, block, m);
		dst += m;
		n -= m;
	}
	chacha20_block(block, key, counter++);
	memcpy(key, block, sizeof(key));
	spin_unlock(&random_lock);
	memset(block, 0, sizeof(block));
}

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM   0x2
#define GRND_INSECURE 0x4

/*
 * getrandom(buf, len, flags): the pool is always ready here, so every flag
 * combination Linux accepts succeeds at once; at most 32 MiB a call (as
 * Linux's MAX_RW_COUNT-bounded reads, a short count beyond).
 */
long sys_getrandom(long ubuf, long len, long flags, long a3, long a4, long a5)
{
	struct proc *p = this_proc();
	uint8_t chunk[256];
	size_t done = 0, n = len;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) ==
		    (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	n = MIN(n, 32UL << 20);
	while (done < n) {
		size_t m = MIN(n - done, sizeof(chunk));

		random_bytes(chunk, m);
		if (copyout(p->mm->pagetable, ubuf + done, chunk, m) < 0) {
			memset(chunk, 0, sizeof(chunk));
			return done ? (long)done : -EFAULT;
		}
		done += m;
	}
	memset(chunk, 0, sizeof(chunk));
	return done;
}
