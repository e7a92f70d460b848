/* Kernel-wide limits and tunables. */
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#define NHART 4		  /* harts the kernel knows about; more are left stopped */
#define NPROC 64	  /* process slots */
#define NOFILE 32	  /* open files per process */
#define NFILE 256	  /* open files in the whole system */
#define NINODE 1024	  /* memory-FS inodes (busybox: ~400 links in /bin) */
#define SYMLOOP_MAX 40	  /* symbolic links followed in one lookup (Linux) */
#define NRING 32	  /* rings in the whole system */
#define NVMA 16		  /* mmap'd regions per process */
#define KSTACK_PAGES 4	  /* kernel stack per process / per hart, 16 KiB */
#define USTACK_PAGES 16	  /* user stack, 64 KiB, mapped at spawn */
#define TIMESLICE_US 10000 /* round-robin time slice on the normal core */
#define CONSOLE_BUF 256	  /* console input line buffer */
#define PANIC_EXIT_CODE 254 /* QEMU exit status after a kernel panic */
#define PANIC_WAIT_TICKS 5000000 /* a second panicking hart waits this long
				   * (time CSR; 0.5 s at QEMU's 10 MHz) for
				   * the first to power off (reset.S) */

#endif
