/*
 * Calls into OpenSBI (the SBI v0.2+ extensions QEMU's firmware has: TIME,
 * IPI, HSM, SRST) and powering off with an exit status through QEMU virt's
 * test device (SRST alone always makes QEMU exit 0).  No locking needed.
 */
#include "defs.h"
#include "memlayout.h"
#include "trace.h"

#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

struct sbiret {
	long error;
	long value;
};

static struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2)
{
	register long r_a0 asm("a0") = a0;
	register long r_a1 asm("a1") = a1;
	register long r_a2 asm("a2") = a2;
	register long r_a6 asm("a6") = fid;
	register long r_a7 asm("a7") = ext;

	asm volatile("ecall"
		     : "+r"(r_a0), "+r"(r_a1)
		     : "r"(r_a2), "r"(r_a6), "r"(r_a7)
		     : "memory");
	return (struct sbiret){ r_a0, r_a1 };
}

void sbi_set_timer(uint64_t when)
{
	sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
}

void sbi_send_ipi(uint64_t hartid)
{
	/* hart_mask = bit 0, hart_mask_base = hartid */
	sbi_call(SBI_EXT_IPI, 0, 1, hartid, 0);
}

long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start, opaque).error;
}

void machine_poweroff(int status)
{
	volatile uint32_t *test = (volatile uint32_t *)devmem(VIRT_TEST_PA);

	if (!panicking)
		trace_drain(true); /* what is still buffered, every hart's */
	status &= 0xff;
	*test = status ? ((uint32_t)status << 16) | 0x3333 : 0x5555;
	/* not QEMU virt: fall back to SBI system reset (shutdown) */
	sbi_call(SBI_EXT_SRST, 0, 0, status ? 1 : 0, 0);
	for (;;)
		asm volatile("wfi");
}
