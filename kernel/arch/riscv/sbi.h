/*
 * Calls into the SBI firmware (sbi.c; reset.S for SRST): the extension
 * and function IDs and the error codes of the RISC-V SBI specification,
 * usable from assembly too.  Every result is checked.  No locking.
 */
#ifndef KERNEL_ARCH_RISCV_SBI_H
#define KERNEL_ARCH_RISCV_SBI_H

/* extensions (EID) and their functions (FID) */
#define SBI_EXT_TIME 0x54494D45 /* "TIME" */
#define SBI_TIME_SET_TIMER 0
#define SBI_EXT_IPI 0x735049 /* "sPI" */
#define SBI_IPI_SEND_IPI 0
#define SBI_EXT_HSM 0x48534D /* "HSM" */
#define SBI_HSM_HART_START 0
#define SBI_EXT_SRST 0x53525354 /* "SRST" */
#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

#define SBI_SUCCESS 0 /* error codes */
#define SBI_ERR_FAILED -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_DENIED -4
#define SBI_ERR_INVALID_ADDRESS -5
#define SBI_ERR_ALREADY_AVAILABLE -6
#define SBI_ERR_ALREADY_STARTED -7
#define SBI_ERR_ALREADY_STOPPED -8
#ifndef __ASSEMBLER__
#include "core/types.h"

const char *sbi_strerror(long err);
void sbi_set_timer(uint64_t when);
void sbi_send_ipi(uint64_t hartid);
long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque);
#endif

#endif
