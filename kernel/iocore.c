/*
 * The IO core.  For now it parks in wfi and answers IPIs: the ring issue
 * gives it the coroutine executor.  It never enables interrupts (sstatus.SIE
 * stays 0): wfi wakes it when an IPI is pending (sie.SSIE), and it clears
 * sip.SSIP itself, so it takes no traps at all.
 *
 * The IPI ping (syscall iocore_ping) proves the path both ways: the normal
 * core publishes a request number and IPIs the IO core; the IO core copies
 * it to the ack and IPIs back; the normal core's IPI handler wakes the
 * sleeping caller.
 *
 * Locking: ping.req is written only by the normal core, ping.ack only by the
 * IO core; each store is a release paired with the acquire load on the other
 * side (comments below).  The IO core touches no normal-core state.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"
#include "uapi/errno.h"

int io_hart = -1;

static struct {
	uint64_t req; /* normal core writes */
	uint64_t ack; /* IO core writes */
} ping;

void iocore_main(void)
{
	struct hart *h = this_hart();

	kprintf("hart %ld: IO core: waiting for IPIs\n", (long)h->id);
	for (;;) {
		wfi();
		if (!(csr_read(sip) & SIE_SSIE))
			continue;
		csr_clear(sip, SIE_SSIE);
		h->ipis++;
		/* acquire: pairs with the release store of req in iocore_ping() */
		uint64_t req = __atomic_load_n(&ping.req, __ATOMIC_ACQUIRE);

		if (req != ping.ack) {
			/* release: pairs with the acquire load of ack in iocore_ping() */
			__atomic_store_n(&ping.ack, req, __ATOMIC_RELEASE);
			sbi_send_ipi(normal_hart);
		}
	}
}

/* Normal core: an IPI from the IO core arrived. */
void iocore_ipi(void)
{
	wakeup(&ping);
}

long iocore_ping(long n)
{
	if (io_hart < 0)
		return -ENODEV;
	if (n < 1 || n > 1000000)
		return -EINVAL;
	for (long i = 0; i < n; i++) {
		uint64_t seq = ping.req + 1;

		/* release: pairs with the acquire load of req in iocore_main() */
		__atomic_store_n(&ping.req, seq, __ATOMIC_RELEASE);
		sbi_send_ipi(io_hart);
		/* acquire: pairs with the release store of ack in iocore_main() */
		while (__atomic_load_n(&ping.ack, __ATOMIC_ACQUIRE) < seq)
			sleep_on(&ping, 0);
	}
	return n;
}
