/*
 * Calls into OpenSBI (the SBI v0.2+ extensions QEMU's firmware has: TIME,
 * IPI, HSM; SRST is reset.S's), every result checked.  Powering off is the
 * platform's (platform/platform.c, reset.S).  No locking needed.
 */
#include "arch/riscv/sbi.h"
#include "core/panic.h"

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

const char *sbi_strerror(long err)
{
	switch (err) {
	case SBI_SUCCESS: return "success";
	case SBI_ERR_FAILED: return "failed";
	case SBI_ERR_NOT_SUPPORTED: return "not supported";
	case SBI_ERR_INVALID_PARAM: return "invalid parameter";
	case SBI_ERR_DENIED: return "denied";
	case SBI_ERR_INVALID_ADDRESS: return "invalid address";
	case SBI_ERR_ALREADY_AVAILABLE: return "already available";
	case SBI_ERR_ALREADY_STARTED: return "already started";
	case SBI_ERR_ALREADY_STOPPED: return "already stopped";
	default: return "unknown error";
	}
}

/* These two cannot fail on a working SBI: if one does, nothing can go on. */
void sbi_set_timer(uint64_t when)
{
	long err = sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when, 0, 0).error;

	if (err)
		panic("SBI set_timer: error %ld (%s)", err, sbi_strerror(err));
}

void sbi_send_ipi(uint64_t hartid)
{
	/* hart_mask = bit 0, hart_mask_base = hartid */
	long err = sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, hartid, 0).error;

	if (err)
		panic("SBI send_ipi to hart %ld: error %ld (%s)", (long)hartid,
		      err, sbi_strerror(err));
}

long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start, opaque).error;
}
