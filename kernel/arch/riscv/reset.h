/*
 * Powering off with nothing else working (reset.S): paging off, the
 * board's way with an exit status, SBI SRST as the fallback; and a
 * panicking hart's bounded wait for the other one's report.
 */
#ifndef KERNEL_ARCH_RISCV_RESET_H
#define KERNEL_ARCH_RISCV_RESET_H

void poweroff_bare(int status) __attribute__((noreturn));
void panic_wait_then_poweroff(void) __attribute__((noreturn));

#endif
