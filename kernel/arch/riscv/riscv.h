/*
 * RISC-V privileged-architecture helpers: CSR access, interrupt enable,
 * Sv39 page-table bits.  Facts from the RISC-V privileged specification.
 */
#ifndef KERNEL_RISCV_H
#define KERNEL_RISCV_H

#include "core/types.h"

#define csr_read(csr)                                                          \
	({                                                                     \
		uint64_t __v;                                                  \
		asm volatile("csrr %0, " #csr : "=r"(__v)::"memory");          \
		__v;                                                           \
	})
#define csr_write(csr, val)                                                    \
	({ asm volatile("csrw " #csr ", %0" ::"rK"(val) : "memory"); })
#define csr_set(csr, val)                                                      \
	({ asm volatile("csrs " #csr ", %0" ::"rK"(val) : "memory"); })
#define csr_clear(csr, val)                                                    \
	({ asm volatile("csrc " #csr ", %0" ::"rK"(val) : "memory"); })

/* sstatus */
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SUM (1UL << 18)
#define SSTATUS_FS (3UL << 13)

/* sie / sip bits */
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)

/* scause */
#define SCAUSE_INTR (1UL << 63)
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL_INST 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

/* scounteren: let user mode read cycle, time, instret */
#define SCOUNTEREN_CY (1UL << 0)
#define SCOUNTEREN_TM (1UL << 1)
#define SCOUNTEREN_IR (1UL << 2)

/* Sv39 */
#define PGSIZE 4096UL
#define PGSHIFT 12
#define MEGAPAGE (1UL << 21)
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_SHARED (1UL << 8) /* software bit: the page is not the process's
			       * to free (ring memory) */
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PA2PTE(pa) ((((uint64_t)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PX(level, va) ((((uint64_t)(va)) >> (12 + 9 * (level))) & 0x1ff)
#define SATP_SV39 (8UL << 60)
#define MAKE_SATP(pt) (SATP_SV39 | (((uint64_t)(pt)) >> 12))

static inline void intr_on(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void intr_off(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

static inline bool intr_get(void)
{
	return csr_read(sstatus) & SSTATUS_SIE;
}

static inline uint64_t rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline void sfence_vma(void)
{
	asm volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" ::: "memory");
}

static inline uint64_t read_fp(void)
{
	uint64_t fp;
	asm volatile("mv %0, s0" : "=r"(fp));
	return fp;
}

#endif
